"""The slides of the Trình chiếu page (quarterly meetings on a projector): content only, no Streamlit.

Six slides for the selection: headline KPIs; completion by unit; by topic; the overdue list; what
falls due in the next 30 days; the change since the previous period. Numbers come from
``reports.data.collect`` (the dashboard's queries); the page draws them with ``projector.css``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import plotly.graph_objects as go

from etl.vocab.status import STATUS_CLASS_LABELS, StatusClass
from queries import units
from queries.filters import Filters
from reports import figures, narrative
from reports.data import ReportData, collect
from reports.scope import scope_line
from reports.tables import due_text
from ui.format import fmt_date, fmt_int, fmt_pct, fmt_rate

CSS_PATH = Path(__file__).with_name("projector.css")
FIGURE_HEIGHT = 340  # px: the chart of a 1280×720 slide, under its legend
TREND_HEIGHT = 175  # px: the trend under the metric cards of the last slide
MAX_UNITS = 8  # bars on the unit slide
MAX_ROWS = 6  # rows of a task list on a slide


@dataclass(frozen=True)
class Metric:
    """A big number; ``note`` a small line under it; ``delta_color`` as ``st.metric`` (off: no colour)."""

    label: str
    value: str
    note: str | None = None
    delta_color: str = "off"


@dataclass(frozen=True)
class Slide:
    key: str
    title: str
    metrics: list[Metric] = field(default_factory=list)
    figure: go.Figure | None = None
    legend_html: str | None = None  # the figure's legend, drawn in HTML above it
    table_html: str | None = None
    note: str = ""
    empty: str = ""  # said instead of the figure or table when there is nothing to show
    scope: str = ""  # what the numbers cover, in words (``reports.scope.scope_line``)


def build_deck(conn: duckdb.DuckDBPyConnection, filters: Filters) -> list[Slide]:
    """The slides for ``filters``, in order."""
    data = collect(conn, filters)
    deck = [_kpis(data), _units(data), _topics(data), _overdue(data), _due_next(data), _change(data)]
    scope = scope_line(filters, data.scope)
    return [replace(slide, scope=scope) for slide in deck]


def deck_titles() -> list[str]:
    """Short names of the slides, for the slide picker."""
    return ["Tổng quan", "Đơn vị", "Chủ đề", "Quá hạn", "Sắp đến hạn", "So với kỳ trước"]


def header_html(slide: Slide, number: int, total: int, filters: Filters) -> str:
    """The slide's title, the active filters and the slide number."""
    return (
        f'<div class="ttdn-head"><div class="ttdn-title">{html.escape(slide.title)}</div>'
        f'<div class="ttdn-page">{number}/{total}</div></div>'
        f'<div class="ttdn-scope">{html.escape(slide.scope or scope_line(filters))}</div>'
    )


def legend_html(fig: go.Figure) -> str:
    """The figure's legend as HTML: coloured squares and names, wrapping over the slide's width."""
    hatched = STATUS_CLASS_LABELS[StatusClass.NO_REPORT]
    items = "".join(
        f'<span class="ttdn-key"><span class="ttdn-swatch" style="background:{_swatch(str(color), name == hatched)}">'
        f"</span>{html.escape(name)}</span>"
        for name, color in figures.legend_items(fig)
    )
    return f'<div class="ttdn-legend">{items}</div>'


def _swatch(color: str, hatched: bool) -> str:
    """A legend square's CSS background: the colour, striped like the bars for "no report"."""
    color = html.escape(color)
    return f"repeating-linear-gradient(45deg, {color} 0 4px, #ffffff 4px 6px)" if hatched else color


def note_html(text: str) -> str:
    return f'<div class="ttdn-note">{html.escape(text)}</div>'


def empty_html(text: str) -> str:
    return f'<div class="ttdn-empty">{html.escape(text)}</div>'


def _kpis(data: ReportData) -> Slide:
    k = data.kpis
    as_of = data.filters.as_of
    metrics = [
        Metric("Tổng số nhiệm vụ", fmt_int(k.n_tasks), f"{fmt_int(data.n_reporting_units)} đơn vị báo cáo"),
        Metric("Đã hoàn thành", f"{fmt_int(k.n_done)}/{fmt_int(k.n_tasks)}",
               f"{fmt_pct(k.done_rate)} · {fmt_int(k.n_done_on_time)} đúng hạn, {fmt_int(k.n_done_late)} quá hạn"),
        Metric("Đang thực hiện trong hạn", fmt_int(k.n_in_progress),
               f"{fmt_int(k.n_not_started)} chưa thực hiện (trong hạn)"),
        Metric("Quá hạn chưa hoàn thành", fmt_int(k.n_overdue), f"{fmt_int(k.n_suspended)} tạm dừng"),
        Metric("Tỷ lệ quá hạn / được giao", fmt_rate(k.n_overdue, k.n_tasks), "mẫu số: mọi nhiệm vụ được giao"),
        Metric("Tỷ lệ quá hạn / đã đến hạn", fmt_rate(k.n_overdue, k.n_due),
               f"mẫu số: nhiệm vụ có hạn đến {fmt_date(as_of)}"),
    ]  # fmt: skip
    note = f"Sắp đến hạn trong {data.filters.due_soon_days} ngày: {fmt_int(k.n_due_soon)} nhiệm vụ."
    return Slide("kpis", f"Kết quả chung — {data.period_label}", metrics=metrics, note=note)


