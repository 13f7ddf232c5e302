"""Nhiệm vụ: the searchable, filterable task table, exported to .xlsx."""

import streamlit as st

from display.format import fmt_int
from etl.accounts.audit import Event
from queries import tasks
from queries.export import to_xlsx
from ui.filters import current_filters, scope_caption
from ui.layout import HEADERS, page_header, table
from ui.permissions import audit_download
from ui.state import database, prefetch, query

LIMIT = 1000
EXPORT_LIMIT = 50_000

filters = current_filters()
page_header("Nhiệm vụ", filters)
search = st.text_input(
    "Tìm trong nội dung, kết quả, khó khăn, đề xuất, đơn vị",
    key="q",
    bind="query-params",
    placeholder="Ví dụ: biển đảo, Sở Ngoại vụ, kinh phí (có dấu hoặc không dấu)",
)
prefetch((tasks.task_table, filters, search, LIMIT))
total = query(tasks.count_tasks, filters, search)
rows = query(tasks.task_table, filters, search, LIMIT)
shown = f"{fmt_int(total)} nhiệm vụ" + (f" (hiển thị {fmt_int(LIMIT)} dòng đầu)" if total > LIMIT else "")
st.markdown(f"**{shown}** — nhiệm vụ quá hạn trước, rồi theo thời hạn.")
table(rows, tasks.TASK_COLUMNS, key="task_table", height=560)


def _export() -> bytes:
    """Built when the button is clicked (on another thread: its own read connection)."""
    data = tasks.task_table(database().reader(), filters, search, EXPORT_LIMIT)
    return to_xlsx(
        data, {c: HEADERS[c] for c in tasks.TASK_COLUMNS}, title=scope_caption(filters).replace("**", "")
    )


st.download_button(
    f"Tải bảng xuống (.xlsx, tối đa {fmt_int(EXPORT_LIMIT)} dòng)",
    data=_export,
    file_name="nhiem_vu_ttdn.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    disabled=total == 0,
    on_click=audit_download,
    args=(Event.EXPORT_DOWNLOAD, "nhiem_vu_ttdn.xlsx", filters.province or filters.scope_province),
    kwargs={"rows": total},
)
