"""The task list: searchable, filterable, exportable."""

from __future__ import annotations

import duckdb
import pandas as pd

from etl.vocab.text import fold
from queries.common import CLASS_RANK, TASK_TEXTS, add_period_columns, add_status_labels
from queries.filters import Filters, fetch_all, fetch_df, with_scope

# Text searched, folded like etl.vocab.text.fold (lower case, no diacritics, đ → d) on both sides.
_HAYSTACK = """replace(strip_accents(lower(concat_ws(' ', task_title, result_text, difficulties, proposals,
    array_to_string(lead_units, '; '), array_to_string(coordinating_units, '; '), reporting_unit))), 'đ', 'd')"""

# Columns of the table and of the export, in order.
TASK_COLUMNS = [
    "task_title", "status_label", "due_date", "lead_units_text", "province", "reporting_unit", "period_label",
    "pct_done", "result_text", "difficulties", "proposals", "due_text", "due_date_original", "completed_on",
    "task_code", "topic", "coordinating_units_text",
]  # fmt: skip


def _search_condition(search: str | None) -> tuple[str, list]:
    words = fold(search or "").split()
    if not words:
        return "TRUE", []
    return " AND ".join(f"contains({_HAYSTACK}, ?)" for _ in words), words


def task_table(
    conn: duckdb.DuckDBPyConnection, filters: Filters, search: str | None = None, limit: int = 1000
) -> pd.DataFrame:
    """Tasks matching the filters and every word of ``search`` (any case, with or without diacritics).

    Worst status first (overdue, then by the conventional order), then by deadline. Columns:
    ``TASK_COLUMNS`` plus ``status_class``.
    """
    cond, words = _search_condition(search)
    sql, params = with_scope(
        conn,
        filters,
        f"""SELECT province, reporting_unit, period_year, period_kind, period_index,
    coalesce(task_code, '') AS task_code, task_title, coalesce(topic, 'Khác') AS topic, status_class, due_date,
    due_date_original, {TASK_TEXTS},
    array_to_string(lead_units, '; ') AS lead_units_text,
    array_to_string(coordinating_units, '; ') AS coordinating_units_text,
    percent AS pct_done, completed_on
FROM (  -- the texts are built for the listed rows only
    SELECT * EXCLUDE (province), {filters.province_column} AS province, CASE status_class WHEN 'overdue' THEN -1 ELSE {CLASS_RANK} END
        AS class_rank
    FROM scope WHERE {cond}
    ORDER BY class_rank, due_date NULLS LAST, province, reporting_unit, row_no
    LIMIT ?
)
ORDER BY class_rank, due_date NULLS LAST, province, reporting_unit, row_no""",
        [*words, int(limit)],
    )
    df = add_status_labels(add_period_columns(fetch_df(conn, sql, params)))
    return df[[*TASK_COLUMNS, "status_class"]]


def count_tasks(conn: duckdb.DuckDBPyConnection, filters: Filters, search: str | None = None) -> int:
    """How many tasks ``task_table`` would list without a limit."""
    cond, words = _search_condition(search)
    sql, params = with_scope(conn, filters, f"SELECT count(*) FROM scope WHERE {cond}", words)
    return int(fetch_all(conn, sql, params)[0][0])
