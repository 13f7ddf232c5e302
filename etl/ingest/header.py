"""Find the task table's header row and understand each column by meaning.

Headers are matched on their folded form (case, diacritics and Unicode form ignored,
punctuation dropped) against a synonym table. Two-row headers are read as
"parent child" per column, with merged parents spread over the columns they span;
child headers that are status words ("Đã hoàn thành | Đang thực hiện | Chưa thực hiện")
become x-mark status columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from etl.vocab.status import Status, UnknownStatus, may_be_status, parse_status, status_word
from etl.vocab.text import cell_text, key


class Field(StrEnum):
    STT = "stt"
    TITLE = "task_title"
    LEAD = "lead_units"
    COORD = "coordinating_units"
    DUE = "due"
    EXTENSION = "extension"
    RESULT = "result_text"
    PERCENT = "percent"
    STATUS = "status"
    COMPLETED = "completed_on"
    DIFFICULTIES = "difficulties"
    PROPOSALS = "proposals"
    NOTE = "note"


# Folded synonyms, most specific first within a field; matched as whole header or prefix.
SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.STT: ("stt", "tt", "so tt", "so thu tu", "thu tu"),
    Field.TITLE: (
        "noi dung nhiem vu",
        "noi dung cong viec",
        "ten nhiem vu",
        "nhiem vu",
        "noi dung thuc hien",
        "noi dung",
        "cong viec",
        "nhiem vu giai phap",
        "ten cong viec",
    ),
    Field.LEAD: (
        "don vi chu tri thuc hien",
        "don vi chu tri",
        "co quan chu tri",
        "chu tri",
        "don vi thuc hien",
        "co quan thuc hien",
        "don vi chiu trach nhiem",
        "don vi chu tri thuc hien nhiem vu",
    ),
    Field.COORD: ("don vi phoi hop thuc hien", "don vi phoi hop", "co quan phoi hop", "phoi hop"),
    Field.EXTENSION: (
        "thoi han dieu chinh",
        "thoi han sau gia han",
        "gia han den",
        "thoi han gia han",
        "gia han",
        "thoi gian dieu chinh",
        "han dieu chinh",
    ),
    Field.COMPLETED: (
        "ngay hoan thanh",
        "ngay hoan thanh thuc te",
        "thoi gian hoan thanh thuc te",
        "ngay thuc hien xong",
    ),
    Field.DUE: (
        "thoi gian hoan thanh",
        "thoi han hoan thanh",
        "thoi gian thuc hien",
        "thoi han thuc hien",
        "han hoan thanh",
        "thoi han",
        "thoi gian",
        "moc thoi gian",
        "tien do hoan thanh theo ke hoach",
    ),
    Field.PERCENT: (
        "tien do",
        "ty le",
        "ti le",
        "ty le hoan thanh",
        "ti le hoan thanh",
        "muc do hoan thanh",
        "phan tram hoan thanh",
        "tien do thuc hien",
    ),
    Field.STATUS: ("tinh trang", "trang thai", "tinh trang thuc hien", "ket qua danh gia", "danh gia"),
    Field.RESULT: (
        "ket qua thuc hien",
        "ket qua",
        "ket qua trien khai",
        "tinh hinh thuc hien",
        "tinh hinh trien khai",
    ),
    Field.DIFFICULTIES: (
        "kho khan vuong mac",
        "kho khan",
        "vuong mac",
        "ton tai han che",
        "ton tai",
        "han che",
    ),
    Field.PROPOSALS: ("de xuat kien nghi", "kien nghi de xuat", "kien nghi", "de xuat"),
    Field.NOTE: ("ghi chu",),
}
REQUIRED = (Field.TITLE,)
_SYNONYM_FIELD: dict[str, Field] = {}  # each synonym -> its field (the first field listing it)
for _fld, _words in SYNONYMS.items():
    for _word in _words:
        _SYNONYM_FIELD.setdefault(_word, _fld)
_FIRST_WORDS = frozenset(w.split()[0] for w in _SYNONYM_FIELD)  # a header's first word is one of these
_TITLE_FIRST_WORDS = frozenset(w.split()[0] for w, f in _SYNONYM_FIELD.items() if f is Field.TITLE)
FIELD_LABELS = {
    Field.STT: "STT",
    Field.TITLE: "Nội dung nhiệm vụ",
    Field.LEAD: "Đơn vị chủ trì",
    Field.COORD: "Đơn vị phối hợp",
    Field.DUE: "Thời gian hoàn thành",
    Field.EXTENSION: "Thời hạn điều chỉnh",
    Field.RESULT: "Kết quả thực hiện",
    Field.PERCENT: "Tiến độ (%)",
    Field.STATUS: "Tình trạng",
    Field.COMPLETED: "Ngày hoàn thành",
    Field.DIFFICULTIES: "Khó khăn, vướng mắc",
    Field.PROPOSALS: "Đề xuất, kiến nghị",
    Field.NOTE: "Ghi chú",
}
SCAN_ROWS = 40
_ACTUAL = frozenset({"thuc te", "thuc hien", "da hoan thanh", "ngay thuc te"})  # under a time: the date done


@lru_cache(maxsize=8192)
def classify_header(text: str) -> Field | None:
    """The field a header cell names, or None.

    >>> classify_header("TIẾN ĐỘ (%)")
    <Field.PERCENT: 'percent'>
    >>> classify_header("Thời gian hoàn thành")
    <Field.DUE: 'due'>
    """
    if "%" not in text and _first_word(text[:40]) not in _FIRST_WORDS:
        return None  # most cells of a sheet: decided on their first word, not their whole folded text
    folded = key(text)
    if not folded:
        return None
    if "%" in text and not folded.startswith(("ghi chu", "ket qua")):
        return Field.PERCENT
    # the synonyms the text is or starts with (a word-boundary prefix), the longest winning: one
    # look-up per word of the text rather than a comparison per synonym
    best: tuple[int, Field] | None = None
    ends = [i for i, ch in enumerate(folded) if ch == " "]
    for prefix in (folded, *(folded[:i] for i in ends)):
        if (fld := _SYNONYM_FIELD.get(prefix)) is not None:
            score = len(prefix) * (2 if prefix == folded else 1)
            if best is None or score > best[0]:
                best = (score, fld)
    return best[1] if best else None


def _first_word(text: str) -> str:
    """The first word of ``key(text)``, from the key of the text's first space-separated token when it
    has one: tokens recur from cell to cell ("Tổ chức …", "Tuyên truyền …") and folding goes character
    by character, a space staying a space, so the first word is the same."""
    if word := key(text.partition(" ")[0]).partition(" ")[0]:
        return word
    return key(text).partition(" ")[0]


@dataclass
class Header:
    """Where the table starts and which column holds what (0-based columns)."""

    row: int  # 0-based index of the last header row
    first_row: int  # 0-based index of the first header row
    columns: dict[Field, int]
    labels: dict[int, str]  # column -> header text as printed
    marks: dict[int, Status] = field(default_factory=dict)  # x-mark column -> status it stands for

    @property
    def data_start(self) -> int:
        return self.row + 1

    def label(self, fld: Field) -> str:
        col = self.columns.get(fld)
        return self.labels.get(col, fld.value) if col is not None else FIELD_LABELS[fld]


_NUMBERED = re.compile(r"^\s*\(\d{1,2}\)\s*|\s*\(\d{1,2}\)\s*$")


@lru_cache(maxsize=8192)
def _status_of(text: str) -> Status | None:
    """The status an x-mark column stands for ("Đang thực hiện (11)" as well)."""
    if not text or len(text) > 40:
        return None
    return status_word(_NUMBERED.sub("", text) if "(" in text else text)


def _row_texts(rows: list[list[object]], index: int, width: int) -> list[str]:
    row = rows[index] if index < len(rows) else []
    texts = [cell_text(v) if v and isinstance(v, str) else "" for v in row[:width]]
    return texts + [""] * (width - len(texts))


def _names_title(row: list[object], width: int) -> bool:
    """Whether a cell of the row (within ``width``) names the task-title column."""
    for value in row[:width]:  # noqa: SIM110 - a loop costs less than any(…) over a generator
        if value.__class__ is str and value and _is_title(value):
            return True
    return False


@lru_cache(maxsize=8192)
def _is_title(value: str) -> bool:
    # most cells of the first rows are data, not headers: told apart by their first word before their
    # whole text is made (a title header opens with the first word of a title synonym)
    if _first_word(value.lstrip()[:40]) not in _TITLE_FIRST_WORDS:
        return False
    return classify_header(cell_text(value)) is Field.TITLE


def _spread(texts: list[str], merged_cols: list[tuple[int, int]]) -> list[str]:
    out = list(texts)
    for first, last in merged_cols:
        for c in range(first + 1, last + 1):
            if not out[c]:
                out[c] = out[first]
    return out


def _interpret(top: list[str], bottom: list[str] | None) -> tuple[dict[Field, int], dict[int, str], dict]:
    """Fields, printed labels and x-mark columns of a one- or two-row header.

    In a two-row header a child that names a field wins over its parent ("Đơn vị thực hiện" over
    "Chủ trì | Phối hợp"); a child that names nothing ("Theo kế hoạch") takes its parent's field.
    """
    columns: dict[Field, int] = {}
    labels: dict[int, str] = {}
    marks: dict[int, Status] = {}
    for c, parent in enumerate(top):
        child = bottom[c] if bottom else ""
        # status words under "Tình trạng" or under nothing: x-mark columns; under "Kết quả thực hiện" too,
        # but for a child naming a field itself ("% hoàn thành" is the percent)
        over = classify_header(parent)
        if (
            child
            and (status := _status_of(child))
            and (
                over in (Field.STATUS, None)
                or (over in (Field.RESULT, Field.PERCENT) and classify_header(child) is None)
            )
        ):
            marks[c] = status
            labels[c] = f"{parent} – {child}" if parent else child
            continue
        if not child and classify_header(parent) is None and (status := _status_of(parent)):
            marks[c] = status  # a column per status word, no group label over them
            labels[c] = parent
            continue
        own = child and child != parent
        # the child alone, then both together ("Thời gian hoàn thành" over "Thực tế": the date it was
        # done; over "Kế hoạch": the deadline), then the parent
        fld = (
            (classify_header(child) if own else None)
            or (classify_header(f"{parent} {child}") if own and parent else None)
            or classify_header(parent or child)
        )
        if fld is Field.DUE and own and key(child) in _ACTUAL:  # "Thời hạn" over "Thực tế"
            fld = Field.COMPLETED
        if fld is not None and fld not in columns:
            columns[fld] = c
            labels[c] = f"{parent} {child}".strip() if child and child != parent else parent or child
    if len(marks) == 1:  # an x-mark scheme has one column per status
        (col,) = marks
        if bottom and bottom[col]:
            return {}, {}, {}
        labels.pop(col)  # a lone status word over a column is not a scheme: ignore that column
        marks = {}
    if marks and Field.STATUS in columns and columns[Field.STATUS] in marks:
        del columns[Field.STATUS]
    _not_finished_beside_in_progress(marks, top, bottom)
    return columns, labels, marks


def _not_finished_beside_in_progress(marks: dict[int, Status], top: list[str], bottom: list[str]) -> None:
    """ "Chưa hoàn thành" is work under way, but beside a column "Đang thực hiện" it is the column of the
    tasks not started ("Đã hoàn thành | Đang thực hiện | Chưa hoàn thành")."""
    in_progress = [c for c, status in marks.items() if status is Status.IN_PROGRESS]
    if len(in_progress) < 2:
        return
    for c in in_progress:
        text = (bottom[c] if bottom and bottom[c] else top[c]) or ""
        if key(_NUMBERED.sub("", text)) == "chua hoan thanh":
            marks[c] = Status.NOT_STARTED


def _spread_groups(top: list[str], bottom: list[str]) -> tuple[list[str], int]:
    """A group label written once over its children (a CSV has no merged cells) spread to the right.

    Returns the spread labels and how many children sit under a group (evidence of a two-row header).
    """
    out = list(top)
    for c in range(1, len(out)):
        if not out[c] and bottom[c] and bottom[c - 1] and out[c - 1]:
            out[c] = out[c - 1]
    groups = sum(
        1
        for c in range(len(out))
        if bottom[c]
        and out[c]
        and any(0 <= d < len(out) and out[d] == out[c] and bottom[d] for d in (c - 1, c + 1))
    )
    return out, groups


def find_header(
    rows: list[list[object]], merged: list[tuple[int, int, int, int]], hidden: frozenset[int] = frozenset()
) -> Header | None:
    """The most convincing header in the first rows of a sheet, or None.

    A header needs the task-title column and at least two other known columns. A second header row
    counts when its labels sit under group labels spanning them, or name status x-mark columns.
    """
    width = max((len(r) for r in rows[:SCAN_ROWS]), default=0)
    count = min(SCAN_ROWS, len(rows))
    # a header names the task-title column in one of its (one or two) rows: only the rows next to such
    # a row are read further (their texts made once)
    titled = [r < len(rows) and _names_title(rows[r], width) for r in range(count + 1)]
    texts: dict[int, list[str]] = {}

    def texts_of(r: int) -> list[str]:
        if r not in texts:
            texts[r] = _row_texts(rows, r, width)
        return texts[r]

    best: tuple[int, Header, list[str], list[str] | None] | None = None
    for r in range(count):
        if not (titled[r] or titled[r + 1]):
            continue
        raw = texts_of(r)
        if sum(1 for t in raw if t) < 2:
            continue
        top = _spread(raw, [(c1, c2) for r1, c1, r2, c2 in merged if r1 == r])
        for two_rows in (False, True):
            if not (titled[r] or (two_rows and titled[r + 1])):
                continue
            bottom = list(texts_of(r + 1)) if two_rows else None
            groups = 0
            if bottom is not None:
                if not _looks_like_sub_header(rows, r + 1, bottom):
                    continue
                top, groups = _spread_groups(top, bottom)
            columns, labels, marks = _interpret(top, bottom)
            if Field.TITLE not in columns or len(columns) + bool(marks) < 3:
                continue
            score = len(columns) + 2 * bool(marks) + (0 if not two_rows else 1 if groups >= 2 else -1)
            header = Header(r + int(two_rows), r, columns, labels, marks)
            if best is None or score > best[0]:
                best = (score, header, top, bottom)
    return _by_content(rows, best[1], best[2], best[3], hidden) if best else None


def _by_content(
    rows: list[list[object]], header: Header, top: list[str], bottom: list[str] | None, hidden: frozenset[int]
) -> Header:
    """The header's reading mended by what its columns hold (``_status_words_in``), by its twins
    (``_done_beside_planned``) and by the columns the person hid (``_visible_twins``)."""
    header = _visible_twins(header, top, bottom, hidden) if hidden else header
    return _done_beside_planned(_status_words_in(rows, header, top, bottom), top, bottom)


def _visible_twins(
    header: Header, top: list[str], bottom: list[str] | None, hidden: frozenset[int]
) -> Header:
    """A hidden column read for a field gives way to a visible column with the same kind of header (an
    old "Tình trạng" hidden before the one filled in)."""
    columns, labels = dict(header.columns), dict(header.labels)
    for fld, col in header.columns.items():
        taken = set(columns.values()) | set(header.marks) | hidden
        if col in hidden and (twin := _unread_twin(fld, taken, top, bottom)) is not None:
            columns[fld], labels[twin[0]] = twin
    return Header(header.row, header.first_row, columns, labels, header.marks)


def _status_words_in(
    rows: list[list[object]], header: Header, top: list[str], bottom: list[str] | None
) -> Header:
    """A column headed as progress ("Mức độ hoàn thành", "Tiến độ thực hiện") or as result ("Kết quả")
    that holds status words ("Hoàn thành", "Đang thực hiện") is the status column when the table has
    none; a twin left unread ("Tỷ lệ hoàn thành (%)", "Kết quả thực hiện") then takes its place."""
    if Field.STATUS in header.columns or header.marks:
        return header
    for fld in (Field.PERCENT, Field.RESULT):
        col = header.columns.get(fld)
        if col is None:
            continue
        cells = [row[col] for row in rows[header.data_start : header.data_start + 200] if col < len(row)]
        texts = [v for v in cells if isinstance(v, str) and v.strip()]
        words = sum(1 for v in texts if _is_status_text(v))
        # numbers, and texts that are no status word ("50%", a result's sentence), count against
        others = sum(1 for v in cells if isinstance(v, int | float) and not isinstance(v, bool))
        others += len(texts) - words
        if words and words > others:
            columns, labels = dict(header.columns), dict(header.labels)
            columns[Field.STATUS] = columns.pop(fld)
            twin = _unread_twin(fld, set(columns.values()) | set(header.marks), top, bottom)
            if twin is not None:
                columns[fld], labels[twin[0]] = twin
            return Header(header.row, header.first_row, columns, labels, header.marks)
    return header


def _done_beside_planned(header: Header, top: list[str], bottom: list[str] | None) -> Header:
    """Two time columns and no date done: "Thời gian thực hiện" is the deadline and a later "Thời gian
    hoàn thành" the day each task was done."""
    due = header.columns.get(Field.DUE)
    if due is None or Field.COMPLETED in header.columns or "hoan thanh" in key(header.labels.get(due, "")):
        return header
    twin = _unread_twin(Field.DUE, set(header.columns.values()) | set(header.marks), top, bottom)
    if twin is None or twin[0] < due or "hoan thanh" not in key(twin[1]):
        return header
    columns, labels = dict(header.columns), dict(header.labels)
    columns[Field.COMPLETED], labels[twin[0]] = twin
    return Header(header.row, header.first_row, columns, labels, header.marks)


