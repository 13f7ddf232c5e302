"""Submissions and their history, who has not reported, and the unit directory."""

from __future__ import annotations

from dataclasses import replace

import duckdb
import pandas as pd

from etl.store.db import DEMO_LOADER
from etl.vocab.periods import Period, PeriodKind
from etl.vocab.provinces import legacy_names_of, resolve_province
from queries.common import add_period_columns, period_label
from queries.filters import Filters, ProvinceMode, fetch_all, fetch_df, submission_conds

VERDICT_LABELS = {
    "loaded": "Đã nạp",
    "duplicate": "Trùng (đã nạp trước đó)",
    "rejected": "Bị từ chối",
    "superseded": "Đã được thay thế",
    "withdrawn": "Đã rút",
    "previewed": "Đã xem trước",
}
EVENT_LABELS = {
    "loaded": "Nạp, là bản được tính",
    "loaded_older": "Nạp bản cũ hơn bản đang tính: chỉ lưu",
    "superseded": "Được thay bằng bản mới hơn",
    "made_current": "Được chọn làm bản được tính",
    "withdrawn": "Bị rút",
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
    state: ``state`` is "loaded", "superseded" (a newer version of the same unit and period's report
    counts instead) or "withdrawn" (``withdrawn_reason``); ``n_total`` is how many there are without the limit (``total_of``)."""
    conds, params = _period_conds(filters, "s.")
    where = " AND ".join(["TRUE", *conds])
    df = fetch_df(
        conn,
        f"""SELECT s.submission_id, s.file_name, s.{filters.province_column} AS province, s.reporting_unit,
    s.period_year, s.period_kind, s.period_index, s.loaded_at, s.n_rows, s.n_warnings,
    CASE WHEN s.withdrawn_at IS NOT NULL THEN 'withdrawn' WHEN s.superseded_by IS NULL THEN 'loaded'
         ELSE 'superseded' END AS state,
    s.superseded_by, n.file_name AS superseded_by_file, s.report_number, s.report_date,
    s.withdrawn_reason, count(*) OVER () AS n_total
FROM submissions s LEFT JOIN submissions n ON n.submission_id = s.superseded_by
WHERE {where}
ORDER BY s.loaded_at DESC, s.submission_id DESC LIMIT ?""",
        [*params, int(limit)],
    )
    df["state_label"] = df["state"].map(VERDICT_LABELS)
    return add_period_columns(df)


def load_attempts(
    conn: duckdb.DuckDBPyConnection, scope_province: str | None = None, limit: int = 200
) -> pd.DataFrame:
    """The latest load attempts (loaded, duplicate, rejected), newest first; with ``scope_province``,
    only the files loaded into that province (a refused file has no province of its own)."""
    df = fetch_df(
        conn,
        """SELECT attempted_at, file_name, verdict, submission_id, n_rows, n_errors, coalesce(message, '') AS message,
    coalesce(loaded_by, '') AS loaded_by
FROM load_log
WHERE ? IS NULL OR submission_id IN (SELECT submission_id FROM submissions WHERE province = ?)
ORDER BY attempted_at DESC LIMIT ?""",
        [scope_province, scope_province, int(limit)],
    )
    df["verdict_label"] = df["verdict"].map(VERDICT_LABELS).fillna(df["verdict"])
    return df


def submission_events(conn: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    """The latest changes of which report version counts (loaded, superseded, made current, withdrawn),
    newest first, with the files concerned."""
    df = fetch_df(
        conn,
        """SELECT e.event_at, e.submission_id, s.file_name, e.action, e.other_id, o.file_name AS other_file,
    coalesce(e.reason, '') AS reason
FROM submission_events e JOIN submissions s USING (submission_id)
LEFT JOIN submissions o ON o.submission_id = e.other_id
ORDER BY e.event_at DESC, e.submission_id DESC LIMIT ?""",
        [int(limit)],
    )
    df["action_label"] = df["action"].map(EVENT_LABELS).fillna(df["action"])
    return df


def report_period(conn: duckdb.DuckDBPyConnection, filters: Filters) -> Period | None:
    """The period the selection is about: the selected one, or the latest ended on or before as_of (a
    quarter rather than the half-year or year ending the same day)."""
    if filters.period_obj is not None:
        return filters.period_obj
    conds, params = submission_conds(filters)
    where = " AND ".join(["period_end <= ?", *conds])
    rows = fetch_all(
        conn,
        f"""SELECT period_year, period_kind, period_index FROM current_submissions WHERE {where}
ORDER BY period_end DESC, period_kind <> 'Q', period_kind LIMIT 1""",
        [filters.as_of, *params],
    )
    if not rows:
        return None
    year, kind, index = rows[0]
    return Period(int(year), PeriodKind(kind), index)


def missing_reports(
    conn: duckdb.DuckDBPyConnection, filters: Filters, period: Period | None = None
) -> pd.DataFrame:
    """Units that reported in a period's year but not for the period itself.

    The period is ``period`` for every province, or, when it is None, each province's latest period
    ended on or before as_of (so a province a quarter behind the others is still checked); provinces
    are those of the filters' mode (as written, or current). Only the
    province and year filters apply. Columns: ``province, reporting_unit, period_label`` (the missing
    report), ``last_period_label``, ``last_loaded_at`` (the unit's latest report).
    """
    conds, params = submission_conds(filters if period is None else filters.without("year"))
    where = " AND ".join(["TRUE", *conds])
    col = filters.province_column  # the province a period is "latest" in: as written or current
    if period is None:
        target = """SELECT province, max_by((period_year, period_kind, period_index), (pe, period_kind)) AS t
        FROM subs WHERE pe <= ? GROUP BY 1"""
        target_params = [filters.as_of]
    else:
        target = "SELECT DISTINCT province, (?, ?, CAST(? AS INTEGER)) AS t FROM subs"
        target_params = [period.year, str(period.kind), period.index]
    df = fetch_df(
        conn,
        f"""WITH subs AS NOT MATERIALIZED (
    SELECT {col} AS province, province_legacy, reporting_unit, period_year, period_kind, period_index,
        period_end AS pe, loaded_at
    FROM current_submissions WHERE {where}
), target AS ({target}),
units AS (
    SELECT t.province, s.province_legacy, s.reporting_unit, t.t,
        bool_or((s.period_year, s.period_kind, s.period_index) IS NOT DISTINCT FROM t.t) AS reported,
        max_by((s.period_kind, s.period_index), s.pe) AS last, max(s.loaded_at) AS last_loaded_at
    FROM subs s JOIN target t ON s.province = t.province AND s.period_year = t.t[1]
    GROUP BY ALL
)
SELECT province, reporting_unit, t[1] AS period_year, t[2] AS period_kind, t[3] AS period_index,
    last[1] AS last_kind, last[2] AS last_index, last_loaded_at
FROM units WHERE NOT reported ORDER BY province, reporting_unit""",
        [*params, *target_params],
    )
    df = add_period_columns(df)
    df["last_period_label"] = [period_label(y, k, i) for y, k, i in zip(df["period_year"], df["last_kind"],
                                                                           df["last_index"], strict=True)]  # fmt: skip
    return df[["province", "reporting_unit", "period_label", "last_period_label", "last_loaded_at"]]


UNIT_KIND_LABELS = {
    "department": "Sở, ngành", "press": "Báo chí", "party": "Cơ quan Đảng", "military": "Lực lượng vũ trang",
    "police": "Công an", "collective": "Nhóm đơn vị", "peoples_committee": "UBND", "portal": "Cổng thông tin",
    "district_office": "Phòng, ban cấp huyện", "mass_organisation": "Đoàn thể",
}  # fmt: skip


def unit_directory(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Units of the directory (in the province filter) with their kind (``kind_label`` in Vietnamese),
    aliases and successor."""
    provinces: list[str] = []
    if filters.scope_province and not filters.province:
        filters = replace(filters, province=filters.scope_province, province_mode=ProvinceMode.CURRENT)
    if filters.province:
        provinces = [filters.province]
        if ProvinceMode(filters.province_mode) is ProvinceMode.CURRENT:
            current = resolve_province(filters.province)
            if current is not None and current.legacy_name == current.name:  # a current province's name
                provinces = legacy_names_of(filters.province) + [filters.province]
    df = fetch_df(
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
    df["kind_label"] = [UNIT_KIND_LABELS.get(k, k) for k in df["kind"]]
    return df


def only_demo_reports(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether every report loaded so far was loaded by the demo loader (none counts as only demo)."""
    ((real,),) = fetch_all(
        conn,
        "SELECT count(*) FROM load_log WHERE verdict = 'loaded' AND loaded_by IS DISTINCT FROM ?",
        [DEMO_LOADER],
    )
    return real == 0


def submission_owner(conn: duckdb.DuckDBPyConnection, submission_id: int) -> tuple[str | None, str | None]:
    """(province, reporting unit) of a loaded report; (None, None) for an unknown id."""
    row = conn.execute(
        "SELECT province, reporting_unit FROM submissions WHERE submission_id = ?", [submission_id]
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)
