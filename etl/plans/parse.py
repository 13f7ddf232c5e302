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
from etl.plans.draft import TaskDraft, task_warnings
from etl.plans.identity import read_identity, report_deadline, sentence_case
from etl.plans.lines import Line, LineKind, SectionKind, classify_line, continues, section_kind
from etl.plans.model import Plan
from etl.plans.news import read_news_tasks
from etl.plans.units import leading_units, looks_like_unit
from etl.text import nfc

__all__ = ["parse_plan", "read_plan_text"]

NO_TASK_HINT = (
    "Không tìm thấy nhiệm vụ nào trong văn bản. Kế hoạch cần có các mục La Mã (I., II., …) với nhiệm vụ "
    "đánh số “1.”, “2.” hoặc “a)”, “b)”, kèm các dòng “- Thời gian:”, “- Đơn vị chủ trì thực hiện:”, "
    "“- Đơn vị phối hợp:”; hoặc một mục “PHÂN CÔNG NHIỆM VỤ” ghi tên từng đơn vị và các nhiệm vụ "
    "gạch đầu dòng của đơn vị đó."
)


class _Group:
    """A numbered heading ("4. Các hoạt động …" or the unit heading "2. Phòng Văn hóa và Thông tin")."""

    def __init__(self, code: str, heading: str, units: list[str] | None = None):
        self.code, self.heading, self.units = code, heading, units or []
        self.labelled = False  # has a) b) sub-tasks
        self.bullets = 0
        self.task: TaskDraft | None = None  # the heading's own task, from its paragraphs


