"""What the numbers cover, said in words: plan year, each province's period, how many provinces.

Every page, slide, export and report opens with ``Scope.text`` ("Kế hoạch 2025 · Quý II/2025 ·
3 tỉnh"). By default each province counts its latest reporting period of the year ended by as_of
(``queries.filters.province_latest_sql``); where provinces stand at different periods, the text says
so and ``Scope.periods`` tells which province is behind (``stale``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from etl.vocab.periods import Period, PeriodKind
from queries.common import STATUS_FILTER_LABELS
from queries.filters import Filters, counted_periods_sql, fetch_all


@dataclass(frozen=True)
class ProvincePeriod:
    """One province (as the filters group it) and the period its figures come from."""

    province: str
    period: Period
    stale: bool  # an older period than the newest one in scope

    @property
    def label(self) -> str:
        return f"{self.period.label} (chưa có báo cáo kỳ mới hơn)" if self.stale else self.period.label


@dataclass(frozen=True)
class Scope:
    """The plan year(s), the periods and the provinces a selection counts."""

    year: int | None  # the selected plan year; None: every year
    years: tuple[int, ...]  # the plan years the counted periods belong to
    periods: tuple[ProvincePeriod, ...]  # one per province and period, newest period first
    province: str | None  # the province filter
    extra: tuple[str, ...] = ()  # other active filters, in words

    @property
    def n_provinces(self) -> int:
        return len({p.province for p in self.periods})

    @property
    def stale(self) -> tuple[ProvincePeriod, ...]:
        return tuple(p for p in self.periods if p.stale)

    def stale_note(self, province: str) -> str:
        """ "kỳ cũ: Quý I/2025" for a province whose figures come from an older period than the newest
        in scope ("có số liệu kỳ cũ: …" when only part of them do: provinces merged in 2025, grouped on
        the current name), else "": the mark beside its figures wherever provinces stand side by side."""
        mine = [p for p in self.periods if p.province == province]
        old = [p.period.label for p in mine if p.stale]
        if not old:
            return ""
        return f"{'kỳ cũ' if len(old) == len(mine) else 'có số liệu kỳ cũ'}: {', '.join(old)}"

    def stale_notes(self, provinces: Iterable[str]) -> list[str]:
        """``stale_note`` of each province (a column beside a frame's ``province``)."""
        return [self.stale_note(p) for p in provinces]

    def period_of(self, province: str) -> str:
        """The period(s) a province's figures come from, stale ones marked ("" when it has none)."""
        return ", ".join(p.label for p in self.periods if p.province == province)

    @property
    def text(self) -> str:
        """ "Kế hoạch 2025 · Quý II/2025 · 3 tỉnh" (plain text: escape it before Markdown)."""
        parts = [self._plan_text(), self.period_text or "chưa có báo cáo"]
        if self.province:
            parts.append(self.province)
        else:
            parts.append(f"{self.n_provinces} tỉnh")
        return " · ".join([*parts, *self.extra])

    def _plan_text(self) -> str:
        if self.year is not None:
            return f"Kế hoạch {self.year}"
        if len(self.years) == 1:
            return f"Kế hoạch {self.years[0]}"
        span = f" ({self.years[0]}–{self.years[-1]})" if self.years else ""
        return f"Gộp mọi năm kế hoạch{span}"

    @property
    def period_text(self) -> str:
        """ "Quý II/2025", or each period with its number of provinces where they differ."""
        counts: dict[str, int] = {}
        for p in self.periods:
            counts[p.period.label] = counts.get(p.period.label, 0) + 1
        if len(counts) <= 1:
            return next(iter(counts), "")
        return ", ".join(f"{label} ({n} tỉnh)" for label, n in counts.items())


def describe_scope(conn: duckdb.DuckDBPyConnection, filters: Filters) -> Scope:
    """The scope of ``filters``: each province's counted period (the selected one, or its latest ended
    by as_of in the selected year), grouped as the filters group provinces."""
    where, params, as_of, chosen = counted_periods_sql(filters)
    rows = fetch_all(
        conn,
        f"""SELECT DISTINCT province, period_year, period_kind, period_index, period_end FROM (
    SELECT {filters.province_column} AS province, period_year, period_kind, period_index, period_end,
        {chosen} AS counted
    FROM province_periods WHERE period_end <= ? AND {where}
) WHERE counted ORDER BY period_end DESC, province""",
        [as_of, *params],
    )
    newest = rows[0][4] if rows else None
    periods = tuple(
        ProvincePeriod(province, Period(int(y), PeriodKind(k), i), stale=end < newest)
        for province, y, k, i, end in rows
    )
    years = tuple(sorted({p.period.year for p in periods}))
    return Scope(filters.year, years, periods, filters.province, filter_parts(filters))


def filter_parts(filters: Filters) -> tuple[str, ...]:
    """The unit, topic and status filters in words ("Đơn vị: …"), as every scope line names them."""
    extra = []
    if filters.unit:
        extra.append(f"Đơn vị: {filters.unit}")
    if filters.topic:
        extra.append(f"Chủ đề: {filters.topic}")
    if filters.status_class:
        extra.append(f"Tình trạng: {STATUS_FILTER_LABELS[filters.status_class]}")
    return tuple(extra)
