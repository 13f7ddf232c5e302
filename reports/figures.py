"""The dashboard's charts (``display.charts``, plain plotly) restyled for paper or for a projector.

Same builders, same colours and labels as the pages; only type size, margins and height change.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from display import charts
from display.format import fmt_int

PRINT_FONT = 20  # at 1000 px wide, printed 16,5 cm wide: about 9,5 pt
PROJECTOR_FONT = 22  # readable from the back of a room at 1280×720


def restyle(fig: go.Figure, font_size: int, height: int | None = None, legend: bool = True) -> go.Figure:
    """Scale every text of ``fig`` (base, legend, axes, bar labels) and its margins to ``font_size``.

    The legend goes above the plot, in as many rows as it needs: it never overlaps the bars, whatever
    the number of status classes. ``legend=False`` drops it (the slides draw their own, see
    ``legend_items``), for a plot whose size does not depend on how plotly wraps the legend.
    """
    factor = font_size / charts.BASE_SIZE
    margin = fig.layout.margin
    fig.update_layout(
        font={"size": font_size, "color": "#111111"},
        hoverlabel={"font": {"size": font_size}},
        margin={side: int((getattr(margin, side) or 0) * factor) for side in ("l", "r", "b")},
    )
    fig.update_xaxes(tickfont={"size": font_size - 2}, title_font={"size": font_size - 2})
    fig.update_yaxes(tickfont={"size": font_size}, title_font={"size": font_size - 2})
    fig.update_traces(textfont={"size": font_size - 2}, selector={"type": "bar"})
    fig.update_traces(textfont={"size": font_size - 2}, selector={"type": "scatter"})
    fig.update_traces(textfont={"size": font_size - 4}, selector={"type": "heatmap"})
    old_top = (fig.layout.margin.t or 0) * factor
    legend_rows = 0
    if legend:
        legend_rows = _legend_on_top(fig, font_size, factor)
    else:  # room above the bars for the totals written over them, no more
        fig.update_layout(showlegend=False, margin={"t": int(font_size * 1.6)})
    if height is not None:
        fig.update_layout(height=height)
    elif fig.layout.height:
        # room for the legend even at one entry per row (a narrow plot): the bars keep their size
        extra = legend_rows * (font_size - 2) * 1.6 + font_size - old_top if legend_rows else 0
        fig.update_layout(height=int(fig.layout.height * factor + max(extra, 0)))
    return fig


def _legend_on_top(fig: go.Figure, font_size: int, factor: float) -> int:
    """A horizontal legend just above the plot; plotly widens the top margin to fit its rows.

    Returns the number of legend entries (0 without a legend).
    """
    entries = [t for t in fig.data if t.showlegend is not False and t.name]
    if fig.layout.showlegend is False or not entries:
        fig.update_layout(margin={"t": int((fig.layout.margin.t or 0) * factor)})
        return 0
    fig.update_layout(
        legend={"orientation": "h", "xref": "paper", "yref": "paper", "x": 0, "y": 1.02, "xanchor": "left",
                "yanchor": "bottom", "font": {"size": font_size - 2}, "traceorder": "normal"},
        margin={"t": font_size, "autoexpand": True},
    )  # fmt: skip
    return len(entries)


def legend_items(fig: go.Figure) -> list[tuple[str, str]]:
    """(name, colour) of the traces a legend would list, in order."""
    return [
        (t.name, t.marker.color) for t in fig.data if t.type == "bar" and t.name and t.showlegend is not False
    ]


def unit_subset(ranked: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, str | None]:
    """The units ranked worst first (``ReportData.ranked_units``): all if at most ``limit``; else the
    ``limit`` with the lowest completion, and a note saying so."""
    if len(ranked) <= limit:
        return ranked, None
    note = (
        f"{limit} đơn vị có tỷ lệ hoàn thành thấp nhất (trên tổng số {fmt_int(len(ranked))} đơn vị chủ trì "
        "được xếp hạng)"
    )
    return ranked.head(limit), note


def status_figure(status: pd.DataFrame, font_size: int = PRINT_FONT, height: int | None = None) -> go.Figure:
    """Tasks by status class (``queries.overview.Kpis.breakdown``); whole numbers on the axis, as
    ``charts.status_bars`` sets them."""
    return restyle(charts.status_bars(status), font_size, height)


def unit_figure(
    by_unit: pd.DataFrame, font_size: int = PRINT_FONT, height: int | None = None, legend: bool = True
) -> go.Figure:
    """Completion by lead unit (``completion_by_unit``, already cut with ``unit_subset``)."""
    return restyle(charts.unit_completion_bars(by_unit, len(by_unit)), font_size, height, legend)


def topic_figure(
    by_topic: pd.DataFrame, font_size: int = PRINT_FONT, height: int | None = None, legend: bool = True
) -> go.Figure:
    """Completion by topic (``completion_by_topic``)."""
    return restyle(charts.topic_bars(by_topic), font_size, height, legend)


def trend_figure(
    trend: pd.DataFrame, font_size: int = PRINT_FONT, height: int | None = None, legend: bool = True
) -> go.Figure:
    """Status counts by period (``trend_by_period``)."""
    fig = restyle(charts.trend_bars(trend), font_size, height, legend)
    if not trend.empty:  # headroom for the totals written over the bars
        fig.update_yaxes(range=[0, trend.groupby("period_code")["n_tasks"].sum().max() * 1.25])
    if height is not None and height < 250:  # a short chart (the slide's): a few ticks, not one per task
        fig.update_yaxes(dtick=None, nticks=4)
    return fig
