"""How each file's columns were understood (``file_columns``) and the corrections remembered per
reporting unit and header shape (``column_overrides``)."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb
import pyarrow as pa

from etl.ingest.column_map import Changes
from etl.model import FileResult, ParsedReport
from etl.store.db import insert_table

RememberedColumns = dict[tuple[str, str, str], dict[int, str]]


def record_columns(conn: duckdb.DuckDBPyConnection, results: list[FileResult]) -> None:
    """Store which header became which field, and which columns were ignored, for each attempt whose
    columns were read; one statement for the whole batch (a statement costs more than a file's rows)."""
    read = [
        r for r in results if r.report is not None and r.report.column_map and r.report.header_fingerprint
    ]
    if not read:
        return
    table = pa.table(
        {
            "attempted_at": pa.array([datetime.now()] * len(read), pa.timestamp("us")),
            "sha256": pa.array([r.sha256 for r in read], pa.string()),
            "header_fingerprint": pa.array([r.report.header_fingerprint for r in read], pa.string()),
            "columns": pa.array([_columns_json(r.report) for r in read], pa.string()),
        }
    )
    insert_table(conn, "file_columns", table)  # one statement (bind parameters cost more than the rows)


def _columns_json(report: ParsedReport) -> str:
    uses = [
        {
            "offset": u.offset,
            "letter": u.letter,
            "header": u.header,
            "used": u.used,
            "auto": u.auto,
            "source": u.source,
        }
        for u in report.column_map
    ]
    return json.dumps(uses, ensure_ascii=False)


def file_columns(conn: duckdb.DuckDBPyConnection, sha256: str) -> list[dict]:
    """How the columns of a file were understood the last time it was read (empty: never read)."""
    row = conn.execute(
        "SELECT columns FROM file_columns WHERE sha256 = ? ORDER BY attempted_at DESC LIMIT 1", [sha256]
    ).fetchone()
    return json.loads(row[0]) if row else []


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
