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

import threading
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

import duckdb
import pandas as pd

from etl.vocab.periods import Period, parse_period_code
from queries.common import status_filter_sql

# The source relation is ``plan_coverage_asof`` (etl/store/schema.sql): the report rows of
# ``task_progress_asof`` plus one ``no_report`` row per plan task that no current report covers in a
# period its province reported on. It is read as its two parts, so that each part gets the period
# condition it can use cheaply (report rows: by submission id; no_report rows: by province and period).
REPORTED_MACRO = "task_progress_asof"
MISSING_MACRO = "no_report_asof"  # the no_report rows of plan_coverage_asof
# The report rows of each unit's newest report only (the stored ``latest_rows``): the default view
# once as_of has reached the newest period end, read without touching the other report rows.
NEWEST_MACRO = "latest_progress_asof"
# The same rows, only those of each province's newest period (a column of ``latest_rows``).
NEWEST_PERIOD_MACRO = "latest_progress_asof_newest"


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
    # The viewer's own province (current name) when their role is not national: every query is
    # clamped to it, whatever the other filters (from the URL) say. Set by the UI, never from the URL.
    scope_province: str | None = None

    @property
    def province_column(self) -> str:
        return PROVINCE_COLUMN[ProvinceMode(self.province_mode)]

    @property
    def period_obj(self) -> Period | None:
        return parse_period_code(self.period) if self.period else None

    def without(self, *names: str) -> Filters:
        """The same filters with some of them cleared (for a chart that shows that dimension)."""
        return replace(self, **{name: None for name in names})


def source_sql(filters: Filters, reported_macro: str = REPORTED_MACRO) -> tuple[tuple[str, str], list]:
    """The two parts of the source relation (report rows, no_report rows), judged on ``as_of``.

    Their UNION ALL BY NAME is ``plan_coverage_asof(as_of, soon_days)``. Each part takes the same two
    bind parameters, given once here.
    """
    reported = f"SELECT * FROM {reported_macro}(?, ?)"
    if reported_macro == NEWEST_PERIOD_MACRO:
        reported = f"SELECT * FROM {NEWEST_MACRO}(?, ?, newest_only := TRUE)"
    missing = f"SELECT * FROM {MISSING_MACRO}(?, ?) WHERE TRUE"  # callers append " AND …"
    return (reported, missing), [filters.as_of, int(filters.due_soon_days)]


def submission_conds(filters: Filters, alias: str = "") -> tuple[list[str], list]:
    """Province and year conditions, valid over ``submissions`` as well as over the source relation.

    The viewer's scope (``scope_province``) is a condition of its own, on the current province.
    """
    conds, params = [], []
    if filters.scope_province:
        conds.append(f"{alias}province = ?")
        params.append(filters.scope_province)
    if filters.province:
        conds.append(f"{alias}{filters.province_column} = ?")
        params.append(filters.province)
    if filters.year is not None:
        conds.append(f"{alias}period_year = ?")
        params.append(int(filters.year))
    return conds, params


def counted_periods_sql(filters: Filters) -> tuple[str, list, date, str]:
    """Which periods of ``province_periods`` (or of ``current_submissions``) a selection counts:
    ``(where, params, as_of, counted)``. Rows pass ``period_end <= as_of AND where``; of those, a row
    counts when ``counted`` (an expression) is true: the selected period, or by default each
    province's (as written) latest period ended by as_of."""
    conds, params = submission_conds(filters)
    period = filters.period_obj
    if period is not None:
        conds.append("period_year = ? AND period_kind = ? AND period_index IS NOT DISTINCT FROM ?")
        params += [period.year, str(period.kind), period.index]
        return " AND ".join(["TRUE", *conds]), params, date.max, "TRUE"
    latest = "period_end = max(period_end) OVER (PARTITION BY province_legacy)"
    return " AND ".join(["TRUE", *conds]), params, filters.as_of, latest


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
        cond, cond_params = status_filter_sql(filters.status_class)
        conds.append(cond)
        params += cond_params
    return " AND ".join(conds), params


