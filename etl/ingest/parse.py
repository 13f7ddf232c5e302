"""Turn a read workbook into a ``ParsedReport``: find the table, classify rows, normalise cells.

Row kinds: section rows (roman numerals) give the task's section title; a numbered row
followed by lettered or decimal sub-tasks is a parent, not a task; blank rows are spacers;
the first signature row ("Người lập biểu", "THỦ TRƯỞNG ĐƠN VỊ"…) ends the table, unless its STT cell
numbers it or it reports progress (a task "Chủ tịch UBND các huyện chỉ đạo …" is a task); numbered rows
below the signature are named in a warning.
Bad-data policy (named): impossible values (a date that does not exist, an unknown status
word, a percent outside 0–100, a formula without a cached value) are row errors and the
file is refused whole; things we can keep as text (an unparsed deadline, an unknown unit,
a completion date that is not a date) are warnings.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date

from etl.errors import EmptyFile, MissingColumn, Problem
from etl.ingest.column_map import ColumnChoices, resolve_columns
from etl.ingest.header import Field, Header, best_partial_header, find_header
from etl.ingest.meta import MetaOptions, file_period, read_meta
from etl.ingest.readers import Sheet, Workbook
from etl.ingest.report_ref import read_report_ref
from etl.ingest.rows import RowContext, build_task
from etl.ingest.title_block import read_title_block
from etl.model import ParsedReport, ReportMeta
from etl.vocab.periods import Period, PeriodKind
from etl.vocab.status import BadPercent, UnknownStatus, is_mark, parse_percent, parse_status
from etl.vocab.text import cell_text, fold
from etl.vocab.units import UnitDirectory

_ROMAN = re.compile(r"^(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_SUB = re.compile(r"^\(?([a-zđ])\s*[\).]?$")
_DECIMAL = re.compile(r"^(\d+)\.(\d+)(?:\.\d+)*\.?$")
_NUMBER = re.compile(r"^(\d+)\s*[\.\)]?$")
_LABEL_IN_TEXT = re.compile(r"^\s*(?:([a-zđ])\s*\)|(\d{1,2}\.\d{1,2})[.)]?)\s+")
_ROMAN_IN_TEXT = re.compile(r"^\s*(?:PHẦN\s+)?([IVXLC]+)\s*[\.\-–:]\s+")
_NUMBERING = re.compile(r"^[\dIVXLC]+[\d.)]*$")
_DAY_FIRST = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})$")  # "25/6/2022"
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?$")
# A total / summary line ("TỔNG CỘNG", "Cộng:", "Tổng số nhiệm vụ: 20"), on folded text.
# A summary line of a consolidated report ("Cộng toàn tỉnh", "Toàn tỉnh", "Tỷ lệ hoàn thành (%)", "Tổng hợp
# chung"): the words alone, or before a colon, a bracket or a number.
_TOTAL = re.compile(
    r"^(?:tong cong\b|(?:tong so|cong|tong)(?=\s*[:(\-]|\s*$|\s+\d|\s+nhiem vu)"
    r"|(?:(?:cong|tong) )?(?:toan tinh|ty le hoan thanh|tong hop chung)(?=\s*[:(\-]|\s*$|\s+\d))"
)
_FOOTER = (
    "nguoi lap bieu",
    "nguoi lap",
    "thu truong",
    "ky ten",
    "ky, ghi ro",
    "(ky,",  # "(Ký, ghi rõ họ tên)", "(ký tên, đóng dấu)", not "(Kỳ trước chuyển sang)"
    "(ky)",
    "(ky ten",
    "(ky va",
    "(ky ghi",
    "(ky duyet",
    "(ky ho ten",
    "giam doc",
    "noi nhan",
    "tm. uy ban",
    "tm uy ban",
    "kt. giam doc",
    "xac nhan cua",
    "lanh dao don vi",
    "chu tich",
)
_FOOTER_FIRST = frozenset(word[0] for word in _FOOTER)
_BULLETS = frozenset("-+*•–—")
# The first characters (ASCII, or Latin letters Vietnamese ones included) whose folded form starts with
# a letter no footer word starts with.
_CANNOT_OPEN = frozenset(
    char
    for char in (*map(chr, range(128)), *(chr(c) for c in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00))))
    if (folded := char if char.isascii() else fold(char)) and folded[0].lower() not in _FOOTER_FIRST
)
PROGRESS_FIELDS = (
    Field.LEAD,
    Field.COORD,
    Field.DUE,
    Field.RESULT,
    Field.PERCENT,
    Field.STATUS,
    Field.COMPLETED,
    Field.EXTENSION,
    Field.DIFFICULTIES,
    Field.PROPOSALS,
)


@dataclass
class _Row:
    index: int  # 0-based
    kind: str  # section | number | sub | plain
    stt: str | None
    label: str | None  # roman / number / sub label
    title: str
    lone: bool = False  # the row's only cell (a section title merged across the table)


def parse_workbook(
    wb: Workbook, options: MetaOptions, directory: UnitDirectory, columns: ColumnChoices | None = None
) -> ParsedReport:
    """Read the report table of a workbook, with a person's corrections to its columns (``columns``).

    Every visible sheet holding a table of the same columns is part of the report (one sheet per
    lead unit); the title rows of the first one say who reports and when.
    Raises ``MissingColumn`` when no sheet has a task table, ``MissingMetadata`` when the
    province, unit or period is neither in the title rows nor in ``options``.
    """
    tables = _pick_sheets(wb)
    sheet, header = tables[0]
    title = _title_rows(sheet, header)
    meta, meta_warnings = read_meta(title, options, directory, wb.file_name)
    ref = read_report_ref(title)
    meta.report_date, meta.report_number = ref.issued_on, ref.number
    header, column_map, shape, notes = resolve_columns(sheet, header, meta, columns)
    # the other sheets have the same columns: the same corrections
    tables = [(sheet, header)] + [(s, resolve_columns(s, h, meta, columns)[0]) for s, h in tables[1:]]
    report = ParsedReport(
        file_name=wb.file_name,
        sheet=sheet.name,
        header_row=header.row + 1,
        columns={f.value: header.labels.get(c, f.value) for f, c in header.columns.items()},
        meta=meta,
        tasks=[],
        warnings=notes + list(meta_warnings),
        column_map=column_map,
        header_fingerprint=shape,
    )
    report.warnings += _other_periods(tables[1:], meta)
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


def _other_periods(tables: list[tuple[Sheet, Header]], meta: ReportMeta) -> list[Problem]:
    """A later sheet whose own title rows name another period than the report's (a "Quý III" tab beside
    the "Quý II" one): its tasks are read into the report's period, and a warning says so."""
    if not tables:
        return []
    reported = Period(meta.period_year, PeriodKind(meta.period_kind), meta.period_index)
    found = []
    for sheet, header in tables:
        period = file_period(read_title_block(_title_rows(sheet, header)))
        if period is None or period == reported:
            continue
        found.append(
            Problem(
                f"Trang tính '{sheet.name}' ghi kỳ {period.label}, khác kỳ của báo cáo ({reported.label}); "
                f"các nhiệm vụ của trang này được tính vào {reported.label}. Mỗi tệp chỉ nên có một kỳ: hãy xóa "
                "hoặc ẩn trang của kỳ khác rồi tải lên lại.",
                sheet.name,
            )
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


def _pick_sheets(wb: Workbook) -> list[tuple[Sheet, Header]]:
    """The visible sheets holding the task table: the best one, and every other of the same columns."""
    found = [(s, find_header(s.rows, s.merged)) for s in wb.sheets if not s.hidden]
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
            if stt is not None and (r, stt) not in copied and _value(rows[r], stt) not in (None, ""):
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


def _percent_numbers(rows: list[list[object]], header: Header, items: list[_Row]) -> list[float]:
    col = header.columns.get(Field.PERCENT)
    if col is None:
        return []
    cells = [rows[item.index][col] for item in items if col < len(rows[item.index])]
    return [v for v in cells if isinstance(v, int | float) and not isinstance(v, bool)]


def _percent_is_fraction(numbers: list[float]) -> bool:
    """Percent typed as a fraction (0.75 shown as 75%): every number of the task rows is ≤ 1."""
    return bool(numbers) and max(numbers) <= 1


def _value(row: list[object], col: int | None) -> object:
    return row[col] if col is not None and col < len(row) else None


def _has_progress(row: list[object], header: Header) -> bool:
    cols = [header.columns[f] for f in PROGRESS_FIELDS if f in header.columns] + list(header.marks)
    return any(cell_text(_value(row, c)) for c in cols)


def _is_footer(row: list[object]) -> bool:
    """A signature row: a short text starting with a footer word ("Người lập biểu", "THỦ TRƯỞNG …")."""
    for value in row:
        if not isinstance(value, str) or len(value) >= 80:
            continue
        first = value[:1]
        if first.isspace():
            first = value.lstrip()[:1]
        # a text whose first letter (ASCII or Latin) folds to a letter no footer word starts with is
        # not folded: most cells of a task row
        if first not in _CANNOT_OPEN and fold(value).lstrip().startswith(_FOOTER):
            return True
    return False


_Label = tuple[str, str]  # a row's kind and label as its STT cell gives them: ("number", "2"), ("sub", "b")


def _stt_cell(row: list[object], header: Header) -> tuple[str, _Label | None]:
    """The text of the row's STT cell and the kind and label it gives (``_stt_label``), read once for
    both the footer test and the row's kind."""
    stt = cell_text(_value(row, header.columns.get(Field.STT)))
    bare = stt.strip().rstrip(".")
    return stt, (_stt_label(bare) if bare else None)


def _is_numbered(row: list[object], header: Header) -> bool:
    """Whether the row's STT cell numbers a task or a section: 1, 2., 1.1, a, (b), II."""
    return _stt_cell(row, header)[1] is not None


def _numbered_or_bulleted(stt: str, label: _Label | None) -> bool:
    """A row numbered in its STT cell, or bulleted ("-", "+", "*", "•"): a signature row is neither."""
    return label is not None or stt.strip().rstrip(".") in _BULLETS


def _stt_label(bare: str) -> _Label | None:
    """The kind of row ("number", "sub", "section") and its label an STT cell gives, written without blanks
    around it or a dot after it: "1", "1.2", "b", "(c)", "II", "PHẦN III"; None for anything else."""
    if bare.isdecimal():  # "1", "12": most task rows, as _NUMBER reads them (\d is a decimal digit)
        return "number", bare
    if fold(bare).startswith(("phan ", "muc ")):  # "PHẦN I", "Mục II"
        bare = bare.split(None, 1)[1]
    if _ROMAN.match(bare.upper()) and bare.isupper():
        return "section", bare
    if m := _SUB.match(bare.lower() if len(bare) <= 3 else ""):
        return "sub", m.group(1)
    if m := _DECIMAL.match(bare):
        return "sub", f"{m.group(1)}.{m.group(2)}"
    if m := _NUMBER.match(bare):
        return "number", m.group(1)
    return None


def _reports_progress(row: list[object], header: Header) -> bool:
    """Whether the row gives a percent, a status word or an x-mark: a row a footer word opens ("Chủ tịch
    UBND tỉnh chỉ đạo …", "Giám đốc Sở đã ký …") is a task then, as it is when its STT cell numbers it."""
    if any(col < len(row) and is_mark(row[col]) for col in header.marks):
        return True
    with contextlib.suppress(BadPercent):
        if parse_percent(_value(row, header.columns.get(Field.PERCENT)), False) is not None:
            return True
    with contextlib.suppress(UnknownStatus):
        return parse_status(_value(row, header.columns.get(Field.STATUS))) is not None
    return False


def _warn_rows_after_footer(rows: list[list[object]], footer: int, header: Header, ctx: RowContext) -> None:
    """The signature row ends the table: numbered rows below it are not read, and the person is told
    (a second table under the signature, or a task row taken for a signature)."""
    later = [i for i in range(footer + 1, len(rows)) if _is_numbered(rows[i], header)]
    if later:
        ctx.report.warnings.append(
            Problem(
                f"Bảng được coi là kết thúc ở dòng {footer + 1} (dòng chữ ký); {len(later)} dòng có số thứ tự bên "
                f"dưới (từ dòng {later[0] + 1}) không được đọc. Nếu đó là nhiệm vụ, hãy chuyển dòng chữ ký xuống "
                "cuối bảng rồi tải lên lại.",
                ctx.sheet_name,
                footer + 1,
            )
        )


def _is_column_numbers(values: list[object]) -> bool:
    """A row numbering the columns under the header: 1, 2, 3 … or (1), (2) …"""
    if len(values) < 3:
        return False
    numbers = []
    for value in values:
        if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
            numbers.append(int(value))
        elif isinstance(value, str) and (m := _COLUMN_NUMBER.match(value.strip())):
            numbers.append(int(m[1]))
        else:
            return False
    return numbers == sorted(set(numbers))


def _section_cell(row: list[object], index: int) -> _Row | None:
    """A section title written in one cell merged across the row ("I. QUÁN TRIỆT …"), wherever it sits."""
    values = [v for v in row if v is not None and v != ""]
    if len(values) == 1 and isinstance(values[0], str):
        text = cell_text(values[0])
        if (m := _ROMAN_IN_TEXT.match(text)) and _ROMAN.match(m.group(1)):
            return _Row(index, "section", None, m.group(1), text[m.end() :], lone=True)
    return None


def _not_a_task(row: list[object], stt: str | None, title: str, header: Header) -> bool:
    """Column numbers under the header, the header repeated, or a total line ("TỔNG CỘNG … 5/20")."""
    if _COLUMN_NUMBER.match(title):
        return _is_column_numbers([v for v in row if v is not None and v != ""])
    if title == header.labels[header.columns[Field.TITLE]]:
        return True
    return title[:1] in "TtCc" and not (stt and _NUMBERING.match(stt)) and bool(_TOTAL.match(fold(title)))


def _classify(
    row: list[object], index: int, header: Header, stt_cell: tuple[str, _Label | None] | None = None
) -> _Row | None:
    """The row's kind; ``stt_cell``: its STT cell as ``_stt_cell`` read it, when the caller did."""
    text, label = stt_cell or _stt_cell(row, header)
    stt = text or None
    title = cell_text(_value(row, header.columns[Field.TITLE]))
    if not (stt and title) and (section := _section_cell(row, index)):
        return section
    if not title or _not_a_task(row, stt, title, header):
        return None
    if stt:
        kind, shown = label or ("plain", None)
        return _Row(index, kind, stt, shown, title)
    if (m := _ROMAN_IN_TEXT.match(title)) and _ROMAN.match(m.group(1)):
        return _Row(index, "section", None, m.group(1), title[m.end() :])
    if m := _LABEL_IN_TEXT.match(title):
        return _Row(index, "sub", None, m.group(1) or m.group(2), title[m.end() :])
    return _Row(index, "plain", stt, None, title)


def _read_rows(rows: list[list[object]], header: Header, ctx: RowContext) -> None:
    classified: list[_Row] = []
    for index in range(header.data_start, len(rows)):
        row = rows[index]  # numbered rows first: most rows are, and telling it costs less than the footer
        stt_cell = _stt_cell(row, header)
        if not _numbered_or_bulleted(*stt_cell) and _is_footer(row) and not _reports_progress(row, header):
            _warn_rows_after_footer(rows, index, header, ctx)
            break
        item = _classify(row, index, header, stt_cell)
        if item is not None:
            classified.append(item)
    numbers = _percent_numbers(rows, header, classified)
    ctx.percent_fraction = _percent_is_fraction(numbers)
    # whole percents with a few fractions among them (0.5 beside 80): each such cell is told about
    ctx.percent_mixed = not ctx.percent_fraction and any(0 < v <= 1 for v in numbers)
    section_label, section_title, number = None, None, None
    for pos, item in enumerate(classified):
        row = rows[item.index]
        following = classified[pos + 1] if pos + 1 < len(classified) else None
        if _is_part(item, following):
            section_label, section_title, number = None, None, None
            continue
        # a roman row heading numbered rows is a section, though it gives the section's own percent or a
        # unit merged down over its tasks; a roman row with progress and nothing numbered under it is a task
        heads = following is not None and following.kind in ("number", "sub")
        if item.kind == "section" and (item.lone or heads or not _has_progress(row, header)):
            section_label, section_title, number = item.label, item.title, None
            continue
        if item.kind == "number":
            number = item.label
            after = classified[pos + 2] if pos + 2 < len(classified) else None
            if following is not None and following.kind == "sub" and not _is_part(following, after):
                continue  # parent of sub-tasks
        code = _code(section_label, number, item)
        ctx.section_title = section_title
        build_task(row, item.index, item.stt, item.title, code, ctx)
    _warn_hidden_rows([item.index for item in classified if item.index in ctx.sheet.hidden_rows], ctx)
    for fld in (Field.DUE, Field.EXTENSION, Field.COMPLETED):
        _warn_swapped_dates(rows, classified, header, fld, ctx)


def _warn_swapped_dates(
    rows: list[list[object]], items: list[_Row], header: Header, fld: Field, ctx: RowContext
) -> None:
    """Dates typed day first on a computer set to month first: Excel turns "5/7/2022" into 7 May and leaves
    "25/6/2022" as text (no month 25). A column holding both date cells and such texts is named in a
    warning: its date cells may have day and month swapped."""
    col = header.columns.get(fld)
    if col is None:
        return
    cells = [rows[item.index][col] for item in items if col < len(rows[item.index])]
    dated = [v for v in cells if isinstance(v, date)]  # a datetime is a date
    if not dated or any(v.day > 12 for v in dated):
        return
    stuck = [v for v in cells if v.__class__ is str and (m := _DAY_FIRST.match(v.strip())) and int(m[1]) > 12]
    if stuck:
        ctx.report.warnings.append(
            Problem(
                f"Cột '{header.label(fld)}' có ô ngày tháng bên cạnh ngày ghi dạng chữ như '{stuck[0].strip()}': "
                "có thể máy tính nhập liệu dùng kiểu ngày của Mỹ (tháng/ngày/năm) nên Excel đã đảo ngày và tháng của các ô "
                "ngày (5/7 thành ngày 7 tháng 5). Hãy kiểm tra các ngày trong cột này, sửa lại rồi tải lên lại.",
                ctx.sheet_name,
                header.row + 1,
                header.label(fld),
            )
        )


def _warn_hidden_rows(hidden: list[int], ctx: RowContext) -> None:
    """Task rows the person hid (not deleted) are read like the others, and named in a warning."""
    if not hidden:
        return
    shown = ", ".join(str(i + 1) for i in hidden[:5]) + ("…" if len(hidden) > 5 else "")
    ctx.report.warnings.append(
        Problem(
            f"Có {len(hidden)} dòng trong bảng bị ẩn (dòng {shown}); các dòng ẩn vẫn được đọc như mọi dòng khác. "
            "Nếu đó là nhiệm vụ đã bỏ, hãy xóa hẳn các dòng đó; nếu bị ẩn do bộ lọc (Filter), hãy bỏ lọc; "
            "rồi tải lên lại.",
            ctx.sheet_name,
            hidden[0] + 1,
        )
    )


def _is_part(item: _Row, following: _Row | None) -> bool:
    """A part heading over sections or numbered tasks ("A. NHIỆM VỤ THEO KẾ HOẠCH", "B. NHIỆM VỤ PHÁT
    SINH"): a capital letter in the STT cell with a section or a numbered task next, where sub-tasks
    lettered in capitals follow one another."""
    return (
        item.kind == "sub"
        and item.stt is not None
        and item.stt.strip().rstrip(".").isupper()
        and following is not None
        and following.kind in ("section", "number")
    )


def _code(section: str | None, number: str | None, item: _Row) -> str | None:
    parts: list[str] = [section] if section else []
    if item.kind == "number":
        parts.append(item.label or "")
    elif item.kind == "sub":
        label = item.label or ""
        if "." in label:
            parts.extend(label.split("."))
        else:
            parts.extend([p for p in (number, label) if p])
    else:
        return None
    return ".".join(parts) if parts else None
