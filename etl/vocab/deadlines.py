"""Deadlines ("Thời gian / Thời hạn hoàn thành") and completion dates as plans and reports write them.

A deadline keeps the raw text (NFC), a kind and a due date. Text is matched on its folded form, so
case, diacritics and Unicode form (NFC/NFD) do not matter. The order of decision is:

1. a recurring word ("Thường xuyên", "Hằng năm", "Hàng quý", "Định kỳ") → recurring, no due date:
   such a task is judged per reporting period, even when a date is written next to the word;
2. an explicit date ("30/6/2022", "ngày 30 tháng 6 năm 2022", "Trước ngày 10/4/2019", ISO, or a
   year-less "Chậm nhất ngày 15/3" in the default year);
3. a period, the last day of it: half-year / nine months ("Giữa năm": 30/6), then quarter, then month,
   then year ("Năm 2022 - 2023": its last year; "Trong năm", "Cuối năm": the default year); a text with
   no long form is read in its short ones too ("6/2022" is June, "Q3/2022" the third quarter);
4. an on-demand word ("Theo chỉ đạo", "Khi có yêu cầu", "Đột xuất") → on demand, no due date;
5. anything else → unparsed (the caller warns and keeps the text).

When one step finds several mentions, the latest day is the due date. After a month or quarter word a
range or list of further ones is read whole ("Tháng 10-12/2022", "Quý II, III/2022", "Tháng 11 và 12",
"từ tháng 3 đến tháng 6/2022"), and so are ranges and lists of dates ("15/3 - 30/6/2022"). A year
written after such a chain applies to every part before it; a range that runs backwards crosses a year
("Tháng 11 - 2/2023" starts in 2022). Year-less forms take ``default_year`` (the plan's or the report's
year; a year-less chain starts in it); without one they are unparsed. A date or month that cannot
exist ("31/02/2022", "Tháng 10-13/2022") raises ``InvalidDate``; a chain with a part that is no quarter
("Quý II-V/2022") is not read, like "Quý V/2022".
"""

from __future__ import annotations

import calendar
import math
import numbers
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from etl.vocab.periods import HALF_PATTERN, QUARTER_PATTERN, ROMAN, Period, PeriodKind
from etl.vocab.text import cell_text, fold, nfc


class DueKind(StrEnum):
    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    RECURRING = "recurring"
    ON_DEMAND = "on_demand"
    UNPARSED = "unparsed"


@dataclass(frozen=True)
class Deadline:
    """A deadline as written (``text``, None for a native date cell), its kind and its due date."""

    text: str | None
    kind: DueKind
    due_date: date | None

    @property
    def recurring(self) -> bool:
        return self.kind is DueKind.RECURRING


class InvalidDate(ValueError):
    """Text that clearly is a date but names a day that does not exist."""


class NotADate(ValueError):
    """A completion / extension cell whose text is not a date at all."""


EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIAL_RANGE = (20000, 80000)  # 1954-10-04 .. 2119-01-10
YEAR_RANGE = (1900, 2100)
_FORMAT_HINT = "Sửa lại thành ngày đúng, dạng ngày/tháng/năm."

