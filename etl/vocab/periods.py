"""Reporting periods: quarter, half-year, nine months, year.

A period is found in a report's title block ("Quý III năm 2022", "6 THÁNG ĐẦU NĂM 2019") or given on
the command line as a code ("2022-Q3", "2022-H1", "2022-9M", "2022"). Matching is done on folded
text (any case, with or without diacritics, NFC or NFD).

Titles often name the period reported and the next one ("kết quả quý III và phương hướng nhiệm vụ quý IV
năm 2022"). The period reported is the first one named, unless words of the next period's plan introduce
it ("phương hướng", "nhiệm vụ (trọng tâm)", "dự kiến", "kế hoạch … tiếp theo", "quý tới"); a period named
without its year takes the year written after it (here 2022: Q3 2022, not Q4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from functools import lru_cache

from etl.vocab.text import fold

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ROMAN_OF = {v: k.upper() for k, v in ROMAN.items()}

# Shared with etl.vocab.deadlines, on folded text: "quy iii/2022" → (iii, 2022); "6 thang dau nam 2019" → (6, dau, 2019).
QUARTER_PATTERN = re.compile(r"\bquy\s*(iv|i{1,3}|[1-4])\b(?:\s*,?\s*(?:/|-|\.|nam)\s*(\d{4}))?")
HALF_PATTERN = re.compile(r"\b0?([69])\s*thang\s*(?:(dau|cuoi)\s*nam|nam)\b(?:\s*,?\s*(\d{4})\b)?")
_YEAR = re.compile(r"(?<!dau )\bnam\s*(\d{4})\b")
# Dates and document numbers are not periods: "ngày 09 tháng 07 năm 2019", "9/7/2019", "Số: 158/BC-STTTT".
_DATE_IN_TEXT = re.compile(
    r"(?:ngay\s*)?\d{1,2}\s*thang\s*\d{1,2}(?:\s*,?\s*nam\s*\d{4})?|\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}"
    r"|\bthang\s*\d{1,2}(?:\s*,?\s*(?:/|-|nam)\s*\d{4})?"
)
_SIGNING_LINE = re.compile(r"^[^,;()]{2,40},\s*ngay\b")
_DOC_NUMBER_LINE = re.compile(r"^so\s*:?\s*\d+\s*/")
_CODE = re.compile(r"^(\d{4})(?:\s*-\s*(q[1-4]|h[12]|9m))?$")
# What a period mention is about: the nearest of these words before it (after the mention before) says
# whether it is the period reported or the next period's plan; without one, it is what the mention before is.
_RESULT_WORDS = re.compile(r"\b(?:ket qua|tinh hinh|tien do|danh gia|so ket|tong ket|bao cao|thong ke)\b")
_NEXT = r"(?:tiep theo|(?:sap\s+)?toi)"  # "quý tiếp theo", "thời gian tới", "năm sắp tới"
_PLAN_WORDS = re.compile(
    rf"\b(?:phuong huong|du kien|ke hoach(?:\s+(?!va\b)\w+){{0,3}}?\s+{_NEXT}"
    rf"|(?:quy|ky|nam|thang|thoi gian|giai doan)\s+{_NEXT})\b"
)
# "Nhiệm vụ" opens the plan ("và nhiệm vụ trọng tâm quý IV"), not after a verb of the results
# ("kết quả thực hiện nhiệm vụ quý III"): group 1 is that verb.
_TASKS = re.compile(
    r"\b(?:(thuc hien|trien khai|hoan thanh|ket qua|tinh hinh|tien do)\s+(?:(?:cac|nhung)\s+)?)?nhiem vu\b"
)


class PeriodKind(StrEnum):
    Q = "Q"
    H = "H"
    NINE_MONTHS = "9M"
    Y = "Y"


_LAST_MONTH = {PeriodKind.NINE_MONTHS: 9, PeriodKind.Y: 12}
_INDEXES: dict[PeriodKind, tuple[int | None, ...]] = {
    PeriodKind.Q: (1, 2, 3, 4),
    PeriodKind.H: (1, 2),
    PeriodKind.NINE_MONTHS: (None,),
    PeriodKind.Y: (None,),
}


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period; ``index`` is 1-4 for a quarter, 1-2 for a half-year, None otherwise."""

    year: int
    kind: PeriodKind
    index: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", PeriodKind(self.kind))
        if self.index not in _INDEXES[self.kind]:
            raise ValueError(f"Kỳ báo cáo không hợp lệ: loại {self.kind} với số thứ tự {self.index}.")

    @property
    def start_date(self) -> date:
        if self.kind is PeriodKind.Q:
            return date(self.year, 3 * self.index - 2, 1)
        if self.kind is PeriodKind.H and self.index == 2:
            return date(self.year, 7, 1)
        return date(self.year, 1, 1)

    @property
    def end_date(self) -> date:
        if self.kind is PeriodKind.Q:
            month = 3 * self.index
        elif self.kind is PeriodKind.H:
            month = 6 * self.index
        else:
            month = _LAST_MONTH[self.kind]
        return date(self.year, month, 30 if month in (6, 9) else 31)

    @property
    def label(self) -> str:
        """Vietnamese label: "Quý III/2022", "6 tháng đầu năm 2022", "9 tháng đầu năm 2022", "Năm 2022"."""
        if self.kind is PeriodKind.Q:
            return f"Quý {ROMAN_OF[self.index]}/{self.year}"
        if self.kind is PeriodKind.H:
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        if self.kind is PeriodKind.NINE_MONTHS:
            return f"9 tháng đầu năm {self.year}"
        return f"Năm {self.year}"

    @property
    def code(self) -> str:
        """The CLI code: "2022-Q3", "2022-H1", "2022-9M", "2022"."""
        if self.kind is PeriodKind.Y:
            return str(self.year)
        if self.kind is PeriodKind.NINE_MONTHS:
            return f"{self.year}-9M"
        return f"{self.year}-{self.kind}{self.index}"

    def previous(self) -> Period:
        """The previous period of the same kind (Q1 2023 → Q4 2022, H1 2023 → H2 2022, 9M → 9M a year before)."""
        if self.kind is PeriodKind.Q:
            return (
                Period(self.year - 1, self.kind, 4)
                if self.index == 1
                else Period(self.year, self.kind, self.index - 1)
            )
        if self.kind is PeriodKind.H:
            return Period(self.year - 1, self.kind, 2) if self.index == 1 else Period(self.year, self.kind, 1)
        return Period(self.year - 1, self.kind, None)


