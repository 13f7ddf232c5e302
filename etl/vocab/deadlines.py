"""Deadlines ("Thời gian / Thời hạn hoàn thành") and completion dates as plans and reports write them.

A deadline keeps the raw text (NFC), a kind and a due date. Text is matched on its folded form, so
case, diacritics and Unicode form (NFC/NFD) do not matter. The order of decision is:

1. a recurring word ("Thường xuyên", "Hằng năm", "Hàng quý", "Định kỳ") → recurring, no due date:
   such a task is judged per reporting period, even when a date is written next to the word;
2. an explicit date ("30/6/2022", "ngày 30 tháng 6 năm 2022", "Trước ngày 10/4/2019", ISO, or a
   year-less "Chậm nhất ngày 15/3" in the default year);
3. a period, the last day of it: half-year / nine months, then quarter, then month, then year;
4. an on-demand word ("Theo chỉ đạo", "Khi có yêu cầu", "Đột xuất") → on demand, no due date;
5. anything else → unparsed (the caller warns and keeps the text).

When one step finds several mentions (a span "từ tháng 3 đến tháng 6/2022"), the latest day is the due
date. Year-less forms take ``default_year`` (the plan's or the report's year); without one they are
unparsed. A date that cannot exist ("31/02/2022") raises ``InvalidDate``.
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

from etl.vocab.periods import HALF_PATTERN, QUARTER_PATTERN, Period, PeriodKind, quarter_index
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
_YEAR = re.compile(r"(?<!dau )\bnam\s*(\d{4})\b|^(\d{4})$|\b(ca) nam\b")
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


def _explicit_dates(folded: str, default_year: int | None) -> list[date]:
    """Every explicit date in the text; year-less ones only with a default year."""
    found = [make_date(int(m[3]), int(m[2]), int(m[1])) for m in _ISO.finditer(folded)]
    found += [make_date(int(m[1]), int(m[3]), _full_year(m[4])) for m in _DMY.finditer(folded)]
    rest = _DMY.sub(" ", _ISO.sub(" ", folded))
    for m in _VI.finditer(rest):
        year = int(m[3]) if m[3] else default_year
        if year is not None:
            found.append(make_date(int(m[1]), int(m[2]), year))
    if default_year is not None:
        for m in _DM.finditer(_VI.sub(" ", rest)):
            if 1 <= int(m[1]) <= 31 and 1 <= int(m[2]) <= 12:  # "1/2" of something is not a date
                found.append(make_date(int(m[1]), int(m[2]), default_year))
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


def _quarter_end(m: re.Match[str], default_year: int | None) -> tuple[DueKind, date] | None:
    year = _year_or(m[2], default_year)
    return (
        None if year is None else (DueKind.QUARTER, Period(year, PeriodKind.Q, quarter_index(m[1])).end_date)
    )


def _month_end(m: re.Match[str], default_year: int | None) -> tuple[DueKind, date] | None:
    year, month = _year_or(m[2], default_year), int(m[1])
    if year is None:
        return None
    if not 1 <= month <= 12:
        raise InvalidDate(f"Tháng {month}/{year} không tồn tại (không có tháng {month}). {_FORMAT_HINT}")
    return DueKind.MONTH, date(year, month, calendar.monthrange(year, month)[1])


def _year_end(m: re.Match[str], default_year: int | None) -> tuple[DueKind, date] | None:
    year = _year_or(m[1] or m[2], default_year)
    return None if year is None else (DueKind.YEAR, date(year, 12, 31))


_PERIOD_STEPS = ((_HALF, _half_end), (_QUARTER, _quarter_end), (_MONTH, _month_end), (_YEAR, _year_end))


def _period_due(folded: str, default_year: int | None) -> tuple[DueKind, date] | None:
    """The first period form present (half / nine months, quarter, month, year): its latest end."""
    for pattern, end_of in _PERIOD_STEPS:
        ends = [end for m in pattern.finditer(folded) if (end := end_of(m, default_year)) is not None]
        if ends:
            return max(ends, key=lambda end: end[1])
    return None


def parse_deadline(value: object, default_year: int | None) -> Deadline | None:
    """A deadline cell as a ``Deadline``; None for a blank cell.

    >>> parse_deadline("Quý III/2022", None)
    Deadline(text='Quý III/2022', kind=<DueKind.QUARTER: 'quarter'>, due_date=datetime.date(2022, 9, 30))
    >>> parse_deadline("6 tháng đầu năm", 2019).due_date
    datetime.date(2019, 6, 30)
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
    if _RECURRING.search(folded):
        return Deadline(text, DueKind.RECURRING, None)
    dates = _explicit_dates(folded, default_year)
    if dates:
        return Deadline(text, DueKind.DATE, max(dates))
    period = _period_due(folded, default_year)
    if period is not None:
        return Deadline(text, period[0], period[1])
    if _ON_DEMAND.search(folded):
        return Deadline(text, DueKind.ON_DEMAND, None)
    return Deadline(text, DueKind.UNPARSED, None)


_LEADING_WORDS = re.compile(r"^(?:(?:hoan thanh|vao)\s+)?(?:ngay\s*)?")
_TRAILING_TIME = re.compile(r"[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


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


@lru_cache(maxsize=8192)  # a refusal (an exception) is not remembered: it is raised again each time
def _parse_date_text(text: str, default_year: int | None) -> date:
    folded = _TRAILING_TIME.sub("", fold(text).strip(" .,;"))
    bare = _LEADING_WORDS.sub("", folded)
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
