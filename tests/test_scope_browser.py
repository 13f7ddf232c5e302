"""The overview, Theo đơn vị and the comparison slide at 1280×720 in headless Chromium, on the two-year
database of ``tests/fixture_scope.py``: the scope is written at the top, nothing fails.

Screenshots go to ``test-output/screenshots/scope_*.png``. Run with ``pytest -m browser``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixture_scope import AS_OF, build_scope_db
from tests.streamlit_server import ARGS, CHROMIUM, running_server
from tests.test_browser import OUT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"),
]
VIEWS = {"tong-quan": "", "theo-don-vi": "theo-don-vi", "so-sanh": "trinh-chieu"}  # screenshot: URL path
SCOPE = "Kế hoạch 2025 · Quý II/2025 (1 tỉnh), Quý I/2025 (1 tỉnh) · 2 tỉnh"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("scope_db")
    build_scope_db(tmp / "scope.duckdb")
    with running_server(tmp / "scope.duckdb", tmp / "archive", tmp / "streamlit.log") as url:
        yield url


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
