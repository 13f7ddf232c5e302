"""Both storage backends for the tests: the DuckDB file and PostgreSQL (a database of the throw-away
server, ``tests/pg_server.py``). ``conftest.py`` parametrises fixtures over ``BACKENDS``."""

from __future__ import annotations

from pathlib import Path

from etl.store.db import Database
from etl.store.postgres import PostgresDatabase

BACKENDS = ("duckdb", "postgres")
Store = Database | PostgresDatabase


def new_store(backend: str, folder: Path, name: str, pg_admin_url: str | None) -> Store:
    """An empty store: the file ``folder/name.duckdb``, or a new PostgreSQL database (its local state,
    the archive journal, beside that file name)."""
    path = folder / f"{name}.duckdb"
    if backend == "duckdb":
        return Database(path)
    from tests.pg_server import create_database

    assert pg_admin_url is not None
    return PostgresDatabase(create_database(pg_admin_url), path=path)


def reopen(db: Store) -> Store:
    """Another handle on the same store, as another process (or app instance) would open it."""
    if isinstance(db, PostgresDatabase):
        return PostgresDatabase(db.url, path=db.path)
    return Database(db.path)


def store_env(db: Store) -> dict[str, str]:
    """The environment that points the CLI or the app at ``db``."""
    if isinstance(db, PostgresDatabase):
        return {"TTDN_DATABASE_URL": db.url, "TTDN_DB": str(db.path)}
    return {"TTDN_DATABASE_URL": "", "TTDN_DB": str(db.path)}
