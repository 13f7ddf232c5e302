"""The choices offered by the shared filters, read from the loaded data."""

from __future__ import annotations

from datetime import date

import duckdb

from etl.text import key
from queries.common import period_code
from queries.filters import PROVINCE_COLUMN, Filters, ProvinceMode, fetch_all, submission_conds
from queries.topics import TOPIC_ORDER


def _vi_sorted(names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: (key(n), n))


def provinces(conn: duckdb.DuckDBPyConnection, mode: ProvinceMode) -> list[str]:
    """Provinces named in current submissions, as written or current."""
    col = PROVINCE_COLUMN[ProvinceMode(mode)]
    rows = fetch_all(conn, f"SELECT DISTINCT {col} FROM submissions WHERE superseded_by IS NULL", [])
    return _vi_sorted([r[0] for r in rows])


def years(conn: duckdb.DuckDBPyConnection) -> list[int]:
    """Plan years with reports, newest first."""
    rows = fetch_all(conn, "SELECT DISTINCT period_year FROM submissions ORDER BY 1 DESC", [])
    return [int(r[0]) for r in rows]


def periods(conn: duckdb.DuckDBPyConnection, filters: Filters) -> list[str]:
    """Period codes with reports in the province and year filters, newest first ("2024-Q3", ...)."""
    conds, params = submission_conds(filters)
    where = " AND ".join(["superseded_by IS NULL", *conds])
    rows = fetch_all(
        conn,
        f"""SELECT DISTINCT period_year, period_kind, period_index,
    period_end(period_year, period_kind, period_index) AS period_end
FROM submissions WHERE {where} ORDER BY period_end DESC, period_kind""",
        params,
    )
    return [period_code(y, k, i) for y, k, i, _ in rows]


def units(conn: duckdb.DuckDBPyConnection, filters: Filters) -> list[str]:
    """Reporting and lead units in the province filter, alphabetically."""
    conds, params = submission_conds(filters.without("year"), "s.")
    where = " AND ".join(["s.superseded_by IS NULL", *conds])
    rows = fetch_all(
        conn,
        f"""SELECT DISTINCT s.reporting_unit FROM submissions s WHERE {where}
UNION
SELECT DISTINCT unnest(t.lead_units) FROM report_tasks t JOIN submissions s USING (submission_id) WHERE {where}""",
        params + params,
    )
    return _vi_sorted([r[0] for r in rows if r[0]])


def topics(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Topics present in the data, in the taxonomy's order."""
    present = {r[0] for r in fetch_all(conn, "SELECT DISTINCT coalesce(topic, 'Khác') FROM report_tasks", [])}
    ordered = [t for t in TOPIC_ORDER if t in present]
    return ordered + _vi_sorted([t for t in present if t not in TOPIC_ORDER])


def default_as_of(conn: duckdb.DuckDBPyConnection, today: date | None = None) -> date:
    """Today, or the end of the latest reported period if that is earlier (old data is judged when it
    was reported, not years later)."""
    today = today or date.today()
    (latest,) = fetch_all(
        conn,
        "SELECT max(period_end(period_year, period_kind, period_index)) FROM submissions WHERE superseded_by IS NULL",
        [],
    )[0]
    return min(today, latest) if latest else today
