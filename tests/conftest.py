"""Shared fixtures: the fixture database and an AppTest of the app over it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixture_db import AS_OF, build_fixture_db  # noqa: E402
from tests.stores import BACKENDS  # noqa: E402


@pytest.fixture(scope="session")
def fixture_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "fixture.duckdb"
    build_fixture_db(path)
    return path


@pytest.fixture
def fixture_conn(fixture_db_path: Path):
    from etl.store.db import Database

    db = Database(fixture_db_path)
    yield db.reader()
    db.close()


@pytest.fixture(scope="session")
def fixture_pg(pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory):
    """The fixture database written into PostgreSQL (through ``PostgresDatabase.writer``)."""
    from tests.stores import new_store

    db = new_store("postgres", tmp_path_factory.mktemp("pg"), "fixture", pg_admin_url)
    build_fixture_db(db.path, db)
    yield db
    db.close()


@pytest.fixture(params=BACKENDS)
def any_fixture_conn(request: pytest.FixtureRequest, fixture_db_path: Path):
    """A reader of the fixture database, on each backend in turn."""
    if request.param == "duckdb":
        from etl.store.db import Database

        db = Database(fixture_db_path)
        yield db.reader()
        db.close()
    else:
        yield request.getfixturevalue("fixture_pg").reader()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def make_store(backend: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """``make_store(name)``: an empty store of this test's backend (a DuckDB file in ``tmp_path``, or a new
    database of the throw-away PostgreSQL server, whose data version is asked on every read, so that a
    write by the CLI shows at once); closed at the end."""
    from etl.store import postgres
    from tests.stores import new_store

    monkeypatch.setattr(postgres, "CHECK_SECONDS", 0.0)
    made = []

    def make(name: str = "x"):
        admin = request.getfixturevalue("pg_admin_url") if backend == "postgres" else None
        made.append(new_store(backend, tmp_path, name, admin))
        return made[-1]

    yield make
    for db in made:
        db.close()


def make_app(db_path: Path, monkeypatch: pytest.MonkeyPatch, user=None, **params: str) -> AppTest:
    """The app over ``db_path``, judged on the fixture's as-of date, with extra URL parameters, seen by
    ``user`` (an ``etl.accounts.roles.User``; by default a test admin, logged in through session state)."""
    from etl.accounts.roles import Role, User
    from ui.auth import TEST_USER_KEY

    if isinstance(db_path, Path):
        monkeypatch.setenv("TTDN_DB", str(db_path))
        monkeypatch.setenv("TTDN_DATABASE_URL", "")
    else:  # a store (tests/stores.py)
        from tests.stores import store_env

        for name, value in store_env(db_path).items():
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("TTDN_DEMO", "0")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[TEST_USER_KEY] = user or User("test-admin", Role.ADMIN)
    at.query_params["as_of"] = AS_OF.isoformat()
    for name, value in params.items():
        at.query_params[name] = value
    return at


@pytest.fixture
def app(fixture_db_path: Path, monkeypatch: pytest.MonkeyPatch):
    return lambda **params: make_app(fixture_db_path, monkeypatch, **params)


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A throw-away PostgreSQL server for the whole run (tests/pg_server.py); its superuser's URL."""
    from tests.pg_server import throwaway_postgres

    with throwaway_postgres() as url:
        yield url


@pytest.fixture
def pg_url(pg_admin_url: str) -> str:
    """A new empty database on the throw-away server, owned by a non-superuser role; that role's URL."""
    from tests.pg_server import create_database

    return create_database(pg_admin_url)


@pytest.fixture(params=["sqlite", "postgresql"])
def accounts_backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A test of the accounts run twice: the SQLite file beside ``TTDN_DB``, then schema ``accounts`` of
    a fresh PostgreSQL database (``TTDN_ACCOUNTS_DB=postgresql://…``); the backend's name."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    from etl.accounts.store import close

    url = request.getfixturevalue("pg_url")
    monkeypatch.setenv("TTDN_ACCOUNTS_DB", url)
    yield "postgresql"
    close(url)
