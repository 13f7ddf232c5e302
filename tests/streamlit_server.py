"""``streamlit run app.py`` in a child process for the browser tests, on a database and archive of theirs."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from etl import settings

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = settings.get("TTDN_CHROMIUM")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(
    db_path: Path, archive: Path, log_path: Path, script: str = "app.py", env: dict[str, str] | None = None
) -> Iterator[str]:
    """The base URL of a fresh ``streamlit run <script>`` (``env`` over the defaults), ready for
    connections; stopped on exit."""
    port = _free_port()
    # Anonymous viewing on: a test that needs a role signs in with a session cookie (browser_login).
    env = {
        **os.environ,
        "TTDN_DB": str(db_path),
        "TTDN_DEMO": "0",
        "TTDN_ARCHIVE": str(archive),
        "TTDN_ANONYMOUS": "on",
        **(env or {}),
    }
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
             "--server.port", str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), 0.5).close()
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                raise TimeoutError(f"streamlit did not start: {log_path.read_text()}")
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


ALL_CHARTS_DRAWN = """() => {
    const charts = document.querySelectorAll('.ttdn-chart');
    return charts.length > 0 && [...charts].every(c => c.querySelector('.main-svg'))
        && !(window.ttdnChartQueue && window.ttdnChartQueue.running);
}"""


def wait_for_page(page, charts: bool = False) -> None:
    """Until the page has drawn, its charts too when asked, and no script is running."""
    page.wait_for_selector(
        '[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]', timeout=60_000
    )
    if charts:  # every chart: they are drawn one after another (ui/assets/plotly_chart.js)
        page.wait_for_function(ALL_CHARTS_DRAWN, timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
