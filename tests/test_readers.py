"""Reading workbooks into rows (etl.ingest.readers), on the shared samples and on files built here."""

from __future__ import annotations

import datetime as dt
import io
import json
import resource
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from etl.errors import EncryptedFile, TooLarge, UnreadableFile, UnsafeFile
from etl.ingest.readers import Sheet, Workbook, read_workbook
from etl.settings import Limits
from tests import hostile

SAMPLES = Path(__file__).parent / "data" / "samples"
TASK_SAMPLES = ["p01", "p02", "p03", "p04", "p05", "p06", "p07", "p08", "p09", "p10", "p15", "p18", "p19"]
ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
P01 = "p01_TB_6T2019_SoTTTT.xlsx"


def sample_path(prefix: str) -> Path:
    return next(p for p in SAMPLES.glob(f"{prefix}_*") if p.suffix != ".json")


def read_sample(prefix: str, limits: Limits | None = None) -> Workbook:
    path = sample_path(prefix)
    return read_workbook(path.read_bytes(), path.name, limits)


def report_sheet(book: Workbook) -> Sheet:
    return next(s for s in book.sheets if not s.hidden and s.name != "Hướng dẫn")


def ods_bytes(tables: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr(
            "content.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}><office:body>'
            f"<office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>",
        )
        zf.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
        )
    return buffer.getvalue()


