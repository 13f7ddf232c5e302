"""Reading plan documents: the real plans (seeds 003, 004), news summaries (000-002), small built plans."""

from __future__ import annotations

import doctest
import io
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from docx import Document

import etl.plans.document
import etl.plans.identity
import etl.plans.lines
import etl.plans.model
import etl.plans.parse
import etl.plans.table
import etl.plans.units
from etl.errors import PlanError
from etl.plans import Plan, PlanTask, is_group_unit, parse_plan, read_plan_text
from etl.plans.units import split_unit_list
from etl.vocab.deadlines import DueKind

SEEDS = Path(__file__).parent / "data" / "seeds"
SO_TTTT = "Sở Thông tin và Truyền thông"
USUAL_PARTNERS = [
    "Các sở, ban, ngành",
    "Ủy ban nhân dân huyện, thành phố",
    "Các cơ quan, đơn vị có liên quan",
]


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return read_plan_text(path.read_bytes(), path.name)


def task(plan: Plan, code: str) -> PlanTask:
    (found,) = [t for t in plan.tasks if t.code == code]
    return found


@pytest.fixture(scope="module")
def thai_binh() -> Plan:
    return parse_plan(seed("003"))


@pytest.fixture(scope="module")
def huong_tra() -> Plan:
    return parse_plan(seed("004"))


# -- seed 003: Thái Bình 2019, tasks by topic with "- Thời gian / Đơn vị chủ trì / phối hợp" lines ------------


def test_thai_binh_identity(thai_binh: Plan) -> None:
    assert thai_binh.title == "KẾ HOẠCH HOẠT ĐỘNG THÔNG TIN ĐỐI NGOẠI NĂM 2019"
    assert thai_binh.number is None  # the copy has no "Số:" line
    assert (thai_binh.year, thai_binh.province_legacy, thai_binh.province) == (2019, "Thái Bình", "Hưng Yên")
    assert thai_binh.report_deadlines == []


def test_thai_binh_tasks(thai_binh: Plan) -> None:
    assert [t.code for t in thai_binh.tasks] == [
        "II.1.a", "II.1.b", "II.2", "II.3",
        "II.4.a", "II.4.b", "II.4.c", "II.4.d", "II.4.đ", "II.4.e", "II.4.f", "II.4.g",
        "IV.1", "IV.2", "IV.3", "IV.4",
    ]  # fmt: skip
    assert ("II.4", "Các hoạt động thông tin đối ngoại cụ thể") in thai_binh.sections
    assert not any(code.startswith(("I.", "III")) for code, _ in thai_binh.sections)  # MỤC TIÊU, KINH PHÍ


def test_thai_binh_sub_task_with_fields(thai_binh: Plan) -> None:
    first = task(thai_binh, "II.1.a")
    assert (
        first.title == "Ban hành Quy chế quản lý nhà nước về thông tin đối ngoại trên địa bàn tỉnh Thái Bình."
    )
    assert first.section_title == (
        "Xây dựng văn bản quy phạm pháp luật và văn bản chỉ đạo, điều hành hoạt động thông tin đối ngoại"
    )
    assert first.lead_units == [SO_TTTT]
    assert first.coordinating_units == USUAL_PARTNERS
    assert (first.due_text, first.due_kind, first.due_date) == (
        "Tháng 6 năm 2019",
        DueKind.MONTH,
        date(2019, 6, 30),
    )
    assert first.source_line == 14
    assert first.stt == "a)"


def test_thai_binh_task_without_sub_tasks_takes_deadline_from_its_paragraph(thai_binh: Plan) -> None:
    staffing = task(thai_binh, "II.2")
    assert staffing.section_title == "Bố trí nhân sự phụ trách công tác thông tin đối ngoại"
    assert staffing.title.startswith("Các sở, ban, ngành thuộc Ủy ban nhân dân tỉnh, Ủy ban nhân dân huyện")
    assert "\nVăn bản phân công nhân sự" in staffing.title  # both paragraphs
    assert staffing.lead_units == [
        "Các sở, ban, ngành thuộc Ủy ban nhân dân tỉnh",
        "Ủy ban nhân dân huyện, thành phố",
    ]
    assert (staffing.due_text, staffing.due_kind, staffing.due_date) == (
        "trước ngày 10/4/2019",
        DueKind.DATE,
        date(2019, 4, 10),
    )
    training = task(thai_binh, "II.3")
    assert training.title.startswith("Tổ chức tập huấn, bồi dưỡng kiến thức")
    assert training.section_title == "Tập huấn, bồi dưỡng nghiệp vụ"
    assert (training.due_kind, training.due_date) == (DueKind.MONTH, date(2019, 7, 31))


