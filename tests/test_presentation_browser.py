"""The Trình chiếu page in a real browser at 1280×720: walk every slide, save screenshots, check layout.

Starts ``streamlit run app.py`` on the fixture database (``TTDN_DB``, ``TTDN_DEMO=0``) and drives
Debian's Chromium with Playwright. Screenshots go to ``test-output/slides/``. The shared filters
travel in the URL as the sidebar writes them (select boxes by their label: ``period=Quý III/2024``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fixture_db import AS_OF, build_fixture_db

from etl.store.db import Database
from queries import overview
from queries.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-output" / "slides"
CHROMIUM = os.environ.get("TTDN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
PAGE = "pages/9_Trinh_chieu.py"
FILTERS = Filters(province="Hưng Yên", period="2024-Q3", as_of=AS_OF)

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _url_path() -> str:
    """The page's URL path as the app's navigation derives it from the file name."""
    try:
        from ui.navigation import url_path
    except ImportError:
        return "trinh-chieu"
    return url_path(ROOT / PAGE)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "fixture.duckdb"
    build_fixture_db(path)
    return path


@pytest.fixture(scope="module")
def expected(db_path):
    """The KPIs of the selection the test opens, from the dashboard's query."""
    db = Database(db_path)
    try:
        return overview.kpis(db.reader(), FILTERS)
    finally:
        db.close()