def parse_period_code(text: str) -> Period:
    """Parse a CLI period code.

    >>> parse_period_code("2022-Q3").label
    'Quý III/2022'
    """
    match = _CODE.match(fold(text or ""))
    if not match:
        raise ValueError(
            f"Kỳ báo cáo '{text}' không hợp lệ. Ghi theo dạng 2022-Q3 (quý), 2022-H1 (6 tháng đầu năm), "
            "2022-H2 (6 tháng cuối năm), 2022-9M (9 tháng) hoặc 2022 (cả năm)."
        )
    year, part = int(match.group(1)), match.group(2)
    if part is None:
        return Period(year, PeriodKind.Y)
    if part == "9m":
        return Period(year, PeriodKind.NINE_MONTHS)
    return Period(year, PeriodKind(part[0].upper()), int(part[1]))


def quarter_index(token: str) -> int:
    """1-4 from a folded quarter token: "iii" or "3"."""
    return ROMAN[token] if token in ROMAN else int(token)


@dataclass(frozen=True)
class _Mention:
    """A period named in a text: where (line, offsets in the joined text), which, and whether the next
    period's plan introduces it. ``year`` is None for a year-less mention ("quý III và …")."""

    line: int
    start: int
    end: int
    kind: PeriodKind
    index: int | None
    year: int | None
    plan: bool = False


def _line_mentions(folded: str) -> list[_Mention]:
    """Quarter / half / nine-month / year mentions of one folded line, in text order."""
    found: list[_Mention] = []
    for m in QUARTER_PATTERN.finditer(folded):
        found.append(
            _Mention(0, m.start(), m.end(), PeriodKind.Q, quarter_index(m.group(1)), _int(m.group(2)))
        )
    for m in HALF_PATTERN.finditer(folded):
        months, side, year = m.group(1), m.group(2), _int(m.group(3))
        if months == "9" and side != "cuoi":
            found.append(_Mention(0, m.start(), m.end(), PeriodKind.NINE_MONTHS, None, year))
        elif months == "6":
            found.append(_Mention(0, m.start(), m.end(), PeriodKind.H, 2 if side == "cuoi" else 1, year))
    spans = [(f.start, f.end) for f in found]
    for m in _YEAR.finditer(folded):  # "năm 2022" on its own, not the year of "quý III năm 2022"
        if not any(start <= m.start(1) < end for start, end in spans):
            found.append(_Mention(0, m.start(), m.end(), PeriodKind.Y, None, int(m.group(1))))
    return sorted(found, key=lambda f: f.start)


