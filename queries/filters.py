"""The shared filters and the one place that turns them into SQL.

Every query of the dashboard reads ``scope`` (see ``with_scope``): the rows of the source relation
(``source_sql``) that pass the filters. Values always travel as bind parameters; the only text
spliced into SQL is chosen from fixed whitelists (column names, macro names).

>>> sql, params = scope_sql(Filters(province="Thái Bình", province_mode=ProvinceMode.LEGACY,
...                                 as_of=date(2024, 10, 15)))
>>> params[:3]
[datetime.date(2024, 10, 15), 14, 'Thái Bình']
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

import duckdb
import pandas as pd

from etl.periods import Period, parse_period_code

# The source relation is ``plan_coverage_asof`` (etl/schema.sql): the report rows of
# ``task_progress_asof`` plus one ``no_report`` row per plan task that no current report covers in a
# period its province reported on. It is read as its two parts, so that each part gets the period
# condition it can use cheaply (report rows: by submission id; no_report rows: by province and period).
REPORTED_MACRO = "task_progress_asof"
MISSING_MACRO = "no_report_asof"  # the no_report rows of plan_coverage_asof


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


def source_sql(filters: Filters) -> tuple[tuple[str, str], list]:
    """The two parts of the source relation (report rows, no_report rows), judged on ``as_of``.

    Their UNION ALL BY NAME is ``plan_coverage_asof(as_of, soon_days)``. Each part takes the same two
    bind parameters, given once here.
    """
    reported = f"SELECT * FROM {REPORTED_MACRO}(?, ?)"
    missing = f"SELECT * FROM {MISSING_MACRO}(?, ?) WHERE TRUE"  # callers append " AND …"
    return (reported, missing), [filters.as_of, int(filters.due_soon_days)]


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
    """The conditions of ``filters`` shared by both parts of the source (never empty).

    ``all_periods`` keeps every period (for a trend) instead of the selected one; ``with_status=False``
    leaves out the status filter (for a query that judges status itself). Each unit's latest report,
    when no period is selected, is ``latest_sql``'s business.
    """
    conds, params = submission_conds(filters)
    conds.insert(0, "TRUE")
    period = filters.period_obj
    if period is not None and not all_periods:
        conds.append("period_year = ? AND period_kind = ? AND period_index IS NOT DISTINCT FROM ?")
        params += [period.year, str(period.kind), period.index]
    if filters.unit:
        conds.append("(reporting_unit = ? OR list_contains(lead_units, ?))")
        params += [filters.unit, filters.unit]
    if filters.topic:
        conds.append("coalesce(topic, 'Khác') = ?")
        params.append(filters.topic)
    if filters.status_class and with_status:
        conds.append("status_class = ?")
        params.append(filters.status_class)
    return " AND ".join(conds), params


# Each unit's latest report (of the selected year, if any) whose period ended on or before as_of: a
# report is a snapshot, the latest one tells where the unit stands. The semi-join on submission_id
# reads the small submissions table and lets DuckDB skip row groups of report_tasks.
_LATEST_REPORTED = """submission_id IN (
    SELECT arg_max(submission_id, (period_end(period_year, period_kind, period_index), submission_id))
    FROM submissions
    WHERE superseded_by IS NULL AND period_end(period_year, period_kind, period_index) <= ?
        AND (CAST(? AS INTEGER) IS NULL OR period_year = ?)
    GROUP BY province_legacy, reporting_unit
)"""
# Plan tasks nobody reported on count in their province's latest period.
_LATEST_MISSING = """(province_legacy, period_end) IN (
    SELECT province_legacy, max(period_end(period_year, period_kind, period_index))
    FROM submissions
    WHERE superseded_by IS NULL AND period_end(period_year, period_kind, period_index) <= ?
        AND (CAST(? AS INTEGER) IS NULL OR period_year = ?)
    GROUP BY province_legacy
)"""


def latest_sql(filters: Filters) -> tuple[tuple[str, str], list]:
    """The period conditions of the two parts when no period is selected (each with 3 parameters)."""
    year = None if filters.year is None else int(filters.year)
    return (_LATEST_REPORTED, _LATEST_MISSING), [filters.as_of, year, year]


def recent_periods_sql(filters: Filters, n_periods: int) -> tuple[tuple[str, str], list]:
    """Period conditions of the two parts keeping the last ``n_periods`` periods with reports (within
    the province and year filters), for a trend."""
    conds, params = submission_conds(filters)
    where = " AND ".join(["superseded_by IS NULL", *conds])
    recent = f"""(period_year, period_kind, coalesce(period_index, 0)) IN (
    SELECT period_year, period_kind, coalesce(period_index, 0) FROM (
        SELECT DISTINCT period_year, period_kind, period_index,
            period_end(period_year, period_kind, period_index) AS period_end
        FROM submissions WHERE {where}
    ) ORDER BY period_end DESC, period_kind LIMIT ?
)"""
    on_reported = (
        f"submission_id IN (SELECT submission_id FROM submissions WHERE superseded_by IS NULL AND {recent})"
    )
    return (on_reported, recent), [*params, int(n_periods)]


def scope_sql(
    filters: Filters,
    *,
    all_periods: bool = False,
    with_status: bool = True,
    periods: tuple[tuple[str, str], list] | None = None,
) -> tuple[str, list]:
    """The rows a page counts: both parts of the source, filtered (options: see ``where_sql``).

    ``periods`` replaces the period conditions of the two parts (``recent_periods_sql``); by default a
    selected period, or each unit's latest report (``latest_sql``).
    """
    (reported, missing), source_params = source_sql(filters)
    where, where_params = where_sql(
        filters, all_periods=all_periods or periods is not None, with_status=with_status
    )
    if periods is None:
        latest = not all_periods and filters.period_obj is None
        periods = latest_sql(filters) if latest else (("TRUE", "TRUE"), [])
    (on_reported, on_missing), period_params = periods
    sql = f"""{reported} WHERE {where} AND {on_reported}
    UNION ALL BY NAME
    {missing} AND {where} AND {on_missing}"""
    return sql, [*source_params, *where_params, *period_params] * 2


def with_scope(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    body: str,
    params: list | None = None,
    *,
    shared: bool = False,
    **options,
) -> tuple[str, list]:
    """Prefix ``body`` (which reads ``scope``) with the filtered scope as a CTE.

    ``shared``: the scope is materialised once per connection and filters (``materialized_scope``), for
    the queries a page runs several times on the same filters (the deadline page runs five): each then
    reads a few thousand rows instead of joining and judging the whole table again. Writing the temp
    table costs about one query, so a page with one or two queries is faster without it.
    """
    if shared and not options:
        return f"WITH scope AS (SELECT * FROM {materialized_scope(conn, filters)})\n{body}", list(
            params or []
        )
    sql, scope_params = scope_sql(filters, **options)
    return f"WITH scope AS ({sql})\n{body}", scope_params + list(params or [])


MAX_SCOPES = 8  # temp tables kept per connection
_scopes: dict[int, tuple[duckdb.DuckDBPyConnection, OrderedDict[str, None]]] = {}
_scopes_lock = threading.Lock()


def materialized_scope(conn: duckdb.DuckDBPyConnection, filters: Filters) -> str:
    """The name of a temp table holding ``scope_sql(filters)`` on ``conn`` (created on first use).

    ``conn`` is a thread's ``Database.reader()`` snapshot: a new database version comes with a new
    connection, and so with fresh tables. The latest ``MAX_SCOPES`` tables are kept.
    """
    sql, params = scope_sql(filters)
    name = "scope_" + hashlib.sha1(repr((sql, params)).encode()).hexdigest()[:20]
    with _scopes_lock:
        entry = _scopes.get(id(conn))
        if entry is None or entry[0] is not conn:
            entry = _scopes[id(conn)] = (conn, OrderedDict())
            while len(_scopes) > 4 * MAX_SCOPES:  # forget connections that are long gone
                _scopes.pop(next(iter(_scopes)))
        names = entry[1]
        if name in names:
            names.move_to_end(name)
            return name
    conn.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}", params)
    with _scopes_lock:
        names[name] = None
        stale = list(names)[:-MAX_SCOPES]
        for old in stale:
            del names[old]
    for old in stale:
        conn.execute(f"DROP TABLE IF EXISTS temp.{old}")
    return name


def fetch_df(conn: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    """Run a query and return the (small) result as a DataFrame.

    ``conn`` is this thread's ``Database.reader()`` snapshot, used directly: a cursor of it would not
    see the attached database's tables.
    """
    return conn.execute(sql, params).df()


def fetch_all(conn: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[tuple]:
    """Run a query and return its (few) rows (see ``fetch_df`` about the connection)."""
    return conn.execute(sql, params).fetchall()
