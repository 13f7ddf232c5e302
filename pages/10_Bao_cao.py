"""Báo cáo: the quarterly report (.docx, charts included) and its appendix (.xlsx) for the shared filters."""

import time
from datetime import date

import streamlit as st

from display.format import md_escape
from etl.accounts.audit import Event
from reports.appendix import build_appendix
from reports.docx_report import Issuer, build_report_files, document_number
from reports.errors import ReportBuildError
from reports.scope import output_names, provincial
from ui.filters import current_filters, scope_caption
from ui.permissions import audit_download
from ui.state import database

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"

filters = provincial(current_filters())
st.title("Báo cáo kết quả thực hiện")
st.caption(
    md_escape(f"{scope_caption(filters)} — toàn tỉnh: không áp dụng bộ lọc đơn vị, chủ đề, tình trạng.")
)
if not filters.province or not filters.period:
    st.info("Chọn **tỉnh, thành phố** và **kỳ báo cáo** ở thanh bên trái để lập báo cáo.")
    st.stop()

with st.form("issuer"):
    left, right = st.columns(2)
    office = left.text_input("Cơ quan ban hành", Issuer.office)
    code = right.text_input("Ký hiệu viết tắt (sau BC-)", Issuer.office_code)
    number = left.text_input("Số báo cáo", placeholder="Để trống để ghi tay khi vào sổ")
    signed = right.date_input("Ngày ký", date.today(), format="DD/MM/YYYY")
    title = left.text_input("Chức danh người ký", Issuer.signer_title)
    signer = right.text_input("Họ và tên người ký")
    with_pdf = st.checkbox("Kèm bản PDF (in bằng Chromium, thêm vài giây)", value=True)
    submitted = st.form_submit_button("Lập báo cáo", type="primary", icon=":material/description:")

if submitted:
    issuer = Issuer(office=office, office_code=code, number=number, signer_title=title, signer_name=signer)
    started = time.perf_counter()
    try:
        with st.spinner("Đang lập báo cáo và vẽ biểu đồ…"):
            conn = database().reader()
            report = build_report_files(conn, filters, issuer=issuer, today=signed, with_pdf=with_pdf)
            appendix = build_appendix(conn, filters, document_number(issuer))
        st.session_state["_report"] = (filters, report, appendix, time.perf_counter() - started)
    except ReportBuildError as exc:
        st.error(md_escape(exc.message))

made = st.session_state.get("_report")
if made and made[0] == filters:
    _, report, appendix, seconds = made
    docx_name, xlsx_name, pdf_name = output_names(filters)
    st.success(f"Đã lập báo cáo trong {seconds:.1f} giây.".replace(".", ",", 1))  # 6,2 giây
    with st.container(horizontal=True):
        st.download_button("Tải báo cáo (.docx)", report.docx, file_name=docx_name, mime=DOCX_MIME,
                           icon=":material/download:", type="primary", on_click=audit_download,
                           args=(Event.EXPORT_DOWNLOAD, docx_name, filters.province))  # fmt: skip
        st.download_button("Tải phụ lục danh sách nhiệm vụ (.xlsx)", appendix, file_name=xlsx_name, mime=XLSX_MIME,
                           icon=":material/download:", on_click=audit_download,
                           args=(Event.EXPORT_DOWNLOAD, xlsx_name, filters.province))  # fmt: skip
        if report.pdf:
            st.download_button(
                "Tải bản PDF", report.pdf, file_name=pdf_name, mime=PDF_MIME, icon=":material/download:",
                on_click=audit_download, args=(Event.EXPORT_DOWNLOAD, pdf_name, filters.province),
            )  # fmt: skip
