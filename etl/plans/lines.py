"""The kinds of line a plan is made of: headings (I., 1., a)), field lines, bullets, text, the end.

Field labels are matched on folded text, so "- Thời gian:", "- THOI GIAN:" and the NFD form are alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from etl.vocab.text import fold, nfc


class LineKind(StrEnum):
    ROMAN = "roman"  # I. MỤC TIÊU, YÊU CẦU
    NUMBER = "number"  # 1. Xây dựng văn bản …
    DECIMAL = "decimal"  # 1.2. Tổ chức …
    LETTER = "letter"  # a) Ban hành …
    TIME = "time"  # - Thời gian: Năm 2019.
    LEAD = "lead"  # - Đơn vị chủ trì thực hiện: …
    COORD = "coord"  # - Đơn vị phối hợp: …
    BULLET = "bullet"  # - Đẩy mạnh …
    STOP = "stop"  # Nơi nhận: / Trên đây là Kế hoạch …
    ROW = "row"  # a row of a task table (cells separated by tabs)
    TEXT = "text"


class SectionKind(StrEnum):
    CONTENT = "content"  # tasks listed by topic: NỘI DUNG, NHIỆM VỤ, CÁC HOẠT ĐỘNG …
    ASSIGN = "assign"  # tasks listed by unit: PHÂN CÔNG NHIỆM VỤ, TỔ CHỨC THỰC HIỆN
    SKIP = "skip"  # no tasks: MỤC TIÊU, YÊU CẦU, KINH PHÍ, CHẾ ĐỘ BÁO CÁO …


@dataclass(frozen=True)
class Line:
    """One non-empty line: its 1-based number in the text, its kind and its parts."""

    no: int
    text: str
    kind: LineKind
    label: str = ""  # roman numeral, task number or sub letter
    sub: str = ""  # decimal sub-number ("2" of "1.2.")
    rest: str = ""  # the text after the label or the field name
    cells: tuple[str, ...] = ()  # the cells of a table row


_ROMAN = re.compile(r"^(?P<label>[IVX]{1,4})\s*[.)/:–-]\s*(?P<rest>\S.*)$")
_DECIMAL = re.compile(r"^(?P<label>\d{1,2})\.(?P<sub>\d{1,2})\.?\s+(?P<rest>\S.*)$")
_NUMBER = re.compile(r"^(?P<label>\d{1,2})\s*[.)](?:\s+(?P<rest>\S.*))?$")
_LETTER = re.compile(r"^(?P<label>[a-zđ])\s*[).]\s+(?P<rest>\S.*)$")
_BULLET = re.compile(r"^[-–—+•*●·]\s*(?P<rest>\S.*)$")
_FIELD_PREFIX = r"^[^a-z0-9]{0,3}"
_FIELDS = (
    (LineKind.TIME, re.compile(_FIELD_PREFIX + r"(?:thoi gian|thoi han|tien do)[^:.,;]{0,25}:")),
    (LineKind.LEAD, re.compile(_FIELD_PREFIX + r"(?:(?:don vi|co quan) )?chu tri(?: thuc hien)?\s*:")),
    (LineKind.LEAD, re.compile(_FIELD_PREFIX + r"(?:don vi|co quan) thuc hien\s*:")),
    (LineKind.COORD, re.compile(_FIELD_PREFIX + r"(?:(?:don vi|co quan) )?phoi hop(?: thuc hien)?\s*:")),
)
_STOP = re.compile(
    r"^(?:noi nhan|tren day la (?:ke hoach|noi dung)|t\.?m\.? (?:uy ban|ubnd)|kt\.? chu tich)\b"
)

_SKIP_SECTION = re.compile(
    r"^(?:muc tieu|muc dich|yeu cau|quan diem|kinh phi|can cu|danh gia|ket qua|tinh hinh|che do bao cao|"
    r"bao cao|chi tieu|nguyen tac|doi tuong|pham vi|dac diem)"
)
_ASSIGN_SECTION = re.compile(r"phan cong|to chuc thuc hien|trach nhiem|giao nhiem vu")


def classify_line(no: int, raw: str) -> Line | None:
    """The kind of one line of a plan; None for a blank line.

    >>> classify_line(14, "a) Ban hành Quy chế quản lý nhà nước").kind
    <LineKind.LETTER: 'letter'>
    >>> classify_line(16, "- Đơn vị chủ trì thực hiện: Sở Thông tin và Truyền thông.").rest
    'Sở Thông tin và Truyền thông.'
    """
    if "\t" in raw.strip():
        cells = tuple(nfc(cell) for cell in raw.split("\t"))
        if sum(1 for cell in cells if cell) >= 2:
            return Line(no, " | ".join(c for c in cells if c), LineKind.ROW, cells=cells)
    text = nfc(raw)
    if not text:
        return None
    folded = fold(text)
    if _STOP.match(folded):
        return Line(no, text, LineKind.STOP)
    for kind, pattern in _FIELDS:
        if pattern.match(folded):
            return Line(no, text, kind, rest=text.split(":", 1)[1].strip())
    for kind, pattern in (
        (LineKind.ROMAN, _ROMAN),
        (LineKind.DECIMAL, _DECIMAL),
        (LineKind.NUMBER, _NUMBER),
        (LineKind.LETTER, _LETTER),
        (LineKind.BULLET, _BULLET),
    ):
        match = pattern.match(text)
        if match:
            groups = match.groupdict()
            return Line(
                no, text, kind, groups.get("label") or "", groups.get("sub") or "", groups.get("rest") or ""
            )
    return Line(no, text, LineKind.TEXT, rest=text)


def section_kind(title: str) -> SectionKind:
    """Whether a roman section lists tasks by topic, by unit, or none at all.

    >>> section_kind("PHÂN CÔNG NHIỆM VỤ"), section_kind("KINH PHÍ"), section_kind("NỘI DUNG")
    (<SectionKind.ASSIGN: 'assign'>, <SectionKind.SKIP: 'skip'>, <SectionKind.CONTENT: 'content'>)
    """
    folded = fold(title)
    if _ASSIGN_SECTION.search(folded):
        return SectionKind.ASSIGN
    if _SKIP_SECTION.match(folded):
        return SectionKind.SKIP
    return SectionKind.CONTENT


def continues(previous: str, text: str) -> bool:
    """Whether ``text`` carries on the sentence of ``previous`` (a line broken at a page end).

    >>> continues("xây dựng biên giới hòa bình, hữu", "nghị, hợp tác và phát triển")
    True
    """
    return bool(previous) and (text[:1].islower() or previous.rstrip()[-1:] not in ".;:!?…”\"')")
