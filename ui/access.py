"""Who may open which page, and who the viewer is when nobody logged in (no Streamlit here: the
login routes' middleware in ``ui/web.py`` uses it as well as the pages).

A page needs one action (``PAGE_ACTIONS``, viewing by default); a user may open it when ``can``
allows that action in the user's own scope. Anonymous viewing (``TTDN_ANONYMOUS``): ``on``, ``off``,
or ``demo`` — allowed while every report in the database was loaded by the demo loader.
"""

from __future__ import annotations

from etl import settings
from etl.accounts.roles import GUEST, Action, User, can
from queries import submissions
from ui.state import database, query

PAGE_ACTIONS = {
    "Tai_bao_cao": Action.UPLOAD,
    "Ke_hoach": Action.MANAGE_PLANS,
    "Nhat_ky": Action.VIEW_AUDIT,
    "Danh_muc_don_vi": Action.MANAGE_UNITS,
}


def _address_key(url_path: str) -> str:
    """One key for both addresses of a page: "Tai_bao_cao" and the older "tai-bao-cao"."""
    return url_path.lower().replace("_", "-")


_ACTION_OF = {_address_key(path): action for path, action in PAGE_ACTIONS.items()}


def page_allowed(user: User | None, url_path: str) -> bool:
    """Whether ``user`` may open the page at ``url_path`` (its action, in the user's own scope)."""
    action = _ACTION_OF.get(_address_key(url_path), Action.VIEW)
    if user is None:
        return False
    return can(user, action, user.scope_province, user.unit)


def anonymous_allowed() -> bool:
    mode = settings.get("TTDN_ANONYMOUS").strip().lower()
    if mode == "on":
        return True
    if mode != "demo":
        return False
    return not database().exists() or query(submissions.only_demo_reports)


def viewer(user: User | None) -> User | None:
    """The logged-in user; else the anonymous guest when anonymous viewing is allowed; else None.

    A user who must change a one-time password is nobody until they have changed it.
    """
    if user is not None and not user.must_change:
        return user
    return GUEST if user is None and anonymous_allowed() else None
