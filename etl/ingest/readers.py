"""Read an uploaded workbook (xlsx, xlsm, xls, ods, csv) into plain rows of Python values.

``read_workbook`` runs the guards first (``detect_format``), pre-scans the XML of xlsx/ods sheets
(extent, merged cells, uncached formulas) and only then lets calamine parse. Values come back as
calamine gives them (numbers as float, dates as date/datetime) except that text is NFC-normalised
and blank text becomes None. Nothing in a workbook is ever executed (macros, formulas, links).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetMetadata,
    SheetTypeEnum,
    SheetVisibleEnum,
    ZipError,
)

from etl.errors import EmptyFile, EncryptedFile, TooLarge, UnreadableFile
from etl.ingest.bounds import Extent, check_extents, check_text_lengths, num, too_long_cell
from etl.ingest.guards import (
    PASSWORD_MSG,
    RESAVE,
    decode_text,
    detect_format,
    parser_failure,
    sniff_delimiter,
)
from etl.ingest.sheet_scan import SheetScan, scan_ods, scan_xlsx
from etl.settings import Limits

Range = tuple[int, int, int, int]


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]  # rows[i][j] is Excel row i+1, column j+1; blank cells are None
    merged: list[Range]  # (first_row, first_col, last_row, last_col), 0-based inclusive
    hidden: bool = False
    uncached_formulas: set[tuple[int, int]] = field(default_factory=set)  # 0-based formula cells, no value
    hidden_rows: frozenset[int] = frozenset()  # 0-based rows the person hid (read from .xlsx only)
    hidden_cols: tuple[tuple[int, int], ...] = ()  # 0-based (first, last) columns hidden (.xlsx only)
    month_cells: frozenset[tuple[int, int]] = frozenset()  # 0-based date cells shown as a month (.xlsx)

    def column_hidden(self, col: int) -> bool:
        return any(first <= col <= last for first, last in self.hidden_cols)

    def hidden_columns(self, width: int = 256) -> frozenset[int]:
        """The hidden columns among the first ``width`` (a hidden range may run to the sheet's end)."""
        return frozenset(
            c for first, last in self.hidden_cols for c in range(first, min(last, width - 1) + 1)
        )


@dataclass
class Workbook:
    file_name: str
    format: str
    sheets: list[Sheet]


def read_workbook(data: bytes, file_name: str, limits: Limits | None = None) -> Workbook:
    """Check and read an upload; raise ``UnreadableFile`` (or a subclass) when it cannot be used."""
    limits = limits or Limits()
    opened: dict = {}  # the package as checked: the sheet scan, next, reads it again
    fmt = detect_format(data, file_name, limits, scanned_next=True, opened=opened)
    if fmt == "csv":
        sheets = [read_csv(data, file_name, limits, opened.get("text"))]
    else:
        sheets = _read_spreadsheet(data, fmt, limits, opened.get("zip"))
    if not any(value is not None for s in sheets if not s.hidden for row in s.rows for value in row):
        raise EmptyFile(
            f"Tệp trống: không có ô dữ liệu nào trong các trang tính của tệp '{file_name}'. Hãy kiểm tra "
            "đã nhập báo cáo vào tệp (và trang tính chứa báo cáo không bị ẩn), lưu lại rồi tải lên lại."
        )
    return Workbook(file_name=file_name, format=fmt, sheets=sheets)


def cell_value(value: object) -> object:
    """A calamine value as stored in ``Sheet.rows``: NFC text, blank text -> None."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value) if value.strip() else None
    return value


def _cell_values(rows: list[list[object]]) -> list[list[object]]:
    """``cell_value`` of every cell (written out: a sheet holds many cells)."""
    nfc = unicodedata.normalize
    return [
        [(nfc("NFC", v) if v and not v.isspace() else None) if isinstance(v, str) else v for v in row]
        for row in rows
    ]


# --- xlsx, xlsm, xls, ods (calamine) -----------------------------------------------------------


def _read_spreadsheet(
    data: bytes, fmt: str, limits: Limits, zf: zipfile.ZipFile | None = None
) -> list[Sheet]:
    scans = _scan(data, fmt, limits, zf)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = [meta for meta in book.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
        check_extents([(meta.name, 0, 0) for meta in metas], limits)
        sheets: list[Sheet] = []
        extents: list[Extent] = []
        for meta in metas:
            sheets.append(_read_sheet(book, meta, scans.get(meta.name, SheetScan()), extents, limits))
        return sheets
    except PasswordError as exc:
        raise EncryptedFile(PASSWORD_MSG) from exc
    except (CalamineError, ValueError, OSError) as exc:
        what = "cấu trúc nén" if isinstance(exc, ZipError) else "nội dung"
        raise UnreadableFile(f"Không đọc được {what} của tệp .{fmt}: tệp bị hỏng. {RESAVE}") from exc
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":  # a Rust panic in calamine (not an Exception)
            raise parser_failure(fmt) from exc
        raise


def _scan(data: bytes, fmt: str, limits: Limits, zf: zipfile.ZipFile | None = None) -> dict[str, SheetScan]:
    """The XML pre-scans of xlsx/ods (``sheet_scan``), bounded as a whole; damaged XML is a refusal.
    ``zf``: the package as ``detect_format`` opened it (else it is opened here)."""
    if fmt not in ("xlsx", "xlsm", "ods"):
        return {}
    try:
        zf = zf if zf is not None else zipfile.ZipFile(io.BytesIO(data))
        scans = scan_ods(data, zf, limits) if fmt == "ods" else scan_xlsx(data, zf, limits)
    except (ElementTree.ParseError, KeyError, ValueError, NotImplementedError, zipfile.BadZipFile) as exc:
        part = "content.xml" if fmt == "ods" else "các trang tính"
        raise UnreadableFile(
            f"Tệp bị hỏng: phần {part} của tệp .{fmt} bị thiếu hoặc không phải XML hợp lệ. {RESAVE}"
        ) from exc
    check_extents(
        [(name, scan.rows, scan.cols) for name, scan in scans.items()], limits, count_rows=fmt == "ods"
    )
    return scans


def _read_sheet(
    book: CalamineWorkbook, meta: SheetMetadata, scan: SheetScan, extents: list[Extent], limits: Limits
) -> Sheet:
    sheet = book.get_sheet_by_name(meta.name)
    end = sheet.end
    height, width = (end[0] + 1, end[1] + 1) if end else (0, 0)
    extents.append((meta.name, height, width))
    check_extents(extents, limits)
    rows = _cell_values(sheet.to_python(skip_empty_area=False)) if end else []
    for (r, c), text in scan.texts.items():
        if r < len(rows) and c < len(rows[r]) and isinstance(rows[r][c], str):
            rows[r][c] = cell_value(text)
    check_text_lengths(rows, meta.name, limits)
    merged = [(a, b, c, d) for (a, b), (c, d) in sheet.merged_cell_ranges or []] or scan.merged
    return Sheet(
        name=unicodedata.normalize("NFC", meta.name),
        rows=rows,
        merged=_clip(merged, height, width),
        hidden=meta.visible != SheetVisibleEnum.Visible,
        uncached_formulas=set(scan.uncached_formulas),
        hidden_rows=frozenset(scan.hidden_rows),
        hidden_cols=tuple(scan.hidden_cols),
        month_cells=frozenset(scan.month_cells),
    )


def _clip(merged: list[Range], height: int, width: int) -> list[Range]:
    """Merged ranges sorted and cut to the used area (a merge over a whole column stays small)."""
    ranges = {
        (r0, c0, min(r1, height - 1), min(c1, width - 1))
        for r0, c0, r1, c1 in merged
        if r0 < height and c0 < width and (r1 > r0 or c1 > c0)
    }
    return sorted(r for r in ranges if r[2] > r[0] or r[3] > r[1])


# --- csv ------------------------------------------------------------------------------------------


_SEP_HINT = re.compile(r"\A\ufeff?[ \t]*sep=([,;\t|])[ \t]*\r?\n", re.IGNORECASE)


def read_csv(data: bytes, file_name: str, limits: Limits | None = None, text: str | None = None) -> Sheet:
    """One sheet named after the file stem; every value is NFC text or None. ``text``: ``data`` as
    ``decode_text`` decoded it (the format check did), else it is decoded here."""
    limits = limits or Limits()
    text = text if text is not None else decode_text(data)
    if text is None:
        raise UnreadableFile(
            f"Không đọc được bảng mã của tệp CSV '{file_name}' (không phải UTF-8 hay Windows-1258). Hãy mở "
            "bằng Excel và lưu thành CSV UTF-8 hoặc .xlsx rồi tải lên lại."
        )
    text = unicodedata.normalize("NFC", text)
    name = unicodedata.normalize("NFC", Path(file_name).stem)
    if hint := _SEP_HINT.match(text):  # Excel's "sep=;" first line names the delimiter and is no row
        text, delimiter = text[hint.end() :], hint.group(1)
    else:
        delimiter = sniff_delimiter(text) or ","
    records = _csv_records(text, delimiter, name, limits)
    width = max((len(record) for record in records), default=0)
    check_extents([(name, len(records), width)], limits)
    rows = [[cell_value(v) for v in record] + [None] * (width - len(record)) for record in records]
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    check_text_lengths(rows, name, limits)
    return Sheet(name=name, rows=rows, merged=[])


def _csv_records(text: str, delimiter: str, name: str, limits: Limits) -> list[list[str]]:
    """The CSV records, stopping at ``max_rows``; a field over the csv module's limit is a refusal."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
            if len(records) > limits.max_rows:
                raise TooLarge(
                    f"Tệp CSV '{name}' có hơn {num(limits.max_rows)} dòng, vượt giới hạn cho một báo cáo. "
                    "Một báo cáo tiến độ chỉ gồm các nhiệm vụ của kế hoạch; hãy xoá các dòng thừa hoặc tách "
                    "thành nhiều tệp rồi tải lên lại."
                )
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise too_long_cell(name, reader.line_num, None, None, limits) from exc
        raise UnreadableFile(
            f"Tệp CSV '{name}' bị hỏng ở dòng {reader.line_num}: không tách được các cột (ký tự lạ hoặc dấu "
            "ngoặc kép không đóng). Hãy mở bằng Excel và lưu thành CSV UTF-8 hoặc .xlsx rồi tải lên lại."
        ) from exc
    return records
