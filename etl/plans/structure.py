"""The state machine that reads a structured plan line by line into task drafts.

See ``etl.plans.parse`` for the layouts it reads and how ``section_title`` is chosen.
"""

from __future__ import annotations

from etl.plans.draft import TaskDraft
from etl.plans.identity import report_deadline, sentence_case
from etl.plans.lines import Line, LineKind, SectionKind, continues, section_kind
from etl.plans.table import RowValues, TableColumns
from etl.plans.units import is_group_unit, leading_units, unit_heading
from etl.vocab.text import nfc


class _Group:
    """A numbered heading ("4. Các hoạt động …" or the unit heading "2. Phòng Văn hóa và Thông tin")."""

    def __init__(self, code: str, heading: str, units: list[str] | None = None):
        self.code, self.heading, self.units = code, heading, units or []
        self.labelled = False  # has a) b) sub-tasks
        self.bullets = 0
        self.task: TaskDraft | None = None  # the heading's own task, from its paragraphs


class StructureReader:
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
        self.columns: TableColumns | None = None  # inside a task table

    def read(self, lines: list[Line]) -> None:
        for line in lines:
            if line.kind is LineKind.STOP:
                return
            if self._report(line) and line.kind is LineKind.TEXT:
                self.current, self.awaiting = None, []  # a general report statement ends the task before it
            elif line.kind is LineKind.ROMAN:
                self._roman(line)
            elif line.kind is LineKind.ROW:
                self._row(line)
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

    def _report(self, line: Line) -> bool:
        """Record the report deadline a line states; True when the line is a report statement.

        A statement opens with "Báo cáo" / "Định kỳ", or with group units ("Các cơ quan, đơn vị báo cáo
        kết quả … trước ngày 30/11/2022"); in a section without tasks any "báo cáo … trước ngày" counts.
        """
        found = report_deadline(line.text, anywhere=self.kind is SectionKind.SKIP)
        if found is None and report_deadline(line.text, anywhere=True):
            units, _ = leading_units(line.text)
            found = (
                report_deadline(line.text, anywhere=True)
                if units and all(map(is_group_unit, units))
                else None
            )
        if found and found not in self.report_deadlines:
            self.report_deadlines.append(found)
        return found is not None

    # -- headings -------------------------------------------------------------------------------
    def _roman(self, line: Line) -> None:
        self._close_group()
        self.roman, self.level1, self.kind, self.count = line.label, line.rest, section_kind(line.rest), 0
        if self.kind is not SectionKind.SKIP:
            self.sections.append((line.label, nfc(line.rest)))

    def _number(self, line: Line) -> None:
        self._close_group()
        code = code_of(self.roman, line.label)
        if self.kind is SectionKind.ASSIGN:
            units, rest, colon = unit_heading(line.rest)
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
        if self.group is None or self.group.code != code_of(self.roman, line.label):
            self._close_group()
            self.group = _Group(code_of(self.roman, line.label), "")
        self.group.labelled = True
        code = code_of(self.group.code, line.sub)
        self._start(TaskDraft(code, [line.rest], self._group_title(), line.no, group_lead=self.group.units))

    def _letter(self, line: Line) -> None:
        if self.group is None:
            self.group = _Group(self.roman, "")
        self.group.labelled = True
        code = code_of(self.group.code, line.label)
        self._start(TaskDraft(code, [line.rest], self._group_title(), line.no, group_lead=self.group.units))

    def _row(self, line: Line) -> None:
        """A row of a task table: its header, a section, a group heading, a task or a sub-task."""
        header = TableColumns.from_header(line.cells)
        if header is not None:
            self.columns = header
            if self.kind is SectionKind.SKIP:
                self.kind = SectionKind.CONTENT
            return
        row = self.columns.values(line.cells) if self.columns else None
        if row is None or not row.title:
            return
        if row.label_kind == "roman":
            self._roman(Line(line.no, row.title, LineKind.ROMAN, row.label, rest=row.title))
        elif self.kind is SectionKind.SKIP:
            return
        elif row.label_kind == "number" and not row.has_fields:
            self._number(Line(line.no, row.title, LineKind.NUMBER, row.label, rest=row.title))
        else:
            self._row_task(line, row)

    def _row_task(self, line: Line, row: RowValues) -> None:
        if row.label_kind == "number":
            self._close_group()
            self.group = _Group(code_of(self.roman, row.label), "")
            code = self.group.code
        else:
            self.group = self.group or _Group(self.roman, "")
            if row.label_kind != "letter":
                self.group.bullets += 1
            code = code_of(
                self.group.code, row.label if row.label_kind == "letter" else str(self.group.bullets)
            )
        self._start(TaskDraft(code, [row.title], self._group_title(), line.no, group_lead=self.group.units))
        for kind, value in ((LineKind.LEAD, row.lead), (LineKind.COORD, row.coord), (LineKind.TIME, row.due)):
            if value and self.current is not None:
                self.current.set_field(kind, value)

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
            code = code_of(group.code, str(group.bullets))
            self._start(TaskDraft(code, [line.rest], self._group_title(), line.no, group_lead=group.units))

    def _text(self, line: Line) -> None:
        if self.kind is SectionKind.ASSIGN and unit_heading(line.text)[2]:
            self._close_group()  # "Văn phòng UBND tỉnh:" or "Sở Tài chính: …" starts a unit of its own
            self._loose_task(line, line.text)
            return
        if self._continue_field(line) or self._append(line, line.text):
            return
        group = self.group
        if group is not None:
            title = self._group_title() if group.units else group.heading or self._level1()
            self._start(TaskDraft(group.code, [line.text], title, line.no, group_lead=group.units))
            group.task = self.current
        else:
            self._loose_task(line, line.text)

    def _loose_task(self, line: Line, text: str) -> None:
        """A bullet or paragraph directly under a roman section: a task, or a unit heading, numbered in order."""
        units, rest, colon = unit_heading(text)
        if self.kind is SectionKind.ASSIGN and not units:
            return
        self.count += 1
        code = code_of(self.roman, str(self.count))
        if units and colon and not rest:  # "Văn phòng UBND tỉnh:" heads the bullets below it
            self.sections.append((code, text.rstrip(" :")))
            self.group = _Group(code, text.rstrip(" :"), units)
            return
        self._start(TaskDraft(code, [rest if colon else text], self._level1(), line.no, group_lead=units))

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


def code_of(*parts: str) -> str:
    """A task code from its parts, leaving out an empty roman part ("" + "1" → "1")."""
    return ".".join(p for p in parts if p)
