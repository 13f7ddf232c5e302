"""Charts of the Trình chiếu slides: as many bars as a 1280×720 slide can label, sized by the page.

The slide's chart stretches to the height the page leaves it (``st.plotly_chart(height="stretch")``),
so its layout has no height of its own. Every bar keeps its axis label (wrapped into the left margin
on at most two lines); the bars that do not fit are named in a note ("và K đơn vị khác").
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import plotly.graph_objects as go

from display.labels import abbreviate, short_topic, wrap
from reports import figures

MAX_UNITS = 7  # bars on the unit slide, fewer when their labels take two lines (``PLOT_LINES``)
MAX_TOPICS = 10  # one-line labels
UNIT_WIDTH = 26  # characters of a unit's label line
TOPIC_WIDTH = 36


PLOT_LINES = 11  # label lines a 1280×720 slide's plot holds (~300 px; a bar is 24 px a line + 12 px)


def units_to_show(by_unit: pd.DataFrame, limit: int = MAX_UNITS) -> tuple[pd.DataFrame, int]:
    """The units with the most overdue tasks, then the most open ones, as many as ``limit`` and the
    plot's label lines allow (``PLOT_LINES``), and how many are left out.

    (The lowest completion rates are units with one task; a meeting asks who carries the open work.)
    """
    ranked = by_unit
    if len(by_unit) > limit:
        ranked = by_unit.assign(_open=by_unit["n_tasks"] - by_unit["n_done"])
        ranked = ranked.sort_values(["n_overdue", "_open", "n_tasks"], ascending=False, kind="stable")
        ranked = ranked.drop(columns="_open")
    shown = ranked.head(limit)
    while len(shown) > 1 and _label_lines(unit_names(shown, by_unit)) > PLOT_LINES:
        shown = shown.head(len(shown) - 1)
    return shown, len(by_unit) - len(shown)


def _label_lines(labels: list[str]) -> float:
    """The height of ``labels`` as bars, in label lines (a bar's gap counts half a line)."""
    return sum(label.count("<br>") + 1.5 for label in labels)


def unit_names(shown: pd.DataFrame, every_unit: pd.DataFrame | None = None) -> list[str]:
    """Axis labels: the short unit name on up to two lines, with its province on a second line when
    the same short name belongs to several units (of ``every_unit``, default ``shown``), and the period
    of a province behind the others ("(kỳ cũ: Quý I/2025)", from a ``stale_note`` column) on a line."""
    pool = shown if every_unit is None else every_unit
    counts = Counter(abbreviate(u) for u in pool["unit"])
    notes = shown["stale_note"] if "stale_note" in shown else [""] * len(shown)
    labels = []
    for unit, province, note in zip(shown["unit"], shown["province"], notes, strict=True):
        short = abbreviate(unit)
        stale = f"<br>({note})" if note else ""  # a province behind the others: its period, on a line
        if counts[short] > 1 and len(short) + len(province) + 3 <= UNIT_WIDTH:
            labels.append(f"{short} ({province}){stale}")
        elif counts[short] > 1:
            labels.append(f"{wrap(short, UNIT_WIDTH, max_lines=1)}<br>({province}){stale}")
        else:
            labels.append(wrap(short, UNIT_WIDTH, max_lines=1 if stale else 2) + stale)
    return labels


def unit_chart(shown: pd.DataFrame, every_unit: pd.DataFrame, font_size: int) -> go.Figure:
    """Completion of the ``shown`` units, each bar labelled (names from ``unit_names``)."""
    fig = figures.unit_figure(shown, font_size, legend=False)
    return _stretch(_relabel(fig, unit_names(shown, every_unit)), font_size)


def topic_chart(by_topic: pd.DataFrame, font_size: int) -> go.Figure:
    """Completion of the topics (at most ``MAX_TOPICS``), each bar labelled on one line."""
    fig = figures.topic_figure(by_topic, font_size, legend=False)
    labels = [wrap(short_topic(t, 200), TOPIC_WIDTH, max_lines=1) for t in by_topic["topic"]]
    return _stretch(_relabel(fig, labels), font_size)


def trend_chart(trend: pd.DataFrame, font_size: int) -> go.Figure:
    return _stretch(figures.trend_figure(trend, font_size, legend=False), font_size)


def _relabel(fig: go.Figure, labels: list[str]) -> go.Figure:
    """Replace the y categories (drawn bottom-up) by ``labels`` (top-down), every one shown as a tick."""
    y = [label.replace("<br>", "\u00a0\u00a0<br>") for label in labels][::-1]
    for trace in fig.data:
        trace.y = y
    fig.update_yaxes(categoryorder="array", categoryarray=y, tickmode="array", tickvals=y, ticktext=y)
    return fig


def _stretch(fig: go.Figure, font_size: int) -> go.Figure:
    """No height of its own (the page gives it the slide's), y labels a little smaller than the text,
    the x axis's title as far below its labels as the type is large (a 4K slide's type is 3× a 720p's)."""
    fig.update_layout(height=None, autosize=True)
    fig.update_yaxes(tickfont={"size": font_size - 2})
    fig.update_xaxes(title_standoff=round(font_size * 0.6))
    return fig
