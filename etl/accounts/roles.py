"""Roles, scope and the one function that decides what a user may do: ``can``.

A user's province is a current (post-2025) province name; ``None`` means national. A check's
province is the current province of the thing acted on (``None``: every province), its unit the
canonical unit name (``None``: any unit of that province).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from etl.errors import AccountError
from etl.vocab.provinces import resolve_province
from etl.vocab.text import key


class Role(StrEnum):
    ADMIN = "admin"
    LEADER = "lanh_dao"
    PROVINCE_STAFF = "chuyen_vien_tinh"
    UNIT_STAFF = "chuyen_vien_don_vi"
    GUEST = "khach"  # anonymous read-only viewer (TTDN_ANONYMOUS), never stored


ROLE_LABELS = {
    Role.ADMIN: "Quản trị",
    Role.LEADER: "Lãnh đạo",
    Role.PROVINCE_STAFF: "Chuyên viên tỉnh",
    Role.UNIT_STAFF: "Chuyên viên đơn vị",
    Role.GUEST: "Khách (chỉ xem dữ liệu mẫu)",
}


class Action(StrEnum):
    VIEW = "view"
    UPLOAD = "upload"  # load a unit's report (and withdraw or restore it)
    MANAGE_PLANS = "manage_plans"  # import, edit a plan; download its templates
    MANAGE_UNITS = "manage_units"  # the unit directory and its aliases
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"


@dataclass(frozen=True)
class User:
    username: str
    role: Role
    province: str | None = None
    unit: str | None = None
    display_name: str = ""
    user_id: int | None = None
    must_change: bool = False
    session: str | None = None  # short id of the session (for the audit trail)

    @property
    def national(self) -> bool:
        """Sees every province."""
        return self.role in (Role.ADMIN, Role.GUEST) or (self.role is Role.LEADER and self.province is None)

    @property
    def scope_province(self) -> str | None:
        """The province every query of this user is clamped to (None: national)."""
        return None if self.national else self.province

    @property
    def scope_text(self) -> str:
        """ "Hưng Yên / Sở Ngoại vụ", "toàn quốc"."""
        if self.national:
            return "toàn quốc"
        return f"{self.province} / {self.unit}" if self.role is Role.UNIT_STAFF else str(self.province)


GUEST = User("khach", Role.GUEST, display_name="Khách")

_PROVINCE_ROLE_ACTIONS = {
    Role.LEADER: {Action.VIEW},
    Role.PROVINCE_STAFF: {Action.VIEW, Action.UPLOAD, Action.MANAGE_PLANS, Action.MANAGE_UNITS},
    Role.UNIT_STAFF: {Action.VIEW, Action.UPLOAD},
}


def same_unit(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and key(a) == key(b)


def same_province(a: str | None, b: str | None) -> bool:
    """Both name the same current province (an old name counts as its current province)."""
    if a is None or b is None:
        return False
    pa, pb = resolve_province(a), resolve_province(b)
    return key(pa.name if pa else a) == key(pb.name if pb else b)


def can(user: User | None, action: Action, province: str | None = None, unit: str | None = None) -> bool:
    """Whether ``user`` may do ``action`` on ``province`` (None: all provinces) and ``unit``."""
    if user is None:
        return False
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.GUEST:
        return action is Action.VIEW
    if action not in _PROVINCE_ROLE_ACTIONS.get(user.role, set()):
        return False
    if user.role is Role.LEADER and user.province is None:
        return True  # a national leader views everything
    if not same_province(user.province, province):
        return False
    if user.role is Role.UNIT_STAFF and action is Action.UPLOAD:
        return same_unit(user.unit, unit)
    return True


def parse_role(text: str) -> Role:
    """A role from its code or its Vietnamese name ("lãnh đạo", "chuyen_vien_tinh")."""
    wanted = key(text).replace(" ", "_")
    for role in Role:
        if role is not Role.GUEST and wanted in (role.value, key(ROLE_LABELS[role]).replace(" ", "_")):
            return role
    names = ", ".join(f"'{r.value}' ({ROLE_LABELS[r]})" for r in Role if r is not Role.GUEST)
    raise AccountError(f"Vai trò '{text}' không có. Chọn một trong: {names}.")


def check_scope(role: Role, province: str | None, unit: str | None) -> tuple[str | None, str | None]:
    """The (current province, unit) a role needs, normalised; ``AccountError`` when missing or wrong."""
    if province is not None:
        found = resolve_province(province)
        if found is None:
            raise AccountError(f"Không có tỉnh, thành phố '{province}'. Ghi tên tỉnh như 'Hưng Yên', 'Huế'.")
        province = found.name
    if role in (Role.PROVINCE_STAFF, Role.UNIT_STAFF) and province is None:
        raise AccountError(f"Vai trò {ROLE_LABELS[role]} cần --province (tỉnh của người dùng).")
    if role is Role.UNIT_STAFF and not unit:
        raise AccountError("Vai trò Chuyên viên đơn vị cần --unit (tên đơn vị như trong danh mục).")
    if role is Role.ADMIN:
        return None, None
    return province, unit if role is Role.UNIT_STAFF else None
