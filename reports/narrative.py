"""The report's written Vietnamese, computed from ``ReportData`` (the numbers of the Tổng quan page).

Every rate is written with its numerator and denominator, and the overdue rate with both of VPCP's
denominators, e.g. "tỷ lệ quá hạn 25,0% trên tổng số nhiệm vụ được giao (5/20) và 45,5% trên số
nhiệm vụ đã đến hạn (5/11)".
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from display.format import fmt_date, fmt_int, fmt_pct
from queries.overview import Kpis
from reports.data import PeriodChange, ReportData

MAX_NAMED = 3  # units / topics named in one sentence


def share(numerator: int, denominator: int) -> str:
    """ "6/20 (30,0%)"; "0/0" without a percent.

    >>> share(6, 20), share(0, 0)
    ('6/20 (30,0%)', '0/0')
    """
    if not denominator:
        return f"{fmt_int(numerator)}/{fmt_int(denominator)}"
    return f"{fmt_int(numerator)}/{fmt_int(denominator)} ({fmt_pct(numerator / denominator)})"


def completion_sentence(data: ReportData) -> str:
    """ "Trong Quý III/2024, tính đến ngày 30/09/2024, có 6/20 nhiệm vụ đã hoàn thành (30,0%), trong đó…" """
    k = data.kpis
    done = f"có {fmt_int(k.n_done)}/{fmt_int(k.n_tasks)} nhiệm vụ đã hoàn thành"
    rate = f" ({fmt_pct(k.done_rate)})" if k.n_tasks else ""
    parts = [f"{fmt_int(k.n_done_on_time)} đúng hạn", f"{fmt_int(k.n_done_late)} quá hạn"]
    if k.n_done_undated:
        parts.append(f"{fmt_int(k.n_done_undated)} chưa rõ ngày hoàn thành")
    units = f" theo báo cáo của {fmt_int(data.n_reporting_units)} đơn vị" if data.n_reporting_units else ""
    return (
        f"Trong {data.period_label}, tính đến ngày {fmt_date(data.filters.as_of)}{units}, {done}{rate}, "
        f"trong đó {_join(parts)}."
    )


def open_tasks_sentence(k: Kpis) -> str:
    """What is not done: in progress, not started, suspended, not reported."""
    parts = [
        f"{fmt_int(k.n_in_progress)} nhiệm vụ đang thực hiện trong hạn",
        f"{fmt_int(k.n_not_started)} nhiệm vụ chưa thực hiện (còn trong hạn)",
    ]
    if k.n_suspended:
        parts.append(f"{fmt_int(k.n_suspended)} nhiệm vụ tạm dừng hoặc đề nghị điều chỉnh")
    if k.n_no_report:
        parts.append(f"{fmt_int(k.n_no_report)} nhiệm vụ chưa có báo cáo")
    return f"Còn {_join(parts)}."


def overdue_sentence(data: ReportData) -> str:
    """The overdue count and both overdue rates, each with its denominator."""
    k = data.kpis
    if not k.n_overdue:
        return "Không có nhiệm vụ nào quá hạn chưa hoàn thành."
    return (
        f"Có {fmt_int(k.n_overdue)} nhiệm vụ quá hạn chưa hoàn thành: tỷ lệ quá hạn {fmt_pct(k.overdue_rate_all)} "
        f"trên tổng số nhiệm vụ được giao ({fmt_int(k.n_overdue)}/{fmt_int(k.n_tasks)}) và "
        f"{fmt_pct(k.overdue_rate_due)} trên số nhiệm vụ đã đến hạn tính đến ngày {fmt_date(data.filters.as_of)} "
        f"({fmt_int(k.n_overdue)}/{fmt_int(k.n_due)})."
    )


def overdue_units_sentence(data: ReportData) -> str:
    """The units leading the most overdue tasks (``ranked_by_overdue``)."""
    ranked = data.overdue_units
    if ranked.empty:
        return "Không có đơn vị nào có nhiệm vụ quá hạn."
    named = [
        f"{r.unit} ({fmt_int(r.n_overdue)}/{fmt_int(r.n_tasks)} nhiệm vụ chủ trì quá hạn)"
        for r in ranked.head(MAX_NAMED).itertuples()
    ]
    more = f"; tổng cộng {fmt_int(len(ranked))} đơn vị có nhiệm vụ quá hạn" if len(ranked) > MAX_NAMED else ""
    return f"Đơn vị có nhiều nhiệm vụ quá hạn nhất: {_join(named)}{more}."


def unit_range_sentence(data: ReportData) -> str:
    """The lowest and highest completion among the lead units ranked by rate (``ranked_units``: at
    least ``min_unit_tasks`` tasks), and how many units have fewer tasks (listed apart)."""
    ranked = data.ranked_units
    few = data.few_task_units
    apart = (
        f" {fmt_int(len(few))} đơn vị có ít hơn {data.min_unit_tasks} nhiệm vụ chủ trì được liệt kê riêng, "
        "không xếp hạng theo tỷ lệ."
        if len(few)
        else ""
    )

    def named(r) -> str:
        return f"{r.unit}, {fmt_int(r.n_done)}/{fmt_int(r.n_tasks)} nhiệm vụ"

    if ranked.empty:
        return f"Không có đơn vị chủ trì nào có từ {data.min_unit_tasks} nhiệm vụ trở lên.{apart}"
    worst, best = ranked.iloc[0], ranked.iloc[-1]
    if len(ranked) == 1:
        return f"Đơn vị chủ trì có từ {data.min_unit_tasks} nhiệm vụ trở lên đã hoàn thành {fmt_pct(best.pct_done)} ({named(best)}).{apart}"
    return (
        f"Tỷ lệ hoàn thành của {fmt_int(len(ranked))} đơn vị chủ trì có từ {data.min_unit_tasks} nhiệm vụ trở lên "
        f"từ {fmt_pct(worst.pct_done)} ({named(worst)}) đến {fmt_pct(best.pct_done)} ({named(best)}).{apart}"
    )


def lagging_topics(data: ReportData) -> pd.DataFrame:
    """Topics whose completion rate is below the overall one, lowest first (then the larger first)."""
    by_topic = data.by_topic[data.by_topic["n_tasks"] > 0]
    overall = data.kpis.done_rate or 0.0
    lagging = by_topic[by_topic["pct_done"] < overall]
    return lagging.sort_values(["pct_done", "n_tasks"], ascending=[True, False], ignore_index=True)


def lagging_topics_sentence(data: ReportData) -> str:
    lagging = lagging_topics(data)
    if lagging.empty:
        return "Không có chủ đề nào có tỷ lệ hoàn thành thấp hơn mức chung."
    named = [
        f"{r.topic} ({fmt_int(r.n_done)}/{fmt_int(r.n_tasks)} nhiệm vụ hoàn thành, {fmt_pct(r.pct_done)})"
        for r in lagging.head(MAX_NAMED).itertuples()
    ]
    return (
        f"Các chủ đề có tỷ lệ hoàn thành thấp hơn mức chung ({fmt_pct(data.kpis.done_rate)}): {_join(named)}."
    )


def change_sentence(change: PeriodChange | None) -> str | None:
    """Completion and overdue now against the previous period; None when there is nothing to compare."""
    if change is None:
        return None
    if not change.has_before:
        return f"Chưa có số liệu {change.previous.label} để so sánh."
    now, before, m = change.current, change.before, change.matched
    return (
        f"So với {change.previous.label}, trên {fmt_int(m.n_matched)} nhiệm vụ có trong cả hai kỳ "
        f"({matched_note(change)}): tỷ lệ hoàn thành {_rate_moved(before, now)}; số nhiệm vụ quá hạn chưa "
        f"hoàn thành {_moved(before.n_overdue, now.n_overdue, fmt_int)}."
    )


def matched_note(change: PeriodChange) -> str:
    """ "khớp theo kế hoạch hoặc đơn vị và mã nhiệm vụ, 1 tỉnh có báo cáo cả hai kỳ; 8 nhiệm vụ mới, 0 không còn"."""
    m = change.matched
    return (
        f"khớp theo kế hoạch hoặc theo đơn vị và mã nhiệm vụ, ở {fmt_int(len(m.provinces))} tỉnh có báo cáo cả "
        f"hai kỳ: {', '.join(m.provinces)}; {fmt_int(m.n_new)} nhiệm vụ mới, {fmt_int(m.n_gone)} nhiệm vụ không "
        "còn trong báo cáo"
    )


def _rate_moved(before: Kpis, now: Kpis) -> str:
    """ "tăng từ 25,0% (1/4 nhiệm vụ) lên 30,8% (4/13 nhiệm vụ)"."""
    was = f"{fmt_pct(before.done_rate)} ({fmt_int(before.n_done)}/{fmt_int(before.n_tasks)} nhiệm vụ)"
    is_ = f"{fmt_pct(now.done_rate)} ({fmt_int(now.n_done)}/{fmt_int(now.n_tasks)} nhiệm vụ)"
    old, new = before.done_rate or 0.0, now.done_rate or 0.0
    if abs(new - old) < 5e-4:
        return f"không đổi: {was} và {is_}"
    return f"tăng từ {was} lên {is_}" if new > old else f"giảm từ {was} xuống {is_}"


def due_next_sentence(data: ReportData) -> str:
    until = fmt_date(data.filters.as_of + timedelta(days=data.due_next_days))
    n = len(data.due_next)
    if not n:
        return f"Không có nhiệm vụ nào đến hạn trong {data.due_next_days} ngày tới (đến ngày {until})."
    return (
        f"Trong {data.due_next_days} ngày tới (đến ngày {until}) có {fmt_int(n)} nhiệm vụ đến hạn chưa hoàn "
        "thành, cần tập trung chỉ đạo thực hiện."
    )


def summary_paragraphs(data: ReportData) -> list[str]:
    """Section I: where things stand, who is late, what lags, the change, what falls due."""
    first = " ".join([completion_sentence(data), open_tasks_sentence(data.kpis), overdue_sentence(data)])
    second = " ".join([overdue_units_sentence(data), lagging_topics_sentence(data)])
    paragraphs = [first, second]
    if (change := change_sentence(data.change)) is not None:
        paragraphs.append(change)
    paragraphs.append(due_next_sentence(data))
    return paragraphs


def _moved(before, now, fmt) -> str:
    """ "tăng từ 25,0% lên 30,8%" / "giảm từ 3 xuống 2" / "không đổi (3)"."""
    if before is None or now is None:
        return f"từ {fmt(before)} đến {fmt(now)}"
    if now == before:
        return f"không đổi ({fmt(now)})"
    return (
        f"tăng từ {fmt(before)} lên {fmt(now)}" if now > before else f"giảm từ {fmt(before)} xuống {fmt(now)}"
    )


def _join(parts: list[str]) -> str:
    """ "a, b và c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


def receipts_sentence(data: ReportData) -> str:
    """ "Tình hình nộp báo cáo: 7/9 đơn vị đã nộp báo cáo Quý III/2022 (hạn nộp 10/11/2022); chưa nộp: …; nộp muộn: …"."""
    r = data.receipts
    dues = sorted({p.due for p in r.provinces if p.due is not None})
    text = f"Tình hình nộp báo cáo: {r.text}"
    if dues:
        text += f" (hạn nộp theo kế hoạch: {', '.join(fmt_date(d) for d in dues)})"
    missing = [u.unit for p in r.provinces for u in p.missing]
    late = [f"{u.unit} (nộp ngày {fmt_date(u.received_on)})" for p in r.provinces for u in p.late]
    if missing:
        text += f"; chưa nộp: {', '.join(missing)}"
    if late:
        text += f"; nộp muộn: {', '.join(late)}"
    return text + "."
