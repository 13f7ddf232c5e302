"""Tải báo cáo: preview each file, show every error with where and how to fix, load on confirmation."""

import streamlit as st

from etl.model import Verdict
from etl.store.load import IngestOptions, ingest_bytes
from ui import upload
from ui.layout import table
from ui.state import clear_cache, database, version

st.title("Tải báo cáo")
st.caption(
    "Kéo thả một hoặc nhiều tệp (.xlsx, .xls, .ods, .csv). Chưa có gì được nạp cho đến khi bấm xác nhận."
)
PROBLEM_HEADERS = {
    "sheet": "Trang tính",
    "row": "Dòng",
    "column": "Cột",
    "value": "Giá trị",
    "message": "Lỗi và cách sửa",
}

if (templates := upload.templates_page()) is not None:
    st.page_link(templates, label="Biểu mẫu báo cáo có sẵn nhiệm vụ của từng đơn vị (trang Kế hoạch)",
                 icon=":material/download:")  # fmt: skip

for message in st.session_state.pop("upload_done", []):
    st.success(message)
batch = st.session_state.setdefault("upload_batch", 0)
files = st.file_uploader("Tệp báo cáo", type=["xlsx", "xlsm", "xls", "ods", "csv"], accept_multiple_files=True,
                         key=f"uploads_{batch}")  # fmt: skip
ready: list[upload.Upload] = []
for file in files or []:
    item = upload.Upload(file.name, file.getvalue())
    result = upload.preview(item.name, item.data, version())
    with st.container(border=True):
        st.markdown(f"#### {item.name}")
        st.markdown(f"**{upload.VERDICT_TEXT[result.verdict]}** {upload.meta_text(result)}")
        if result.verdict is Verdict.PREVIEWED:
            ready.append(item)
        if result.duplicate_of:
            st.info(f"Nội dung giống hệt tệp đã nạp **{result.duplicate_of}**: không nạp lại.")
        if result.errors:
            st.error(f"{len(result.errors)} lỗi: sửa trong tệp rồi tải lại.")
            table(upload.problems_frame(result.errors), list(PROBLEM_HEADERS), extra=PROBLEM_HEADERS,
                  key=f"err_{item.name}")  # fmt: skip
            if (marked := upload.annotated(item, result)) is not None:
                st.download_button("Tải tệp có cột ghi lỗi", marked, file_name=f"loi_{item.name.rsplit('.', 1)[0]}.xlsx",
                                   mime=upload.XLSX_MIME, key=f"annot_{item.name}", icon=":material/download:")  # fmt: skip
        if result.warnings:
            with st.expander(f"{len(result.warnings)} cảnh báo (vẫn nạp được)"):
                table(upload.problems_frame(result.warnings), list(PROBLEM_HEADERS), extra=PROBLEM_HEADERS,
                      key=f"warn_{item.name}")  # fmt: skip
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
            results = ingest_bytes(database(), [(u.name, u.data) for u in ready], IngestOptions())
        clear_cache()
        st.session_state["upload_done"] = [
            f"{r.file}: {upload.VERDICT_TEXT[r.verdict]} ({r.rows} nhiệm vụ)"
            + (
                " — bản cũ hơn bản đang được tính: chỉ lưu vào lịch sử, xem trang Dữ liệu"
                if r.older_than
                else ""
            )
            for r in results
        ]
        st.session_state["upload_batch"] = batch + 1
        st.rerun()
