"""Guards applied before any parser sees uploaded bytes (etl.ingest.guards)."""

from __future__ import annotations

import csv
import io
import random
import shutil
import struct
import time
import tracemalloc
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import olefile
import openpyxl
import pytest
import xlwt

from etl.errors import EncryptedFile, TooLarge, UnreadableFile, UnsafeFile
from etl.ingest.bounds import check_extents
from etl.ingest.guards import DTD_MARKERS, decode_text, detect_format, inflate, sniff_delimiter
from etl.settings import Limits

SAMPLES = Path(__file__).parent / "data" / "samples"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
WORKBOOK_XML = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
)


def limits(**kwargs: float) -> Limits:
    base = {
        "max_file_bytes": 20 * 2**20,
        "max_unzipped_bytes": 200 * 2**20,
        "max_zip_ratio": 100,
        "max_cells": 2_000_000,
    }
    return Limits(**{**base, **kwargs})


def sample(prefix: str) -> bytes:
    return next(p for p in SAMPLES.glob(f"{prefix}_*") if p.suffix != ".json").read_bytes()


def patch_declared_size(data: bytearray, name: str, size: int) -> None:
    """Overwrite an entry's uncompressed size in both its central and local headers."""
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        length = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + length] == name.encode():
            struct.pack_into("<I", data, pos + 24, size)
            struct.pack_into("<I", data, struct.unpack_from("<I", data, pos + 42)[0] + 22, size)
        pos = data.find(b"PK\x01\x02", pos + 4)


def xlsx_skeleton(extra: dict[str, bytes | str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("xl/workbook.xml", WORKBOOK_XML)
        for name, content in (extra or {}).items():
            zf.writestr(name, content)
    return buffer.getvalue()


def openpyxl_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "STT"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("p01", "xlsx"), ("p07", "xls"), ("p08", "ods"), ("p09", "csv"), ("p10", "xlsx"), ("p19", "ods")],
)
def test_good_samples_detected(prefix: str, expected: str) -> None:
    assert detect_format(sample(prefix), f"{prefix}.{expected}", limits()) == expected


def test_text_renamed_xlsx_is_refused() -> None:
    with pytest.raises(UnreadableFile) as info:
        detect_format(sample("p12"), "p12_TQ_Q3-2022_BaoCao.xlsx", limits())
    assert "không phải tệp Excel thật" in info.value.message
    assert "đổi đuôi thành .xlsx" in info.value.message


def test_encrypted_sample_is_refused() -> None:
    with pytest.raises(EncryptedFile) as info:
        detect_format(sample("p13"), "p13.xlsx", limits())
    assert "mật khẩu" in info.value.message


def test_p16_zip_bomb_refused_fast_without_inflating() -> None:
    data = sample("p16")
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(UnsafeFile) as info:
        detect_format(data, "p16.xlsx", limits())
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 8 * 2**20  # the entry inflates to ~537 MB
    message = info.value.message
    assert "zip bomb" in message and "xl/sharedStrings.xml" in message and "536,8 MB" in message
    assert "gấp 949 lần" in message


def test_built_zip_bomb_ratio() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("xl/workbook.xml", WORKBOOK_XML)
        with zf.open("xl/worksheets/sheet1.xml", "w") as entry:
            block = b"\0" * 2**20
            for _ in range(50):
                entry.write(block)
    data = buffer.getvalue()
    assert len(data) < 2**20
    with pytest.raises(UnsafeFile) as info:
        detect_format(data, "bomb.xlsx", limits())
    assert "xl/worksheets/sheet1.xml" in info.value.message and "50 MB" in info.value.message
    with pytest.raises(UnsafeFile, match="tổng dung lượng"):
        detect_format(data, "bomb.xlsx", limits(max_unzipped_bytes=10 * 2**20, max_zip_ratio=10**6))


def test_lying_declared_size_is_caught_while_inflating() -> None:
    payload = b"<x>" + b" " * (5 * 2**20) + b"</x>"
    data = bytearray(xlsx_skeleton({"xl/styles.xml": payload}))
    patch_declared_size(data, "xl/styles.xml", 1000)  # ratio/total checks see a 1000-byte entry
    with pytest.raises(UnsafeFile, match="vượt dung lượng khai báo"):
        detect_format(bytes(data), "lie.xlsx", limits())


@pytest.mark.parametrize("declaration", ['<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', '<!ENTITY a "b">'])
def test_xml_entity_declarations_refused(declaration: str) -> None:
    sheet = f'<?xml version="1.0"?>{declaration}<worksheet><sheetData/></worksheet>'
    with pytest.raises(UnsafeFile) as info:
        detect_format(xlsx_skeleton({"xl/worksheets/sheet1.xml": sheet}), "dtd.xlsx", limits())
    assert "DOCTYPE/ENTITY" in info.value.message and "xl/worksheets/sheet1.xml" in info.value.message