def _units(data: ReportData) -> Slide:
    title = "Kết quả theo đơn vị chủ trì"
    if data.by_unit.empty:
        return Slide("units", title, empty="Không có đơn vị nào trong phạm vi lọc.")
    min_tasks = units.min_tasks_to_rank()
    ranked, few = units.split_by_task_count(data.by_unit, min_tasks)
    if ranked.empty:
        return Slide("units", title, empty=f"Không có đơn vị nào chủ trì từ {min_tasks} nhiệm vụ trở lên.")
    shown = ranked.head(MAX_UNITS)
    fig = figures.unit_figure(shown, figures.PROJECTOR_FONT, FIGURE_HEIGHT, legend=False)
    note = narrative.overdue_units_sentence(data)
    if not few.empty:
        note += f" {fmt_int(len(few))} đơn vị có ít hơn {min_tasks} nhiệm vụ không được xếp hạng."
    title += f" ({fmt_int(len(shown))}/{fmt_int(len(ranked))} đơn vị, thấp nhất trước)"
    return Slide("units", title, figure=fig, legend_html=legend_html(fig), note=note)


def _topics(data: ReportData) -> Slide:
    title = "Kết quả theo chủ đề"
    if data.by_topic.empty:
        return Slide("topics", title, empty="Không có nhiệm vụ nào trong phạm vi lọc.")
    fig = figures.topic_figure(data.by_topic, figures.PROJECTOR_FONT, FIGURE_HEIGHT, legend=False)
    return Slide(
        "topics",
        title,
        figure=fig,
        legend_html=legend_html(fig),
        note=narrative.lagging_topics_sentence(data),
    )


def _overdue(data: ReportData) -> Slide:
    title = f"Nhiệm vụ quá hạn chưa hoàn thành: {fmt_int(len(data.overdue))}"
    if data.overdue.empty:
        return Slide("overdue", title, empty="Không có nhiệm vụ nào quá hạn.")
    rows = [[r.task_title, r.lead_units_text or r.reporting_unit, due_text(r), fmt_int(r.days_overdue)]
            for r in data.overdue.head(MAX_ROWS).itertuples()]  # fmt: skip
    table = table_html(["Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Quá hạn (ngày)"], rows)
    more = len(data.overdue) - MAX_ROWS
    note = (f"Và {fmt_int(more)} nhiệm vụ khác (xem trang Theo thời hạn). " if more > 0 else "") + _rates(
        data
    )
    return Slide("overdue", title, table_html=table, note=note)


def _due_next(data: ReportData) -> Slide:
    title = f"Đến hạn trong {data.due_next_days} ngày tới: {fmt_int(len(data.due_next))} nhiệm vụ"
    if data.due_next.empty:
        return Slide("due_next", title, empty=narrative.due_next_sentence(data))
    rows = [[r.task_title, r.lead_units_text or r.reporting_unit, due_text(r), fmt_int(r.days_left)]
            for r in data.due_next.head(MAX_ROWS).itertuples()]  # fmt: skip
    table = table_html(["Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Còn (ngày)"], rows)
    more = len(data.due_next) - MAX_ROWS
    note = f"Và {fmt_int(more)} nhiệm vụ khác (xem trang Theo thời hạn)." if more > 0 else ""
    return Slide("due_next", title, table_html=table, note=note)


def _change(data: ReportData) -> Slide:
    change = data.change
    if change is None or not change.has_before:
        previous = change.previous.label if change else "kỳ trước"
        return Slide(
            "change", "So với kỳ trước", empty=f"Chưa có nhiệm vụ nào có trong cả {previous} và kỳ này."
        )
    now, before, m = change.current, change.before, change.matched
    done_delta = (now.done_rate or 0) - (before.done_rate or 0)
    metrics = [
        Metric("Tỷ lệ hoàn thành",
               f"{fmt_pct(before.done_rate, 0)} → {fmt_pct(now.done_rate, 0)}",
               f"{_signed_points(done_delta)} ({fmt_int(before.n_done)} → {fmt_int(now.n_done)} "
               f"trên {fmt_int(m.n_matched)} nhiệm vụ)"),  # no red: red is for overdue only
        Metric("Quá hạn chưa hoàn thành", f"{fmt_int(before.n_overdue)} → {fmt_int(now.n_overdue)}",
               f"{now.n_overdue - before.n_overdue:+d} nhiệm vụ", "inverse"),
        Metric("Nhiệm vụ so sánh", f"{fmt_int(m.n_matched)} nhiệm vụ",
               f"có ở cả hai kỳ · {fmt_int(m.n_new)} mới · {fmt_int(m.n_gone)} không còn"),
    ]  # fmt: skip
    fig = None
    if not data.trend.empty:
        fig = figures.trend_figure(data.trend, figures.PROJECTOR_FONT - 2, TREND_HEIGHT, legend=False)
    title = f"{change.period.label} so với {change.previous.label} (cùng nhiệm vụ)"
    note = f"Chỉ so sánh nhiệm vụ có trong cả hai kỳ: {narrative.matched_note(change)}."
    return Slide(
        "change", title, metrics=metrics, figure=fig, legend_html=fig and legend_html(fig), note=note
    )


def _rates(data: ReportData) -> str:
    k = data.kpis
    return (
        f"Tỷ lệ quá hạn: {fmt_rate(k.n_overdue, k.n_tasks)} nhiệm vụ được giao; "
        f"{fmt_rate(k.n_overdue, k.n_due)} nhiệm vụ đã đến hạn."
    )


def _signed_points(delta: float) -> str:
    """ "+5,8 điểm %" / "−2,0 điểm %"."""
    text = fmt_pct(abs(delta)).rstrip("%")
    return f"{'+' if delta >= 0 else '−'}{text} điểm %"


def table_html(headers: list[str], rows: list[list[str]]) -> str:
    """A plain HTML table (escaped), styled by ``projector.css``: large type, long titles on two lines."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f'<td><div class="ttdn-clamp">{html.escape(str(v))}</div></td>' for v in row)
        + "</tr>"
        for row in rows
    )
    return f'<table class="ttdn-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
