"""Plotly figures in the status colours, sized and labelled for a projector at 1280×720.

Every builder takes a small DataFrame from ``queries`` and returns a ``go.Figure``. Long names are
shortened and wrapped on the axis; the full name is in the hover text (``customdata``).

Figures are written as plain dicts and wrapped once without Plotly's per-property validation
(``_validate=False``): building them through ``add_bar``/``update_layout`` costs 20–50 ms a chart,
more than the DuckDB queries behind a page.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from display.format import fmt_int, fmt_month, fmt_pct
from display.labels import abbreviate, plot_text, short_topic, short_unit, wrap
from display.vietnamese import PLOTLY_LOCALE
from etl.vocab.status import STATUS_CLASS_COLORS, STATUS_CLASS_LABELS, STATUS_CLASS_ORDER, StatusClass
from etl.vocab.text import key
from queries.overview import NO_REPORT_GAP

FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
BASE_SIZE = 16
# The toolbar keeps only "download as PNG", in Vietnamese (the locale travels with the chart).
CONFIG = {
    "displaylogo": False,
    "locale": "vi",
    "locales": {"vi": PLOTLY_LOCALE},
    "modeBarButtonsToRemove": ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d",
                               "resetScale2d"],
    "toImageButtonOptions": {"filename": "bieu_do", "scale": 2},
}  # fmt: skip
_AXIS = {"gridcolor": "#e5e5e5", "zerolinecolor": "#bdbdbd", "automargin": True}
# Completion rates: one sequential hue, light (0 %) to dark (100 %): not the status colours (red is
# overdue only), so a cell at 0 % of tasks in progress on time is not painted as if it were late.
COMPLETION_SCALE = [[0, "#f7fcf0"], [0.5, "#7bccc4"], [1, "#0868ac"]]
# "Chưa báo cáo" is hatched: told apart from the grey of "Chưa thực hiện" on a projector, in any light.
NO_REPORT_PATTERN = {"shape": "/", "fillmode": "overlay", "fgcolor": "#ffffff", "size": 7, "solidity": 0.3}


def status_marker(cls: StatusClass) -> dict:
    """The bar marker of a status class: its colour, hatched for "no report"."""
    marker = {"color": STATUS_CLASS_COLORS[cls]}
    if cls is StatusClass.NO_REPORT:
        marker["pattern"] = NO_REPORT_PATTERN
    return marker


def _figure(data: list[dict], body_height: int, xaxis: dict, yaxis: dict, **layout) -> go.Figure:
    """Fonts, colours and margins; the legend, if any, gets its own band above the plot.

    The band is sized for three legend entries per row (a chart ~900 px wide: 1280×720 with the
    sidebar open); a narrower chart stacks more rows, and Plotly grows the top margin for them.
    """
    margin = {"l": 10, "r": 30, "t": 10, "b": 10, **layout.pop("margin", {})}
    entries = sum(1 for t in data if t.get("name") and t.get("showlegend") is not False)
    if layout.get("showlegend", True) and entries:
        margin["t"] = 24 + 26 * math.ceil(entries / 3)
    spec = {
        "data": data,
        "layout": {
            "template": "none",
            "height": body_height + margin["t"] + margin["b"],
            "margin": margin,
            "font": {"family": FONT, "size": BASE_SIZE, "color": "#1f1f1f"},
            "hoverlabel": {"font": {"family": FONT, "size": 15}},
            "legend": {"orientation": "h", "xref": "container", "yref": "container", "x": 0, "y": 1,
                       "xanchor": "left", "yanchor": "top", "font": {"size": 14}, "traceorder": "normal"},
            "plot_bgcolor": "white",
            "paper_bgcolor": "white",
            "separators": ",.",
            "xaxis": {**_AXIS, **xaxis},
            "yaxis": {**_AXIS, **yaxis},
            **layout,
        },
    }  # fmt: skip
    return go.Figure(spec, _validate=False)


def _title(text: str | None) -> dict:
    return {"title": {"text": text}} if text else {}


def _classes_present(df: pd.DataFrame) -> list[StatusClass]:
    return [c for c in STATUS_CLASS_ORDER if f"n_{c.value}" in df and df[f"n_{c.value}"].sum() > 0]


def _ints(values) -> list[int]:
    return [int(v) for v in values]


def status_bars(df: pd.DataFrame) -> go.Figure:
    """One horizontal bar per status class (``Kpis.breakdown``), count and share written on it."""
    df = df.iloc[::-1]
    bar = {
        "type": "bar", "orientation": "h", "x": _ints(df["n_tasks"]), "y": list(df["status_label"]),
        "marker": {"color": [STATUS_CLASS_COLORS[StatusClass(c)] for c in df["status_class"]],
                   "pattern": {**NO_REPORT_PATTERN, "shape": ["/" if c == StatusClass.NO_REPORT else ""
                                                              for c in df["status_class"]]}},
        "text": [f"{fmt_int(n)} ({fmt_pct(p)})" for n, p in zip(df["n_tasks"], df["pct_tasks"], strict=True)],
        "textposition": "outside", "cliponaxis": False, "hovertemplate": "%{y}: %{x} nhiệm vụ<extra></extra>",
    }  # fmt: skip
    xaxis = {
        **_title("Số nhiệm vụ"),
        "rangemode": "tozero",
        "dtick": _dtick(df["n_tasks"]),
        "tickformat": "d",
    }
    return _figure([bar], 40 + 48 * len(df), xaxis, {"ticksuffix": "  "}, showlegend=False, margin={"r": 110})


def _by_class(df: pd.DataFrame) -> list[tuple[StatusClass, pd.DataFrame]]:
    """The rows of each status class present, in the conventional order."""
    groups = dict(tuple(df.groupby("status_class", sort=False)))
    return [(c, groups[c.value]) for c in STATUS_CLASS_ORDER if c.value in groups]


def trend_bars(df: pd.DataFrame) -> go.Figure:
    """Stacked bars per period (``trend_by_period``), one colour per status class, totals on top."""
    data = []
    for cls, part in _by_class(df):
        data.append({
            "type": "bar", "x": list(part["period_label"]), "y": _ints(part["n_tasks"]),
            "name": STATUS_CLASS_LABELS[cls], "marker": status_marker(cls),
            "customdata": [float(p) for p in part["pct_tasks"]],
            "hovertemplate": "%{x}<br>" + STATUS_CLASS_LABELS[cls]
            + ": %{y} nhiệm vụ (%{customdata:.1%})<extra></extra>",
        })  # fmt: skip
    totals = df.groupby("period_label", sort=False)["n_tasks"].sum()
    gaps = set(df.loc[df["status_class"] == "", "period_label"])  # periods of the axis nobody reported on
    data.append({
        "type": "scatter", "mode": "text", "x": list(totals.index), "y": _ints(totals.values),
        "text": [NO_REPORT_GAP if p in gaps else fmt_int(v) for p, v in totals.items()],
        "textposition": "top center", "showlegend": False, "hoverinfo": "skip",
    })  # fmt: skip
    xaxis = {"categoryorder": "array", "categoryarray": list(dict.fromkeys(df["period_label"]))}
    yaxis = {**_title("Số nhiệm vụ"), "range": [0, max(int(totals.max()), 1) * 1.12], "dtick": _dtick(totals),
             "tickformat": "d"}  # fmt: skip
    return _figure(data, 380, xaxis, yaxis, barmode="stack", margin={"r": 10})


def unit_completion_bars(df: pd.DataFrame, top: int) -> go.Figure:
    """Units (``completion_by_unit``), in the order given: each bar is 100% split by status class."""
    df = df.head(top)
    return _share_bars(
        df,
        unit_labels(df),
        [plot_text(f"{u} — {p}") for u, p in zip(df["unit"], _provinces_noted(df), strict=True)],
    )


def _provinces_noted(df: pd.DataFrame) -> list[str]:
    """Each row's province, with its ``stale_note`` ("Hà Giang (kỳ cũ: Quý I/2025)") where it has one."""
    notes = df["stale_note"] if "stale_note" in df else [""] * len(df)
    return [f"{p} ({n})" if n else p for p, n in zip(df["province"], notes, strict=True)]


