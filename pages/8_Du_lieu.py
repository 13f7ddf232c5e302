"""Dữ liệu: submissions and their history, who has not reported, units and their aliases."""

import streamlit as st

from queries import received, submissions
from queries.common import total_of
from ui.filters import current_filters
from ui.format import fmt_int, md_escape
from ui.layout import page_header, receipts_table, table
from ui.state import prefetch, query

filters = current_filters()
page_header("Dữ liệu", filters)
prefetch(
    (submissions.submission_history, filters),
    (submissions.load_attempts, filters.scope_province),
    (submissions.unit_directory, filters),
)

receipts = query(received.reports_received, filters)
st.subheader("Báo cáo đã nhận")
st.markdown(
    f"**{md_escape(receipts.text)}**" + (f", {fmt_int(receipts.n_late)} nộp muộn" if receipts.n_late else "")
)
st.caption(
    "Đơn vị phải nộp: đơn vị được kế hoạch của tỉnh giao chủ trì nhiệm vụ (nếu chưa nạp kế hoạch: đơn vị đã báo "
    "cáo trong năm). Hạn nộp theo kế hoạch; ngày nộp là ngày tệp được nạp."
)
if not receipts.rows():
    st.success("Mọi đơn vị đã nộp báo cáo đúng hạn.")
else:
    receipts_table(receipts, key="missing")

st.subheader("Báo cáo đã nạp")
history = query(submissions.submission_history, filters)
total = total_of(history)
shown = f" (hiển thị {len(history)} tệp mới nhất)" if total > len(history) else ""
st.caption(f"{total} tệp{shown}; tệp «Đã được thay thế» là bản cũ của cùng đơn vị và kỳ, không được tính.")
table(history, ["submission_id", "file_name", "province", "reporting_unit", "period_label", "state_label",
                "superseded_by_file", "n_rows", "n_warnings", "loaded_at"], key="history",
      extra={"submission_id": "Mã", "file_name": "Tệp", "state_label": "Trạng thái",
             "superseded_by_file": "Thay bằng tệp", "n_rows": "Số nhiệm vụ", "n_warnings": "Cảnh báo",
             "loaded_at": "Nạp lúc"})  # fmt: skip

st.subheader("Lịch sử tải lên")
st.caption("Mọi lần tải: đã nạp, trùng (đã nạp trước đó), bị từ chối.")
table(query(submissions.load_attempts, filters.scope_province), ["attempted_at", "file_name", "verdict_label", "n_rows", "n_errors", "message",
                                         "loaded_by"],
      key="attempts", extra={"attempted_at": "Thời điểm", "file_name": "Tệp", "verdict_label": "Kết quả", "loaded_by": "Người nạp",
                             "n_rows": "Số dòng", "n_errors": "Số lỗi", "message": "Ghi chú"})  # fmt: skip

st.subheader("Danh mục đơn vị và tên gọi khác")
table(query(submissions.unit_directory, filters), ["province", "canonical_name", "kind_label", "aliases", "successor"],
      key="units", extra={"province": "Tỉnh (như ghi)", "canonical_name": "Tên đơn vị", "kind_label": "Loại",
                          "aliases": "Tên gọi khác", "successor": "Đơn vị kế thừa"})  # fmt: skip
