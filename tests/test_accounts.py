"""Accounts: who may do what (the whole role × action × scope matrix), passwords, sessions, throttling,
and an audit row for every event."""

from __future__ import annotations

import sqlite3
import threading
import time
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import psycopg
import pytest

from etl.accounts import audit, passwords, sessions, users
from etl.accounts.audit import Event
from etl.accounts.roles import GUEST, Action, Role, User, can, parse_role
from etl.accounts.store import Connection, close, connect
from etl.errors import AccountError

HY, TQ = "Hưng Yên", "Tuyên Quang"  # Thái Bình (an old name) is part of Hưng Yên since 2025
NGV, TTTT = "Sở Ngoại vụ", "Sở Thông tin và Truyền thông"
PASSWORD = "Một câu mật khẩu đủ dài"

ADMIN = User("qt", Role.ADMIN)
NATIONAL = User("ld", Role.LEADER)
LEADER_HY = User("ldhy", Role.LEADER, HY)
STAFF_HY = User("cvt", Role.PROVINCE_STAFF, HY)
UNIT_NGV = User("cvdv", Role.UNIT_STAFF, HY, NGV)

# (province, unit) acted on: everything, a province, its units (by old and current name), another province.
TARGETS = [
    (None, None),
    (HY, None),
    (HY, NGV),
    ("Thái Bình", "SỞ NGOẠI VỤ"),
    (HY, TTTT),
    (TQ, None),
    (TQ, NGV),
]
IN_HY = {t for t in TARGETS if t[0] in (HY, "Thái Bình")}
NGV_HY = {(HY, NGV), ("Thái Bình", "SỞ NGOẠI VỤ")}
ALL = set(TARGETS)
NONE: set = set()
# Who may do what where: written out, one line per role and action.
EXPECTED = {
    ADMIN: dict.fromkeys(Action, ALL),
    NATIONAL: {Action.VIEW: ALL},
    LEADER_HY: {Action.VIEW: IN_HY},
    STAFF_HY: {
        Action.VIEW: IN_HY,
        Action.UPLOAD: IN_HY,
        Action.MANAGE_PLANS: IN_HY,
        Action.MANAGE_UNITS: IN_HY,
    },
    UNIT_NGV: {Action.VIEW: IN_HY, Action.UPLOAD: NGV_HY},
    GUEST: {Action.VIEW: ALL},
    None: {},
}


@pytest.mark.parametrize("user", list(EXPECTED), ids=lambda u: u.role.value if u else "anonymous")
def test_can_over_the_whole_matrix(user: User | None) -> None:
    wrong = [
        (str(action), target)
        for action in Action
        for target in TARGETS
        if can(user, action, *target) != (target in EXPECTED[user].get(action, NONE))
    ]
    assert wrong == []


def test_roles_are_read_in_vietnamese_or_as_codes() -> None:
    assert parse_role("lãnh đạo") is Role.LEADER
    assert parse_role("Chuyên viên đơn vị") is Role.UNIT_STAFF
    assert parse_role("chuyen_vien_tinh") is Role.PROVINCE_STAFF
    with pytest.raises(AccountError, match="Vai trò 'khach' không có"):
        parse_role("khach")


@pytest.fixture
def accounts(accounts_backend, tmp_path, monkeypatch) -> Connection:
    """The accounts store, SQLite then PostgreSQL (``accounts_backend``)."""
    monkeypatch.setenv("TTDN_DB", str(tmp_path / "ttdn.duckdb"))
    monkeypatch.setenv("TTDN_LOGIN_MAX_FAILURES", "3")
    return connect()


def _actions(conn: Connection) -> list[tuple[str, str]]:
    return [(r["action"], r["result"]) for r in reversed(audit.search(audit.AuditQuery(), conn))]


def test_argon2id_hash_verifies_long_vietnamese_passphrases_quickly() -> None:
    long = (
        "Tôi đi học trường làng, mùa thu năm ấy lá vàng rơi đầy đường " * 2
    )  # > 72 bytes: bcrypt would cut it
    started = time.perf_counter()
    stored = passwords.hash_password(long)
    assert stored.startswith("$argon2id$") and long not in stored
    assert passwords.verify_password(stored, long)
    assert time.perf_counter() - started < 1.0
    assert not passwords.verify_password(stored, long[:72] + "khác hẳn")
    assert passwords.verify_password(stored, unicodedata.normalize("NFD", long))  # typed on a Mac
    assert not passwords.verify_password(None, long)


