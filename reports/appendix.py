"""The report's appendix: every task of the selection with its status, as .xlsx.

Written by ``queries.export.to_xlsx`` (text cells never become formulas), one row per task of
``queries.tasks.task_table``, the order of the Nhiệm vụ page: overdue first, then by deadline.
"""

from __future__ import annotations

import duckdb

from queries import tasks
from queries.export import to_xlsx
from queries.filters import Filters
from reports.errors import EmptyReport
from reports.scope import scope_line

HEADERS = {
    "province": "Tỉnh, thành phố",
    "reporting_unit": "Đơn vị báo cáo",
    "period_label": "Kỳ báo cáo",
    "task_code": "STT (như ghi)",
    "task_title": "Nội dung nhiệm vụ",
    "topic": "Chủ đề",
    "status_label": "Tình trạng",
    "due_text": "Thời hạn (như ghi)",
    "due_date": "Hạn hoàn thành",
    "due_date_original": "Hạn ban đầu (trước gia hạn)",
    "lead_units_text": "Đơn vị chủ trì",
    "coordinating_units_text": "Đơn vị phối hợp",
    "pct_done": "Tiến độ (%)",
    "completed_on": "Ngày hoàn thành",
    "result_text": "Kết quả thực hiện",
    "difficulties": "Khó khăn, vướng mắc",
    "proposals": "Đề xuất, kiến nghị",
}
SHEET = "Nhiệm vụ"


def appendix_title(filters: Filters, document_number: str = "") -> str:
    """ "PHỤ LỤC — Danh sách nhiệm vụ và tình trạng thực hiện: Hưng Yên · Quý III/2024 · … (Kèm theo …)"."""
    number = document_number.strip() or "…"
    return (
        f"PHỤ LỤC — Danh sách nhiệm vụ và tình trạng thực hiện: {scope_line(filters)} "
        f"(Kèm theo Báo cáo số {number})"
    )


def build_appendix(conn: duckdb.DuckDBPyConnection, filters: Filters, document_number: str = "") -> bytes:
    """Every task of ``filters`` with its status as .xlsx bytes; ``EmptyReport`` if there is none."""
    n_tasks = tasks.count_tasks(conn, filters)
    if n_tasks == 0:
        raise EmptyReport(f"Không có nhiệm vụ nào để lập phụ lục ({scope_line(filters)}).")
    rows = tasks.task_table(conn, filters, limit=n_tasks)
    headers = {column: HEADERS.get(column, column) for column in tasks.TASK_COLUMNS}
    return to_xlsx(rows, headers, sheet=SHEET, title=appendix_title(filters, document_number))
