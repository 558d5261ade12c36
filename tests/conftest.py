"""Shared fixtures: stores on a real database (SQLite files in tmp_path, or TEST_DB_URL).

Every store is a real database reached through ``dashboard.store.get_engine``; there are no mocks.
- ``seed_store`` (session): the seed data built once; **read-only** tests only.
- ``fresh_store``: the seed data for one test, which may write to it. On SQLite it is a copy of a
  file built once with ``build_from_seed`` (same bytes as building again, see
  test_build_twice_gives_identical_content), which keeps the suite fast; elsewhere it is built.
- ``empty_store``: a store that does not exist yet (no tables).
- ``store_factory``: more stores of either kind within one test.
- ``synthetic_store`` (session): the seed plus three generated quarters labelled synthetic; **read-only**.

Backends: SQLite files always. With ``TEST_DB_URL`` set (e.g.
``postgresql+psycopg://user:pw@127.0.0.1:5432/db``) every test that uses one of these fixtures runs
twice, ``[sqlite]`` and ``[postgresql]`` (the session fixture ``backend`` is parametrized), and on
PostgreSQL every store is its own schema in that database (``options=-csearch_path=…``), dropped at
the end; byte-level checks of the SQLite file apply to SQLite only. ``-k postgresql`` runs one side.
The report header names the PostgreSQL server; an unreachable one skips the ``[postgresql]`` tests,
or fails them under CI=true.
"""

from __future__ import annotations

import functools
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
BACKENDS = ("sqlite", "postgresql") if TEST_DB_URL else ("sqlite",)


@functools.cache
def postgres_server() -> tuple[str | None, str | None]:
    """(server version, None) of TEST_DB_URL's server, or (None, why it cannot be reached)."""
    try:
        engine = create_engine(TEST_DB_URL, connect_args={"connect_timeout": 5})
        try:
            with engine.connect() as conn:
                return str(conn.exec_driver_sql("SHOW server_version").scalar()).split()[0], None
        finally:
            engine.dispose()
    except Exception as exc:  # any failure to connect is reported the same way: skip, or fail in CI
        return None, f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _where(url: str) -> str:
    host = make_url(url).host or "localhost"
    loopback = host == "localhost" or host.startswith("127.") or host == "::1"
    return f"on loopback ({host}:{make_url(url).port or 5432})" if loopback else f"on {host}"


def pytest_report_header(config) -> str:
    """Names the backends of the store tests (and the PostgreSQL server's version) in pytest's header."""
    if not TEST_DB_URL:
        return "store tests run on sqlite only (set TEST_DB_URL=postgresql+psycopg://… to add postgresql)"
    version, problem = postgres_server()
    if version is None:
        fate = "FAIL (CI=true)" if _in_ci() else "are skipped"
        return f"PostgreSQL at TEST_DB_URL unreachable ({problem}): the [postgresql] store tests {fate}"
    return f"PostgreSQL {version} {_where(TEST_DB_URL)}: store tests run on sqlite and postgresql"


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers",
        "backends(*names): run these store tests on the named backends only (default: every configured one)",
    )


def pytest_generate_tests(metafunc) -> None:
    """Every test that (through a store fixture) uses ``backend`` runs once per backend.

    ``@pytest.mark.backends("sqlite")`` narrows that (e.g. tests of rendering, not of the store). Those
    are still parametrized, with "sqlite" alone, so they share the session stores of the [sqlite] side.
    """
    if "backend" not in metafunc.fixturenames or len(BACKENDS) < 2:
        return
    marker = metafunc.definition.get_closest_marker("backends")
    names = [name for name in BACKENDS if marker is None or name in marker.args]
    metafunc.parametrize("backend", names, indirect=True, scope="session")


@pytest.fixture(scope="session")
def backend(request) -> str:
    """The database the store fixtures create their stores in: "sqlite" or "postgresql"."""
    name = getattr(request, "param", "sqlite")
    if name == "postgresql":
        version, problem = postgres_server()
        if version is None:
            reason = f"PostgreSQL at TEST_DB_URL unreachable: {problem}"
            if _in_ci():
                pytest.fail(reason + " (CI=true: a configured server must be there)", pytrace=False)
            pytest.skip(reason)
    return name


@dataclass
class Store:
    """One store under test: its URL (for the CLI), its engine, and its SQLite file (else None)."""

    url: str
    engine: Engine
    path: Path | None


class StoreFactory:
    """Creates isolated stores in ``folder`` (SQLite) or as schemas of TEST_DB_URL, and cleans up."""

    def __init__(self, folder: Path, seed_template: Path | None = None, backend: str = "sqlite"):
        self.folder = folder
        self.seed_template = seed_template
        self.backend = backend
        self.stores: list[Store] = []
        self.schemas: list[str] = []

    def new(self, name: str = "store") -> Store:
        """A store with no tables yet."""
        if self.backend == "sqlite":
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
        if self.seed_template is not None and self.backend == "sqlite":
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
def seed_store(tmp_path_factory, backend) -> Store:
    """The seed data, built once per session. Read-only: never write to it."""
    factory = StoreFactory(tmp_path_factory.mktemp("seed-store"), backend=backend)
    store = factory.seeded()
    yield store
    factory.close()


@pytest.fixture(scope="session")
def seed_template(tmp_path_factory, backend) -> Path | None:
    """A SQLite file built once from the seed and closed (WAL checkpointed), to copy per test."""
    if backend != "sqlite":
        return None
    factory = StoreFactory(tmp_path_factory.mktemp("seed-template"))
    store = factory.seeded("template")
    factory.close()  # dispose: the WAL is folded into the file, so a copy of the file is complete
    assert not Path(f"{store.path}-wal").exists()
    return store.path


@pytest.fixture
def store_factory(tmp_path, seed_template, backend) -> StoreFactory:
    """Makes stores (empty or seeded) on this test's backend; all are removed after the test."""
    factory = StoreFactory(tmp_path, seed_template, backend)
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
def synthetic_store(tmp_path_factory, backend) -> Store:
    """The seed data plus three synthetic quarters (2023KW2–2023KW4, ``dashboard.synthetic`` with its
    default seed), built once per session. Read-only: never write to it. The generator is
    deterministic, so ``synthetic.from_store(store.engine, "harelbeke")`` gives back what was added."""
    from dashboard.synthetic import add_to_store

    factory = StoreFactory(tmp_path_factory.mktemp("synthetic-store"), backend=backend)
    store = factory.seeded("synthetic")
    add_to_store(store.engine, tmp_path_factory.mktemp("synthetic-files"))
    yield store
    factory.close()
