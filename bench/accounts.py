"""Accounts benchmark: the session check every rerun makes, logins, audit rows, on SQLite and on PostgreSQL,
and ``copy_accounts`` moving a large audit trail.

    python bench/accounts.py [--checks 2000] [--audit-rows 100000]

Starts a throw-away PostgreSQL on loopback (``tests/pg_server.py``, Debian's server) and an accounts
file in a temporary folder. Prints per backend: a session check (mean, one thread; and the rate with
4 threads at once), a login (argon2id dominates), an audit row; then the time to copy an accounts file
with ``--audit-rows`` audit rows into PostgreSQL.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.accounts import audit, sessions, users  # noqa: E402
from etl.accounts.migrate import copy_accounts  # noqa: E402
from etl.accounts.roles import Role  # noqa: E402
from etl.accounts.store import close, connect  # noqa: E402
from tests.pg_server import create_database, throwaway_postgres  # noqa: E402

PASSWORD = "Một câu mật khẩu đủ dài"


def _ms(seconds: float, n: int) -> str:
    return f"{seconds / n * 1000:.2f} ms"


def backend(name: str, target: Path | str, checks: int) -> None:
    conn = connect(target)
    users.create_user("lan", PASSWORD, Role.LEADER, by="bench", conn=conn)
    policy = sessions.Policy(timedelta(hours=1), timedelta(hours=12), 5, timedelta(minutes=15))
    started = time.perf_counter()
    tokens = [sessions.login("lan", PASSWORD, policy=policy, conn=conn)[1] for _ in range(10)]
    login = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(checks):
        assert sessions.session_user(tokens[i % 10], policy=policy, conn=conn) is not None
    check = time.perf_counter() - started

    def worker() -> None:
        for i in range(checks // 4):
            sessions.session_user(tokens[i % 10], policy=policy, conn=connect(target))
        close(target)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    parallel = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(500):
        audit.record(audit.Event.EXPORT_DOWNLOAD, username="lan", object=f"tep_{i}.xlsx", conn=conn)
    record = time.perf_counter() - started
    print(f"{name:>10}: session check {_ms(check, checks)}, {checks / parallel:,.0f}/s with 4 threads; "
          f"login {_ms(login, 10)}; audit row {_ms(record, 500)}")  # fmt: skip


def copy(admin_url: str, folder: Path, rows: int) -> None:
    path = folder / "big.sqlite"
    conn = connect(path)
    users.create_user("qt", PASSWORD, Role.ADMIN, by="bench", conn=conn)
    raw = sqlite3.connect(path)
    at = audit.now_utc().isoformat(timespec="seconds")
    with raw:
        raw.executemany(
            "INSERT INTO audit (at, username, action, object, result, details) VALUES (?, 'qt', 'export_download', ?, 'ok', ?)",
            [(at, f"tep_{i}.xlsx", '{"rows": 12}') for i in range(rows)],
        )
    raw.close()
    url = create_database(admin_url)
    started = time.perf_counter()
    counts = copy_accounts(path, url)
    elapsed = time.perf_counter() - started
    print(f"copy_accounts: {counts} in {elapsed:.2f} s ({counts['audit'] / elapsed:,.0f} audit rows/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checks", type=int, default=2000)
    parser.add_argument("--audit-rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, throwaway_postgres() as admin_url:
        backend("SQLite", Path(tmp) / "accounts.sqlite", args.checks)
        backend("PostgreSQL", create_database(admin_url), args.checks)
        copy(admin_url, Path(tmp), args.audit_rows)


if __name__ == "__main__":
    main()