@pytest.mark.parametrize("marker", DTD_MARKERS)
@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_declaration_is_found_wherever_it_falls_among_the_inflated_blocks(
    marker: bytes, compression: int
) -> None:
    block = 2**16
    for at in [0, 5, block - len(marker) - 1, *range(block - len(marker) + 1, block), block, 3 * block - 3]:
        part = b"x" * at + marker + b" a 'b'>" + b"y" * 300
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression) as zf:
            zf.writestr("xl/worksheets/sheet1.xml", part)
        data = buffer.getvalue()
        info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
        with pytest.raises(UnsafeFile, match="DOCTYPE/ENTITY"):
            list(inflate(data, info, 2**30, chunk=block))
    clean = b"<row><c><f>Trang1!A1</f></c></row>" * 5000  # "!" alone is no declaration
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        zf.writestr("s.xml", clean)
    assert b"".join(inflate(buffer.getvalue(), zipfile.ZipFile(buffer).getinfo("s.xml"), 2**30)) == clean


def test_too_many_zip_entries() -> None:
    data = xlsx_skeleton({f"xl/media/i{i}.bin": b"" for i in range(10_001)})
    with pytest.raises(UnsafeFile, match="10.000"):
        detect_format(data, "many.xlsx", limits())


def test_xlsm_by_name_and_by_content_type() -> None:
    data = openpyxl_bytes()
    assert detect_format(data, "bao_cao.xlsm", limits()) == "xlsm"
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
            zf.writestr(info.filename, content)
    assert detect_format(buffer.getvalue(), "bao_cao.xlsx", limits()) == "xlsm"


def test_other_zip_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    with pytest.raises(UnreadableFile, match="Word"):
        detect_format(buffer.getvalue(), "bao_cao.xlsx", limits())