def test_thai_binh_unit_lists(thai_binh: Plan) -> None:
    assert task(thai_binh, "II.4.d").lead_units == [
        "Sở Kế hoạch và Đầu tư",
        "Sở Ngoại vụ",
        "Sở Văn hóa, Thể thao và Du lịch",
    ]
    assert task(thai_binh, "II.4.b").coordinating_units == [
        SO_TTTT,
        "Sở Công Thương",
        "Sở Ngoại vụ",
        "Ủy ban nhân dân huyện, thành phố",
        "Các cơ quan, đơn vị có liên quan",
    ]
    assert task(thai_binh, "II.4.f").coordinating_units == [
        "Công an tỉnh",
        "Các cơ quan báo chí của tỉnh",
        "Các cơ quan, đơn vị có liên quan",
    ]
    islands = task(thai_binh, "II.4.đ")
    assert islands.lead_units == [SO_TTTT, "Các cơ quan báo chí của tỉnh"]
    assert islands.coordinating_units == [
        "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
        "Sở Giáo dục và Đào tạo",
        "Các cơ quan, đơn vị có liên quan",
    ]
    assert "quần đảo Hoàng Sa, Trường Sa" in islands.title  # the second paragraph belongs to đ)
    assert islands.topic == "Biên giới, biển, đảo"
    assert (task(thai_binh, "II.4.e").due_text, task(thai_binh, "II.4.e").due_date) == (
        "Năm 2019",
        date(2019, 12, 31),
    )


def test_thai_binh_organisation_section_is_tasks_by_unit(thai_binh: Plan) -> None:
    budget = task(thai_binh, "IV.2")
    assert budget.lead_units == ["Sở Tài chính"]
    assert budget.title.startswith("Bố trí ngân sách bảo đảm thực hiện")
    assert budget.coordinating_units == [SO_TTTT, "Các đơn vị có liên quan"]
    assert budget.section_title == "Tổ chức thực hiện"
    assert (budget.due_text, budget.due_kind, budget.due_date) == (None, DueKind.UNPARSED, None)
    press = task(thai_binh, "IV.4")
    assert (press.lead_units, press.coordinating_units) == (["Các cơ quan báo chí của tỉnh"], [SO_TTTT])
    assert any("không ghi thời hạn: IV.1, IV.2, IV.3, IV.4" in w for w in thai_binh.warnings)


# -- seed 004: thị xã Hương Trà 2022, contents under II then "III. PHÂN CÔNG NHIỆM VỤ" by unit -------------


def test_huong_tra_identity(huong_tra: Plan) -> None:
    assert huong_tra.title == "Kế hoạch thông tin đối ngoại trên địa bàn thị xã Hương Trà năm 2022"
    assert (huong_tra.year, huong_tra.province_legacy, huong_tra.province) == (2022, "Thừa Thiên Huế", "Huế")
    assert huong_tra.report_deadlines == ["trước ngày 10/11/2022"]


def test_huong_tra_task_counts(huong_tra: Plan) -> None:
    assert len(huong_tra.tasks) == 43
    assert sum(t.code.startswith("II.") for t in huong_tra.tasks) == 19
    assert [t.code for t in huong_tra.tasks if t.code.startswith("III.2")] == [
        f"III.2.{n}" for n in range(1, 6)
    ]
    assert [t.code for t in huong_tra.tasks][-3:] == ["III.7", "III.8", "III.9"]


