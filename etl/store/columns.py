"""How each file's columns were understood (``file_columns``) and the corrections remembered per
reporting unit and header shape (``column_overrides``)."""

from __future__ import annotations

from datetime import datetime

import duckdb

from etl.ingest.column_map import Changes
from etl.model import ParsedReport

RememberedColumns = dict[tuple[str, str, str], dict[int, str]]


def record_columns(conn: duckdb.DuckDBPyConnection, sha256: str, report: ParsedReport) -> None:
    """Store which header became which field, and which columns were ignored, for this file."""
    conn.execute("DELETE FROM file_columns WHERE sha256 = ?", [sha256])
    if not report.column_map or report.header_fingerprint is None:
        return
    conn.executemany(
        "INSERT INTO file_columns VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [sha256, report.header_fingerprint, u.offset, u.letter, u.header, u.used, u.auto, u.source]
            for u in report.column_map
        ],
    )


def remembered_columns(conn: duckdb.DuckDBPyConnection | None) -> RememberedColumns:
    """Every remembered correction: (province as written, unit, fingerprint) -> offset -> assignment."""
    if conn is None:
        return {}
    try:
        rows = conn.execute(
            "SELECT province_legacy, reporting_unit, header_fingerprint, col_offset, assignment "
            "FROM column_overrides"
        ).fetchall()
    except duckdb.CatalogException:  # a file from before corrections were remembered (read-only)
        return {}
    found: RememberedColumns = {}
    for province, unit, shape, offset, assignment in rows:
        found.setdefault((province, unit, shape), {})[offset] = assignment
    return found


def remember_columns(conn: duckdb.DuckDBPyConnection, report: ParsedReport) -> tuple[tuple, Changes]:
    """Save how this report's columns differ from the reader's own reading, for the same unit's next
    files with the same header (nothing differs: forget any earlier correction). Returns the key and
    the changes saved."""
    m = report.meta
    key = (m.province_legacy, m.reporting_unit, report.header_fingerprint)
    changes = {u.offset: u.used for u in report.column_map if u.used != u.auto}
    conn.execute(
        "DELETE FROM column_overrides WHERE province_legacy = ? AND reporting_unit = ? AND header_fingerprint = ?",
        list(key),
    )
    headers = {u.offset: u.header for u in report.column_map}
    now = datetime.now()
    if changes:
        conn.executemany(
            "INSERT INTO column_overrides VALUES (?, ?, ?, ?, ?, ?, ?)",
            [[*key, offset, value, headers[offset], now] for offset, value in changes.items()],
        )
    return key, changes
