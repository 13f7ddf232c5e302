"""Tổng quan: the completion rate first, status cards that open their task list, who is late, the trend."""

import streamlit as st

from display import charts
from display.format import fmt_date, fmt_int, fmt_pct, md_escape
from etl.vocab.periods import PeriodKind
from etl.vocab.status import STATUS_CLASS_LABELS, StatusClass
from queries import overview, received, units
from queries.common import DONE_GROUP
from queries.scope import describe_scope
from ui.filters import current_filters, link_params
from ui.layout import chart, page_header, status_card, status_card_css, stop_when_empty
from ui.phone import phone_layout, wrapped_categories
from ui.state import prefetch, query

filters = current_filters()
phone_layout()
page_header("Tổng quan", filters)
prefetch(
    (received.reports_received, filters),
    (units.most_overdue, filters),
    (overview.trend_by_period, filters),
    (overview.period_kinds, filters),
)
k = query(overview.kpis, filters)
receipts = query(received.reports_received, filters)
status_card_css()

head = st.columns(4)
status_card(head[0], "Tỷ lệ hoàn thành", fmt_pct(k.done_rate), key="card_done_rate",
            note=f"{fmt_int(k.n_done)}/{fmt_int(k.n_tasks)} nhiệm vụ",
            help="Đúng hạn, quá hạn và chưa rõ ngày hoàn thành, trên mọi nhiệm vụ được giao trong phạm vi.",
            link=link_params(filters, DONE_GROUP))  # fmt: skip
status_card(head[1], "Tổng số nhiệm vụ", fmt_int(k.n_tasks), key="card_total", link=link_params(filters))
status_card(head[2], "Quá hạn chưa hoàn thành", fmt_int(k.n_overdue), status_class=StatusClass.OVERDUE.value,
            note=f"{fmt_int(k.n_overdue)}/{fmt_int(k.n_due)} đã đến hạn",
            help=f"{fmt_pct(k.overdue_rate_due)} số nhiệm vụ đã đến hạn tính đến {fmt_date(filters.as_of)}.",
            link=link_params(filters, StatusClass.OVERDUE.value))  # fmt: skip
status_card(head[3], "Báo cáo đã nhận", f"{fmt_int(receipts.n_received)}/{fmt_int(receipts.n_expected)}",
            key="card_received", note="đơn vị đã nộp",
            help=md_escape(receipts.text) + ". Đơn vị phải nộp: đơn vị được kế hoạch giao chủ trì nhiệm vụ (nếu chưa "
                 "nạp kế hoạch: đơn vị đã báo cáo trong năm).")  # fmt: skip

cards = [
    (StatusClass.DONE_ON_TIME, k.n_done_on_time), (StatusClass.DONE_LATE, k.n_done_late),
    (StatusClass.IN_PROGRESS, k.n_in_progress), (StatusClass.NOT_STARTED, k.n_not_started),
    (StatusClass.SUSPENDED, k.n_suspended), (StatusClass.NO_REPORT, k.n_no_report),
]  # fmt: skip
if k.n_done_undated:
    cards.insert(2, (StatusClass.DONE_UNDATED, k.n_done_undated))
columns = [c for _ in range(2) for c in st.columns(4)]  # two rows of four: labels readable at 1280×720
for column, (cls, n) in zip(columns, cards, strict=False):
    status_card(
        column,
        STATUS_CLASS_LABELS[cls],
        fmt_int(n),
        status_class=cls.value,
        link=link_params(filters, cls.value),
    )
with columns[len(cards)].container(border=True, key="card_due_soon"):
    st.metric(f"Sắp đến hạn (≤ {filters.due_soon_days} ngày)", fmt_int(k.n_due_soon))
    st.page_link("pages/4_Theo_thoi_han.py", label="Xem danh sách", icon=":material/list:",
                 query_params=link_params(filters))  # fmt: skip