def test_huong_tra_content_bullets(huong_tra: Plan) -> None:
    first = task(huong_tra, "II.1.1")
    assert (
        "biên giới hòa bình, hữu nghi, hợp tác và phát triển" in first.title
    )  # joined across the page break
    assert first.section_title == "Quan điểm, chủ trương, chính sách của Đảng và Nhà nước"
    assert (first.lead_units, first.due_text, first.due_kind) == ([], None, DueKind.UNPARSED)
    assert "\nThông tin về những chính sách của tỉnh" in task(huong_tra, "II.1.3").title
    assert task(huong_tra, "II.4.1").topic == "Biên giới, biển, đảo"


def test_huong_tra_unit_heading_leads_its_bullets(huong_tra: Plan) -> None:
    culture = task(huong_tra, "III.2.1")
    assert culture.lead_units == ["Phòng Văn hóa và Thông tin"]
    assert culture.coordinating_units == [
        "Ban Tuyên giáo Thị ủy",
        "Các cơ quan, ban, ngành, đoàn thể thị xã",
        "UBND các xã, phường",
    ]
    assert culture.section_title == "Phân công nhiệm vụ"
    assert culture.stt == "2.1"
    assert task(huong_tra, "III.1.3").lead_units == [
        "Ban Tuyên giáo Thị ủy"
    ]  # "1. Đề nghị Ban Tuyên giáo Thị ủy"
    assert task(huong_tra, "III.3.2").lead_units == ["Văn phòng HĐND và UBND thị xã"]
    assert ("III.2", "Phòng Văn hóa và Thông tin") in huong_tra.sections


def test_huong_tra_headings_that_are_tasks(huong_tra: Plan) -> None:
    economy = task(huong_tra, "III.7")  # "7. Phòng Kinh tế" then one paragraph
    assert economy.lead_units == ["Phòng Kinh tế"]
    assert economy.title.startswith("Phối hợp với các cơ quan, đơn vị tổ chức các hoạt động phù hợp")
    front = task(huong_tra, "III.8")  # the heading is the whole task
    assert front.lead_units == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam",
        "Các cơ quan, ban, ngành, đoàn thể thị xã",
    ]
    communes = task(huong_tra, "III.9")
    assert communes.lead_units == ["Ủy ban nhân dân các xã, phường"]
    assert "Báo cáo" not in communes.title  # the report paragraph after it is a report deadline, not its text


# -- news summaries -------------------------------------------------------------------------------------


def test_news_summary_gives_tasks_with_a_warning() -> None:
    plan = parse_plan(seed("000"))
    assert plan.title == "Kế hoạch công tác thông tin đối ngoại tỉnh Tuyên Quang năm 2022"
    assert (plan.number, plan.issued_on, plan.year) == ("41/KH-UBND", date(2022, 2, 28), 2022)
    assert plan.province_legacy == "Tuyên Quang"
    assert plan.tasks[0].title == "Ban hành văn bản chỉ đạo, triển khai các hoạt động thông tin đối ngoại"
    press = [t for t in plan.tasks if t.lead_units == [SO_TTTT]]
    assert press[0].title.startswith("Tham mưu Ủy ban nhân dân tỉnh tổ chức các buổi họp báo")
    assert any("bản tin tóm tắt" in w for w in plan.warnings)
    assert not any("Phú Yên" in t.title for t in plan.tasks)  # the next article on the page is left out


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_news_summaries_never_crash(prefix: str) -> None:
    plan = parse_plan(seed(prefix), province="Phú Yên", year=2022)
    assert plan.tasks and all(t.title for t in plan.tasks)


def test_news_without_province_asks_for_one() -> None:
    with pytest.raises(PlanError, match="tỉnh"):
        parse_plan(seed("002"))
    plan = parse_plan(seed("002"), province="Phú Yên")
    assert (plan.province_legacy, plan.province, plan.year) == ("Phú Yên", "Đắk Lắk", 2022)
    guard = [t for t in plan.tasks if "Công an tỉnh" in t.lead_units]
    assert guard[0].coordinating_units == ["Sở Ngoại vụ", "Các cơ quan đại diện"]


# -- small plans built here --------------------------------------------------------------------------------

