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
from etl.ingest.annotate import annotate_errors  # noqa: F401 - part of the load API for the upload page
from etl.ingest.meta import MetaOptions
from etl.ingest.parse import parse_workbook
from etl.ingest.readers import read_workbook
from etl.model import FileResult, ParsedReport, Verdict
from etl.store.db import Database
from etl.store.linking import link_submission
from etl.store.store import LoadSession, archive_file, load_directory, log_attempt, seed_units
from etl.vocab.units import UnitDirectory

REPORT_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}


@dataclass
class IngestOptions(MetaOptions):
    """Options of one ingest run: the metadata fallbacks, and where to archive."""

    archive_dir: Path | None = None
    limits: settings.Limits = field(default_factory=settings.Limits)


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
    file_name: str, data: bytes, options: IngestOptions, directory: UnitDirectory
) -> ParsedReport:
    """Read and check one file; raises ``ReportError`` when it cannot be read at all."""
    workbook = read_workbook(data, file_name, options.limits)
    return parse_workbook(workbook, options, directory)


def preview_bytes(
    file_name: str, data: bytes, options: IngestOptions, db: Database | None = None
) -> FileResult:
    """What a load would do, without writing anything (upload page before confirming)."""
    sha = hashlib.sha256(data).hexdigest()
    conn = db.reader() if db is not None and db.exists() else None
    if conn is not None and (dup := _existing(conn, sha)):
        return FileResult(file_name, Verdict.DUPLICATE, sha, duplicate_of=dup)
    return _check(file_name, data, sha, options, load_directory(conn), Verdict.PREVIEWED)


def _check(file_name, data, sha, options, directory: UnitDirectory, ok: Verdict) -> FileResult:
    try:
        report = read_report(file_name, data, options, directory)
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
    items: Iterable[tuple[str, bytes]],
    options: IngestOptions | None = None,
    progress: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Load files given as (name, bytes); one writer session, one transaction per file."""
    options = options or IngestOptions()
    archive_dir = options.archive_dir or settings.path("TTDN_ARCHIVE")
    results: list[FileResult] = []
    with db.writer() as conn:
        seed_units(conn)
        directory = load_directory(conn)
        session = LoadSession(conn)
        for file_name, data in items:
            result = _ingest_one(session, file_name, data, options, archive_dir, directory)
            results.append(result)
            if progress:
                progress(result)
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
) -> FileResult:
    conn = session.conn
    sha = hashlib.sha256(data).hexdigest()
    if dup := session.duplicate_of(sha):
        result = FileResult(file_name, Verdict.DUPLICATE, sha, duplicate_of=dup)
        result.warnings.append(Problem(f"Tệp giống hệt tệp đã nạp '{dup}' (cùng mã SHA-256); không nạp lại."))
        log_attempt(conn, result, f"duplicate of {dup}")
        return result
    result = _check(file_name, data, sha, options, directory, Verdict.LOADED)
    if result.verdict is Verdict.LOADED:
        assert result.report is not None
        path = archive_file(archive_dir, sha, file_name, data)
        conn.begin()
        try:
            result.submission_id = session.insert(result, str(path), datetime.now())
            if session.has_plan(result):
                link_submission(conn, result.submission_id)
            log_attempt(conn, result)
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
    else:
        log_attempt(conn, result, "; ".join(p.message for p in result.errors[:3]))
    return result
