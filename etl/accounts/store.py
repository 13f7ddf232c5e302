"""The accounts database: one SQLite file in WAL mode (``TTDN_ACCOUNTS_DB``), its schema; or, when
``TTDN_DATABASE_URL`` (or ``TTDN_ACCOUNTS_DB``) is a ``postgresql://`` URL, schema ``accounts`` in that
database (``etl/accounts/pg.py``), shared by every app instance. The same SQL runs on both.

The audit table is append-only: triggers refuse UPDATE and DELETE on it.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from pathlib import Path

from etl import settings
from etl.accounts import pg
from etl.errors import AccountError

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id       INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,          -- lower case
    display_name  TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,                 -- etl.accounts.roles.Role
    province      TEXT,                          -- current (2025) province name; NULL: national
    unit          TEXT,                          -- canonical unit name (chuyên viên đơn vị)
    password_hash TEXT NOT NULL,
    must_change   INTEGER NOT NULL DEFAULT 0,    -- one-time password: change before anything else
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash  TEXT PRIMARY KEY,                -- SHA-256 of the cookie's token; the token is never stored
    user_id     INTEGER NOT NULL REFERENCES users(user_id),
    created_at  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    expires_at  TEXT NOT NULL,                   -- absolute expiry
    revoked_at  TEXT,
    address     TEXT
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
CREATE TABLE IF NOT EXISTS audit (
    audit_id  INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,                     -- UTC, ISO 8601
    username  TEXT,
    role      TEXT,
    scope     TEXT,
    session   TEXT,                              -- first 12 hex digits of the session's token hash
    address   TEXT,
    action    TEXT NOT NULL,
    object    TEXT,
    province  TEXT,
    unit      TEXT,
    result    TEXT NOT NULL,                     -- ok | failed | refused | denied
    details   TEXT                               -- JSON
);
CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
CREATE INDEX IF NOT EXISTS audit_action_at ON audit(action, at);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
"""

_local = threading.local()  # .held: this thread's connections (_Held)
_created: set[str] = set()
_lock = threading.Lock()


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("postgresql://", "postgres://"))


def accounts_path() -> Path:
    """``TTDN_ACCOUNTS_DB``; a relative path is taken from the folder of the DuckDB file."""
    value = Path(settings.get("TTDN_ACCOUNTS_DB"))
    return value if value.is_absolute() else settings.path("TTDN_DB").parent / value


def accounts_target() -> Path | str:
    """Where the accounts live: ``TTDN_ACCOUNTS_DB`` when it is a PostgreSQL URL, else the database of
    ``TTDN_DATABASE_URL`` when that is set, else the SQLite file ``accounts_path()``."""
    own, shared = settings.get("TTDN_ACCOUNTS_DB"), settings.get("TTDN_DATABASE_URL").strip()
    if is_url(own):
        return own
    if shared and not is_url(shared):
        raise AccountError(
            f"TTDN_DATABASE_URL phải có dạng postgresql://người_dùng@máy:cổng/cơ_sở_dữ_liệu, không phải '{pg.safe_url(shared)}'."
        )
    return shared or accounts_path()


def describe(target: Path | str | None = None) -> str:
    """Where the accounts are, for a person (a URL without its password)."""
    target = target or accounts_target()
    return f"PostgreSQL {pg.safe_url(target)} (lược đồ accounts)" if is_url(target) else f"tệp {target}"


Connection = sqlite3.Connection | pg.Connection
Row = sqlite3.Row | pg.Row


class _Held:
    """One thread's connections, by target. When the thread ends (Streamlit runs each rerun in a new
    thread), its PostgreSQL connections go back to ``pg``'s idle list for the next thread to take."""

    def __init__(self) -> None:
        self.conns: dict[str, Connection] = {}
        weakref.finalize(self, _give_back, self.conns)


def _give_back(conns: dict[str, Connection]) -> None:
    for conn in conns.values():
        if isinstance(conn, pg.Connection):
            pg.give_back(conn)


def connect(target: Path | str | None = None) -> Connection:
    """This thread's connection to the accounts (created with its schema on first use): a SQLite file
    (a path) or a PostgreSQL database (a ``postgresql://`` URL, a connection a finished thread left, or
    a new one); by default ``accounts_target()``.

    Autocommit mode: each statement is its own transaction unless a caller opens one
    (``with transaction(conn)``).
    """
    target = target or accounts_target()
    held = _local.__dict__.get("held")
    if held is None:
        held = _local.held = _Held()
    key = str(target)
    conn = held.conns.get(key)
    if isinstance(conn, pg.Connection) and not conn.usable:  # the server restarted, the network dropped
        conn = None
    if conn is None:
        conn = pg.checkout(target) if is_url(target) else _open_sqlite(Path(target))
        held.conns[key] = conn
    return conn


def close(target: Path | str | None = None) -> None:
    """Close this thread's connection to ``target`` (a test's throw-away database, before it goes)."""
    held = _local.__dict__.get("held")
    conn = held.conns.pop(str(target or accounts_target()), None) if held else None
    if conn is not None:
        conn.close()


def is_postgres(conn: Connection) -> bool:
    return isinstance(conn, pg.Connection)


def _open_sqlite(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    with _lock:
        if str(path) not in _created:
            conn.executescript(SCHEMA)
            _created.add(str(path))
    return conn


class transaction:
    """``with transaction(conn):`` one write transaction, the writers' lock taken at once: SQLite's
    ``BEGIN IMMEDIATE``; in PostgreSQL an advisory lock shared by every instance.

    ``name`` (a login's user name): PostgreSQL locks only that name, so logins of other names go on;
    SQLite has one writer lock for all.
    """

    def __init__(self, conn: Connection, name: str | None = None):
        self.conn, self.name = conn, name

    def __enter__(self) -> Connection:
        if is_postgres(self.conn):
            self.pg = pg.Transaction(self.conn, self.name)
            return self.pg.__enter__()
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind, value, traceback) -> None:
        if is_postgres(self.conn):
            self.pg.__exit__(kind, value, traceback)
        else:
            self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