def test_xls_filepass_record_means_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "p07.xls"
    shutil.copy(next(SAMPLES.glob("p07_*.xls")), path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
        pos = 0
        while struct.unpack_from("<H", stream, pos)[0] != 0x005C:  # WRITEACCESS -> FILEPASS
            pos += 4 + struct.unpack_from("<H", stream, pos + 2)[0]
        struct.pack_into("<H", stream, pos, 0x002F)
        ole.write_stream("Workbook", bytes(stream))
    with pytest.raises(EncryptedFile, match="mật khẩu"):
        detect_format(path.read_bytes(), "p07.xls", limits())


def test_xls_named_text_file() -> None:
    with pytest.raises(UnreadableFile, match="không phải tệp Excel thật"):
        detect_format("STT,Nội dung\n1,Họp báo\n".encode(), "bao_cao.xls", limits())


def test_html_renamed_xls_says_so() -> None:
    with pytest.raises(UnreadableFile, match="HTML"):
        detect_format(b"<html><body><table><tr><td>1</td></tr></table></body></html>", "x.xls", limits())


def test_random_bytes_refused() -> None:
    data = random.Random(7).randbytes(4096)
    for name in ("rac.xlsx", "rac.csv", "rac.bin"):
        with pytest.raises(UnreadableFile):
            detect_format(data, name, limits())


@pytest.mark.parametrize("data", [b"", b"  \r\n"])
def test_empty_file_refused(data: bytes) -> None:
    with pytest.raises(UnreadableFile, match="trống"):
        detect_format(data, "rong.xlsx", limits())


def test_file_over_size_limit() -> None:
    with pytest.raises(UnsafeFile, match="quá lớn"):
        detect_format(sample("p01"), "p01.xlsx", limits(max_file_bytes=1000))


def test_csv_detection_and_encodings() -> None:
    text = "STT;Nội dung;Đơn vị\n1;Họp báo quốc tế;Sở Ngoại vụ\n"
    assert detect_format(text.encode("utf-8-sig"), "a.csv", limits()) == "csv"
    assert detect_format(text.encode("utf-16"), "a.csv", limits()) == "csv"
    assert detect_format(text.encode("utf-8"), "khong_duoi", limits()) == "csv"
    with pytest.raises(UnreadableFile, match="không có dạng bảng CSV"):
        detect_format("Chỉ là một đoạn văn bản.\nKhông có cột.".encode(), "a.csv", limits())
    assert decode_text(b"\x00\x01\x02abc") is None


def test_sniff_delimiter_prefers_consistent_columns() -> None:
    assert sniff_delimiter("a;b, c;d\n1;Sở A, Sở B;x\n2;y;z\n") == ";"
    assert sniff_delimiter('a,b,c\n1,"x; y",z\n') == ","
    assert sniff_delimiter("a\tb\n1\t2\n") == "\t"
    assert sniff_delimiter("không có cột\nthật sự\n") is None


def _sniff_by_parsing_all(text: str) -> str | None:
    """The delimiter rule written out plainly: parse with each of , ; tab and keep the one giving the
    most rows of the same width (> 1 column), when most rows have more than one column."""
    best, best_score = None, (0, 0)
    for delimiter in (",", ";", "\t"):
        rows = list(csv.reader(io.StringIO(text[: 2**16], newline=""), delimiter=delimiter))[:200]
        widths = [len(row) for row in rows if any(v.strip() for v in row)]
        multi = [w for w in widths if w > 1]
        if not multi or len(multi) * 2 < len(widths):
            continue
        width, count = Counter(multi).most_common(1)[0]
        if (count, width) > best_score:
            best, best_score = delimiter, (count, width)
    return best


def test_sniff_delimiter_chooses_as_parsing_with_every_delimiter_would() -> None:
    """The sniff skips a delimiter the text does not hold and tests blank rows by their joined text:
    over generated texts (a title block, quotes, blank and one-column lines, other delimiters inside
    fields, more than 200 rows) it chooses what parsing with every delimiter chooses."""
    rng = random.Random(14)
    words = (
        "Sở Ngoại vụ",
        "Quý III/2024",
        "x",
        "",
        " ",
        "a; b",
        "c, d",
        "tab\there",
        '"q"',
        "1.000",
        "\u00a0",
    )
    chosen = Counter()
    for _ in range(400):
        delimiter = rng.choice((",", ";", "\t", " "))
        # a title block first, in one column: the delimiter may first appear a few hundred characters in
        lines = ["ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH - SỞ NGOẠI VỤ"] * rng.choice((0, 0, 2, 4))
        for _ in range(rng.choice((1, 3, 20, 230))):
            kind = rng.random()
            if kind < 0.1:
                lines.append(rng.choice(("", "   ", "\u00a0")))
            elif kind < 0.2:
                lines.append(rng.choice(words))
            else:
                fields = [rng.choice(words) for _ in range(rng.randint(1, 6))]
                quoted = [
                    f'"{f}"' if (delimiter in f or '"' in f) and rng.random() < 0.7 else f for f in fields
                ]
                lines.append(delimiter.join(quoted))
        text = "\n".join(lines) + rng.choice(("", "\n", "\r\n"))
        expected = _sniff_by_parsing_all(text)
        chosen[expected] += 1
        assert sniff_delimiter(text) == expected, text[:300]
    assert all(chosen[d] > 20 for d in (",", ";", "\t", None)), chosen  # every outcome was exercised


def test_whole_file_bounds_sheets_total_cells_and_rows() -> None:
    bounds = replace(Limits(), max_sheets=3, max_cells=100, max_total_cells=250, max_rows=30)
    check_extents([("a", 10, 10), ("b", 10, 10)], bounds)  # within every bound
    with pytest.raises(TooLarge, match="4 trang tính, vượt giới hạn 3"):
        check_extents([("a", 1, 1)] * 4, bounds)
    with pytest.raises(TooLarge, match="Trang tính 'b' quá lớn"):
        check_extents([("a", 1, 1), ("b", 11, 10)], bounds)
    with pytest.raises(TooLarge, match="300 ô, vượt giới hạn 250"):
        check_extents([("a", 10, 10)] * 3, bounds)
    with pytest.raises(TooLarge, match="40 dòng, vượt giới hạn 30"):
        check_extents([("a", 20, 1), ("b", 20, 1)], bounds)


def test_xls_with_too_many_sheets_refused_before_parsing() -> None:
    book = xlwt.Workbook()
    for i in range(260):
        book.add_sheet(f"S{i}").write(0, 0, "x")
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(TooLarge, match="260 trang tính, vượt giới hạn 250"):
        detect_format(buffer.getvalue(), "nhieu.xls", limits(max_sheets=250))


def test_damaged_ole_refused_without_parser_text() -> None:
    data = sample("p07")
    with pytest.raises(UnreadableFile) as info:
        detect_format(data[:1536] + b"\x00" * 2048, "hong.xls", limits())
    assert "Error" not in info.value.message and "bị hỏng" in info.value.message


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/macrosheets/sheet9.xml"])
@pytest.mark.parametrize("attack", ["dtd", "lying size"])
def test_the_reader_refuses_what_the_full_check_refuses_in_a_scanned_part(part: str, attack: str) -> None:
    """``read_workbook`` leaves the worksheet parts to the sheet scan (each inflated once): a hostile
    worksheet part is refused there with the same reason as by the full zip check."""
    from etl.ingest.readers import read_workbook

    if attack == "dtd":
        sheet = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet><sheetData/></worksheet>'
        data = xlsx_skeleton({part: sheet})
    else:
        data = bytearray(xlsx_skeleton({part: b"<worksheet>" + b" " * (5 * 2**20) + b"</worksheet>"}))
        patch_declared_size(data, part, 1000)
        data = bytes(data)
    with pytest.raises(UnsafeFile) as full:
        detect_format(data, "hostile.xlsx", limits())
    assert detect_format(data, "hostile.xlsx", limits(), scanned_next=True) == "xlsx"  # left to the scan
    with pytest.raises(UnsafeFile) as read:
        read_workbook(data, "hostile.xlsx", limits())
    assert read.value.message == full.value.message and part in read.value.message


def test_declared_sizes_are_checked_even_for_the_parts_left_to_the_scan() -> None:
    data = xlsx_skeleton({"xl/worksheets/sheet1.xml": b"<worksheet>" + b" " * (50 * 2**20) + b"</worksheet>"})
    with pytest.raises(UnsafeFile, match="tỉ lệ nén"):
        detect_format(data, "ratio.xlsx", limits(), scanned_next=True)
