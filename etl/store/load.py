"""Extract → normalise → validate → load, one file at a time.

Load policy (named): a file with any error is refused whole and nothing of it is written;
the same bytes twice are a duplicate and add nothing; a newer report of the same unit and
period supersedes the older one (kept, marked ``superseded_by``). Each accepted file is
written in its own transaction, archived under ``data/archive`` by its SHA-256, and logged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from etl import settings
from etl.errors import Problem, ReportError
from etl.ingest import sandbox
from etl.ingest.column_map import Changes, ColumnChoices
from etl.ingest.meta import MetaOptions
from etl.model import FileResult, ParsedReport, Verdict
from etl.store.columns import RememberedColumns, record_columns, remember_columns, remembered_columns
from etl.store.db import DEMO_LOADER, Database  # noqa: F401 - DEMO_LOADER re-exported
from etl.store.linking import link_submission
from etl.store.store import LoadSession, archive_file, load_directory, log_attempt, seed_units
from etl.vocab.units import UnitDirectory

REPORT_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}


@dataclass
class IngestOptions(MetaOptions):
    """Options of one ingest run: the metadata fallbacks, and where to archive; for one file, the
    column corrections a person chose on the upload page (offset -> assignment, remembered on load)."""

    archive_dir: Path | None = None
    loaded_by: str | None = None  # who loads (kept in load_log): a user name, "cli:<os user>", "demo"
    # Checked on every file just before it is written, on what was read from it: a message refuses
    # the file (the uploader's scope: a unit's staff may load their own unit's report only).
    accept: Callable[[FileResult], str | None] | None = None
    limits: settings.Limits = field(default_factory=settings.Limits)
    chosen_columns: Changes = field(default_factory=dict)


def report_files(paths: Iterable[Path | str]) -> list[Path]:
    """The report files named, a folder meaning every report inside it (recursively)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and not p.name.startswith(("~$", "."))
            )
        else:
            found.append(path)
    return found


def read_report(
    file_name: str,
    data: bytes,
    options: IngestOptions,
    directory: UnitDirectory,
    remembered: RememberedColumns | None = None,
) -> ParsedReport:
    """Read and check one file in a bounded child process, with the remembered and chosen column
    corrections; raises ``ReportError`` when it cannot be read at all."""
    columns = ColumnChoices(remembered or {}, options.chosen_columns)
    meta = MetaOptions(options.province, options.unit, options.period)  # only what the child needs
    return sandbox.read_report(data, file_name, meta, directory, options.limits, columns)


def annotate_errors(file_name: str, data: bytes, result: FileResult) -> bytes:
    """The file back with an error column (upload page), built from what the guarded reader reads."""
    report = result.report
    sheet, header_row = (report.sheet, report.header_row) if report is not None else (None, None)
    return sandbox.annotated_copy(data, file_name, result.errors, result.warnings, sheet, header_row)


def preview_bytes(
    file_name: str, data: bytes, options: IngestOptions, db: Database | None = None
) -> FileResult:
    """What a load would do, without writing anything (upload page before confirming)."""
    sha = hashlib.sha256(data).hexdigest()
    conn = db.reader() if db is not None and db.exists() else None
    if conn is not None and (dup := _existing(conn, sha)):
        return FileResult(file_name, Verdict.DUPLICATE, sha, duplicate_of=dup)
    directory, remembered = load_directory(conn), remembered_columns(conn)
    return _check(file_name, data, sha, options, directory, Verdict.PREVIEWED, remembered)


def _check(file_name, data, sha, options, directory: UnitDirectory, ok: Verdict, remembered) -> FileResult:
    try:
        report = read_report(file_name, data, options, directory, remembered)
    except ReportError as exc:
        guesses = getattr(exc, "guesses", None)
        return FileResult(
            file_name, Verdict.REJECTED, sha, errors=list(exc.problems), reason=exc.code, guesses=guesses
        )
    verdict = Verdict.REJECTED if report.errors else ok
    return FileResult(
        file_name,
        verdict,
        sha,
        rows=len(report.tasks),
        errors=report.errors,
        warnings=report.warnings,
        report=report,
        reason="bad rows" if report.errors else None,
    )


def _existing(conn: duckdb.DuckDBPyConnection, sha: str) -> str | None:
    row = conn.execute("SELECT file_name FROM submissions WHERE sha256 = ?", [sha]).fetchone()
    return row[0] if row else None


def ingest_bytes(
    db: Database,
    items: Iterable[tuple[str, bytes] | tuple[str, bytes, IngestOptions]],
    options: IngestOptions | None = None,
    progress: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Load files given as (name, bytes), or (name, bytes, options of this file); one writer session,
    one transaction per file."""
    options = options or IngestOptions()
    archive_dir = options.archive_dir or settings.path("TTDN_ARCHIVE")
    results: list[FileResult] = []
    with db.writer() as conn:
        seed_units(conn)
        directory, remembered = load_directory(conn), remembered_columns(conn)
        session = LoadSession(conn)
        for file_name, data, *own in items:
            file_options = own[0] if own else options
            result = _ingest_one(session, file_name, data, file_options, archive_dir, directory, remembered)
            results.append(result)
            if progress:
                progress(result)
        record_columns(conn, results)
    return results


def ingest_paths(
    db: Database,
    paths: Iterable[Path | str],
    options: IngestOptions | None = None,
    progress: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Load report files and folders from disk (the CLI's ``ingest``)."""
    files = report_files(paths)
    return ingest_bytes(db, ((p.name, _read(p)) for p in files), options, progress)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _ingest_one(
    session: LoadSession,
    file_name: str,
    data: bytes,
    options: IngestOptions,
    archive_dir: Path,
    directory: UnitDirectory,
    remembered: RememberedColumns,
) -> FileResult:
    conn = session.conn
    sha = hashlib.sha256(data).hexdigest()
    if dup := session.duplicate_of(sha):
        result = FileResult(file_name, Verdict.DUPLICATE, sha, duplicate_of=dup)
        result.warnings.append(Problem(f"Tệp giống hệt tệp đã nạp '{dup}' (cùng mã SHA-256); không nạp lại."))
        log_attempt(conn, result, f"duplicate of {dup}", options.loaded_by)
        return result
    result = _check(file_name, data, sha, options, directory, Verdict.LOADED, remembered)
    if result.verdict is Verdict.LOADED and options.accept and (refusal := options.accept(result)):
        result.verdict, result.reason = Verdict.REJECTED, "out of scope"
        result.errors.append(Problem(refusal))
    if result.verdict is Verdict.LOADED:
        path = archive_file(archive_dir, sha, file_name, data)
        conn.begin()
        try:
            _insert(session, result, path, options, remembered)
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
    else:
        log_attempt(conn, result, "; ".join(p.message for p in result.errors[:3]), options.loaded_by)
    return result


def _insert(
    session: LoadSession,
    result: FileResult,
    path: Path,
    options: IngestOptions,
    remembered: RememberedColumns,
) -> None:
    """Write a checked report (caller holds the transaction), remembering a column correction."""
    result.submission_id = session.insert(result, str(path), datetime.now())
    if session.has_plan(result):
        link_submission(session.conn, result.submission_id)
    if options.chosen_columns:
        key, changes = remember_columns(session.conn, result.report)
        remembered[key] = dict(changes)
    log_attempt(session.conn, result, loaded_by=options.loaded_by)
