"""Checks applied to uploaded bytes before any spreadsheet parser sees them.

``detect_format`` names the real format from the content (not the extension) and refuses
files that are empty, too big, encrypted, not spreadsheets, or built to exhaust memory
(zip bombs, XML entity expansion, absurd sheet sizes). ``inflate`` reads one zip entry
with a hard cap and is the only way the ETL decompresses XML itself.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import olefile

from etl.errors import (
    EmptyFile,
    EncryptedFile,
    NotASpreadsheet,
    ParserFailure,
    UnreadableFile,
    UnsafeFile,
    ZipBomb,
)
from etl.ingest.bounds import Extent, check_cells, check_extents, check_file_size, mb, num, too_many_sheets
from etl.settings import Limits

FORMATS = ("xlsx", "xlsm", "xls", "ods", "csv")
MAX_ZIP_ENTRIES = 10_000
RATIO_MIN_BYTES = 2**20
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
DTD_MARKERS = tuple(
    m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")
)
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xltx", ".xltm", ".ods", ".xlsb"}
RESAVE = "Hãy mở báo cáo bằng Excel, dùng Lưu thành (Save As) → Sổ làm việc Excel (*.xlsx) rồi tải lên lại."
PASSWORD_MSG = (
    "Tệp được bảo vệ bằng mật khẩu. Hãy mở tệp bằng Excel, gỡ mật khẩu "
    "(Tệp → Thông tin → Bảo vệ sổ làm việc) rồi lưu và tải lên lại."
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_XLS_CELL_RECORDS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0205, 0x0204, 0x00D6, 0x00BD}


def detect_format(
    data: bytes, file_name: str, limits: Limits, scanned_next: bool = False, opened: dict | None = None
) -> str:
    """The format of an upload: "xlsx", "xlsm", "xls", "ods" or "csv"; raise ``ReportError`` otherwise.

    ``scanned_next``: the caller pre-scans the sheets' XML next (``sheet_scan``, through ``inflate``),
    so the zip check leaves the parts it always scans (``scanned_by_sheet_scan``) to it: each is then
    inflated once, with the same caps and checks. ``opened``: receives the checked package as
    ``opened["zip"]`` (a ``zipfile.ZipFile``), for the scan to read without parsing it again, or a CSV's
    decoded text as ``opened["text"]``, for the CSV reader not to decode it again."""
    check_file_size(data, limits)
    if not data.strip():
        raise EmptyFile(
            f"Tệp '{file_name}' trống (không có nội dung). Hãy kiểm tra lại tệp đã được lưu đúng chưa "
            "rồi tải lên lại."
        )
    if data.startswith(ZIP_MAGICS):
        return _zip_format(data, file_name, limits, scanned_next, opened)
    if data.startswith(OLE_MAGIC):
        return _ole_format(data, file_name, limits)
    return _text_format(data, file_name, opened)


# --- zip packages (xlsx, xlsm, ods) -------------------------------------------------------------


def _open_zip(data: bytes, file_name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - zipfile raises many kinds on damaged files
        raise UnreadableFile(
            f"Tệp '{file_name}' bị hỏng, không giải nén được (cấu trúc tệp nén không hợp lệ). {RESAVE}",
        ) from exc


def _zip_format(data: bytes, file_name: str, limits: Limits, scanned_next: bool, opened: dict | None) -> str:
    zf = _open_zip(data, file_name)
    if opened is not None:
        opened["zip"] = zf
    infos = zf.infolist()
    names = {info.filename for info in infos}
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        check_zip(data, infos, limits, "xlsx" if scanned_next else None)
        content_types = b"".join(inflate(data, zf.getinfo("[Content_Types].xml"), 2**20))
        macro = b"macroEnabled" in content_types or "xl/vbaProject.bin" in names
        return "xlsm" if macro or Path(file_name).suffix.lower() == ".xlsm" else "xlsx"
    if "mimetype" in names:
        mime = b"".join(inflate(data, zf.getinfo("mimetype"), 256)).strip()
        if mime.startswith(ODS_MIME):
            check_zip(data, infos, limits, "ods" if scanned_next else None)
            return "ods"
    if "xl/workbook.bin" in names:
        what = "sổ làm việc Excel nhị phân (.xlsb), định dạng này chưa được hỗ trợ"
    elif "word/document.xml" in names or "ppt/presentation.xml" in names:
        what = "tài liệu Word/PowerPoint, không phải bảng tính"
    else:
        what = "tệp nén (zip) nhưng không phải sổ làm việc Excel hay bảng tính OpenDocument"
    raise NotASpreadsheet(f"Tệp '{file_name}' là {what}. {RESAVE}")


def scanned_by_sheet_scan(name: str, fmt: str) -> bool:
    """Whether ``sheet_scan`` always inflates this part of a package of format ``fmt``."""
    if fmt == "ods":
        return name == "content.xml"
    return name.startswith(("xl/worksheets/", "xl/macrosheets/")) and name.endswith(".xml")


def check_zip(data: bytes, infos: list[zipfile.ZipInfo], limits: Limits, scanned: str | None = None) -> None:
    """Refuse zip bombs from declared sizes, then inflate every XML part with a cap to verify them
    (but for the parts the sheet scan of format ``scanned`` inflates itself next)."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise UnsafeFile(
            f"Tệp nén bất thường: có {num(len(infos))} thành phần (giới hạn {num(MAX_ZIP_ENTRIES)}). "
            f"Tệp có thể độc hại nên không được mở. {RESAVE}"
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_unzipped_bytes:
        biggest = max(infos, key=lambda info: info.file_size)
        raise _bomb(
            biggest,
            f"tổng dung lượng giải nén {mb(total)} MB vượt giới hạn {mb(limits.max_unzipped_bytes)} MB",
        )
    for info in infos:
        if info.file_size > RATIO_MIN_BYTES and _ratio(info) > limits.max_zip_ratio:
            raise _bomb(info, f"tỉ lệ nén vượt giới hạn {num(limits.max_zip_ratio)} lần")
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")) and not (
            scanned and scanned_by_sheet_scan(info.filename, scanned)
        ):
            for _ in inflate(data, info, info.file_size):
                pass


