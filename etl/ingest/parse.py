"""Turn a read workbook into a ``ParsedReport``: find the table, classify rows, normalise cells.

Row kinds (``etl.ingest.row_kinds``): section rows (roman numerals) give the task's section title; a
numbered row followed by lettered or decimal sub-tasks is a parent, not a task; blank rows are spacers;
the first signature row ("Người lập biểu", "THỦ TRƯỞNG ĐƠN VỊ"…) ends the table, unless its STT cell
numbers it or it reports progress (a task "Chủ tịch UBND các huyện chỉ đạo …" is a task); numbered rows
below the signature are named in a warning (``etl.ingest.table_notes``).
Bad-data policy (named): impossible values (a date that does not exist, an unknown status
word, a percent outside 0–100, a formula without a cached value) are row errors and the
file is refused whole; things we can keep as text (an unparsed deadline, an unknown unit,
a completion date that is not a date) are warnings.
"""

from __future__ import annotations

from etl.errors import EmptyFile, MissingColumn, Problem
from etl.ingest.bounds import column_letter
from etl.ingest.column_map import ColumnChoices, resolve_columns
from etl.ingest.header import FIELD_LABELS, Field, Header, best_partial_header, find_header
from etl.ingest.meta import MetaOptions, file_period, read_meta
from etl.ingest.meta_guess import period_in_file_name
from etl.ingest.readers import Sheet, Workbook
from etl.ingest.report_ref import read_report_ref
from etl.ingest.row_kinds import (
    Row,
    classify,
    has_progress,
    is_bullet_line,
    is_footer,
    is_part,
    numbered_or_bulleted,
    opens_notes,
    reports_progress,
    stt_cell,
    task_code,
    value_at,
)
from etl.ingest.rows import RowContext, build_task
from etl.ingest.table_notes import warn_hidden_rows, warn_rows_after_footer, warn_swapped_dates
from etl.ingest.title_block import read_title_block
from etl.model import ParsedReport, ReportMeta
from etl.vocab.periods import Period, PeriodKind
from etl.vocab.text import cell_text
from etl.vocab.units import UnitDirectory


def parse_workbook(
    wb: Workbook, options: MetaOptions, directory: UnitDirectory, columns: ColumnChoices | None = None
) -> ParsedReport:
    """Read the report table of a workbook, with a person's corrections to its columns (``columns``).

    Every visible sheet holding a table of the same columns is part of the report (one sheet per
    lead unit); the title rows of the first one say who reports and when, and a later sheet whose own
    title rows name another period is left out, with a warning.
    Raises ``MissingColumn`` when no sheet has a task table, ``MissingMetadata`` when the
    province, unit or period is neither in the title rows nor in ``options``.
    """
    tables = _pick_sheets(wb)
    # the period each sheet's own title rows name (a lone sheet's is the report's: not read twice)
    periods = [_title_period(s, h) for s, h in tables] if len(tables) > 1 else [None]
    tables, periods = _named_period_first(tables, periods, wb.file_name)
    sheet, header = tables[0]
    title = _title_rows(sheet, header)
    meta, meta_warnings = read_meta(title, options, directory, wb.file_name)
    ref = read_report_ref(title)
    meta.report_date, meta.report_number = ref.issued_on, ref.number
    header, column_map, shape, notes = resolve_columns(sheet, header, meta, columns)
    others = _other_periods(tables[1:], periods[1:], meta)  # left out: their columns need not be resolved
    # the other sheets have the same columns: the same corrections
    tables = [(sheet, header)] + [
        (s, resolve_columns(s, h, meta, columns)[0]) for s, h in tables[1:] if s.name not in others
    ]
    report = ParsedReport(
        file_name=wb.file_name,
        sheet=sheet.name,
        header_row=header.row + 1,
        columns={f.value: header.labels.get(c, f.value) for f, c in header.columns.items()},
        meta=meta,
        tasks=[],
        warnings=notes + list(meta_warnings) + _hidden_columns_read(sheet, header),
        column_map=column_map,
        header_fingerprint=shape,
    )
    report.warnings += others.values()
    seen: set[str] = set()
    for sheet, header in tables:
        ctx = RowContext(sheet, header, meta, directory, False, report)
        ctx.sheet_name = None if wb.format == "csv" else sheet.name
        _read_sheet(ctx, seen)
    if not report.tasks and not report.errors:
        raise EmptyFile(
            "Bảng không có dòng nhiệm vụ nào: dưới dòng tiêu đề cột không có nội dung. "
            "Hãy điền các nhiệm vụ vào bảng rồi tải lên lại.",
            [Problem("Không có dòng nhiệm vụ nào dưới dòng tiêu đề cột.", sheet.name, header.row + 1)],
        )
    return report


