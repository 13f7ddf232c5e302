"""Read a plan's text into a ``Plan``: its sections and its tasks with units and deadlines.

Two layouts are read, as the real plans write them:

- by topic (seed 003): "II. NỘI DUNG" → "4. Các hoạt động thông tin đối ngoại cụ thể" → "a) …", each
  task followed by "- Thời gian:", "- Đơn vị chủ trì thực hiện:", "- Đơn vị phối hợp:" lines; a numbered
  heading without sub-tasks is itself a task ("II.3"), its paragraphs being the task text; "-" bullets
  under a heading are tasks numbered in order ("II.1.1", "II.1.2" …);
- by unit (seed 004 "III. PHÂN CÔNG NHIỆM VỤ", seed 003 "IV. TỔ CHỨC THỰC HIỆN"): a unit heading
  ("1. Phòng Văn hóa và Thông tin", "Văn phòng UBND tỉnh:") is the lead unit of each bullet under it;
  "2. Sở Tài chính: Bố trí …" and "3. Các sở, ban, ngành … phối hợp với … triển khai …" are tasks led by
  the units they open with.

``section_title`` is the numbered (level-2) heading a task is listed under, the group title the report
spreadsheets use; the roman (level-1) title, in sentence case, when that heading only names the unit
or is itself the task. Sections without tasks (MỤC TIÊU, YÊU CẦU, KINH PHÍ …) and everything from
"Trên đây là Kế hoạch" / "Nơi nhận" on are skipped. Text without this structure (a news summary) is
read by ``etl.plans.news``; text with neither gives a ``PlanError``.
"""

from __future__ import annotations

from etl.errors import PlanError
from etl.plans.document import read_plan_text
from etl.plans.draft import task_warnings
from etl.plans.identity import read_identity
from etl.plans.lines import classify_line
from etl.plans.model import Plan
from etl.plans.news import read_news_tasks
from etl.plans.structure import StructureReader

__all__ = ["parse_plan", "read_plan_text"]

NO_TASK_HINT = (
    "Không tìm thấy nhiệm vụ nào trong văn bản. Kế hoạch cần có các mục La Mã (I., II., …) với nhiệm vụ "
    "đánh số “1.”, “2.” hoặc “a)”, “b)”, kèm các dòng “- Thời gian:”, “- Đơn vị chủ trì thực hiện:”, "
    "“- Đơn vị phối hợp:”; hoặc một mục “PHÂN CÔNG NHIỆM VỤ” ghi tên từng đơn vị và các nhiệm vụ "
    "gạch đầu dòng của đơn vị đó."
)


def parse_plan(text: str, province: str | None = None, year: int | None = None) -> Plan:
    """A plan from its text; ``province`` and ``year`` are used when the text does not say them.

    >>> plan = parse_plan("KẾ HOẠCH\\nTHÔNG TIN ĐỐI NGOẠI TỈNH THÁI BÌNH NĂM 2019\\nI. NỘI DUNG\\n"
    ...                   "1. Tập huấn nghiệp vụ\\n- Thời gian: Tháng 7 năm 2019.\\n- Đơn vị chủ trì: Sở Ngoại vụ.")
    >>> [(t.code, t.lead_units, t.due_date) for t in plan.tasks]
    [('I.1', ['Sở Ngoại vụ'], datetime.date(2019, 7, 31))]
    """
    lines = [line for no, raw in enumerate(text.splitlines(), 1) if (line := classify_line(no, raw))]
    if not lines:
        raise PlanError("Văn bản trống: không có nội dung kế hoạch.")
    reader = StructureReader()
    reader.read(lines)
    drafts, sections, warnings = reader.drafts, reader.sections, reader.warnings
    if not drafts:
        drafts, news_warnings = read_news_tasks(lines)
        sections, warnings = [], [*warnings, *news_warnings]
    if not drafts:
        raise PlanError(NO_TASK_HINT)
    ident = read_identity([line.text for line in lines], province, year)  # tasks first: the clearer refusal
    if ident.province is None or ident.year is None:  # read_identity raises first; kept for the type checker
        raise PlanError("Không xác định được tỉnh hoặc năm của kế hoạch.")
    tasks = [draft.finish(ident.year) for draft in drafts]
    warnings = [*ident.warnings, *warnings]
    return Plan(
        title=ident.title,
        number=ident.number,
        issued_on=ident.issued_on,
        province_legacy=ident.province.legacy_name,
        province=ident.province.name,
        year=ident.year,
        sections=sections,
        tasks=tasks,
        report_deadlines=reader.report_deadlines,
        warnings=warnings + task_warnings(tasks),
    )
