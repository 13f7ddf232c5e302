"""Plotly figures in the status colours, sized and labelled for a projector at 1280×720.

Every builder takes a small DataFrame from ``queries`` and returns a ``go.Figure``. Long names are
shortened and wrapped on the axis; the full name is in the hover text (``customdata``).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from etl.status import STATUS_CLASS_COLORS, STATUS_CLASS_LABELS, STATUS_CLASS_ORDER, StatusClass
from ui.format import fmt_int, fmt_month, fmt_pct
from etl.text import key
from ui.labels import abbreviate, short_topic, short_unit, wrap

FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
BASE_SIZE = 16
CONFIG = {"displaylogo": False, "locale": "vi", "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
_DONE = {StatusClass.DONE_ON_TIME, StatusClass.DONE_LATE, StatusClass.DONE_UNDATED}


def _layout(fig: go.Figure, height: int, **extra) -> go.Figure:
    extra.setdefault("margin", {"l": 10, "r": 30, "t": 60, "b": 10})
    fig.update_layout(
        height=height,
        font={"family": FONT, "size": BASE_SIZE, "color": "#1f1f1f"},
        hoverlabel={"font": {"family": FONT, "size": 15}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0.01, "xref": "container", "font": {"size": 14},
                "traceorder": "normal"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        separators=",.",
        **extra,
    )  # fmt: skip
    fig.update_xaxes(gridcolor="#e5e5e5", zerolinecolor="#bdbdbd", automargin=True)
    fig.update_yaxes(gridcolor="#e5e5e5", zerolinecolor="#bdbdbd", automargin=True)
    return fig


def _classes_present(df: pd.DataFrame, prefix: str = "n_") -> list[StatusClass]:
    return [c for c in STATUS_CLASS_ORDER if f"{prefix}{c.value}" in df and df[f"{prefix}{c.value}"].sum() > 0]


def status_bars(df: pd.DataFrame) -> go.Figure:
    """One horizontal bar per status class (``status_breakdown``), count and share written on it."""
    df = df.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=df["n_tasks"],
            y=df["status_label"],
            orientation="h",
            marker_color=[STATUS_CLASS_COLORS[StatusClass(c)] for c in df["status_class"]],
            text=[f"{fmt_int(n)} ({fmt_pct(p)})" for n, p in zip(df["n_tasks"], df["pct_tasks"], strict=True)],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x} nhiệm vụ<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="Số nhiệm vụ", rangemode="tozero")
    fig.update_yaxes(ticksuffix="  ")
    return _layout(fig, 60 + 48 * len(df), showlegend=False, margin={"l": 10, "r": 110, "t": 10, "b": 10})


def trend_bars(df: pd.DataFrame) -> go.Figure:
    """Stacked bars per period (``trend_by_period``), one colour per status class."""
    fig = go.Figure()
    order = list(dict.fromkeys(df["period_label"]))
    for cls in STATUS_CLASS_ORDER:
        part = df[df["status_class"] == cls.value]
        if part.empty:
            continue
        fig.add_bar(
            x=part["period_label"], y=part["n_tasks"], name=STATUS_CLASS_LABELS[cls],
            marker_color=STATUS_CLASS_COLORS[cls], customdata=part["pct_tasks"],
            hovertemplate="%{x}<br>" + STATUS_CLASS_LABELS[cls] + ": %{y} nhiệm vụ (%{customdata:.1%})<extra></extra>",
        )  # fmt: skip
    totals = df.groupby("period_label", sort=False)["n_tasks"].sum()
    fig.add_scatter(
        x=list(totals.index), y=list(totals.values), mode="text", text=[fmt_int(v) for v in totals.values],
        textposition="top center", showlegend=False, hoverinfo="skip",
    )  # fmt: skip
    fig.update_xaxes(categoryorder="array", categoryarray=order, title_text=None)
    fig.update_yaxes(title_text="Số nhiệm vụ", rangemode="tozero")
    return _layout(fig, 460, barmode="stack", margin={"l": 10, "r": 10, "t": 100, "b": 10})


def unit_completion_bars(df: pd.DataFrame, top: int) -> go.Figure:
    """Units (``completion_by_unit``), best completion first: each bar is 100% split by status class."""
    df = df.head(top)
    return _share_bars(df, unit_labels(df), df["unit"] + " — " + df["province"])


def unit_overdue_bars(df: pd.DataFrame, top: int) -> go.Figure:
    """Units by number of overdue tasks they lead (``ranked_by_overdue``), most first."""
    df = df.head(top).iloc[::-1]
    labels = unit_labels(df)
    fig = go.Figure(
        go.Bar(
            x=df["n_overdue"], y=labels, orientation="h", marker_color=STATUS_CLASS_COLORS[StatusClass.OVERDUE],
            text=[fmt_int(v) for v in df["n_overdue"]], textposition="outside", cliponaxis=False,
            customdata=list(zip(df["unit"], df["province"], df["n_tasks"], strict=True)),
            hovertemplate="%{customdata[0]} — %{customdata[1]}<br>%{x} nhiệm vụ quá hạn"
            " trên %{customdata[2]} nhiệm vụ chủ trì<extra></extra>",
        )
    )  # fmt: skip
    fig.update_xaxes(title_text="Số nhiệm vụ quá hạn chưa hoàn thành", rangemode="tozero", dtick=_dtick(df["n_overdue"]))
    return _layout(fig, _bar_height(len(df)), showlegend=False, margin={"l": 10, "r": 60, "t": 10, "b": 10})


def topic_bars(df: pd.DataFrame) -> go.Figure:
    """Topics (``completion_by_topic``): each bar is 100% split by status class."""
    labels = [short_topic(t, 34) for t in df["topic"]]
    return _share_bars(df, labels, df["topic"])


def province_bars(df: pd.DataFrame, highlight: str | None = None) -> go.Figure:
    """Provinces (``compare_provinces``): each bar is 100% split by status class."""
    labels = [f"<b>{p}</b>" if p == highlight else p for p in df["province"]]
    return _share_bars(df, labels, df["province"] + " (" + df["legacy_names"] + ")")


def _share_bars(df: pd.DataFrame, labels: list[str], full_names: pd.Series) -> go.Figure:
    """Horizontal 100% bars by status class, first row on top; at the right: share done (done/total)."""
    fig = go.Figure()
    rows = df.index[::-1]
    y = [labels[list(df.index).index(i)] for i in rows]
    names = list(full_names.loc[rows])
    for cls in _classes_present(df):
        share = (df.loc[rows, f"n_{cls.value}"] / df.loc[rows, "n_tasks"]).fillna(0)
        fig.add_bar(
            x=share, y=y, orientation="h", name=STATUS_CLASS_LABELS[cls], marker_color=STATUS_CLASS_COLORS[cls],
            customdata=list(zip(names, df.loc[rows, f"n_{cls.value}"], df.loc[rows, "n_tasks"], strict=True)),
            hovertemplate="%{customdata[0]}<br>" + STATUS_CLASS_LABELS[cls]
            + ": %{customdata[1]}/%{customdata[2]} nhiệm vụ (%{x:.0%})<extra></extra>",
        )  # fmt: skip
    fig.add_scatter(
        x=[1.0] * len(rows), y=y, mode="text", showlegend=False, hoverinfo="skip", cliponaxis=False,
        text=[f"  {fmt_pct(p, 0)} ({d}/{n})" for p, d, n in zip(df.loc[rows, "pct_done"], df.loc[rows, "n_done"],
                                                                 df.loc[rows, "n_tasks"], strict=True)],
        textposition="middle right",
    )  # fmt: skip
    fig.update_xaxes(tickformat=".0%", range=[0, 1], title_text="Tỷ lệ nhiệm vụ theo tình trạng")
    fig.update_yaxes(categoryorder="array", categoryarray=y, ticksuffix="  ")
    return _layout(fig, _bar_height(len(rows), legend=True), barmode="stack",
                   margin={"l": 10, "r": 120, "t": 110, "b": 10})  # fmt: skip


def heatmap(df: pd.DataFrame, topics: list[str]) -> go.Figure:
    """Topic × province (``province_topic_heatmap``): colour = share done, text = share and task count.

    Topics are rows (long labels read horizontally), provinces columns (few, short names).
    """
    provinces = sorted(df["province"].unique(), key=lambda p: (key(p), p))
    cell = {(r.province, r.topic): r for r in df.itertuples()}
    z, text, hover = [], [], []
    for t in reversed(topics):
        row_z, row_t, row_h = [], [], []
        for p in provinces:
            r = cell.get((p, t))
            row_z.append(None if r is None else r.pct_done)
            row_t.append("" if r is None else f"{fmt_pct(r.pct_done, 0)} ({r.n_tasks})")
            row_h.append(f"{t} — {p}<br>" + ("không có nhiệm vụ" if r is None else
                         f"{r.n_done}/{r.n_tasks} hoàn thành, {r.n_overdue} quá hạn"))  # fmt: skip
        z.append(row_z)
        text.append(row_t)
        hover.append(row_h)
    fig = go.Figure(
        go.Heatmap(
            z=z, x=[wrap(p, 14) for p in provinces], y=[short_topic(t, 40) for t in reversed(topics)], text=text,
            texttemplate="%{text}", textfont={"size": 15}, customdata=hover, hovertemplate="%{customdata}<extra></extra>",
            colorscale=[[0, "#c62828"], [0.5, "#fbc02d"], [1, "#2e7d32"]], zmin=0, zmax=1, xgap=3, ygap=3,
            colorbar={"title": {"text": "Tỷ lệ<br>hoàn thành"}, "tickformat": ".0%", "len": 0.8},
        )
    )  # fmt: skip
    fig.update_xaxes(side="top", tickangle=0, showgrid=False)
    fig.update_yaxes(showgrid=False, ticksuffix="  ")
    return _layout(fig, max(300, 110 + 42 * len(topics)), margin={"l": 10, "r": 10, "t": 10, "b": 10})


def timeline_bars(df: pd.DataFrame) -> go.Figure:
    """Dated tasks per deadline month (``deadline_timeline``), stacked by status class."""
    fig = go.Figure()
    months = sorted(df["month"].unique())
    labels = {m: fmt_month(pd.Timestamp(m), "<br>") for m in months}
    for cls in STATUS_CLASS_ORDER:
        part = df[df["status_class"] == cls.value]
        if not part.empty:
            fig.add_bar(
                x=[labels[m] for m in part["month"]], y=part["n_tasks"], name=STATUS_CLASS_LABELS[cls],
                marker_color=STATUS_CLASS_COLORS[cls],
                hovertemplate="Hạn %{x}<br>" + STATUS_CLASS_LABELS[cls] + ": %{y} nhiệm vụ<extra></extra>",
            )  # fmt: skip
    fig.update_xaxes(categoryorder="array", categoryarray=[labels[m] for m in months], title_text="Tháng đến hạn",
                     tickangle=0)
    fig.update_yaxes(title_text="Số nhiệm vụ", rangemode="tozero")
    return _layout(fig, 440, barmode="stack", margin={"l": 10, "r": 10, "t": 100, "b": 10})


def open_ended_bars(df: pd.DataFrame) -> go.Figure:
    """Recurring and on-demand tasks (``open_ended_by_status``) by status class."""
    kinds = {"recurring": "Thường xuyên, định kỳ", "on_demand": "Theo yêu cầu, đột xuất"}
    fig = go.Figure()
    for cls in STATUS_CLASS_ORDER:
        part = df[df["status_class"] == cls.value]
        if not part.empty:
            fig.add_bar(
                y=[kinds.get(k, k) for k in part["due_kind"]], x=part["n_tasks"], orientation="h",
                name=STATUS_CLASS_LABELS[cls], marker_color=STATUS_CLASS_COLORS[cls], text=part["n_tasks"],
                textposition="inside", hovertemplate="%{y}<br>" + STATUS_CLASS_LABELS[cls] + ": %{x}<extra></extra>",
            )  # fmt: skip
    fig.update_xaxes(title_text="Số nhiệm vụ", rangemode="tozero")
    return _layout(fig, 250, barmode="stack", margin={"l": 10, "r": 10, "t": 90, "b": 10})


def unit_labels(df: pd.DataFrame, width: int = 26) -> list[str]:
    """Axis labels of the units of ``df``: short names, with the province when several share the chart
    ("Sở TT&TT (Hưng Yên)", or on a second line when that is too long)."""
    several = df["province"].nunique() > 1
    labels = []
    for unit, province in zip(df["unit"], df["province"], strict=True):
        if not several:
            labels.append(short_unit(unit, width))
            continue
        name = wrap(abbreviate(unit), width, max_lines=1)
        labels.append(f"{name} ({province})" if len(name) + len(province) + 3 <= width else f"{name}<br>({province})")
    return labels


def _bar_height(n: int, legend: bool = False) -> int:
    return max(260, (120 if legend else 40) + 46 * n)


def _dtick(values: pd.Series) -> int | None:
    return 1 if len(values) and values.max() <= 10 else None


__all__ = ["CONFIG", "heatmap", "open_ended_bars", "province_bars", "status_bars", "timeline_bars",
           "topic_bars", "trend_bars", "unit_completion_bars", "unit_labels", "unit_overdue_bars", "wrap"]  # fmt: skip
