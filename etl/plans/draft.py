"""A task as it is being read, and how it becomes a ``PlanTask``."""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.plans.identity import deadline_phrase
from etl.plans.lines import LineKind
from etl.plans.model import PlanTask
from etl.plans.units import leading_units, partner_units, split_unit_list
from etl.vocab.deadlines import Deadline, DueKind, InvalidDate, parse_deadline
from etl.vocab.text import key, nfc
from etl.vocab.topics import classify_topic


@dataclass
class TaskDraft:
    """The lines read so far for one task; ``group_lead`` is the unit of the heading it sits under."""

    code: str
    parts: list[str]
    section_title: str | None
    line_no: int
    group_lead: list[str] = field(default_factory=list)
    lead: str | None = None  # raw "Đơn vị chủ trì" value
    coord: str | None = None  # raw "Đơn vị phối hợp" value
    due: str | None = None  # raw "Thời gian" value
    topic_from_section: bool = True  # False where the section title names no topic ("Phân công nhiệm vụ")

    @property
    def has_fields(self) -> bool:
        return any(v is not None for v in (self.lead, self.coord, self.due))

    def set_field(self, kind: LineKind, value: str) -> None:
        """Record a field line; a second line of the same field is ignored."""
        name = _FIELD_NAMES[kind]
        if getattr(self, name) is None:
            setattr(self, name, value)

    def extend_field(self, kind: LineKind, text: str) -> None:
        """A field value broken over two lines."""
        name = _FIELD_NAMES[kind]
        setattr(self, name, f"{getattr(self, name) or ''} {text}".strip())

    def finish(self, year: int | None) -> PlanTask:
        """The task: units from the field lines, else the heading, else the sentence; its deadline."""
        title = "\n".join(nfc(p) for p in self.parts if p.strip()).strip()
        lead = split_unit_list(self.lead) if self.lead is not None else list(self.group_lead)
        if not lead:
            lead, _ = leading_units(self.parts[0] if self.parts else "")
        if self.coord is not None:
            coord = split_unit_list(self.coord)
        else:
            leads = {key(u) for u in lead}
            coord = [u for u in partner_units(title) if key(u) not in leads]
        due_text = nfc(self.due).rstrip(" .;") if self.due else deadline_phrase(title)
        try:
            deadline = parse_deadline(due_text, year) if due_text else None
        except InvalidDate:  # "31/02/2022": kept as written, reported as not understood
            deadline = Deadline(due_text, DueKind.UNPARSED, None)
        return PlanTask(
            code=self.code,
            title=title,
            section_title=self.section_title,
            topic=classify_topic(title, self.section_title if self.topic_from_section else None),
            lead_units=lead,
            coordinating_units=coord,
            due_text=due_text or None,
            due_kind=deadline.kind if deadline else DueKind.UNPARSED,
            due_date=deadline.due_date if deadline else None,
            source_line=self.line_no,
        )


_FIELD_NAMES = {LineKind.TIME: "due", LineKind.LEAD: "lead", LineKind.COORD: "coord"}


def task_warnings(tasks: list[PlanTask]) -> list[str]:
    """One warning per unreadable deadline; one listing the tasks without lead unit, one without deadline."""

    def listed(codes: list[str]) -> str:
        return ", ".join(codes[:12]) + (f" và {len(codes) - 12} nhiệm vụ khác" if len(codes) > 12 else "")

    warnings = [
        f"Nhiệm vụ {t.code}: không hiểu thời hạn “{t.due_text}”; giữ nguyên văn bản."
        for t in tasks
        if t.due_text and t.due_kind is DueKind.UNPARSED
    ]
    no_lead = [t.code for t in tasks if not t.lead_units]
    if no_lead:
        warnings.append(f"{len(no_lead)} nhiệm vụ không ghi đơn vị chủ trì: {listed(no_lead)}.")
    no_due = [t.code for t in tasks if not t.due_text]
    if no_due:
        warnings.append(f"{len(no_due)} nhiệm vụ không ghi thời hạn: {listed(no_due)}.")
    return warnings
