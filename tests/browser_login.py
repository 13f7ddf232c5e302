"""Browser tests log in the way a browser does: with the session cookie of a real session, opened
in the accounts file beside the test database (the server under test reads the same file)."""

from __future__ import annotations

from pathlib import Path

from etl.accounts import sessions, users
from etl.accounts.roles import Role
from etl.accounts.store import connect

PASSWORD = "Mật khẩu dùng cho kiểm thử"


def accounts_file(db_path: Path) -> Path:
    return db_path.parent / "accounts.sqlite"  # TTDN_ACCOUNTS_DB's default, beside TTDN_DB


def ensure_user(
    db_path: Path, username: str, role: Role, province: str | None = None, unit: str | None = None
):
    conn = connect(accounts_file(db_path))
    if users.find_row(username, conn) is None:
        users.create_user(username, PASSWORD, role, province, unit, by="test", conn=conn)


def session_cookie(
    db_path: Path, base_url: str, username: str = "test-admin", role: Role = Role.ADMIN
) -> dict:
    """A cookie for Playwright's ``add_cookies``, of a new session of ``username`` (created if new)."""
    ensure_user(db_path, username, role)
    _, token = sessions.login(username, PASSWORD, conn=connect(accounts_file(db_path)))
    return {"name": sessions.COOKIE, "value": token, "url": base_url, "httpOnly": True, "sameSite": "Lax"}


class SignedIn:
    """A browser whose new pages carry a session cookie (same ``new_page`` as Playwright's Browser)."""

    def __init__(self, browser, cookie: dict):
        self.browser, self.cookie = browser, cookie

    def new_page(self, **kwargs):
        page = self.browser.new_page(**kwargs)
        page.context.add_cookies([self.cookie])
        return page
