"""The real thing: ``streamlit run app.py`` on the fixture database, every page in headless Chromium.

Screenshots (the viewport, and the whole page) go to ``test-output/screenshots/``. Run with
``pytest -m browser``; skipped only when the Debian Chromium is not installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_login import SignedIn, session_cookie
from tests.conftest import ROOT
from tests.fixture_db import AS_OF, TTTT
from tests.streamlit_server import ARGS, CHROMIUM, running_server, wait_for_page
from ui.navigation import page_files, url_path

OUT = ROOT / "test-output" / "screenshots"
SIZES = [(1920, 1080), (1280, 720)]
# Pages whose view is made of charts: wait for them before judging the page.
CHART_PAGES = {"Tong_quan", "Theo_don_vi", "Theo_chu_de", "Theo_thoi_han", "Theo_tinh"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"),
]


def _pages() -> list[str]:
    return [url_path(p) for p in page_files()]


@pytest.fixture(scope="module")
def server(fixture_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    logs = tmp_path_factory.mktemp("log")
    with running_server(fixture_db_path, tmp_path_factory.mktemp("archive"), logs / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser(server: str, fixture_db_path: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = SignedIn(p.chromium.launch(executable_path=CHROMIUM, args=ARGS),
                            session_cookie(fixture_db_path, server))  # an admin sees every page  # fmt: skip
        yield chromium
        chromium.browser.close()


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("name", _pages())
def test_page_renders_without_error(browser, server: str, name: str, width: int, height: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        path = "" if name == _pages()[0] else name  # the default page lives at "/"
        page.goto(f"{server}/{path}?as_of={AS_OF.isoformat()}")
        wait_for_page(page, charts=name in CHART_PAGES)
        page.wait_for_timeout(800)  # let Plotly finish laying out
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / f"{name}_{width}x{height}.png"))
        full = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        page.set_viewport_size({"width": width, "height": min(max(full, height), 8000)})
        page.wait_for_timeout(800)
        page.screenshot(path=str(OUT / f"{name}_{width}x{height}_full.png"))

        assert page.locator('[data-testid="stException"]').count() == 0
        errors = page.locator('[data-testid="stAlertContentError"]')
        assert errors.count() == 0, errors.all_inner_texts()
        assert page.locator('[role="dialog"]:visible').count() == 0, "a dialog (page not found?) is open"
        assert "Traceback" not in page.inner_text("body")
    finally:
        page.close()


def test_clicking_a_units_bar_lists_that_units_tasks(browser, server: str) -> None:
    """Theo đơn vị: a click on the top bar of the overdue ranking (Sở TT&TT) lists that unit's tasks."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    picked = "() => [...document.querySelectorAll('[data-testid=\"stMarkdownContainer\"] p')].find(p => p.textContent.includes('nhiệm vụ chủ trì') && p.querySelector('strong'))"
    try:
        page.goto(f"{server}/Theo_don_vi?as_of={AS_OF.isoformat()}")
        wait_for_page(page, charts=True)
        assert page.evaluate(picked) is None  # nothing picked yet
        overdue = page.locator(".js-plotly-plot").nth(1)
        overdue.scroll_into_view_if_needed()
        assert "TT&TT" in (overdue.locator(".ytick text").last.text_content() or "")
        box = overdue.locator(".bars .point path").last.bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        page.wait_for_function(f"() => ({picked})() !== undefined", timeout=30_000)
        assert page.evaluate(f"() => ({picked})().querySelector('strong').textContent") == TTTT
    finally:
        page.close()