SMALL_PLAN = """KẾ HOẠCH
THÔNG TIN ĐỐI NGOẠI TỈNH TUYÊN QUANG NĂM 2022
I. MỤC TIÊU, YÊU CẦU
- Nâng cao hiệu quả công tác thông tin đối ngoại.
II. NỘI DUNG
1. Tập huấn, bồi dưỡng nghiệp vụ
- Thời gian: Quý III/2022.
- Đơn vị chủ trì: Sở Thông tin và Truyền thông.
- Đơn vị phối hợp: Sở Văn hóa, Thể thao và Du lịch, các cơ quan, đơn vị có liên quan.
2. Quảng bá hình ảnh
a) Xuất bản ấn phẩm bằng tiếng Anh.
- Thời gian: Thường xuyên.
- Đơn vị chủ trì: Sở Ngoại vụ.
III. KINH PHÍ
Ngân sách tỉnh.
"""


def test_small_plan() -> None:
    plan = parse_plan(SMALL_PLAN)
    assert [(t.code, t.due_kind) for t in plan.tasks] == [
        ("II.1", DueKind.QUARTER),
        ("II.2.a", DueKind.RECURRING),
    ]
    training = plan.tasks[0]
    assert training.title == "Tập huấn, bồi dưỡng nghiệp vụ"  # the heading is the task
    assert training.section_title == "Nội dung"
    assert training.coordinating_units == [
        "Sở Văn hóa, Thể thao và Du lịch",
        "Các cơ quan, đơn vị có liên quan",
    ]
    assert plan.tasks[1].section_title == "Quảng bá hình ảnh"


def test_nfd_text_reads_like_nfc() -> None:
    nfd = parse_plan(unicodedata.normalize("NFD", SMALL_PLAN))
    nfc = parse_plan(SMALL_PLAN)
    assert [(t.code, t.title, t.lead_units, t.due_date) for t in nfd.tasks] == [
        (t.code, t.title, t.lead_units, t.due_date) for t in nfc.tasks
    ]
    assert nfd.tasks[0].lead_units == [SO_TTTT]


def test_year_and_province_from_arguments() -> None:
    text = SMALL_PLAN.replace("TỈNH TUYÊN QUANG NĂM 2022", "")
    with pytest.raises(PlanError, match="tỉnh"):
        parse_plan(text)
    plan = parse_plan(text, province="Hà Giang", year=2021)
    assert (plan.year, plan.province_legacy, plan.province) == (2021, "Hà Giang", "Tuyên Quang")
    assert plan.tasks[0].due_date == date(2022, 9, 30)  # "Quý III/2022" names its year
    other = parse_plan(SMALL_PLAN, year=2021)
    assert other.year == 2022 and any("khác năm đã chọn" in w for w in other.warnings)


def test_text_without_tasks_is_refused_with_a_hint() -> None:
    text = "KẾ HOẠCH\nTHÔNG TIN ĐỐI NGOẠI TỈNH THÁI BÌNH NĂM 2019\nI. MỤC TIÊU\n- Nâng cao nhận thức.\nII. KINH PHÍ\n"
    with pytest.raises(PlanError, match="Không tìm thấy nhiệm vụ nào trong văn bản") as refused:
        parse_plan(text)
    assert "PHÂN CÔNG NHIỆM VỤ" in str(refused.value)