def _ratio(info: zipfile.ZipInfo) -> float:
    return info.file_size / info.compress_size if info.compress_size else float("inf")


def _bomb(info: zipfile.ZipInfo, why: str) -> UnsafeFile:
    return ZipBomb(
        f"Tệp nén bất thường (zip bomb): phần '{info.filename}' khai báo dung lượng giải nén "
        f"{mb(info.file_size)} MB, gấp {num(_ratio(info))} lần dung lượng nén; {why}. "
        "Tệp có thể độc hại nên không được mở. Hãy mở tệp gốc bằng Excel, chép dữ liệu sang sổ làm việc "
        "mới, lưu thành .xlsx rồi tải lên lại."
    )


def inflate(data: bytes, info: zipfile.ZipInfo, cap: int, chunk: int = 2**16) -> Iterator[bytes]:
    """Yield the bytes of one zip entry, never more than ``cap`` nor than its declared size.

    Decompresses the raw stream itself so a lying size header cannot inflate past the cap, checks
    that the stream ends exactly at the declared size, and refuses DOCTYPE/ENTITY declarations.
    """
    start = _payload_start(data, info)
    raw = memoryview(data)[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        blocks: Iterator[bytes] = (bytes(raw[i : i + chunk]) for i in range(0, len(raw), chunk))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        blocks = _deflate_blocks(raw, info, chunk)
    else:
        raise _corrupt(info, f"kiểu nén {info.compress_type} không được hỗ trợ")
    total, tail = 0, b""
    for block in blocks:
        total += len(block)
        if total > min(cap, info.file_size):
            raise _bomb(info, "dữ liệu giải nén thực tế vượt dung lượng khai báo hoặc giới hạn cho phép")
        edge = tail + block[:32]  # where a marker cut between two blocks lies whole
        if (b"!" in block or b"!" in edge) and any(m in block or m in edge for m in DTD_MARKERS):
            raise _dtd(info)  # (every marker holds "!", which most parts lack: one pass tells)
        tail = block[-32:]
        yield block
    if total != info.file_size:
        raise _corrupt(info, "dung lượng giải nén không khớp với khai báo")


def _deflate_blocks(raw: memoryview, info: zipfile.ZipInfo, chunk: int) -> Iterator[bytes]:
    decomp = zlib.decompressobj(-15)
    pos = 0
    try:
        while not decomp.eof:
            pending = decomp.unconsumed_tail
            if not pending:
                pending = bytes(raw[pos : pos + chunk])
                pos += len(pending)
            block = decomp.decompress(pending, chunk)
            if block:
                yield block
            elif not pending:
                raise _corrupt(info, "dữ liệu nén bị cắt cụt")
    except zlib.error as exc:
        raise _corrupt(info, "dữ liệu nén bị hỏng") from exc


def _payload_start(data: bytes, info: zipfile.ZipInfo) -> int:
    offset = info.header_offset
    header = data[offset : offset + 30]
    if len(header) < 30 or not header.startswith(b"PK\x03\x04"):
        raise _corrupt(info, "không tìm thấy phần đầu của thành phần nén")
    if info.flag_bits & 0x1:
        raise EncryptedFile(PASSWORD_MSG)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    return offset + 30 + name_len + extra_len


def _corrupt(info: zipfile.ZipInfo, why: str) -> UnreadableFile:
    return UnreadableFile(f"Tệp bị hỏng: không đọc được phần '{info.filename}' ({why}). {RESAVE}")


def _dtd(info: zipfile.ZipInfo) -> UnsafeFile:
    return UnsafeFile(
        f"Tệp chứa khai báo DOCTYPE/ENTITY trong phần '{info.filename}': cấu trúc này có thể dùng để tấn công "
        "(mở rộng thực thể XML) và không có trong tệp Excel bình thường nên tệp không được mở. " + RESAVE
    )


# --- OLE2 compound files (xls, encrypted OOXML) --------------------------------------------------


def _ole_format(data: bytes, file_name: str, limits: Limits) -> str:
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
        streams = {"/".join(path) for path in ole.listdir()}
        if {"EncryptedPackage", "EncryptionInfo"} & streams:
            raise EncryptedFile(PASSWORD_MSG)
        name = next((s for s in ("Workbook", "Book") if s in streams), None)
        if name is None:
            raise NotASpreadsheet(
                f"Tệp '{file_name}' là tài liệu Office cũ nhưng không chứa sổ làm việc Excel (có thể là tệp "
                f"Word/PowerPoint đổi đuôi). {RESAVE}"
            )
        stream = ole.openstream(name).read()
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - olefile raises many kinds on damaged files
        raise UnreadableFile(
            f"Tệp '{file_name}' bị hỏng, không đọc được cấu trúc tệp .xls. {RESAVE}"
        ) from exc
    _check_biff(stream, file_name, limits)
    return "xls"


def _check_biff(stream: bytes, file_name: str, limits: Limits) -> None:
    """Refuse FILEPASS (password) and workbooks over the bounds of ``check_extents``."""
    pos, rows, cols, sheets = 0, 0, 0, 0
    extents: list[Extent] = []
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if kind == 0x002F:
            raise EncryptedFile(PASSWORD_MSG)
        sheets += kind == 0x0085  # BOUNDSHEET: one per sheet, in the workbook globals
        if kind == 0x0809:
            extents.append(("", 0, 0))
            rows, cols = 0, 0
        elif kind in _XLS_CELL_RECORDS and len(body) >= 4 and extents:
            row, col = struct.unpack_from("<HH", body)
            last = struct.unpack_from("<H", body, len(body) - 2)[0] if kind == 0x00BD else col
            rows, cols = max(rows, row + 1), max(cols, col + 1, last + 1)
            check_cells(rows, cols, "", limits)
            extents[-1] = ("", rows, cols)
    if sheets > limits.max_sheets:
        raise too_many_sheets(sheets, limits)
    check_extents([e for e in extents if e[1]], limits)


def parser_failure(fmt: str, file_name: str = "") -> ParserFailure:
    """The refusal for a file the parser could not get through (damaged content, internal error)."""
    name = f" '{file_name}'" if file_name else ""
    return ParserFailure(
        f"Tệp{name} bị hỏng: trình đọc .{fmt} không đọc được nội dung tệp (cấu trúc bên trong không hợp lệ). "
        + RESAVE
    )


# --- text (csv) ---------------------------------------------------------------------------------


def decode_text(data: bytes) -> str | None:
    """Decode CSV bytes: UTF-8 (BOM optional), UTF-16 with BOM, else Windows-1258; None if not text."""
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    candidates = ("utf-16",) if utf16 else ("utf-8-sig", "cp1258")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text):
            return text
    return None