def test_weak_passwords_and_bad_scopes_are_refused_in_vietnamese(accounts) -> None:
    with pytest.raises(AccountError, match="ít nhất 10 ký tự"):
        users.create_user("a", "ngắn", Role.ADMIN, by="t")
    with pytest.raises(AccountError, match="cần --unit"):
        users.create_user("b", PASSWORD, Role.UNIT_STAFF, HY, by="t")
    with pytest.raises(AccountError, match="Không có tỉnh"):
        users.create_user("c", PASSWORD, Role.LEADER, "Hà Tây cũ", by="t")
    user = users.create_user("d", PASSWORD, Role.UNIT_STAFF, "Thái Bình", NGV, by="t")
    assert (user.province, user.unit) == (HY, NGV)  # stored as the current province


def test_session_lives_until_idle_or_absolute_expiry(accounts) -> None:
    users.create_user("lan", PASSWORD, Role.LEADER, HY, by="t")
    policy = sessions.Policy(idle=timedelta(minutes=30), absolute=timedelta(hours=2), max_failures=3,
                             lock=timedelta(minutes=15))  # fmt: skip
    start = audit.now_utc()
    user, token = sessions.login("LAN", PASSWORD, now=start, policy=policy)
    assert sessions.session_user(token, now=start + timedelta(minutes=29), policy=policy) == user
    assert sessions.session_user(token, now=start + timedelta(minutes=29 + 30), policy=policy) is None  # idle
    _, token = sessions.login("lan", PASSWORD, now=start, policy=policy)
    for minutes in range(20, 120, 20):  # active every 20 minutes...
        assert sessions.session_user(token, now=start + timedelta(minutes=minutes), policy=policy) is not None
    assert (
        sessions.session_user(token, now=start + timedelta(minutes=121), policy=policy) is None
    )  # ...still ends
    stored = "\n".join(map(str, accounts.execute("SELECT * FROM sessions").fetchall()))
    assert token not in stored  # only the token's hash is kept


def test_logout_revocation_disable_and_role_change_end_sessions_at_once(accounts) -> None:
    users.create_user("lan", PASSWORD, Role.LEADER, HY, by="t")
    tokens = [sessions.login("lan", PASSWORD)[1] for _ in range(4)]
    sessions.logout(tokens[0])
    assert sessions.session_user(tokens[0]) is None and sessions.session_user(tokens[1]) is not None
    assert users.revoke_sessions("lan", by="t") == 3
    assert all(sessions.session_user(t) is None for t in tokens)
    token = sessions.login("lan", PASSWORD)[1]
    users.set_role("lan", Role.PROVINCE_STAFF, HY, by="t")
    assert sessions.session_user(token) is None
    token = sessions.login("lan", PASSWORD)[1]
    users.disable_user("lan", by="t")
    assert sessions.session_user(token) is None
    with pytest.raises(sessions.LoginRefused, match="không đúng"):
        sessions.login("lan", PASSWORD)


def test_failed_logins_are_throttled(accounts) -> None:
    users.create_user("lan", PASSWORD, Role.LEADER, HY, by="t")
    start = audit.now_utc()
    for _ in range(3):
        with pytest.raises(sessions.LoginRefused, match="Tên đăng nhập hoặc mật khẩu không đúng"):
            sessions.login("lan", "sai mật khẩu rồi", now=start)
    with pytest.raises(sessions.LoginRefused, match="sai quá nhiều lần. Hãy thử lại sau 15 phút"):
        sessions.login("lan", PASSWORD, now=start + timedelta(minutes=1))  # even the right password
    user, _ = sessions.login("lan", PASSWORD, now=start + timedelta(minutes=16))
    assert user.username == "lan"


