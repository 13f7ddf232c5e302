"""Start-up benchmark: time from ``streamlit run server.py`` to the first chart drawn in Chromium.

    python bench/startup.py [--restarts 2] [--keep DIR]

Starts the server as ``scripts/start`` does (``streamlit run server.py``) on a fresh empty database
in a temporary folder, with the demo data (``TTDN_DEMO=1``) and anonymous viewing, opens ``/`` in
headless Chromium (``TTDN_CHROMIUM``) and waits for the first Plotly chart of the overview. Then stops
the server and starts it again on the same database and address (a warm restart, ``--restarts``
times, each seen by a new browser with an empty cache, its blank tab opened before the server is
ready; then once more, seen by a browser that opened
the app before the restart, as the meeting room's laptop: Streamlit's and plotly's scripts come from
its cache). Prints, for each start, from the process start: server ready (the health check answers), the page shell
drawn, the first number (the first script run has queried the database), the first chart; and the
first chart from server ready. Then opens the slides (``/Trinh_chieu``, a new page at 1920×1080) and
times the first slide change (slide 1 has cards only, slide 2 a chart): from the key press to slide
2's chart. Targets: first start ≤ 10 s to the first chart, a warm restart ≤ 3 s from server ready.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("TTDN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
APP_SHELL = '[data-testid="stApp"]'  # Streamlit's page, before the script's first element
FIRST_NUMBER = '[data-testid="stMetricValue"]'  # the script has run its first query
CHART = ".js-plotly-plot .main-svg"
SLIDE = "() => {{ const e = document.querySelector('.ttdn-page'); return e && e.textContent.trim().startsWith('{n}/'); }}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(folder: Path, port: int, log) -> subprocess.Popen:
    env = {**os.environ, "TTDN_DB": str(folder / "ttdn.duckdb"), "TTDN_DEMO": "1", "TTDN_ANONYMOUS": "on",
           "TTDN_ARCHIVE": str(folder / "archive"), "PYTHONPATH": str(ROOT)}  # fmt: skip
    command = [sys.executable, "-m", "streamlit", "run", "server.py", "--server.headless", "true",
               "--server.port", str(port), "--browser.gatherUsageStats", "false"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(base: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited; see the log")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("streamlit did not become healthy")


def slide_change(browser, base: str) -> float:
    """Seconds from → on slide 1 of a freshly opened deck to slide 2's chart drawn."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(f"{base}/Trinh_chieu?slide=1")
        page.wait_for_function(SLIDE.format(n=1), timeout=180_000)
        page.wait_for_selector(FIRST_NUMBER, timeout=180_000)
        page.wait_for_timeout(1500)  # the presenter looks at the first slide
        began = time.monotonic()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(SLIDE.format(n=2), timeout=180_000)
        page.wait_for_selector(f".st-key-ttdn_body {CHART}", timeout=180_000)
        return time.monotonic() - began
    finally:
        page.close()


def one_start(
    browser, folder: Path, log, port: int, visitor=None, prime=None
) -> tuple[float, float, float, float, float]:
    """(server ready, page shell, first number, first chart), seconds from the process start, and the
    first slide change. ``visitor``: a browser context that opened the app before (its cache holds the
    app's scripts), else a new one; ``prime``: a context that opens the app once, after the timings."""
    base = f"http://127.0.0.1:{port}"
    # The tab is open before the server is ready, as a visitor's browser is: opening one costs the
    # harness ~0.2 s (a new context), which is not the server's nor the page's time.
    page = visitor.new_page() if visitor else browser.new_page(viewport={"width": 1280, "height": 720})
    began = time.monotonic()
    proc = start_server(folder, port, log)
    try:
        wait_ready(base, proc)
        ready = time.monotonic() - began
        page.goto(base)
        page.wait_for_selector(APP_SHELL, timeout=180_000)
        shell = time.monotonic() - began
        page.wait_for_selector(FIRST_NUMBER, timeout=180_000)
        number = time.monotonic() - began
        page.wait_for_selector(CHART, timeout=180_000)
        chart = time.monotonic() - began
        page.close()
        slide = slide_change(browser, base)
        if prime is not None:
            page = prime.new_page()
            page.goto(base)
            page.wait_for_selector(CHART, timeout=180_000)
            page.close()
        return ready, shell, number, chart, slide
    finally:
        proc.terminate()
        proc.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--restarts", type=int, default=2, help="warm restarts after the first start")
    parser.add_argument("--keep", type=Path, help="folder for the database and the log (default: temporary)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="ttdn-startup-") as tmp, sync_playwright() as p:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        port = free_port()  # one address throughout, as a server restarted in place
        visitor = browser.new_context(
            viewport={"width": 1280, "height": 720}
        )  # a browser that has seen the app: only the last restart
        with (folder / "streamlit.log").open("w") as log:
            print(
                "start                               ready   shell  number   chart   chart after ready   slide 1 → 2"
            )
            for n in range(args.restarts + 2):
                returning = n == args.restarts + 1
                ready, shell, number, chart, slide = one_start(
                    browser, folder, log, port, visitor if returning else None,
                    prime=visitor if n == args.restarts else None,  # sees the app before the last restart
                )  # fmt: skip
                name = ("first (demo load), new browser" if n == 0 else
                        f"warm restart {n}, {'returning' if returning else 'new'} browser")  # fmt: skip
                times = "".join(f"{t:>6.1f} s" for t in (ready, shell, number, chart))
                print(f"{name:<34}{times}{chart - ready:>12.1f} s{slide:>12.1f} s", flush=True)
        browser.close()


if __name__ == "__main__":
    main()
