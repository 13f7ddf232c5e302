"""The overview, Theo đơn vị and the comparison slide at 1280×720 in headless Chromium, on the two-year
database of ``tests/fixture_scope.py``: the scope is written at the top, nothing fails.

Screenshots go to ``test-output/screenshots/scope_*.png``. Run with ``pytest -m browser``.
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

from tests.conftest import ROOT
from tests.fixture_scope import AS_OF, build_scope_db
from tests.test_browser import ARGS, CHROMIUM, OUT, _free_port

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"),
]
VIEWS = {"tong-quan": "", "theo-don-vi": "theo-don-vi", "so-sanh": "trinh-chieu"}  # screenshot: URL path
SCOPE = "Kế hoạch 2025 · Quý II/2025 (1 tỉnh), Quý I/2025 (1 tỉnh) · 2 tỉnh"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db_path = tmp_path_factory.mktemp("scope_db") / "scope.duckdb"
    build_scope_db(db_path)
    port = _free_port()
    env = {**os.environ, "TTDN_DB": str(db_path), "TTDN_DEMO": "0",
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


@pytest.mark.parametrize("view", list(VIEWS))
def test_view_states_its_scope_at_1280x720(server: str, view: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        warm = (
            chromium.new_page()
        )  # a deep link as the first request shows "Page not found" (see test_browser)
        warm.goto(server)
        warm.wait_for_selector('[data-testid="stSidebar"]', timeout=60_000)
        warm.close()
        page = chromium.new_page(viewport={"width": 1280, "height": 720})
        slide = "&slide=6" if view == "so-sanh" else ""
        page.goto(f"{server}/{VIEWS[view]}?as_of={AS_OF.isoformat()}{slide}")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
        )
        page.wait_for_timeout(1000)  # let Plotly finish laying out
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / f"scope_{view}_1280x720.png"))
        body = page.inner_text("body")
        chromium.close()
    assert SCOPE in body
    assert "Traceback" not in body
