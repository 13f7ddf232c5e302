"""Theo đơn vị: units ranked worst first by completion and by overdue tasks; pick a unit to see its tasks."""

import streamlit as st

from display import charts
from display.format import fmt_int, md_escape, with_rate_texts
from queries import units
from queries.scope import describe_scope
from ui.filters import current_filters
from ui.layout import chart, page_header, picked, stop_when_empty, table
from ui.state import query

filters = current_filters()
page_header("Theo đơn vị", filters)
by_unit = query(units.completion_by_unit, filters)
stop_when_empty(by_unit.empty)
scope = query(describe_scope, filters)
if scope.stale:  # a province behind the others: its period beside each of its units
    by_unit = by_unit.assign(stale_note=scope.stale_notes(by_unit["province"]))

min_tasks = units.min_tasks_to_rank()
ranked, few = units.split_by_task_count(by_unit, min_tasks)
top = st.slider("Số đơn vị hiển thị trên biểu đồ", 5, 40, 15, key="unit_top")
st.caption("Nhiệm vụ được tính cho từng đơn vị chủ trì. Bấm vào một thanh để xem nhiệm vụ của đơn vị đó.")
keys = (by_unit["province"] + "|" + by_unit["unit"]).tolist()  # one per unit: hundreds at national scale
names = dict(zip(keys, (by_unit["unit"] + " — " + by_unit["province"]).tolist(), strict=True))

st.subheader("Đơn vị hoàn thành thấp nhất")
shown = ranked.head(top)
st.caption(
    f"{fmt_int(len(shown))}/{fmt_int(len(ranked))} đơn vị có từ {min_tasks} nhiệm vụ chủ trì trở lên, tỷ lệ "
    "hoàn thành thấp nhất trước (bằng nhau: nhiều nhiệm vụ quá hạn hơn trước). Số bên phải: số đã xong / "
    f"tổng số nhiệm vụ chủ trì. {fmt_int(len(few))} đơn vị có ít hơn {min_tasks} nhiệm vụ được liệt kê riêng ở dưới."
)
if not ranked.empty:
    event = chart(charts.unit_completion_bars(ranked, top), key="units_done", on_click=True)
    if (row := picked(event, charts.unit_labels(shown))) is not None:
        st.session_state["unit_pick"] = f"{shown['province'].iloc[row]}|{shown['unit'].iloc[row]}"

st.subheader("Xếp hạng theo số nhiệm vụ quá hạn")
overdue = units.ranked_by_overdue(by_unit)
if overdue.empty:
    st.success("Không có đơn vị nào có nhiệm vụ quá hạn.")
else:
    shown_overdue = overdue.head(top).iloc[::-1]
    st.caption(f"{fmt_int(min(top, len(overdue)))}/{fmt_int(len(overdue))} đơn vị có nhiệm vụ quá hạn.")
    event = chart(charts.unit_overdue_bars(overdue, top), key="units_overdue", on_click=True)
    if (row := picked(event, charts.unit_labels(shown_overdue))) is not None:
        st.session_state["unit_pick"] = (
            f"{shown_overdue['province'].iloc[row]}|{shown_overdue['unit'].iloc[row]}"
        )

if not few.empty:
    st.subheader(f"Đơn vị có ít hơn {min_tasks} nhiệm vụ (không xếp hạng theo tỷ lệ)")
    listed = with_rate_texts(few).assign(name=units.display_names(few))
    table(listed, ["name", "province", "n_tasks", "pct_done_text", "n_overdue"], key="units_few",
          extra={"name": "Đơn vị", "n_tasks": "Số nhiệm vụ", "pct_done_text": "Đã hoàn thành", "n_overdue": "Quá hạn"})  # fmt: skip

st.subheader("Nhiệm vụ của đơn vị")
pick = st.selectbox(
    "Chọn đơn vị", [None, *keys], key="unit_pick", placeholder="Chọn hoặc bấm vào biểu đồ",
    format_func=lambda k: "—" if k is None else names.get(k, k),
)  # fmt: skip
if pick:
    province, unit = pick.split("|", 1)
    tasks = query(units.unit_tasks, filters, province, unit)
    st.markdown(f"**{md_escape(unit)}** ({md_escape(province)}): {len(tasks)} nhiệm vụ chủ trì")
    table(tasks, ["task_title", "status_label", "due_text", "due_date", "due_date_original", "pct_done",
                  "result_text", "difficulties", "proposals", "period_label"], key="unit_tasks")  # fmt: skip
