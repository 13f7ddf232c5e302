"""Moving the accounts of an install from its SQLite file into PostgreSQL.

``python -m etl migrate --to postgresql://…`` calls ``copy_accounts`` for the accounts part: users
(their ids, password hashes and flags), open and past sessions (a user stays logged in across the
move) and the whole audit trail, in one transaction.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from etl.accounts import pg
from etl.accounts.store import connect, is_url, transaction
from etl.errors import AccountError

TABLES = {"users": "user_id", "sessions": "token_hash", "audit": "audit_id"}  # in this order (keys), by


def copy_accounts(sqlite_path: Path | str, url: str) -> dict[str, int]:
    """Copy users, sessions and the audit trail from ``sqlite_path`` into schema ``accounts`` of
    ``url``; returns the rows copied per table (``{"users": 3, "sessions": 5, "audit": 120}``).

    Refuses (``AccountError``) when the PostgreSQL tables already hold rows: nothing is merged or
    overwritten. The SQLite file is only read.
    """
    if not is_url(url):
        raise AccountError(f"Đích chuyển tài khoản phải là postgresql://…, không phải '{pg.safe_url(url)}'.")
    path = Path(sqlite_path)
    if not path.is_file():
        raise AccountError(f"Không có tệp tài khoản {path}.")
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _copy(source, connect(url))
    finally:
        source.close()


def _copy(source: sqlite3.Connection, target: pg.Connection) -> dict[str, int]:
    present = {name for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    counts = {}
    with transaction(target):
        full = [t for t in TABLES if target.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()]
        if full:
            raise AccountError(
                f"Cơ sở dữ liệu đích đã có tài khoản (bảng {', '.join(full)} có dữ liệu): không ghi đè. "
                "Hãy chuyển vào một cơ sở dữ liệu mới."
            )
        for table, key in TABLES.items():
            counts[table] = _copy_table(source, target, table, key) if table in present else 0
        for table, key in (("users", "user_id"), ("audit", "audit_id")):  # new rows continue the numbering
            target.execute(
                f"SELECT setval(pg_get_serial_sequence('accounts.{table}', '{key}'), "
                f"coalesce((SELECT max({key}) FROM {table}), 0) + 1, false)"
            )
    return counts


def _copy_table(source: sqlite3.Connection, target: pg.Connection, table: str, key: str) -> int:
    wanted = [c.name for c in target.execute(f"SELECT * FROM {table} LIMIT 0").description]
    have = {row[1] for row in source.execute(f"PRAGMA table_info({table})")}
    columns = [c for c in wanted if c in have]
    names = ", ".join(columns)
    n = 0
    with target.raw.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in source.execute(f"SELECT {names} FROM {table} ORDER BY {key}"):
            copy.write_row(row)
            n += 1
    return n
