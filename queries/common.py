"""SQL fragments and small helpers shared by the query modules (no user input ever reaches them)."""

from __future__ import annotations

import pandas as pd

from etl.vocab.periods import Period, PeriodKind
from etl.vocab.status import STATUS_CLASS_LABELS, STATUS_CLASS_ORDER, StatusClass

DONE_CLASSES = (StatusClass.DONE_ON_TIME, StatusClass.DONE_LATE, StatusClass.DONE_UNDATED)
OPEN_KINDS = ("recurring", "on_demand")  # judged per period / on request: never overdue
OPEN_KINDS_SQL = "(" + ", ".join(f"'{k}'" for k in OPEN_KINDS) + ")"

# One column per status class: n_done_on_time, n_done_late, ...
CLASS_COUNTS = ",\n    ".join(
    f"count(*) FILTER (WHERE status_class = '{c.value}') AS n_{c.value}" for c in STATUS_CLASS_ORDER
)
DONE_LIST = ", ".join(f"'{c.value}'" for c in DONE_CLASSES)
N_DONE = f"count(*) FILTER (WHERE status_class IN ({DONE_LIST}))"
# A task "due by as_of": a dated, non-recurring deadline on or before the as-of date.
IS_DUE = f"(due_date IS NOT NULL AND due_kind NOT IN {OPEN_KINDS_SQL} AND due_date <= as_of)"
# Text columns of a task for a table: blanks rather than None; the deadline as written, or the date.
TASK_TEXTS = """coalesce(due_text, strftime(due_date, '%d/%m/%Y'), '') AS due_text,
    coalesce(result_text, '') AS result_text, coalesce(difficulties, '') AS difficulties,
    coalesce(proposals, '') AS proposals"""
# The rank of a status class in the conventional order, for sorting in SQL.
CLASS_RANK = (
    "CASE status_class "
    + " ".join(f"WHEN '{c.value}' THEN {i}" for i, c in enumerate(STATUS_CLASS_ORDER))
    + " END"
)


# The status filter: one class, or "done" (the three done classes together: what the completion rate counts).
DONE_GROUP = "done"
STATUS_FILTER_LABELS = {
    DONE_GROUP: "Đã hoàn thành (mọi loại)",
    **{c.value: STATUS_CLASS_LABELS[c] for c in STATUS_CLASS_ORDER},
}


def status_filter_sql(value: str) -> tuple[str, list]:
    """The condition of the status filter ``value`` (a class code, or ``DONE_GROUP``)."""
    if value == DONE_GROUP:
        return f"status_class IN ({DONE_LIST})", []
    return "status_class = ?", [value]


def status_label(code: str | None) -> str:
    """Vietnamese label of a status class code ("overdue" → "Quá hạn chưa hoàn thành")."""
    try:
        return STATUS_CLASS_LABELS[StatusClass(code)]
    except ValueError:
        return code or ""


def period_label(year: int, kind: str, index: int | None) -> str:
    """ "Quý III/2024" from the three period columns."""
    return Period(int(year), PeriodKind(kind), None if pd.isna(index) else int(index)).label


def period_code(year: int, kind: str, index: int | None) -> str:
    """ "2024-Q3" from the three period columns."""
    return Period(int(year), PeriodKind(kind), None if pd.isna(index) else int(index)).code


def add_period_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``period_code`` and ``period_label`` from ``period_year/kind/index`` (each distinct period
    is named once: a table of 1,000 rows has a handful of periods)."""
    keys = list(zip(df["period_year"], df["period_kind"], df["period_index"], strict=True))
    names = {k: (period_code(*k), period_label(*k)) for k in set(keys)}
    df["period_code"] = [names[k][0] for k in keys]
    df["period_label"] = [names[k][1] for k in keys]
    return df


def add_status_labels(df: pd.DataFrame) -> pd.DataFrame:
    labels = {c: status_label(c) for c in set(df["status_class"])}
    df["status_label"] = [labels[c] for c in df["status_class"]]
    return df


def total_of(rows: pd.DataFrame) -> int:
    """How many rows a list query found before its limit: its ``n_total`` column
    (``count(*) OVER ()``), the same on every row; 0 for an empty list."""
    return 0 if rows.empty else int(rows["n_total"].iloc[0])


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


# Vietnamese column headers of task tables, shared by the pages, exports and the report appendix.
COLUMN_LABELS = {
    "province": "Tỉnh, thành phố",
    "reporting_unit": "Đơn vị báo cáo",
    "period_label": "Kỳ báo cáo",
    "task_code": "STT",
    "task_title": "Nội dung nhiệm vụ",
    "topic": "Chủ đề",
    "status_label": "Tình trạng",
    "due_text": "Thời hạn (như ghi)",
    "due_date": "Hạn hoàn thành",
    "due_date_original": "Hạn ban đầu (trước gia hạn)",
    "lead_unit": "Đơn vị chủ trì",
    "lead_units_text": "Đơn vị chủ trì",
    "coordinating_units_text": "Đơn vị phối hợp",
    "pct_done": "Tiến độ (%)",
    "completed_on": "Ngày hoàn thành",
    "result_text": "Kết quả thực hiện",
    "difficulties": "Khó khăn, vướng mắc",
    "proposals": "Đề xuất, kiến nghị",
    "days_overdue": "Số ngày quá hạn",
    "days_left": "Còn (ngày)",
}
