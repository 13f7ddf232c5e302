"""Plans whose tasks are a table (STT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian).

A .docx table of three columns or more reaches the parser as tab-separated rows; a header row naming
the task and the lead unit or the deadline starts the table, and each later row is a section (roman
STT), a group or task (number) or a sub-task (letter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.vocab.text import key

_ROMAN = re.compile(r"^[IVXL]+$")


@dataclass(frozen=True)
class RowValues:
    """The cells of one task-table row, by meaning."""

    stt: str
    title: str
    lead: str
    coord: str
    due: str

    @property
    def has_fields(self) -> bool:
        return bool(self.lead or self.coord or self.due)

    @property
    def label_kind(self) -> str:
        """ "roman", "number", "letter" or "" for the STT cell ("II", "3", "a)")."""
        label = self.label
        if _ROMAN.match(label):
            return "roman"
        if label.isdigit():
            return "number"
        return "letter" if re.fullmatch(r"[a-zđ]", label) else ""

    @property
    def label(self) -> str:
        return self.stt.strip().rstrip(".)").strip()


@dataclass(frozen=True)
class TableColumns:
    """Which cell holds what, found from the header row."""

    stt: int | None
    title: int
    lead: int | None
    coord: int | None
    due: int | None

    @classmethod
    def from_header(cls, cells: tuple[str, ...]) -> TableColumns | None:
        """The columns of a header row; None when the row is not a task-table header.

        >>> TableColumns.from_header(("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"))
        TableColumns(stt=0, title=1, lead=2, coord=3, due=4)
        """
        keys = [key(c) for c in cells]

        def find(*words: str) -> int | None:
            return next((i for i, k in enumerate(keys) if any(w in k for w in words)), None)

        title = find("noi dung", "nhiem vu", "ten hoat dong", "hoat dong")
        lead, due = find("chu tri"), find("thoi gian", "thoi han", "tien do")
        if title is None or (lead is None and due is None) or title in (lead, due):
            return None
        stt = next((i for i, k in enumerate(keys) if k in ("stt", "tt", "so tt", "so thu tu")), None)
        return cls(stt, title, lead, find("phoi hop"), due)

    def values(self, cells: tuple[str, ...]) -> RowValues:
        def cell(index: int | None) -> str:
            return cells[index].strip() if index is not None and index < len(cells) else ""

        return RowValues(cell(self.stt), cell(self.title), cell(self.lead), cell(self.coord), cell(self.due))
