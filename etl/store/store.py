"""Writes and reads of the ingest: submissions, task rows, the load log, the unit directory, the archive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.model import FileResult, task_arrow_type
from etl.store.db import insert_table, registered
from etl.store.linking import link_submission
from etl.store.versions import ReportKey, Version, current_versions, is_newer, record_events
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
_TASK_SCHEMA = pa.schema([(name, task_arrow_type(name)) for name in TASK_COLUMNS])


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


_SUBMISSION_COLUMNS = (
    "submission_id",
    "file_name",
    "sha256",
    "archive_path",
    "file_format",
    "province",
    "province_legacy",
    "reporting_unit",
    "period_year",
    "period_kind",
    "period_index",
    "loaded_at",
    "n_rows",
    "n_warnings",
    "superseded_by",
    "report_date",
    "report_number",
)


@dataclass
class Accepted:
    """A checked file on its way into the database: its result, where its bytes are archived."""

    result: FileResult
    archive_path: str
    older_than: tuple[Version, str] | None = None  # the newer version that stays current, and its file


def report_key(result: FileResult) -> ReportKey:
    """What makes two reports the same report: province, unit, period."""
    m = result.report.meta
    return (m.province_legacy, m.reporting_unit, m.period_year, m.period_kind, m.period_index)


class LoadSession:
    """What one writer session needs to know, read once: hashes loaded, reports current, plans present."""

    def __init__(self, conn: duckdb.DuckDBPyConnection):
        self.conn = conn
        self.files_by_sha = dict(conn.execute("SELECT sha256, file_name FROM submissions").fetchall())
        self.current = current_versions(conn)
        self.plans = {
            tuple(r) for r in conn.execute("SELECT province_legacy, plan_year FROM plans").fetchall()
        }

    def duplicate_of(self, sha: str) -> str | None:
        return self.files_by_sha.get(sha)

    def has_plan(self, result: FileResult) -> bool:
        m = result.report.meta
        return (m.province_legacy, m.period_year) in self.plans

    def insert(self, batch: list[Accepted], now: datetime) -> None:
        """Insert checked reports (caller holds the transaction): submissions, task rows, which version
        is current, the history events, plan links. Sets each result's ``submission_id``."""
        conn = self.conn
        ids = [
            r[0]
            for r in conn.execute("SELECT nextval('seq_submission') FROM range(?)", [len(batch)]).fetchall()
        ]
        tasks = [item.result.report.task_table() for item in batch]  # each report's columns, read once
        rows, events, replaced = {}, [], []
        for item, submission_id, table in zip(batch, ids, tasks, strict=True):
            item.result.submission_id = submission_id
            rows[submission_id] = {
                "submission_id": submission_id,
                **_submission_row(item, now, table.num_rows),
            }
            older_than, supersedes = self._place(item, now)
            rows[submission_id]["superseded_by"] = older_than
            events.append((now, submission_id, "loaded_older" if older_than else "loaded", older_than, None))
            if supersedes is not None:
                events.append((now, supersedes, "superseded", submission_id, None))
                if supersedes in rows:
                    rows[supersedes]["superseded_by"] = submission_id
                else:
                    replaced.append((submission_id, supersedes))
            self.files_by_sha[item.result.sha256] = item.result.file
        _insert_arrow(conn, "submissions", _SUBMISSION_COLUMNS, list(rows.values()))
        insert_table(conn, "report_tasks", _task_table(batch, tasks))
        if replaced:  # in one statement: one per row cost ~0.5 ms each
            _supersede(conn, replaced)
        record_events(conn, events)
        for item in batch:
            if self.has_plan(item.result):
                link_submission(conn, item.result.submission_id)

    def _place(self, item: Accepted, now: datetime) -> tuple[int | None, int | None]:
        """(the current version this one is older than, the version this one supersedes)."""
        result, key = item.result, report_key(item.result)
        m = result.report.meta
        new = Version(result.submission_id, m.report_date, m.report_number, now)
        current = self.current.get(key)
        if current is not None and not is_newer(new, current[0]):
            item.older_than = current
            return current[0].submission_id, None
        self.current[key] = (new, result.file)
        return None, current[0].submission_id if current else None


def _supersede(conn: duckdb.DuckDBPyConnection, replaced: list[tuple[int, int]]) -> None:
    """Mark earlier submissions as superseded: (the new submission, the one it supersedes) pairs."""
    pairs = pa.table({"new_id": [n for n, _ in replaced], "old_id": [o for _, o in replaced]})
    with registered(conn, "_replaced", pairs):
        conn.execute(
            "UPDATE submissions SET superseded_by = r.new_id FROM _replaced r WHERE submission_id = r.old_id"
        )


