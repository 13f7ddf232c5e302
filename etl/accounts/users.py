"""Accounts: create, change role, reset password (a one-time password), disable, list.

Each change is audited by the caller's name (``by``: the admin's user name, or "cli:<os user>").
"""

from __future__ import annotations

import secrets
from datetime import datetime

from etl.accounts import audit
from etl.accounts.audit import Event
from etl.accounts.passwords import check_strength, hash_password
from etl.accounts.roles import ROLE_LABELS, Role, User, check_scope
from etl.accounts.store import Connection, Row, connect, is_postgres, transaction
from etl.errors import AccountError


def _now() -> str:
    return audit.now_utc().isoformat(timespec="seconds")


def user_from_row(row: Row, session: str | None = None) -> User:
    return User(
        username=row["username"], role=Role(row["role"]), province=row["province"], unit=row["unit"],
        display_name=row["display_name"], user_id=row["user_id"], must_change=bool(row["must_change"]),
        session=session,
    )  # fmt: skip


def find_row(username: str, conn: Connection | None = None, *, for_update: bool = False) -> Row | None:
    """The user's row; ``for_update`` (inside a transaction): locked until it ends, in PostgreSQL (SQLite's
    transactions lock the whole file already)."""
    conn = conn or connect()
    lock = " FOR UPDATE" if for_update and is_postgres(conn) else ""
    return conn.execute(
        f"SELECT * FROM users WHERE username = ?{lock}", [username.strip().lower()]
    ).fetchone()


def _row_or_error(username: str, conn: Connection) -> Row:
    row = find_row(username, conn)
    if row is None:
        raise AccountError(f"Không có tài khoản '{username}'. Xem danh sách: python -m etl users list.")
    return row


