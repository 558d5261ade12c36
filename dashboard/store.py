"""Connecting to the store, creating its schema and building it from the seed data."""

from __future__ import annotations

import functools
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, insert, select, update
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.schema import CreateIndex

from . import schema, search


@functools.cache
def get_engine(url: str) -> Engine:
    """One pooled engine per database URL (SQLite files get their folder and foreign keys)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    if parsed.get_backend_name() == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # SQLite ignores foreign keys unless asked
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

    return engine


def create_schema(engine: Engine, *, drop_first: bool = False) -> None:
    """Create all tables (optionally dropping them first) and the fixed vocabulary rows."""
    if drop_first:
        search.drop_index(engine)
        schema.metadata.drop_all(engine)
    schema.metadata.create_all(engine)
    with engine.begin() as conn:  # create_all skips the indexes of tables that exist: a store from before them
        for table in schema.metadata.sorted_tables:
            for index in table.indexes:
                conn.execute(CreateIndex(index, if_not_exists=True))
    search.ensure_index(engine)  # derived from the tables above; filled from them when new
    with engine.begin() as conn:
        have = set(conn.scalars(select(schema.pillar.c.id)))
        rows = [
            {"id": pid, "name": name, "sort_order": order} for pid, name, order in schema.PILLARS if pid not in have
        ]
        if rows:
            conn.execute(insert(schema.pillar), rows)
        if conn.execute(select(schema.meta.c.key).where(schema.meta.c.key == "data_version")).first() is None:
            conn.execute(insert(schema.meta), [{"key": "data_version", "value": "0"}])


def bump_data_version(conn: Connection) -> None:
    """Mark the data as changed (inside the writing transaction)."""
    key = schema.meta.c.key == "data_version"
    current = int(conn.scalar(select(schema.meta.c.value).where(key)) or 0)
    conn.execute(update(schema.meta).where(key).values(value=str(current + 1)))


def data_version(engine: Engine) -> int:
    """The current data version; 0 for a store that was never written."""
    with engine.connect() as conn:
        value = conn.scalar(select(schema.meta.c.value).where(schema.meta.c.key == "data_version"))
    return int(value or 0)


def build_from_seed(engine: Engine, seed_dir: Path, default_org: str = "harelbeke") -> object:
    """Recreate the store from the seed folder: same input, same content (idempotent)."""
    from .importer import import_files  # the importer validates the seed exactly like a quarterly file

    create_schema(engine, drop_first=True)
    files = sorted(p for p in seed_dir.glob("*.csv"))
    return import_files(engine, files, default_org=default_org)