def sniff_delimiter(text: str) -> str | None:
    """The column delimiter among , ; tab giving the most rows of the same width (> 1 column), or None."""
    return _sniff(text[: 2**16])


@lru_cache(maxsize=4)  # the format check and the CSV reader sniff the same text, one after the other
def _sniff(sample: str) -> str | None:
    best, best_score = None, (0, 0)
    for delimiter in (",", ";", "\t"):
        if delimiter not in sample:  # every row one column wide: not this one (and no parse to tell)
            continue
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        widths = [len(row) for row in itertools.islice(reader, 200) if "".join(row).strip()]
        multi = [w for w in widths if w > 1]
        if not multi or len(multi) * 2 < len(widths):
            continue
        width, count = Counter(multi).most_common(1)[0]
        if (count, width) > best_score:
            best, best_score = delimiter, (count, width)
    return best


def _text_format(data: bytes, file_name: str, opened: dict | None = None) -> str:
    suffix = Path(file_name).suffix.lower()
    text = decode_text(data)
    if text is not None and suffix in EXCEL_SUFFIXES:
        head = text.lstrip("\ufeff \r\n\t")[:512].lower()
        kind = "trang web (HTML)" if "<html" in head or "<table" in head else "văn bản thuần"
        if head.startswith("<?xml"):
            kind = "tệp XML (có thể là Bảng tính XML 2003)"
        raise NotASpreadsheet(
            f"Tệp '{file_name}' không phải tệp Excel thật: nội dung là {kind}, có thể là tệp văn bản đổi đuôi "
            f"thành {suffix}. {RESAVE}"
        )
    if text is None:
        raise NotASpreadsheet(
            f"Không nhận ra định dạng của tệp '{file_name}': đây không phải tệp Excel (.xlsx, .xls), "
            f"OpenDocument (.ods) hay CSV (UTF-8 hoặc Windows-1258). {RESAVE}"
        )
    if opened is not None:
        opened["text"] = text
    if sniff_delimiter(text) is None:
        raise NotASpreadsheet(
            f"Tệp '{file_name}' là văn bản nhưng không có dạng bảng CSV (không thấy dấu phẩy, chấm phẩy hay tab "
            "phân cách cột). Hãy mở báo cáo bằng Excel và lưu thành .xlsx hoặc CSV UTF-8 rồi tải lên lại."
        )
    return "csv"
