"""What a file about to be loaded would change, said before the person confirms.

A report for a plan year with no plan loaded cannot be checked against the plan; a report older
than what the database already holds does not change the default view (each province's latest
period of the newest plan year) but changes the figures of its own period and year.
"""

from __future__ import annotations

import duckdb

from etl.vocab.periods import Period, PeriodKind
from queries.common import period_label
from queries.filters import fetch_all


def period_warnings(
    conn: duckdb.DuckDBPyConnection,
    province_legacy: str | None,
    year: int | None,
    kind: str | None,
    index: int | None,
) -> list[str]:
    """Warnings (plain text, in Vietnamese) about a file's plan year and period against the database."""
    if not province_legacy or not year or not kind:
        return []
    period = Period(int(year), PeriodKind(kind), index)
    ((n_plans, n_plans_any, latest, newest_year),) = fetch_all(
        conn,
        """SELECT
    (SELECT count(*) FROM plans WHERE province_legacy = ? AND plan_year = ?),
    (SELECT count(*) FROM plans),
    (SELECT max_by((period_year, period_kind, period_index, period_end), (period_end, submission_id))
     FROM current_submissions WHERE province_legacy = ?),
    (SELECT max(period_year) FROM current_submissions)""",
        [province_legacy, int(year), province_legacy],
    )
    warnings = []
    if n_plans == 0:
        warnings.append(
            f"Chưa nạp Kế hoạch năm {year} của {province_legacy}"
            + (" (đã có kế hoạch của năm hoặc tỉnh khác)" if n_plans_any else "")
            + ": nhiệm vụ của báo cáo này sẽ không được đối chiếu với kế hoạch, và không biết đơn vị nào phải "
            "nộp báo cáo. Nạp kế hoạch ở trang Kế hoạch nếu có."
        )
    if latest is not None and period.end_date < latest[3]:
        latest_label = period_label(latest[0], latest[1], latest[2])
        warnings.append(
            f"Báo cáo {period.label} cũ hơn kỳ mới nhất đã có của {province_legacy} ({latest_label}): số liệu "
            f"mặc định không đổi; số liệu sẽ thay đổi khi chọn kỳ {period.label} hoặc năm kế hoạch {year}."
        )
    elif newest_year is not None and int(year) < int(newest_year):
        warnings.append(
            f"Năm kế hoạch {year} cũ hơn năm mới nhất trong dữ liệu ({newest_year}): số liệu mặc định "
            f"(Kế hoạch {newest_year}) không đổi; chọn năm {year} để xem báo cáo này."
        )
    return warnings
