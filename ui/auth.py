"""The viewer in a Streamlit run: read the session cookie on every rerun, the user box, audit events.

``st.context.cookies`` holds the cookies of the page's request; every rerun checks the session
again (``etl.accounts.sessions.session_user``), so a logout or a revocation takes effect at the
next click. Tests (AppTest) log in by putting a ``User`` under ``TEST_USER_KEY`` in session state:
a browser can only send JSON values, never a ``User`` object.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode, urlsplit

import streamlit as st

from display.format import md_escape
from etl.accounts import audit, sessions
from etl.accounts.audit import Event
from etl.accounts.roles import ROLE_LABELS, Role, User
from ui.access import viewer
from ui.web import forwarded_address

USER_KEY = "_ttdn_user"  # the viewer resolved in this run (app.py), read by filters and pages
TEST_USER_KEY = "_ttdn_test_user"


def resolve_user() -> User | None:
    """This run's viewer (a user, the anonymous guest, or None: login needed); kept for ``current_user``."""
    injected = st.session_state.get(TEST_USER_KEY)
    if isinstance(injected, User):
        user = injected
    else:
        user = viewer(sessions.session_user(st.context.cookies.get(sessions.COOKIE)))
    st.session_state[USER_KEY] = user
    return user


def current_user() -> User | None:
    value = st.session_state.get(USER_KEY)
    return value if isinstance(value, User) else None


def address() -> str | None:
    """The viewer's address, behind trusted proxies the one they forward (None on this machine, or
    with no request: AppTest)."""
    value = st.context.ip_address
    peer = value if isinstance(value, str) else "127.0.0.1"  # Streamlit says None for loopback
    forwarded = st.context.headers.get("X-Forwarded-For")
    found = forwarded_address(peer, forwarded)
    return None if found in ("127.0.0.1", "::1") else found


def record(action: Event, result: str = "ok", **fields) -> None:
    """An audit row for the current user (fields: object, province, unit, details)."""
    audit.record(action, result, user=current_user(), address=address(), **fields)


def _here() -> str:
    """This page's path and filters, to come back to after the login."""
    url = st.context.url
    path = urlsplit(url).path or "/" if isinstance(url, str) else "/"
    params = st.query_params.to_dict()
    return path + (f"?{urlencode(params)}" if params else "")


def _go(url: str) -> None:
    """Send the browser to ``url`` (a path of this site), replacing this page in the history."""
    literal = json.dumps(url).replace("<", "\\u003c")  # a JS string that cannot close the script
    st.html(f"<script>window.top.location.replace({literal})</script>", unsafe_allow_javascript=True)


def login_page() -> None:
    """Shown when nobody is logged in: off to the login form (or, for a one-time password, to the
    password change), back here afterwards."""
    pending = sessions.session_user(st.context.cookies.get(sessions.COOKIE))
    form = "password" if pending is not None and pending.must_change else "login"
    target = f"/auth/{form}?next={quote(_here())}"
    st.title("Cần đăng nhập")
    st.write("Trang này chỉ dành cho người dùng đã đăng nhập.")
    st.link_button("Đăng nhập", target, type="primary")
    _go(target)


def _logout() -> None:
    sessions.logout(st.context.cookies.get(sessions.COOKIE), address())
    st.session_state["_ttdn_logged_out"] = True


def logged_out_page() -> None:
    st.title("Bạn đã đăng xuất")
    st.link_button("Đăng nhập lại", "/auth/login", type="primary")
    _go("/auth/logout")


def user_box(user: User) -> None:
    """Who is logged in, in which role and scope; change password, log out (in this tab)."""
    with st.sidebar:
        if user.role is Role.GUEST:
            st.caption("Đang xem không đăng nhập (chỉ xem).")
            if st.button("Đăng nhập", icon=":material/login:", key="ttdn_login"):
                _go(f"/auth/login?next={quote(_here())}")
            return
        st.caption(
            md_escape(f"{user.display_name or user.username} · {ROLE_LABELS[user.role]} · {user.scope_text}")
        )
        col1, col2 = st.columns(2)
        if col1.button("Mật khẩu", icon=":material/key:", key="ttdn_password", help="Đổi mật khẩu"):
            _go(f"/auth/password?next={quote(_here())}")
        col2.button("Đăng xuất", on_click=_logout, icon=":material/logout:", key="ttdn_logout")


def gate() -> User:
    """This run's viewer; when there is none (or the user just logged out), show the login (or
    logout) page as the only page and stop the run."""
    logged_out = st.session_state.pop("_ttdn_logged_out", False)
    user = None if logged_out else resolve_user()
    if user is None:
        shown = logged_out_page if logged_out else login_page
        st.navigation([st.Page(shown, title="Đăng nhập", url_path="dang-nhap")], position="hidden").run()
        st.stop()
    return user