def make_docx() -> bytes:
    """A plan as Word writes it: header table, paragraphs, a task table in the middle, more paragraphs."""
    doc = Document()
    header = doc.add_table(rows=1, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH TUYÊN QUANG\nSố: 15/KH-UBND"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTuyên Quang, ngày 08 tháng 3 năm 2022"
    for text in ("KẾ HOẠCH", "Thông tin đối ngoại năm 2022", "I. MỤC ĐÍCH, YÊU CẦU", "- Nâng cao hiệu quả."):
        doc.add_paragraph(text)
    doc.add_paragraph("II. NHIỆM VỤ CỤ THỂ")
    rows = [
        ("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"),
        ("1", "Xây dựng văn bản chỉ đạo", "", "", ""),
        ("a", "Ban hành Quy chế thông tin đối ngoại", SO_TTTT, "Sở Ngoại vụ\nCông an tỉnh", "Quý II/2022"),
        ("2", "Quảng bá hình ảnh tỉnh trên báo chí nước ngoài", "Báo Tuyên Quang", "", "Thường xuyên"),
    ]
    table = doc.add_table(rows=len(rows), cols=5)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    for text in (
        "III. TỔ CHỨC THỰC HIỆN",
        "Văn phòng UBND tỉnh:",
        "- Theo dõi, đôn đốc việc thực hiện Kế hoạch.",
    ):
        doc.add_paragraph(text)
    doc.add_paragraph("Các cơ quan, đơn vị báo cáo kết quả thực hiện trước ngày 30/11/2022.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_docx_paragraphs_and_tables_in_document_order() -> None:
    text = read_plan_text(make_docx(), "ke_hoach.docx")
    lines = text.splitlines()
    assert lines[:3] == ["ỦY BAN NHÂN DÂN", "TỈNH TUYÊN QUANG", "Số: 15/KH-UBND"]
    assert lines.index("II. NHIỆM VỤ CỤ THỂ") < lines.index("1\tXây dựng văn bản chỉ đạo\t\t\t")
    assert lines.index("1\tXây dựng văn bản chỉ đạo\t\t\t") < lines.index("III. TỔ CHỨC THỰC HIỆN")
    plan = parse_plan(text)
    assert (plan.number, plan.issued_on, plan.province_legacy, plan.year) == (
        "15/KH-UBND",
        date(2022, 3, 8),
        "Tuyên Quang",
        2022,
    )
    assert [(t.code, t.lead_units) for t in plan.tasks] == [
        ("II.1.a", [SO_TTTT]),
        ("II.2", ["Báo Tuyên Quang"]),
        ("III.1.1", ["Văn phòng UBND tỉnh"]),
    ]
    assert plan.tasks[0].coordinating_units == ["Sở Ngoại vụ", "Công an tỉnh"]
    assert plan.tasks[0].due_date == date(2022, 6, 30)
    assert plan.report_deadlines == ["trước ngày 30/11/2022"]


def test_text_encodings() -> None:
    assert read_plan_text("Kế hoạch\r\nNăm 2022".encode("utf-8-sig"), "a.txt") == "Kế hoạch\nNăm 2022"
    cp1258 = "Kê\u0301 hoa\u0323ch".encode("cp1258")  # Windows-1258 writes tone marks as combining characters
    assert read_plan_text(cp1258, "b.TXT") == "Kế hoạch"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4", "ke_hoach.pdf", "chưa được hỗ trợ"),
        (b"abc", "ke_hoach.xlsx", "Chỉ đọc được kế hoạch dạng .docx"),
        (b"not a zip", "ke_hoach.docx", "không phải là tệp Word .docx hợp lệ"),
        (b"  \n ", "ke_hoach.txt", "không có nội dung"),
    ],
)
def test_unreadable_files_are_refused_in_vietnamese(data: bytes, name: str, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        read_plan_text(data, name)


def test_unit_lists_and_groups() -> None:
    assert split_unit_list("Sở Kế hoạch và Đầu tư; Sở Ngoại vụ; Sở Văn hóa, Thể thao và Du lịch.") == [
        "Sở Kế hoạch và Đầu tư",
        "Sở Ngoại vụ",
        "Sở Văn hóa, Thể thao và Du lịch",
    ]
    assert split_unit_list(
        "Công an tỉnh, các cơ quan báo chí của tỉnh và các cơ quan, đơn vị có liên quan"
    ) == [
        "Công an tỉnh",
        "Các cơ quan báo chí của tỉnh",
        "Các cơ quan, đơn vị có liên quan",
    ]
    groups = ["Các sở, ban, ngành", "UBND các huyện, thành phố", "Các cơ quan, đơn vị có liên quan"]
    assert all(is_group_unit(name) for name in groups)
    assert not any(is_group_unit(name) for name in ("Sở Văn hóa, Thể thao và Du lịch", "Công an tỉnh"))


@pytest.mark.parametrize(
    "module",
    [etl.plans.document, etl.plans.identity, etl.plans.lines, etl.plans.model, etl.plans.parse, etl.plans.table,
     etl.plans.units],
)  # fmt: skip
def test_docstring_examples(module) -> None:
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0
