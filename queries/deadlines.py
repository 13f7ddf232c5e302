"""Deadlines: the overdue list, what falls due soon, deadlines by month, and open-ended tasks."""

from __future__ import annotations

import duckdb
import pandas as pd

from queries.common import TASK_TEXTS, add_period_columns, add_status_labels
from queries.filters import Filters, fetch_df, with_scope

_TASK_COLUMNS = """task_title, {col} AS province, reporting_unit, lead_unit,
    array_to_string(lead_units, '; ') AS lead_units_text, due_date, due_date_original,
    percent AS pct_done, {texts}, status_class,
    period_year, period_kind, period_index"""


def overdue_tasks(conn: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 500) -> pd.DataFrame:
    """Overdue tasks, longest overdue first, with their lead unit and ``days_overdue`` on as_of."""
    cols = _TASK_COLUMNS.format(col=filters.province_column, texts=TASK_TEXTS)
    sql, params = with_scope(
        conn,
        filters,
        f"""SELECT {cols}, CAST(as_of - due_date AS INTEGER) AS days_overdue
FROM scope WHERE status_class = 'overdue'
ORDER BY days_overdue DESC, lead_unit, task_title LIMIT ?""",
        [int(limit)],
        shared=True,
    )
    return add_status_labels(add_period_columns(fetch_df(conn, sql, params)))


def due_within(
    conn: duckdb.DuckDBPyConnection, filters: Filters, days: int, limit: int = 500
) -> pd.DataFrame:
    """Tasks not done nor suspended whose deadline falls in [as_of, as_of + days], soonest first."""
    cols = _TASK_COLUMNS.format(col=filters.province_column, texts=TASK_TEXTS)
    sql, params = with_scope(
        conn,
        filters,
        f"""SELECT {cols}, CAST(due_date - as_of AS INTEGER) AS days_left
FROM scope
WHERE status_class IN ('in_progress', 'not_started', 'no_report')
    AND due_date BETWEEN as_of AND as_of + CAST(? AS INTEGER)
    AND due_kind NOT IN ('recurring', 'on_demand')
ORDER BY due_date, lead_unit, task_title LIMIT ?""",
        [int(days), int(limit)],
        shared=True,
    )
    return add_status_labels(add_period_columns(fetch_df(conn, sql, params)))


def deadline_timeline(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Dated tasks per deadline month and status class: ``month, status_class, status_label, n_tasks``."""
    sql, params = with_scope(
        conn,
        filters,
        """SELECT CAST(date_trunc('month', due_date) AS DATE) AS month, status_class, count(*) AS n_tasks
FROM scope WHERE due_date IS NOT NULL AND due_kind NOT IN ('recurring', 'on_demand')
GROUP BY ALL ORDER BY month, status_class""",
        shared=True,
    )
    return add_status_labels(fetch_df(conn, sql, params))


def open_ended_by_status(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Recurring ("Thường xuyên") and on-demand ("Khi có yêu cầu") tasks, which are never overdue:
    ``due_kind, status_class, status_label, n_tasks``."""
    sql, params = with_scope(
        conn,
        filters,
        """SELECT due_kind, status_class, count(*) AS n_tasks
FROM scope WHERE due_kind IN ('recurring', 'on_demand') GROUP BY ALL ORDER BY due_kind, status_class""",
        shared=True,
    )
    return add_status_labels(fetch_df(conn, sql, params))


def open_ended_tasks(conn: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 500) -> pd.DataFrame:
    """The recurring and on-demand tasks themselves, by kind then lead unit."""
    cols = _TASK_COLUMNS.format(col=filters.province_column, texts=TASK_TEXTS)
    sql, params = with_scope(
        conn,
        filters,
        f"""SELECT {cols}, due_kind FROM scope WHERE due_kind IN ('recurring', 'on_demand')
ORDER BY due_kind DESC, lead_unit, task_title LIMIT ?""",
        [int(limit)],
        shared=True,
    )
    return add_status_labels(add_period_columns(fetch_df(conn, sql, params)))