def xlsx_bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_cp1258(text: str) -> bytes:
    """Windows-1258 bytes: base letters precomposed where the code page has them, tones combining."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append((base + "".join(c for c in decomposed if c in tones)).encode("cp1258"))
    return b"".join(out)


# --- samples ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", TASK_SAMPLES)
def test_every_expected_task_is_on_its_source_row(prefix: str) -> None:
    book = read_sample(prefix)
    expected = json.loads(Path(f"{sample_path(prefix)}.expected.json").read_text(encoding="utf-8"))
    for task in expected["tasks"]:
        name = task["source"]["sheet"]
        sheet = next(s for s in book.sheets if s.name == name) if name else book.sheets[0]
        row = sheet.rows[task["source"]["row"] - 1]
        assert any(isinstance(v, str) and task["title_prefix"] in v for v in row), (task["source"], row)


@pytest.mark.parametrize(
    ("prefix", "fmt", "header_row"),
    [("p01", "xlsx", 9), ("p02", "xlsx", 9), ("p04", "xlsx", 9), ("p06", "xlsx", 4), ("p07", "xls", 9)]
    + [("p08", "ods", 9), ("p09", "csv", 5), ("p10", "xlsx", 9), ("p19", "ods", 7)],
)
def test_samples_sheet_name_and_header_row(prefix: str, fmt: str, header_row: int) -> None:
    book = read_sample(prefix)
    sheet = report_sheet(book)
    assert book.format == fmt
    assert sheet.name == ("p09_TB_6T2022_SoCongThuong" if fmt == "csv" else "Báo cáo")
    assert str(sheet.rows[header_row - 1][0]).upper() in {"STT", "TT"}
    assert all(str(row[0]).upper() not in {"STT", "TT"} for row in sheet.rows[: header_row - 1])
    assert len({len(row) for row in sheet.rows}) == 1
    for row in sheet.rows:
        for value in row:
            assert value is None or isinstance(value, str | float | int | bool | dt.date)
            if isinstance(value, str):
                assert value.strip() and value == unicodedata.normalize("NFC", value)


def test_p04_two_row_merged_header() -> None:
    merged = set(report_sheet(read_sample("p04")).merged)
    assert {(8, 0, 9, 0), (8, 1, 9, 1), (8, 4, 9, 4), (8, 5, 8, 7), (8, 9, 9, 9), (0, 0, 0, 2)} <= merged


def test_p05_instruction_sheet_and_hidden_lookup() -> None:
    book = read_sample("p05")
    assert [(s.name, s.hidden) for s in book.sheets] == [
        ("Hướng dẫn", False),
        ("Báo cáo", False),
        ("DanhMuc", True),
    ]


def test_p08_ods_merged_ranges_and_percent_cells() -> None:
    sheet = report_sheet(read_sample("p08"))
    assert {(0, 0, 0, 2), (0, 3, 0, 9), (3, 0, 3, 9), (6, 0, 6, 9)} <= set(sheet.merged)
    assert sheet.rows[10][6] == 0.5  # percentage-typed cell "50%": calamine gives the fraction
    assert sheet.rows[10][4] == dt.date(2022, 2, 28)


def test_p19_ods_multiline_cells_match_expected() -> None:
    sheet = report_sheet(read_sample("p19"))
    expected = json.loads(Path(f"{sample_path('p19')}.expected.json").read_text(encoding="utf-8"))
    col = sheet.rows[6].index("Tồn tại, hạn chế")
    for task in expected["tasks"]:
        assert sheet.rows[task["source"]["row"] - 1][col] == task["difficulties"]
    assert any("\n" in (task["difficulties"] or "") for task in expected["tasks"])


def test_p09_csv_rows() -> None:
    sheet = report_sheet(read_sample("p09"))
    assert sheet.rows[0][0].startswith("BÁO CÁO TIẾN ĐỘ")
    assert sheet.rows[3] == [None] * 10
    assert sheet.rows[4][:3] == ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì"]
    assert sheet.merged == [] and not sheet.hidden


def test_p10_cached_formulas_are_not_reported() -> None:
    sheet = report_sheet(read_sample("p10"))
    assert sheet.uncached_formulas == set()
    assert any(isinstance(v, float) for row in sheet.rows[9:] for v in row)


@pytest.mark.parametrize(
    ("prefix", "error", "words"),
    [("p11", UnreadableFile, "Tệp trống"), ("p12", UnreadableFile, "không phải tệp Excel thật")]
    + [("p13", EncryptedFile, "mật khẩu"), ("p16", UnsafeFile, "zip bomb")],
)
def test_bad_samples_refused(prefix: str, error: type[Exception], words: str) -> None:
    with pytest.raises(error) as info:
        read_sample(prefix)
    assert words in info.value.message


def test_max_cells_limit() -> None:
    with pytest.raises(UnsafeFile, match="quá lớn"):
        read_sample("p01", Limits(max_cells=100))


# --- built files ------------------------------------------------------------------------------------


def test_openpyxl_formula_without_cached_value() -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = 40
    book.active["C5"] = "=A1*2"
    book.active["D5"] = "=SUM(A1:A2)"
    sheet = read_workbook(xlsx_bytes(book), "congthuc.xlsx").sheets[0]
    assert sheet.uncached_formulas == {(4, 2), (4, 3)}
    assert sheet.rows[0][0] == 40


def test_xlsxwriter_formula_with_cached_value() -> None:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as book:
        sheet = book.add_worksheet("S")
        sheet.write("A1", 3)
        sheet.write_formula("B1", "=A1*2", None, 6)
        sheet.write_formula("C1", '=IF(A1>5,"x","")', None, "")
    sheet = read_workbook(buffer.getvalue(), "f.xlsx").sheets[0]
    assert sheet.rows == [[3.0, 6.0]]  # calamine drops the trailing empty-valued formula cell
    assert sheet.uncached_formulas == {(0, 2)}  # xlsxwriter writes <v></v> without t="str": no value


def test_hidden_and_very_hidden_sheets() -> None:
    book = openpyxl.Workbook()
    book.active.title = "Báo cáo"
    book.active["A1"] = "STT"
    for name, state in (("An", "hidden"), ("RatAn", "veryHidden")):
        book.create_sheet(name).sheet_state = state
        book[name]["A1"] = "x"
    sheets = read_workbook(xlsx_bytes(book), "an.xlsx").sheets
    assert [(s.name, s.hidden) for s in sheets] == [("Báo cáo", False), ("An", True), ("RatAn", True)]


def test_data_only_in_hidden_sheet_is_empty() -> None:
    book = openpyxl.Workbook()
    book.create_sheet("An").sheet_state = "hidden"
    book["An"]["B2"] = "dữ liệu"
    with pytest.raises(UnreadableFile, match="Tệp trống"):
        read_workbook(xlsx_bytes(book), "an.xlsx")


def test_far_away_cell_refused_before_calamine_allocates() -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "STT"
    book.active["XFD1048576"] = "x"  # calamine would allocate 17 billion cells and abort the process
    with pytest.raises(UnsafeFile, match="1.048.576 dòng × 16.384 cột"):
        read_workbook(xlsx_bytes(book), "xa.xlsx")


def test_whole_column_merge_is_clipped() -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "Tiêu đề"
    book.active["B3"] = "x"
    # openpyxl would create a million MergedCell objects: write the merges into the sheet XML instead
    merges = b'<mergeCells count="2"><mergeCell ref="A1:XFD1"/><mergeCell ref="D1:D1048576"/></mergeCells>'
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(book)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData>" + merges)
            zf.writestr(info.filename, data)
    sheet = read_workbook(buffer.getvalue(), "gop.xlsx").sheets[0]
    assert sheet.merged == [(0, 0, 0, 1)]


def test_corrupt_sheet_xml_is_unreadable() -> None:
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(openpyxl.Workbook())))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for info in source.infolist():
            broken = info.filename == "xl/worksheets/sheet1.xml"
            zf.writestr(info.filename, b"<worksheet><sheetData><row>" if broken else source.read(info))
    with pytest.raises(UnreadableFile, match="Không đọc được"):
        read_workbook(buffer.getvalue(), "hong.xlsx")


def test_truncated_xlsx_is_unreadable() -> None:
    data = sample_path("p01").read_bytes()
    with pytest.raises(UnreadableFile, match="bị hỏng"):
        read_workbook(data[: len(data) // 2], "p01.xlsx")


def test_ods_merged_repeats_and_line_breaks() -> None:
    cell = (
        '<table:table-cell office:value-type="string" table:number-columns-spanned="2" '
        'table:number-rows-spanned="2"><text:p>Dòng 1<text:line-break/>dòng 2</text:p>'
        '<text:p>đoạn 2<text:s text:c="2"/>x</text:p></table:table-cell><table:covered-table-cell/>'
    )
    tables = (
        '<table:table table:name="Báo cáo">'
        f'<table:table-row><table:table-cell table:number-columns-repeated="2"/>{cell}'
        '<table:table-cell office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell>'
        "</table:table-row>"
        '<table:table-row><table:covered-table-cell table:number-columns-repeated="4"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
        '<table:table-row><table:table-cell office:value-type="string" table:number-columns-spanned="3">'
        "<text:p>cuối</text:p></table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="1048570">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>'
    )
    sheet = read_workbook(ods_bytes(tables), "a.ods").sheets[0]
    assert sheet.rows[0] == [None, None, "Dòng 1\ndòng 2\nđoạn 2  x", None, 7.0]
    assert len(sheet.rows) == 6 and sheet.rows[5][0] == "cuối"
    assert sheet.merged == [(0, 2, 1, 3), (5, 0, 5, 2)]


def test_ods_huge_repeated_content_refused() -> None:
    tables = (
        '<table:table table:name="Lớn"><table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="50"/>'
        "</table:table-row></table:table>"
    )
    with pytest.raises(UnsafeFile, match="Lớn"):
        read_workbook(ods_bytes(tables), "lon.ods")


def test_cp1258_csv() -> None:
    text = "STT,Nội dung nhiệm vụ,Đơn vị chủ trì\n1,Tổ chức hội nghị quảng bá,Sở Ngoại vụ\n2,Ứng dụng,Sở Tư pháp\n"
    data = to_cp1258(text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    sheet = read_workbook(data, "bao_cao_1258.csv").sheets[0]
    assert sheet.name == "bao_cao_1258"
    assert sheet.rows[1] == ["1", "Tổ chức hội nghị quảng bá", "Sở Ngoại vụ"]
    assert sheet.rows[2][1] == unicodedata.normalize("NFC", "Ứng dụng")


def test_semicolon_csv_with_quotes_and_ragged_rows() -> None:
    text = 'Báo cáo quý III\nSTT;Nội dung;Đơn vị\n1;"Họp; tập huấn";Sở A, Sở B\n2;"Dòng 1\nDòng 2"\n\n'
    sheet = read_workbook(text.encode("utf-8"), "bc.csv").sheets[0]
    assert sheet.rows == [
        ["Báo cáo quý III", None, None],
        ["STT", "Nội dung", "Đơn vị"],
        ["1", "Họp; tập huấn", "Sở A, Sở B"],
        ["2", "Dòng 1\nDòng 2", None],
    ]


# --- bounds on a whole file, and damaged files refused with a Vietnamese reason (issue 14) -------


def test_400_sheet_workbook_refused_by_sheet_count() -> None:
    with pytest.raises(TooLarge, match="400 trang tính, vượt giới hạn 250"):
        read_workbook(hostile.many_sheets(400), "nhieu_trang.xlsx")


def test_sheets_each_under_the_cell_limit_refused_by_their_total() -> None:
    data = hostile.many_sheets(10, "ALL1000")  # 10 sheets of 1.000 × 1.000 cells, each under the limit
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(TooLarge, match="cộng lại có 10.000.000 ô, vượt giới hạn 4.000.000"):
        read_workbook(data, "lon.xlsx")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # refused before calamine


def test_200000_row_csv_refused_with_a_clear_reason() -> None:
    with pytest.raises(TooLarge, match="hơn 50.000 dòng"):
        read_workbook(hostile.rows_csv(200_000), "bao_cao.csv")


def test_row_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTDN_MAX_ROWS", "10")
    with pytest.raises(TooLarge, match="hơn 10 dòng"):
        read_workbook(hostile.rows_csv(20), "bao_cao.csv")
    with pytest.raises(TooLarge, match="cộng lại có 36 dòng, vượt giới hạn 10 dòng"):
        read_sample("p01", Limits())


def test_cell_longer_than_the_limit_refused_with_its_address() -> None:
    data = hostile.xlsx({"Báo cáo": hostile.cell("C5", "x" * 40_000)})
    with pytest.raises(TooLarge, match="'Báo cáo', dòng 5, cột C có nội dung 40.000 ký tự"):
        read_workbook(data, "dai.xlsx")


def test_csv_field_over_the_csv_module_limit_refused() -> None:
    with pytest.raises(TooLarge, match="dòng 2 có nội dung quá dài"):
        read_workbook(hostile.long_field_csv(), "dai.csv")


@pytest.mark.parametrize(
    ("kind", "name", "build"),
    [
        ("rust panic", "hong.xls", hostile.panicking_xls),
        ("zip entry version", "p01.xlsx", lambda: hostile.unsupported_zip_version(hostile.sample(P01))),
        ("ods xml", "a.ods", lambda: hostile.ods_parts({"content.xml": b"<office:document-content><table"})),
        ("ods without content.xml", "a.ods", lambda: hostile.ods_parts({"content.xml": None})),
        ("random ole", "a.xls", hostile.random_ole),
    ],
)
def test_crash_kinds_are_refusals_in_vietnamese(kind: str, name: str, build) -> None:
    with pytest.raises(UnreadableFile) as info:
        read_workbook(build(), name)
    assert hostile.is_vietnamese_reason(info.value.message), (kind, info.value.message)


def test_the_panicking_file_really_panics_calamine() -> None:
    with pytest.raises(BaseException) as info:  # noqa: PT011 - pyo3's PanicException is a BaseException
        CalamineWorkbook.from_filelike(io.BytesIO(hostile.panicking_xls()))
    assert type(info.value).__name__ == "PanicException"


def test_rows_with_formatting_only_do_not_count_against_the_row_limit() -> None:
    styled = "".join(f'<row r="{r}"><c r="A{r}" s="1"/></row>' for r in range(3, 60_001))
    data = hostile.xlsx({"Báo cáo": hostile.cell("A1", "Nội dung nhiệm vụ") + styled})
    assert read_workbook(data, "dinh_dang.xlsx").sheets[0].rows[0] == ["Nội dung nhiệm vụ"]
