"""Logging in, out and being refused, in Chromium against ``streamlit run server.py`` (the login
routes and the page gate as served), on a copy of the fixture database with anonymous viewing off."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote_plus

import pytest

from etl.accounts import audit
from etl.accounts.roles import Role
from etl.accounts.store import connect
from tests.browser_login import PASSWORD, accounts_file, ensure_user
from tests.fixture_db import AS_OF, TTTT
from tests.procs import report_bytes
from tests.streamlit_server import ARGS, CHROMIUM, running_server

MAX_FAILURES = 3
USERS = {
    "quantri": (Role.ADMIN, None, None),
    "ldtq": (Role.LEADER, "Tuyên Quang", None),
    "cvdv": (Role.UNIT_STAFF, "Hưng Yên", TTTT),
    "thu": (Role.LEADER, None, None),
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"),
]


@pytest.fixture(scope="module")
def db_path(fixture_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("auth") / "ttdn.duckdb"
    shutil.copy(fixture_db_path, path)
    for name, (role, province, unit) in USERS.items():
        ensure_user(path, name, role, province, unit)
    return path


@pytest.fixture(scope="module")
def server(db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("auth_server")
    env = {"TTDN_ANONYMOUS": "off", "TTDN_LOGIN_MAX_FAILURES": str(MAX_FAILURES)}
    with running_server(db_path, tmp / "archive", tmp / "streamlit.log", "server.py", env) as url:
        yield url


@pytest.fixture(scope="module")
def chromium(server: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


def _submit_login(page, username: str, password: str) -> None:
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")


def _login(page, server: str, username: str, path: str = "/") -> None:
    page.goto(f"{server}/auth/login?next={quote(path)}")
    _submit_login(page, username, PASSWORD)
    _wait_app(page)


def _wait_app(page) -> None:
    page.wait_for_selector(
        '[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]', timeout=60_000
    )
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    if page.locator(
        '[role="dialog"]:visible'
    ).count():  # "Page not found" over the right page: streamlit#9992
        page.keyboard.press("Escape")


def _audit(db_path: Path, **where) -> list[dict]:
    return audit.search(audit.AuditQuery(**where), connect(accounts_file(db_path)))


def test_a_wrong_password_is_refused_in_vietnamese_then_throttled(page, server: str, db_path: Path) -> None:
    page.goto(server)
    assert "/auth/login" in page.url and "Đăng nhập" in page.inner_text("h1")
    for _ in range(MAX_FAILURES):
        _submit_login(page, "thu", "không phải mật khẩu")
        assert page.inner_text("[role=alert]") == "Tên đăng nhập hoặc mật khẩu không đúng."
    _submit_login(page, "thu", PASSWORD)  # the right one, too late
    assert "Đăng nhập sai quá nhiều lần" in page.inner_text("[role=alert]")
    assert "/auth/login" in page.url
    results = [r["result"] for r in _audit(db_path, username="thu", action="login")]
    assert results == ["throttled"] + ["failed"] * MAX_FAILURES


def test_an_anonymous_deep_link_goes_to_the_login_and_back_with_its_filters(page, server: str) -> None:
    deep = f"/theo-don-vi?as_of={AS_OF.isoformat()}&province={quote('Tuyên Quang')}"  # not a default
    page.goto(server + deep)
    assert "/auth/login" in page.url
    _submit_login(page, "quantri", PASSWORD)
    _wait_app(page)
    assert page.url.startswith(f"{server}/theo-don-vi?") and "province=Tuyên Quang" in unquote_plus(page.url)
    assert "Theo đơn vị" in page.inner_text("h1")


def test_logout_then_the_back_button_shows_nothing(page, server: str, db_path: Path) -> None:
    _login(page, server, "quantri", f"/?as_of={AS_OF.isoformat()}")
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/auth/login?bye=1", timeout=30_000)
    assert "Bạn đã đăng xuất" in page.inner_text("body")
    assert not [c for c in page.context.cookies() if c["name"] == "ttdn_session" and c["value"]]
    page.go_back()
    page.wait_for_load_state()
    time.sleep(1)
    assert "/auth/login" in page.url
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert _audit(db_path, username="quantri", action="logout")


def test_a_leader_sees_no_upload_or_plan_page_and_a_crafted_url_is_refused(
    page, server: str, db_path
) -> None:
    _login(page, server, "ldtq")
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Tổng quan" in nav and "Tải báo cáo" not in nav and "Kế hoạch" not in nav and "Nhật ký" not in nav
    for path in ("tai-bao-cao", "ke-hoach", "nhat-ky"):
        response = page.goto(f"{server}/{path}")
        assert response.status == 403
        assert "Không có quyền truy cập" in page.inner_text("h1")
    assert [r["object"] for r in _audit(db_path, username="ldtq", action="access_denied")] == [
        "/nhat-ky", "/ke-hoach", "/tai-bao-cao"
    ]  # fmt: skip


def test_a_url_with_another_provinces_filter_shows_only_the_users_province(page, server: str) -> None:
    _login(page, server, "ldtq", f"/theo-tinh?as_of={AS_OF.isoformat()}&province={quote('Hưng Yên')}")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    main = page.inner_text('[data-testid="stMain"]')
    assert "Tuyên Quang" in main and "Hưng Yên" not in main and "Thái Bình" not in main
    province = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(0)
    assert "Tuyên Quang" in province.inner_html()  # the sidebar says which province is shown
    assert "province=" not in page.url  # the other province's filter is gone from the link too


def test_a_units_staff_cannot_load_another_units_report(page, server: str, tmp_path: Path) -> None:
    other = tmp_path / "bao_cao_so_ngoai_vu.xlsx"  # its title names Sở Ngoại vụ, Thái Bình
    other.write_bytes(report_bytes(2024, 3, 3, unit="SỞ NGOẠI VỤ"))
    _login(page, server, "cvdv", "/tai-bao-cao")
    page.locator('input[type="file"]').set_input_files(str(other))
    page.wait_for_selector("text=chỉ được nạp báo cáo của đơn vị", timeout=60_000)
    assert page.get_by_role("button", name="Không có tệp hợp lệ để nạp").is_disabled()


def test_the_admin_exports_the_audit_trail_and_the_download_is_audited(
    page, server: str, db_path: Path
) -> None:
    _login(page, server, "quantri", "/nhat-ky")
    page.wait_for_selector("text=Tải nhật ký (.csv)", timeout=60_000)
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Tải nhật ký (.csv)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith(
        "at,username,role,scope,session,address,action,object,province,unit,result,details"
    )
    assert ",quantri,admin,toàn quốc," in text
    page.wait_for_timeout(1000)
    assert [r["object"] for r in _audit(db_path, username="quantri", action="export_download")][:1] == [
        download.value.suggested_filename
    ]


def test_a_one_time_password_must_be_changed_before_anything_else(page, server: str, db_path: Path) -> None:
    from etl.accounts import users

    ensure_user(db_path, "moi", Role.LEADER, "Tuyên Quang")
    one_time = users.reset_password("moi", by="test", conn=connect(accounts_file(db_path)))
    page.goto(f"{server}/theo-chu-de")
    _submit_login(page, "moi", one_time)
    assert "/auth/password" in page.url
    page.goto(f"{server}/theo-chu-de")  # not before the password is changed
    assert "/auth/password" in page.url
    page.fill("#current", one_time)
    page.fill("#new", "Mật khẩu mới của tôi")
    page.fill("#repeat", "Mật khẩu mới của tôi khác")
    page.click("button[type=submit]")
    assert page.inner_text("[role=alert]") == "Hai lần nhập mật khẩu mới không giống nhau."
    page.fill("#current", one_time)
    page.fill("#new", "Mật khẩu mới của tôi")
    page.fill("#repeat", "Mật khẩu mới của tôi")
    page.click("button[type=submit]")
    _wait_app(page)
    assert page.url.startswith(f"{server}/theo-chu-de") and "Theo chủ đề" in page.inner_text("h1")
    assert [r["result"] for r in _audit(db_path, username="moi", action="password_change")] == ["ok"]


def test_the_password_button_opens_the_change_form_in_the_same_tab(page, server: str) -> None:
    _login(page, server, "ldtq", "/theo-thoi-han")
    page.get_by_role("button", name="Mật khẩu").click()
    page.wait_for_url(lambda url: "/auth/password" in url, timeout=30_000)
    assert "next=/theo-thoi-han" in page.url.replace("%2F", "/") and "Đổi mật khẩu" in page.inner_text("h1")