def _unread_twin(
    fld: Field, taken: set[int], top: list[str], bottom: list[str] | None
) -> tuple[int, str] | None:
    """The first column not read whose header names ``fld`` too, and its header text."""
    for c, parent in enumerate(top):
        text = (bottom[c] if bottom and c < len(bottom) else "") or parent
        if c not in taken and text and classify_header(text) is fld:
            return c, text
    return None


def _is_status_text(text: str) -> bool:
    if not may_be_status(text):
        return False
    try:
        return parse_status(text) is not None
    except UnknownStatus:
        return False


def _looks_like_sub_header(rows: list[list[object]], index: int, texts: list[str]) -> bool:
    """A second header row holds only short labels: no numbers, no dates, no long text."""
    if index >= len(rows) or not any(texts):
        return False
    values = [v for v in rows[index] if v not in (None, "")]
    return all(isinstance(v, str) and len(v) <= 60 for v in values)


def best_partial_header(rows: list[list[object]]) -> tuple[int, list[str]] | None:
    """The row that looks most like a header (for the 'missing column' message)."""
    width = max((len(r) for r in rows[:SCAN_ROWS]), default=0)
    scored = []
    for r in range(min(SCAN_ROWS, len(rows))):
        texts = _row_texts(rows, r, width)
        known = sum(1 for t in texts if t and classify_header(t))
        if known:
            scored.append((known, -r, r, [t for t in texts if t]))
    if not scored:
        return None
    _, _, r, texts = max(scored)
    return r, texts
