"""Reports received: which units the plan assigns have sent the report of their province's period,
which sent it late, which have not, against the plan's report deadline.

"7/9 đơn vị đã nộp báo cáo Quý III/2022": the units expected are the lead units of the province's
plan for that year (where a plan is loaded), else the units that reported some period of the year.
A report counts as received on the day it was loaded; it is late when loaded after the deadline
the plan states for that period (``etl.vocab.report_due``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb

from etl.vocab.periods import Period, PeriodKind
from etl.vocab.report_due import report_due_date
from etl.vocab.text import key
from queries.filters import Filters, fetch_all, submission_conds


@dataclass(frozen=True)
class UnitReport:
    unit: str
    received_on: date | None  # None: not received
    late: bool = False


@dataclass(frozen=True)
class ProvinceReceipt:
    """One province's period: the units expected, and what each sent."""

    province: str
    period: Period
    due: date | None  # the plan's deadline for this period (None: no plan or no deadline)
    from_plan: bool  # expected units are the plan's lead units (else: the year's reporting units)
    units: tuple[UnitReport, ...] = field(default_factory=tuple)

    @property
    def received(self) -> tuple[UnitReport, ...]:
        return tuple(u for u in self.units if u.received_on is not None)

    @property
    def missing(self) -> tuple[UnitReport, ...]:
        return tuple(u for u in self.units if u.received_on is None)

    @property
    def late(self) -> tuple[UnitReport, ...]:
        return tuple(u for u in self.units if u.late)


@dataclass(frozen=True)
class Receipts:
    provinces: tuple[ProvinceReceipt, ...]

    @property
    def n_expected(self) -> int:
        return sum(len(p.units) for p in self.provinces)

    @property
    def n_received(self) -> int:
        return sum(len(p.received) for p in self.provinces)

    @property
    def n_late(self) -> int:
        return sum(len(p.late) for p in self.provinces)

    @property
    def text(self) -> str:
        """ "7/9 đơn vị đã nộp báo cáo Quý III/2022" (periods joined where provinces differ)."""
        labels = list(dict.fromkeys(p.period.label for p in self.provinces))
        return f"{self.n_received}/{self.n_expected} đơn vị đã nộp báo cáo {', '.join(labels) or 'kỳ này'}"

    def rows(self) -> list[dict]:
        """The missing and late units, one row each: province, unit, period, deadline, state."""
        out = []
        for p in self.provinces:
            for u in p.units:
                if u.received_on is None or u.late:
                    out.append({
                        "province": p.province, "reporting_unit": u.unit, "period_label": p.period.label,
                        "report_due": p.due, "received_on": u.received_on,
                        "state": "Nộp muộn" if u.late else "Chưa nộp",
                    })  # fmt: skip
        return out


def reports_received(conn: duckdb.DuckDBPyConnection, filters: Filters) -> Receipts:
    """Each province's counted period (the selected one, or its latest by as_of in the year), the
    units expected to report it and when each report arrived."""
    targets = _targets(conn, filters)
    if not targets:
        return Receipts(())
    keys = [(legacy, y) for legacy, _, y, _, _ in targets]
    plans = _plans(conn, keys)
    year_units = _year_units(conn, keys)
    sent = _sent(conn, targets)
    out = []
    for legacy, province, year, kind, index in targets:
        period = Period(int(year), PeriodKind(kind), index)
        deadlines, lead_units = plans.get((legacy, year), ([], []))
        due = report_due_date(deadlines, period)
        expected = lead_units or year_units.get((legacy, year), [])
        got = sent.get((legacy, year, kind, index), {})
        units = []
        for unit in dict.fromkeys(expected):
            received = got.get(key(unit))
            late = received is not None and due is not None and received > due
            units.append(UnitReport(unit, received, late))
        units.sort(key=lambda u: (u.received_on is not None, not u.late, key(u.unit)))
        out.append(ProvinceReceipt(province, period, due, bool(lead_units), tuple(units)))
    return Receipts(tuple(out))


