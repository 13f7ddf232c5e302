"""What a plan document yields: the plan, its sections and its tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from etl.vocab.deadlines import DueKind


@dataclass
class PlanTask:
    """One task of a plan.

    ``code`` is section roman . task number . sub label ("II.4.đ"; "II.3" for a task without sub-tasks;
    "III.2.1" for the first bullet task under "2." when the plan lists tasks as "-" bullets; "1", "2" …
    for tasks read from a news summary, which has no sections).
    ``section_title`` is the group the task is listed under: the numbered (level-2) heading such as
    "Các hoạt động thông tin đối ngoại cụ thể"; the roman (level-1) title, in sentence case, when the
    task sits directly under it, when the numbered heading is the task itself, or when the heading only
    names the unit ("III. PHÂN CÔNG NHIỆM VỤ" → "1. Phòng Văn hóa và Thông tin").
    ``source_line`` is the 1-based line of the text where the task starts.
    """

    code: str
    title: str
    section_title: str | None
    topic: str
    lead_units: list[str] = field(default_factory=list)
    coordinating_units: list[str] = field(default_factory=list)
    due_text: str | None = None
    due_kind: DueKind = DueKind.UNPARSED
    due_date: date | None = None
    source_line: int = 0

    @property
    def stt(self) -> str:
        """The number printed in front of the task: "a)" for a sub-task, "2" for a task, "2.1" for a bullet task.

        >>> [PlanTask(c, "…", None, "Khác").stt for c in ("II.4.đ", "II.3", "III.2.1", "4")]
        ['đ)', '3', '2.1', '4']
        """
        parts = self.code.split(".")
        last = parts[-1]
        if not last.isdigit():
            return f"{last})"
        return f"{parts[-2]}.{last}" if len(parts) >= 3 else last


@dataclass
class Plan:
    """A plan: identity (title, number, date), where and when, its sections, tasks and warnings.

    ``province_legacy`` is the province as the plan names it, ``province`` the current (post-2025) one.
    ``sections`` lists (code, title) of the roman headings that hold tasks ("II", "NỘI DUNG") and of
    the numbered group headings ("II.4", "Các hoạt động thông tin đối ngoại cụ thể"), in document order.
    ``report_deadlines`` keeps the raw text of each report deadline the plan states ("trước ngày
    10/11/2022"). ``warnings`` are in Vietnamese, for the person importing the plan.
    """

    title: str
    number: str | None
    issued_on: date | None
    province_legacy: str
    province: str
    year: int
    sections: list[tuple[str, str]] = field(default_factory=list)
    tasks: list[PlanTask] = field(default_factory=list)
    report_deadlines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def section_title(self, code: str) -> str | None:
        """The title of a section by its code ("II" or "II.4"), None when unknown."""
        return next((title for c, title in self.sections if c == code), None)
