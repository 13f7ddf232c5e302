"""Tổng quan: KPI cards, the status breakdown, the trend by period."""

import streamlit as st

from queries import overview, submissions
from ui import charts
from ui.filters import current_filters
from ui.format import fmt_date, fmt_int, fmt_pct
from ui.layout import chart, note_card, page_header, stop_when_empty
from ui.phone import phone_layout, wrapped_categories
from ui.state import prefetch, query

filters = current_filters()
phone_layout()
page_header("Tổng quan", filters)
prefetch((submissions.missing_reports, filters, filters.period_obj), (overview.trend_by_period, filters))
k = query(overview.kpis, filters)
missing = query(submissions.missing_reports, filters, filters.period_obj)

row1 = st.columns(4, border=True)
row1[0].metric("Tổng số nhiệm vụ", fmt_int(k.n_tasks))
row1[1].metric("Hoàn thành đúng hạn", fmt_int(k.n_done_on_time))
row1[2].metric("Hoàn thành quá hạn", fmt_int(k.n_done_late))
row1[3].metric("Đang thực hiện trong hạn", fmt_int(k.n_in_progress))
row2 = st.columns(4, border=True)
row2[0].metric("Quá hạn chưa hoàn thành", fmt_int(k.n_overdue))
row2[1].metric("Chưa thực hiện (trong hạn)", fmt_int(k.n_not_started))
row2[2].metric(f"Sắp đến hạn (≤ {filters.due_soon_days} ngày)", fmt_int(k.n_due_soon))

note_card(
    row2[3],
    "Chưa báo cáo",
    fmt_int(k.n_no_report),
    f"{len(missing)} đơn vị chưa nộp",
    "Nhiệm vụ của kế hoạch chưa đơn vị nào báo cáo. Đơn vị chưa nộp báo cáo kỳ này: xem trang Dữ liệu.",
)
row3 = st.columns(2, border=True)
note_card(
    row3[0],
    "Tỷ lệ quá hạn trên tổng số nhiệm vụ được giao",
    fmt_pct(k.overdue_rate_all),
    f"{fmt_int(k.n_overdue)} / {fmt_int(k.n_tasks)} nhiệm vụ",
    "Mẫu số: tất cả nhiệm vụ được giao trong phạm vi lọc.",
)
note_card(
    row3[1],
    "Tỷ lệ quá hạn trên số nhiệm vụ đã đến hạn",
    fmt_pct(k.overdue_rate_due),
    f"{fmt_int(k.n_overdue)} / {fmt_int(k.n_due)} nhiệm vụ",
    f"Mẫu số: nhiệm vụ có thời hạn cụ thể đến hết ngày {fmt_date(filters.as_of)} "
    "(không tính nhiệm vụ thường xuyên, theo yêu cầu).",
)
st.caption(
    f"Mẫu số: {fmt_int(k.n_tasks)} nhiệm vụ được giao; {fmt_int(k.n_due)} nhiệm vụ đã đến hạn tính đến "
    f"{fmt_date(filters.as_of)}. Ngoài ra: {fmt_int(k.n_done_undated)} hoàn thành chưa rõ ngày, "
    f"{fmt_int(k.n_suspended)} tạm dừng hoặc đề nghị điều chỉnh."
)

stop_when_empty(k.n_tasks == 0)

st.subheader("Nhiệm vụ theo tình trạng")
chart(wrapped_categories(charts.status_bars(k.breakdown())), key="status_chart")

st.subheader("Diễn biến qua các kỳ báo cáo")
st.caption("Mỗi kỳ được đánh giá tại ngày cuối kỳ (hoặc ngày tính nếu sớm hơn); tối đa 8 kỳ gần nhất.")
trend = query(overview.trend_by_period, filters)
if trend.empty:
    st.info("Chưa có kỳ báo cáo nào khớp với bộ lọc.")
else:
    chart(charts.trend_bars(trend), key="trend_chart")
