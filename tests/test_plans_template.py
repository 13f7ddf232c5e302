"""The report form built from a plan: header texts, validations, protection, and the unit's tasks only."""

from __future__ import annotations

import doctest
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

import etl.plans.template
from etl.errors import PlanError
from etl.plans import Plan, build_template, build_templates_zip, parse_plan, read_plan_text
from etl.plans.template import HEADER_ROW

SEEDS = Path(__file__).parent / "data" / "seeds"
HEADERS = [
    "STT",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian hoàn thành",
    "Thời hạn điều chỉnh",
    "Kết quả thực hiện",
    "Tiến độ (%)",
    "Tình trạng",
    "Ngày hoàn thành",
    "Khó khăn, vướng mắc",
    "Đề xuất, kiến nghị",
    "Ghi chú",
]


def load_plan(prefix: str) -> Plan:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return parse_plan(read_plan_text(path.read_bytes(), path.name))


@pytest.fixture(scope="module")
def thai_binh() -> Plan:
    return load_plan("003")


def report_sheet(data: bytes) -> Worksheet:
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Báo cáo", "Hướng dẫn"]
    return workbook["Báo cáo"]


def table_rows(sheet: Worksheet) -> list[tuple[str, str]]:
    """(STT, first 30 characters of the task text) of each row between the header and the signatures."""
    rows = []
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, max_col=2, values_only=True):
        if row == (None, None):
            break
        rows.append((row[0], row[1][:30]))
    return rows


def test_header_block_and_columns(thai_binh: Plan) -> None:
    sheet = report_sheet(build_template(thai_binh, "Sở Ngoại vụ", "2019-Q3", "Thái Bình"))
    assert (sheet["A1"].value, sheet["A2"].value) == ("UBND TỈNH THÁI BÌNH", "SỞ NGOẠI VỤ")
    assert (sheet["G1"].value, sheet["G2"].value) == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    )
    assert sheet["A5"].value == "KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2019"
    assert sheet["A7"].value == "Quý III năm 2019"
    assert sheet["A8"].value == "Đơn vị báo cáo: Sở Ngoại vụ"
    assert [c.value for c in sheet[HEADER_ROW]] == HEADERS


def test_only_the_units_tasks_grouped_as_in_the_plan(thai_binh: Plan) -> None:
    police = report_sheet(build_template(thai_binh, "Công an tỉnh", "2019-Q3", "Thái Bình"))
    assert table_rows(police) == [
        ("II", "NỘI DUNG"),
        ("4", "Các hoạt động thông tin đối ng"),
        ("f)", "Theo dõi, tổng hợp dư luận, bá"),
    ]
    row = HEADER_ROW + 3
    assert police.cell(row, 3).value == "Sở Thông tin và Truyền thông"
    assert (
        police.cell(row, 4).value
        == "Công an tỉnh; Các cơ quan báo chí của tỉnh; Các cơ quan, đơn vị có liên quan"
    )
    assert police.cell(row, 5).value == "Năm 2019"


def test_group_phrases_take_in_every_department(thai_binh: Plan) -> None:
    sheet = report_sheet(build_template(thai_binh, "Sở Ngoại vụ", "2019-Q3", "Thái Bình"))
    stts = [stt for stt, _ in table_rows(sheet)]
    # "Các sở, ban, ngành" (a, b, 2, 3, 4a, 4g, IV.1, IV.3) plus its own tasks 4b, 4d; not 4c, 4đ, 4e, 4f, IV.2, IV.4
    assert stts == ["II", "1", "a)", "b)", "2", "3", "4", "a)", "b)", "d)", "g)", "IV", "1", "3"]


def test_unit_headings_of_an_assignment_section() -> None:
    plan = load_plan("004")
    sheet = report_sheet(build_template(plan, "Phòng Văn hóa và Thông tin", "2022", "Thừa Thiên Huế"))
    assert sheet["A1"].value == "UBND TỈNH THỪA THIÊN HUẾ"
    assert sheet["A7"].value == "Năm 2022"
    assert [stt for stt, _ in table_rows(sheet)] == [
        "III",
        "2",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
        "5",
        "5.1",
    ]
    assert table_rows(sheet)[1] == ("2", "Phòng Văn hóa và Thông tin")


