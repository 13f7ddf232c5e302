"""What a row under the header is, read from the row alone: its STT label, a signature row that ends the
table, a section title, a task, a row of column numbers or a total line; and the code a task takes.

Row kinds: section rows (roman numerals, "PHẦN I") give the tasks' section title; numbered rows ("1",
"2.", "1.2", "a", "(b)") are tasks or parents of lettered sub-tasks; a row whose first cell opens with a
signature word ("Người lập biểu", "THỦ TRƯỞNG ĐƠN VỊ"…) ends the table unless it is numbered or reports
progress. ``etl.ingest.parse`` reads the rows in order with these.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from etl.ingest.header import Field, Header
from etl.vocab.status import BadPercent, UnknownStatus, is_mark, parse_percent, parse_status
from etl.vocab.text import cell_text, fold

_ROMAN = re.compile(r"^(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_SUB = re.compile(r"^\(?([a-zđ])\s*[\).]?$")
_DECIMAL = re.compile(r"^(\d+)\.(\d+)(?:\.\d+)*\.?$")
_NUMBER = re.compile(r"^(\d+)\s*[\.\)]?$")
_LABEL_IN_TEXT = re.compile(r"^\s*(?:([a-zđ])\s*\)|(\d{1,2}\.\d{1,2})[.)]?)\s+")
_ROMAN_IN_TEXT = re.compile(r"^\s*(?:PHẦN\s+)?([IVXLC]+)\s*[\.\-–:]\s+")
_NUMBERING = re.compile(r"^[\dIVXLC]+[\d.)]*$")
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?$")
# A total / summary line ("TỔNG CỘNG", "Cộng:", "Tổng số nhiệm vụ: 20"), on folded text.
# A summary line of a consolidated report ("Cộng toàn tỉnh", "Toàn tỉnh", "Tỷ lệ hoàn thành (%)", "Tổng hợp
# chung"): the words alone, or before a colon, a bracket or a number.
_TOTAL = re.compile(
    r"^(?:tong cong\b|(?:tong so|cong|tong)(?=\s*[:(\-]|\s*$|\s+\d|\s+nhiem vu)"
    r"|(?:(?:cong|tong) )?(?:toan tinh|ty le hoan thanh|tong hop chung)(?=\s*[:(\-]|\s*$|\s+\d))"
)

FOOTER = (
    "nguoi lap bieu",
    "nguoi lap",
    "thu truong",
    "ky ten",
    "ky, ghi ro",
    "(ky,",  # "(Ký, ghi rõ họ tên)", "(ký tên, đóng dấu)", not "(Kỳ trước chuyển sang)"
    "(ky)",
    "(ky ten",
    "(ky va",
    "(ky ghi",
    "(ky duyet",
    "(ky ho ten",
    "giam doc",
    "noi nhan",
    "tm. uy ban",
    "tm uy ban",
    "kt. giam doc",
    "xac nhan cua",
    "lanh dao don vi",
    "chu tich",
)
_FOOTER_FIRST = frozenset(word[0] for word in FOOTER)
_BULLETS = frozenset("-+*•–—")

# The first characters (ASCII, or Latin letters Vietnamese ones included) whose folded form starts with
# a letter no footer word starts with.
_CANNOT_OPEN = frozenset(
    char
    for char in (*map(chr, range(128)), *(chr(c) for c in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00))))
    if (folded := char if char.isascii() else fold(char)) and folded[0].lower() not in _FOOTER_FIRST
)

PROGRESS_FIELDS = (
    Field.LEAD,
    Field.COORD,
    Field.DUE,
    Field.RESULT,
    Field.PERCENT,
    Field.STATUS,
    Field.COMPLETED,
    Field.EXTENSION,
    Field.DIFFICULTIES,
    Field.PROPOSALS,
)


@dataclass
class Row:
    index: int  # 0-based
    kind: str  # section | number | sub | plain
    stt: str | None
    label: str | None  # roman / number / sub label
    title: str
    lone: bool = False  # the row's only cell (a section title merged across the table)


Label = tuple[str, str]  # a row's kind and label as its STT cell gives them: ("number", "2"), ("sub", "b")


def value_at(row: list[object], col: int | None) -> object:
    return row[col] if col is not None and col < len(row) else None


def has_progress(row: list[object], header: Header) -> bool:
    cols = [header.columns[f] for f in PROGRESS_FIELDS if f in header.columns] + list(header.marks)
    return any(cell_text(value_at(row, c)) for c in cols)


_NOTE_HEADING = re.compile(r"^[(*\s)]*(?:ghi chu|luu y|chu thich|chu y)\b")


def opens_notes(title: str) -> bool:
    """A line opening notes under or inside the table ("Ghi chú: …", "* Lưu ý:", "(*) Chú thích")."""
    return _NOTE_HEADING.match(fold(title[:24])) is not None


def is_bullet_line(title: str) -> bool:
    """A line written as a bullet point ("- Số liệu tính đến …")."""
    return title[:1] in _BULLETS


def is_footer(row: list[object]) -> bool:
    """A signature row: a short text starting with a footer word ("Người lập biểu", "THỦ TRƯỞNG …")."""
    for value in row:
        if not isinstance(value, str) or len(value) >= 80:
            continue
        first = value[:1]
        if first.isspace():
            first = value.lstrip()[:1]
        # a text whose first letter (ASCII or Latin) folds to a letter no footer word starts with is
        # not folded: most cells of a task row
        if first not in _CANNOT_OPEN and fold(value).lstrip().startswith(FOOTER):
            return True
    return False


def stt_cell(row: list[object], header: Header) -> tuple[str, Label | None]:
    """The text of the row's STT cell and the kind and label it gives (``stt_label``), read once for
    both the footer test and the row's kind."""
    stt = cell_text(value_at(row, header.columns.get(Field.STT)))
    bare = stt.strip().rstrip(".")
    return stt, (stt_label(bare) if bare else None)


