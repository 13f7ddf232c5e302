"""Normalise one task row: deadline, extension, status, percent, dates, units, topic."""

from __future__ import annotations

from dataclasses import dataclass

from etl.errors import Problem
from etl.ingest.header import Field, Header
from etl.ingest.readers import Sheet
from etl.model import ParsedReport, ReportMeta, ReportTask
from etl.vocab.deadlines import (
    InvalidDate,
    NotADate,
    month_shown,
    parse_date,
    parse_deadline,
    parse_extension,
)
from etl.vocab.status import (
    ALLOWED_STATUS_WORDS,
    BadPercent,
    Status,
    UnknownStatus,
    derive_status,
    is_mark,
    parse_percent,
    parse_status,
    shown_number,
)
from etl.vocab.text import cell_text
from etl.vocab.topics import classify_topic
from etl.vocab.units import UnitDirectory

FORMULA_HINT = (
    "Ô có công thức nhưng tệp không lưu giá trị đã tính. Hãy mở tệp bằng Excel hoặc LibreOffice, "
    "để bảng tính tự tính lại, lưu rồi tải lên lại."
)


@dataclass
class RowContext:
    sheet: Sheet
    header: Header
    meta: ReportMeta
    directory: UnitDirectory
    percent_fraction: bool
    report: ParsedReport
    section_title: str | None = None
    section_unit: str | None = None  # a table with no lead-unit column, in sections named for units
    sheet_name: str | None = None  # None for CSV: a CSV file has no sheets
    percent_mixed: bool = False  # the percent column holds numbers over 1 and numbers from 0 to 1

    def cell(self, row: list[object], fld: Field) -> object:
        col = self.header.columns.get(fld)
        if col is None or col >= len(row):
            return None
        value = row[col]
        return None if value == "" else value

    def problem(self, index: int, fld: Field | None, value: object, message: str) -> Problem:
        column = self.header.label(fld) if fld is not None else None
        return Problem(message, self.sheet_name, index + 1, column, cell_text(value) or None)

    def error(self, index: int, fld: Field | None, value: object, message: str) -> None:
        self.report.errors.append(self.problem(index, fld, value, message))
        self.report.bad_rows.add(index + 1)

    def warn(self, index: int, fld: Field | None, value: object, message: str) -> None:
        self.report.warnings.append(self.problem(index, fld, value, message))


def build_task(row: list[object], index: int, stt: str | None, title: str, code: str | None, ctx: RowContext):
    """Append the task of this row to the report, or its errors."""
    errors_before = len(ctx.report.errors)
    _check_formulas(index, ctx)
    task = ReportTask(
        row_no=index + 1,
        sheet=ctx.sheet_name,
        task_title=title,
        task_code=code,
        stt=stt,
        section_title=ctx.section_title,
        topic=classify_topic(title, ctx.section_title),
        result_text=cell_text(ctx.cell(row, Field.RESULT)) or None,
        difficulties=cell_text(ctx.cell(row, Field.DIFFICULTIES)) or None,
        proposals=cell_text(ctx.cell(row, Field.PROPOSALS)) or None,
        note=cell_text(ctx.cell(row, Field.NOTE)) or None,
    )
    task.lead_units = _units(row, index, Field.LEAD, ctx) or ([ctx.section_unit] if ctx.section_unit else [])
    task.coordinating_units = _units(row, index, Field.COORD, ctx)
    _deadline(row, index, task, ctx)
    _progress(row, index, task, ctx)
    if len(ctx.report.errors) == errors_before:
        ctx.report.tasks.append(task)


def _check_formulas(index: int, ctx: RowContext) -> None:
    if not ctx.sheet.uncached_formulas:
        return
    mapped = set(ctx.header.columns.values()) | set(ctx.header.marks)
    for r, c in sorted(ctx.sheet.uncached_formulas):
        if r == index and c in mapped:
            fld = next((f for f, col in ctx.header.columns.items() if col == c), None)
            ctx.error(index, fld, "=…", FORMULA_HINT)


def _units(row: list[object], index: int, fld: Field, ctx: RowContext) -> list[str]:
    text = cell_text(ctx.cell(row, fld))
    if not text:
        return []
    names, unknown = ctx.directory.resolve_cell(text, ctx.meta.province_legacy)
    for name in unknown:
        ctx.warn(index, fld, name, f"Đơn vị '{name}' chưa có trong danh mục; vẫn giữ nguyên tên như đã ghi.")
    return names


