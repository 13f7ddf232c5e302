"""A page a leader can read on a phone (~390 px wide): two KPI cards a row, charts whose labels fit.

Streamlit stacks every column under the others below 640 px; ``PHONE_CSS`` keeps the KPI cards two
a row, tightens their type, and hides Plotly's toolbar there (it covers the legend, and a phone has
no use for zoom or pan). ``wrapped_categories`` breaks long bar labels onto two lines so the plot
keeps its width instead of clipping them.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from display.labels import wrap

PHONE_CSS = """<style>
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: 0.75rem !important; padding-right: 0.75rem !important; }
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) {
    flex-direction: row !important; flex-wrap: wrap !important; gap: 0.5rem !important;
  }
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.25rem) !important; width: calc(50% - 0.25rem) !important;
    min-width: calc(50% - 0.25rem) !important; padding: 0.5rem 0.6rem !important;
  }
  [data-testid="stMetricLabel"] p { font-size: 0.85rem !important; white-space: normal !important; }
  [data-testid="stMetricLabel"] > div { white-space: normal !important; overflow: visible !important; }
  [data-testid="stMetricValue"] { font-size: 1.7rem !important; }
  [data-testid="stMetricDelta"] { font-size: 0.8rem !important; white-space: normal !important; }
  .js-plotly-plot .modebar-container { display: none !important; }
}
</style>"""


def phone_layout() -> None:
    """Add the phone rules to the page (they change nothing above 640 px)."""
    st.html(PHONE_CSS)


def wrapped_categories(fig: go.Figure, width: int = 16) -> go.Figure:
    """The y categories of a horizontal bar chart on up to two lines of ``width`` characters."""
    for trace in fig.data:
        if trace.y is not None:
            trace.y = [wrap(str(label), width) for label in trace.y]
    if fig.layout.yaxis.categoryarray is not None:
        fig.update_yaxes(categoryarray=[wrap(str(c), width) for c in fig.layout.yaxis.categoryarray])
    return fig