def is_numbered(row: list[object], header: Header) -> bool:
    """Whether the row's STT cell numbers a task or a section: 1, 2., 1.1, a, (b), II."""
    return stt_cell(row, header)[1] is not None


def numbered_or_bulleted(stt: str, label: Label | None) -> bool:
    """A row numbered in its STT cell, or bulleted ("-", "+", "*", "•"): a signature row is neither."""
    return label is not None or stt.strip().rstrip(".") in _BULLETS


def stt_label(bare: str) -> Label | None:
    """The kind of row ("number", "sub", "section") and its label an STT cell gives, written without blanks
    around it or a dot after it: "1", "1.2", "b", "(c)", "II", "PHẦN III"; None for anything else."""
    if bare.isdecimal():  # "1", "12": most task rows, as _NUMBER reads them (\d is a decimal digit)
        return "number", bare
    if fold(bare).startswith(("phan ", "muc ")):  # "PHẦN I", "Mục II"
        bare = bare.split(None, 1)[1]
    if _ROMAN.match(bare.upper()) and bare.isupper():
        return "section", bare
    if m := _SUB.match(bare.lower() if len(bare) <= 3 else ""):
        return "sub", m.group(1)
    if m := _DECIMAL.match(bare):
        return "sub", f"{m.group(1)}.{m.group(2)}"
    if m := _NUMBER.match(bare):
        return "number", m.group(1)
    return None


def reports_progress(row: list[object], header: Header) -> bool:
    """Whether the row gives a percent, a status word or an x-mark: a row a footer word opens ("Chủ tịch
    UBND tỉnh chỉ đạo …", "Giám đốc Sở đã ký …") is a task then, as it is when its STT cell numbers it."""
    if any(col < len(row) and is_mark(row[col]) for col in header.marks):
        return True
    with contextlib.suppress(BadPercent):
        if parse_percent(value_at(row, header.columns.get(Field.PERCENT)), False) is not None:
            return True
    with contextlib.suppress(UnknownStatus):
        return parse_status(value_at(row, header.columns.get(Field.STATUS))) is not None
    return False