def _title_period(sheet: Sheet, header: Header) -> Period | None:
    return file_period(read_title_block(_title_rows(sheet, header)))


def _named_period_first(
    tables: list[tuple[Sheet, Header]], periods: list[Period | None], file_name: str
) -> tuple[list[tuple[Sheet, Header]], list[Period | None]]:
    """The sheets (and their ``periods``) with the one whose title names the period the file's name gives
    first, when the first sheet names another ("Quý II" and "Quý III" tabs in "BC_Quy3_2022.xlsx": the
    report is Quý III's)."""
    if len(tables) < 2 or (named := period_in_file_name(file_name)) is None:
        return tables, periods
    if periods[0] in (None, named) or named not in periods:
        return tables, periods
    first = periods.index(named)
    order = [first, *range(first), *range(first + 1, len(tables))]
    return [tables[i] for i in order], [periods[i] for i in order]


def _other_periods(
    tables: list[tuple[Sheet, Header]], periods: list[Period | None], meta: ReportMeta
) -> dict[str, Problem]:
    """The later sheets whose own title rows name another period than the report's (a "Quý III" tab kept
    beside the "Quý II" one), each with the warning that says it is not read: its tasks belong to another
    report, and counting them in this one would make both periods' figures wrong. ``periods``: the
    period each sheet's title rows name (``_title_period``)."""
    if not tables:
        return {}
    reported = Period(meta.period_year, PeriodKind(meta.period_kind), meta.period_index)
    found = {}
    for (sheet, _), period in zip(tables, periods, strict=True):
        if period is None or period == reported:
            continue
        found[sheet.name] = Problem(
            f"Trang tính '{sheet.name}' ghi kỳ {period.label}, khác kỳ của báo cáo ({reported.label}), nên không "
            f"được đọc vào báo cáo này. Nếu trang đó là báo cáo {period.label}, hãy lưu riêng trang đó thành một "
            "tệp rồi tải lên; nếu tiêu đề của trang ghi nhầm kỳ, hãy sửa lại rồi tải lên lại.",
            sheet.name,
        )
    return found


def _read_sheet(ctx: RowContext, seen: set[str]) -> None:
    """Append one sheet's tasks; a visible copy of an earlier sheet (every task title seen) is skipped."""
    report, sheet, header = ctx.report, ctx.sheet, ctx.header
    marks = (len(report.tasks), len(report.errors), len(report.warnings), set(report.bad_rows))
    _read_rows(_fill_vertical_merges(sheet, header), header, ctx)
    titles = {t.task_title for t in report.tasks[marks[0] :]}
    if seen and titles and not titles <= seen and (twice := titles & seen):
        report.warnings.append(
            Problem(
                f"Trang tính '{sheet.name}' có {len(twice)} nhiệm vụ trùng tên với trang tính trước (ví dụ "
                f"'{min(twice)}'); chúng được tính ở cả hai trang. Nếu một trang là bản tổng hợp, bản cũ "
                "hoặc kỳ trước, hãy xóa hoặc ẩn trang đó rồi tải lên lại.",
                sheet.name,
            )
        )
    if seen and titles and titles <= seen:
        del report.tasks[marks[0] :], report.errors[marks[1] :], report.warnings[marks[2] :]
        report.bad_rows = marks[3]
        report.warnings.append(
            Problem(
                f"Trang tính '{sheet.name}' lặp lại các nhiệm vụ của trang tính trước nên không được đọc. "
                "Nếu đây là bản cũ, hãy xóa hoặc ẩn trang tính đó.",
                sheet.name,
            )
        )
    seen |= titles