_ISO = re.compile(r"(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/.-])")
_DMY = re.compile(r"(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?![\d/.-])")
_VI = re.compile(r"\bngay\s*(\d{1,2})\s*,?\s*thang\s*(\d{1,2})(?:\s*,?\s*nam\s*(\d{4}))?\b")
_DM = re.compile(r"(?<![\d/.-])(\d{1,2})\s*[/.]\s*(\d{1,2})(?![\d/.-])")
_QUARTER = QUARTER_PATTERN
_HALF = HALF_PATTERN
_MONTH = re.compile(r"\b(?:thang|t)\s*(\d{1,2})\b(?:\s*,?\s*(?:/|-|\.|nam)\s*(\d{4})\b)?")
# The further parts of a chain after "tháng N" / "quý N": "-12", " - tháng 12/2022", ", III", " và 12", " đến hết 6".
# A "/" joins quarters only before a roman numeral ("Quý II/III", "Quý II/Quý III"): "Tháng 10/11/2022",
# "Quý 2/3" are dates.
_RANGE_JOIN = r"(?P<range>-+|den(?:\s*het)?\b|toi\b)"
_LIST_JOIN = r"(?:,\s*)?va\b|,"
_YEAR_TAIL = r"(?:\s*,?\s*(?:/|-|\.|nam)\s*(?P<year>\d{4})\b)?"
_NOT_A_COUNT = r"(?!\s*(?:ngay|lan|dot|tuan|buoi|tin|bai|%))"  # "tháng 6, 15 ngày": 15 days, not month 15
_NEXT_MONTH = re.compile(
    rf"\s*(?:{_RANGE_JOIN}|{_LIST_JOIN})\s*(?:(?:thang|t)\s*)?(?P<n>\d{{1,2}})\b{_NOT_A_COUNT}{_YEAR_TAIL}"
)
_NEXT_QUARTER = re.compile(
    rf"\s*(?:{_RANGE_JOIN}|{_LIST_JOIN}|/(?=\s*(?:quy\s*)?[iv]))\s*(?:quy\s*)?"
    rf"(?P<n>[ivx]+|\d{{1,2}})\b(?!\.[a-z]){_NOT_A_COUNT}{_YEAR_TAIL}"
)
_QUARTER_TOKENS = frozenset(ROMAN) | {"1", "2", "3", "4"}
_DATE_JOIN = re.compile(rf"\s*(?:{_RANGE_JOIN}|{_LIST_JOIN})\s*(?:ngay\s*)?")
# "Năm 2022", "Năm 2022 - 2023" (its last year), "2022"; "Cả năm", "Trong năm", "Cuối năm": the default year
_YEAR = re.compile(
    r"(?<!dau )\bnam\s*(\d{4})\b(?:\s*(?:-+|den|toi)\s*(?:nam\s*)?(\d{4})\b)?|^(\d{4})$"
    r"|\b(?:ca|trong|cuoi) nam\b(?!\s*\d)"
)
_MID_YEAR = re.compile(r"\bgiua nam\b(?:\s*(\d{4})\b)?")  # "Giữa năm 2022": 30/6
# Short forms read as their long ones in the period step: "6/2022" (a month, never a day: no year of 4
# digits follows a day and a month), "Q3/2022", "Q.II"
_BARE_MONTH = re.compile(r"(?<![\w/.-])(?<!thang )(?<!quy )(0?[1-9]|1[0-2])\s*[/-]\s*(\d{4})(?![\d/.-])")
_LONG_FORM = re.compile(r"\b(?:quy|thang)\b|\bt\s*\d")
_Q = re.compile(r"\bq\s*\.?\s*(?=(?:iv|i{1,3}|[1-4])\b)")
_RECURRING = re.compile(r"\b(?:thuong xuyen|hang (?:nam|quy|thang|tuan)|dinh ky|lien tuc)\b")
_ON_DEMAND = re.compile(r"\b(?:theo chi dao|khi co (?:yeu cau|chi dao)|theo yeu cau|dot xuat)\b")


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value) if math.isfinite(value) else None


def excel_serial_date(value: float) -> date:
    """The date of an Excel serial number (1900 date system).

    >>> excel_serial_date(44742.0)
    datetime.date(2022, 6, 30)
    """
    return EXCEL_EPOCH + timedelta(days=int(value))


def _native_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    number = _number(value)
    if number is not None and EXCEL_SERIAL_RANGE[0] <= number <= EXCEL_SERIAL_RANGE[1]:
        return excel_serial_date(number)
    return None


