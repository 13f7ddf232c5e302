"""Theo chủ đề: completion per topic and the province × topic heatmap."""

import streamlit as st

from display import charts
from display.format import with_rate_texts
from queries import topics
from queries.scope import describe_scope
from ui.filters import current_filters
from ui.layout import chart, page_header, stop_when_empty, table
from ui.state import query

filters = current_filters()
page_header("Theo chủ đề", filters)
by_topic, cells = query(topics.topic_views, filters)  # both tables from one pass
stop_when_empty(by_topic.empty)

st.subheader("Tỷ lệ hoàn thành theo chủ đề")
st.caption("Số bên phải: tỷ lệ đã hoàn thành (số đã xong / tổng số nhiệm vụ của chủ đề).")
chart(charts.topic_bars(by_topic), key="topic_chart")

mode = "tỉnh hiện nay" if filters.province_mode == "current" else "tên tỉnh như ghi trong báo cáo"
st.subheader("Chủ đề × tỉnh")
st.caption(
    f"Màu: tỷ lệ nhiệm vụ đã hoàn thành (nhạt: 0%, đậm: 100%; màu đỏ chỉ dùng cho quá hạn); số trong ngoặc: "
    f"số nhiệm vụ. Nhóm theo {mode}."
)
scope = query(describe_scope, filters)
periods = None
if scope.stale:  # provinces at different periods: each column says which
    periods = {}
    for p in scope.periods:
        label = p.period.label + (" (kỳ cũ)" if p.stale else "")
        periods[p.province] = f"{periods[p.province]}, {label}" if p.province in periods else label
chart(charts.heatmap(cells, list(by_topic["topic"]), periods), key="heatmap")

with st.expander("Bảng số liệu theo chủ đề"):
    table(with_rate_texts(by_topic), ["topic", "n_tasks", "pct_done_text", "n_overdue", "rate_all"], key="topic_table",
          extra={"n_tasks": "Số nhiệm vụ", "pct_done_text": "Đã hoàn thành", "n_overdue": "Quá hạn",
                 "rate_all": "Quá hạn / tổng số"})  # fmt: skip