class _StructureReader:
    """Feeds the lines of a plan one by one and collects task drafts."""

    def __init__(self) -> None:
        self.sections: list[tuple[str, str]] = []
        self.drafts: list[TaskDraft] = []
        self.report_deadlines: list[str] = []
        self.warnings: list[str] = []
        self.roman, self.level1, self.kind = "", "", SectionKind.SKIP
        self.count = 0  # tasks numbered in order directly under the roman section
        self.group: _Group | None = None
        self.current: TaskDraft | None = None
        self.awaiting: list[TaskDraft] = []  # tasks the next field lines apply to
        self.after_field = False
        self.previous: Line | None = None

    def read(self, lines: list[Line]) -> None:
        for line in lines:
            if line.kind is LineKind.STOP:
                return
            self._report(line)
            if line.kind is LineKind.ROMAN:
                self._roman(line)
            elif self.kind is not SectionKind.SKIP:
                self._dispatch(line)
            self.previous = line

    def _dispatch(self, line: Line) -> None:
        handler = {
            LineKind.NUMBER: self._number,
            LineKind.DECIMAL: self._decimal,
            LineKind.LETTER: self._letter,
            LineKind.BULLET: self._bullet,
            LineKind.TEXT: self._text,
        }.get(line.kind, self._field)
        handler(line)

    def _report(self, line: Line) -> None:
        found = report_deadline(line.text, anywhere=self.kind is SectionKind.SKIP)
        if found and found not in self.report_deadlines:
            self.report_deadlines.append(found)

    # -- headings -------------------------------------------------------------------------------
    def _roman(self, line: Line) -> None:
        self._close_group()
        self.roman, self.level1, self.kind, self.count = line.label, line.rest, section_kind(line.rest), 0
        if self.kind is not SectionKind.SKIP:
            self.sections.append((line.label, nfc(line.rest)))

    def _number(self, line: Line) -> None:
        self._close_group()
        code = f"{self.roman}.{line.label}"
        if self.kind is SectionKind.ASSIGN:
            units, rest, colon = _unit_heading(line.rest)
            if units and rest:  # "2. Sở Tài chính: Bố trí …" is a task, not a heading
                title = rest if colon else line.rest
                self._start(TaskDraft(code, [title], self._level1(), line.no, group_lead=units))
                self.group = _Group(code, line.rest, units)
                self.group.task = self.current
                return
            if units:
                self.sections.append((code, line.rest))
                self.group = _Group(code, line.rest, units)
                return
        self.sections.append((code, line.rest))
        self.group = _Group(code, line.rest)

    def _decimal(self, line: Line) -> None:
        if self.group is None or self.group.code != f"{self.roman}.{line.label}":
            self._close_group()
            self.group = _Group(f"{self.roman}.{line.label}", "")
        self.group.labelled = True
        code = f"{self.group.code}.{line.sub}"
        self._start(TaskDraft(code, [line.rest], self._group_title(), line.no, group_lead=self.group.units))

    def _letter(self, line: Line) -> None:
        if self.group is None:
            self.group = _Group(self.roman, "")
        self.group.labelled = True
        code = f"{self.group.code}.{line.label}"
        self._start(TaskDraft(code, [line.rest], self._group_title(), line.no, group_lead=self.group.units))

    # -- bullets and text -------------------------------------------------------------------------
    def _bullet(self, line: Line) -> None:
        group = self.group
        if group is None:
            self._loose_task(line, line.rest)
        elif group.labelled or (self.current is not None and self.current.has_fields):
            self._append(line, f"- {line.rest}")
        else:
            if group.task is not None and group.task is self.current and not group.bullets:
                self._drop_intro(group)
            group.bullets += 1
            code = f"{group.code}.{group.bullets}"
            self._start(TaskDraft(code, [line.rest], self._group_title(), line.no, group_lead=group.units))

    def _text(self, line: Line) -> None:
        if report_deadline(line.text):
            self.current, self.awaiting = None, []  # a general report statement ends the task before it
            return
        if self._continue_field(line) or (self.current is not None and self._append(line, line.text)):
            return
        group = self.group
        if group is not None:
            title = self._group_title() if group.units else group.heading or self._level1()
            self._start(TaskDraft(group.code, [line.text], title, line.no, group_lead=group.units))
            group.task = self.current
        else:
            self._loose_task(line, line.text)

    def _loose_task(self, line: Line, text: str) -> None:
        """A bullet or paragraph directly under a roman section: a task numbered in order."""
        if self.current is not None and self.kind is SectionKind.CONTENT and line.kind is LineKind.TEXT:
            self._append(line, text)
            return
        units, rest, colon = _unit_heading(text)
        if self.kind is SectionKind.ASSIGN and not units:
            return
        self.count += 1
        title = rest if colon else text
        self._start(
            TaskDraft(f"{self.roman}.{self.count}", [title], self._level1(), line.no, group_lead=units)
        )

    def _append(self, line: Line, text: str) -> bool:
        current = self.current
        if current is None:
            return False
        if (
            self.previous is not None
            and self.previous.kind not in _FIELD_KINDS
            and continues(current.parts[-1], text)
        ):
            current.parts[-1] = f"{current.parts[-1]} {text}"
        else:
            current.parts.append(text)
        return True

    def _drop_intro(self, group: _Group) -> None:
        intro = group.task
        if intro is None:
            return
        self.drafts.remove(intro)
        self.awaiting = [d for d in self.awaiting if d is not intro]
        self.current, group.task = None, None
        if not intro.parts[-1].rstrip().endswith(":"):
            self.warnings.append(
                f"Đoạn mở đầu mục {group.code} không được tính là nhiệm vụ: “{intro.parts[0][:80]}”."
            )

    # -- field lines ------------------------------------------------------------------------------
    def _field(self, line: Line) -> None:
        targets = self.awaiting or ([self.current] if self.current else [])
        if not targets and self.group is not None:
            title = self.group.heading or self._level1()
            self._start(
                TaskDraft(self.group.code, [title], self._level1(), line.no, group_lead=self.group.units)
            )
            self.group.task = self.current
            targets = [self.current]
        if not targets:
            self.warnings.append(f"Dòng {line.no}: “{line.text[:60]}” không thuộc nhiệm vụ nào; bỏ qua.")
            return
        for draft in targets:
            draft.set_field(line.kind, line.rest)
        self.after_field = True

    def _continue_field(self, line: Line) -> bool:
        previous = self.previous
        if previous is None or previous.kind not in _FIELD_KINDS or not line.text[:1].islower():
            return False
        for draft in self.awaiting or ([self.current] if self.current else []):
            draft.extend_field(previous.kind, line.text)
        return True

    # -- state ------------------------------------------------------------------------------------
    def _start(self, draft: TaskDraft) -> None:
        draft.topic_from_section = self.kind is SectionKind.CONTENT
        self.drafts.append(draft)
        self.current = draft
        self.awaiting = [draft] if self.after_field else [*self.awaiting, draft]
        self.after_field = False

    def _close_group(self) -> None:
        self.group, self.current, self.awaiting, self.after_field = None, None, [], False

    def _level1(self) -> str:
        return sentence_case(self.level1)

    def _group_title(self) -> str:
        group = self.group
        if group is None or group.units or not group.heading:
            return self._level1()
        return group.heading


_FIELD_KINDS = (LineKind.TIME, LineKind.LEAD, LineKind.COORD)


def _unit_heading(text: str) -> tuple[list[str], str, bool]:
    """(units, rest, whether a colon separates them) for a line that opens with units, else ([], text, False)."""
    head, colon, tail = text.partition(":")
    if colon and looks_like_unit(head) and len(head) <= 160:
        units, _ = leading_units(head)
        return units, tail.strip(), True
    units, rest = leading_units(text)
    return units, (rest if units else text), False


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
    ident = read_identity([line.text for line in lines], province, year)
    reader = _StructureReader()
    reader.read(lines)
    drafts, sections, warnings = reader.drafts, reader.sections, [*ident.warnings, *reader.warnings]
    if not drafts:
        drafts, news_warnings = read_news_tasks(lines)
        sections, warnings = [], [*warnings, *news_warnings]
    if not drafts:
        raise PlanError(NO_TASK_HINT)
    tasks = [draft.finish(ident.year) for draft in drafts]
    assert ident.province is not None and ident.year is not None
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