def make_date(day: int, month: int, year: int) -> date:
    """A checked date; raises ``InvalidDate`` with a Vietnamese message saying what is wrong.

    >>> try:
    ...     make_date(31, 2, 2022)
    ... except InvalidDate as error:
    ...     print(error)
    Ngày 31/02/2022 không tồn tại (tháng 2 không có ngày 31). Sửa lại thành ngày đúng, dạng ngày/tháng/năm.
    """
    shown = f"Ngày {day:02d}/{month:02d}/{year}"
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise InvalidDate(f"{shown} không hợp lệ (năm {year} không đúng). {_FORMAT_HINT}")
    if not 1 <= month <= 12:
        raise InvalidDate(f"{shown} không tồn tại (không có tháng {month}). {_FORMAT_HINT}")
    last = calendar.monthrange(year, month)[1]
    if day == 29 and month == 2 and last == 28:
        raise InvalidDate(f"{shown} không tồn tại (tháng 2 năm {year} chỉ có 28 ngày). {_FORMAT_HINT}")
    if not 1 <= day <= last:
        raise InvalidDate(f"{shown} không tồn tại (tháng {month} không có ngày {day}). {_FORMAT_HINT}")
    return date(year, month, day)


def _full_year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _blanked(pattern: re.Pattern[str], text: str) -> str:
    """The text with every match of the pattern blanked out, positions kept."""
    return pattern.sub(lambda m: " " * len(m[0]), text)


def _chain_years(
    keys: list, years: list[int | None], ranges: list[bool], default_year: int | None
) -> list[int] | None:
    """The year of each part of a chain: its own, else the one written after it, else the one before.

    ``ranges[i]`` says part i is joined to part i - 1 as a range: a range running backwards crosses a
    year ("Tháng 11 - 2/2023": 11/2022). A chain with no year written starts in the default year
    ("Tháng 11 - 2" in a 2022 plan ends in 2/2023); without a default year it has none (None).
    """
    known = list(years)
    if all(year is None for year in known):
        if default_year is None:
            return None
        known[0] = default_year
    for i in range(len(known) - 2, -1, -1):
        if known[i] is None and known[i + 1] is not None:
            known[i] = known[i + 1] - (ranges[i + 1] and keys[i] > keys[i + 1])
    for i in range(1, len(known)):
        if known[i] is None:
            known[i] = known[i - 1] + (ranges[i] and keys[i] < keys[i - 1])
    return known


_Mention = tuple[int, int, int, int, int | None]  # start, end, day, month, year or None


def _date_mentions(folded: str) -> list[_Mention]:
    """(start, end, day, month, year or None) of every date written, in text order."""
    found = [(m.start(), m.end(), int(m[3]), int(m[2]), int(m[1])) for m in _ISO.finditer(folded)]
    found += [(m.start(), m.end(), int(m[1]), int(m[3]), _full_year(m[4])) for m in _DMY.finditer(folded)]
    rest = _blanked(_DMY, _blanked(_ISO, folded))
    found += [(m.start(), m.end(), int(m[1]), int(m[2]), _year_or(m[3], None)) for m in _VI.finditer(rest)]
    for m in _DM.finditer(_blanked(_VI, rest)):
        if 1 <= int(m[1]) <= 31 and 1 <= int(m[2]) <= 12:  # "1/2" of something is not a date
            found.append((m.start(), m.end(), int(m[1]), int(m[2]), None))
    return sorted(found)


def _explicit_dates(folded: str, default_year: int | None) -> list[date]:
    """Every explicit date in the text, in text order; a year-less one takes the year of its range or
    list ("15/3 - 30/6/2022"), else the default year, else it is left out."""
    groups: list[list[tuple[_Mention, bool]]] = []  # each mention with: joined to the one before as a range
    for mention in _date_mentions(folded):
        join = _DATE_JOIN.fullmatch(folded, groups[-1][-1][0][1], mention[0]) if groups else None
        if join:
            groups[-1].append((mention, join["range"] is not None))
        else:
            groups.append([(mention, False)])
    found = []
    for group in groups:
        keys, years = [(m[3], m[2]) for m, _ in group], [m[4] for m, _ in group]
        known = _chain_years(keys, years, [joined for _, joined in group], default_year)
        found += [make_date(m[2], m[3], year) for (m, _), year in zip(group, known or [], strict=bool(known))]
    return found


