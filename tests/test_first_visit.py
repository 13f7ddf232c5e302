"""A shared link opened first after a server start shows its page, never Streamlit's "Page not found".

Until ``st.navigation`` has run once in the process, Streamlit serves requests from the legacy
``pages/`` scan (streamlit#9992). The AppTest checks replay that first request (AppTest starts every
run in that mode); the browser test starts a fresh server per link, so it is marked ``browser``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.commands import navigation

from tests.browser_login import session_cookie
from tests.conftest import ROOT, make_app
from tests.fixture_db import AS_OF
from tests.streamlit_server import ARGS, CHROMIUM, running_server, wait_for_page
from ui.navigation import page_files, page_title, reads_filters, url_path

PAGES = page_files()


@pytest.fixture
def not_found(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every "Page not found" Streamlit sends during the test."""
    sent: list[str] = []
    real = navigation.send_page_not_found
    monkeypatch.setattr(navigation, "send_page_not_found", lambda ctx: (sent.append("sent"), real(ctx)))
    return sent


@pytest.mark.parametrize("path", PAGES[1:], ids=lambda p: p.name)
def test_first_request_for_a_page_runs_it_inside_the_app(fixture_db_path, monkeypatch, not_found, path: Path):
    at = make_app(fixture_db_path, monkeypatch)
    at.switch_page(str(path.relative_to(ROOT)))  # before any run: the legacy pass picks the page
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not_found == []
    assert any("stFileUploaderDropzone" in h.proto.body for h in at.get("html"))  # app.py ran
    has_filters = any(s.key == "province" for s in at.sidebar.selectbox)
    assert has_filters == reads_filters(url_path(path))  # not on Tải báo cáo, Kế hoạch
    assert page_title(path) in " ".join(t.value for t in [*at.title, *at.markdown]) or path.stem.endswith(
        "Trinh_chieu"
    )


def test_a_click_on_the_first_request_is_kept(fixture_db_path, monkeypatch, not_found) -> None:
    at = make_app(fixture_db_path, monkeypatch).run()
    at.switch_page("pages/8_Du_lieu.py").run()
    assert not_found == []
    assert [t.value for t in at.title][-1] == page_title(ROOT / "pages/8_Du_lieu.py")


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}")
@pytest.mark.parametrize("link", ["", *(url_path(p) for p in PAGES[1:]), "Trinh_chieu?slide=3"])
def test_a_link_opened_first_after_a_server_start_has_no_page_not_found(
    fixture_db_path, tmp_path, chromium, link
):
    with running_server(fixture_db_path, tmp_path / "archive", tmp_path / "streamlit.log") as base:
        page = chromium.new_page(viewport={"width": 1280, "height": 720})
        page.context.add_cookies([session_cookie(fixture_db_path, base)])  # an admin may open every page
        sep = "&" if "?" in link else "?"
        page.goto(f"{base}/{link}{sep}as_of={AS_OF.isoformat()}")
        wait_for_page(page)
        page.wait_for_timeout(500)
        dialogs = page.locator('[role="dialog"]:visible').all_inner_texts()  # the slides' key help is hidden
        assert dialogs == [] and "Page not found" not in page.inner_text("body"), dialogs
        assert page.locator('[data-testid="stSidebar"] [data-testid="stSidebarNav"]').count() == 1
        page.close()