def unit_overdue_bars(df: pd.DataFrame, top: int) -> go.Figure:
    """Units by number of overdue tasks they lead (``ranked_by_overdue``), most first."""
    df = df.head(top).iloc[::-1]
    bar = {
        "type": "bar", "orientation": "h", "x": _ints(df["n_overdue"]), "y": unit_labels(df),
        "marker": {"color": STATUS_CLASS_COLORS[StatusClass.OVERDUE]},
        "text": [fmt_int(v) for v in df["n_overdue"]], "textposition": "outside", "cliponaxis": False,
        "customdata": [[plot_text(u), plot_text(p), int(n)]
                       for u, p, n in zip(df["unit"], _provinces_noted(df), df["n_tasks"], strict=True)],
        "hovertemplate": "%{customdata[0]} — %{customdata[1]}<br>%{x} nhiệm vụ quá hạn"
        " trên %{customdata[2]} nhiệm vụ chủ trì<extra></extra>",
    }  # fmt: skip
    xaxis = {
        **_title("Số nhiệm vụ quá hạn chưa hoàn thành"),
        "rangemode": "tozero",
        "dtick": _dtick(df["n_overdue"]),
    }
    return _figure(
        [bar], _bar_height(len(df)), xaxis, {"ticksuffix": "  "}, showlegend=False, margin={"r": 60}
    )


