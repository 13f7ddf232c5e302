"""Like with like: a period against the previous one, over the same plan tasks in the same provinces.

A task of one period is the same as a task of the other when both are linked to the same plan task,
or, without a plan link, when the same unit reports it under the same task code (else its title).
Only provinces with reports in both periods are compared. Tasks found in one period only are
counted (new, gone), never mixed into the rates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb

from etl.vocab.periods import Period
from etl.vocab.status import STATUS_CLASS_ORDER
from queries.common import CLASS_COUNTS, IS_DUE
from queries.filters import Filters, fetch_all, newest_period_end, scope_sql
from queries.overview import Kpis

TASK_KEY = """coalesce('p' || plan_task_id::VARCHAR,
    'u' || reporting_unit || '|' || coalesce(nullif(trim(task_code), ''), task_title))"""
_COUNTS = f"""(SELECT list(province_legacy ORDER BY province_legacy) FROM common) AS provinces, count(*) AS n_tasks, {CLASS_COUNTS},
    count(*) FILTER (WHERE {IS_DUE}) AS n_due, count(*) FILTER (WHERE due_soon) AS n_due_soon"""


@dataclass(frozen=True)
class Matched:
    """The tasks found in both periods, as they stood in each; how many are in one period only."""

    now: Kpis  # the matched tasks in the period, judged on as_of
    before: Kpis  # the same tasks in the previous period, judged on its last day (or as_of)
    n_new: int  # in the period only
    n_gone: int  # in the previous period only
    provinces: tuple[str, ...]  # provinces (as written) with reports in both periods

    @property
    def n_matched(self) -> int:
        return self.now.n_tasks


def compare_periods(
    conn: duckdb.DuckDBPyConnection, filters: Filters, period: Period, previous: Period
) -> Matched:
    """``period`` against ``previous`` for the filters (their status filter left out)."""
    base = filters.without("status_class", "year")
    now = replace(base, period=period.code)
    before = replace(base, period=previous.code, as_of=min(filters.as_of, previous.end_date))
    newest = newest_period_end(conn)
    now_sql, now_params = scope_sql(now, newest_end=newest)
    before_sql, before_params = scope_sql(before, newest_end=newest)
    one_each = f"""SELECT *, {TASK_KEY} AS task_key FROM {{side}} QUALIFY row_number() OVER (
        PARTITION BY province_legacy, task_key ORDER BY submission_id DESC NULLS LAST, row_no) = 1"""
    both = "province_legacy IN (SELECT province_legacy FROM common)"
    in_other = "EXISTS (SELECT 1 FROM {other} o WHERE o.province_legacy = {this}.province_legacy AND o.task_key = {this}.task_key)"
    sql = f"""WITH a_rows AS ({now_sql}), b_rows AS ({before_sql}),
a AS ({one_each.format(side="a_rows")}), b AS ({one_each.format(side="b_rows")}),
common AS (SELECT DISTINCT province_legacy FROM a INTERSECT SELECT DISTINCT province_legacy FROM b)
SELECT 'now', {_COUNTS} FROM a WHERE {both} AND {in_other.format(other="b", this="a")}
UNION ALL
SELECT 'before', {_COUNTS} FROM b WHERE {both} AND {in_other.format(other="a", this="b")}
UNION ALL
SELECT 'new', {_COUNTS} FROM a WHERE {both} AND NOT {in_other.format(other="b", this="a")}
UNION ALL
SELECT 'gone', {_COUNTS} FROM b WHERE {both} AND NOT {in_other.format(other="a", this="b")}"""
    found = fetch_all(conn, sql, [*now_params, *before_params])
    rows = {r[0]: r[2:] for r in found}
    provinces = found[0][1] or []
    names = ["n_tasks", *(f"n_{c.value}" for c in STATUS_CLASS_ORDER), "n_due", "n_due_soon"]

    def kpis(side: str) -> Kpis:
        return Kpis(**{n: int(v or 0) for n, v in zip(names, rows[side], strict=True)})

    return Matched(kpis("now"), kpis("before"), rows["new"][0], rows["gone"][0], tuple(provinces or ()))