def _title_rows(sheet: Sheet, header: Header) -> list[list[object]]:
    """The rows above the table, without the blank columns left of everything (a table moved right)."""
    rows = sheet.rows[: header.first_row]
    lead = min(
        (next(i for i, v in enumerate(r) if v is not None) for r in rows if any(v is not None for v in r)),
        default=0,
    )
    return [r[lead:] for r in rows]


def _hidden_columns_read(sheet: Sheet, header: Header) -> list[Problem]:
    """A warning for each hidden column that is read (no visible column has the same kind of header)."""
    return [
        Problem(
            f"Cột {column_letter(col)} «{header.labels.get(col, fld.value)}» đang bị ẩn nhưng vẫn được đọc là "
            f"'{FIELD_LABELS[fld]}'. Nếu cột đó là số liệu cũ, hãy xóa hẳn cột rồi tải lên lại.",
            sheet.name,
            header.row + 1,
            column_letter(col),
        )
        for fld, col in header.columns.items()
        if sheet.column_hidden(col)
    ]


def _pick_sheets(wb: Workbook) -> list[tuple[Sheet, Header]]:
    """The visible sheets holding the task table: the best one, and every other of the same columns."""
    found = [(s, find_header(s.rows, s.merged, s.hidden_columns())) for s in wb.sheets if not s.hidden]
    found = [(s, h) for s, h in found if h is not None]
    if found:
        _, best = max(found, key=lambda sh: len(sh[1].columns) + bool(sh[1].marks))
        shape = (set(best.columns), set(best.marks.values()))
        return [(s, h) for s, h in found if (set(h.columns), set(h.marks.values())) == shape]
    seen = [(s.name, best_partial_header(s.rows)) for s in wb.sheets if not s.hidden]
    problems = [
        Problem(
            "Không có cột 'Nội dung nhiệm vụ'. "
            f"Các cột tìm thấy: {', '.join(p[1])}. Bảng báo cáo cần có cột 'Nội dung nhiệm vụ' "
            "cùng các cột như 'Đơn vị chủ trì', 'Thời gian hoàn thành', 'Tình trạng'.",
            name,
            p[0] + 1,
        )
        for name, p in seen
        if p
    ] or [Problem("Không tìm thấy bảng nhiệm vụ: không có dòng tiêu đề cột nào giống mẫu báo cáo.")]
    raise MissingColumn(
        "Không tìm thấy bảng nhiệm vụ (thiếu cột 'Nội dung nhiệm vụ'). Tệp này không phải phụ lục "
        "báo cáo tiến độ thực hiện kế hoạch; hãy dùng biểu mẫu báo cáo.",
        problems,
    )


def _fill_vertical_merges(sheet: Sheet, header: Header) -> list[list[object]]:
    """Copy a merged cell's value down the rows it spans (a merged lead-unit cell applies to each). A
    task written over several rows, its title cell merged down, is one task: the rows under its first
    (but those with a number of their own) are joined into it, the texts of a column line by line."""
    start, title = header.data_start, header.columns[Field.TITLE]
    rows = [list(r) for r in sheet.rows]
    copied: set[tuple[int, int]] = set()
    spans: list[tuple[int, int]] = []
    for r1, c1, r2, c2 in sheet.merged:
        if r2 <= r1 or r2 < start:
            continue
        value = rows[r1][c1] if r1 < len(rows) and c1 < len(rows[r1]) else None
        for r in range(max(r1, start), min(r2, len(rows) - 1) + 1):
            for c in range(c1, c2 + 1):
                if c < len(rows[r]) and rows[r][c] in (None, ""):
                    rows[r][c] = value
                    copied.add((r, c))
        if r1 >= start and c1 <= title <= c2:
            spans.append((r1, min(r2, len(rows) - 1)))
    stt = header.columns.get(Field.STT)
    for r1, r2 in spans:
        into = r1
        for r in range(r1 + 1, r2 + 1):
            if stt is not None and (r, stt) not in copied and value_at(rows[r], stt) not in (None, ""):
                into = r  # numbered on its own: a row of its own under the same title
                continue
            _join_row(rows[into], rows[r], [(r, c) in copied for c in range(len(rows[r]))])
            rows[r] = [None] * len(rows[r])
    return rows


