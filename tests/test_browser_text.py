"""What a person reads in the browser: no markup from the data, nothing fetched from outside, no English.

One server on the fixture database plus a hostile report (``tests/injection.py``); every page is
opened with the hostile unit as the filter, and the upload page previews a hostile file. Marked
``browser``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from display.vietnamese import STREAMLIT_WORDS
from tests.browser_login import SignedIn, session_cookie
from tests.fixture_db import AS_OF
from tests.injection import FILE_NAME, UNIT, hostile_db, hostile_report
from tests.streamlit_server import ARGS, CHROMIUM, running_server, wait_for_page
from ui.navigation import page_files, url_path

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"),
]
OUT = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
# Streamlit's and Plotly's own English, as a person could read it on a page (text or tooltip).
ENGLISH = [
    "Drag and drop", "Browse files", "Limit 200MB", "per file", "Upload", "None", "Print", "Record screen",
    "Settings", "Rerun", "Clear cache", "About", "Deploy", "Download plot", "Zoom", "Pan", "Autoscale",
    "Reset axes", "Produced with Plotly", "Toggle", "Show data", "Search", "Fullscreen", "Download as CSV",
    "Running", "Stop", "Page not found", "Made with Streamlit", "Close", "Copy", "Box Select", "Lasso",
    "View", "more", "less",
]  # fmt: skip
_ENGLISH = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")
CHART_PAGES = {"Tong_quan", "Theo_don_vi", "Theo_chu_de", "Theo_thoi_han", "Theo_tinh"}


@pytest.fixture(scope="module")
def hostile_path(fixture_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_db(fixture_db_path, tmp_path_factory.mktemp("text") / "hostile.duckdb")


@pytest.fixture(scope="module")
def server(hostile_path: Path) -> Iterator[str]:
    tmp = hostile_path.parent
    with running_server(hostile_path, tmp / "archive", tmp / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def chromium(server: str, hostile_path: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield SignedIn(browser, session_cookie(hostile_path, server))  # an admin sees every page
        browser.close()


def _open(chromium, url: str, charts: bool = False):
    """A page at 1280×720 that records every request to a host other than the server's."""
    page = chromium.new_page(viewport={"width": 1280, "height": 720})
    page.outside = []
    page.on(
        "request",
        lambda r: urlparse(r.url).hostname not in ("127.0.0.1", None) and page.outside.append(r.url),
    )
    page.goto(url)
    wait_for_page(page, charts=charts)
    page.wait_for_timeout(800)
    return page


def _live_markup(page) -> list[str]:
    """Links and images in the page that point outside the server."""
    return page.evaluate(
        r"""() => [...document.querySelectorAll('a[href], img[src], image')]
              .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('xlink:href') || '')
              .filter(u => /^([a-z][a-z0-9+.-]*:|\/\/)/i.test(u) && !u.startsWith(location.origin)
                           && !/^(data|blob):/.test(u))"""
    )


def _visible_english(page) -> list[str]:
    """English words of Streamlit's and Plotly's UI in the page's text or its tooltips."""
    text = page.inner_text("body")
    tips = page.evaluate(  # a tooltip is a title attribute, or Plotly's CSS ::after
        """() => [...document.querySelectorAll('[title],[data-title],[placeholder]')].map(e => [
            e.getAttribute('title'), e.getAttribute('placeholder'),
            e.hasAttribute('data-title') ? getComputedStyle(e, '::after').content : null,
        ].filter(Boolean).join(' ')).join(' ')"""
    )
    return sorted(set(_ENGLISH.findall(text + " " + tips)))


@pytest.mark.parametrize("name", [url_path(p) for p in page_files()])
def test_a_page_with_hostile_data_shows_it_as_text_in_vietnamese(chromium, server: str, name: str) -> None:
    path = "" if name == url_path(page_files()[0]) else name
    page = _open(
        chromium, f"{server}/{path}?as_of={AS_OF.isoformat()}&unit={quote(UNIT)}", name in CHART_PAGES
    )
    try:
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / f"hostile_{name}.png"))
        assert page.locator('[data-testid="stException"]').count() == 0
        assert _live_markup(page) == []
        assert page.outside == []
        assert _visible_english(page) == []
    finally:
        page.close()


def test_upload_preview_of_a_hostile_file(chromium, server: str, tmp_path: Path) -> None:
    page = _open(chromium, f"{server}/Tai_bao_cao")
    try:
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": FILE_NAME, "mimeType": "application/octet-stream", "buffer": hostile_report()}]
        )
        page.wait_for_selector("text=Đọc được", timeout=60_000)
        wait_for_page(page)
        page.wait_for_timeout(800)
        page.screenshot(path=str(OUT / "hostile_upload.png"), full_page=True)
        assert "![x](http://host.invalid/a.png)" in page.inner_text("body").replace(
            "\u2060", ""
        )  # as written
        assert _live_markup(page) == []
        assert page.outside == []
        assert _visible_english(page) == []
    finally:
        page.close()


def test_a_data_table_toolbar_hovered_says_each_button_in_vietnamese(chromium, server: str) -> None:
    """The toolbar a person sees hovering a table: each button's tooltip (shown after a second) and
    its name for a screen reader are Vietnamese, as the column menu is."""
    page = _open(chromium, f"{server}/Nhiem_vu?as_of={AS_OF.isoformat()}")
    try:
        table = page.locator('[data-testid="stDataFrame"]').first
        buttons = page.locator('[data-testid="stElementToolbar"] button')
        tips, labels = [], []
        table.hover()
        page.wait_for_timeout(300)
        assert buttons.count() >= 3  # search, download, columns, full screen
        for n in range(buttons.count()):
            table.hover()
            buttons.nth(n).hover()
            tip = page.locator('[data-testid="stTooltipContent"]').last
            tip.wait_for(timeout=5_000)
            tips.append(tip.inner_text())
            labels.append(buttons.nth(n).get_attribute("aria-label"))
        page.screenshot(path=str(OUT / "table_toolbar_tooltip.png"))
        assert set(tips) <= set(STREAMLIT_WORDS.values()), tips
        assert _ENGLISH.findall(" ".join(tips + labels)) == []
        assert "Tải bảng (tệp CSV)" in tips and "Tìm trong bảng" in tips
    finally:
        page.close()