def latest_sql(filters: Filters) -> tuple[tuple[str, str], list]:
    """The period conditions of the two parts when no period is selected (each with 2 parameters).

    A report row counts when its report is its unit's latest (of the selected year, if any) whose
    period ended on or before as_of: a report is a snapshot, the latest one tells where the unit
    stands. A plan task nobody reported on counts in its province's latest such period. Both parts
    store when a row stops being the latest (``latest_until``, see ``submission_info`` in
    etl/store/schema.sql), so the condition is a plain comparison of each row.
    """
    until = "latest_until" if filters.year is None else "latest_until_in_year"
    cond = f"period_end <= ? AND ({until} IS NULL OR {until} > ?)"
    (on_reported, on_missing), latest_params = province_latest_sql(filters)
    return (f"{cond} AND {on_reported}", f"{cond} AND {on_missing}"), [
        filters.as_of,
        filters.as_of,
        *latest_params,
    ]


def province_latest_periods_sql(filters: Filters) -> tuple[str, list]:
    """``SELECT province_legacy, period_end``: each province's latest reported period ended on or
    before as_of (within the selected year, if any), the period the default scope counts for it."""
    year = "" if filters.year is None else " AND period_year = ?"
    sql = f"""SELECT province_legacy, max(period_end) AS period_end FROM current_submissions
        WHERE period_end <= ?{year} GROUP BY province_legacy"""
    return sql, [filters.as_of, *([] if filters.year is None else [int(filters.year)])]


def province_latest_sql(filters: Filters) -> tuple[tuple[str, str], list]:
    """Conditions of the two parts keeping the rows of each province's latest period (as written):
    a unit whose latest report is older than its province's latest period is not counted as if it
    were current (its plan tasks count as not reported). Both parts take the same parameters."""
    latest, params = province_latest_periods_sql(filters)
    on_reported = f"""submission_id IN (SELECT s.submission_id FROM current_submissions s
        JOIN ({latest}) p ON s.province_legacy = p.province_legacy AND s.period_end = p.period_end)"""
    on_missing = f"(province_legacy, period_end) IN (SELECT (province_legacy, period_end) FROM ({latest}))"
    return (on_reported, on_missing), params


def recent_periods_sql(
    filters: Filters, n_periods: int, kind: str | None = None
) -> tuple[tuple[str, str], list]:
    """Period conditions of the two parts keeping the last ``n_periods`` periods with reports (within
    the province and year filters; of one ``kind`` if given: a trend's axis), for a trend. The periods
    are read from the stored ``province_periods`` (every province's reported periods)."""
    conds, params = submission_conds(filters)
    if kind is not None:
        conds.append("period_kind = ?")
        params.append(str(kind))
    where = " AND ".join(["TRUE", *conds])
    recent = f"""(period_year, period_kind, coalesce(period_index, 0)) IN (
    SELECT period_year, period_kind, coalesce(period_index, 0) FROM (
        SELECT DISTINCT period_year, period_kind, period_index, period_end
        FROM province_periods WHERE {where}
    ) ORDER BY period_end DESC, period_kind LIMIT ?
)"""
    # the report rows by submission id: DuckDB then skips the row groups of other periods
    on_reported = f"submission_id IN (SELECT submission_id FROM current_submissions WHERE {recent})"
    return (on_reported, recent), [*params, int(n_periods)]