def _targets(conn: duckdb.DuckDBPyConnection, filters: Filters) -> list[tuple]:
    """(province_legacy, province as grouped, year, kind, index) of each province's counted period."""
    conds, params = submission_conds(filters)
    period = filters.period_obj
    if period is not None:
        conds.append("period_year = ? AND period_kind = ? AND period_index IS NOT DISTINCT FROM ?")
        params += [period.year, str(period.kind), period.index]
        chosen, as_of = "TRUE", date.max
    else:
        chosen, as_of = "period_end = max(period_end) OVER (PARTITION BY province_legacy)", filters.as_of
    return fetch_all(
        conn,
        f"""SELECT DISTINCT province_legacy, province, period_year, period_kind, period_index FROM (
    SELECT province_legacy, {filters.province_column} AS province, period_year, period_kind, period_index,
        {chosen} AS counted
    FROM current_submissions WHERE period_end <= ? AND {" AND ".join(["TRUE", *conds])}
) WHERE counted ORDER BY province, province_legacy""",
        [as_of, *params],
    )


def _plans(conn: duckdb.DuckDBPyConnection, keys: list[tuple]) -> dict[tuple, tuple[list[str], list[str]]]:
    """(report deadlines, lead units in plan order) of the plans of these (province_legacy, year)."""
    rows = fetch_all(
        conn,
        """SELECT p.province_legacy, p.plan_year, flatten(list(DISTINCT p.report_deadlines)),
    list(u ORDER BY pt.plan_task_id) FILTER (WHERE u IS NOT NULL)
FROM plans p LEFT JOIN (SELECT plan_id, plan_task_id, unnest(lead_units) AS u FROM plan_tasks) pt USING (plan_id)
JOIN (SELECT unnest(?, recursive := true)) k ON k.a = p.province_legacy AND k.b = p.plan_year
GROUP BY 1, 2""",
        [[{"a": legacy, "b": int(year)} for legacy, year in keys]],
    )
    return {
        (legacy, year): ([d for d in deadlines or [] if d], list(units or []))
        for legacy, year, deadlines, units in rows
    }


def _year_units(conn: duckdb.DuckDBPyConnection, keys: list[tuple]) -> dict[tuple, list[str]]:
    """The units that reported any period of each (province_legacy, year), alphabetically."""
    rows = fetch_all(
        conn,
        """SELECT s.province_legacy, s.period_year, list(DISTINCT s.reporting_unit ORDER BY s.reporting_unit)
FROM current_submissions s JOIN (SELECT unnest(?, recursive := true)) k
    ON k.a = s.province_legacy AND k.b = s.period_year
GROUP BY 1, 2""",
        [[{"a": legacy, "b": int(year)} for legacy, year in keys]],
    )
    return {(legacy, year): list(units) for legacy, year, units in rows}


def _sent(conn: duckdb.DuckDBPyConnection, targets: list[tuple]) -> dict[tuple, dict[str, date]]:
    """When each unit's report of each target period was first loaded, by folded unit name."""
    wanted = [
        {"a": t[0], "b": int(t[2]), "c": t[3], "d": None if t[4] is None else int(t[4])} for t in targets
    ]
    rows = fetch_all(
        conn,
        """SELECT s.province_legacy, s.period_year, s.period_kind, s.period_index, s.reporting_unit,
    min(s.loaded_at)::DATE
FROM submission_info s JOIN (SELECT unnest(?, recursive := true)) k
    ON k.a = s.province_legacy AND k.b = s.period_year AND k.c = s.period_kind
    AND k.d IS NOT DISTINCT FROM s.period_index
GROUP BY ALL""",
        [wanted],
    )
    out: dict[tuple, dict[str, date]] = {}
    for legacy, year, kind, index, unit, loaded in rows:
        out.setdefault((legacy, year, kind, index), {})[key(unit)] = loaded
    return out
