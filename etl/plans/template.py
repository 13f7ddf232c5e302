"""The progress-report form each unit fills in: one .xlsx per unit, its tasks of the plan pre-filled.

Layout, as provincial report appendices are printed: the administrative header (issuing body left,
"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc" right), the title "KẾT QUẢ THỰC HIỆN
KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM <năm>", the period line ("Quý III năm 2022"), "Đơn vị báo cáo: …",
then the table (``HEADERS``) with roman section rows, group rows ("4 | Các hoạt động …") and one row
per task numbered as the plan prints it ("a)", "3", "2.1"), then the signature rows. The header block
and the task columns are locked (sheet protection without password); the columns the unit fills in
are unlocked and validated (status list, 0-100 progress, dates with a warning only, so that a date
typed as text is still accepted). A "Hướng dẫn" sheet comes after the report sheet.
"""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from etl.errors import PlanError
from etl.plans.instructions import write_instructions
from etl.plans.model import Plan, PlanTask
from etl.plans.units import unit_matches
from etl.vocab.periods import ROMAN_OF, Period, PeriodKind, parse_period_code
from etl.vocab.status import ALLOWED_STATUS_WORDS
from etl.vocab.text import key, looks_like_formula, nfc

REPORT_SHEET = "Báo cáo"
HEADERS = ("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành",
           "Thời hạn điều chỉnh", "Kết quả thực hiện", "Tiến độ (%)", "Tình trạng", "Ngày hoàn thành",
           "Khó khăn, vướng mắc", "Đề xuất, kiến nghị", "Ghi chú")  # fmt: skip
WIDTHS = (6, 44, 20, 22, 13, 12, 38, 9, 15, 12, 24, 24, 14)
FILLED_BY_UNIT = ("Thời hạn điều chỉnh", "Kết quả thực hiện", "Tiến độ (%)", "Tình trạng", "Ngày hoàn thành",
                  "Khó khăn, vướng mắc", "Đề xuất, kiến nghị", "Ghi chú")  # fmt: skip
HEADER_ROW = 10
CITIES = {"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"}
_ROMAN = re.compile(r"^[IVXL]+$")
_COL = {name: get_column_letter(i) for i, name in enumerate(HEADERS, 1)}
_LAST = get_column_letter(len(HEADERS))
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_GREY = PatternFill("solid", fgColor="D9D9D9")
_SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_UNLOCKED = Protection(locked=False)


def period_line(period_code: str) -> str:
    """The period line of the form.

    >>> period_line("2022-Q3"), period_line("2022-H1"), period_line("2022-9M"), period_line("2022")
    ('Quý III năm 2022', '6 tháng đầu năm 2022', '9 tháng đầu năm 2022', 'Năm 2022')
    """
    period = _period(period_code)
    if period.kind is PeriodKind.Q:
        return f"Quý {ROMAN_OF[period.index]} năm {period.year}"
    return period.label


def _period(period_code: str) -> Period:
    try:
        return parse_period_code(period_code)
    except ValueError as exc:
        raise PlanError(str(exc)) from exc


def issuing_body(province: str) -> str:
    """ "UBND TỈNH THÁI BÌNH" / "UBND THÀNH PHỐ HUẾ" for a province name (a prefix written is kept)."""
    name = nfc(province)
    folded = key(name)
    if re.match(r"^(?:tinh|thanh pho|tp)\b", folded):
        return f"UBND {name.upper()}"
    return f"UBND {'THÀNH PHỐ' if folded in CITIES else 'TỈNH'} {name.upper()}"


def tasks_of_unit(plan: Plan, unit: str) -> list[PlanTask]:
    """The tasks a unit leads or coordinates, group phrases included ("Các sở, ban, ngành" → every Sở)."""
    return [
        t for t in plan.tasks if any(unit_matches(unit, n) for n in (*t.lead_units, *t.coordinating_units))
    ]


