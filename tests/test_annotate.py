"""The file sent back with an error column."""

import csv
import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest
import xlsxwriter
import xlwt
from openpyxl import load_workbook

from etl.ingest.annotate import ERROR_HEADER
from etl.plans import Plan, build_template
from etl.plans.model import PlanTask
from etl.store.load import IngestOptions, annotate_errors, preview_bytes
from queries.export import to_xlsx
from tests.test_readers import ods_bytes

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


# --- no spreadsheet we write holds a live formula (issue 14) ----------------------------------

INJECTIONS = [
    "=1+1",
    '=HYPERLINK("http://x.example/a","bấm")',
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]
HEADER = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Tình trạng"]
OPTIONS = IngestOptions(province="Thái Bình", unit="Sở Ngoại vụ", period="2022")


def report_rows() -> list[list[str]]:
    """A report whose task titles and units are injection strings, and whose status is wrong (errors)."""
    return [HEADER] + [[str(i), f"{text}", text, "abc"] for i, text in enumerate(INJECTIONS, 1)]


def as_xlsx(rows: list[list[str]]) -> bytes:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "in_memory": True}) as book:
        sheet = book.add_worksheet("Báo cáo")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
    return buffer.getvalue()


def as_xls(rows: list[list[str]]) -> bytes:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Bao cao")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_ods(rows: list[list[str]]) -> bytes:
    cells = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>'
            for v in row
        )
        + "</table:table-row>"
        for row in rows
    )
    return ods_bytes(f'<table:table table:name="Báo cáo">{cells}</table:table>')


def as_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def formulas(data: bytes) -> list[str]:
    """Every formula in an .xlsx: <f> elements in the sheet XML, and cells openpyxl reads as formulas."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", zf.read(name)):
                found.append(name)
    for ws in load_workbook(io.BytesIO(data)).worksheets:
        found.extend(
            f"{ws.title}!{c.coordinate}" for row in ws.iter_rows() for c in row if c.data_type == "f"
        )
    return found


def texts(data: bytes) -> set[str]:
    return {
        c.value for ws in load_workbook(io.BytesIO(data)).worksheets for r in ws.iter_rows() for c in r
        if isinstance(c.value, str)
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "build"), [("r.xlsx", as_xlsx), ("r.xls", as_xls), ("r.ods", as_ods), ("r.csv", as_csv)]
)
def test_annotated_copy_of_every_format_writes_formula_text_as_text(name: str, build) -> None:
    data = build(report_rows())
    result = preview_bytes(name, data, OPTIONS)
    assert result.errors  # the wrong status words: a copy with an error column is offered
    annotated = annotate_errors(name, data, result)
    assert formulas(annotated) == []
    assert {"=1+1", '=HYPERLINK("http://x.example/a","bấm")', "@SUM(A1)"} <= texts(annotated)


def test_exports_write_formula_text_as_text() -> None:
    frame = pd.DataFrame({"task_title": INJECTIONS, "lead_units_text": list(reversed(INJECTIONS))})
    data = to_xlsx(frame, {"task_title": "Nội dung nhiệm vụ", "lead_units_text": "Đơn vị"}, title="=1+1")
    assert formulas(data) == []
    assert set(INJECTIONS) - {"\r=1+1"} <= texts(data)


def test_plan_templates_write_formula_text_as_text() -> None:
    plan = Plan(
        title="=1+1", number=None, issued_on=None, province_legacy="Thái Bình", province="Hưng Yên", year=2022,
        tasks=[PlanTask(f"I.{i}", text, None, "Khác", lead_units=["Sở Ngoại vụ"], due_text=text)
               for i, text in enumerate(INJECTIONS, 1)],
    )  # fmt: skip
    data = build_template(plan, "Sở Ngoại vụ", "2022-Q3", "Thái Bình")
    assert formulas(data) == []
    assert {"=1+1", "@SUM(A1)"} <= texts(data)
