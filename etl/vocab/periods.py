"""Reporting periods: quarter, half-year, nine months, year.

A period is found in a report's title block ("Quý III năm 2022", "6 THÁNG ĐẦU NĂM 2019") or given on
the command line as a code ("2022-Q3", "2022-H1", "2022-9M", "2022"). Matching is done on folded
text (any case, with or without diacritics, NFC or NFD).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

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


def _specific(folded: str) -> list[tuple[PeriodKind, int | None, int | None]]:
    """Quarter / half / nine-month mentions as (kind, index, year or None), in text order."""
    found: list[tuple[int, PeriodKind, int | None, int | None]] = []
    for m in QUARTER_PATTERN.finditer(folded):
        found.append((m.start(), PeriodKind.Q, quarter_index(m.group(1)), _int(m.group(2))))
    for m in HALF_PATTERN.finditer(folded):
        months, side, year = m.group(1), m.group(2), _int(m.group(3))
        if months == "9" and side != "cuoi":
            found.append((m.start(), PeriodKind.NINE_MONTHS, None, year))
        elif months == "6":
            found.append((m.start(), PeriodKind.H, 2 if side == "cuoi" else 1, year))
    return [(kind, index, year) for _, kind, index, year in sorted(found, key=lambda f: f[0])]


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def find_period(text: str) -> Period | None:
    """The reporting period named in one free line, the most specific form first.

    Dates ("ngày 09 tháng 07 năm 2019", "9/7/2019") and months are not periods and are skipped.

    >>> find_period("Báo cáo kết quả quý II năm 2022").code
    '2022-Q2'
    >>> find_period("KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2022").code
    '2022'
    """
    folded = _DATE_IN_TEXT.sub(" ", fold(text or ""))
    for kind, index, year in _specific(folded):
        if year is not None:
            return Period(year, kind, index)
    match = _YEAR.search(folded)
    return Period(int(match.group(1)), PeriodKind.Y) if match else None


def _is_noise_line(folded: str) -> bool:
    return bool(_SIGNING_LINE.match(folded) or _DOC_NUMBER_LINE.match(folded))


def find_period_in_lines(lines: list[str]) -> Period | None:
    """The reporting period of a title block: the most specific period found in any line.

    A quarter, half-year or nine-month period wins over a year ("KẾT QUẢ ... NĂM 2022" then "Quý III
    năm 2022" gives Q3 2022); a year-less period line ("Quý III") takes the year of another line.
    Signing-date lines ("Thái Bình, ngày 09 tháng 07 năm 2019") and document numbers are ignored.

    >>> find_period_in_lines(["KẾT QUẢ THỰC HIỆN KẾ HOẠCH NĂM 2022", "Quý III"]).code
    '2022-Q3'
    """
    specific: list[Period] = []
    yearless: list[tuple[PeriodKind, int | None]] = []
    years: list[Period] = []
    for line in lines:
        if not isinstance(line, str) or _is_noise_line(fold(line)):
            continue
        found = find_period(line)
        if found is None:
            continue
        (years if found.kind is PeriodKind.Y else specific).append(found)
    if specific:
        return specific[0]
    for line in lines:
        if isinstance(line, str) and not _is_noise_line(fold(line)):
            folded = _DATE_IN_TEXT.sub(" ", fold(line))
            yearless += [(kind, index) for kind, index, year in _specific(folded) if year is None]
    if years and yearless:
        kind, index = yearless[0]
        return Period(years[0].year, kind, index)
    return years[0] if years else None
