"""Best guesses for what a report's head does not say, and periods written as a date range.

A guess is never loaded on its own: ``etl.ingest.meta`` puts guesses in ``MissingMetadata.guesses``
so that a person confirms them (the upload page prefills its form with them).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from etl.ingest.title_block import TitleBlock
from etl.vocab.periods import Period, PeriodKind, find_period, quarter_index
from etl.vocab.places import signing_place_districts
from etl.vocab.provinces import find_province, resolve_province
from etl.vocab.text import fold, key
from etl.vocab.unit_names import display_name, full_name
from etl.vocab.units import UnitDirectory

_DATE = r"(\d{1,2})\s*(?:/|-|\.|thang)\s*(\d{1,2})\s*(?:/|-|\.|,?\s*nam)\s*(\d{4})"
_RANGE = re.compile(rf"\btu\s*(?:ngay\s*)?{_DATE}\s*(?:den|toi)\s*(?:het\s*)?(?:ngay\s*)?{_DATE}")
# a cumulative cut-off: "(Tính đến ngày 30/9/2022)", "Từ đầu năm đến ngày 30/6/2022", "Lũy kế đến hết 31/12/2022"
_UNTIL = re.compile(
    rf"\b(?:tinh den|tu dau nam(?:\s*\d{{4}})?\s*(?:den|toi)|luy ke(?:\s*tu dau nam)?\s*den)\s*(?:het\s*)?(?:ngay\s*)?{_DATE}"
)
_OF_UNIT = re.compile(r"\b(?:của|cua)\s+(.+?)(?:\s+(?:về|ve|năm|nam|quý|quy)\b.*)?\s*\)?\s*$", re.I)
_FILE_QUARTER = re.compile(r"\b(?:q|quy)\s*(iv|i{1,3}|[1-4])\s*(?:nam\s*)?(20\d\d)\b")
_FILE_MONTHS = re.compile(r"\b([69])\s*t(?:hang)?\s*(?:dau\s*)?(?:nam\s*)?(20\d\d)\b")
_FILE_YEAR = re.compile(r"\b(?:ca\s*)?nam\s*(20\d\d)\b")
_DATES = re.compile(r"(?:ngay\s*)?\d{1,2}\s*(?:thang|/|-|\.)\s*\d{1,2}|\bthang\s*\d{1,2}\b")
_YEARLESS = re.compile(r"\b(?:quy\s*(iv|i{1,3}|[1-4])|([69])\s*thang(?:\s*(dau|cuoi))?)\b")
_CUMULATIVE = {2: (PeriodKind.H, 1), 3: (PeriodKind.NINE_MONTHS, None), 4: (PeriodKind.Y, None)}


def period_of_range(lines: list[str]) -> Period | None:
    """The period a date range covers ("Từ ngày 01/7/2022 đến ngày 30/9/2022" → Q3 2022), or a cumulative
    cut-off from the start of the year ("Tính đến ngày 30/9/2022" → nine months of 2022).

    The statistical cut-off of Nghị định 09/2019 counts too: from the 15th of the month before the
    period to the 14th of its last month ("từ 15/12/2021 đến 14/6/2022" → first half of 2022).
    """
    for line in lines:
        folded = fold(line)
        if m := _RANGE.search(folded):
            try:
                start, end = _day(*m.groups()[:3]), _day(*m.groups()[3:])
            except ValueError:
                continue
            if found := _period_between(start, end):
                return found
        elif m := _UNTIL.search(folded):  # from the start of the year to the cut-off
            try:
                end = _day(*m.groups())
            except ValueError:
                continue
            if found := _period_between(date(end.year, 1, 1), end):
                return found
    return None


def _day(d: str, m: str, y: str) -> date:
    return date(int(y), int(m), int(d))


def _period_between(start: date, end: date) -> Period | None:
    first = start + timedelta(days=20) if start.day >= 15 else start  # cut-off on the 15th: next month
    months = (end.year - first.year) * 12 + end.month - first.month + 1
    if end.month % 3 or months not in (3, 6, 9, 12):
        return None
    if months == 3:
        return Period(end.year, PeriodKind.Q, end.month // 3)
    if months == 6 and end.month in (6, 12):
        return Period(end.year, PeriodKind.H, end.month // 6)
    if months == 9 and end.month == 9:
        return Period(end.year, PeriodKind.NINE_MONTHS)
    return Period(end.year, PeriodKind.Y) if months == 12 and end.month == 12 else None


def guess_periods(block: TitleBlock, file_name: str) -> tuple[str, ...]:
    """Period codes a person would propose: a year-less period line with a year found elsewhere, the
    file's name, then the periods a report signed on that date is usually for."""
    years = [
        y for y in (_file_year(file_name), block.signing_date and _reported(block.signing_date)[0].year) if y
    ]
    found: list[Period] = []
    for line in block.titles:
        for m in _YEARLESS.finditer(fold(line)):
            found += [p for y in years[:1] if (p := _yearless(m, y))]
    if named := _file_period(file_name):
        found.append(named)
    if block.signing_date:
        found += _reported(block.signing_date)
    return tuple(dict.fromkeys(p.code for p in found))


