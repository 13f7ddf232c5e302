"""The slides of the Trình chiếu page (quarterly meetings on a projector): content only, no Streamlit.

Six slides for the selection: headline KPIs; completion by unit; by topic; the overdue list; what
falls due within the due-soon window (``Filters.due_soon_days``, the setting, as on every page); the
change since the previous period. Numbers come from
``reports.data.collect`` (the dashboard's queries); the page draws them with ``projector.css``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import plotly.graph_objects as go

from display.format import fmt_date, fmt_int, fmt_pct, fmt_rate
from etl.vocab.status import STATUS_CLASS_LABELS, StatusClass
from queries.filters import Filters
from reports import figures, narrative, slide_charts
from reports.data import ReportData, collect
from reports.scope import scope_line
from reports.tables import due_text

CSS_PATH = Path(__file__).with_name("projector.css")
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


def build_deck(
    conn: duckdb.DuckDBPyConnection, filters: Filters, font_size: int = figures.PROJECTOR_FONT
) -> list[Slide]:
    """The slides for ``filters``, in order; the charts' type ``font_size`` px (``chart_font_size``)."""
    data = collect(conn, filters, due_next_days=filters.due_soon_days)
    deck = [_kpis(data), _units(data, font_size), _topics(data, font_size), _overdue(data), _due_next(data),
            _change(data, font_size)]  # fmt: skip
    scope = scope_line(filters, data.scope)
    return [replace(slide, scope=scope) for slide in deck]


def chart_font_size(screen_height: int | None) -> int:
    """The charts' type for a screen ``screen_height`` px high: ``PROJECTOR_FONT`` at 720 lines (and
    below, or unknown), growing with the height as the slide's other text does (``--vh`` in
    ``projector.css``), up to 3840×2160."""
    if not screen_height:
        return figures.PROJECTOR_FONT
    return round(figures.PROJECTOR_FONT * min(max(screen_height / 720, 1.0), 3.0))


def deck_titles() -> list[str]:
    """Short names of the slides, for the slide picker."""
    return ["Tổng quan", "Đơn vị", "Chủ đề", "Quá hạn", "Sắp đến hạn", "So với kỳ trước"]


def header_html(slide: Slide, number: int, total: int, filters: Filters) -> str:
    """The slide's title, the active filters and the slide number."""
    return (
        f'<div class="ttdn-head"><div class="ttdn-title">{html.escape(slide.title)}</div>'
        f'<div class="ttdn-page">{number}/{total}</div></div>'
        f'<div class="ttdn-scope">{html.escape(slide.scope or slide_scope(filters))}</div>'
    )


def slide_scope(filters: Filters) -> str:
    """The line under every slide's title: provinces, plan year or period, the date judged on."""
    return scope_line(filters)


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


def _units(data: ReportData, font_size: int) -> Slide:
    title = "Kết quả theo đơn vị chủ trì"
    if data.by_unit.empty:
        return Slide("units", title, empty="Không có đơn vị nào trong phạm vi lọc.")
    by_unit = data.by_unit
    if data.scope.stale:  # a province behind the others: its period beside each of its units
        by_unit = by_unit.assign(stale_note=data.scope.stale_notes(by_unit["province"]))
    shown, n_more = slide_charts.units_to_show(by_unit)
    title += f" ({fmt_int(len(shown))}/{fmt_int(len(by_unit))} đơn vị, nhiều quá hạn nhất trước)"
    fig = slide_charts.unit_chart(shown, by_unit, font_size)
    note = narrative.overdue_units_sentence(data)
    if n_more:  # the chart names the units with most overdue tasks; the rest are counted
        note = (
            f"{fmt_int(len(shown))} đơn vị có nhiều nhiệm vụ quá hạn nhất; và {fmt_int(n_more)} đơn vị khác "
            "(xem trang Theo đơn vị)."
        )
    return Slide("units", title, figure=fig, legend_html=legend_html(fig), note=note)


def _topics(data: ReportData, font_size: int) -> Slide:
    title = "Kết quả theo chủ đề"
    if data.by_topic.empty:
        return Slide("topics", title, empty="Không có nhiệm vụ nào trong phạm vi lọc.")
    shown = data.by_topic.head(slide_charts.MAX_TOPICS)
    fig = slide_charts.topic_chart(shown, font_size)
    note = narrative.lagging_topics_sentence(data)
    if (n_more := len(data.by_topic) - len(shown)) > 0:
        note = f"Và {fmt_int(n_more)} chủ đề khác (xem trang Theo chủ đề). {note}"
    return Slide("topics", title, figure=fig, legend_html=legend_html(fig), note=note)


