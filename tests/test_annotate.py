"""The file sent back with an error column."""

import io
from pathlib import Path

from openpyxl import load_workbook

from etl.ingest.annotate import ERROR_HEADER
from etl.store.load import IngestOptions, annotate_errors, preview_bytes

SAMPLES = Path(__file__).parent / "data" / "samples"


def _annotated(name: str):
    data = (SAMPLES / name).read_bytes()
    result = preview_bytes(name, data, IngestOptions())
    return result, load_workbook(io.BytesIO(annotate_errors(name, data, result)))


def test_bad_rows_get_their_message_in_an_added_column():
    result, wb = _annotated("p15_TB_Q2-2022_SoTTTT.xlsx")
    ws = wb["Báo cáo"]
    col = [c.column for c in ws[9] if c.value == ERROR_HEADER][0]
    assert ws.cell(13, col).value.startswith("Lỗi (Thời gian hoàn thành)")
    assert "abc" in ws.cell(15, 2).value or ws.cell(15, col).value.startswith("Lỗi (Tình trạng)")
    assert ws.cell(20, col).value.startswith("Lỗi (Tiến độ (%))")
    assert ws.cell(12, col).value is None  # a good row gets nothing
    listing = wb["Lỗi cần sửa"]
    assert [r[1].value for r in listing.iter_rows(min_row=2)][:3] == [13, 15, 20]


def test_a_file_refused_as_a_whole_still_comes_back_with_the_reason():
    result, wb = _annotated("p14_TQ_Q3-2022_ThongKeTinBai.xlsx")
    assert result.verdict == "rejected"
    messages = [r[4].value for r in wb["Lỗi cần sửa"].iter_rows(min_row=2)]
    assert any("Nội dung nhiệm vụ" in m for m in messages)


def test_csv_is_rebuilt_as_xlsx_and_values_are_never_formulas(tmp_path):
    data = 'STT,Nội dung nhiệm vụ,Tình trạng\n1,=HYPERLINK("x"),abc\n'.encode()
    result = preview_bytes(
        "r.csv", data, IngestOptions(province="Thái Bình", unit="Sở Ngoại vụ", period="2022")
    )
    wb = load_workbook(io.BytesIO(annotate_errors("r.csv", data, result)))
    assert "r" in wb.sheetnames
    rows = list(wb["Lỗi cần sửa"].iter_rows(min_row=2))
    assert any(r[3].value == '=HYPERLINK("x")' for r in rows) or any(r[3].value == "abc" for r in rows)
    for row in rows:
        assert row[3].data_type != "f"