def _year_or(text: str | None, default_year: int | None) -> int | None:
    return int(text) if text else default_year


def _half_end(m: re.Match[str], default_year: int | None) -> tuple[DueKind, date] | None:
    year = _year_or(m[3], default_year)
    if year is None or (m[1] == "9" and m[2] == "cuoi"):
        return None
    if m[1] == "9":
        return DueKind.NINE_MONTHS, date(year, 9, 30)
    return DueKind.HALF, date(year, 12, 31) if m[2] == "cuoi" else date(year, 6, 30)


def _chains(head: re.Pattern[str], further: re.Pattern[str], folded: str, months: bool = False):
    """Each chain "tháng 10-12/2022", "quý II, III": its parts as (number, year or None, joined as a range).
    With ``months``, a number over 12 after a dash with no year of its own ends the chain: "Tháng 12-22" is
    December of '22, as it always was read; "Tháng 10-13/2022" and "Tháng 11 và 13" name month 13 (an
    error, as "Tháng 13/2022" is)."""
    pos = 0
    while (m := head.search(folded, pos)) is not None:
        parts = [(m[1], m[2], False)]
        pos = m.end()
        while (more := further.match(folded, pos)) is not None:
            if (
                months
                and more["year"] is None
                and int(more["n"]) > 12
                and (more["range"] or "").startswith("-")
            ):
                break
            parts.append((more["n"], more["year"], more["range"] is not None))
            pos = more.end()
        yield parts


def _chain_ends(parts: list[tuple[str, str | None, bool]], default_year: int | None) -> list[tuple[int, int]]:
    """(number, year) of every part of a chain; none when it has no year."""
    keys = [ROMAN[n] if n in ROMAN else int(n) for n, _, _ in parts]
    years = [_year_or(year, None) for _, year, _ in parts]
    known = _chain_years(keys, years, [joined for _, _, joined in parts], default_year)
    return list(zip(keys, known, strict=True)) if known else []


def _quarter_ends(folded: str, default_year: int | None) -> list[tuple[DueKind, date]]:
    ends = []
    for parts in _chains(_QUARTER, _NEXT_QUARTER, folded):
        if any(n not in _QUARTER_TOKENS for n, _, _ in parts):
            continue  # "Quý II-V/2022" is not read, as "Quý V/2022" is not
        ends += [
            (DueKind.QUARTER, Period(y, PeriodKind.Q, q).end_date)
            for q, y in _chain_ends(parts, default_year)
        ]
    return ends


def _month_ends(folded: str, default_year: int | None) -> list[tuple[DueKind, date]]:
    ends = []
    for parts in _chains(_MONTH, _NEXT_MONTH, folded, months=True):
        for month, year in _chain_ends(parts, default_year):
            if not 1 <= month <= 12:
                raise InvalidDate(
                    f"Tháng {month}/{year} không tồn tại (không có tháng {month}). {_FORMAT_HINT}"
                )
            ends.append((DueKind.MONTH, date(year, month, calendar.monthrange(year, month)[1])))
    return ends


def _year_end(m: re.Match[str], default_year: int | None) -> tuple[DueKind, date] | None:
    year = _year_or(m[2] or m[1] or m[3], default_year)
    return None if year is None else (DueKind.YEAR, date(year, 12, 31))


def _mid_year_end(m: re.Match[str], default_year: int | None) -> tuple[DueKind, date] | None:
    year = _year_or(m[1], default_year)
    return None if year is None else (DueKind.HALF, date(year, 6, 30))


def _matched_ends(pattern: re.Pattern[str], end_of):
    def ends(folded: str, default_year: int | None) -> list[tuple[DueKind, date]]:
        return [end for m in pattern.finditer(folded) if (end := end_of(m, default_year)) is not None]

    return ends


