"""The audit trail: one append-only row per event (who, in what role and scope, from where, did
what to which object, with what result), read back filtered and written out as CSV."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from etl.accounts.roles import User
from etl.accounts.store import Connection, connect


class Event(StrEnum):
    LOGIN = "login"  # result: ok | failed | throttled
    LOGOUT = "logout"
    PASSWORD_CHANGE = "password_change"
    PASSWORD_RESET = "password_reset"
    USER_CREATE = "user_create"
    ROLE_CHANGE = "role_change"
    USER_DISABLE = "user_disable"
    SESSIONS_REVOKE = "sessions_revoke"
    UPLOAD_PREVIEW = "upload_preview"
    UPLOAD_CONFIRM = "upload_confirm"
    UPLOAD_REFUSE = "upload_refuse"
    REPORT_WITHDRAW = "report_withdraw"
    REPORT_RESTORE = "report_restore"
    PLAN_IMPORT = "plan_import"
    PLAN_EDIT = "plan_edit"
    UNIT_ALIAS_EDIT = "unit_alias_edit"
    TEMPLATE_DOWNLOAD = "template_download"
    EXPORT_DOWNLOAD = "export_download"
    ACCESS_DENIED = "access_denied"


EVENT_LABELS = {
    Event.LOGIN: "Đăng nhập", Event.LOGOUT: "Đăng xuất", Event.PASSWORD_CHANGE: "Đổi mật khẩu",
    Event.PASSWORD_RESET: "Cấp lại mật khẩu", Event.USER_CREATE: "Tạo tài khoản", Event.ROLE_CHANGE: "Đổi vai trò",
    Event.USER_DISABLE: "Khóa tài khoản", Event.SESSIONS_REVOKE: "Thu hồi phiên",
    Event.UPLOAD_PREVIEW: "Xem trước tệp tải lên", Event.UPLOAD_CONFIRM: "Nạp báo cáo",
    Event.UPLOAD_REFUSE: "Từ chối nạp báo cáo", Event.REPORT_WITHDRAW: "Rút báo cáo",
    Event.REPORT_RESTORE: "Khôi phục báo cáo", Event.PLAN_IMPORT: "Nhập kế hoạch", Event.PLAN_EDIT: "Sửa kế hoạch",
    Event.UNIT_ALIAS_EDIT: "Sửa tên gọi đơn vị", Event.TEMPLATE_DOWNLOAD: "Tải biểu mẫu",
    Event.EXPORT_DOWNLOAD: "Tải dữ liệu xuất", Event.ACCESS_DENIED: "Bị từ chối truy cập",
}  # fmt: skip
COLUMNS = ("at", "username", "role", "scope", "session", "address", "action", "object", "province", "unit",
           "result", "details")  # fmt: skip


def now_utc() -> datetime:
    return datetime.now(UTC)


def record(
    action: Event,
    result: str = "ok",
    *,
    user: User | None = None,
    username: str | None = None,
    address: str | None = None,
    object: str | None = None,  # noqa: A002 - the audit column's name
    province: str | None = None,
    unit: str | None = None,
    details: dict | None = None,
    at: datetime | None = None,
    conn: Connection | None = None,
) -> None:
    """Append one audit row (``user`` gives name, role, scope and session; ``username`` when there is
    no user yet, as for a failed login)."""
    (conn or connect()).execute(
        f"INSERT INTO audit ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
        [
            (at or now_utc()).isoformat(timespec="seconds"),
            user.username if user else username,
            str(user.role) if user else None,
            user.scope_text if user else None,
            user.session if user else None,
            address,
            str(action),
            object,
            province,
            unit,
            result,
            json.dumps(details, ensure_ascii=False, default=str) if details else None,
        ],
    )


@dataclass(frozen=True)
class AuditQuery:
    since: datetime | None = None
    until: datetime | None = None
    username: str | None = None
    action: str | None = None
    result: str | None = None
    province: str | None = None
    limit: int = 10_000


def search(q: AuditQuery, conn: Connection | None = None) -> list[dict]:
    """Audit rows matching ``q``, newest first."""
    conds, params = ["1 = 1"], []
    for column, op, value in (("at", ">=", q.since), ("at", "<", q.until), ("username", "=", q.username),
                              ("action", "=", q.action), ("result", "=", q.result), ("province", "=", q.province)):  # fmt: skip
        if value is not None:
            conds.append(f"{column} {op} ?")
            params.append(value.isoformat(timespec="seconds") if isinstance(value, datetime) else value)
    rows = (conn or connect()).execute(
        f"SELECT {', '.join(COLUMNS)} FROM audit WHERE {' AND '.join(conds)} ORDER BY audit_id DESC LIMIT ?",
        [*params, int(q.limit)],
    )
    return [dict(r) for r in rows]


def to_csv(rows: list[dict]) -> str:
    """CSV text of audit rows (no cell starts with a formula character: a spreadsheet shows it as text)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _inert("" if row.get(k) is None else str(row[k])) for k in COLUMNS})
    return out.getvalue()


def _inert(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
