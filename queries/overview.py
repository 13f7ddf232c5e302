"""Where do we stand: KPI counts, the status breakdown, the trend by period."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from etl.vocab.periods import PeriodKind, parse_period_code
from etl.vocab.status import STATUS_CLASS_ORDER, StatusClass
from queries.common import (
    CLASS_COUNTS,
    IS_DUE,
    add_period_columns,
    add_status_labels,
    ratio,
    status_filter_sql,
)
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


TREND_COLUMNS = [
    "period_code",
    "period_label",
    "period_end",
    "status_class",
    "status_label",
    "n_tasks",
    "pct_tasks",
]
KIND_ORDER = [PeriodKind.Q, PeriodKind.H, PeriodKind.NINE_MONTHS, PeriodKind.Y]
KIND_LABELS = {
    PeriodKind.Q: "Quý",
    PeriodKind.H: "6 tháng",
    PeriodKind.NINE_MONTHS: "9 tháng",
    PeriodKind.Y: "Năm",
}
NO_REPORT_GAP = "chưa có báo cáo"  # the label of a period of the axis without any report


def period_kinds(conn: duckdb.DuckDBPyConnection, filters: Filters) -> list[str]:
    """The period kinds with reports in the province and year filters (quarters first): a trend's axes."""
    conds, params = submission_conds(filters)
    rows = fetch_all(
        conn,
        f"SELECT DISTINCT period_kind FROM province_periods WHERE {' AND '.join(['TRUE', *conds])}",
        params,
    )
    found = {PeriodKind(k) for (k,) in rows}
    return [k.value for k in KIND_ORDER if k in found]


def trend_by_period(
    conn: duckdb.DuckDBPyConnection, filters: Filters, max_periods: int = 8, kind: str | None = None
) -> pd.DataFrame:
    """Status counts of the last ``max_periods`` periods of one kind, each judged at its own end.

    One kind per axis: ``kind``, else the selected period's, else quarters if any (``period_kinds``).
    A report of Quý II tells where things stood on 30/6: its rows are judged on the period's last day
    (or on as_of, if earlier), not on today. A period of the axis without any report is a row with
    ``status_class`` "" and ``n_tasks`` 0 (a gap, labelled ``NO_REPORT_GAP`` by the charts). Columns:
    ``TREND_COLUMNS``.
    """
    if kind is None:
        kinds = period_kinds(conn, filters)
        kind = filters.period_obj.kind.value if filters.period_obj else (kinds[0] if kinds else None)
    if kind is None:
        return pd.DataFrame(columns=TREND_COLUMNS)
    by_rows = filters.unit is not None or filters.topic is not None  # not in the stored counts
    sql, params = (trend_sql_from_rows if by_rows else trend_sql_from_counts)(
        conn, filters, max_periods, kind
    )
    df = fetch_df(conn, sql, params)
    if df.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    df = add_status_labels(add_period_columns(df))
    df["pct_tasks"] = df["n_tasks"] / df.groupby("period_code")["n_tasks"].transform("sum")
    return with_gaps(df[TREND_COLUMNS], max_periods)


def with_gaps(trend: pd.DataFrame, max_periods: int) -> pd.DataFrame:
    """The trend with a row for every period of its kind between its first and last (at most the last
    ``max_periods``), in order: a period nobody reported on is shown as a gap, not skipped."""
    periods = {parse_period_code(c) for c in trend["period_code"]}
    axis = [max(periods)]
    while len(axis) < max_periods and axis[-1] > min(periods):
        axis.append(axis[-1].previous())
    axis.reverse()
    gaps = [p for p in axis if p not in periods]
    filler = pd.DataFrame({
        "period_code": [p.code for p in gaps], "period_label": [p.label for p in gaps],
        "period_end": [p.end_date for p in gaps], "status_class": "", "status_label": NO_REPORT_GAP,
        "n_tasks": 0, "pct_tasks": 0.0,
    })  # fmt: skip
    kept = trend[trend["period_code"].isin({p.code for p in axis})]
    out = pd.concat([kept, filler], ignore_index=True) if gaps else kept.reset_index(drop=True)
    order = {p.code: i for i, p in enumerate(axis)}
    return out.sort_values("period_code", key=lambda s: s.map(order), kind="stable", ignore_index=True)


_TREND_TOTALS = """SELECT period_year, period_kind, period_index, period_end, status_class, sum(n_tasks)::BIGINT AS n_tasks
FROM judged {where} GROUP BY ALL ORDER BY period_end, period_kind, status_class"""


def trend_sql_from_rows(
    conn: duckdb.DuckDBPyConnection, filters: Filters, max_periods: int, kind: str | None = None
) -> tuple[str, list]:
    """The trend's query over the report rows, judging each on its period's end (stored) or on as_of."""
    status, params = status_filter_sql(filters.status_class) if filters.status_class else ("", [])
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
{_TREND_TOTALS.format(where=f"WHERE {status}" if filters.status_class else "")}"""
    periods = recent_periods_sql(filters, max_periods, kind)
    return with_scope(conn, filters, body, params, periods=periods, with_status=False)


def trend_sql_from_counts(
    conn: duckdb.DuckDBPyConnection, filters: Filters, max_periods: int, kind: str | None = None
) -> tuple[str, list]:
    """The same query over the stored counts per province and period (``period_status_counts``), for
    filters that the counts know (province, year, status; not unit nor topic): periods ended by
    as_of come from the counts, a period still running on as_of from its rows judged on as_of."""
    (_, recent), recent_params = recent_periods_sql(filters, max_periods, kind)  # by period, not by id
    conds, cond_params = submission_conds(filters)
    where = " AND ".join(["TRUE", *conds])
    status_cond, status_params = status_filter_sql(filters.status_class) if filters.status_class else ("", [])
    status = f"WHERE {status_cond}" if filters.status_class else ""
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
    SELECT period_year, period_kind, period_index, period_end, status_at_end AS status_class, n_tasks
    FROM period_status_counts
    WHERE {where} AND {recent} AND period_end <= ?
    {running}
    UNION ALL
    SELECT period_year, period_kind, period_index, period_end, 'no_report' AS status_class, 1 AS n_tasks
    FROM no_report_rows WHERE {where} AND {recent}
)
{_TREND_TOTALS.format(where=status)}"""
    params = [*scoped, filters.as_of, *running_params, *scoped]
    return sql, params + status_params
