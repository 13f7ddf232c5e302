"""Theo thời hạn: overdue list, due in the next N days, deadlines by month, open-ended tasks apart."""

import streamlit as st

from display import charts
from display.format import fmt_date, fmt_int
from queries import deadlines
from queries.common import total_of
from ui.filters import current_filters
from ui.layout import chart, page_header, table
from ui.state import prefetch, query

filters = current_filters()
page_header("Theo thời hạn", filters)
COLUMNS = ["task_title", "lead_units_text", "province", "due_text", "due_date", "due_date_original", "pct_done",
           "difficulties", "proposals"]  # fmt: skip


def shown(tasks) -> str:
    """ "(hiển thị 500 nhiệm vụ đầu)" when the list stops before its total."""
    total = total_of(tasks)
    return f" (hiển thị {fmt_int(len(tasks))} nhiệm vụ đầu)" if total > len(tasks) else ""


# the list below takes its window from the page's own input (its value from the last run, if any)
prefetch((deadlines.due_within, filters, int(st.session_state.get("due_days", filters.due_soon_days))),
         (deadlines.deadline_counts, filters))  # fmt: skip
overdue = query(deadlines.overdue_tasks, filters)
st.subheader(f"Quá hạn chưa hoàn thành: {fmt_int(total_of(overdue))} nhiệm vụ")
st.caption(f"Quá hạn lâu nhất trước; số ngày tính đến {fmt_date(filters.as_of)}{shown(overdue)}.")
if overdue.empty:
    st.success("Không có nhiệm vụ quá hạn.")
else:
    table(overdue, ["days_overdue", *COLUMNS], key="overdue_table")

days = st.number_input(
    "Sắp đến hạn trong (ngày) — danh sách dưới đây", 1, 365, filters.due_soon_days, key="due_days"
)
soon = query(deadlines.due_within, filters, int(days))
st.subheader(f"Đến hạn trong {days} ngày tới: {fmt_int(total_of(soon))} nhiệm vụ")
if shown(soon):
    st.caption(f"Sớm nhất trước{shown(soon)}.")
if soon.empty:
    st.info("Không có nhiệm vụ nào đến hạn trong khoảng này.")
else:
    table(soon, ["days_left", *COLUMNS], key="soon_table")

st.subheader("Thời hạn theo tháng")
counts = query(deadlines.deadline_counts, filters)
timeline = counts.timeline
if timeline.empty:
    st.info("Không có nhiệm vụ nào có thời hạn cụ thể.")
else:
    chart(charts.timeline_bars(timeline), key="timeline_chart")

st.subheader("Nhiệm vụ thường xuyên và theo yêu cầu")
st.caption("Không có hạn cụ thể nên không bao giờ bị tính quá hạn; được đánh giá theo từng kỳ báo cáo.")
open_ended = counts.open_ended
if open_ended.empty:
    st.info("Không có nhiệm vụ thường xuyên hoặc theo yêu cầu.")
else:
    chart(charts.open_ended_bars(open_ended), key="open_chart")
    # A toggle, not an expander: an expander's content runs (and queries) even when it is closed.
    if st.toggle("Xem danh sách nhiệm vụ thường xuyên và theo yêu cầu", key="open_list"):
        tasks = query(deadlines.open_ended_tasks, filters)
        st.caption(f"{fmt_int(total_of(tasks))} nhiệm vụ{shown(tasks)}.")
        table(tasks, ["task_title", "status_label", "due_text", "lead_units_text", "province", "pct_done",
                      "result_text"], key="open_table")  # fmt: skip
