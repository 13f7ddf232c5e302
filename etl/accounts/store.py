"""The accounts database: one SQLite file in WAL mode (``TTDN_ACCOUNTS_DB``), its schema.

The audit table is append-only: triggers refuse UPDATE and DELETE on it.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from etl import settings

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

_local = threading.local()
_created: set[str] = set()
_lock = threading.Lock()


def accounts_path() -> Path:
    """``TTDN_ACCOUNTS_DB``; a relative path is taken from the folder of the DuckDB file."""
    value = Path(settings.get("TTDN_ACCOUNTS_DB"))
    return value if value.is_absolute() else settings.path("TTDN_DB").parent / value


def connect(path: Path | None = None) -> sqlite3.Connection:
    """This thread's connection to the accounts file (created with its schema on first use).

    Autocommit mode: each statement is its own transaction unless a caller opens one
    (``with transaction(conn)``).
    """
    path = Path(path or accounts_path())
    conns: dict[str, sqlite3.Connection] = _local.__dict__.setdefault("conns", {})
    conn = conns.get(str(path))
    if conn is None:
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
        conns[str(path)] = conn
    return conn


class transaction:
    """``with transaction(conn):`` one IMMEDIATE transaction (the writer lock taken at once)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind, value, traceback) -> None:
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
