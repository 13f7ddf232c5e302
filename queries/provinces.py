"""Provinces compared, grouped on the province as written or on the current (post-2025) province."""

from __future__ import annotations

import duckdb
import pandas as pd

from queries.common import CLASS_COUNTS, IS_DUE, N_DONE
from queries.filters import Filters, fetch_df, with_scope


def compare_provinces(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per province (all provinces: the province filter is not applied).

    Columns: ``province, n_units, n_tasks, n_<class>…, n_done, n_due, pct_done, overdue_rate_all,
    overdue_rate_due`` and ``legacy_names`` (the names as written that the row gathers). Sorted by
    ``pct_done`` descending.
    """
    scoped = filters.without("province")
    col = scoped.province_column
    sql, params = with_scope(
        conn,
        scoped,
        f"""SELECT {col} AS province, count(DISTINCT reporting_unit) AS n_units, count(*) AS n_tasks,
    {CLASS_COUNTS},
    {N_DONE} AS n_done,
    count(*) FILTER (WHERE {IS_DUE}) AS n_due,
    array_to_string(list_sort(list_distinct(list(province_legacy))), ', ') AS legacy_names
FROM scope GROUP BY 1""",
    )
    df = fetch_df(conn, sql, params)
    df["pct_done"] = df["n_done"] / df["n_tasks"]
    df["overdue_rate_all"] = df["n_overdue"] / df["n_tasks"]
    df["overdue_rate_due"] = (df["n_overdue"] / df["n_due"]).where(df["n_due"] > 0)
    return df.sort_values(["pct_done", "province"], ascending=[False, True], ignore_index=True)


def province_names(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The provinces named in loaded reports, as written and current: ``province_legacy, province``."""
    return fetch_df(
        conn,
        "SELECT DISTINCT province_legacy, province FROM submissions ORDER BY province, province_legacy",
        [],
    )
