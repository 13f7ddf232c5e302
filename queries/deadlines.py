"""Deadlines: the overdue list, what falls due soon, deadlines by month, and open-ended tasks."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from queries.common import OPEN_KINDS_SQL, TASK_TEXTS, add_status_labels
from queries.filters import Filters, fetch_df, with_scope


def _task_list(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    where: str,
    order: str,
    extra: str,  # "expression AS name", or ""
    params: list,
    limit: int,
) -> pd.DataFrame:
    """The first ``limit`` tasks of the scope matching ``where`` in ``order``, with the columns a
    deadline table shows, ``extra`` (computed columns) and ``n_total``, the number of matching tasks
    before the limit (``total_of``). The texts are built for the listed rows only."""
    extra = f"{extra}, " if extra else ""
    sql, all_params = with_scope(
        conn,
        filters,
        f"""SELECT task_title, {filters.province_column} AS province, reporting_unit, lead_unit,
    array_to_string(lead_units, '; ') AS lead_units_text, due_date, due_date_original,
    percent AS pct_done, {TASK_TEXTS}, status_class, due_kind, {extra}n_total
FROM (
    SELECT *, count(*) OVER () AS n_total FROM scope WHERE {where} ORDER BY {order} LIMIT ?
)
ORDER BY {order}""",
        [*params, int(limit)],
    )
    return fetch_df(conn, sql, all_params)


def overdue_tasks(conn: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 500) -> pd.DataFrame:
    """Overdue tasks, longest overdue first, with their lead unit and ``days_overdue`` on as_of."""
    return _task_list(
        conn, filters, where="status_class = 'overdue'", order="due_date, lead_unit, task_title",
        extra="CAST(as_of - due_date AS INTEGER) AS days_overdue", params=[], limit=limit,
    )  # fmt: skip


def due_within(
    conn: duckdb.DuckDBPyConnection, filters: Filters, days: int, limit: int = 500
) -> pd.DataFrame:
    """Tasks not done nor suspended whose deadline falls in [as_of, as_of + days], soonest first."""
    return _task_list(
        conn, filters,
        where=f"""status_class IN ('in_progress', 'not_started', 'no_report')
    AND due_date BETWEEN as_of AND as_of + CAST(? AS INTEGER) AND due_kind NOT IN {OPEN_KINDS_SQL}""",
        order="due_date, lead_unit, task_title", extra="CAST(due_date - as_of AS INTEGER) AS days_left",
        params=[int(days)], limit=limit,
    )  # fmt: skip


@dataclass(frozen=True)
class DeadlineCounts:
    """The two charts of the deadline page, counted in one query."""

    timeline: pd.DataFrame  # dated tasks per deadline month: month, status_class, status_label, n_tasks
    open_ended: pd.DataFrame  # recurring and on-demand tasks: due_kind, status_class, status_label, n_tasks


def deadline_counts(conn: duckdb.DuckDBPyConnection, filters: Filters) -> DeadlineCounts:
    """Dated tasks per deadline month and status class, and recurring ("Thường xuyên") and on-demand
    ("Khi có yêu cầu") tasks, which are never overdue, per kind and status class."""
    sql, params = with_scope(
        conn,
        filters,
        f"""SELECT due_kind IN {OPEN_KINDS_SQL} AS open_ended,
    CASE WHEN due_kind IN {OPEN_KINDS_SQL} THEN due_kind END AS due_kind,
    CASE WHEN due_kind NOT IN {OPEN_KINDS_SQL} THEN CAST(date_trunc('month', due_date) AS DATE) END AS month,
    status_class, count(*) AS n_tasks
FROM scope WHERE due_kind IN {OPEN_KINDS_SQL} OR due_date IS NOT NULL
GROUP BY ALL ORDER BY open_ended, due_kind, month, status_class""",
    )
    df = add_status_labels(fetch_df(conn, sql, params))
    open_ended = df["open_ended"].astype(bool)
    return DeadlineCounts(
        timeline=df.loc[~open_ended, ["month", "status_class", "status_label", "n_tasks"]].reset_index(
            drop=True
        ),
        open_ended=df.loc[open_ended, ["due_kind", "status_class", "status_label", "n_tasks"]].reset_index(
            drop=True
        ),
    )


def open_ended_tasks(conn: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 500) -> pd.DataFrame:
    """The recurring and on-demand tasks themselves, by kind then lead unit, with ``status_label``."""
    return add_status_labels(
        _task_list(
            conn,
            filters,
            where=f"due_kind IN {OPEN_KINDS_SQL}",
            order="due_kind DESC, lead_unit, task_title",
            extra="",
            params=[],
            limit=limit,
        )  # fmt: skip
    )