def create_user(
    username: str, password: str, role: Role, province: str | None = None, unit: str | None = None,
    *, display_name: str = "", by: str, must_change: bool = False, conn: Connection | None = None,
) -> User:  # fmt: skip
    """A new account; ``AccountError`` when the name is taken, the password weak or the scope wrong."""
    conn = conn or connect()
    name = username.strip().lower()
    if (
        not name
        or not name.replace(".", "").replace("_", "").replace("-", "").isalnum()
        or not name.isascii()
    ):
        raise AccountError("Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch dưới, gạch ngang.")
    check_strength(password)
    province, unit = check_scope(role, province, unit)
    with transaction(conn):
        if find_row(name, conn) is not None:
            raise AccountError(f"Tài khoản '{name}' đã có.")
        conn.execute(
            """INSERT INTO users (username, display_name, role, province, unit, password_hash, must_change,
               created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                name,
                display_name,
                str(role),
                province,
                unit,
                hash_password(password),
                int(must_change),
                _now(),
                _now(),
            ],
        )
        audit.record(Event.USER_CREATE, username=by, object=name, province=province, unit=unit,
                     details={"role": str(role)}, conn=conn)  # fmt: skip
    return user_from_row(find_row(name, conn))


def _keep_an_admin(conn: Connection, row: Row) -> None:
    """Refuse to demote or disable the last active admin (nobody could manage accounts afterwards)."""
    if row["role"] != str(Role.ADMIN) or row["disabled"]:
        return
    (admins,) = conn.execute(
        "SELECT count(*) FROM users WHERE role = ? AND disabled = 0", [str(Role.ADMIN)]
    ).fetchone()
    if admins <= 1:
        raise AccountError(f"'{row['username']}' là quản trị cuối cùng: hãy tạo quản trị khác trước.")


def set_role(
    username: str, role: Role, province: str | None = None, unit: str | None = None, *, by: str,
    conn: Connection | None = None,
) -> User:  # fmt: skip
    """Change a user's role and scope (before/after audited); their sessions are revoked."""
    conn = conn or connect()
    province, unit = check_scope(role, province, unit)
    with transaction(conn):
        row = _row_or_error(username, conn)
        if role is not Role.ADMIN:
            _keep_an_admin(conn, row)
        before = {"role": row["role"], "province": row["province"], "unit": row["unit"]}
        conn.execute("UPDATE users SET role = ?, province = ?, unit = ?, updated_at = ? WHERE user_id = ?",
                     [str(role), province, unit, _now(), row["user_id"]])  # fmt: skip
        _revoke(conn, row["user_id"])
        audit.record(Event.ROLE_CHANGE, username=by, object=row["username"], province=province, unit=unit,
                     details={"before": before, "after": {"role": str(role), "province": province, "unit": unit}},
                     conn=conn)  # fmt: skip
    return user_from_row(find_row(username, conn))


def one_time_password() -> str:
    """ "3f9a1c-77d0e2-b41c09": 72 random bits, easy to read out over the phone."""
    return "-".join(secrets.token_hex(3) for _ in range(3))


def reset_password(username: str, *, by: str, conn: Connection | None = None) -> str:
    """Give the user a one-time password (returned), to be changed at the next login; sessions revoked."""
    conn = conn or connect()
    one_time = one_time_password()
    with transaction(conn):
        row = _row_or_error(username, conn)
        conn.execute("UPDATE users SET password_hash = ?, must_change = 1, updated_at = ? WHERE user_id = ?",
                     [hash_password(one_time), _now(), row["user_id"]])  # fmt: skip
        _revoke(conn, row["user_id"])
        audit.record(Event.PASSWORD_RESET, username=by, object=row["username"], conn=conn)
    return one_time


def change_password(user: User, new_password: str, *, address: str | None = None,
                    conn: Connection | None = None) -> None:  # fmt: skip
    """The user sets a new password (clears the one-time flag); their other sessions are revoked."""
    conn = conn or connect()
    check_strength(new_password)
    with transaction(conn):
        conn.execute("UPDATE users SET password_hash = ?, must_change = 0, updated_at = ? WHERE user_id = ?",
                     [hash_password(new_password), _now(), user.user_id])  # fmt: skip
        conn.execute(
            "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND substr(token_hash, 1, 12) != ?",
            [_now(), user.user_id, user.session or ""],
        )
        audit.record(Event.PASSWORD_CHANGE, user=user, address=address, object=user.username, conn=conn)


def disable_user(username: str, *, by: str, conn: Connection | None = None) -> None:
    conn = conn or connect()
    with transaction(conn):
        row = _row_or_error(username, conn)
        _keep_an_admin(conn, row)
        conn.execute(
            "UPDATE users SET disabled = 1, updated_at = ? WHERE user_id = ?", [_now(), row["user_id"]]
        )
        _revoke(conn, row["user_id"])
        audit.record(Event.USER_DISABLE, username=by, object=row["username"], conn=conn)


def revoke_sessions(username: str, *, by: str, conn: Connection | None = None) -> int:
    """End every open session of the user at once; returns how many."""
    conn = conn or connect()
    with transaction(conn):
        row = _row_or_error(username, conn)
        n = _revoke(conn, row["user_id"])
        audit.record(
            Event.SESSIONS_REVOKE, username=by, object=row["username"], details={"sessions": n}, conn=conn
        )
    return n


def _revoke(conn: Connection, user_id: int) -> int:
    return conn.execute(
        "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", [_now(), user_id]
    ).rowcount


def list_users(conn: Connection | None = None) -> list[dict]:
    rows = (conn or connect()).execute(
        "SELECT username, display_name, role, province, unit, must_change, disabled, created_at FROM users ORDER BY username"
    )
    return [{**dict(r), "role_label": ROLE_LABELS[Role(r["role"])]} for r in rows]


def parse_time(text: str) -> datetime:
    """ "2026-01-31" or "2026-01-31T08:00" (UTC), for ``audit --since``."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise AccountError(f"Thời điểm '{text}' không đúng dạng YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM.") from exc
    return value if value.tzinfo else value.replace(tzinfo=audit.UTC)