def yearless_period(lines: list[str], year: int) -> Period | None:
    """A period named without its year ("Kỳ báo cáo: 9 tháng", "Báo cáo 6 tháng đầu năm") in that year.

    Dates are not periods ("ngày 15 tháng 6" is no half-year).
    """
    for line in lines:
        for m in _YEARLESS.finditer(_DATES.sub(" ", fold(line))):
            return _yearless(m, year)
    return None


def _yearless(m: re.Match[str], year: int) -> Period | None:
    if m.group(1):
        return Period(year, PeriodKind.Q, quarter_index(m.group(1)))
    if m.group(2) == "9":
        return Period(year, PeriodKind.NINE_MONTHS)
    return Period(year, PeriodKind.H, 2 if m.group(3) == "cuoi" else 1)


def _reported(signed: date) -> list[Period]:
    """A report signed on a date covers the quarter that ended just before (or is ending), and the
    cumulative period to that quarter."""
    day = signed - timedelta(days=20)
    quarter = (day.month - 1) // 3 + 1
    out = [Period(day.year, PeriodKind.Q, quarter)]
    if quarter in _CUMULATIVE:
        out.append(Period(day.year, *_CUMULATIVE[quarter]))
    return out


def _file_words(file_name: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]{2,4}$", "", file_name or "")
    return fold(re.sub(r"[_\-.()\[\]]+|(?<=[a-zà-ỹ])(?=[A-ZĐ])", " ", stem))


def period_in_file_name(file_name: str) -> Period | None:
    """The period a file's name gives ("BC_TTDN_Quy3_2022.xlsx": Quý III/2022), or None."""
    return _file_period(file_name)


def _file_period(file_name: str) -> Period | None:
    words = _file_words(file_name)
    if m := _FILE_QUARTER.search(words):
        return Period(int(m.group(2)), PeriodKind.Q, quarter_index(m.group(1)))
    if m := _FILE_MONTHS.search(words):
        kind = PeriodKind.H if m.group(1) == "6" else PeriodKind.NINE_MONTHS
        return Period(int(m.group(2)), kind, 1 if kind is PeriodKind.H else None)
    if m := _FILE_YEAR.search(words):
        return Period(int(m.group(1)), PeriodKind.Y)
    return find_period(words)


def _file_year(file_name: str) -> int | None:
    m = re.search(r"(?<!\d)(20\d\d)(?!\d)", file_name or "")
    return int(m.group(1)) if m else None


def guess_units(
    block: TitleBlock, directory: UnitDirectory, province: str | None, file_name: str
) -> tuple[str, ...]:
    """Unit names a person would propose: the bodies of the header, a title's "của X", the file's name."""
    written = [full_name(block.issuers[: i + 1]) or "" for i in reversed(range(len(block.issuers)))]
    written += [block.attached_to or ""] + [m.group(1) for t in block.titles if (m := _OF_UNIT.search(t))]
    words = _file_words(file_name).split()
    written += [
        " ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(i + 4, len(words)) + 1)
    ]
    found: list[str] = []
    for text in written:
        hit = directory.match(text, province) if text else None
        if hit or (text and text in block.issuers + [block.attached_to]):
            found.append(hit or display_name(text))
    return tuple(dict.fromkeys(found))


def guess_provinces(
    candidates: tuple[str, ...], unit: str | None, block: TitleBlock, directory: UnitDirectory
) -> tuple[str, ...]:
    """Province names (pre-2025) a person would propose: where a district of that name is, where the
    directory has the unit, the signing place."""
    found = list(candidates)
    if unit:
        found += directory.provinces_of(unit)
    place = block.signing_place or ""
    if province := resolve_province(place) or find_province(" ".join(block.preamble)):
        found.append(province.legacy_name)
    found += [d.province for d in signing_place_districts(place)]
    return tuple(dict.fromkeys(p for p in found if key(p)))
