"""Where do we stand: KPI counts, the status breakdown, the trend by period."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from etl.status import STATUS_CLASS_ORDER, StatusClass
from queries.common import CLASS_COUNTS, IS_DUE, add_period_columns, add_status_labels, ratio
from queries.filters import Filters, fetch_all, fetch_df, recent_periods_sql, with_scope


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


def status_breakdown(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """The status breakdown of the overview (``Kpis.breakdown``): one scan for both."""
    return kpis(conn, filters).breakdown()


def trend_by_period(conn: duckdb.DuckDBPyConnection, filters: Filters, max_periods: int = 8) -> pd.DataFrame:
    """Status counts of the last ``max_periods`` reporting periods, each judged at its own end.

    A report of Quý II tells where things stood on 30/6: its rows are judged on the period's last day
    (or on as_of, if earlier), not on today. Columns: ``period_code, period_label, period_end,
    status_class, status_label, n_tasks, pct_tasks``.
    """
    body = f"""
, judged AS (
    SELECT period_year, period_kind, period_index, period_end,
        CASE WHEN submission_id IS NULL THEN 'no_report'
             ELSE status_class(status_reported, percent, completed_on, due_date, due_kind, least(period_end, as_of))
        END AS status_class
    FROM scope
)
SELECT period_year, period_kind, period_index, period_end, status_class, count(*) AS n_tasks
FROM judged {"WHERE status_class = ?" if filters.status_class else ""}
GROUP BY ALL ORDER BY period_end, period_kind, status_class"""
    params = [filters.status_class] if filters.status_class else []
    periods = recent_periods_sql(filters, max_periods)
    sql, all_params = with_scope(conn, filters, body, params, periods=periods, with_status=False)
    df = fetch_df(conn, sql, all_params)
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
