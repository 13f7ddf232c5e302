"""Logging in and out: server-side sessions with idle and absolute expiry, throttled failures.

The browser holds a random token (in an HttpOnly, SameSite cookie); the database holds only its
SHA-256, so a copy of the accounts file opens no session. Every check re-reads the session row:
a logout, a revocation or a disabled account ends the session at the very next rerun.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from etl import settings
from etl.accounts import audit
from etl.accounts.audit import Event
from etl.accounts.passwords import hash_password, needs_rehash, verify_password
from etl.accounts.roles import User
from etl.accounts.store import Connection, connect, transaction
from etl.accounts.users import find_row, user_from_row

COOKIE = "ttdn_session"
TOUCH_EVERY = timedelta(seconds=30)  # last_seen is written at most this often per session
ADDRESS_FACTOR = 4  # an address (an office behind one NAT) may fail this many times more than one name


class LoginRefused(Exception):
    """The login failed; the message is what the login form shows (Vietnamese)."""


@dataclass(frozen=True)
class Policy:
    idle: timedelta
    absolute: timedelta
    max_failures: int
    lock: timedelta

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(
            idle=timedelta(minutes=settings.number("TTDN_SESSION_IDLE_MIN")),
            absolute=timedelta(hours=settings.number("TTDN_SESSION_MAX_HOURS")),
            max_failures=int(settings.number("TTDN_LOGIN_MAX_FAILURES")),
            lock=timedelta(minutes=settings.number("TTDN_LOGIN_LOCK_MIN")),
        )


WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


def _failures(conn: Connection, column: str, value: str, since: datetime) -> int:
    """Failed logins by this name (or from this address) since ``since`` and since its last success."""
    (last_ok,) = conn.execute(
        f"SELECT max(at) FROM audit WHERE action = ? AND result = 'ok' AND {column} = ?",
        [str(Event.LOGIN), value],
    ).fetchone()
    start = max(_iso(since), last_ok or "")
    return conn.execute(
        f"SELECT count(*) FROM audit WHERE action = ? AND result = 'failed' AND {column} = ? AND at > ?",
        [str(Event.LOGIN), value, start],
    ).fetchone()[0]


def throttled(conn: Connection, username: str, address: str | None, now: datetime, policy: Policy) -> bool:
    since = now - policy.lock
    if _failures(conn, "username", username, since) >= policy.max_failures:
        return True
    return (
        address is not None
        and _failures(conn, "address", address, since) >= policy.max_failures * ADDRESS_FACTOR
    )


def login(
    username: str, password: str, address: str | None = None, *, now: datetime | None = None,
    policy: Policy | None = None, conn: Connection | None = None,
) -> tuple[User, str]:  # fmt: skip
    """Check the password and open a session: (the user, the cookie's token). ``LoginRefused`` says why not.

    After ``max_failures`` failed logins for a name (within ``lock``) the password is not even
    checked until ``lock`` has passed. The count, the check and the failure's audit row are one
    transaction holding the name's lock, so guesses sent at once are counted one after another
    (in every instance sharing the store) and no more than ``max_failures`` passwords are tried.
    """
    conn, now, policy = conn or connect(), now or audit.now_utc(), policy or Policy.from_settings()
    name = username.strip().lower()
    with transaction(conn, name=name):
        outcome = _attempt(conn, name, password, address, now, policy)
    if isinstance(outcome, LoginRefused):
        raise outcome  # raised after the commit: the refusal's audit row is kept
    return outcome


def _attempt(
    conn: Connection, name: str, password: str, address: str | None, now: datetime, policy: Policy
) -> tuple[User, str] | LoginRefused:
    if throttled(conn, name, address, now, policy):
        audit.record(Event.LOGIN, "throttled", username=name, address=address, at=now, conn=conn)
        minutes = int(policy.lock.total_seconds() // 60)
        return LoginRefused(f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {minutes} phút.")
    row = find_row(name, conn, for_update=True)  # a reset or a disable waits for this login, or it for them
    if not verify_password(row["password_hash"] if row else None, password) or row["disabled"]:
        audit.record(Event.LOGIN, "failed", username=name, address=address, at=now, conn=conn,
                     details={"reason": "disabled" if row and row["disabled"] else "wrong"})  # fmt: skip
        return LoginRefused(WRONG)
    token = secrets.token_urlsafe(32)
    digest = token_hash(token)
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at, address) VALUES (?, ?, ?, ?, ?, ?)",
        [digest, row["user_id"], _iso(now), _iso(now), _iso(now + policy.absolute), address],
    )
    if needs_rehash(row["password_hash"]):
        conn.execute(
            "UPDATE users SET password_hash = ? WHERE user_id = ?", [hash_password(password), row["user_id"]]
        )
    user = user_from_row(row, session=digest[:12])
    audit.record(Event.LOGIN, user=user, address=address, at=now, conn=conn)
    return user, token


def session_user(
    token: str | None, *, now: datetime | None = None, policy: Policy | None = None,
    conn: Connection | None = None,
) -> User | None:  # fmt: skip
    """The user of a live session, or None (no such token, logged out, revoked, expired, disabled)."""
    if not token or not isinstance(token, str):
        return None
    conn, now, policy = conn or connect(), now or audit.now_utc(), policy or Policy.from_settings()
    digest = token_hash(token)
    row = conn.execute(
        """SELECT s.last_seen, s.expires_at, s.revoked_at, u.* FROM sessions s JOIN users u USING (user_id)
           WHERE s.token_hash = ?""",
        [digest],
    ).fetchone()
    if row is None or row["revoked_at"] or row["disabled"]:
        return None
    last_seen = datetime.fromisoformat(row["last_seen"])
    if now >= datetime.fromisoformat(row["expires_at"]) or now - last_seen >= policy.idle:
        return None
    if now - last_seen >= TOUCH_EVERY:
        conn.execute(  # never backwards: another instance may have touched it since, with a later time
            "UPDATE sessions SET last_seen = ? WHERE token_hash = ? AND last_seen < ?",
            [_iso(now), digest, _iso(now)],
        )
    return user_from_row(row, session=digest[:12])


def logout(token: str | None, address: str | None = None, *, conn: Connection | None = None) -> User | None:
    """Revoke the session at once (audited); returns whose it was."""
    if not token:
        return None
    conn = conn or connect()
    user = session_user(token, conn=conn)
    conn.execute(
        "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
        [_iso(audit.now_utc()), token_hash(token)],
    )
    if user is not None:
        audit.record(Event.LOGOUT, user=user, address=address, conn=conn)
    return user
