"""When a period's report is due, from the report deadline a plan states.

A plan says when units report: a fixed date ("trước ngày 10/11/2022") or a day of a month relative
to the period ("trước ngày 10 của tháng cuối quý", "trước ngày 5 tháng đầu quý sau"). Each is turned
into one date for a given reporting period.

>>> q3 = Period(2022, PeriodKind.Q, 3)
>>> report_due_date(["trước ngày 10/11/2022"], q3)
datetime.date(2022, 11, 10)
>>> report_due_date(["Trước ngày 10 của tháng cuối quý năm 2022"], q3)
datetime.date(2022, 9, 10)
>>> report_due_date(["trước ngày 5 tháng đầu quý sau"], Period(2022, PeriodKind.Q, 4))
datetime.date(2023, 1, 5)
>>> report_due_date(["trước ngày 10/11/2022"], Period(2022, PeriodKind.Q, 1)) is None  # too far from Quý I
True
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta

from etl.vocab.periods import Period, PeriodKind
from etl.vocab.text import fold

_FIXED = re.compile(
    r"(?:ngay\s*)?(\d{1,2})\s*(?:[/.-]|\s+thang\s+)\s*(\d{1,2})(?:\s*(?:[/.-]|\s+nam\s+)\s*(\d{4}))?"
)
_DAY = re.compile(r"ngay\s*(\d{1,2})\b(?!\s*[/.-]\s*\d)(?!\s+thang\s+\d)")
_LAST_MONTH = re.compile(r"thang\s+cuoi\s+(?:cua\s+)?(?:quy|ky|6 thang|nam)")
_NEXT_MONTH = re.compile(
    r"thang\s+(?:dau\s+(?:cua\s+)?(?:quy|ky)\s+(?:sau|tiep theo|ke tiep)|sau|tiep theo|ke tiep)"
)
# A fixed date counts for a period when it falls this close to the period's end.
_BEFORE_END = timedelta(days=45)
_AFTER_END = timedelta(days=92)


def report_due_date(texts: list[str], period: Period) -> date | None:
    """The date ``period``'s report is due by, from the plan's report deadlines (as written); None
    when none of them says it. A relative deadline wins over a fixed date; of fixed dates, the one
    nearest the period's end within 45 days before to 92 days after it."""
    fixed: list[date] = []
    for text in texts:
        folded = fold(text)
        relative = _relative(folded, period)
        if relative is not None:
            return relative
        fixed += _fixed_dates(folded, period.year)
    end = period.end_date
    near = [d for d in fixed if end - _BEFORE_END <= d <= end + _AFTER_END]
    return min(near, key=lambda d: abs((d - end).days)) if near else None


def _relative(folded: str, period: Period) -> date | None:
    day = _DAY.search(folded)
    if day is None:
        return None
    end = period.end_date
    if _LAST_MONTH.search(folded):
        year, month = end.year, end.month
    elif _NEXT_MONTH.search(folded):
        year, month = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
    else:
        return None
    return date(year, month, min(int(day.group(1)), monthrange(year, month)[1]))


def _fixed_dates(folded: str, default_year: int) -> list[date]:
    found = []
    for d, m, y in _FIXED.findall(folded):
        try:
            found.append(date(int(y) if y else default_year, int(m), int(d)))
        except ValueError:
            continue
    return found


__all__ = ["PeriodKind", "report_due_date"]
