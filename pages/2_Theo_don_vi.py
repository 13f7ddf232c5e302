"""Theo đơn vị: units ranked by completion and by overdue tasks; pick a unit to see its tasks."""

import streamlit as st

from queries import units
from ui import charts
from ui.filters import current_filters
from ui.format import md_escape
from ui.layout import chart, page_header, picked, stop_when_empty, table
from ui.state import query

filters = current_filters()
page_header("Theo đơn vị", filters)
by_unit = query(units.completion_by_unit, filters)
stop_when_empty(by_unit.empty)

left, right = st.columns([3, 2], vertical_alignment="bottom")
top = left.slider("Số đơn vị hiển thị trên biểu đồ", 5, 40, 15, key="unit_top")
worst_first = right.toggle("Đơn vị hoàn thành thấp nhất trước", key="unit_worst")
st.caption("Nhiệm vụ được tính cho từng đơn vị chủ trì. Bấm vào một thanh để xem nhiệm vụ của đơn vị đó.")
keys = (by_unit["province"] + "|" + by_unit["unit"]).tolist()  # one per unit: hundreds at national scale
names = dict(zip(keys, (by_unit["unit"] + " — " + by_unit["province"]).tolist(), strict=True))

st.subheader("Xếp hạng theo tỷ lệ hoàn thành")
st.caption("Số bên phải: tỷ lệ đã hoàn thành (số đã xong / tổng số nhiệm vụ chủ trì).")
ranked = units.ranked_by_completion(by_unit, worst_first)
shown = ranked.head(top)
event = chart(
    charts.unit_completion_bars(ranked, top), key="units_done", on_select="rerun", selection_mode="points"
)
if (row := picked(event, charts.unit_labels(shown), "_pick_done")) is not None:
    st.session_state["unit_pick"] = f"{shown['province'].iloc[row]}|{shown['unit'].iloc[row]}"

st.subheader("Xếp hạng theo số nhiệm vụ quá hạn")
overdue = units.ranked_by_overdue(by_unit)
if overdue.empty:
    st.success("Không có đơn vị nào có nhiệm vụ quá hạn.")
else:
    shown_overdue = overdue.head(top).iloc[::-1]
    event = chart(charts.unit_overdue_bars(overdue, top), key="units_overdue", on_select="rerun",
                  selection_mode="points")  # fmt: skip
    if (row := picked(event, charts.unit_labels(shown_overdue), "_pick_overdue")) is not None:
        st.session_state["unit_pick"] = (
            f"{shown_overdue['province'].iloc[row]}|{shown_overdue['unit'].iloc[row]}"
        )

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