def scope_sql(
    filters: Filters,
    *,
    all_periods: bool = False,
    with_status: bool = True,
    periods: tuple[tuple[str, str], list] | None = None,
    newest_end: date | None = None,
    newest_ids: tuple[int, ...] | None = None,
) -> tuple[str, list]:
    """The rows a page counts: both parts of the source, filtered (options: see ``where_sql``).

    ``periods`` replaces the period conditions of the two parts (``recent_periods_sql``); by default a
    selected period, or each unit's latest report (``latest_sql``). ``newest_end`` is the newest
    period end of the data (``newest_period_end``): when as_of has reached it, each unit's latest
    report is its newest one, read from the stored ``latest_rows`` alone, which also say whether a
    row is of its province's newest period (``province_newest``, the rows the default view keeps);
    ``newest_ids`` (the submissions of each province's newest period, ``newest_facts``) keep those
    rows by id instead.
    """
    latest = periods is None and not all_periods and filters.period_obj is None
    newest = (
        latest
        and newest_end is not None
        and filters.as_of >= newest_end
        and (filters.year is None or filters.year == newest_end.year)
    )
    macro = REPORTED_MACRO
    if newest:  # rows of each unit's newest report; without ids, those of each province's newest period
        macro = NEWEST_MACRO if newest_ids is not None else NEWEST_PERIOD_MACRO
    (reported, missing), source_params = source_sql(filters, macro)
    where, where_params = where_sql(
        filters, all_periods=all_periods or periods is not None, with_status=with_status
    )
    if newest:  # the newest year's rows are all among each unit's newest report (latest_rows)
        # no_report rows: latest_until is their province's next period, NULL for its newest
        if newest_ids is not None:
            on_reported, reported_params = "submission_id IN (SELECT unnest(?))", [list(newest_ids)]
        else:  # the stored rows say which are of their province's newest period (NEWEST_PERIOD_MACRO)
            on_reported, reported_params = "TRUE", []
        on_missing, missing_params = "latest_until IS NULL", []
    else:
        if periods is None:
            periods = latest_sql(filters) if latest else (("TRUE", "TRUE"), [])
        (on_reported, on_missing), reported_params = periods
        missing_params = reported_params
    sql = f"""{reported} WHERE {where} AND {on_reported}
    UNION ALL BY NAME
    {missing} AND {where} AND {on_missing}"""
    shared = [*source_params, *where_params]
    return sql, [*shared, *reported_params, *shared, *missing_params]


def with_scope(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    body: str,
    params: list | None = None,
    **options,
) -> tuple[str, list]:
    """Prefix ``body`` (which reads ``scope``) with the filtered scope as a CTE (options: ``scope_sql``).

    Each query computes its scope: DuckDB reads only the row groups of the reports in scope, and by
    default only the stored rows of each province's newest period, judged from stored columns. (Materialising the scope once per
    filters, as a temp table or a registered Arrow table, cost more than the queries it saved.)
    """
    sql, scope_params = scope_sql(filters, newest_end=newest_period_end(conn), **options)
    return f"WITH scope AS ({sql})\n{body}", scope_params + list(params or [])


_newest: dict[int, tuple[duckdb.DuckDBPyConnection, date | None, tuple[int, ...] | None]] = {}
_newest_lock = threading.Lock()


def newest_period_end(conn: duckdb.DuckDBPyConnection) -> date | None:
    """The newest period end of the current submissions on ``conn`` (stored in ``filter_choices``),
    asked once per connection."""
    with _newest_lock:
        known = _newest.get(id(conn))
        if known is not None and known[0] is conn:
            return known[1]
    ((newest,),) = conn.execute("SELECT (SELECT newest_end FROM filter_choices)").fetchall()
    _remember(conn, newest, None)
    return newest


def newest_facts(conn: duckdb.DuckDBPyConnection) -> tuple[date | None, tuple[int, ...]]:
    """The newest period end of the current submissions on ``conn`` (stored in ``filter_choices``)
    and the current submissions of each province's newest period, asked once per connection.

    ``conn`` is a ``Database.reader()`` snapshot, which never changes: a new database version comes
    with a new connection.
    """
    with _newest_lock:
        known = _newest.get(id(conn))
        if known is not None and known[0] is conn and known[2] is not None:
            return known[1], known[2]
    ((newest, ids),) = conn.execute(
        """SELECT (SELECT newest_end FROM filter_choices), (SELECT list(submission_id ORDER BY submission_id) FROM (
    SELECT submission_id, period_end = max(period_end) OVER (PARTITION BY province_legacy) AS newest
    FROM current_submissions) WHERE newest)"""
    ).fetchall()
    ids = tuple(ids or ())
    _remember(conn, newest, ids)
    return newest, ids


def _remember(conn: duckdb.DuckDBPyConnection, newest: date | None, ids: tuple[int, ...] | None) -> None:
    with _newest_lock:
        _newest[id(conn)] = (conn, newest, ids)
        while len(_newest) > 16:  # forget connections that are long gone
            _newest.pop(next(iter(_newest)))


def fetch_df(conn: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    """Run a query and return the (small) result as a DataFrame.

    ``conn`` is this thread's ``Database.reader()`` snapshot, used directly: a cursor of it would not
    see the attached database's tables.
    """
    return conn.execute(sql, params).df()


def fetch_all(conn: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[tuple]:
    """Run a query and return its (few) rows (see ``fetch_df`` about the connection)."""
    return conn.execute(sql, params).fetchall()
