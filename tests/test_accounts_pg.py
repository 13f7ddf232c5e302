"""Accounts in PostgreSQL: chosen by ``TTDN_DATABASE_URL``, shared by app instances (separate processes),
the audit trail append-only in the server too, and an install's SQLite accounts copied across."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import timedelta

import psycopg
import pytest

from etl.accounts import audit, sessions, users
from etl.accounts.migrate import copy_accounts
from etl.accounts.roles import Role
from etl.accounts.store import accounts_target, close, connect, describe
from etl.errors import AccountError
from tests.conftest import ROOT

PASSWORD = "Một câu mật khẩu đủ dài"


def test_the_database_url_puts_the_accounts_in_its_own_schema(pg_url, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TTDN_DB", str(tmp_path / "ttdn.duckdb"))
    monkeypatch.delenv("TTDN_ACCOUNTS_DB", raising=False)
    monkeypatch.setenv("TTDN_DATABASE_URL", pg_url)
    assert accounts_target() == pg_url
    users.create_user("lan", PASSWORD, Role.LEADER, "Hưng Yên", by="t")
    with psycopg.connect(pg_url) as raw:
        assert raw.execute("SELECT username, province FROM accounts.users").fetchall() == [
            ("lan", "Hưng Yên")
        ]
    assert not (tmp_path / "accounts.sqlite").exists()
    close(pg_url)
    monkeypatch.setenv("TTDN_DATABASE_URL", "mysql://x:bí-mật@h/db")
    with pytest.raises(AccountError, match="phải có dạng postgresql://") as refused:
        accounts_target()
    assert "bí-mật" not in str(refused.value)  # a password never reaches a message
    monkeypatch.setenv("TTDN_DATABASE_URL", "")
    assert accounts_target() == tmp_path / "accounts.sqlite"


def test_the_audit_trail_refuses_change_even_to_the_owner(pg_url) -> None:
    audit.record(audit.Event.LOGIN, "failed", username="lan", conn=connect(pg_url))
    with psycopg.connect(pg_url, autocommit=True) as raw:  # the role owning the tables, without our adapter
        for statement in ("UPDATE accounts.audit SET result = 'ok'", "DELETE FROM accounts.audit",
                          "TRUNCATE accounts.audit"):  # fmt: skip
            with pytest.raises(psycopg.IntegrityError, match="append-only"):
                raw.execute(statement)
        assert raw.execute("SELECT username, result FROM accounts.audit").fetchall() == [("lan", "failed")]
    close(pg_url)


def _instance(url: str, code: str) -> str:
    """Run ``code`` in another process over the same accounts database (another app instance); its output."""
    prelude = "from etl.accounts import sessions, users\n"
    env = {**os.environ, "TTDN_ACCOUNTS_DB": url}
    done = subprocess.run([sys.executable, "-c", prelude + code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_session_opened_in_one_instance_is_known_to_the_others(pg_url, monkeypatch) -> None:
    monkeypatch.setenv("TTDN_ACCOUNTS_DB", pg_url)
    users.create_user("lan", PASSWORD, Role.LEADER, "Hưng Yên", by="t")
    mine = sessions.login("lan", PASSWORD)[1]
    theirs, seen = _instance(
        pg_url,
        f"print(sessions.login('lan', {PASSWORD!r})[1]); print(sessions.session_user({mine!r}).username)",
    ).splitlines()
    assert seen == "lan"  # opened here, valid there
    assert sessions.session_user(theirs).username == "lan"  # opened there, valid here
    sessions.logout(theirs)  # logged out here...
    code = f"print(sessions.session_user({theirs!r})); print(users.revoke_sessions('lan', by='qt'))"
    assert _instance(pg_url, code).splitlines() == ["None", "1"]  # ...ended there; there, one session left
    assert sessions.session_user(mine) is None
    close(pg_url)


def _sqlite_install(tmp_path, monkeypatch) -> tuple[str, str]:
    """An install's accounts file: two users, an open and a closed session, their audit rows."""
    path = tmp_path / "accounts.sqlite"
    monkeypatch.setenv("TTDN_ACCOUNTS_DB", str(path))
    users.create_user("qt", PASSWORD, Role.ADMIN, by="cli:root")
    users.create_user("lan", PASSWORD, Role.UNIT_STAFF, "Thái Bình", "Sở Ngoại vụ", by="qt")
    with pytest.raises(sessions.LoginRefused):
        sessions.login("lan", "sai mật khẩu", "10.0.0.7")
    sessions.logout(sessions.login("lan", PASSWORD)[1])
    _, token = sessions.login("lan", PASSWORD, "10.0.0.7")
    return str(path), token