_PERIOD_STEPS = (
    _matched_ends(_HALF, _half_end),
    _matched_ends(_MID_YEAR, _mid_year_end),
    _quarter_ends,
    _month_ends,
    _matched_ends(_YEAR, _year_end),
)


def _short_period_due(folded: str, default_year: int | None) -> tuple[DueKind, date] | None:
    """``_period_due`` of a text written in short forms ("6/2022", "Q3/2022"), read as their long ones;
    not in a text with long forms ("Quý 2 - 5/2022" is no quarter and no month)."""
    if _LONG_FORM.search(folded):
        return None
    long = _BARE_MONTH.sub(r"thang \1/\2", _Q.sub("quy ", folded))
    return _period_due(long, default_year) if long != folded else None


def _period_due(folded: str, default_year: int | None) -> tuple[DueKind, date] | None:
    """The first period form present (half / nine months, quarter, month, year): its latest end."""
    for ends_of in _PERIOD_STEPS:
        ends = ends_of(folded, default_year)
        if ends:
            return max(ends, key=lambda end: end[1])
    return None


def month_shown(value: object) -> object:
    """A date cell formatted to show only its month ("09/2022", "Sep-22") as the text a person sees and
    meant, "Tháng 9/2022" (its deadline is the month's last day); any other value as it is.

    >>> month_shown(date(2022, 9, 1))
    'Tháng 9/2022'
    """
    return f"Tháng {value.month}/{value.year}" if isinstance(value, date) else value


def parse_deadline(value: object, default_year: int | None) -> Deadline | None:
    """A deadline cell as a ``Deadline``; None for a blank cell.

    >>> parse_deadline("Quý III/2022", None)
    Deadline(text='Quý III/2022', kind=<DueKind.QUARTER: 'quarter'>, due_date=datetime.date(2022, 9, 30))
    >>> parse_deadline("6 tháng đầu năm", 2019).due_date
    datetime.date(2019, 6, 30)
    >>> parse_deadline("Tháng 10-12/2022", None).due_date
    datetime.date(2022, 12, 31)
    >>> parse_deadline("Thường xuyên", 2019).recurring
    True
    """
    if _blank(value):
        return None
    if isinstance(value, date):
        return Deadline(None, DueKind.DATE, _native_date(value))
    number = _number(value)
    if number is not None:
        native = _native_date(value)
        if native is not None:
            return Deadline(None, DueKind.DATE, native)
        if number.is_integer() and YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:
            return Deadline(cell_text(value), DueKind.YEAR, date(int(number), 12, 31))
        return Deadline(cell_text(value), DueKind.UNPARSED, None)
    return _parse_text(nfc(str(value)), default_year)


@lru_cache(maxsize=8192)  # the same deadlines recur in every report; a Deadline is immutable
def _parse_text(text: str, default_year: int | None) -> Deadline:
    folded = fold(text)
    if m := _DMY.fullmatch(folded):  # one date written d/m/y, the most common form: read as below
        return Deadline(text, DueKind.DATE, make_date(int(m[1]), int(m[3]), _full_year(m[4])))
    if _RECURRING.search(folded):
        return Deadline(text, DueKind.RECURRING, None)
    dates = _explicit_dates(folded, default_year)
    if dates:
        return Deadline(text, DueKind.DATE, max(dates))
    period = _period_due(folded, default_year) or _short_period_due(folded, default_year)
    if period is not None:
        return Deadline(text, period[0], period[1])
    if _ON_DEMAND.search(folded):
        return Deadline(text, DueKind.ON_DEMAND, None)
    return Deadline(text, DueKind.UNPARSED, None)


