"""Units ranked by completion and by overdue tasks; a task is attributed to each of its lead units."""

from __future__ import annotations

import duckdb
import pandas as pd

from queries.common import CLASS_COUNTS, CLASS_RANK, N_DONE, TASK_TEXTS, add_period_columns, add_status_labels
from queries.filters import Filters, fetch_df, with_scope

# A task row once per lead unit; a row without a lead unit counts for the unit that reported it.
_BY_LEAD_UNIT = """by_unit AS (
    SELECT *, unnest(CASE WHEN len(coalesce(lead_units, [])) > 0 THEN lead_units ELSE [reporting_unit] END)
        AS unit
    FROM scope
)"""


def completion_by_unit(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per (province, lead unit): counts per status class, ``n_done``, ``pct_done``, ``n_overdue``.

    The province is the one the filters group on (as written or current). Sorted by ``pct_done``
    descending, then by ``n_tasks``. A task with two lead units counts once for each.
    """
    col = filters.province_column
    sql, params = with_scope(
        conn,
        filters,
        f""", {_BY_LEAD_UNIT}
SELECT {col} AS province, unit, count(*) AS n_tasks,
    {CLASS_COUNTS},
    {N_DONE} AS n_done
FROM by_unit GROUP BY ALL""",
    )
    df = fetch_df(conn, sql, params)
    df["pct_done"] = (df["n_done"] / df["n_tasks"]).where(df["n_tasks"] > 0, 0.0)
    return ranked_by_completion(df)


def ranked_by_completion(units: pd.DataFrame, worst_first: bool = False) -> pd.DataFrame:
    """The units of ``completion_by_unit``, best completion first (or worst first); ties: more tasks first."""
    return units.sort_values(
        ["pct_done", "n_tasks", "unit"], ascending=[worst_first, False, True], ignore_index=True
    )


def ranked_by_overdue(units: pd.DataFrame) -> pd.DataFrame:
    """The units of ``completion_by_unit`` with overdue tasks, most overdue first."""
    df = units[units["n_overdue"] > 0]
    return df.sort_values(["n_overdue", "n_tasks", "unit"], ascending=[False, False, True], ignore_index=True)


def unit_tasks(conn: duckdb.DuckDBPyConnection, filters: Filters, province: str, unit: str) -> pd.DataFrame:
    """The tasks one unit leads (in one province): worst status first, then by deadline."""
    col = filters.province_column
    sql, params = with_scope(
        conn,
        filters,
        f""", {_BY_LEAD_UNIT}
SELECT task_title, status_class, due_date, due_date_original, percent AS pct_done,
    completed_on, {TASK_TEXTS}, reporting_unit,
    period_year, period_kind, period_index
FROM by_unit WHERE {col} = ? AND unit = ?
ORDER BY CASE status_class WHEN 'overdue' THEN -1 ELSE {CLASS_RANK} END, due_date NULLS LAST, task_title""",
        [province, unit],
    )
    df = fetch_df(conn, sql, params)
    return add_status_labels(add_period_columns(df))
