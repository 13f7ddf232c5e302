"""The uploaded file back to its sender, with a column that says what to fix on each row, and
each bad cell filled and commented.

Built from the values the guarded reader already read (``readers.Workbook``), never by opening the
raw upload with another parser: a file the guards refuse cannot reach one through this path. Every
format comes back as .xlsx with the sheets as read (values, merged ranges, hidden sheets), an error
column on the report sheet and a first sheet "Lỗi cần sửa" listing every problem, including those of
the file as a whole. No text we write is ever a live formula (``text_cell``).
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from etl.errors import Problem
from etl.ingest import readers
from etl.vocab.text import looks_like_formula

ERROR_HEADER = "LỖI CẦN SỬA"
PROBLEM_SHEET = "Lỗi cần sửa"
_RED = PatternFill("solid", fgColor="FFC7CE")
_YELLOW = PatternFill("solid", fgColor="FFEB9C")
_BOLD = Font(bold=True, color="9C0006")
_WRAP = Alignment(wrap_text=True, vertical="top")


def annotated_workbook(
    book: readers.Workbook | None,
    errors: list[Problem],
    warnings: list[Problem],
    report_sheet: str | None = None,
    header_row: int | None = None,
) -> bytes:
    """An .xlsx: the sheets of ``book`` (None: the file could not be read), the error column on
    ``report_sheet`` at ``header_row`` (Excel row), and the list of every problem."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in book.sheets if book is not None else []:
        _copy_sheet(wb, sheet)
    if not any(ws.sheet_state == "visible" for ws in wb.worksheets):
        wb.create_sheet("Tệp gốc")
    if report_sheet is not None and header_row and report_sheet[:31] in wb.sheetnames:
        _add_error_column(wb[report_sheet[:31]], header_row, errors, warnings)
        mark_cells(wb[report_sheet[:31]], header_row, errors, warnings)
    _add_problem_sheet(wb, [*errors, *warnings])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def text_cell(ws: Worksheet, row: int, col: int, value: object) -> Cell:
    """Write ``value`` at (row, col) (1-based); a text that looks like a formula stays text."""
    cell = ws.cell(row, col)
    cell.value = value
    if isinstance(value, str) and looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _copy_sheet(wb: Workbook, sheet: readers.Sheet) -> None:
    title = _unique_title(wb, sheet.name)
    ws = wb.create_sheet(title)
    widths: dict[int, int] = {}
    for r, values in enumerate(sheet.rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = text_cell(ws, r, c, value)
            if isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(value, str) and r <= 60:
                widths[c] = max(widths.get(c, 0), min(len(value), 50))
    for c, width in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = max(8, width + 2)
    for r0, c0, r1, c1 in sheet.merged:
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    if sheet.hidden:
        ws.sheet_state = "hidden"


def _unique_title(wb: Workbook, name: str) -> str:
    """A sheet title Excel accepts (≤ 31 characters, no []:*?/\\), unique in ``wb``."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31].strip("'") or "Sheet"
    title, n = base, 1
    while title in wb.sheetnames or title == PROBLEM_SHEET:
        n += 1
        title = f"{base[: 31 - len(str(n)) - 1]}_{n}"
    return title


def _add_error_column(ws: Worksheet, header_row: int, errors: list[Problem], warnings: list[Problem]) -> None:
    by_row: dict[int, list[str]] = defaultdict(list)
    for kind, items in (("Lỗi", errors), ("Lưu ý", warnings)):
        for p in items:
            if p.row:
                by_row[p.row].append(f"{kind}{f' ({p.column})' if p.column else ''}: {p.message}")
    col = ws.max_column + 1
    head = text_cell(ws, header_row, col, ERROR_HEADER)
    head.font, head.alignment = _BOLD, _WRAP
    ws.column_dimensions[head.column_letter].width = 60
    error_rows = {p.row for p in errors}
    for row, lines in by_row.items():
        cell = text_cell(ws, row, col, "\n".join(lines))
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
    ws = wb.create_sheet(PROBLEM_SHEET, 0)
    for c, head in enumerate(("Trang tính", "Dòng", "Cột", "Giá trị", "Cần sửa"), start=1):
        text_cell(ws, 1, c, head).font = Font(bold=True)
    for r, p in enumerate(problems, start=2):
        for c, value in enumerate((p.sheet or "", p.row or "", p.column or "", p.value or "", p.message), 1):
            text_cell(ws, r, c, value).alignment = _WRAP
    for letter, width in zip("ABCDE", (18, 8, 26, 30, 90), strict=True):
        ws.column_dimensions[letter].width = width
    if not problems:
        text_cell(ws, 2, 5, "Không có lỗi.")
