"""The upload page's helpers: cached previews, what was read as tables, template downloads."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from display.format import md_escape
from etl.model import FileResult, Verdict
from etl.settings import ROOT, Limits
from etl.store import load
from etl.vocab.periods import Period, PeriodKind
from etl.vocab.status import ALLOWED_STATUS_WORDS, Status
from ui.access import page_allowed
from ui.auth import current_user
from ui.file_choices import options_from_key
from ui.navigation import url_path
from ui.state import database, version

VERDICT_TEXT = {
    Verdict.PREVIEWED: "Đọc được — sẵn sàng nạp",
    Verdict.REJECTED: "Bị từ chối — cần sửa rồi tải lại",
    Verdict.DUPLICATE: "Trùng — tệp này đã được nạp",
    Verdict.LOADED: "Đã nạp",
}
DUE_KIND_TEXT = {
    "date": "ngày", "month": "tháng", "quarter": "quý", "half": "6 tháng", "nine_months": "9 tháng",
    "year": "năm", "recurring": "thường xuyên", "on_demand": "theo yêu cầu", "unparsed": "không đọc được",
}  # fmt: skip
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@st.cache_data(max_entries=64, show_spinner="Đang đọc tệp…")
def preview(name: str, data: bytes, db_version: object, choices: tuple = ()) -> FileResult:
    """``etl.store.load.preview_bytes`` once per file content, database version and the person's choices
    for the file (``ui.file_choices.cache_key``)."""
    return load.preview_bytes(name, data, options_from_key(choices), database())


def meta_text(result: FileResult) -> str:
    """ "Sở Ngoại vụ — Thái Bình (nay: Hưng Yên) — Quý III/2024 — 12 nhiệm vụ"."""
    if result.report is None:
        return ""
    m = result.report.meta
    parts = [m.reporting_unit or "?"]
    province = m.province_legacy or "?"
    if m.province and m.province != m.province_legacy:
        province += f" (nay: {m.province})"
    parts.append(province)
    if m.period_year and m.period_kind:
        parts.append(Period(m.period_year, PeriodKind(m.period_kind), m.period_index).label)
    parts.append(f"{len(result.report.tasks)} nhiệm vụ")
    return " — ".join(parts)


def tasks_frame(result: FileResult) -> pd.DataFrame:
    """The tasks as read: status word, parsed deadline and the matched units."""
    rows = []
    for t in result.report.tasks if result.report else []:
        status = ALLOWED_STATUS_WORDS.get(Status(t.status_reported)) if t.status_reported else ""
        rows.append({
            "row_no": t.row_no, "task_code": t.task_code or t.stt or "", "task_title": t.task_title,
            "status": status, "pct_done": t.pct_done, "due_text": t.due_text or "",
            "due_kind": DUE_KIND_TEXT.get(t.due_kind, t.due_kind), "due_date": t.due_date,
            "due_date_original": t.due_date_original, "completed_on": t.completed_on,
            "lead_units_text": "; ".join(t.lead_units), "coordinating_units_text": "; ".join(t.coordinating_units),
            "topic": t.topic or "",
        })  # fmt: skip
    return pd.DataFrame(rows)


def problems_frame(problems: list) -> pd.DataFrame:
    """Problems located as a person sees them: sheet, Excel row, column header, value, what to do."""
    return pd.DataFrame(
        [{"sheet": p.sheet or "", "row": p.row, "column": p.column or "", "value": "" if p.value is None else str(p.value),
          "message": p.message} for p in problems],
        columns=["sheet", "row", "column", "value", "message"],
    )  # fmt: skip


def annotated(upload: Upload, result: FileResult) -> bytes | None:
    """The file back with an error column, when the ETL offers it (built once per file and database version)."""
    if getattr(load, "annotate_errors", None) is None or not result.errors:
        return None
    return _annotated(upload.name, upload.data, version(), result)


@st.cache_data(max_entries=16, show_spinner=False)
def _annotated(name: str, data: bytes, db_version: object, _result: FileResult) -> bytes:
    return load.annotate_errors(name, data, _result)


def size_limit_text() -> str:
    """ "Mỗi tệp tối đa 20 MB." — the product's own limit (``TTDN_MAX_FILE_MB``), which refuses larger files."""
    size = f"{Limits().max_file_bytes / 2**20:.1f}".replace(".", ",").removesuffix(",0")
    return f"Mỗi tệp tối đa {size} MB."


PROBLEM_HEADERS = {
    "sheet": "Trang tính",
    "row": "Dòng",
    "column": "Cột",
    "value": "Giá trị",
    "message": "Lỗi và cách sửa",
}


def problems_table(problems: list) -> None:
    """Problems as a static table whose text wraps, so "Lỗi và cách sửa" is read in full at 1280 px;
    every cell is the file's or our text, escaped (a table cell is Markdown)."""
    frame = problems_frame(problems)
    shown = pd.DataFrame({
        header: [md_escape(v) if v not in (None, "") and not pd.isna(v) else "—" for v in frame[col]]
        for col, header in PROBLEM_HEADERS.items()
    })  # fmt: skip
    st.table(shown, hide_index=True)


def show_errors(upload: Upload, result: FileResult) -> None:
    """A file refused as a whole (not a workbook, locked by a password, no task table): one message,
    what is wrong and what to do. Otherwise the count, the table of problems and, when some of them
    are on a row, the file back with those cells marked."""
    if result.report is None:
        for problem in result.errors:
            st.error(md_escape(str(problem)), icon=":material/block:")
        _refusal_code(result)
        return
    st.error(f"{len(result.errors)} lỗi: sửa trong tệp rồi tải lại.")
    _refusal_code(result)
    problems_table(result.errors)
    if any(p.row for p in result.errors) and (marked := annotated(upload, result)) is not None:
        st.download_button("Tải tệp có đánh dấu ô lỗi", marked, file_name=f"loi_{upload.name.rsplit('.', 1)[0]}.xlsx",
                           mime=XLSX_MIME, key=f"annot_{upload.name}", icon=":material/download:")  # fmt: skip


def _refusal_code(result: FileResult) -> None:
    if result.reason:
        st.caption(f"Mã từ chối (cho bộ phận hỗ trợ): `{md_escape(result.reason)}`")


def templates_page() -> str | None:
    """The page that builds report templates from a plan (one per unit), if the app has one and the
    viewer may open it."""
    found = sorted((ROOT / "pages").glob("*_Ke_hoach.py"))
    if not found or not page_allowed(current_user(), url_path(found[0])):
        return None
    return f"pages/{found[0].name}"
