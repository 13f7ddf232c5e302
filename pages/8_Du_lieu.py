"""Dữ liệu: submissions and their history, which version counts, who has not reported, units and aliases."""

import streamlit as st

from display.format import fmt_int, md_escape
from etl.errors import SubmissionError
from queries import received, submissions
from queries.common import total_of
from ui.filters import current_filters
from ui.layout import page_header, receipts_table, table
from ui.permissions import change_submission, may_change_submissions
from ui.state import clear_cache, prefetch, query

filters = current_filters()
page_header("Dữ liệu", filters)
prefetch(
    (submissions.submission_history, filters),
    (submissions.load_attempts, filters.scope_province),
    (submissions.submission_events,),
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
table(history, ["submission_id", "file_name", "province", "reporting_unit", "period_label", "report_number",
                "report_date", "state_label", "superseded_by_file", "withdrawn_reason", "n_rows", "n_warnings",
                "loaded_at"], key="history",
      extra={"submission_id": "Mã", "file_name": "Tệp", "report_number": "Số báo cáo", "report_date": "Ngày báo cáo",
             "state_label": "Trạng thái", "superseded_by_file": "Thay bằng tệp", "withdrawn_reason": "Lý do rút",
             "n_rows": "Số nhiệm vụ", "n_warnings": "Cảnh báo", "loaded_at": "Nạp lúc"})  # fmt: skip

st.subheader("Bản được tính")
st.caption("Của mỗi đơn vị và kỳ, bản được tính là bản mới nhất theo ngày, rồi số báo cáo, rồi thời điểm nạp. "
           "Có thể dùng lại một bản khác hoặc rút một báo cáo nạp nhầm; mọi thay đổi được ghi lại.")  # fmt: skip
for message in st.session_state.pop("version_done", []):
    st.success(message)
if not history.empty and may_change_submissions():
    names = dict(
        zip(history["submission_id"], history["file_name"] + " — " + history["state_label"], strict=True)
    )
    with st.form("version_change"):
        chosen = st.selectbox(
            "Báo cáo (mã, tệp, trạng thái)",
            list(names),
            format_func=lambda i: f"{i}: {names[i]}",
            key="version_pick",
        )
        withdraw = (
            st.radio("Thao tác", ["Dùng bản này", "Rút báo cáo"], horizontal=True, key="version_action")
            == "Rút báo cáo"
        )
        reason = st.text_input("Lý do rút (bắt buộc khi rút)", key="version_reason")
        if st.form_submit_button("Thực hiện", icon=":material/published_with_changes:", key="version_go"):
            try:
                other = change_submission(chosen, withdraw, reason)
            except SubmissionError as exc:
                st.error(md_escape(exc))
            else:
                done = (
                    f"Đã rút báo cáo mã {chosen}." if withdraw else f"Báo cáo mã {chosen} là bản được tính."
                )
                then = (
                    (f" Bản được tính thay: mã {other}." if withdraw else f" Thay cho mã {other}.")
                    if other
                    else ""
                )
                st.session_state["version_done"] = [done + then]
                clear_cache()
                st.rerun()
st.caption("Lịch sử thay đổi bản được tính")
table(query(submissions.submission_events), ["event_at", "submission_id", "file_name", "action_label", "other_file",
                                              "reason"], key="events",
      extra={"event_at": "Thời điểm", "submission_id": "Mã", "file_name": "Tệp", "action_label": "Thay đổi",
             "other_file": "Liên quan đến tệp", "reason": "Lý do"})  # fmt: skip

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
