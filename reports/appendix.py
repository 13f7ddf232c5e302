"""The report's appendix: every task of the selection with its status, as .xlsx.

Written by ``queries.export.to_xlsx`` (text cells never become formulas), one row per task of
``queries.tasks.task_table``, the order of the Nhiệm vụ page: overdue first, then by deadline.
"""

from __future__ import annotations

import duckdb

from queries import tasks
from queries.common import COLUMN_LABELS
from queries.export import to_xlsx
from queries.filters import Filters
from queries.scope import Scope, describe_scope
from reports.errors import EmptyReport
from reports.scope import scope_line

# The task table's headers, with the code written as printed in the report.
HEADERS = {
    k: "STT (như ghi)" if k == "task_code" else COLUMN_LABELS[k]
    for k in (
        "province",
        "reporting_unit",
        "period_label",
        "task_code",
        "task_title",
        "topic",
        "status_label",
        "due_text",
        "due_date",
        "due_date_original",
        "lead_units_text",
        "coordinating_units_text",
        "pct_done",
        "completed_on",
        "result_text",
        "difficulties",
        "proposals",
    )
}
SHEET = "Nhiệm vụ"


def appendix_title(filters: Filters, document_number: str = "", scope: Scope | None = None) -> str:
    """ "PHỤ LỤC — Danh sách nhiệm vụ và tình trạng thực hiện: Kế hoạch 2024 · Quý III/2024 · … (Kèm theo …)"."""
    number = document_number.strip() or "…"
    return (
        f"PHỤ LỤC — Danh sách nhiệm vụ và tình trạng thực hiện: {scope_line(filters, scope)} "
        f"(Kèm theo Báo cáo số {number})"
    )


def build_appendix(conn: duckdb.DuckDBPyConnection, filters: Filters, document_number: str = "") -> bytes:
    """Every task of ``filters`` with its status as .xlsx bytes; ``EmptyReport`` if there is none."""
    n_tasks = tasks.count_tasks(conn, filters)
    if n_tasks == 0:
        raise EmptyReport(f"Không có nhiệm vụ nào để lập phụ lục ({scope_line(filters)}).")
    rows = tasks.task_table(conn, filters, limit=n_tasks)
    headers = {column: HEADERS.get(column, column) for column in tasks.TASK_COLUMNS}
    title = appendix_title(filters, document_number, describe_scope(conn, filters))
    return to_xlsx(rows, headers, sheet=SHEET, title=title)
