"""Tải báo cáo: preview each file, show every error with where and how to fix, load on confirmation."""

import streamlit as st

from display.format import md_escape
from etl.model import Verdict
from queries import uploads
from ui import column_map, file_choices, meta_form, upload
from ui.layout import table
from ui.navigation import run_within_app
from ui.permissions import load_confirmed, screen_upload
from ui.state import clear_cache, query, version

run_within_app()
st.title("Tải báo cáo")
st.caption(
    "Kéo thả một hoặc nhiều tệp (.xlsx, .xls, .ods, .csv). "
    + upload.size_limit_text()
    + " Chưa có gì được nạp cho đến khi bấm xác nhận."
)
if (templates := upload.templates_page()) is not None:
    st.page_link(templates, label="Biểu mẫu báo cáo có sẵn nhiệm vụ của từng đơn vị (trang Kế hoạch)",
                 icon=":material/download:")  # fmt: skip

for message in st.session_state.pop("upload_done", []):
    st.success(md_escape(message))
batch = st.session_state.setdefault("upload_batch", 0)
files = st.file_uploader("Tệp báo cáo", type=["xlsx", "xlsm", "xls", "ods", "csv"], accept_multiple_files=True,
                         key=f"uploads_{batch}")  # fmt: skip
ready: list[upload.Upload] = []
for file in files or []:
    item = upload.Upload(file.name, file.getvalue())
    result = upload.preview(item.name, item.data, version(), file_choices.cache_key(item))
    with st.container(border=True):
        st.markdown(f"#### {md_escape(item.name)}")
        st.markdown(f"**{upload.VERDICT_TEXT[result.verdict]}** {md_escape(upload.meta_text(result))}")
        if refusal := screen_upload(result):  # the viewer's scope, judged on what the file's title says
            st.error(md_escape(refusal))
        elif result.verdict is Verdict.PREVIEWED:
            ready.append(item)
            m = result.report.meta  # its plan year and period against what is loaded
            for warning in query(
                uploads.period_warnings, m.province_legacy, m.period_year, m.period_kind, m.period_index
            ):
                st.warning(md_escape(warning), icon=":material/history:")
        if meta_form.asks(result):
            meta_form.ask(item, result)
        column_map.show(item, result)
        if result.duplicate_of:
            st.info(f"Nội dung giống hệt tệp đã nạp **{md_escape(result.duplicate_of)}**: không nạp lại.")
        if result.errors and not meta_form.asks(result):  # the form above asks instead
            upload.show_errors(item, result)
        if result.warnings:
            with st.expander(f"{len(result.warnings)} cảnh báo (vẫn nạp được)"):
                upload.problems_table(result.warnings)
        if result.report is not None and result.report.tasks:
            with st.expander("Nội dung đã đọc", expanded=not result.errors):
                table(upload.tasks_frame(result),
                      ["row_no", "task_code", "task_title", "status", "pct_done", "due_text", "due_kind", "due_date",
                       "due_date_original", "completed_on", "lead_units_text", "coordinating_units_text", "topic"],
                      extra={"row_no": "Dòng", "status": "Tình trạng ghi", "due_kind": "Loại thời hạn"},
                      key=f"tasks_{item.name}")  # fmt: skip

if files:
    label = f"Xác nhận nạp {len(ready)} tệp hợp lệ" if ready else "Không có tệp hợp lệ để nạp"
    if st.button(label, type="primary", disabled=not ready, icon=":material/database_upload:"):
        with st.spinner("Đang nạp…"):
            results = load_confirmed([(u.name, u.data, file_choices.options_of(u)) for u in ready])
        clear_cache()
        st.session_state["upload_done"] = [
            f"{r.file}: {upload.VERDICT_TEXT[r.verdict]} ({r.rows} nhiệm vụ)"
            + (f" — {r.errors[0].message}" if r.verdict is Verdict.REJECTED and r.errors else "")
            + (
                " — bản cũ hơn bản đang được tính: chỉ lưu vào lịch sử, xem trang Dữ liệu"
                if r.older_than
                else ""
            )
            for r in results
        ]
        st.session_state["upload_batch"] = batch + 1
        st.rerun()