def _is_column_numbers(values: list[object]) -> bool:
    """A row numbering the columns under the header: 1, 2, 3 … or (1), (2) …"""
    if len(values) < 3:
        return False
    numbers = []
    for value in values:
        if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
            numbers.append(int(value))
        elif isinstance(value, str) and (m := _COLUMN_NUMBER.match(value.strip())):
            numbers.append(int(m[1]))
        else:
            return False
    return numbers == sorted(set(numbers))


def _section_cell(row: list[object], index: int) -> Row | None:
    """A section title written in one cell merged across the row ("I. QUÁN TRIỆT …"), wherever it sits."""
    values = [v for v in row if v is not None and v != ""]
    if len(values) == 1 and isinstance(values[0], str):
        text = cell_text(values[0])
        if (m := _ROMAN_IN_TEXT.match(text)) and _ROMAN.match(m.group(1)):
            return Row(index, "section", None, m.group(1), text[m.end() :], lone=True)
    return None


def _not_a_task(row: list[object], stt: str | None, title: str, header: Header) -> bool:
    """Column numbers under the header, the header repeated, or a total line ("TỔNG CỘNG … 5/20")."""
    if _COLUMN_NUMBER.match(title):
        return _is_column_numbers([v for v in row if v is not None and v != ""])
    if title == header.labels[header.columns[Field.TITLE]]:
        return True
    return title[:1] in "TtCc" and not (stt and _NUMBERING.match(stt)) and bool(_TOTAL.match(fold(title)))


def classify(
    row: list[object], index: int, header: Header, read: tuple[str, Label | None] | None = None
) -> Row | None:
    """The row's kind; ``read``: its STT cell as ``stt_cell`` read it, when the caller did."""
    text, label = read or stt_cell(row, header)
    stt = text or None
    title = cell_text(value_at(row, header.columns[Field.TITLE]))
    if not (stt and title) and (section := _section_cell(row, index)):
        return section
    if not title or _not_a_task(row, stt, title, header):
        return None
    if stt:
        kind, shown = label or ("plain", None)
        return Row(index, kind, stt, shown, _without_label(title, shown))
    if (m := _ROMAN_IN_TEXT.match(title)) and _ROMAN.match(m.group(1)):
        return Row(index, "section", None, m.group(1), title[m.end() :])
    if m := _LABEL_IN_TEXT.match(title):
        return Row(index, "sub", None, m.group(1) or m.group(2), title[m.end() :])
    return Row(index, "plain", stt, None, title)


def _without_label(title: str, label: str | None) -> str:
    """The title without the STT label written again at its start ("a) Xây dựng …" beside "a")."""
    if label and title[:1].lower() == label[:1].lower() and title[: len(label)].lower() == label.lower():
        rest = title[len(label) :]
        if rest[:1] in (")", ".", ":") and rest[1:2].isspace() and rest[2:].strip():
            return rest[2:].lstrip()
    return title


def is_part(item: Row, following: Row | None) -> bool:
    """A part heading over sections or numbered tasks ("A. NHIỆM VỤ THEO KẾ HOẠCH", "B. NHIỆM VỤ PHÁT
    SINH"): a capital letter in the STT cell with a section or a numbered task next, where sub-tasks
    lettered in capitals follow one another."""
    return (
        item.kind == "sub"
        and item.stt is not None
        and item.stt.strip().rstrip(".").isupper()
        and following is not None
        and following.kind in ("section", "number")
    )


def task_code(section: str | None, number: str | None, item: Row) -> str | None:
    parts: list[str] = [section] if section else []
    if item.kind == "number":
        parts.append(item.label or "")
    elif item.kind == "sub":
        label = item.label or ""
        if "." in label:
            parts.extend(label.split("."))
        else:
            parts.extend([p for p in (number, label) if p])
    else:
        return None
    return ".".join(parts) if parts else None
