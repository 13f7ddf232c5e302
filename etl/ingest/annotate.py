"""The uploaded file back to its sender, with a column that says what to fix on each row, and
each bad cell filled and commented.

An .xlsx keeps its formatting (openpyxl edits a copy); other formats are rebuilt from the values
that were read. A sheet "Lỗi cần sửa" lists every problem, including those of the file as a whole.
"""

from __future__ import annotations

import io
from collections import defaultdict

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from etl.errors import Problem, ReportError
from etl.ingest.readers import read_workbook
from etl.model import FileResult

ERROR_HEADER = "LỖI CẦN SỬA"
_RED = PatternFill("solid", fgColor="FFC7CE")
_YELLOW = PatternFill("solid", fgColor="FFEB9C")
_BOLD = Font(bold=True, color="9C0006")
_WRAP = Alignment(wrap_text=True, vertical="top")


def annotate_errors(file_name: str, data: bytes, result: FileResult) -> bytes:
    """An .xlsx: the report with an error column on the report sheet, and a list of every problem."""
    wb = _editable_copy(file_name, data)
    problems = list(result.errors) + list(result.warnings)
    report = result.report
    if report is not None and report.sheet in wb.sheetnames:
        _add_error_column(wb[report.sheet], report.header_row, result.errors, result.warnings)
        mark_cells(wb[report.sheet], report.header_row, result.errors, result.warnings)
    _add_problem_sheet(wb, problems)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _editable_copy(file_name: str, data: bytes) -> Workbook:
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        try:
            return load_workbook(io.BytesIO(data))
        except Exception:  # noqa: BLE001 - any openpyxl failure: fall back to the values we read
            pass
    wb = Workbook()
    wb.remove(wb.active)
    try:
        sheets = read_workbook(data, file_name).sheets
    except ReportError:
        return _with_sheet(wb)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name[:31] or "Sheet")
        for row in sheet.rows:
            ws.append(["" if v is None else v for v in row])
    return wb if wb.sheetnames else _with_sheet(wb)


def _with_sheet(wb: Workbook) -> Workbook:
    wb.create_sheet("Tệp gốc")
    return wb


def _add_error_column(ws: Worksheet, header_row: int, errors: list[Problem], warnings: list[Problem]) -> None:
    by_row: dict[int, list[str]] = defaultdict(list)
    for kind, items in (("Lỗi", errors), ("Lưu ý", warnings)):
        for p in items:
            if p.row:
                by_row[p.row].append(f"{kind}{f' ({p.column})' if p.column else ''}: {p.message}")
    col = ws.max_column + 1
    head = ws.cell(header_row, col, ERROR_HEADER)
    head.font, head.alignment = _BOLD, _WRAP
    ws.column_dimensions[head.column_letter].width = 60
    error_rows = {p.row for p in errors}
    for row, lines in by_row.items():
        cell = ws.cell(row, col, "\n".join(lines))
        cell.alignment = _WRAP
        if row in error_rows:
            cell.fill, cell.font = _RED, _BOLD


def mark_cells(ws: Worksheet, header_row: int, errors: list[Problem], warnings: list[Problem]) -> None:
    """Each problem on its own cell: red fill for an error, yellow for a note, and a comment saying
    what is wrong and how to fix it. A problem whose column header is not found stays on its row."""
    columns = _columns_by_header(ws, header_row)
    notes: dict[tuple[int, int], list[str]] = defaultdict(list)
    for kind, items in (("Lỗi", errors), ("Lưu ý", warnings)):
        for p in items:
            col = columns.get(_header_key(p.column))
            if p.row and col:
                notes[(p.row, col)].append(f"{kind}: {p.message}")
    error_cells = {(p.row, columns.get(_header_key(p.column))) for p in errors}
    for (row, col), lines in notes.items():
        cell = ws.cell(row, col)
        cell.fill = _RED if (row, col) in error_cells else _YELLOW
        comment = Comment("\n".join(lines), "Kiểm tra báo cáo")
        comment.width, comment.height = 360, 40 + 60 * len(lines)
        cell.comment = comment


def _header_key(text: object) -> str:
    return " ".join(str(text or "").split()).casefold()


def _columns_by_header(ws: Worksheet, header_row: int) -> dict[str, int]:
    """Header text → column number, from the header row and the row under it (two-line headers)."""
    found: dict[str, int] = {}
    for row in (header_row + 1, header_row):  # the header row wins
        for cell in ws[row] if row <= ws.max_row else ():
            if cell.value not in (None, ""):
                found[_header_key(cell.value)] = cell.column
    return found


def _add_problem_sheet(wb: Workbook, problems: list[Problem]) -> None:
    ws = wb.create_sheet("Lỗi cần sửa", 0)
    ws.append(["Trang tính", "Dòng", "Cột", "Giá trị", "Cần sửa"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for p in problems:
        ws.append([p.sheet or "", p.row or "", p.column or "", p.value or "", p.message])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # an echoed value never becomes a formula
    for letter, width in zip("ABCDE", (18, 8, 26, 30, 90), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = _WRAP
    if not problems:
        ws.append(["", "", "", "", "Không có lỗi."])
