"""Theo tỉnh: provinces compared, by the province as written or the current province."""

import streamlit as st

from display import charts
from display.format import with_rate_texts
from queries import provinces
from queries.filters import ProvinceMode
from queries.scope import describe_scope
from ui.filters import MODE_LABELS, current_filters
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
scope = query(describe_scope, filters.without("province"))
compared = compared.assign(period_text=[scope.period_of(p) for p in compared["province"]])
if scope.stale and not filters.period:
    st.caption(
        "Các tỉnh đang ở các kỳ báo cáo khác nhau: mỗi tỉnh được tính theo kỳ mới nhất của mình (ghi bên cạnh); "
        "tỉnh ghi «chưa có báo cáo kỳ mới hơn» có số liệu cũ hơn các tỉnh khác."
    )

st.subheader("Tỷ lệ hoàn thành theo tỉnh")
st.caption("Số bên phải: tỷ lệ đã hoàn thành (số đã xong / tổng số nhiệm vụ).")
chart(charts.province_bars(compared, filters.province), key="province_chart")

st.subheader("Bảng so sánh")
table(
    with_rate_texts(compared),
    ["province", "period_text", "legacy_names", "n_units", "n_tasks", "pct_done_text", "n_overdue", "rate_all", "rate_due"],
    key="province_table",
    extra={"period_text": "Kỳ báo cáo", "legacy_names": "Tên trong báo cáo", "n_units": "Số đơn vị báo cáo", "n_tasks": "Số nhiệm vụ",
           "pct_done_text": "Đã hoàn thành", "n_overdue": "Quá hạn",
           "rate_all": "Quá hạn / tổng số", "rate_due": "Quá hạn / đã đến hạn"},
)  # fmt: skip

with st.expander("Tên tỉnh trong báo cáo và tỉnh hiện nay"):
    table(query(provinces.province_names), ["province_legacy", "province"], key="province_names",
          extra={"province_legacy": "Tên trong báo cáo", "province": "Tỉnh, thành phố hiện nay"})  # fmt: skip
