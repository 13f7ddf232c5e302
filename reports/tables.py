"""The report's tables as text rows: ``(headers, rows, column widths in cm)`` from query frames.

Used by the .docx (and by the slides for the task lists); numbers formatted the Vietnamese way.
"""

from __future__ import annotations

import pandas as pd

from display.format import fmt_date, fmt_int, fmt_pct
from queries.overview import Kpis

Rows = tuple[list[str], list[list[str]], list[float]]

COUNT_HEADERS = [
    "Số nhiệm vụ",
    "Đã hoàn thành",
    "Trong đó đúng hạn",
    "Quá hạn chưa hoàn thành",
    "Tỷ lệ hoàn thành",
]


def _counts(n_tasks: int, n_done: int, n_on_time: int, n_overdue: int) -> list[str]:
    rate = fmt_pct(n_done / n_tasks) if n_tasks else "—"
    return [fmt_int(n_tasks), fmt_int(n_done), fmt_int(n_on_time), fmt_int(n_overdue), rate]


def unit_rows(by_unit: pd.DataFrame) -> Rows:
    """One row per lead unit (of ``completion_by_unit``), in the order given."""
    several = by_unit["province"].nunique() > 1 if not by_unit.empty else False
    rows = [
        [str(i), f"{r.unit} ({r.province})" if several else r.unit,
         *_counts(r.n_tasks, r.n_done, r.n_done_on_time, r.n_overdue)]
        for i, r in enumerate(by_unit.itertuples(), start=1)
    ]  # fmt: skip
    return ["STT", "Đơn vị chủ trì", *COUNT_HEADERS], rows, [1.1, 5.6, 1.9, 2.0, 1.9, 2.0, 2.0]


def topic_rows(by_topic: pd.DataFrame, kpis: Kpis) -> Rows:
    """One row per topic (``completion_by_topic``), then the total, which equals the KPIs."""
    rows = [
        [str(i), r.topic, *_counts(r.n_tasks, r.n_done, r.n_done_on_time, r.n_overdue)]
        for i, r in enumerate(by_topic.itertuples(), start=1)
    ]
    rows.append(["", "Tổng cộng", *_counts(kpis.n_tasks, kpis.n_done, kpis.n_done_on_time, kpis.n_overdue)])
    return ["STT", "Chủ đề", *COUNT_HEADERS], rows, [1.1, 5.6, 1.9, 2.0, 1.9, 2.0, 2.0]


def due_text(row) -> str:
    """ "30/09/2024", with the original deadline when it was extended; the text as written if undated."""
    if row.due_date is None or pd.isna(row.due_date):
        return row.due_text or ""
    text = fmt_date(row.due_date)
    original = row.due_date_original
    if original is not None and not pd.isna(original):
        text += f" (gia hạn; hạn đầu {fmt_date(original)})"
    return text


def _pct(value) -> str:
    return "" if value is None or pd.isna(value) else f"{value:.0f}"


def _lead(row) -> str:
    return row.lead_units_text or row.reporting_unit or ""


def overdue_rows(overdue: pd.DataFrame) -> Rows:
    """Overdue tasks (``overdue_tasks``): longest overdue first."""
    return _deadline_rows(overdue, "days_overdue", "Số ngày quá hạn")


def due_next_rows(due_next: pd.DataFrame) -> Rows:
    """Tasks falling due soon (``due_within``): soonest first."""
    return _deadline_rows(due_next, "days_left", "Còn (ngày)")


def _deadline_rows(tasks: pd.DataFrame, days_column: str, days_header: str) -> Rows:
    rows = [
        [str(i), r.task_title, _lead(r), due_text(r), fmt_int(getattr(r, days_column)), _pct(r.pct_done)]
        for i, r in enumerate(tasks.itertuples(), start=1)
    ]
    headers = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", days_header, "Tiến độ (%)"]
    return headers, rows, [1.1, 6.2, 3.4, 2.4, 1.7, 1.7]
