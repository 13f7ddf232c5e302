"""The overview on a phone (390×844) in a real browser: two KPI cards a row, charts whose labels fit,
no toolbar over the legend. Same server and browser as the slides' test (fixture database, anonymous
viewing); the screenshot goes to ``test-output/phone/``."""

from __future__ import annotations

import pytest

from tests.fixture_db import AS_OF
from tests.test_presentation_browser import ROOT, _dismiss_page_not_found, browser, db_path, server  # noqa: F401

OUT = ROOT / "test-output" / "phone"
pytestmark = pytest.mark.browser

_PROBLEMS = """() => {
    const problems = [];
    const cards = [...document.querySelectorAll('[data-testid="stMetric"]')].map(m => m.getBoundingClientRect());
    const rows = new Map();
    for (const r of cards) rows.set(Math.round(r.top), (rows.get(Math.round(r.top)) || 0) + 1);
    if ([...rows.values()].some(n => n > 2)) problems.push('more than two cards a row');
    if (rows.size > Math.ceil(cards.length / 2) + 1) problems.push(`${cards.length} cards on ${rows.size} rows`);
    if (document.documentElement.scrollWidth > innerWidth + 1) problems.push('horizontal scroll');
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
        const box = gd.getBoundingClientRect();
        for (const t of gd.querySelectorAll('.ytick text, .xtick text, .textpoint text, .bartext, .legendtext')) {
            const r = t.getBoundingClientRect();
            if (r.width && (r.left < box.left - 1 || r.right > box.right + 1)) problems.push('clipped: ' + t.textContent);
        }
        const bar = gd.querySelector('.modebar');
        if (bar && bar.getBoundingClientRect().width > 0 && getComputedStyle(bar).display !== 'none'
            && getComputedStyle(bar.parentElement).display !== 'none') problems.push('chart toolbar shown');
    }
    return problems;
}"""


def test_overview_reads_on_a_phone(server, browser):  # noqa: F811
    base, _ = server
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page.goto(f"{base}/?as_of={AS_OF.isoformat()}")
        _dismiss_page_not_found(page)
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2",
                               timeout=60_000)  # fmt: skip
        page.wait_for_timeout(1_000)
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / "tong_quan_390x844.png"), full_page=True)
        assert page.evaluate(_PROBLEMS) == []
    finally:
        page.close()
