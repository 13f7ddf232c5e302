"""The shared filters and the one place that turns them into SQL.

Every query of the dashboard reads from ``scope_sql(filters)``: the rows of the source relation
(``source_sql``) that pass the filters. Values always travel as bind parameters; the only text
spliced into SQL is chosen from fixed whitelists (column names, macro names).

>>> sql, params = scope_sql(Filters(province="Thái Bình", province_mode=ProvinceMode.LEGACY,
...                                 as_of=date(2024, 10, 15)))
>>> params[:3]
[datetime.date(2024, 10, 15), 14, 'Thái Bình']
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

import duckdb
import pandas as pd

from etl.periods import Period, parse_period_code

# The relation every query reads. ``plan_coverage_asof`` (same columns plus ``no_report`` rows for
# plan tasks nobody reported on) replaces it once the plan-coverage macro exists.
SOURCE_MACRO = "task_progress_asof"


class ProvinceMode(StrEnum):
    """Which province name a row is grouped and filtered on."""

    LEGACY = "legacy"  # as the file names it (Thái Bình, Phú Yên, ...)
    CURRENT = "current"  # after the 2025 reorganisation (Hưng Yên, Đắk Lắk, ...)


PROVINCE_COLUMN = {ProvinceMode.LEGACY: "province_legacy", ProvinceMode.CURRENT: "province"}


@dataclass(frozen=True)
class Filters:
    """What the user selected in the sidebar; ``None`` means "all".

    ``period`` is a period code ("2024-Q3", "2024-H1", "2024-9M", "2024"); when it is ``None`` each
    unit's latest report whose period ended on or before ``as_of`` is counted, so a task is never
    counted twice across periods.
    """

    province: str | None = None
    province_mode: ProvinceMode = ProvinceMode.CURRENT
    year: int | None = None
    period: str | None = None
    unit: str | None = None
    topic: str | None = None
    status_class: str | None = None
    as_of: date = field(default_factory=date.today)
    due_soon_days: int = 14

    @property
    def province_column(self) -> str:
        return PROVINCE_COLUMN[ProvinceMode(self.province_mode)]

    @property
    def period_obj(self) -> Period | None:
        return parse_period_code(self.period) if self.period else None

    def without(self, *names: str) -> Filters:
        """The same filters with some of them cleared (for a chart that shows that dimension)."""
        return replace(self, **{name: None for name in names})


def source_sql(filters: Filters) -> tuple[str, list]:
    """The relation of task rows judged on ``filters.as_of``, with its bind parameters."""
    return f"{SOURCE_MACRO}(?, ?)", [filters.as_of, int(filters.due_soon_days)]


def submission_conds(filters: Filters, alias: str = "") -> tuple[list[str], list]:
    """Province and year conditions, valid over ``submissions`` as well as over the source relation."""
    conds, params = [], []
    if filters.province:
        conds.append(f"{alias}{filters.province_column} = ?")
        params.append(filters.province)
    if filters.year is not None:
        conds.append(f"{alias}period_year = ?")
        params.append(int(filters.year))
    return conds, params


def where_sql(filters: Filters, *, all_periods: bool = False, with_status: bool = True) -> tuple[str, list]:
    """The WHERE conditions of ``filters`` over the source relation (never empty: starts with TRUE).

    ``all_periods`` keeps every period (for a trend) instead of the selected one or each unit's latest;
    ``with_status=False`` leaves out the status filter (for a query that judges status itself).
    """
    conds, params = submission_conds(filters)
    conds.insert(0, "TRUE")
    period = filters.period_obj
    if all_periods:
        pass
    elif period is not None:
        conds.append("period_year = ? AND period_kind = ? AND period_index IS NOT DISTINCT FROM ?")
        params += [period.year, str(period.kind), period.index]
    else:
        conds.append(_LATEST_PER_UNIT)
        year = None if filters.year is None else int(filters.year)
        params += [filters.as_of, year, year]
    if filters.unit:
        conds.append("(reporting_unit = ? OR list_contains(lead_units, ?))")
        params += [filters.unit, filters.unit]
    if filters.topic:
        conds.append("coalesce(topic, '') = ?")
        params.append(filters.topic)
    if filters.status_class and with_status:
        conds.append("status_class = ?")
        params.append(filters.status_class)
    return " AND ".join(conds), params


# Each unit's latest report (of the selected year, if any) whose period ended on or before as_of: a
# report is a snapshot, the latest one tells where the unit stands. Reads the small submissions table;
# the semi-join on submission_id lets DuckDB skip row groups of report_tasks.
_LATEST_PER_UNIT = """submission_id IN (
    SELECT arg_max(submission_id, (period_end(period_year, period_kind, period_index), submission_id))
    FROM submissions
    WHERE superseded_by IS NULL AND period_end(period_year, period_kind, period_index) <= ?
        AND (CAST(? AS INTEGER) IS NULL OR period_year = ?)
    GROUP BY province_legacy, reporting_unit
)"""


def scope_sql(filters: Filters, **options: bool) -> tuple[str, list]:
    """``SELECT * FROM <source> WHERE <filters>``: the rows a page counts (options: see ``where_sql``)."""
    source, params = source_sql(filters)
    where, where_params = where_sql(filters, **options)
    return f"SELECT * FROM {source} WHERE {where}", params + where_params


def with_scope(filters: Filters, body: str, params: list | None = None, **options: bool) -> tuple[str, list]:
    """Prefix ``body`` (which reads ``scope``) with the filtered scope as a CTE."""
    sql, scope_params = scope_sql(filters, **options)
    return f"WITH scope AS ({sql})\n{body}", scope_params + list(params or [])


def fetch_df(conn: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    """Run a query on its own cursor and return the (small) result as a DataFrame."""
    with conn.cursor() as cursor:
        return cursor.execute(sql, params).df()


def fetch_all(conn: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[tuple]:
    """Run a query on its own cursor and return its (few) rows."""
    with conn.cursor() as cursor:
        return cursor.execute(sql, params).fetchall()
