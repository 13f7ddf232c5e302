"""Streaming pre-scans of xlsx / ods XML, done before calamine loads a sheet.

calamine allocates every sheet densely from its first to its last cell, so a tiny file with cells in
A1 and XFD1048576 aborts the process; these scans measure each sheet's extent first (``check_cells``),
reading a cell's reference in every form calamine reads. They also collect what calamine does not
give: uncached formulas (xlsx), merged ranges and line breaks inside paragraphs (ods).

An xlsx sheet whose every cell tag is plain (``<c r="B12" s="3" t="s">``: the reference first, one
letter, at most three digits) lies within A1:Z999: one search of its XML tells, several times cheaper
than reading each reference, and its extent is then that bound (``SheetScan.bounded``), measured only
when the bound is over a limit. Every entry is read through ``guards.inflate`` (capped): the parts
scanned here are verified here (``guards.scanned_by_sheet_scan``), not inflated twice.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree

from etl.errors import UnsafeFile
from etl.ingest.bounds import check_cells, check_extents
from etl.ingest.guards import inflate, scanned_by_sheet_scan
from etl.settings import Limits

Cell = tuple[int, int]
MAX_MERGES = 100_000
REPEAT_CAP = 1_000
# The measure reads references as calamine does (any namespace prefix, quote, blanks around "=", case,
# leading zeros; calamine keeps a tag's last r) and wherever they are written: a reference read where
# there is none errs large. A tag is looked into for at most 128 characters, so that no text makes a
# search quadratic; a tag whose r is not found there counts as a cell (or row) without one.
_TAG = re.compile(rb"<(?:[\w.-]+:)?(c|row)[\s>/]")  # a cell's or a row's start tag
_TAG_WITH_REF = re.compile(rb"""<(?:[\w.-]+:)?(c|row)\s[^>]{0,128}?(?<=[\s"'])r\s*=""")
_REF = re.compile(rb"""r\s*=\s*["']([A-Za-z]*)(\d+)["']""")  # a cell's (letters) or a row's reference
# No possessive quantifiers (``++``, ``*+``) here: Python 3.11.2, Debian 12's, finds no match with some
# of them. The loops are written so that each character can be matched one way only ("unrolled": text
# without "<", then "<" and text without "<"), so a failing search gives back linearly, never exponentially.
# A formula cell's attributes and content; neither search runs past the next "<" or the next cell.
_FORMULA = re.compile(rb"<c\s([^<>]*)>\s*<f\b([^<]*(?:<(?!/c>|c[\s>/])[^<]*)*)</c>")
_ATTR_T = re.compile(rb'\st="(\w+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
# A cell tag other than '<c r="B12" s="3" t="s">' (the reference first, one letter, at most three digits,
# then only s and t), or one with a namespace prefix: a cell that may lie beyond Z999.
_NOT_PLAIN_CELL = re.compile(rb'<c(?:[>/]|\s(?!r="[A-Z]\d{1,3}"(?:\s[st]="\w+")*/?>))')
_PREFIXED_CELL = re.compile(rb":c[\s>/]")
# A row the person hid (``<row r="12" hidden="1">``); a tag is looked into for at most 512 characters.
MAX_STYLES = 65_536
_NUM_FMT = re.compile(
    rb"""<(?:[\w.-]+:)?numFmt\s[^>]{0,64}?\bnumFmtId\s*=\s*["'](\d{1,6})["'][^>]{0,16}?\s"""
    rb"""formatCode\s*=\s*["']([^"']{0,256})["']"""
)
_CELL_XFS = re.compile(rb"<(?:[\w.-]+:)?cellXfs\b[^>]{0,256}>")
_XF_FMT = re.compile(rb"""<(?:[\w.-]+:)?xf\b(?:[^>]{0,512}?\bnumFmtId\s*=\s*["'](\d{1,6})["'])?""")
_FORMAT_NOISE = re.compile(rb'"[^"]*"|\\.|\[[^\]]*\]|&quot;.*?&quot;')  # quoted text, escapes, [$-42A]
_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c\s[^>]{0,512}>")
_ATTR_S = re.compile(rb"""\bs\s*=\s*["'](\d{1,6})["']""")
_HIDDEN_COL = re.compile(rb"""<(?:[\w.-]+:)?col\s[^>]{0,512}?\bhidden\s*=\s*["'](?:1|true)["'][^>]{0,512}>""")
_COL_MIN = re.compile(rb"""\bmin\s*=\s*["'](\d{1,5})["']""")
_COL_MAX = re.compile(rb"""\bmax\s*=\s*["'](\d{1,5})["']""")
_HIDDEN_ROW = re.compile(rb"""<(?:[\w.-]+:)?row\s[^>]{0,512}?\bhidden\s*=\s*["'](?:1|true)["'][^>]{0,512}>""")
MAX_HIDDEN_ROWS = 10_000  # enough to tell a person about them
PLAIN_EXTENT = (999, 26)  # rows, columns: A1:Z999
_NS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_NS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_NS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


@dataclass
class SheetScan:
    rows: int = 0
    cols: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    uncached_formulas: set[Cell] = field(default_factory=set)
    texts: dict[Cell, str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)  # 0-based rows hidden in the sheet (xlsx)
    hidden_cols: list[tuple[int, int]] = field(default_factory=list)  # 0-based (first, last) hidden (xlsx)
    month_cells: set[Cell] = field(default_factory=set)  # cells shown as a month ("09/2022", "Sep-22")
    cursor: int = 0  # next ODS row position while streaming
    bounded: bool = False  # rows and cols are ``PLAIN_EXTENT``, a bound of the extent, not its measure


def column_index(letters: bytes) -> int:
    """0-based column of 'A', 'AB'..."""
    index = 0
    for char in letters:
        index = index * 26 + char - 64
    return index - 1


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _read(data: bytes, zf: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    return b"".join(inflate(data, zf.getinfo(name), limits.max_unzipped_bytes))


# --- xlsx ----------------------------------------------------------------------------------------


def xlsx_sheet_paths(data: bytes, zf: zipfile.ZipFile, limits: Limits) -> dict[str, str]:
    """Sheet name -> worksheet part path, from xl/workbook.xml and its relationships."""
    rels_name = "xl/_rels/workbook.xml.rels"
    if rels_name not in zf.namelist():
        return {}
    targets = {}
    for rel in ElementTree.fromstring(_read(data, zf, rels_name, limits)).iter():
        if _local(rel.tag) == "Relationship":
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[rel.get("Id")] = posixpath.normpath(path)
    paths, names = {}, set(zf.namelist())
    for sheet in ElementTree.fromstring(_read(data, zf, "xl/workbook.xml", limits)).iter():
        rel_id = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        if _local(sheet.tag) == "sheet" and targets.get(rel_id) in names:
            paths[sheet.get("name", "")] = targets[rel_id]
    return paths


def scan_xlsx(data: bytes, zf: zipfile.ZipFile, limits: Limits) -> dict[str, SheetScan]:
    """Extent and uncached formulas of every worksheet; refuses sheets over ``max_cells``. A sheet of
    plain cells is bounded, not measured, unless its bound (or the bounds of all sheets together) is
    over a limit: then it is measured, so that what is refused is refused for its measured extent."""
    paths = xlsx_sheet_paths(data, zf, limits)
    mapped = set(paths.values())
    for part in zf.namelist():  # parts calamine might still find: measure them too (the zip check
        if scanned_by_sheet_scan(part, "xlsx") and part not in mapped:  # leaves them to this scan)
            paths[part] = part
    check_extents([(name, 0, 0) for name in paths], limits)  # the sheet count, before scanning any
    months = month_styles(data, zf, limits)
    scans = {}
    for name, path in paths.items():
        scan = _scan_sheet(data, zf.getinfo(path), limits, months=months)
        if scan.bounded and scan.rows * scan.cols > limits.max_cells:
            scan = _scan_sheet(data, zf.getinfo(path), limits, measure=True)
        check_cells(scan.rows, scan.cols, name, limits)
        scans[name] = scan
    if sum(scan.rows * scan.cols for scan in scans.values()) > limits.max_total_cells:
        for name, scan in scans.items():
            if scan.bounded:
                scans[name] = _scan_sheet(data, zf.getinfo(paths[name]), limits, measure=True, months=months)
    return scans


def _scan_sheet(
    data: bytes,
    info: zipfile.ZipInfo,
    limits: Limits,
    measure: bool = False,
    months: frozenset[bytes] = frozenset(),
) -> SheetScan:
    """One worksheet's scan: bounded by ``PLAIN_EXTENT`` while every cell tag is plain (unless
    ``measure``), else measured cell by cell from its start. ``months``: the styles (``s``) that show a
    date as its month alone (``month_styles``)."""
    scan, row_tags, loose = SheetScan(), [0], [0, 0]
    for piece in _pieces(inflate(data, info, limits.max_unzipped_bytes), b"</row>"):
        if measure:
            _scan_cells(piece, scan, row_tags, loose)
        elif _NOT_PLAIN_CELL.search(piece) or _PREFIXED_CELL.search(piece):
            return _scan_sheet(data, info, limits, measure=True, months=months)
        else:
            (scan.rows, scan.cols), scan.bounded = PLAIN_EXTENT, True
        if months:
            _scan_month_cells(piece, months, scan)
        if b"<f" in piece:
            _scan_formulas(piece, scan)
        if b"hidden" in piece:
            _scan_hidden(piece, scan)
            if b"<col" in piece or b":col" in piece:
                _scan_hidden_cols(piece, scan)
    if loose[1]:  # cells without r="": calamine counts positions, so bound generously
        scan.rows = max(scan.rows, row_tags[0]) + loose[0]
        scan.cols += loose[1]
    return scan


def _pieces(chunks: Iterator[bytes], end: bytes) -> Iterator[bytes]:
    """Re-cut a byte stream so that every piece ends just after ``end`` (the last one may not)."""
    pending: list[bytes] = []
    for chunk in chunks:
        cut = chunk.rfind(end)
        if cut < 0:
            pending.append(chunk)
            continue
        pending.append(chunk[: cut + len(end)])
        yield b"".join(pending)
        pending = [chunk[cut + len(end) :]]
    if any(pending):
        yield b"".join(pending)


def _scan_cells(piece: bytes, scan: SheetScan, row_tags: list[int], loose: list[int]) -> None:
    refs = _REF.findall(piece)
    if cells := {(letters, digits) for letters, digits in refs if letters}:
        scan.rows = max(scan.rows, max(int(digits) for _, digits in cells))
        scan.cols = max(scan.cols, 1 + max(column_index(letters.upper()) for letters, _ in cells))
    if row_refs := [digits for letters, digits in refs if not letters]:
        row_tags[0] = max(row_tags[0], max(map(int, row_refs)))
    tags, with_ref = _TAG.findall(piece), _TAG_WITH_REF.findall(piece)
    loose[0] += max(0, tags.count(b"row") - with_ref.count(b"row"))
    loose[1] += max(0, tags.count(b"c") - with_ref.count(b"c"))


def _scan_formulas(piece: bytes, scan: SheetScan) -> None:
    for attrs, body in _FORMULA.findall(piece):
        value = _VALUE.search(body)
        kind = _ATTR_T.search(attrs)
        cached = value is not None and (value.group(1) != b"" or (kind and kind.group(1) == b"str"))
        refs = [ref for ref in _REF.findall(attrs) if ref[0]]  # read as the measure reads them
        if not cached and refs:  # calamine keeps a tag's last r
            letters, digits = refs[-1]
            scan.uncached_formulas.add((int(digits) - 1, column_index(letters.upper())))


def month_styles(data: bytes, zf: zipfile.ZipFile, limits: Limits) -> frozenset[bytes]:
    """The cell styles (indexes into ``cellXfs``, as ``s="…"`` writes them) whose number format shows a
    date as a month and a year, no day: Excel's own "mmm-yy" (17), or a format such as "mm/yyyy"."""
    name = "xl/styles.xml"
    if name not in zf.NameToInfo:
        return frozenset()
    styles = _read(data, zf, name, limits)
    codes = {int(i): c for i, c in _NUM_FMT.findall(styles)}
    opening = _CELL_XFS.search(styles)  # the list runs to the first closing tag after it (found, not matched:
    end = styles.find(b"cellXfs>", opening.end()) if opening else -1  # linear on any input)
    if end < 0:
        return frozenset()
    found = set()
    for index, fmt in enumerate(_XF_FMT.findall(styles, opening.end(), end)):
        number = int(fmt) if fmt else 0
        if number == 17 or (number in codes and _month_only(codes[number])):
            found.add(str(index).encode())
        if index > MAX_STYLES:
            break
    return frozenset(found)


def _month_only(code: bytes) -> bool:
    """A date format with a month and a year and no day ("mm/yyyy", "mmm-yy", "[$-42A]mmmm yyyy")."""
    bare = _FORMAT_NOISE.sub(b"", code).lower()
    return b"m" in bare and b"y" in bare and b"d" not in bare and b"h" not in bare and b"s" not in bare


def _scan_month_cells(piece: bytes, months: frozenset[bytes], scan: SheetScan) -> None:
    for tag in _CELL_TAG.finditer(piece):
        style = _ATTR_S.search(tag.group())
        if style and style.group(1) in months and len(scan.month_cells) < MAX_HIDDEN_ROWS:
            refs = [ref for ref in _REF.findall(tag.group()) if ref[0]]
            if refs:
                letters, digits = refs[-1]
                scan.month_cells.add((int(digits) - 1, column_index(letters.upper())))


def _scan_hidden_cols(piece: bytes, scan: SheetScan) -> None:
    """The column ranges hidden in ``<cols>`` (``<col min="3" max="3" hidden="1"/>``, 1-based)."""
    for tag in _HIDDEN_COL.finditer(piece):
        first, last = _COL_MIN.search(tag.group()), _COL_MAX.search(tag.group())
        if first and last and len(scan.hidden_cols) < MAX_HIDDEN_ROWS:
            scan.hidden_cols.append((int(first.group(1)) - 1, int(last.group(1)) - 1))


def _scan_hidden(piece: bytes, scan: SheetScan) -> None:
    for tag in _HIDDEN_ROW.finditer(piece):
        refs = [digits for letters, digits in _REF.findall(tag.group()) if not letters]  # the row's own r
        if refs and len(scan.hidden_rows) < MAX_HIDDEN_ROWS:
            scan.hidden_rows.add(int(refs[-1]) - 1)


# --- ods -----------------------------------------------------------------------------------------


def scan_ods(data: bytes, zf: zipfile.ZipFile, limits: Limits) -> dict[str, SheetScan]:
    """Extent, merged ranges and multi-line texts of every table in content.xml (streamed)."""
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    scans: dict[str, SheetScan] = {}
    stack: list[ElementTree.Element] = []
    name = ""
    for chunk in inflate(data, zf.getinfo("content.xml"), limits.max_unzipped_bytes):
        parser.feed(chunk)
        for event, elem in parser.read_events():
            if event == "start":
                stack.append(elem)
                if elem.tag == _NS_TABLE + "table":
                    name = elem.get(_NS_TABLE + "name", "")
                    scans[name] = SheetScan()
                continue
            stack.pop()
            if elem.tag == _NS_TABLE + "table-row" and name in scans:
                _ods_row(elem, scans[name])
                check_cells(scans[name].rows, scans[name].cols, name, limits)
                if stack:
                    stack[-1].remove(elem)
            elif elem.tag == _NS_TABLE + "table":
                elem.clear()
    parser.close()
    return scans


def _repeat(elem: ElementTree.Element, attr: str) -> int:
    value = elem.get(_NS_TABLE + attr, "1")
    return max(1, int(value)) if value.isdigit() else 1


def _ods_row(row: ElementTree.Element, scan: SheetScan) -> None:
    first, repeat_rows, col, used = scan.cursor, _repeat(row, "number-rows-repeated"), 0, False
    for cell in row:
        if _local(cell.tag) not in ("table-cell", "covered-table-cell"):
            continue
        repeat_cols = _repeat(cell, "number-columns-repeated")
        if _local(cell.tag) == "table-cell" and (cell.get(_NS_OFFICE + "value-type") or len(cell)):
            used = True
            scan.cols = max(scan.cols, col + repeat_cols)
        span_cols, span_rows = _repeat(cell, "number-columns-spanned"), _repeat(cell, "number-rows-spanned")
        text = _special_text(cell)
        if span_cols > 1 or span_rows > 1 or text is not None:
            copies = min(repeat_rows, REPEAT_CAP) * min(repeat_cols, REPEAT_CAP)
            if len(scan.merged) + len(scan.texts) + copies > MAX_MERGES:
                raise _too_many_merges()
            for r in range(first, first + min(repeat_rows, REPEAT_CAP)):
                for c in range(col, col + min(repeat_cols, REPEAT_CAP)):
                    if span_cols > 1 or span_rows > 1:
                        scan.merged.append((r, c, r + span_rows - 1, c + span_cols - 1))
                    if text is not None:
                        scan.texts[(r, c)] = text
        col += repeat_cols
    if used:
        scan.rows = first + repeat_rows
    scan.cursor = first + repeat_rows


def _too_many_merges() -> UnsafeFile:
    return UnsafeFile(
        "Bảng tính có quá nhiều ô gộp (trên 100.000), tệp bất thường. Hãy bỏ gộp các ô không cần "
        "thiết, lưu thành .xlsx rồi tải lên lại."
    )


def _special_text(cell: ElementTree.Element) -> str | None:
    """Cell text when it holds line breaks or tabs inside a paragraph (calamine drops those)."""
    if not any(_local(e.tag) in ("line-break", "tab") for e in cell.iter() if e.tag.startswith(_NS_TEXT)):
        return None
    paragraphs = [p for p in cell if p.tag in (_NS_TEXT + "p", _NS_TEXT + "h")]
    return "\n".join(_inline(p) for p in paragraphs)


def _inline(elem: ElementTree.Element) -> str:
    parts = [elem.text or ""]
    for child in elem:
        name = _local(child.tag)
        if name == "s":
            count = child.get(_NS_TEXT + "c", "1")
            parts.append(" " * min(int(count) if count.isdigit() else 1, REPEAT_CAP))
        elif name in ("tab", "line-break"):
            parts.append("\t" if name == "tab" else "\n")
        elif name not in ("annotation", "note"):
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)
