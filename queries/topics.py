"""Completion per topic (chủ đề), and the province × topic heatmap."""

from __future__ import annotations

import duckdb
import pandas as pd

from etl.vocab.topics import OTHER, TOPICS
from queries.common import CLASS_COUNTS, N_DONE
from queries.filters import Filters, fetch_df, with_scope

# Topics in the taxonomy's order (1 … 12, then Khác); unknown labels go last, alphabetically.
TOPIC_ORDER = [t.label for t in TOPICS] + [OTHER.label]


def _topic_rank(label: str) -> int:
    return TOPIC_ORDER.index(label) if label in TOPIC_ORDER else len(TOPIC_ORDER)


def completion_by_topic(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per topic: ``topic, n_tasks, n_<class>…, n_done, pct_done``, in the taxonomy's order."""
    sql, params = with_scope(
        conn,
        filters,
        f"""SELECT coalesce(topic, '{OTHER.label}') AS topic, count(*) AS n_tasks,
    {CLASS_COUNTS},
    {N_DONE} AS n_done
FROM scope GROUP BY 1""",
    )
    df = fetch_df(conn, sql, params)
    df["pct_done"] = (df["n_done"] / df["n_tasks"]).where(df["n_tasks"] > 0, 0.0)
    df["rank"] = [_topic_rank(t) for t in df["topic"]]
    return df.sort_values(["rank", "topic"], ignore_index=True).drop(columns="rank")


def province_topic_heatmap(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Long form ``province, topic, n_tasks, n_done, n_overdue, pct_done`` (province as the filters group)."""
    col = filters.province_column
    sql, params = with_scope(
        conn,
        filters,
        f"""SELECT {col} AS province, coalesce(topic, '{OTHER.label}') AS topic, count(*) AS n_tasks,
    {N_DONE} AS n_done, count(*) FILTER (WHERE status_class = 'overdue') AS n_overdue
FROM scope GROUP BY ALL""",
    )
    df = fetch_df(conn, sql, params)
    df["pct_done"] = df["n_done"] / df["n_tasks"]
    df["rank"] = [_topic_rank(t) for t in df["topic"]]
    return df.sort_values(["province", "rank"], ignore_index=True).drop(columns="rank")