def _overdue(data: ReportData) -> Slide:
    title = f"Nhiệm vụ quá hạn chưa hoàn thành: {fmt_int(len(data.overdue))}"
    if data.overdue.empty:
        return Slide("overdue", title, empty="Không có nhiệm vụ nào quá hạn.")
    rows = [[r.task_title, r.lead_units_text or r.reporting_unit, r.province, due_text(r), fmt_int(r.days_overdue)]
            for r in data.overdue.head(MAX_ROWS).itertuples()]  # fmt: skip
    table = table_html(["Nhiệm vụ", "Đơn vị chủ trì", "Tỉnh, thành phố", "Thời hạn", "Quá hạn (ngày)"], rows)
    more = len(data.overdue) - MAX_ROWS
    note = (f"Và {fmt_int(more)} nhiệm vụ khác (xem trang Theo thời hạn). " if more > 0 else "") + _rates(
        data
    )
    return Slide("overdue", title, table_html=table, note=note)


def _due_next(data: ReportData) -> Slide:
    title = f"Đến hạn trong {data.due_next_days} ngày tới: {fmt_int(len(data.due_next))} nhiệm vụ"
    if data.due_next.empty:
        return Slide("due_next", title, empty=narrative.due_next_sentence(data))
    rows = [[r.task_title, r.lead_units_text or r.reporting_unit, r.province, due_text(r), fmt_int(r.days_left)]
            for r in data.due_next.head(MAX_ROWS).itertuples()]  # fmt: skip
    table = table_html(["Nhiệm vụ", "Đơn vị chủ trì", "Tỉnh, thành phố", "Thời hạn", "Còn (ngày)"], rows)
    more = len(data.due_next) - MAX_ROWS
    note = f"Và {fmt_int(more)} nhiệm vụ khác (xem trang Theo thời hạn)." if more > 0 else ""
    return Slide("due_next", title, table_html=table, note=note)


def _change(data: ReportData, font_size: int) -> Slide:
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
        fig = slide_charts.trend_chart(
            data.trend, round(font_size * (figures.PROJECTOR_FONT - 2) / figures.PROJECTOR_FONT)
        )
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


KEYS = [
    ("→  Page Down", "Trang sau"),
    ("←  Page Up", "Trang trước"),
    ("?", "Hiện / ẩn bảng phím tắt này"),
    ("Esc", "Đóng bảng phím tắt"),
    ("Di chuột", "Hiện thanh điều khiển (tự ẩn sau 3 giây)"),
]

# Shows the controls for 3 s on a mouse move or a key other than the slide keys; "?" toggles the help.
_KEYS_SCRIPT = """<script>
(() => {
  if (window.__ttdnKeys) return;
  window.__ttdnKeys = true;
  const root = document.documentElement;
  let timer;
  const wake = () => {
    root.classList.add('ttdn-awake');
    clearTimeout(timer);
    timer = setTimeout(() => root.classList.remove('ttdn-awake'), 3000);
  };
  document.addEventListener('mousemove', wake);
  document.addEventListener('keydown', (e) => {
    if (e.key === '?') { root.classList.toggle('ttdn-help-open'); return; }
    if (e.key === 'Escape') { root.classList.remove('ttdn-help-open'); }
    if (!['ArrowLeft', 'ArrowRight', 'PageUp', 'PageDown'].includes(e.key)) wake();
  });
})();
</script>"""

# Opens the print dialog once every chart of the deck is drawn (once per page load).
_PRINT_SCRIPT = """<script>
(() => {
  if (window.__ttdnPrinted === location.href) return;
  window.__ttdnPrinted = location.href;
  const ready = () => document.querySelectorAll('.ttdn-chart .main-svg').length >= N_CHARTS
    && !document.querySelector('[data-testid="stSkeleton"]');
  const wait = (tries) => ready() || tries <= 0 ? setTimeout(() => window.print(), 500)
    : setTimeout(() => wait(tries - 1), 250);
  wait(80);
})();
</script>"""


def help_html() -> str:
    """The keyboard shortcuts (hidden until "?") and the script that shows them and the controls."""
    rows = "".join(f"<div><kbd>{html.escape(k)}</kbd>{html.escape(what)}</div>" for k, what in KEYS)
    return (
        f'<div class="ttdn-help" role="dialog" aria-label="Phím tắt"><div class="ttdn-help-box">'
        f"<h2>Phím tắt</h2>{rows}</div></div>{_KEYS_SCRIPT}"
    )


def print_url(params: dict[str, str]) -> str:
    """The page's own URL (relative) with ``print=1``: every slide on its own landscape page."""
    kept = {k: v for k, v in params.items() if k not in ("print", "slide", "auto", "every")}
    return "?" + urlencode({**kept, "print": "1"})


def print_chart_height(slide: Slide) -> int:
    """The chart's height on a printed sheet (660 px): what the header, cards, legend and note leave."""
    return 190 if slide.metrics else 330


def print_script(deck: list[Slide]) -> str:
    """The script that opens the print dialog once the ``deck``'s charts are drawn."""
    return _PRINT_SCRIPT.replace("N_CHARTS", str(sum(1 for slide in deck if slide.figure is not None)))
