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
from queries.filters import Filters, counted_periods_sql, fetch_all


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
    out = []
    for _legacy, province, year, kind, index, deadlines, plan_units, year_units, sent in _facts(
        conn, filters
    ):
        period = Period(int(year), PeriodKind(kind), index)
        due = report_due_date([d for d in deadlines or [] if d], period)
        got = {key(unit): loaded for unit, loaded in sent or []}
        units = []
        for unit in dict.fromkeys(plan_units or year_units or []):
            arrived = got.get(key(unit))
            units.append(UnitReport(unit, arrived, arrived is not None and due is not None and arrived > due))
        units.sort(key=lambda u: (u.received_on is not None, not u.late, key(u.unit)))
        out.append(ProvinceReceipt(province, period, due, bool(plan_units), tuple(units)))
    return Receipts(tuple(out))


def _facts(conn: duckdb.DuckDBPyConnection, filters: Filters) -> list[tuple]:
    """Per province (as written) and counted period: the province as grouped, the period, the plan's
    report deadlines and lead units (in plan order), the units that reported in the year, and
    (unit, first loaded on) of each report of the period: read from the stored ``province_periods``
    (one row per province and reported period, etl/store/schema.sql)."""
    where, params, as_of, chosen = counted_periods_sql(filters)
    return fetch_all(
        conn,
        f"""SELECT province_legacy, province, period_year, period_kind, period_index,
    deadlines, plan_units, year_units, sent
FROM (
    SELECT province_legacy, {filters.province_column} AS province, period_year, period_kind, period_index,
        deadlines, plan_units, year_units, sent, {chosen} AS counted
    FROM province_periods WHERE period_end <= ? AND {where}
) WHERE counted
ORDER BY province, province_legacy""",
        [as_of, *params],
    )
