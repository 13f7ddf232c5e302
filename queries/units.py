"""Units ranked by completion and by overdue tasks; a task is attributed to each of its lead units."""

from __future__ import annotations

import duckdb
import pandas as pd

from etl import settings
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
    df["name_repeats"] = df.groupby("unit")["province"].transform("nunique") > 1
    return ranked_by_completion(df)


def ranked_by_completion(units: pd.DataFrame, worst_first: bool = False) -> pd.DataFrame:
    """The units of ``completion_by_unit``, best completion first (or worst first); ties: more
    overdue tasks first when worst first (fewer when best first), then more tasks first."""
    return units.sort_values(
        ["pct_done", "n_overdue", "n_tasks", "unit"],
        ascending=[worst_first, not worst_first, False, True],
        ignore_index=True,
    )


def min_tasks_to_rank() -> int:
    """Units with fewer tasks than this are listed apart, not ranked by rate (``TTDN_MIN_UNIT_TASKS``)."""
    return max(int(settings.number("TTDN_MIN_UNIT_TASKS")), 1)


def split_by_task_count(units: pd.DataFrame, min_tasks: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(units with at least ``min_tasks`` tasks: ranked by rate, worst first; the others: apart, most
    overdue first). A unit with 1/1 done is not "better" than one with 9/18: one task says too little."""
    enough = units["n_tasks"] >= min_tasks
    ranked = ranked_by_completion(units[enough], worst_first=True)
    few = units[~enough].sort_values(
        ["n_overdue", "pct_done", "unit"], ascending=[False, True, True], ignore_index=True
    )
    return ranked, few


def display_names(units: pd.DataFrame) -> list[str]:
    """Each unit's name, followed by its province where the same name is used in several provinces
    ("Sở Ngoại vụ (Hà Giang)"), and the mark of a province behind the others (a ``stale_note`` column:
    "Sở Ngoại vụ (kỳ cũ: Quý I/2025)"): plain text, to escape before Markdown."""
    repeats = units["name_repeats"] if "name_repeats" in units else [False] * len(units)
    notes = units["stale_note"] if "stale_note" in units else [""] * len(units)
    return [
        f"{u} ({', '.join(x for x in (p if r else '', n) if x)})" if r or n else u
        for u, p, r, n in zip(units["unit"], units["province"], repeats, notes, strict=True)
    ]


def ranked_by_overdue(units: pd.DataFrame) -> pd.DataFrame:
    """The units of ``completion_by_unit`` with overdue tasks, most overdue first."""
    df = units[units["n_overdue"] > 0]
    return df.sort_values(["n_overdue", "n_tasks", "unit"], ascending=[False, False, True], ignore_index=True)


def most_overdue(conn: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 5) -> pd.DataFrame:
    """The ``limit`` units leading the most overdue tasks (``province, unit, n_overdue``), most first:
    the overview's "who is late", without counting every unit's every status."""
    col = filters.province_column
    sql, params = with_scope(
        conn,
        filters,
        f""", {_BY_LEAD_UNIT}
SELECT {col} AS province, unit, count(*) AS n_overdue FROM by_unit WHERE status_class = 'overdue'
GROUP BY ALL ORDER BY n_overdue DESC, unit, province LIMIT ?""",
        [int(limit)],
    )
    return fetch_df(conn, sql, params)


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
