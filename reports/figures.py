"""The dashboard's charts (``ui.charts``, plain plotly) restyled for paper or for a projector.

Same builders, same colours and labels as the pages; only type size, margins and height change.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui import charts
from ui.format import fmt_int

PRINT_FONT = 18  # at 1000 px wide, printed 16 cm wide: about 10 pt
PROJECTOR_FONT = 22  # readable from the back of a room at 1280×720


def restyle(fig: go.Figure, font_size: int, height: int | None = None) -> go.Figure:
    """Scale every text of ``fig`` (base, legend, axes, bar labels) and its margins to ``font_size``."""
    factor = font_size / charts.BASE_SIZE
    margin = fig.layout.margin
    fig.update_layout(
        font={"size": font_size, "color": "#111111"},
        legend={"font": {"size": font_size - 2}},
        hoverlabel={"font": {"size": font_size}},
        margin={side: int((getattr(margin, side) or 0) * factor) for side in ("l", "r", "t", "b")},
    )
    fig.update_xaxes(tickfont={"size": font_size - 2}, title_font={"size": font_size - 2})
    fig.update_yaxes(tickfont={"size": font_size}, title_font={"size": font_size - 2})
    fig.update_traces(textfont={"size": font_size - 2}, selector={"type": "bar"})
    fig.update_traces(textfont={"size": font_size - 2}, selector={"type": "scatter"})
    fig.update_traces(textfont={"size": font_size - 4}, selector={"type": "heatmap"})
    if height is not None:
        fig.update_layout(height=height)
    elif fig.layout.height:
        fig.update_layout(height=int(fig.layout.height * factor))
    return fig


def unit_subset(by_unit: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, str | None]:
    """All units if at most ``limit``; else the ``limit`` with the lowest completion, and a note saying so."""
    if len(by_unit) <= limit:
        return by_unit, None
    note = f"{limit} đơn vị có tỷ lệ hoàn thành thấp nhất (trên tổng số {fmt_int(len(by_unit))} đơn vị chủ trì)"
    return by_unit.tail(limit), note


def status_figure(status: pd.DataFrame, font_size: int = PRINT_FONT, height: int | None = None) -> go.Figure:
    """Tasks by status class (``queries.overview.status_breakdown``)."""
    return restyle(charts.status_bars(status), font_size, height)


def unit_figure(by_unit: pd.DataFrame, font_size: int = PRINT_FONT, height: int | None = None) -> go.Figure:
    """Completion by lead unit (``completion_by_unit``, already cut with ``unit_subset``)."""
    return restyle(charts.unit_completion_bars(by_unit, len(by_unit)), font_size, height)


def topic_figure(by_topic: pd.DataFrame, font_size: int = PRINT_FONT, height: int | None = None) -> go.Figure:
    """Completion by topic (``completion_by_topic``)."""
    return restyle(charts.topic_bars(by_topic), font_size, height)


def trend_figure(trend: pd.DataFrame, font_size: int = PRINT_FONT, height: int | None = None) -> go.Figure:
    """Status counts by period (``trend_by_period``)."""
    return restyle(charts.trend_bars(trend), font_size, height)
