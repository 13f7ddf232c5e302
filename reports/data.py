"""Everything a report or a slide deck shows, read once through the dashboard's query functions."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from etl.vocab.periods import Period, parse_period_code
from etl.vocab.text import key
from queries import compare, deadlines, overview, received, submissions, tasks, topics, units
from queries.compare import Matched
from queries.filters import Filters
from queries.overview import Kpis
from queries.received import Receipts
from queries.scope import Scope, describe_scope

DUE_NEXT_DAYS = 30  # "Nhiệm vụ trọng tâm thời gian tới": what falls due in the next 30 days
MAX_LISTED = 100_000  # the overdue and due-soon lists are complete in the report


@dataclass(frozen=True)
class PeriodChange:
    """The period against the previous one of the same kind (Quý III → Quý II), over the tasks found
    in both (``queries.compare``), in the provinces that reported both."""

    period: Period
    previous: Period
    matched: Matched

    @property
    def current(self) -> Kpis:
        return self.matched.now

    @property
    def before(self) -> Kpis:
        return self.matched.before

    @property
    def has_before(self) -> bool:
        return self.matched.n_matched > 0


@dataclass(frozen=True)
class ReportData:
    """Query results for one selection (``filters``), as the dashboard computes them."""

    filters: Filters
    period: Period | None  # the selected period, or the latest one reported by as_of
    kpis: Kpis
    status: pd.DataFrame  # queries.overview.Kpis.breakdown
    trend: pd.DataFrame  # queries.overview.trend_by_period
    by_unit: pd.DataFrame  # queries.units.completion_by_unit
    overdue_units: pd.DataFrame  # queries.units.ranked_by_overdue
    by_topic: pd.DataFrame  # queries.topics.completion_by_topic
    overdue: pd.DataFrame  # queries.deadlines.overdue_tasks
    due_next: pd.DataFrame  # queries.deadlines.due_within(DUE_NEXT_DAYS)
    tasks: pd.DataFrame  # queries.tasks.task_table, every task
    change: PeriodChange | None
    scope: Scope  # queries.scope.describe_scope: the plan year and each province's period
    receipts: Receipts  # queries.received.reports_received: who sent the period's report, and when
    due_next_days: int = DUE_NEXT_DAYS
    min_unit_tasks: int = 3  # queries.units.min_tasks_to_rank (TTDN_MIN_UNIT_TASKS)

    @property
    def ranked_units(self) -> pd.DataFrame:
        """The units with at least ``min_unit_tasks`` tasks, ranked by completion, worst first (the rule
        of Theo đơn vị: ``queries.units.split_by_task_count``)."""
        return units.split_by_task_count(self.by_unit, self.min_unit_tasks)[0]

    @property
    def few_task_units(self) -> pd.DataFrame:
        """The units with fewer tasks, listed apart (most overdue first), never ranked by rate."""
        return units.split_by_task_count(self.by_unit, self.min_unit_tasks)[1]

    @property
    def period_label(self) -> str:
        if self.filters.period:
            return parse_period_code(self.filters.period).label
        return self.scope.period_text or "kỳ báo cáo mới nhất"

    @property
    def n_reporting_units(self) -> int:
        return int(self.tasks["reporting_unit"].nunique()) if not self.tasks.empty else 0


def collect(
    conn: duckdb.DuckDBPyConnection, filters: Filters, due_next_days: int = DUE_NEXT_DAYS
) -> ReportData:
    """Run every query the report needs (a few small aggregations and the task list)."""
    by_unit = units.completion_by_unit(conn, filters)
    n_tasks = tasks.count_tasks(conn, filters)
    period = submissions.report_period(conn, filters)
    k = overview.kpis(conn, filters)
    return ReportData(
        filters=filters,
        period=period,
        kpis=k,
        status=k.breakdown(),
        trend=overview.trend_by_period(conn, filters),
        by_unit=by_unit,
        overdue_units=units.ranked_by_overdue(by_unit),
        by_topic=topics.completion_by_topic(conn, filters),
        overdue=deadlines.overdue_tasks(conn, filters, limit=MAX_LISTED),
        due_next=deadlines.due_within(conn, filters, due_next_days, limit=MAX_LISTED),
        tasks=tasks.task_table(conn, filters, limit=max(n_tasks, 1)),
        change=period_change(conn, filters, period),
        scope=describe_scope(conn, filters),
        receipts=received.reports_received(conn, filters),
        due_next_days=due_next_days,
        min_unit_tasks=units.min_tasks_to_rank(),
    )


def period_change(
    conn: duckdb.DuckDBPyConnection, filters: Filters, period: Period | None
) -> PeriodChange | None:
    """The matched tasks of ``period`` and of the previous period (judged on its own last day, or on
    as_of if earlier)."""
    if period is None:
        return None
    previous = period.previous()
    return PeriodChange(period, previous, compare.compare_periods(conn, filters, period, previous))


def feedback_by_unit(task_rows: pd.DataFrame) -> list[tuple[str, list[tuple[str, str, list[str]]]]]:
    """Difficulties and proposals as reported, grouped by reporting unit (alphabetical).

    Returns ``[(unit, [(kind, text, [task titles…]), …]), …]`` where kind is "difficulties" or
    "proposals"; one text reported for several tasks of a unit appears once with all their titles.
    """
    grouped: dict[str, dict[tuple[str, str], list[str]]] = {}
    for row in task_rows.itertuples(index=False):
        for kind in ("difficulties", "proposals"):
            text = getattr(row, kind)
            if isinstance(text, str) and text.strip():
                titles = grouped.setdefault(row.reporting_unit, {}).setdefault((kind, text.strip()), [])
                if row.task_title not in titles:
                    titles.append(row.task_title)
    order = {"difficulties": 0, "proposals": 1}
    return [
        (
            unit,
            [
                (kind, text, titles)
                for (kind, text), titles in sorted(items.items(), key=lambda i: order[i[0][0]])
            ],
        )
        for unit, items in sorted(grouped.items(), key=lambda i: (key(i[0]), i[0]))
    ]
