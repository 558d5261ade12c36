"""Shared fixtures: stores on a real database (SQLite files in tmp_path, or TEST_DB_URL).

Every store is a real database reached through ``dashboard.store.get_engine``; there are no mocks.
- ``seed_store`` (session): the seed data built once; **read-only** tests only.
- ``fresh_store``: the seed data for one test, which may write to it. On SQLite it is a copy of a
  file built once with ``build_from_seed`` (same bytes as building again, see
  test_build_twice_gives_identical_content), which keeps the suite fast; elsewhere it is built.
- ``empty_store``: a store that does not exist yet (no tables).
- ``store_factory``: more stores of either kind within one test.
- ``synthetic_store`` (session): the seed plus three generated quarters labelled synthetic; **read-only**.

Backend: SQLite files by default. With ``TEST_DB_URL`` set (e.g.
``postgresql+psycopg://user:pw@host/db``) every store is its own PostgreSQL schema in that database
(``options=-csearch_path=…``), dropped at the end; byte-level checks of the SQLite file are skipped.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from sqlalchemy import Engine, create_engine  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from dashboard.config import SEED_DIR  # noqa: E402
from dashboard.store import build_from_seed, get_engine  # noqa: E402

TEST_DB_URL = os.environ.get("TEST_DB_URL", "").strip()


@dataclass
class Store:
    """One store under test: its URL (for the CLI), its engine, and its SQLite file (else None)."""

    url: str
    engine: Engine
    path: Path | None


class StoreFactory:
    """Creates isolated stores in ``folder`` (SQLite) or as schemas of TEST_DB_URL, and cleans up."""

    def __init__(self, folder: Path, seed_template: Path | None = None):
        self.folder = folder
        self.seed_template = seed_template
        self.stores: list[Store] = []
        self.schemas: list[str] = []

    def new(self, name: str = "store") -> Store:
        """A store with no tables yet."""
        if not TEST_DB_URL:
            path = self.folder / f"{name}-{len(self.stores)}.sqlite"
            url = f"sqlite:///{path}"
            store = Store(url, get_engine(url), path)
        else:
            schema_name = f"t_{uuid.uuid4().hex[:16]}"
            admin = create_engine(TEST_DB_URL)
            with admin.begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema_name}"')
            admin.dispose()
            self.schemas.append(schema_name)
            url = (
                make_url(TEST_DB_URL)
                .update_query_dict({"options": f"-csearch_path={schema_name}"})
                .render_as_string(hide_password=False)
            )
            store = Store(url, get_engine(url), None)
        self.stores.append(store)
        return store

    def seeded(self, name: str = "seed") -> Store:
        """A store built from data/seed/ with ``build_from_seed`` (on SQLite: a copy of such a build)."""
        if self.seed_template is not None and not TEST_DB_URL:
            path = self.folder / f"{name}-{len(self.stores)}.sqlite"
            shutil.copyfile(self.seed_template, path)
            store = Store(f"sqlite:///{path}", get_engine(f"sqlite:///{path}"), path)
            self.stores.append(store)
            return store
        store = self.new(name)
        build_from_seed(store.engine, SEED_DIR)
        return store

    def close(self) -> None:
        for store in self.stores:
            store.engine.dispose()
        if self.schemas:
            admin = create_engine(TEST_DB_URL)
            with admin.begin() as conn:
                for schema_name in self.schemas:
                    conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
            admin.dispose()


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> Store:
    """The seed data, built once per session. Read-only: never write to it."""
    factory = StoreFactory(tmp_path_factory.mktemp("seed-store"))
    store = factory.seeded()
    yield store
    factory.close()


@pytest.fixture(scope="session")
def seed_template(tmp_path_factory) -> Path | None:
    """A SQLite file built once from the seed and closed (WAL checkpointed), to copy per test."""
    if TEST_DB_URL:
        return None
    factory = StoreFactory(tmp_path_factory.mktemp("seed-template"))
    store = factory.seeded("template")
    factory.close()  # dispose: the WAL is folded into the file, so a copy of the file is complete
    assert not Path(f"{store.path}-wal").exists()
    return store.path


@pytest.fixture
def store_factory(tmp_path, seed_template) -> StoreFactory:
    factory = StoreFactory(tmp_path, seed_template)
    yield factory
    factory.close()


@pytest.fixture
def fresh_store(store_factory) -> Store:
    """The seed data built for this test alone; the test may write to it."""
    return store_factory.seeded("fresh")


@pytest.fixture
def empty_store(store_factory) -> Store:
    """A store without tables (a new SQLite file, or a new empty schema)."""
    return store_factory.new("empty")


@pytest.fixture(scope="session")
def synthetic_store(tmp_path_factory) -> Store:
    """The seed data plus three synthetic quarters (2023KW2–2023KW4, ``dashboard.synthetic`` with its
    default seed), built once per session. Read-only: never write to it. The generator is
    deterministic, so ``synthetic.from_store(store.engine, "harelbeke")`` gives back what was added."""
    from dashboard.synthetic import add_to_store

    factory = StoreFactory(tmp_path_factory.mktemp("synthetic-store"))
    store = factory.seeded("synthetic")
    add_to_store(store.engine, tmp_path_factory.mktemp("synthetic-files"))
    yield store
    factory.close()
