"""The choices offered by the shared filters, read from the loaded data.

The sidebar draws on every rerun, so its choices come in two queries: ``choices`` (what does not
depend on the filters) and ``scoped_choices`` (periods and units within the province and year).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from etl.vocab.text import key
from queries.common import period_code
from queries.filters import Filters, ProvinceMode, fetch_all, submission_conds
from queries.topics import TOPIC_ORDER


def _vi_sorted(names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: (key(n), n))


@dataclass(frozen=True)
class Choices:
    """The filter choices that depend on the data only."""

    provinces_current: list[str]  # after the 2025 reorganisation
    provinces_legacy: list[str]  # as the files name them
    years: list[int]  # plan years with reports, newest first
    topics: list[str]  # in the taxonomy's order, then others alphabetically
    newest_end: date | None  # end of the latest reported period

    def provinces(self, mode: ProvinceMode) -> list[str]:
        return self.provinces_current if ProvinceMode(mode) is ProvinceMode.CURRENT else self.provinces_legacy

    def default_as_of(self, today: date) -> date:
        """Today, or the end of the latest reported period if that is earlier (old data is judged when
        it was reported, not years later)."""
        return min(today, self.newest_end) if self.newest_end else today


def choices(conn: duckdb.DuckDBPyConnection, scope_province: str | None = None) -> Choices:
    """Provinces (both ways), years, topics and the newest period end: the stored ``filter_choices``.

    For a viewer clamped to a province (``scope_province``, its current name), the years and topics
    are those of that province's reports only: another province's plan year or topic is never offered.
    """
    ((current, legacy, years_, topics_, newest_end),) = fetch_all(
        conn,
        "SELECT provinces_current, provinces_legacy, years, topics, newest_end FROM filter_choices",
        [],
    )
    if scope_province:
        ((years_, topics_),) = fetch_all(
            conn,
            """SELECT
    (SELECT list(DISTINCT period_year ORDER BY period_year DESC) FROM submissions WHERE province = ?),
    (SELECT list(DISTINCT coalesce(topic, 'Khác')) FROM report_tasks
     WHERE submission_id IN (SELECT submission_id FROM submissions WHERE province = ?))""",
            [scope_province, scope_province],
        )
    present = set(topics_ or [])
    ordered = [t for t in TOPIC_ORDER if t in present]
    return Choices(
        provinces_current=_vi_sorted(current or []),
        provinces_legacy=_vi_sorted(legacy or []),
        years=[int(y) for y in years_ or []],
        topics=ordered + _vi_sorted([t for t in present if t not in TOPIC_ORDER]),
        newest_end=newest_end,
    )


def scoped_choices(conn: duckdb.DuckDBPyConnection, filters: Filters) -> tuple[list[str], list[str]]:
    """(period codes with reports in the province and year filters, newest first ("2024-Q3", ...);
    reporting and lead units in the province filter, alphabetically), in one query."""
    conds, params = submission_conds(filters)
    unit_conds, unit_params = submission_conds(filters.without("year"))
    ((periods_, units_),) = fetch_all(
        conn,
        f"""SELECT
    (SELECT list((period_year, period_kind, period_index) ORDER BY period_end DESC, period_kind) FROM (
        SELECT DISTINCT period_year, period_kind, period_index, period_end
        FROM province_periods WHERE {" AND ".join(["TRUE", *conds])})),
    (SELECT list(DISTINCT unit) FROM unit_names WHERE {" AND ".join(["TRUE", *unit_conds])})""",
        [*params, *unit_params],
    )
    return [period_code(*p) for p in periods_ or []], _vi_sorted(units_ or [])


def periods(conn: duckdb.DuckDBPyConnection, filters: Filters) -> list[str]:
    """Period codes with reports in the province and year filters, newest first ("2024-Q3", ...)."""
    return scoped_choices(conn, filters)[0]
