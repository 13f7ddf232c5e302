"""Submissions and their history, who has not reported, and the unit directory."""

from __future__ import annotations

import duckdb
import pandas as pd

from etl.periods import Period, PeriodKind
from etl.provinces import legacy_names_of, resolve_province
from queries.common import add_period_columns
from queries.filters import Filters, ProvinceMode, fetch_all, fetch_df, submission_conds

VERDICT_LABELS = {
    "loaded": "Đã nạp",
    "duplicate": "Trùng (đã nạp trước đó)",
    "rejected": "Bị từ chối",
    "superseded": "Đã được thay thế",
    "previewed": "Đã xem trước",
}


def _period_conds(filters: Filters, alias: str = "") -> tuple[list[str], list]:
    conds, params = submission_conds(filters, alias)
    period = filters.period_obj
    if period is not None:
        conds.append(
            f"{alias}period_year = ? AND {alias}period_kind = ? AND {alias}period_index IS NOT DISTINCT FROM ?"
        )
        params += [period.year, str(period.kind), period.index]
    return conds, params


def submission_history(conn: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 300) -> pd.DataFrame:
    """The latest ``limit`` submissions in the province / year / period filters, newest first, with their
    state: ``state`` is "loaded" or "superseded" (a newer report of the same unit and period replaced
    it); ``n_total`` is how many there are without the limit."""
    conds, params = _period_conds(filters, "s.")
    where = " AND ".join(["TRUE", *conds])
    df = fetch_df(
        conn,
        f"""SELECT s.submission_id, s.file_name, s.{filters.province_column} AS province, s.reporting_unit,
    s.period_year, s.period_kind, s.period_index, s.loaded_at, s.n_rows, s.n_warnings,
    CASE WHEN s.superseded_by IS NULL THEN 'loaded' ELSE 'superseded' END AS state,
    s.superseded_by, n.file_name AS superseded_by_file, count(*) OVER () AS n_total
FROM submissions s LEFT JOIN submissions n ON n.submission_id = s.superseded_by
WHERE {where}
ORDER BY s.loaded_at DESC, s.submission_id DESC LIMIT ?""",
        [*params, int(limit)],
    )
    df["state_label"] = df["state"].map(VERDICT_LABELS)
    return add_period_columns(df)


def load_attempts(conn: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    """The latest load attempts (loaded, duplicate, rejected), newest first."""
    df = fetch_df(
        conn,
        """SELECT attempted_at, file_name, verdict, submission_id, n_rows, n_errors, message
FROM load_log ORDER BY attempted_at DESC LIMIT ?""",
        [int(limit)],
    )
    df["verdict_label"] = df["verdict"].map(VERDICT_LABELS).fillna(df["verdict"])
    return df


def report_period(conn: duckdb.DuckDBPyConnection, filters: Filters) -> Period | None:
    """The period the selection is about: the selected one, or the latest ended on or before as_of."""
    if filters.period_obj is not None:
        return filters.period_obj
    conds, params = submission_conds(filters)
    where = " AND ".join(
        ["superseded_by IS NULL", "period_end(period_year, period_kind, period_index) <= ?", *conds]
    )
    rows = fetch_all(
        conn,
        f"""SELECT period_year, period_kind, period_index FROM submissions WHERE {where}
ORDER BY period_end(period_year, period_kind, period_index) DESC, period_kind LIMIT 1""",
        [filters.as_of, *params],
    )
    if not rows:
        return None
    year, kind, index = rows[0]
    return Period(int(year), PeriodKind(kind), index)


def missing_reports(conn: duckdb.DuckDBPyConnection, filters: Filters, period: Period) -> pd.DataFrame:
    """Units that reported in ``period.year`` (in the province filter) but not for ``period``.

    Columns: ``province, reporting_unit, last_period_label, last_loaded_at``.
    """
    conds, params = submission_conds(filters.without("year"))
    where = " AND ".join(["superseded_by IS NULL", "period_year = ?", *conds])
    df = fetch_df(
        conn,
        f"""WITH expected AS (
    SELECT {filters.province_column} AS province, province_legacy, reporting_unit,
        arg_max(period_kind, period_end(period_year, period_kind, period_index)) AS period_kind,
        arg_max(period_index, period_end(period_year, period_kind, period_index)) AS period_index,
        max(period_year) AS period_year, max(loaded_at) AS last_loaded_at,
        bool_or(period_kind = ? AND period_index IS NOT DISTINCT FROM ?) AS reported
    FROM submissions WHERE {where} GROUP BY ALL
)
SELECT province, reporting_unit, period_year, period_kind, period_index, last_loaded_at
FROM expected WHERE NOT reported ORDER BY province, reporting_unit""",
        [str(period.kind), period.index, period.year, *params],
    )
    df = add_period_columns(df)
    return df.rename(columns={"period_label": "last_period_label"})[
        ["province", "reporting_unit", "last_period_label", "last_loaded_at"]
    ]


def unit_directory(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Units of the directory (in the province filter) with their aliases and successor."""
    provinces: list[str] = []
    if filters.province:
        provinces = [filters.province]
        if ProvinceMode(filters.province_mode) is ProvinceMode.CURRENT:
            current = resolve_province(filters.province)
            if current is not None and current.legacy_name == current.name:  # a current province's name
                provinces = legacy_names_of(filters.province) + [filters.province]
    return fetch_df(
        conn,
        """SELECT u.province, u.canonical_name, coalesce(u.kind, '') AS kind,
    coalesce(string_agg(a.alias, '; ' ORDER BY a.alias), '') AS aliases,
    coalesce(n.canonical_name, '') AS successor
FROM units u
LEFT JOIN unit_aliases a USING (unit_id)
LEFT JOIN units n ON n.unit_id = u.successor_id
WHERE len(?) = 0 OR list_contains(?, u.province)
GROUP BY ALL ORDER BY u.province, u.canonical_name""",
        [provinces, provinces],
    )