st.caption(
    f"Mẫu số: {fmt_int(k.n_tasks)} nhiệm vụ được giao; {fmt_int(k.n_due)} nhiệm vụ đã đến hạn tính đến "
    f"{fmt_date(filters.as_of)} (không tính nhiệm vụ thường xuyên, theo yêu cầu). Tỷ lệ quá hạn: "
    f"{fmt_pct(k.overdue_rate_due)} số nhiệm vụ đã đến hạn ({fmt_int(k.n_overdue)}/{fmt_int(k.n_due)}), "
    f"{fmt_pct(k.overdue_rate_all)} tổng số nhiệm vụ được giao ({fmt_int(k.n_overdue)}/{fmt_int(k.n_tasks)})."
)
stop_when_empty(k.n_tasks == 0)

st.subheader("Ai đang chậm")
left, right = st.columns(2, border=True)
worst = query(units.most_overdue, filters)
left.markdown("**Đơn vị có nhiều nhiệm vụ quá hạn nhất**")
if worst.empty:
    left.success("Không có đơn vị nào có nhiệm vụ quá hạn.")
several = worst["province"].nunique() > 1 or not filters.province
scope = query(describe_scope, filters)  # a province behind the others is marked beside its units


def named(unit: str, province: str) -> str:
    """ "Sở Ngoại vụ (Hà Giang, kỳ cũ: Quý I/2025)": the province where several share the block."""
    notes = [x for x in (province if several else "", scope.stale_note(province)) if x]
    return f"{unit} ({', '.join(notes)})" if notes else unit


names = [named(u, p) for u, p in zip(worst["unit"], worst["province"], strict=True)]
for name, unit, n in zip(names, worst["unit"], worst["n_overdue"], strict=True):
    left.page_link("pages/6_Nhiem_vu.py", label=md_escape(f"{name}: {fmt_int(n)} nhiệm vụ quá hạn"),
                   query_params=link_params(filters, StatusClass.OVERDUE.value, unit=unit))  # fmt: skip
right.markdown(f"**Báo cáo chưa nộp hoặc nộp muộn** — {md_escape(receipts.text)}")
late = receipts.rows()
if not late:
    right.success("Mọi đơn vị đã nộp báo cáo đúng hạn.")
for row in late[:8]:  # the full list with deadlines: page Dữ liệu
    due = f"hạn {fmt_date(row['report_due'])}" if row["report_due"] else "kế hoạch không ghi hạn"
    arrived = f", nộp {fmt_date(row['received_on'])}" if row["received_on"] else ""
    stale = (row["province"], row["period_label"]) in {(p.province, p.period.label) for p in scope.stale}
    period = row["period_label"] + (", kỳ cũ" if stale else "")  # a province behind the others: marked
    right.markdown(md_escape(f"{row['reporting_unit']} ({row['province']}, {period}): "
                           f"{row['state'].lower()} — {due}{arrived}"))  # fmt: skip
if len(late) > 8:
    right.page_link("pages/8_Du_lieu.py", label=f"Và {fmt_int(len(late) - 8)} đơn vị khác (trang Dữ liệu)")

st.subheader("Nhiệm vụ theo tình trạng")
chart(wrapped_categories(charts.status_bars(k.breakdown())), key="status_chart")

st.subheader("Diễn biến qua các kỳ báo cáo")
st.caption(
    "Mỗi kỳ được đánh giá tại ngày cuối kỳ (hoặc ngày tính nếu sớm hơn); các kỳ cùng loại trên một trục, "
    "kỳ không có báo cáo để trống."
)
kinds = query(overview.period_kinds, filters)
kind = None
if len(kinds) > 1 and not filters.period:  # one kind of period per axis: quarters, 6 months, 9 months, years
    kind = st.segmented_control("Loại kỳ", kinds, default=kinds[0], key="trend_kind", required=True,
                                format_func=lambda k: overview.KIND_LABELS[PeriodKind(k)])  # fmt: skip
other_kind = () if kind is None or kind == kinds[0] else (8, kind)  # the default is prefetched
trend = query(overview.trend_by_period, filters, *other_kind)
if trend.empty:
    st.info("Chưa có kỳ báo cáo nào khớp với bộ lọc.")
else:
    chart(charts.trend_bars(trend), key="trend_chart")