def test_validations(thai_binh: Plan) -> None:
    sheet = report_sheet(build_template(thai_binh, "Công an tỉnh", "2019-H1", "Thái Bình"))
    last = HEADER_ROW + 3
    by_type = {v.type: v for v in sheet.data_validations.dataValidation}
    status = by_type["list"]
    assert status.formula1 == '"Đã hoàn thành,Đang thực hiện,Chưa thực hiện,Tạm dừng"'
    assert str(status.sqref) == f"I{HEADER_ROW + 1}:I{last}"
    dates = by_type["date"]
    assert dates.errorStyle == "warning"  # a date typed as text stays possible
    assert set(str(dates.sqref).split()) == {f"F{HEADER_ROW + 1}:F{last}", f"J{HEADER_ROW + 1}:J{last}"}
    percent = by_type["decimal"]
    assert (percent.formula1, percent.formula2, str(percent.sqref)) == (
        "0",
        "100",
        f"H{HEADER_ROW + 1}:H{last}",
    )


def test_protection_and_printing(thai_binh: Plan) -> None:
    sheet = report_sheet(build_template(thai_binh, "Công an tỉnh", "2019-9M", "Thái Bình"))
    assert sheet["A7"].value == "9 tháng đầu năm 2019"
    assert sheet.protection.sheet and not sheet.protection.password
    task_row = HEADER_ROW + 3
    locked = {col: sheet.cell(task_row, col).protection.locked for col in range(1, len(HEADERS) + 1)}
    assert [HEADERS[col - 1] for col, is_locked in locked.items() if is_locked] == HEADERS[:5]
    assert sheet["A1"].protection.locked and sheet.cell(HEADER_ROW, 7).protection.locked
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.cell(task_row, 2).alignment.wrap_text


def test_instructions_sheet_comes_after_the_report(thai_binh: Plan) -> None:
    workbook = load_workbook(io.BytesIO(build_template(thai_binh, "Công an tỉnh", "2019", "Thái Bình")))
    text = "\n".join(str(c.value) for c in workbook["Hướng dẫn"]["A"] if c.value)
    assert workbook.worksheets[0].title == "Báo cáo"
    assert "“Đã hoàn thành”" in text and "KẾ HOẠCH HOẠT ĐỘNG THÔNG TIN ĐỐI NGOẠI NĂM 2019" in text


def test_refusals(thai_binh: Plan) -> None:
    with pytest.raises(PlanError, match="Kỳ báo cáo"):
        build_template(thai_binh, "Công an tỉnh", "Q3-2019", "Thái Bình")
    with pytest.raises(PlanError, match="không thuộc năm của kế hoạch"):
        build_template(thai_binh, "Công an tỉnh", "2022-Q3", "Thái Bình")
    with pytest.raises(PlanError, match="Hội Nông dân tỉnh"):
        build_templates_zip(thai_binh, ["Công an tỉnh", "Hội Nông dân tỉnh"], "2019-Q3", "Thái Bình")


def test_zip_of_forms(thai_binh: Plan) -> None:
    units = ["Sở Văn hóa, Thể thao và Du lịch", "Báo Thái Bình", "Sở Thông tin và Truyền thông"]
    archive = zipfile.ZipFile(io.BytesIO(build_templates_zip(thai_binh, units, "2019-Q3", "Thái Bình")))
    names = archive.namelist()
    assert names == [
        "so_van_hoa_the_thao_va_du_lich_2019-Q3.xlsx",
        "bao_thai_binh_2019-Q3.xlsx",
        "so_thong_tin_va_truyen_thong_2019-Q3.xlsx",
    ]
    press = report_sheet(archive.read(names[1]))
    assert press["A8"].value == "Đơn vị báo cáo: Báo Thái Bình"
    # "Các cơ quan báo chí của tỉnh" takes in the newspaper
    assert [stt for stt, _ in table_rows(press)] == ["II", "4", "a)", "đ)", "f)", "IV", "4"]


def test_docstring_examples() -> None:
    result = doctest.testmod(etl.plans.template)
    assert result.failed == 0 and result.attempted > 0
