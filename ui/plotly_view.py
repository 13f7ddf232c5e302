"""Plotly charts on the page, drawn by the cartesian build of plotly.js that the app serves itself.

``st.plotly_chart`` draws with the copy of plotly.js inside Streamlit's frontend: all of it, maps and
3-D included, a 4.7 MB script the browser spends 1.5–2 s of its single main thread compiling before the
first chart of a visit. The charts here are bars, text scatters and heatmaps, all in plotly.js's
"cartesian" build (1.5 MB, a third of the time), which ``static/`` holds (Streamlit serves that
folder at ``app/static/``: ``server.enableStaticServing``) in the version the installed plotly package
writes figures for (``tests/test_plotly_view.py`` holds them together). The chart is a Streamlit
component (``st.components.v2``) whose script (``ui/assets/plotly_chart.js``) loads the library once
per page, draws the figure, follows the width of its column, and reports a click on a bar.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import streamlit as st

if TYPE_CHECKING:
    import plotly.graph_objects as go

PLOTLY_VERSION = "4.1.1"
PLOTLY_FILE = f"plotly-cartesian-{PLOTLY_VERSION}.min.js"
# Where the page finds it: relative to the page's address, so a base path (a proxy's /ttdn/) holds.
PLOTLY_SRC = f"app/static/{PLOTLY_FILE}"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
ASSETS = Path(__file__).with_name("assets")
LOADER = ASSETS / "plotly_loader.js"  # window.ttdnPlotly(src), also in the page's head (ui/page_shell.py)
_CSS = ".ttdn-chart { width: 100%; }"


def _script() -> str:
    return LOADER.read_text(encoding="utf-8") + (ASSETS / "plotly_chart.js").read_text(encoding="utf-8")


@functools.cache
def _component():
    return st.components.v2.component("ttdn_plotly", js=_script(), css=_CSS, isolate_styles=False)


def figure_json(fig: go.Figure) -> str:
    """The figure as plotly.js reads it (numbers, dates and NumPy arrays written out)."""
    import plotly.io as pio

    return pio.to_json(fig, validate=False, pretty=False)


def plotly_chart(
    fig: go.Figure,
    config: dict[str, Any],
    key: str | None = None,
    height: Literal["content", "stretch"] = "content",
    on_click: bool = False,
) -> Any:
    """Draw ``fig`` across its column (``height="stretch"``: and down the space its container leaves).

    With ``on_click``, the run after a click on a bar has ``result.click`` = ``{"x", "y", "index"}`` of
    the bar (None on every other run)."""
    data = {
        "figure": figure_json(fig),
        "config": config,
        "stretch": height == "stretch",
        "select": on_click,
        "src": PLOTLY_SRC,
    }
    callbacks = {"on_click_change": lambda: None} if on_click else {}
    return _component()(data=data, key=key, width="stretch", height=height, **callbacks)
