"""No user text is markup: a report whose unit, tasks and cells are Markdown, HTML and LaTeX.

AppTest reads what each page sends (Markdown sources, Plotly specs); the browser test (marked
``browser``) opens the pages and the upload preview in Chromium and watches the DOM and the network.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, make_app
from tests.helpers import chart_specs
from tests.injection import FILE_NAME, RAW, UNIT, hostile_db, hostile_report
from ui.navigation import page_files, reads_filters, url_path

PLOT_TAG = re.compile(r"<(?!br>|b>|/b>|extra>|/extra>)")  # Plotly markup other than ours
MARKDOWN_KINDS = (
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "info",
    "error",
    "success",
    "warning",
)


@pytest.fixture(scope="module")
def hostile_path(fixture_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_db(fixture_db_path, tmp_path_factory.mktemp("hostile") / "hostile.duckdb")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [s for item in items for s in _strings(item)]


def _plot_texts(at) -> list[str]:
    """Every string of every Plotly figure the page sent (labels, hovers, titles)."""
    return [s for spec in chart_specs(at) for s in _strings(spec)]


def _raw_in(at) -> list[str]:
    """Markdown sources with a live link, image, tag, bold or LaTeX from the data; Plotly texts with a
    tag from the data (Plotly reads ``<a href>``, not Markdown)."""
    markdown = [e.value for kind in MARKDOWN_KINDS for e in at.get(kind)]
    found = [f"{raw.pattern} in {text[:300]!r}" for text in markdown for raw in RAW if raw.search(text)]
    return found + [f"tag in {text[:300]!r}" for text in _plot_texts(at) if PLOT_TAG.search(text)]


@pytest.mark.parametrize("path", page_files(), ids=lambda p: p.stem)
def test_no_page_sends_user_text_as_markup(hostile_path, monkeypatch, tmp_path, path: Path) -> None:
    monkeypatch.setenv("TTDN_ARCHIVE", str(tmp_path / "archive"))
    at = make_app(hostile_path, monkeypatch, unit=UNIT, period="Quý III/2024").run()
    at.switch_page(str(path.relative_to(ROOT))).run()
    assert not at.exception, [e.value for e in at.exception]
    if reads_filters(url_path(path)):
        assert at.sidebar.selectbox(key="unit").value == UNIT  # the hostile unit is the filter
    assert _raw_in(at) == []


def test_the_hostile_unit_is_on_the_charts_as_text(hostile_path, monkeypatch) -> None:
    at = make_app(hostile_path, monkeypatch, province="Hưng Yên").run()
    at.switch_page("pages/2_Theo_don_vi.py").run()
    assert any("&lt;img" in text for text in _plot_texts(at))  # drawn, escaped
    assert _raw_in(at) == []


def test_upload_preview_of_a_hostile_file_is_plain_text(fixture_db_path, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("TTDN_ARCHIVE", str(tmp_path / "archive"))
    at = make_app(fixture_db_path, monkeypatch).run()
    at.switch_page("pages/7_Tai_bao_cao.py").run()
    at.file_uploader[0].set_value([(FILE_NAME, hostile_report(), "application/octet-stream")])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Sở \\!\\[x\\]" in m.value for m in at.markdown)  # the unit is shown, escaped
    assert _raw_in(at) == []
