"""The report's own date and number, read from its title rows.

An administrative report is headed "Số: 443/BC-SVHTTDL" and "Thái Bình, ngày 07 tháng 10 năm 2022".
They say which of two versions of the same report is newer, whatever order they are loaded in.

>>> read_report_ref([["Số: 443/BC-SVHTTDL", None, "Thái Bình, ngày 07 tháng 10 năm 2022"]])
ReportRef(issued_on=datetime.date(2022, 10, 7), number=443)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from etl.vocab.text import cell_text, fold

# "ngày 07 tháng 10 năm 2022" (folded: diacritics and case dropped)
_DATE_LINE = re.compile(r"\bngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})\b")
# "Số: 443/BC-SVHTTDL", "Số 12/BC-UBND": the cell starts with it
_NUMBER = re.compile(r"^so\s*:?\s*(\d{1,6})\s*/\s*[a-z]")
# "(Kèm theo Báo cáo số 367/BC-STTTT ngày 9/7/2019 …)": an annex names its report
_ANNEX = re.compile(r"bao cao so\s*(\d{1,6})\s*/\s*[a-z][^ ]*\s*ngay\s*(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass(frozen=True)
class ReportRef:
    """When the report was signed and its number, when the title rows say (None otherwise)."""

    issued_on: date | None = None
    number: int | None = None


def read_report_ref(title_rows: list[list[object]]) -> ReportRef:
    """The first "ngày … tháng … năm …" date and the first "Số: N/…" number of the title rows;
    an annex's "Kèm theo Báo cáo số N/… ngày d/m/yyyy" when the sheet has neither."""
    issued_on: date | None = None
    number: int | None = None
    annex: ReportRef | None = None
    for row in title_rows:
        for value in row:
            text = fold(cell_text(value)) if value not in (None, "") else ""
            if not text:
                continue
            if issued_on is None and (m := _DATE_LINE.search(text)):
                issued_on = _date(int(m[3]), int(m[2]), int(m[1]))
            if number is None and (m := _NUMBER.match(text)):
                number = int(m[1])
            if annex is None and (m := _ANNEX.search(text)):
                annex = ReportRef(_date(int(m[4]), int(m[3]), int(m[2])), int(m[1]))
    if issued_on is None and number is None and annex is not None:
        return annex
    return ReportRef(issued_on, number)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