def _at_once(*calls) -> list[object]:
    """Run the calls together, one thread (and so one connection, like another instance) each; what
    each returned or raised."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - the refusal is the result looked at
            return exc
        finally:
            close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_wrong_passwords_sent_at_once_are_counted_one_after_another(accounts) -> None:
    users.create_user("lan", PASSWORD, Role.LEADER, HY, by="t")
    guesses = [lambda i=i: sessions.login("lan", f"đoán sai lần {i}", f"10.0.0.{i}") for i in range(8)]
    refusals = _at_once(*guesses)
    assert all(isinstance(r, sessions.LoginRefused) for r in refusals)
    results = Counter(r["result"] for r in audit.search(audit.AuditQuery(action="login"), accounts))
    assert results == {"failed": 3, "throttled": 5}  # TTDN_LOGIN_MAX_FAILURES=3 passwords tried, no more
    with pytest.raises(sessions.LoginRefused, match="sai quá nhiều lần"):
        sessions.login("lan", PASSWORD)


def test_two_admins_demoting_each_other_at_once_leave_one_admin(accounts) -> None:
    users.create_user("qt1", PASSWORD, Role.ADMIN, by="t")
    users.create_user("qt2", PASSWORD, Role.ADMIN, by="t")
    outcomes = _at_once(
        lambda: users.set_role("qt1", Role.LEADER, by="qt2"),
        lambda: users.set_role("qt2", Role.LEADER, by="qt1"),
    )
    refused = [o for o in outcomes if isinstance(o, AccountError)]
    assert len(refused) == 1 and "quản trị cuối cùng" in str(refused[0])
    assert [u["role"] for u in users.list_users()].count(str(Role.ADMIN)) == 1


def test_one_time_password_must_be_changed(accounts) -> None:
    users.create_user("lan", PASSWORD, Role.LEADER, HY, by="t")
    one_time = users.reset_password("lan", by="qt")
    with pytest.raises(sessions.LoginRefused):
        sessions.login("lan", PASSWORD)
    user, token = sessions.login("lan", one_time)
    assert user.must_change and sessions.session_user(token).must_change
    users.change_password(user, "Mật khẩu mới của tôi")
    assert not sessions.session_user(token).must_change


def test_every_account_event_writes_an_audit_row(accounts) -> None:
    users.create_user("lan", PASSWORD, Role.LEADER, HY, by="qt")
    user, token = sessions.login("lan", PASSWORD, "10.0.0.7")
    with pytest.raises(sessions.LoginRefused):
        sessions.login("lan", "sai", "10.0.0.7")
    users.change_password(user, "Mật khẩu mới của tôi")
    users.set_role("lan", Role.PROVINCE_STAFF, HY, by="qt")
    users.reset_password("lan", by="qt")
    users.revoke_sessions("lan", by="qt")
    sessions.logout(sessions.login("lan", users.reset_password("lan", by="qt"))[1])
    users.disable_user("lan", by="qt")
    assert _actions(accounts) == [
        ("user_create", "ok"), ("login", "ok"), ("login", "failed"), ("password_change", "ok"),
        ("role_change", "ok"), ("password_reset", "ok"), ("sessions_revoke", "ok"), ("password_reset", "ok"),
        ("login", "ok"), ("logout", "ok"), ("user_disable", "ok"),
    ]  # fmt: skip
    row = audit.search(audit.AuditQuery(action="login", result="ok"), accounts)[-1]  # the first login
    assert (row["username"], row["role"], row["scope"], row["address"]) == ("lan", "lanh_dao", HY, "10.0.0.7")
    assert len(row["session"]) == 12
    change = audit.search(audit.AuditQuery(action="role_change"), accounts)[0]
    assert (
        '"before": {"role": "lanh_dao"' in change["details"]
        and '"after": {"role": "chuyen_vien_tinh"' in change["details"]
    )


def test_audit_is_append_only_and_exports_inert_csv(accounts) -> None:
    audit.record(Event.LOGIN, "failed", username='=HYPERLINK("http://x")', conn=accounts)
    for statement in ("UPDATE audit SET result = 'ok'", "DELETE FROM audit"):
        with pytest.raises((sqlite3.IntegrityError, psycopg.IntegrityError), match="append-only"):
            accounts.execute(statement)
    assert [(r["username"], r["result"]) for r in audit.search(audit.AuditQuery(), accounts)] == [
        ('=HYPERLINK("http://x")', "failed")
    ]
    text = audit.to_csv(audit.search(audit.AuditQuery(), accounts))
    assert text.splitlines()[0] == ",".join(audit.COLUMNS)
    assert ",\"'=HYPERLINK" in text  # quoted, starting with an apostrophe: text in a spreadsheet


def test_the_last_admin_cannot_be_demoted_or_disabled(accounts) -> None:
    users.create_user("qt", PASSWORD, Role.ADMIN, by="t")
    with pytest.raises(AccountError, match="quản trị cuối cùng"):
        users.set_role("qt", Role.LEADER, by="t")
    with pytest.raises(AccountError, match="quản trị cuối cùng"):
        users.disable_user("qt", by="t")
    users.create_user("qt2", PASSWORD, Role.ADMIN, by="t")
    users.disable_user("qt", by="t")
    assert [u["disabled"] for u in users.list_users()] == [1, 0]
