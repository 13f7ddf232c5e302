"""Where do we stand: KPI counts, the status breakdown, the trend by period."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from etl.vocab.status import STATUS_CLASS_ORDER, StatusClass
from queries.common import CLASS_COUNTS, IS_DUE, add_period_columns, add_status_labels, ratio
from queries.filters import (
    REPORTED_MACRO,
    Filters,
    fetch_all,
    fetch_df,
    newest_period_end,
    recent_periods_sql,
    submission_conds,
    with_scope,
)


@dataclass(frozen=True)
class Kpis:
    """Counts of task rows by status class, and the two denominators of the overdue rate."""

    n_tasks: int
    n_done_on_time: int
    n_done_late: int
    n_done_undated: int
    n_in_progress: int
    n_not_started: int
    n_overdue: int
    n_suspended: int
    n_no_report: int
    n_due: int  # dated, non-recurring tasks whose deadline is on or before as_of
    n_due_soon: int

    @property
    def n_done(self) -> int:
        return self.n_done_on_time + self.n_done_late + self.n_done_undated

    @property
    def overdue_rate_all(self) -> float | None:
        """Overdue over all tasks assigned (denominator ``n_tasks``)."""
        return ratio(self.n_overdue, self.n_tasks)

    @property
    def overdue_rate_due(self) -> float | None:
        """Overdue over tasks due by the as-of date (denominator ``n_due``)."""
        return ratio(self.n_overdue, self.n_due)

    @property
    def done_rate(self) -> float | None:
        return ratio(self.n_done, self.n_tasks)

    def breakdown(self) -> pd.DataFrame:
        """One row per status class in the conventional order: ``status_class, status_label, n_tasks,
        pct_tasks``; ``no_report`` only when there is some (it needs plans to be loaded)."""
        classes = [c for c in STATUS_CLASS_ORDER if c is not StatusClass.NO_REPORT or self.n_no_report]
        df = pd.DataFrame({"status_class": [c.value for c in classes]})
        df["n_tasks"] = [getattr(self, f"n_{c.value}") for c in classes]
        df["pct_tasks"] = df["n_tasks"] / self.n_tasks if self.n_tasks else 0.0
        return add_status_labels(df)


def kpis(conn: duckdb.DuckDBPyConnection, filters: Filters) -> Kpis:
    """The KPI cards of the overview, in one scan."""
    sql, params = with_scope(
        conn,
        filters,
        f"""SELECT count(*) AS n_tasks,
    {CLASS_COUNTS},
    count(*) FILTER (WHERE {IS_DUE}) AS n_due,
    count(*) FILTER (WHERE due_soon) AS n_due_soon
FROM scope""",
    )
    (row,) = fetch_all(conn, sql, params)
    names = ["n_tasks", *(f"n_{c.value}" for c in STATUS_CLASS_ORDER), "n_due", "n_due_soon"]
    return Kpis(**{name: int(value or 0) for name, value in zip(names, row, strict=True)})


def trend_by_period(conn: duckdb.DuckDBPyConnection, filters: Filters, max_periods: int = 8) -> pd.DataFrame:
    """Status counts of the last ``max_periods`` reporting periods, each judged at its own end.

    A report of Quý II tells where things stood on 30/6: its rows are judged on the period's last day
    (or on as_of, if earlier), not on today. Columns: ``period_code, period_label, period_end,
    status_class, status_label, n_tasks, pct_tasks``.
    """
    by_rows = filters.unit is not None or filters.topic is not None  # not in the stored counts
    sql, params = (trend_sql_from_rows if by_rows else trend_sql_from_counts)(conn, filters, max_periods)
    df = fetch_df(conn, sql, params)
    columns = [
        "period_code",
        "period_label",
        "period_end",
        "status_class",
        "status_label",
        "n_tasks",
        "pct_tasks",
    ]
    if df.empty:
        return pd.DataFrame(columns=columns)
    df = add_status_labels(add_period_columns(df))
    df["pct_tasks"] = df["n_tasks"] / df.groupby("period_code")["n_tasks"].transform("sum")
    return df[columns]


_TREND_TOTALS = """SELECT period_year, period_kind, period_index, period_end, status_class, sum(n_tasks)::BIGINT AS n_tasks
FROM judged {where} GROUP BY ALL ORDER BY period_end, period_kind, status_class"""


def trend_sql_from_rows(
    conn: duckdb.DuckDBPyConnection, filters: Filters, max_periods: int
) -> tuple[str, list]:
    """The trend's query over the report rows, judging each on its period's end (stored) or on as_of."""
    body = f"""
, judged AS (
    SELECT period_year, period_kind, period_index, period_end,
        CASE WHEN submission_id IS NULL THEN 'no_report'
             WHEN period_end <= as_of THEN status_at_end  -- stored: judged on period_end
             ELSE status_class(status_reported, percent, completed_on, due_date, due_kind, as_of)
        END AS status_class,
        1 AS n_tasks
    FROM scope
)
{_TREND_TOTALS.format(where="WHERE status_class = ?" if filters.status_class else "")}"""
    params = [filters.status_class] if filters.status_class else []
    periods = recent_periods_sql(filters, max_periods)
    return with_scope(conn, filters, body, params, periods=periods, with_status=False)


def trend_sql_from_counts(
    conn: duckdb.DuckDBPyConnection, filters: Filters, max_periods: int
) -> tuple[str, list]:
    """The same query over the stored per-submission counts (``submission_status_counts``), for
    filters that the counts know (province, year, status; not unit nor topic): periods ended by
    as_of come from the counts, a period still running on as_of from its rows judged on as_of."""
    (_, recent), recent_params = recent_periods_sql(filters, max_periods)  # by period, not by id
    conds, cond_params = submission_conds(filters)
    where = " AND ".join(["TRUE", *conds])
    status = "WHERE status_class = ?" if filters.status_class else ""
    scoped = [*cond_params, *recent_params]
    # The rows of a period still running on as_of (none once as_of has reached the newest period
    # end, as by default: then the query leaves this part, and the cost of planning it, out).
    newest_end = newest_period_end(conn)
    running, running_params = "", []
    if newest_end is not None and newest_end > filters.as_of:
        running = f"""UNION ALL
    SELECT period_year, period_kind, period_index, period_end, status_class, 1 AS n_tasks
    FROM {REPORTED_MACRO}(?, 0)
    WHERE submission_id IN (
        SELECT submission_id FROM current_submissions WHERE {where} AND {recent} AND period_end > ?
    )"""
        running_params = [filters.as_of, *scoped, filters.as_of]
    sql = f"""WITH judged AS (
    SELECT period_year, period_kind, period_index, period_end, c.status_at_end AS status_class, c.n_tasks
    FROM submission_status_counts c JOIN current_submissions USING (submission_id)
    WHERE {where} AND {recent} AND period_end <= ?
    {running}
    UNION ALL
    SELECT period_year, period_kind, period_index, period_end, 'no_report' AS status_class, 1 AS n_tasks
    FROM no_report_rows WHERE {where} AND {recent}
)
{_TREND_TOTALS.format(where=status)}"""
    params = [*scoped, filters.as_of, *running_params, *scoped]
    return sql, params + ([filters.status_class] if filters.status_class else [])