def topic_bars(df: pd.DataFrame) -> go.Figure:
    """Topics (``completion_by_topic``): each bar is 100% split by status class."""
    return _share_bars(
        df, [_pad(short_topic(t, 28)) for t in df["topic"]], [plot_text(t) for t in df["topic"]]
    )


def province_bars(df: pd.DataFrame, highlight: str | None = None) -> go.Figure:
    """Provinces (``compare_provinces``): each bar is 100% split by status class."""
    labels = [f"<b>{plot_text(p)}</b>" if p == highlight else plot_text(p) for p in df["province"]]
    if "period_text" in df and df["period_text"].nunique() > 1:  # provinces at different periods: say which
        labels = [
            f"{label}<br>{plot_text(period)}" for label, period in zip(labels, df["period_text"], strict=True)
        ]
    full = [plot_text(f"{p} ({n})") for p, n in zip(df["province"], df["legacy_names"], strict=True)]
    return _share_bars(df, labels, full)


def _share_bars(df: pd.DataFrame, labels: list[str], full_names: list[str]) -> go.Figure:
    """Horizontal 100% bars by status class, first row on top; at the right: share done (done/total)."""
    rows = df.iloc[::-1]
    y, names = labels[::-1], full_names[::-1]
    totals = _ints(rows["n_tasks"])
    data = []
    for cls in _classes_present(df):
        counts = _ints(rows[f"n_{cls.value}"])
        data.append({
            "type": "bar", "orientation": "h", "x": [c / t if t else 0 for c, t in zip(counts, totals, strict=True)],
            "y": y, "name": STATUS_CLASS_LABELS[cls], "marker": status_marker(cls),
            "customdata": [list(v) for v in zip(names, counts, totals, strict=True)],
            "hovertemplate": "%{customdata[0]}<br>" + STATUS_CLASS_LABELS[cls]
            + ": %{customdata[1]}/%{customdata[2]} nhiệm vụ (%{x:.0%})<extra></extra>",
        })  # fmt: skip
    data.append({
        "type": "scatter", "mode": "text", "x": [1.0] * len(y), "y": y, "showlegend": False, "hoverinfo": "skip",
        "cliponaxis": False, "textposition": "middle right",
        "text": [f"  {fmt_pct(p, 0)} ({d}/{n})" for p, d, n in zip(rows["pct_done"], rows["n_done"], totals, strict=True)],
    })  # fmt: skip
    xaxis = {**_title("Tỷ lệ nhiệm vụ theo tình trạng"), "tickformat": ".0%", "range": [0, 1]}
    yaxis = {"categoryorder": "array", "categoryarray": y, "ticksuffix": "  "}
    return _figure(data, _bar_height(len(y)), xaxis, yaxis, barmode="stack", margin={"r": 120})


def heatmap(df: pd.DataFrame, topics: list[str], periods: dict[str, str] | None = None) -> go.Figure:
    """Topic × province (``province_topic_heatmap``): colour = share done, text = share and task count.

    Topics are rows (long labels read horizontally), provinces columns (few, short names), each with
    its period under its name when ``periods`` gives them (provinces at different periods).
    """
    provinces = sorted(df["province"].unique(), key=lambda p: (key(p), p))
    cell = {(r.province, r.topic): r for r in df.itertuples()}
    z, text, hover = [], [], []
    for t in reversed(topics):
        found = [cell.get((p, t)) for p in provinces]
        z.append([None if r is None else float(r.pct_done) for r in found])
        text.append(["" if r is None else f"{fmt_pct(r.pct_done, 0)} ({r.n_tasks})" for r in found])
        hover.append([plot_text(f"{t} — {p}") + "<br>" + ("không có nhiệm vụ" if r is None else
                      f"{r.n_done}/{r.n_tasks} hoàn thành, {r.n_overdue} quá hạn")
                      for p, r in zip(provinces, found, strict=True)])  # fmt: skip
    trace = {
        "type": "heatmap", "z": z,
        "x": [wrap(p, 14) + (f"<br><sub>{periods[p]}</sub>" if periods and p in periods else "") for p in provinces], "y": [short_topic(t, 40) for t in reversed(topics)],
        "text": text, "texttemplate": "%{text}", "textfont": {"size": 15}, "customdata": hover,
        "hovertemplate": "%{customdata}<extra></extra>", "zmin": 0, "zmax": 1, "xgap": 3, "ygap": 3,
        "colorscale": COMPLETION_SCALE,
        "colorbar": {"title": {"text": "Tỷ lệ<br>hoàn thành"}, "tickformat": ".0%", "len": 0.8},
    }  # fmt: skip
    return _figure([trace], max(280, 90 + 42 * len(topics)), {"side": "top", "tickangle": 0, "showgrid": False},
                   {"showgrid": False, "ticksuffix": "  "}, margin={"r": 10})  # fmt: skip


