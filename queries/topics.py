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
    return topic_views(conn, filters)[0]


def province_topic_heatmap(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Long form ``province, topic, n_tasks, n_done, n_overdue, pct_done`` (province as the filters group)."""
    return topic_views(conn, filters)[1]


def topic_views(conn: duckdb.DuckDBPyConnection, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(``completion_by_topic``, ``province_topic_heatmap``) from one pass over the scope: the counts
    per province and topic, summed over provinces for the first."""
    col = filters.province_column
    sql, params = with_scope(
        conn,
        filters,
        f"""SELECT {col} AS province, coalesce(topic, '{OTHER.label}') AS topic, count(*) AS n_tasks,
    {CLASS_COUNTS},
    {N_DONE} AS n_done
FROM scope GROUP BY ALL""",
    )
    cells = fetch_df(conn, sql, params)
    by_topic = cells.drop(columns="province").groupby("topic", as_index=False, sort=False).sum()
    by_topic["pct_done"] = (by_topic["n_done"] / by_topic["n_tasks"]).where(by_topic["n_tasks"] > 0, 0.0)
    by_topic["rank"] = [_topic_rank(t) for t in by_topic["topic"]]
    by_topic = by_topic.sort_values(["rank", "topic"], ignore_index=True).drop(columns="rank")
    heatmap = cells[["province", "topic", "n_tasks", "n_done", "n_overdue"]].copy()
    heatmap["pct_done"] = heatmap["n_done"] / heatmap["n_tasks"]
    heatmap["rank"] = [_topic_rank(t) for t in heatmap["topic"]]
    heatmap = heatmap.sort_values(["province", "rank"], ignore_index=True).drop(columns="rank")
    return by_topic, heatmap