def _submission_row(item: Accepted, now: datetime, n_rows: int) -> dict:
    result = item.result
    m = result.report.meta
    return {
        "file_name": result.file,
        "sha256": result.sha256,
        "archive_path": item.archive_path,
        "file_format": Path(result.file).suffix.lower().lstrip("."),
        **{k: getattr(m, k) for k in ("province", "province_legacy", "reporting_unit", "period_year")},
        **{k: getattr(m, k) for k in ("period_kind", "period_index", "report_date", "report_number")},
        "loaded_at": now,
        "n_rows": n_rows,
        "n_warnings": len(result.warnings),
    }


def _task_table(batch: list[Accepted], tables: list[pa.Table]) -> pa.Table:
    """The task rows of a batch: each report's columns (``tables``, from ``ParsedReport.task_table``: as
    they came from its checking process), with the submission's id."""
    # one chunk per column: DuckDB's scan of an Arrow table pays per chunk (a chunk per report made
    # inserting 61,202 rows of 1,000 reports 0.5 s instead of 0.1 s)
    tasks = pa.concat_tables(tables).combine_chunks() if tables else _TASK_SCHEMA.empty_table()
    ids = [
        item.result.submission_id for item, t in zip(batch, tables, strict=True) for _ in range(t.num_rows)
    ]
    columns = [
        pa.array(ids, pa.int32())
        if name == "submission_id"
        else pa.nulls(tasks.num_rows, _TASK_SCHEMA.field(name).type)
        if name in ("plan_task_id", "match_score")
        else tasks.column(name)
        for name in TASK_COLUMNS
    ]
    return pa.Table.from_arrays(columns, schema=_TASK_SCHEMA)


def _insert_arrow(
    conn, table: str, columns: tuple[str, ...], rows: list[dict], schema: pa.Schema | None = None
) -> None:
    """One INSERT of many rows (bind parameters would cost a statement per row)."""
    if not rows:
        return
    insert_table(
        conn, table, pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], schema=schema)
    )


def log_attempts(conn: duckdb.DuckDBPyConnection, results: list[FileResult]) -> None:
    """One ``load_log`` row per attempt: loaded, duplicate or rejected, with the first problems."""
    now = datetime.now()
    rows = [
        {
            "attempted_at": now,
            "file_name": r.file,
            "sha256": r.sha256,
            "verdict": str(r.verdict),
            "submission_id": r.submission_id,
            "n_rows": r.rows,
            "n_errors": len(r.errors),
            "message": _log_message(r),
            "loaded_by": r.loaded_by,
        }
        for r in results
    ]
    _insert_arrow(conn, "load_log", _LOG_COLUMNS, rows, _LOG_SCHEMA)


_LOG_COLUMNS = (
    "attempted_at",
    "file_name",
    "sha256",
    "verdict",
    "submission_id",
    "n_rows",
    "n_errors",
    "message",
    "loaded_by",
)
_LOG_SCHEMA = pa.schema(
    [("attempted_at", pa.timestamp("us")), ("file_name", pa.string()), ("sha256", pa.string())]
    + [("verdict", pa.string()), ("submission_id", pa.int32()), ("n_rows", pa.int32())]
    + [("n_errors", pa.int32()), ("message", pa.string()), ("loaded_by", pa.string())]
)


def _log_message(result: FileResult) -> str | None:
    if result.duplicate_of:
        return f"duplicate of {result.duplicate_of}"
    if result.errors:
        return "; ".join(p.message for p in result.errors[:3])
    return None


def seed_units(conn: duckdb.DuckDBPyConnection) -> None:
    """Fill an empty unit directory from the reference CSV (the editable copy lives in the database)."""
    if conn.execute("SELECT count(*) FROM units").fetchone()[0]:
        return
    units = UnitDirectory.from_csv(UNITS_CSV).units
    rows = conn.execute(
        "INSERT INTO units (canonical_name, province, kind) SELECT * FROM (SELECT unnest(?), unnest(?), unnest(?)) "
        "RETURNING unit_id, canonical_name, province",
        [[u.canonical_name for u in units], [u.province for u in units], [u.kind for u in units]],
    ).fetchall()
    ids = {(name, province): unit_id for unit_id, name, province in rows}
    aliases = {(ids[(u.canonical_name, u.province)], a) for u in units for a in u.aliases}
    if aliases:
        conn.execute(
            "INSERT INTO unit_aliases SELECT * FROM (SELECT unnest(?), unnest(?)) ON CONFLICT DO NOTHING",
            [[i for i, _ in aliases], [a for _, a in aliases]],
        )


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
