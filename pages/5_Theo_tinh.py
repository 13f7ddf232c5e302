"""Theo tỉnh: provinces compared, by the province as written or the current province."""

import streamlit as st

from queries import provinces
from queries.filters import ProvinceMode
from ui import charts
from ui.filters import MODE_LABELS, current_filters
from ui.format import with_rate_texts
from ui.layout import chart, page_header, stop_when_empty, table
from ui.state import prefetch, query

filters = current_filters()
page_header("Theo tỉnh", filters)
st.info(
    f"Đang nhóm theo: **{MODE_LABELS[ProvinceMode(filters.province_mode)]}**. Đổi ở mục "
    "*Nhóm theo tỉnh* bên trái. Trang này so sánh mọi tỉnh (không áp dụng bộ lọc tỉnh; tỉnh đang chọn in đậm).",
    icon=":material/swap_horiz:",
)
prefetch((provinces.province_names,))
compared = query(provinces.compare_provinces, filters)
stop_when_empty(compared.empty)

st.subheader("Tỷ lệ hoàn thành theo tỉnh")
st.caption("Số bên phải: tỷ lệ đã hoàn thành (số đã xong / tổng số nhiệm vụ).")
chart(charts.province_bars(compared, filters.province), key="province_chart")

st.subheader("Bảng so sánh")
table(
    with_rate_texts(compared),
    ["province", "legacy_names", "n_units", "n_tasks", "pct_done_text", "n_overdue", "rate_all", "rate_due"],
    key="province_table",
    extra={"legacy_names": "Tên trong báo cáo", "n_units": "Số đơn vị báo cáo", "n_tasks": "Số nhiệm vụ",
           "pct_done_text": "Đã hoàn thành", "n_overdue": "Quá hạn",
           "rate_all": "Quá hạn / tổng số", "rate_due": "Quá hạn / đã đến hạn"},
)  # fmt: skip

with st.expander("Tên tỉnh trong báo cáo và tỉnh hiện nay"):
    table(query(provinces.province_names), ["province_legacy", "province"], key="province_names",
          extra={"province_legacy": "Tên trong báo cáo", "province": "Tỉnh, thành phố hiện nay"})  # fmt: skip