def _join_row(into: list[object], row: list[object], copied: list[bool]) -> None:
    """Add a task's next row to its first: a cell the first leaves blank is taken, texts are joined."""
    for c, value in enumerate(row):
        if copied[c] or value in (None, "") or c >= len(into):
            continue
        first = into[c]
        if first in (None, ""):
            into[c] = value
        elif first != value:
            into[c] = f"{cell_text(first)}\n{cell_text(value)}"


def _percent_numbers(rows: list[list[object]], header: Header, items: list[Row]) -> list[float]:
    col = header.columns.get(Field.PERCENT)
    if col is None:
        return []
    cells = [rows[item.index][col] for item in items if col < len(rows[item.index])]
    return [v for v in cells if isinstance(v, int | float) and not isinstance(v, bool)]


def _percent_is_fraction(numbers: list[float]) -> bool:
    """Percent typed as a fraction (0.75 shown as 75%): every number of the task rows is ≤ 1."""
    return bool(numbers) and max(numbers) <= 1


def _heads_bullets(following: Row | None) -> bool:
    return (
        following is not None and following.kind == "plain" and is_bullet_line((following.stt or "").strip())
    )


def _is_note_line(row: list[object], header: Header, under_notes: bool) -> bool:
    """A row with no STT and nothing reported whose text opens notes ("Ghi chú: …", "* Lưu ý:"), or is a
    bullet line under such a row: a note on the table, not a task."""
    title = cell_text(value_at(row, header.columns[Field.TITLE]))
    return (
        bool(title)
        and (opens_notes(title) or (under_notes and is_bullet_line(title)))
        and not has_progress(row, header)
    )


def _read_rows(rows: list[list[object]], header: Header, ctx: RowContext) -> None:
    classified: list[Row] = []
    notes = False  # under a line opening notes ("Ghi chú:"), its bullet lines
    for index in range(header.data_start, len(rows)):
        row = rows[index]  # numbered rows first: most rows are, and telling it costs less than the footer
        read = stt_cell(row, header)
        if not numbered_or_bulleted(*read) and is_footer(row) and not reports_progress(row, header):
            warn_rows_after_footer(rows, index, header, ctx)
            break
        if not read[0] and _is_note_line(row, header, notes):
            notes = True
            continue
        notes = False
        item = classify(row, index, header, read)
        if item is not None:
            classified.append(item)
    numbers = _percent_numbers(rows, header, classified)
    ctx.percent_fraction = _percent_is_fraction(numbers)
    # whole percents with a few fractions among them (0.5 beside 80): each such cell is told about
    ctx.percent_mixed = not ctx.percent_fraction and any(0 < v <= 1 for v in numbers)
    section_label, section_title, number = None, None, None
    lone_units = Field.LEAD not in header.columns
    for pos, item in enumerate(classified):
        row = rows[item.index]
        following = classified[pos + 1] if pos + 1 < len(classified) else None
        if is_part(item, following):
            section_label, section_title, number = None, None, None
            ctx.section_unit = None
            continue
        # a roman row heading numbered rows is a section, though it gives the section's own percent or a
        # unit merged down over its tasks; a roman row with progress and nothing numbered under it is a task
        heads = following is not None and following.kind in ("number", "sub")
        if item.kind == "section" and (item.lone or heads or not has_progress(row, header)):
            section_label, section_title, number = item.label, item.title, None
            # no lead-unit column: a section named for a unit ("II. SỞ NGOẠI VỤ") leads its tasks
            ctx.section_unit = (
                ctx.directory.match(item.title, ctx.meta.province_legacy) if lone_units else None
            )
            continue
        if item.kind == "number":
            number = item.label
            after = classified[pos + 2] if pos + 2 < len(classified) else None
            if following is not None and following.kind == "sub" and not is_part(following, after):
                continue  # parent of sub-tasks
            if _heads_bullets(following) and not has_progress(row, header):
                continue  # a heading over tasks bulleted "-" or "+", with nothing reported of its own
        code = task_code(section_label, number, item)
        ctx.section_title = section_title
        build_task(row, item.index, item.stt, item.title, code, ctx)
    warn_hidden_rows([item.index for item in classified if item.index in ctx.sheet.hidden_rows], ctx)
    for fld in (Field.DUE, Field.EXTENSION, Field.COMPLETED):
        warn_swapped_dates(rows, classified, header, fld, ctx)