@pytest.fixture(scope="module")
def server(db_path):
    url_path = _url_path()
    port = _free_port()
    # viewing without login: the slides are a page every viewer may open
    env = {
        **os.environ,
        "TTDN_DB": str(db_path),
        "TTDN_DEMO": "0",
        "TTDN_ANONYMOUS": "on",
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.headless", "true", "--server.port",
         str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc)
        yield base, url_path
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {proc.stdout.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _open(browser, base: str, url_path: str, size: tuple[int, int] = (1280, 720), **params):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    query = {"province": "Hưng Yên", "period": "Quý III/2024", "as_of": AS_OF.isoformat(), **params}
    page.goto(f"{base}/{url_path}?{urlencode(query)}")
    _dismiss_page_not_found(page)
    return page


def _dismiss_page_not_found(page) -> None:
    """Streamlit 1.67 shows "Page not found" over the right page when a new session opens a deep link
    and the app's page files sit in ``pages/`` (auto-discovered before ``st.navigation`` runs)."""
    try:
        page.get_by_text("Page not found").wait_for(timeout=5_000)
    except Exception:  # noqa: BLE001 - no dialog: nothing to do
        return
    page.keyboard.press("Escape")
    page.get_by_text("Page not found").wait_for(state="hidden", timeout=5_000)


CHART_SLIDES = {2, 3, 6}  # units, topics, change (the fixture has two periods)


def _wait_slide(page, number: int, total: int = 6) -> None:
    """Wait until slide ``number`` is drawn: its number in the header, its chart (or none) rendered."""
    page.wait_for_function(
        "([text]) => { const el = document.querySelector('.ttdn-page'); return el && el.textContent.trim() === text; }",
        arg=[f"{number}/{total}"],
        timeout=30_000,
    )
    charts = 1 if number in CHART_SLIDES else 0
    page.wait_for_function(
        """([n]) => {
            const charts = document.querySelectorAll('.ttdn-chart');
            return charts.length === n && [...charts].every(c => c.querySelector('.main-svg'));
        }""",
        arg=[charts],
        timeout=30_000,
    )
    page.wait_for_timeout(600)  # let the chart finish its transition before the screenshot


def _layout_problems(page) -> list[str]:
    """Things a projector audience would notice: scrolling, overflow, controls off-screen, small text."""
    return page.evaluate(
        """() => {
        const problems = [];
        const body = document.querySelector('.st-key-ttdn_body');
        if (body && body.scrollHeight > body.clientHeight + 2) problems.push('slide body scrolls: ' + body.scrollHeight + ' > ' + body.clientHeight);
        const controls = document.querySelector('.st-key-ttdn_controls');
        if (!controls || controls.getBoundingClientRect().bottom > window.innerHeight) problems.push('controls below the fold');
        if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push('horizontal scroll');
        for (const el of document.querySelectorAll('.ttdn-title, .ttdn-scope, .ttdn-note, .ttdn-table td, [data-testid="stMetricValue"]')) {
            const size = parseFloat(getComputedStyle(el).fontSize);
            if (size < 19) problems.push('text under 19px: ' + el.className + ' ' + size);
        }
        const sidebar = document.querySelector('[data-testid="stSidebar"]');
        if (sidebar && sidebar.getBoundingClientRect().width > 0) problems.push('sidebar visible');
        return problems;
    }"""
    )


def _errors(page) -> list[str]:
    return page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').all_inner_texts()


def test_walk_every_slide_at_1280x720(server, browser):
    base, url_path = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = _open(browser, base, url_path)
    try:
        for number in range(1, 7):
            _wait_slide(page, number)
            page.screenshot(path=str(SHOTS / f"slide_{number}.png"))
            assert _errors(page) == []
            assert _layout_problems(page) == [], f"slide {number}"
            assert "Quý III/2024 · Hưng Yên · tính đến 15/10/2024" in page.locator(".ttdn-scope").inner_text()
            if number < 6:
                page.keyboard.press("ArrowRight")
        assert "slide=6" in page.url
        page.keyboard.press("ArrowLeft")
        _wait_slide(page, 5)
    finally:
        page.close()


def test_link_opens_the_slide_with_the_filters(server, browser, expected):
    base, url_path = server
    page = _open(browser, base, url_path, slide=4)
    try:
        _wait_slide(page, 4)
        assert (
            page.locator(".ttdn-title").inner_text()
            == f"Nhiệm vụ quá hạn chưa hoàn thành: {expected.n_overdue}"
        )
        page.keyboard.press("PageDown")
        _wait_slide(page, 5)
        assert _errors(page) == []
    finally:
        page.close()


def test_first_slide_shows_the_kpis(server, browser, expected):
    base, url_path = server
    page = _open(browser, base, url_path)
    try:
        _wait_slide(page, 1)
        values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        k = expected
        assert values[:4] == [
            str(k.n_tasks),
            f"{k.n_done}/{k.n_tasks}",
            str(k.n_in_progress),
            str(k.n_overdue),
        ]
    finally:
        page.close()


def test_chart_downloads_as_png(server, browser):
    base, url_path = server
    page = _open(browser, base, url_path, slide=2)
    try:
        _wait_slide(page, 2)
        chart = page.locator(".ttdn-chart").first
        chart.hover()
        with page.expect_download(timeout=30_000) as download:
            chart.locator('.modebar-btn[data-title*="png" i]').click()
        path = SHOTS / "download_units.png"
        download.value.save_as(path)
        assert download.value.suggested_filename == "trinh_chieu_units.png"
        assert path.read_bytes().startswith(b"\x89PNG")
    finally:
        page.close()


def test_auto_advance(server, browser):
    base, url_path = server
    page = _open(browser, base, url_path, auto="true", every="mỗi 10 giây")
    try:
        _wait_slide(page, 1)
        assert page.get_by_role("switch").first.is_checked() or "auto=true" in page.url
        _wait_slide(page, 2)  # within the next 10 s, without a key press
    finally:
        page.close()


SIZES = [(1280, 720), (1920, 1080)]
# Every text a viewer reads: the slide's HTML and the chart's ticks, titles and bar labels.
TEXT_BOXES = (
    ".ttdn-title, .ttdn-page, .ttdn-scope, .ttdn-note, .ttdn-key, .ttdn-table th, .ttdn-table td, "
    "[data-testid='stMetricLabel'], [data-testid='stMetricValue'], [data-testid='stMetricDelta'], "
    ".js-plotly-plot .ytick text, .js-plotly-plot .xtick text, .js-plotly-plot .textpoint text, "
    ".js-plotly-plot .g-xtitle text, .js-plotly-plot .g-ytitle text, .js-plotly-plot .bartext"
)


def _overlaps(page) -> list[str]:
    """Pairs of text boxes that overlap, and text boxes that leave the viewport."""
    return page.evaluate(
        """(selector) => {
        const boxes = [...document.querySelectorAll(selector)]
            .map(el => ({el, r: el.getBoundingClientRect(), text: (el.textContent || '').trim().slice(0, 40)}))
            .filter(b => b.r.width > 0 && b.r.height > 0 && b.text);
        const problems = [];
        for (const b of boxes) {
            if (b.r.left < -1 || b.r.top < -1 || b.r.right > innerWidth + 1 || b.r.bottom > innerHeight + 1)
                problems.push('off screen: ' + b.text);
        }
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i], b = boxes[j];
            if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
            const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
            const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
            if (w > 2 && h > 2) problems.push(a.text + ' ⟷ ' + b.text);
        }
        return problems;
    }""",
        TEXT_BOXES,
    )


def _unlabelled_bars(page) -> list[str]:
    """Charts with a bar category that has no tick label, or a 100% bar without its share written."""
    return page.evaluate(
        """() => {
        const problems = [];
        for (const gd of document.querySelectorAll('.js-plotly-plot')) {
            const bars = gd.data.filter(t => t.type === 'bar');
            if (!bars.length) continue;
            const across = bars[0].orientation === 'h';
            const categories = new Set(bars.flatMap(t => [...(across ? t.y : t.x)].map(String)));
            const ticks = [...gd.querySelectorAll(across ? '.ytick text' : '.xtick text')]
                .filter(t => t.textContent.trim()).length;
            if (ticks < categories.size) problems.push(`${ticks} labels for ${categories.size} bars`);
            const shares = gd.data.find(t => t.type === 'scatter' && t.mode === 'text');
            if (shares) {
                const written = [...gd.querySelectorAll('.textpoint text')].filter(t => t.textContent.trim()).length;
                if (written < shares.text.length) problems.push(`${written} shares for ${shares.text.length} bars`);
            }
        }
        return problems;
    }"""
    )


def _filled_height(page) -> float:
    """How far down the viewport the slide's body reaches (1.0: to the bottom edge)."""
    return page.evaluate(
        "() => document.querySelector('.st-key-ttdn_body').getBoundingClientRect().bottom / innerHeight"
    )


def _cards_height(page) -> float:
    """How far down the viewport the KPI slide's cards and note reach (1.0: to the bottom edge): the
    lowest of the body's drawn blocks, not the empty box around them."""
    return page.evaluate(
        """() => {
        const body = document.querySelector('.st-key-ttdn_body');
        const drawn = [...body.querySelectorAll('[data-testid="stElementContainer"], [data-testid="stLayoutWrapper"]')]
            .map(el => el.getBoundingClientRect()).filter(r => r.height > 0);
        return Math.max(...drawn.map(r => r.bottom)) / innerHeight;
    }"""
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_slide_fills_the_screen_with_readable_labels(server, browser, size):
    base, url_path = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = _open(browser, base, url_path, size)
    try:
        for number in range(1, 7):
            _wait_slide(page, number)
            page.screenshot(path=str(SHOTS / f"slide_{number}_{size[0]}x{size[1]}.png"))
            assert _errors(page) == []
            assert _overlaps(page) == [], f"slide {number}"
            assert _unlabelled_bars(page) == [], f"slide {number}"
            assert _filled_height(page) >= 0.9, f"slide {number}"
            if number == 1:  # cards only: they grow to the bottom, not the lower third left empty
                assert _cards_height(page) >= 0.9
            if number < 6:
                page.keyboard.press("ArrowRight")
    finally:
        page.close()


def _tick_height(page) -> float:
    """The height of the unit chart's first axis label, as a share of the window's height."""
    return page.evaluate(
        "() => document.querySelector('.js-plotly-plot .ytick text').getBoundingClientRect().height / innerHeight"
    )


def test_chart_text_grows_with_the_screen_like_the_slide_text(server, browser):
    """On a 3840×2160 screen at 100 % the charts' labels take the same share of the height as at
    1280×720 (plotly draws in pixels: the page sizes them by the window's height)."""
    base, url_path = server
    shares = {}
    for size in ((1280, 720), (3840, 2160)):
        page = _open(browser, base, url_path, size, slide=2)
        try:
            _wait_slide(page, 2)
            shares[size] = _tick_height(page)
            page.screenshot(path=str(SHOTS / f"slide_2_{size[0]}x{size[1]}.png"))
            assert _overlaps(page) == [] and _unlabelled_bars(page) == []
        finally:
            page.close()
    assert shares[(3840, 2160)] == pytest.approx(shares[(1280, 720)], rel=0.15)


def test_controls_hide_and_help_shows_on_question_mark(server, browser):
    base, url_path = server
    page = _open(browser, base, url_path)
    try:
        _wait_slide(page, 1)
        controls = page.locator(".st-key-ttdn_controls")
        opacity = "el => getComputedStyle(el).opacity"
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.st-key-ttdn_controls')).opacity === '0'"
        )
        page.mouse.move(400, 300)
        page.mouse.move(420, 320)
        page.wait_for_timeout(400)
        assert controls.evaluate(opacity) == "1"
        page.wait_for_timeout(3_300)  # hidden again after 3 s without a move
        assert controls.evaluate(opacity) == "0"
        assert not page.locator(".ttdn-help").is_visible()
        page.keyboard.press("Shift+Slash")  # "?"
        assert page.locator(".ttdn-help").is_visible()
        assert "Trang sau" in page.locator(".ttdn-help").inner_text()
        page.keyboard.press("Escape")
        assert not page.locator(".ttdn-help").is_visible()
    finally:
        page.close()


def test_print_gives_one_landscape_page_per_slide(server, browser):
    base, url_path = server
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.add_init_script("window.print = () => { window.__ttdnPrintCalled = true; };")
    query = {"province": "Hưng Yên", "period": "Quý III/2024", "as_of": AS_OF.isoformat(), "print": "1"}
    page.goto(f"{base}/{url_path}?{urlencode(query)}")
    _dismiss_page_not_found(page)
    try:
        page.wait_for_function("() => window.__ttdnPrintCalled === true", timeout=60_000)  # the dialog opened
        assert page.locator(".ttdn-title").count() == 6
        assert page.locator(".ttdn-chart .main-svg").count() >= 3
        assert page.locator("[data-testid='stMetricValue']").count() == 9
        page.wait_for_timeout(600)
        page.emulate_media(media="print")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        (SHOTS / "deck.pdf").write_bytes(pdf)
        pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
        assert pages == 6
        box = [float(v) for v in pdf.split(b"/MediaBox [")[1].split(b"]")[0].split()]
        assert box[2] > box[3]  # landscape
    finally:
        page.close()
