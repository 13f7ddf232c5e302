"""What a report covers: a province and a period turned into ``Filters``, and the line that says so.

>>> scope_line(Filters(province="Hưng Yên", period="2024-Q3", as_of=date(2024, 10, 15)))
'Hưng Yên · Quý III/2024 · tính đến 15/10/2024'
"""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date
from functools import lru_cache

import duckdb

from display.format import fmt_date
from etl import settings
from etl.vocab.periods import Period, parse_period_code
from etl.vocab.provinces import PROVINCES_CSV
from etl.vocab.provinces import resolve_province as resolve_reference
from etl.vocab.text import key
from queries import options
from queries.filters import Filters, ProvinceMode
from queries.scope import Scope, filter_parts
from reports.errors import UnknownPeriod, UnknownProvince

# Centrally-run cities before the 2025 reorganisation (the reference file gives the kind of current ones).
_LEGACY_CITIES = {"ha noi", "hai phong", "da nang", "ho chi minh", "can tho"}


def resolve_province(conn: duckdb.DuckDBPyConnection, name: str) -> tuple[str, ProvinceMode]:
    """The province as the data spell it, and whether it is a current or an as-written name.

    Any case or diacritics, with or without "tỉnh" / "thành phố"; a current name wins over an old one.
    """
    wanted = {key(name)}
    if (found := resolve_reference(name)) is not None:
        wanted |= {key(found.legacy_name)} if found.legacy_name != found.name else {key(found.name)}
    choices = options.choices(conn)
    for mode in (ProvinceMode.CURRENT, ProvinceMode.LEGACY):
        for province in choices.provinces(mode):
            if key(province) in wanted:
                return province, mode
    known = choices.provinces(ProvinceMode.CURRENT)
    raise UnknownProvince(
        f"Không có báo cáo nào của tỉnh, thành phố '{name}'. Các tỉnh, thành phố có dữ liệu: "
        f"{', '.join(known) or '(chưa có báo cáo nào được nạp)'}. Ghi một tên trong danh sách này."
    )


def resolve_period(conn: duckdb.DuckDBPyConnection, filters: Filters, code: str) -> Period:
    """The period of ``code`` ("2022-Q3"), checked against the periods the province has reports for."""
    try:
        period = parse_period_code(code)
    except ValueError as exc:
        raise UnknownPeriod(str(exc)) from None
    available = options.periods(conn, filters)
    if period.code not in available:
        listed = ", ".join(f"{parse_period_code(c).label} ({c})" for c in available) or "không có"
        raise UnknownPeriod(
            f"{filters.province or 'Dữ liệu'} chưa có báo cáo nào cho kỳ {period.label} ({period.code}). "
            f"Các kỳ có dữ liệu: {listed}."
        )
    return period


def report_filters(
    conn: duckdb.DuckDBPyConnection,
    province: str,
    period: str,
    as_of: date | None = None,
    today: date | None = None,
) -> Filters:
    """The filters of a provincial report for one period (the CLI's ``--province`` and ``--period``).

    ``as_of`` defaults to the period's last day, or today if earlier: a Quý III report judges the units'
    Quý III reports as they stood on 30/9, the way ``trend_by_period`` judges each period.
    """
    name, mode = resolve_province(conn, province)
    scope = Filters(province=name, province_mode=mode)
    found = resolve_period(conn, scope, period)
    judged_on = as_of or min(today or date.today(), found.end_date)
    due_soon = int(settings.number("TTDN_DUE_SOON_DAYS"))
    return replace(scope, period=found.code, as_of=judged_on, due_soon_days=due_soon)


def provincial(filters: Filters) -> Filters:
    """The filters of a report on the whole province: unit, topic and status filters dropped."""
    return filters.without("unit", "topic", "status_class")


def scope_line(filters: Filters, scope: Scope | None = None) -> str:
    """One line naming every active filter, for slides and document subtitles; with the ``scope``
    of the data (``queries.scope.describe_scope``), the plan year and each province's period in words."""
    if scope is not None:
        return f"{scope.text} · tính đến {fmt_date(filters.as_of)}"
    parts = [filters.province or "Tất cả các tỉnh, thành phố"]
    if filters.year is not None and not filters.period:
        parts.append(f"Năm kế hoạch {filters.year}")
    parts.append(
        parse_period_code(filters.period).label if filters.period else "Báo cáo mới nhất của mỗi đơn vị"
    )
    parts.extend(filter_parts(filters))
    parts.append(f"tính đến {fmt_date(filters.as_of)}")
    return " · ".join(parts)


def output_names(filters: Filters) -> tuple[str, str, str]:
    """File names of the report, its appendix and its PDF copy.

    >>> output_names(Filters(province="Hưng Yên", period="2024-Q3"))[:2]
    ('bao_cao_ttdn_hung_yen_2024-Q3.docx', 'phu_luc_ttdn_hung_yen_2024-Q3.xlsx')
    """
    stem = f"ttdn_{key(filters.province or 'tat ca').replace(' ', '_')}_{filters.period or 'moi_nhat'}"
    return f"bao_cao_{stem}.docx", f"phu_luc_{stem}.xlsx", f"bao_cao_{stem}.pdf"


@lru_cache(maxsize=1)
def _current_kinds() -> dict[str, str]:
    with PROVINCES_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return {key(row["name"]): row["kind"] for row in csv.DictReader(handle)}


def province_kind(province: str, mode: ProvinceMode | str = ProvinceMode.CURRENT) -> str:
    """ "tỉnh" or "thành phố" (centrally run city), for "UBND TỈNH …" / "UBND THÀNH PHỐ …".

    >>> province_kind("Huế"), province_kind("Thừa Thiên Huế", ProvinceMode.LEGACY), province_kind("Thái Bình")
    ('thành phố', 'tỉnh', 'tỉnh')
    """
    keyed = key(province)
    if ProvinceMode(mode) is ProvinceMode.LEGACY:
        return "thành phố" if keyed in _LEGACY_CITIES else "tỉnh"
    return _current_kinds().get(keyed, "tỉnh")
