"""The real thing: ``streamlit run app.py`` on the fixture database, every page in headless Chromium.

Screenshots (the viewport, and the whole page) go to ``test-output/screenshots/``. Run with
``pytest -m browser``; skipped only when the Debian Chromium is not installed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from etl import settings
from tests.browser_login import SignedIn, session_cookie
from tests.conftest import ROOT
from tests.fixture_db import AS_OF
from ui.navigation import page_files, url_path

CHROMIUM = settings.get("TTDN_CHROMIUM")
OUT = ROOT / "test-output" / "screenshots"
SIZES = [(1920, 1080), (1280, 720)]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
# Pages whose view is made of charts: wait for them before judging the page.
CHART_PAGES = {"tong-quan", "theo-don-vi", "theo-chu-de", "theo-thoi-han", "theo-tinh"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"),
]


def _pages() -> list[str]:
    return [url_path(p) for p in page_files()]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(fixture_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "TTDN_DB": str(fixture_db_path), "TTDN_DEMO": "0",
           "TTDN_ARCHIVE": str(tmp_path_factory.mktemp("archive"))}  # fmt: skip
    log = (tmp_path_factory.mktemp("log") / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("streamlit did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser(server: str, fixture_db_path: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = SignedIn(p.chromium.launch(executable_path=CHROMIUM, args=ARGS),
                            session_cookie(fixture_db_path, server))  # an admin sees every page  # fmt: skip
        # Warm-up: a deep link as the very first request of a fresh server shows Streamlit's
        # "Page not found" dialog (streamlit/streamlit#9992); the entry page registers the pages.
        page = chromium.new_page()
        page.goto(server)
        page.wait_for_selector('[data-testid="stSidebar"]', timeout=60_000)
        page.close()
        yield chromium
        chromium.browser.close()


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("name", _pages())
def test_page_renders_without_error(browser, server: str, name: str, width: int, height: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        path = "" if name == _pages()[0] else name  # the default page lives at "/"
        page.goto(f"{server}/{path}?as_of={AS_OF.isoformat()}")
        page.wait_for_selector(
            '[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]', timeout=60_000
        )
        if name in CHART_PAGES:
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
        )
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
        assert page.locator('[role="dialog"]').count() == 0, "a dialog (page not found?) is open"
        assert "Traceback" not in page.inner_text("body")
    finally:
        page.close()