# "Đã hoàn thành ngày 20/8/2022", "Xong vào ngày …"; for an extension: "Gia hạn đến 31/12/2022", "Đến hết …"
_LEADING_WORDS = re.compile(
    r"^(?:(?:(?:da\s+)?(?:hoan thanh|thuc hien xong|xong)\s+)?(?:vao\s+)?"
    r"|(?:(?:gia han|keo dai|dieu chinh)\s+)?(?:den|toi)\s+(?:het\s+)?)(?:ngay\s*)?"
)
_TRAILING_TIME = re.compile(r"[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)$")  # "7/7/2022 (Văn bản số 12/BC-STTTT)"


def parse_date(value: object, default_year: int | None = None) -> date | None:
    """A completion-date or extension cell as a date; None for a blank cell.

    The whole cell must be one date: "7/7/2022", "07/07/2022", "7-7-2022", "7.7.2022", "2022-07-07",
    "ngày 7 tháng 7 năm 2022", a date cell or an Excel serial number. A year-less "7/7" takes
    ``default_year``. Raises ``InvalidDate`` for an impossible date and ``NotADate`` for other text
    (a proposal such as "Đề nghị gia hạn đến 30/6/2023" is not a date).

    >>> parse_date("ngày 7 tháng 7 năm 2022")
    datetime.date(2022, 7, 7)
    """
    if _blank(value):
        return None
    native = _native_date(value)
    if native is not None:
        return native
    return _parse_date_text(cell_text(value), default_year)


_NO_EXTENSION = frozenset({"-", "--", "---", "...", "khong", "khong co", "khong gia han", "khong dieu chinh"})
_PROPOSAL = re.compile(r"\b(?:de nghi|kien nghi|xin|du kien)\b")
_PERIOD_KINDS = frozenset({DueKind.MONTH, DueKind.QUARTER, DueKind.HALF, DueKind.NINE_MONTHS, DueKind.YEAR})


def parse_extension(value: object, default_year: int | None = None) -> date | None:
    """An approved extension ("Thời hạn điều chỉnh", "Gia hạn") as a date: one date as ``parse_date`` reads
    it ("Gia hạn đến 31/12/2022" too), or the last day of a period written alone ("Quý IV/2022", "Tháng
    12/2022"); None for a blank cell, a dash or "Không". A proposal ("Đề nghị gia hạn đến …") is no
    extension: ``NotADate``, as any other text.

    >>> parse_extension("Quý IV/2022"), parse_extension("-")
    (datetime.date(2022, 12, 31), None)
    """
    if _blank(value) or (isinstance(value, str) and fold(value).strip(" .") in _NO_EXTENSION):
        return None
    try:
        return parse_date(value, default_year)
    except NotADate:
        text = cell_text(value)
        deadline = _parse_text(text, default_year)
        if deadline.kind in _PERIOD_KINDS and not _PROPOSAL.search(fold(text)):
            return deadline.due_date
        raise


@lru_cache(maxsize=8192)  # a refusal (an exception) is not remembered: it is raised again each time
def _parse_date_text(text: str, default_year: int | None) -> date:
    folded = _TRAILING_TIME.sub("", _TRAILING_NOTE.sub("", fold(text).strip(" .,;")).strip(" .,;"))
    bare = _LEADING_WORDS.sub("", folded)
    if m := _DMY.fullmatch(bare):  # one date written d/m/y, the most common form: as _explicit_dates reads it
        return make_date(int(m[1]), int(m[3]), _full_year(m[4]))
    dm = _DM.fullmatch(bare)
    if dm and default_year is not None:
        return make_date(int(dm[1]), int(dm[2]), default_year)
    if _VI.fullmatch(folded) or _ISO.fullmatch(bare) or _DMY.fullmatch(bare):
        found = _explicit_dates(folded, default_year)
        if found:
            return found[0]
    if dm or _VI.fullmatch(folded):
        raise NotADate(f"Ngày '{text}' thiếu năm. Ghi đủ ngày/tháng/năm, ví dụ 07/07/2022.")
    raise NotADate(f"Giá trị '{text}' không phải là ngày. Ghi ngày dạng ngày/tháng/năm, ví dụ 07/07/2022.")
