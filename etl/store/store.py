"""Writes and reads of the ingest: submissions, task rows, the load log, the unit directory, the archive."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.model import FileResult
from etl.vocab.units import UNITS_CSV, Unit, UnitDirectory

TASK_COLUMNS = (
    "submission_id",
    "row_no",
    "sheet",
    "task_code",
    "stt",
    "task_title",
    "section_title",
    "topic",
    "lead_units",
    "coordinating_units",
    "due_text",
    "due_kind",
    "due_date",
    "due_date_original",
    "status_reported",
    "pct_done",
    "completed_on",
    "result_text",
    "difficulties",
    "proposals",
    "note",
    "plan_task_id",
    "match_score",
)
_TASK_SCHEMA = pa.schema(
    [
        (
            name,
            pa.list_(pa.string())
            if name.endswith("_units")
            else pa.int32()
            if name in ("submission_id", "row_no", "plan_task_id")
            else pa.float64()
            if name in ("pct_done", "match_score")
            else pa.date32()
            if name in ("due_date", "due_date_original", "completed_on")
            else pa.string(),
        )
        for name in TASK_COLUMNS
    ]
)


def archive_file(archive_dir: Path, sha: str, file_name: str, data: bytes) -> Path:
    """Keep the raw bytes, named by hash (same bytes, same file)."""
    suffix = Path(file_name).suffix.lower()[:8]
    path = archive_dir / sha[:2] / f"{sha}{suffix}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path


def insert_submission(
    conn: duckdb.DuckDBPyConnection, result: FileResult, archive: str, now: datetime, supersedes: bool = True
) -> int:
    """Insert the submission and its tasks; mark older reports of the same unit and period superseded.

    ``supersedes=False`` skips the update when the caller knows no older report exists.
    """
    report = result.report
    assert report is not None
    m = report.meta
    (submission_id,) = conn.execute(
        """INSERT INTO submissions (file_name, sha256, archive_path, file_format, province, province_legacy,
               reporting_unit, period_year, period_kind, period_index, loaded_at, n_rows, n_warnings)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING submission_id""",
        [
            result.file,
            result.sha256,
            archive,
            Path(result.file).suffix.lower().lstrip("."),
            m.province,
            m.province_legacy,
            m.reporting_unit,
            m.period_year,
            m.period_kind,
            m.period_index,
            now,
            len(report.tasks),
            len(result.warnings),
        ],
    ).fetchone()
    if supersedes:
        _supersede(conn, submission_id, m)
    rows = [
        {**vars(t), "submission_id": submission_id, "plan_task_id": None, "match_score": None}
        for t in report.tasks
    ]
    table = pa.Table.from_pylist([{c: r.get(c) for c in TASK_COLUMNS} for r in rows], schema=_TASK_SCHEMA)
    conn.register("_new_tasks", table)
    try:
        conn.execute(f"INSERT INTO report_tasks ({', '.join(TASK_COLUMNS)}) SELECT * FROM _new_tasks")
    finally:
        conn.unregister("_new_tasks")
    return submission_id


def _supersede(conn: duckdb.DuckDBPyConnection, submission_id: int, m) -> None:
    conn.execute(
        """UPDATE submissions SET superseded_by = ?
           WHERE submission_id <> ? AND superseded_by IS NULL AND province_legacy = ? AND reporting_unit = ?
             AND period_year = ? AND period_kind = ? AND period_index IS NOT DISTINCT FROM ?""",
        [
            submission_id,
            submission_id,
            m.province_legacy,
            m.reporting_unit,
            m.period_year,
            m.period_kind,
            m.period_index,
        ],
    )


def report_key(result: FileResult) -> tuple:
    """What makes two reports the same report: province, unit, period."""
    m = result.report.meta
    return (m.province_legacy, m.reporting_unit, m.period_year, m.period_kind, m.period_index)


class LoadSession:
    """What one writer session needs to know, read once: hashes loaded, reports current, plans present."""

    def __init__(self, conn: duckdb.DuckDBPyConnection):
        self.conn = conn
        self.files_by_sha = dict(conn.execute("SELECT sha256, file_name FROM submissions").fetchall())
        self.current = {
            tuple(row)
            for row in conn.execute(
                "SELECT province_legacy, reporting_unit, period_year, period_kind, period_index FROM submissions "
                "WHERE superseded_by IS NULL"
            ).fetchall()
        }
        self.plans = {
            tuple(r) for r in conn.execute("SELECT province_legacy, plan_year FROM plans").fetchall()
        }

    def duplicate_of(self, sha: str) -> str | None:
        return self.files_by_sha.get(sha)

    def insert(self, result: FileResult, archive: str, now: datetime) -> int:
        """Insert a checked report (caller holds the transaction) and remember it."""
        key = report_key(result)
        submission_id = insert_submission(self.conn, result, archive, now, supersedes=key in self.current)
        self.current.add(key)
        self.files_by_sha[result.sha256] = result.file
        return submission_id

    def has_plan(self, result: FileResult) -> bool:
        m = result.report.meta
        return (m.province_legacy, m.period_year) in self.plans


def log_attempt(
    conn: duckdb.DuckDBPyConnection,
    result: FileResult,
    message: str | None = None,
    loaded_by: str | None = None,
) -> None:
    conn.execute(
        """INSERT INTO load_log (attempted_at, file_name, sha256, verdict, submission_id, n_rows, n_errors,
           message, loaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            datetime.now(),
            result.file,
            result.sha256,
            str(result.verdict),
            result.submission_id,
            result.rows,
            len(result.errors),
            message,
            loaded_by,
        ],
    )


def seed_units(conn: duckdb.DuckDBPyConnection) -> None:
    """Fill an empty unit directory from the reference CSV (the editable copy lives in the database)."""
    if conn.execute("SELECT count(*) FROM units").fetchone()[0]:
        return
    for unit in UnitDirectory.from_csv(UNITS_CSV).units:
        (unit_id,) = conn.execute(
            "INSERT INTO units (canonical_name, province, kind) VALUES (?, ?, ?) RETURNING unit_id",
            [unit.canonical_name, unit.province, unit.kind],
        ).fetchone()
        for alias in unit.aliases:
            conn.execute("INSERT INTO unit_aliases VALUES (?, ?) ON CONFLICT DO NOTHING", [unit_id, alias])


def load_directory(conn: duckdb.DuckDBPyConnection | None) -> UnitDirectory:
    """The unit directory from the database, or from the reference CSV when the database has none."""
    if conn is not None:
        rows = conn.execute(
            """SELECT u.canonical_name, u.province, coalesce(u.kind, ''), list(a.alias) FILTER (a.alias IS NOT NULL)
               FROM units u LEFT JOIN unit_aliases a USING (unit_id)
               GROUP BY ALL ORDER BY u.province, u.canonical_name"""
        ).fetchall()
        if rows:
            return UnitDirectory([Unit(n, p, k, tuple(a or ())) for n, p, k, a in rows])
    return UnitDirectory.from_csv(UNITS_CSV)