@lru_cache(maxsize=1024)  # title lines recur from file to file ("KẾT QUẢ THỰC HIỆN … NĂM 2022")
def _line_parts(text: str) -> tuple[int, tuple[_Mention, ...], tuple[tuple[int, bool], ...]]:
    """A line's folded length, its period mentions and its result / plan words (offsets in the line)."""
    folded = _DATE_IN_TEXT.sub(" ", fold(text))
    heads = [(m.start(), False) for m in _RESULT_WORDS.finditer(folded)]
    heads += [(m.start(), True) for m in _PLAN_WORDS.finditer(folded)]
    heads += [(m.start(), True) for m in _TASKS.finditer(folded) if m.group(1) is None]
    return len(folded), tuple(_line_mentions(folded)), tuple(heads)


def _mentions(texts: list[str]) -> list[_Mention]:
    """The period mentions of lines read as one text, each marked as the next period's plan or not."""
    found: list[_Mention] = []
    heads: list[tuple[int, bool]] = []  # (offset, opens the plan)
    offset = 0
    for n, text in enumerate(texts):
        length, mentions, line_heads = _line_parts(text)
        found += [_Mention(n, m.start + offset, m.end + offset, m.kind, m.index, m.year) for m in mentions]
        heads += [(at + offset, opens_plan) for at, opens_plan in line_heads]
        offset += length + 1
    heads.sort()
    marked: list[_Mention] = []
    plan, after = False, 0
    for m in found:
        before = [opens_plan for at, opens_plan in heads if after <= at < m.start]
        plan = before[-1] if before else plan
        marked.append(replace(m, plan=plan))
        after = m.end
    return marked


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _year_near(m: _Mention, mentions: list[_Mention], same_line: bool = False) -> int | None:
    """The year of a year-less mention: of the nearest mention after it with a year (in its line if
    ``same_line``), else of the nearest before it. A year carried by the next period's plan is one less
    when that plan would not end after the period reported ("quý IV và nhiệm vụ quý I năm 2023": 2022)."""
    after = [o for o in mentions if o.start > m.start and o.year and (o.line == m.line or not same_line)]
    before = [] if same_line else [o for o in reversed(mentions) if o.start < m.start and o.year]
    for owner in (after or before)[:1]:
        planned, reported = Period(owner.year, owner.kind, owner.index), Period(owner.year, m.kind, m.index)
        if owner.plan and not m.plan and planned.end_date <= reported.end_date:
            return owner.year - 1
        return owner.year
    return None


def _reported_period(mentions: list[_Mention]) -> Period | None:
    """The first period reported (a text naming only plan periods: the first named), the most specific
    form first: a quarter, half-year or nine months with its year, else with the year of a year-alone
    mention or of the nearest mention, else the year alone."""
    reported = [m for m in mentions if not m.plan] or mentions
    specific = [m for m in reported if m.kind is not PeriodKind.Y]
    for m in specific:
        if year := m.year or _year_near(m, mentions, same_line=True):
            return Period(year, m.kind, m.index)
    years = [m.year for m in reported if m.kind is PeriodKind.Y]
    if specific and (year := years[0] if years else _year_near(specific[0], mentions)):
        return Period(year, specific[0].kind, specific[0].index)
    return Period(years[0], PeriodKind.Y) if years else None


def find_period(text: str) -> Period | None:
    """The reporting period named in one free line, the most specific form first.

    The first period named is the one reported, unless the next period's plan introduces it; a period
    without its year takes the year written after it. Dates ("ngày 09 tháng 07 năm 2019", "9/7/2019")
    and months are not periods and are skipped.

    >>> find_period("Báo cáo kết quả quý II năm 2022").code
    '2022-Q2'
    >>> find_period("KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2022").code
    '2022'
    >>> find_period("Kết quả quý III và phương hướng, nhiệm vụ quý IV năm 2022").code
    '2022-Q3'
    """
    return _reported_period(_mentions([text or ""]))


def _is_noise_line(folded: str) -> bool:
    return bool(_SIGNING_LINE.match(folded) or _DOC_NUMBER_LINE.match(folded))


def find_period_in_lines(lines: list[str]) -> Period | None:
    """The reporting period of a title block, its lines read as one text: the most specific period reported.

    A quarter, half-year or nine-month period wins over a year ("KẾT QUẢ ... NĂM 2022" then "Quý III
    năm 2022" gives Q3 2022); a year-less period line ("Quý III") takes the year of another line; the
    next period's plan is not the period reported, even on a line of its own ("Kết quả quý III và" then
    "phương hướng nhiệm vụ quý IV năm 2022" gives Q3 2022). Signing-date lines ("Thái Bình, ngày 09
    tháng 07 năm 2019") and document numbers are ignored.

    >>> find_period_in_lines(["KẾT QUẢ THỰC HIỆN KẾ HOẠCH NĂM 2022", "Quý III"]).code
    '2022-Q3'
    """
    texts = [line for line in lines if isinstance(line, str) and not _is_noise_line(fold(line))]
    return _reported_period(_mentions(texts))