def test_copy_accounts_moves_users_sessions_and_the_audit_trail(pg_url, tmp_path, monkeypatch) -> None:
    path, token = _sqlite_install(tmp_path, monkeypatch)
    before = audit.search(audit.AuditQuery())
    listed = users.list_users()
    assert copy_accounts(path, pg_url) == {"users": 2, "sessions": 2, "audit": 6}
    monkeypatch.setenv("TTDN_ACCOUNTS_DB", pg_url)
    assert "PostgreSQL" in describe() and audit.search(audit.AuditQuery()) == before
    assert users.list_users() == listed
    lan = sessions.session_user(token)  # still logged in after the move
    assert (lan.username, lan.province, lan.unit) == ("lan", "Hưng Yên", "Sở Ngoại vụ")
    users.create_user("moi", PASSWORD, Role.LEADER, by="qt")  # new ids follow the copied ones
    assert sessions.login("moi", PASSWORD)[0].user_id == 3
    with pytest.raises(AccountError, match="đã có tài khoản .*không ghi đè"):
        copy_accounts(path, pg_url)
    assert len(users.list_users()) == 3
    close(pg_url)


def test_copy_accounts_keeps_the_failed_login_count(pg_url, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TTDN_LOGIN_MAX_FAILURES", "2")
    path, _ = _sqlite_install(tmp_path, monkeypatch)
    start = audit.now_utc()
    for _ in range(2):
        with pytest.raises(sessions.LoginRefused):
            sessions.login("qt", "sai mật khẩu", now=start)
    copy_accounts(path, pg_url)
    monkeypatch.setenv("TTDN_ACCOUNTS_DB", pg_url)
    with pytest.raises(
        sessions.LoginRefused, match="sai quá nhiều lần"
    ):  # a move does not reset the throttle
        sessions.login("qt", PASSWORD, now=start + timedelta(minutes=1))
    close(pg_url)


def test_copy_accounts_refuses_what_it_cannot_copy(pg_url, tmp_path) -> None:
    with pytest.raises(AccountError, match="Không có tệp tài khoản"):
        copy_accounts(tmp_path / "khong_co.sqlite", pg_url)
    sqlite3.connect(tmp_path / "a.sqlite").close()
    with pytest.raises(AccountError, match="phải là postgresql://"):
        copy_accounts(tmp_path / "a.sqlite", str(tmp_path / "b.sqlite"))
    assert copy_accounts(tmp_path / "a.sqlite", pg_url) == {"users": 0, "sessions": 0, "audit": 0}
    close(pg_url)


def test_each_rerun_in_a_new_thread_reuses_a_connection(pg_url, monkeypatch) -> None:
    monkeypatch.setenv("TTDN_ACCOUNTS_DB", pg_url)
    users.create_user("lan", PASSWORD, Role.LEADER, by="t")
    token = sessions.login("lan", PASSWORD)[1]
    backends = []

    def rerun() -> None:  # Streamlit runs each rerun of a page in a new thread; each checks the session
        assert sessions.session_user(token).username == "lan"
        backends.append(connect().raw.info.backend_pid)

    for _ in range(20):
        thread = threading.Thread(target=rerun)
        thread.start()
        thread.join()
    assert len(backends) == 20 and len(set(backends)) == 1
    with psycopg.connect(pg_url) as raw:
        (n,) = raw.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        ).fetchone()
    assert n == 3  # this test's thread, the one the reruns shared, and this count's own
    close(pg_url)


def test_a_restarted_server_costs_no_session_check_and_no_login(pg_admin_url, pg_url, monkeypatch) -> None:
    monkeypatch.setenv("TTDN_ACCOUNTS_DB", pg_url)
    users.create_user("lan", PASSWORD, Role.LEADER, by="t")
    token = sessions.login("lan", PASSWORD)[1]
    kill = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = %s"
    for step in (lambda: sessions.session_user(token), lambda: sessions.login("lan", PASSWORD)):
        with psycopg.connect(pg_admin_url, autocommit=True) as admin:  # the server drops our connection
            assert admin.execute(kill, [connect().raw.info.backend_pid]).fetchone() == (True,)
        assert step() is not None
    close(pg_url)