def timeline_bars(df: pd.DataFrame) -> go.Figure:
    """Dated tasks per deadline month (``DeadlineCounts.timeline``), stacked by status class."""
    months = sorted(df["month"].unique())
    labels = {m: fmt_month(pd.Timestamp(m), "<br>") for m in months}
    data = []
    for cls, part in _by_class(df):
        data.append({
            "type": "bar", "x": [labels[m] for m in part["month"]], "y": _ints(part["n_tasks"]),
            "name": STATUS_CLASS_LABELS[cls], "marker": status_marker(cls),
            "hovertemplate": "Hạn %{x}<br>" + STATUS_CLASS_LABELS[cls] + ": %{y} nhiệm vụ<extra></extra>",
        })  # fmt: skip
    xaxis = {**_title("Tháng đến hạn"), "categoryorder": "array", "categoryarray": [labels[m] for m in months],
             "tickangle": 0}  # fmt: skip
    yaxis = {**_title("Số nhiệm vụ"), "rangemode": "tozero", "tickformat": "d",
             "dtick": _dtick(df.groupby("month")["n_tasks"].sum())}  # fmt: skip
    return _figure(data, 360, xaxis, yaxis, barmode="stack", margin={"r": 10})


def open_ended_bars(df: pd.DataFrame) -> go.Figure:
    """Recurring and on-demand tasks (``DeadlineCounts.open_ended``) by status class."""
    kinds = {"recurring": "Thường xuyên, định kỳ", "on_demand": "Theo yêu cầu, đột xuất"}
    data = []
    for cls, part in _by_class(df):
        data.append({
            "type": "bar", "orientation": "h", "y": [kinds.get(k, k) for k in part["due_kind"]],
            "x": _ints(part["n_tasks"]), "name": STATUS_CLASS_LABELS[cls],
            "marker": status_marker(cls), "text": _ints(part["n_tasks"]), "textposition": "inside",
            "hovertemplate": "%{y}<br>" + STATUS_CLASS_LABELS[cls] + ": %{x}<extra></extra>",
        })  # fmt: skip
    xaxis = {**_title("Số nhiệm vụ"), "rangemode": "tozero", "tickformat": "d",
             "dtick": _dtick(df.groupby("due_kind")["n_tasks"].sum())}  # fmt: skip
    return _figure(data, 170, xaxis, {"ticksuffix": "  "}, barmode="stack", margin={"r": 10})


def unit_labels(df: pd.DataFrame, width: int = 26) -> list[str]:
    """Axis labels of the units of ``df``: short names, with the province where the same name is used
    in several provinces (``name_repeats``; without it: when several provinces share the chart)
    ("Sở TT&TT (Hưng Yên)", or on a second line when that is too long)."""
    several = df["province"].nunique() > 1
    repeats = list(df["name_repeats"]) if "name_repeats" in df else [several] * len(df)
    notes = list(df["stale_note"]) if "stale_note" in df else [""] * len(df)
    labels = []
    for unit, province, repeat, note in zip(df["unit"], df["province"], repeats, notes, strict=True):
        stale = f"<br>({plot_text(note)})" if note else ""  # a province behind the others: its period
        if not repeat:
            labels.append(_pad(short_unit(unit, width) + stale))
            continue
        name = wrap(abbreviate(unit), width, max_lines=1)
        fits = len(html.unescape(name)) + len(province) + 3 <= width
        label = f"{name} ({plot_text(province)})" if fits else f"{name}<br>({plot_text(province)})"
        labels.append(_pad(label + stale))
    return labels


def _pad(label: str) -> str:
    """Space between every line of a wrapped axis label and the plot (``ticksuffix`` pads the last one)."""
    return label.replace("<br>", "\u00a0\u00a0<br>")


def _bar_height(n: int) -> int:
    """Plot height for ``n`` horizontal bars (two-line labels fit in 46 px) and the x axis."""
    return max(180, 70 + 46 * n)


def _dtick(values) -> int | None:
    """Whole-number ticks one apart for small counts (no "0,5 nhiệm vụ"); Plotly's choice otherwise."""
    return 1 if len(values) and max(values) <= 10 else None