def build_template(plan: Plan, unit: str, period_code: str, province: str) -> bytes:
    """The .xlsx form for ``unit`` to report on its tasks of ``plan`` for the period."""
    period = _period(period_code)
    if period.year != plan.year:
        raise PlanError(f"Kỳ báo cáo {period_code} không thuộc năm của kế hoạch ({plan.year}).")
    tasks = tasks_of_unit(plan, unit)
    if not tasks:
        raise PlanError(f"Kế hoạch không giao nhiệm vụ nào cho đơn vị “{unit}” (chủ trì hoặc phối hợp).")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = REPORT_SHEET
    _header_block(sheet, plan, unit, period_code, province)
    first, last = _table(sheet, plan, tasks)
    _validations(sheet, first, last)
    _signatures(sheet, last + 2)
    _page_setup(sheet)
    write_instructions(workbook.create_sheet("Hướng dẫn"), plan, unit, period_line(period_code))
    workbook.active = 0
    _text_only(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_only(workbook: Workbook) -> None:
    """No text from a plan becomes a live formula: openpyxl reads "=…" as one, we write it as text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and looks_like_formula(cell.value)):
                    cell.data_type, cell.quotePrefix = "s", True


def build_templates_zip(plan: Plan, units: list[str], period_code: str, province: str) -> bytes:
    """A .zip with one form per unit; file names are ASCII ("so_ngoai_vu_2022-Q3.xlsx").

    Refused as a whole when a unit has no task in the plan, naming every such unit.
    """
    empty = [u for u in units if not tasks_of_unit(plan, u)]
    if empty:
        raise PlanError(
            f"Kế hoạch không giao nhiệm vụ nào cho: {'; '.join(empty)}. Bỏ các đơn vị này rồi làm lại."
        )
    out = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for unit in units:
            archive.writestr(
                _file_name(unit, period_code, used), build_template(plan, unit, period_code, province)
            )
    return out.getvalue()


def _file_name(unit: str, period_code: str, used: set[str]) -> str:
    stem = (key(unit).replace(" ", "_")[:60] or "don_vi") + "_" + re.sub(r"[^0-9A-Za-z-]", "", period_code)
    name, n = f"{stem}.xlsx", 1
    while name in used:
        n += 1
        name = f"{stem}_{n}.xlsx"
    used.add(name)
    return name


def _merged(sheet: Worksheet, cells: str, value: str, font: Font, align: Alignment) -> None:
    sheet.merge_cells(cells)
    top = sheet[cells.split(":")[0]]
    top.value, top.font, top.alignment = value, font, align


def _header_block(sheet: Worksheet, plan: Plan, unit: str, period_code: str, province: str) -> None:
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    _merged(sheet, "A1:C1", issuing_body(province), Font(size=12), center)
    _merged(sheet, "A2:C2", nfc(unit).upper(), Font(size=12, bold=True), center)
    _merged(sheet, f"G1:{_LAST}1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Font(size=12, bold=True), center)
    _merged(
        sheet,
        f"G2:{_LAST}2",
        "Độc lập - Tự do - Hạnh phúc",
        Font(size=12, bold=True, underline="single"),
        center,
    )
    _merged(sheet, f"G3:{_LAST}3", "…………, ngày …… tháng …… năm ……", Font(size=12, italic=True), center)
    title = f"KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM {plan.year}"
    _merged(sheet, f"A5:{_LAST}5", title, Font(size=14, bold=True), center)
    _merged(
        sheet,
        f"A6:{_LAST}6",
        "(Kèm theo Báo cáo số ……/BC-…… ngày ……/……/……)",
        Font(size=12, italic=True),
        center,
    )
    _merged(sheet, f"A7:{_LAST}7", period_line(period_code), Font(size=13, bold=True), center)
    _merged(
        sheet,
        f"A8:{_LAST}8",
        f"Đơn vị báo cáo: {nfc(unit)}",
        Font(size=12, bold=True),
        Alignment(vertical="center"),
    )
    for cell in ("G3", "A6"):
        sheet[cell].protection = _UNLOCKED  # the unit writes its own date and report number
    sheet.row_dimensions[5].height = 24


def _table(sheet: Worksheet, plan: Plan, tasks: list[PlanTask]) -> tuple[int, int]:
    """Header row, then section, group and task rows; returns the first and last data rows."""
    for col, (name, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), 1):
        cell = sheet.cell(HEADER_ROW, col, name)
        cell.font, cell.alignment, cell.fill, cell.border = Font(bold=True), _CENTER, _GREY, _BORDER
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 32
    row, roman, group = HEADER_ROW + 1, None, None
    for task in tasks:
        parts = task.code.split(".")
        task_roman = parts[0] if _ROMAN.match(parts[0]) else None
        if task_roman and task_roman != roman:
            roman, group = task_roman, None
            row = _heading_row(sheet, row, roman, plan.section_title(roman) or "", _SECTION_FILL)
        group_code = ".".join(parts[:-1]) if len(parts) >= (3 if task_roman else 2) else None
        if group_code and group_code != group:
            group = group_code
            row = _heading_row(
                sheet, row, group_code.split(".")[-1], plan.section_title(group_code) or "", None
            )
        row = _task_row(sheet, row, task)
    return HEADER_ROW + 1, row - 1


def _heading_row(sheet: Worksheet, row: int, stt: str, title: str, fill: PatternFill | None) -> int:
    for col in range(1, len(HEADERS) + 1):
        cell = sheet.cell(row, col)
        cell.border, cell.font = _BORDER, Font(bold=True)
        cell.alignment = _CENTER if col == 1 else _WRAP_TOP
        if fill is not None:
            cell.fill = fill
    sheet.cell(row, 1, stt)
    sheet.cell(row, 2, title)
    return row + 1


def _task_row(sheet: Worksheet, row: int, task: PlanTask) -> int:
    values = {
        "STT": task.stt,
        "Nội dung nhiệm vụ": task.title,
        "Đơn vị chủ trì": "; ".join(task.lead_units),
        "Đơn vị phối hợp": "; ".join(task.coordinating_units),
        "Thời gian hoàn thành": task.due_text
        or (task.due_date.strftime("%d/%m/%Y") if task.due_date else None),
    }
    for col, name in enumerate(HEADERS, 1):
        cell = sheet.cell(row, col, values.get(name))
        cell.border = _BORDER
        cell.alignment = _CENTER if name in ("STT", "Tiến độ (%)", "Tình trạng") else _WRAP_TOP
        if name in FILLED_BY_UNIT:
            cell.protection = _UNLOCKED
        if name in ("Thời hạn điều chỉnh", "Ngày hoàn thành"):
            cell.number_format = "dd/mm/yyyy"
    return row + 1


def _validations(sheet: Worksheet, first: int, last: int) -> None:
    def span(name: str) -> str:
        return f"{_COL[name]}{first}:{_COL[name]}{last}"

    words = ",".join(ALLOWED_STATUS_WORDS.values())
    status = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True, showDropDown=False)
    status.error = f"Chọn một trong các giá trị: {', '.join(ALLOWED_STATUS_WORDS.values())}."
    status.errorTitle, status.prompt, status.promptTitle = (
        "Tình trạng không hợp lệ",
        status.error,
        "Tình trạng",
    )
    status.add(span("Tình trạng"))
    percent = DataValidation(
        type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True
    )
    percent.error, percent.errorTitle = "Tiến độ là một số từ 0 đến 100.", "Tiến độ không hợp lệ"
    percent.add(span("Tiến độ (%)"))
    dates = DataValidation(
        type="date", operator="between", formula1="36526", formula2="73051", allow_blank=True
    )
    dates.errorStyle = "warning"  # a date typed as text ("15/6/2022") is still read: warn, never refuse
    dates.error = "Nên ghi ngày dạng ngày/tháng/năm, ví dụ 15/06/2022. Chọn Yes để giữ giá trị đã gõ."
    dates.errorTitle, dates.prompt, dates.promptTitle = "Ngày chưa đúng dạng", "Ghi ngày/tháng/năm", "Ngày"
    dates.add(span("Thời hạn điều chỉnh"))
    dates.add(span("Ngày hoàn thành"))
    for validation in (status, percent, dates):
        validation.showErrorMessage = validation.showInputMessage = True
        sheet.add_data_validation(validation)


def _signatures(sheet: Worksheet, row: int) -> None:
    bold, italic = Font(bold=True), Font(italic=True)
    center = Alignment(horizontal="center")
    _merged(sheet, f"B{row}:C{row}", "NGƯỜI LẬP BIỂU", bold, center)
    _merged(sheet, f"I{row}:{_LAST}{row}", "THỦ TRƯỞNG ĐƠN VỊ", bold, center)
    _merged(sheet, f"B{row + 1}:C{row + 1}", "(Ký, ghi rõ họ tên)", italic, center)
    _merged(sheet, f"I{row + 1}:{_LAST}{row + 1}", "(Ký tên, đóng dấu)", italic, center)
    for cells in (f"B{row + 5}:C{row + 5}", f"I{row + 5}:{_LAST}{row + 5}"):
        _merged(sheet, cells, None, bold, center)
        sheet[cells.split(":")[0]].protection = _UNLOCKED  # names of the signers


def _page_setup(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "Trang &P/&N"
    sheet.protection.sheet = True  # no password: locks the header and the plan's columns against slips
    sheet.protection.formatColumns = sheet.protection.formatRows = False  # widths and heights may change