def _deadline(row: list[object], index: int, task: ReportTask, ctx: RowContext) -> None:
    raw = ctx.cell(row, Field.DUE)
    if ctx.sheet.month_cells and (index, ctx.header.columns.get(Field.DUE)) in ctx.sheet.month_cells:
        raw = month_shown(raw)  # a date cell showing "09/2022": the month, as the person typed it
    try:
        deadline = parse_deadline(raw, ctx.meta.period_year)
    except InvalidDate as exc:
        ctx.error(index, Field.DUE, raw, str(exc))
        return
    if deadline is not None:
        task.due_text, task.due_kind, task.due_date = deadline.text, str(deadline.kind), deadline.due_date
        if deadline.kind == "unparsed":
            ctx.warn(
                index,
                Field.DUE,
                raw,
                "Không hiểu thời hạn; giữ nguyên chữ, nhiệm vụ không được tính quá hạn. "
                "Nên ghi dạng '30/6/2022', 'Quý III/2022', 'Tháng 6/2022' hoặc 'Thường xuyên'.",
            )
    extension = ctx.cell(row, Field.EXTENSION)
    if extension is None:
        return
    try:
        extended = parse_extension(extension, ctx.meta.period_year)
    except (InvalidDate, NotADate) as exc:
        ctx.error(index, Field.EXTENSION, extension, str(exc))
        return
    if extended is not None:
        task.due_date_original, task.due_date = task.due_date, extended


def _progress(row: list[object], index: int, task: ReportTask, ctx: RowContext) -> None:
    raw_pct = ctx.cell(row, Field.PERCENT)
    try:
        task.pct_done = parse_percent(raw_pct, ctx.percent_fraction)
    except BadPercent as exc:
        ctx.error(index, Field.PERCENT, raw_pct, str(exc))
    if ctx.percent_mixed and task.pct_done is not None and 0 < task.pct_done <= 1:
        shown, meant = shown_number(task.pct_done), shown_number(round(task.pct_done * 100, 2))
        ctx.warn(
            index,
            Field.PERCENT,
            raw_pct,
            f"Tiến độ {shown} đọc là {shown}%, nhưng cột này có các số lớn hơn 1 (phần trăm). Nếu ý là "
            f"{meant}%, hãy ghi {meant} rồi tải lên lại.",
        )
    status = _status(row, index, ctx)
    raw_done = ctx.cell(row, Field.COMPLETED)
    try:
        task.completed_on = parse_date(raw_done, ctx.meta.period_year)
    except InvalidDate as exc:
        ctx.error(index, Field.COMPLETED, raw_done, str(exc))
    except NotADate:
        ctx.warn(index, Field.COMPLETED, raw_done, "Ngày hoàn thành không phải là ngày; bỏ qua ô này.")
    reported = derive_status(status, task.pct_done)
    if reported is None and task.completed_on is not None:  # no status, no percent, but the day it was done
        reported = Status.DONE
    task.status_reported = str(reported) if reported else None
    if reported is None:
        ctx.warn(
            index, Field.STATUS, None, "Không có tình trạng và tiến độ; nhiệm vụ được coi là chưa thực hiện."
        )
    elif reported == Status.DONE and task.pct_done is not None and task.pct_done < 100:
        ctx.warn(index, Field.PERCENT, raw_pct, "Tình trạng 'hoàn thành' nhưng tiến độ dưới 100%.")
    elif status is not None and status != Status.DONE:
        _status_disagrees(index, status, task, raw_pct, raw_done, ctx)


def _status_disagrees(
    index: int, status: Status, task: ReportTask, raw_pct: object, raw_done: object, ctx: RowContext
) -> None:
    """A status word short of done beside a percent of 100, a percent above 0 beside 'not started', or a
    date done: the word is what counts, and the person is told to check (the other way round is told too)."""
    pct = task.pct_done
    full = pct is not None and (pct >= 100 or (status == Status.NOT_STARTED and pct > 0))
    if not full and task.completed_on is None:
        return  # most rows: nothing to tell
    word = ALLOWED_STATUS_WORDS[status]
    kept = f"nhiệm vụ được tính theo tình trạng ('{word}'); nếu sai, hãy sửa lại cho khớp."
    if full:
        ctx.warn(
            index, Field.PERCENT, raw_pct, f"Tình trạng '{word}' nhưng tiến độ {shown_number(pct)}%; {kept}"
        )
    if task.completed_on is not None:
        ctx.warn(index, Field.COMPLETED, raw_done, f"Có ngày hoàn thành nhưng tình trạng là '{word}'; {kept}")


def _status(row: list[object], index: int, ctx: RowContext) -> Status | None:
    marked = [status for col, status in ctx.header.marks.items() if col < len(row) and is_mark(row[col])]
    if len(marked) > 1:
        ctx.error(index, None, "x", "Đánh dấu 'x' ở nhiều cột tình trạng; chỉ đánh dấu một cột.")
    if marked:
        return marked[0]
    raw = ctx.cell(row, Field.STATUS)
    try:
        return parse_status(raw)
    except UnknownStatus as exc:
        ctx.error(index, Field.STATUS, raw, str(exc))
        return None
