"""The charts' own plotly.js (``ui.plotly_view``): the file the app serves is the build the installed
plotly package writes figures for, and it draws every kind of trace the pages send."""

from __future__ import annotations

import re
from pathlib import Path

import plotly
import pytest

from tests.conftest import ROOT
from tests.helpers import chart_specs
from ui import plotly_view
from ui.navigation import page_files

BUILD = plotly_view.STATIC_DIR / plotly_view.PLOTLY_FILE


def _version(script_head: str) -> str:
    found = re.search(r"plotly\.js(?: \([a-z -]+\))? v(\d+\.\d+\.\d+)", script_head)
    assert found, script_head
    return found.group(1)


def _trace_types() -> set[str]:
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', BUILD.read_text(encoding="utf-8")))


def test_the_served_build_is_the_plotly_js_of_the_installed_plotly() -> None:
    bundled = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    ours = _version(BUILD.read_text(encoding="utf-8")[:300])
    assert ours == plotly_view.PLOTLY_VERSION == _version(bundled.read_text(encoding="utf-8")[:300]), (
        "plotly was upgraded: put the same version of plotly.js-cartesian-dist-min in static/ (README)"
    )
    assert "cartesian" in BUILD.read_text(encoding="utf-8")[:200]
    assert {"bar", "scatter", "heatmap"} <= _trace_types()


def test_the_app_serves_its_static_folder() -> None:
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r"^enableStaticServing = true$", config, re.M)
    assert f"app/static/{BUILD.name}" == plotly_view.PLOTLY_SRC and BUILD.parent == ROOT / "static"


@pytest.mark.parametrize("path", page_files(), ids=lambda p: p.stem)
def test_every_chart_of_every_page_is_drawn_by_the_build(app, path: Path) -> None:
    at = app().run()
    at.switch_page(str(path.relative_to(ROOT))).run()
    assert not at.exception, [e.value for e in at.exception]
    kinds = {trace.get("type", "scatter") for spec in chart_specs(at) for trace in spec.get("data", [])}
    assert kinds <= _trace_types()
