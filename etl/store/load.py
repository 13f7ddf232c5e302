"""Extract → normalise → validate → load, one file at a time.

Load policy (named): a file with any error is refused whole and nothing of it is written;
the same bytes twice are a duplicate and add nothing; a newer version of the same unit and
period's report supersedes the older one (kept, marked ``superseded_by``; "newer" is the report's
own date or number, ``etl.store.versions``). Each accepted file is archived under ``data/archive``
by its SHA-256 and logged; files are written in batches (``etl.store.batch``), each file whole.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from etl import settings
from etl.errors import Problem, ReportError
from etl.ingest import sandbox
from etl.ingest.column_map import Changes, ColumnChoices
from etl.ingest.meta import MetaOptions
from etl.model import FileResult, ParsedReport, Verdict
from etl.store.columns import RememberedColumns, remembered_columns
from etl.store.db import DEMO_LOADER, Database  # noqa: F401 - DEMO_LOADER re-exported
from etl.store.store import load_directory, report_key
from etl.store.versions import Version, current_version, describe, is_newer, older_warning
from etl.vocab.units import UnitDirectory

if TYPE_CHECKING:
    from etl.store.batch import BatchPolicy

REPORT_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}


@dataclass
class IngestOptions(MetaOptions):
    """Options of one ingest run (or of one file, on the upload page): the metadata fallbacks, where to
    archive, who loads; the column corrections remembered in the database (filled by the run) and the
    ones a person chose for this file (offset -> assignment, remembered when it is loaded)."""

    archive_dir: Path | None = None
    loaded_by: str | None = None  # who loads (kept in load_log): a user name, "cli:<os user>", "demo"
    # Judged on every checked file, in the caller's process, before it is written: a message refuses
    # the file (the uploader's scope: a unit's staff may load their own unit's report only).
    accept: Callable[[FileResult], str | None] | None = None
    limits: settings.Limits = field(default_factory=settings.Limits)
    remembered: RememberedColumns = field(default_factory=dict)
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
    file_name: str, data: bytes, options: IngestOptions, directory: UnitDirectory
) -> ParsedReport:
    """Read and check one file in a bounded child process (``etl.ingest.sandbox``), with the remembered
    and chosen column corrections; raises ``ReportError`` when it cannot be read at all.

    The one call that validates a file (preview, CLI, upload, bulk); ``check_file`` turns any failure
    into a refusal.
    """
    columns = ColumnChoices(options.remembered, options.chosen_columns)
    meta = MetaOptions(options.province, options.unit, options.period)  # only what the child needs
    return sandbox.read_report(data, file_name, meta, directory, options.limits, columns)


def annotate_errors(file_name: str, data: bytes, result: FileResult) -> bytes:
    """The file back with an error column (upload page), built from what the guarded reader reads."""
    report = result.report
    sheet, header_row = (report.sheet, report.header_row) if report is not None else (None, None)
    return sandbox.annotated_copy(data, file_name, result.errors, result.warnings, sheet, header_row)


def with_remembered(options: IngestOptions, conn: duckdb.DuckDBPyConnection | None) -> IngestOptions:
    """``options`` with the column corrections the database remembers."""
    return replace(options, remembered=remembered_columns(conn)) if conn is not None else options


def preview_bytes(
    file_name: str, data: bytes, options: IngestOptions, db: Database | None = None
) -> FileResult:
    """What a load would do, without writing anything (upload page before confirming)."""
    sha = hashlib.sha256(data).hexdigest()
    conn = db.reader() if db is not None and db.exists() else None
    if conn is not None and (dup := _existing(conn, sha)):
        return FileResult(file_name, Verdict.DUPLICATE, sha, duplicate_of=dup)
    options = with_remembered(options, conn)
    result = check_file(file_name, data, sha, options, load_directory(conn), Verdict.PREVIEWED)
    if conn is not None and result.verdict is Verdict.PREVIEWED:
        _warn_if_older(conn, result)
    return result


def _warn_if_older(conn: duckdb.DuckDBPyConnection, result: FileResult) -> None:
    """Say before loading that a newer version of this report already counts (it would only be kept)."""
    m = result.report.meta
    current = current_version(conn, report_key(result))
    if current is not None and not is_newer(
        Version(0, m.report_date, m.report_number, datetime.max), current[0]
    ):
        result.older_than = describe(*current)
        result.warnings.append(older_warning(current))


def check_file(
    file_name: str, data: bytes, sha: str, options: IngestOptions, directory: UnitDirectory, ok: Verdict
) -> FileResult:
    """Read and check one file, never raising for what a file can do: a refusal is a REJECTED result
    with its reasons, a reader that crashes (whatever the exception, Rust panics included) too."""
    try:
        report = read_report(file_name, data, options, directory)
    except ReportError as exc:
        guesses = getattr(exc, "guesses", None)  # missing metadata: what the upload page proposes
        return FileResult(
            file_name, Verdict.REJECTED, sha, errors=list(exc.problems), reason=exc.code, guesses=guesses
        )
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - a crash in a reader is a refusal of this file only
        return crashed(file_name, sha, exc)
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
        remember_columns=bool(options.chosen_columns),
    )


def crashed(file_name: str, sha: str | None, exc: BaseException | None) -> FileResult:
    """The refusal of a file whose reading crashed (``exc``) or killed the reading process (None)."""
    what = type(exc).__name__ if exc is not None else "tiến trình đọc tệp bị dừng"
    problem = Problem(
        f"Chương trình đọc bảng tính gặp lỗi với tệp này ({what}); tệp không được nạp, các tệp khác không "
        "bị ảnh hưởng. Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi tải lên lại."
    )
    return FileResult(file_name, Verdict.REJECTED, sha, errors=[problem], reason="crash")


def _existing(conn: duckdb.DuckDBPyConnection, sha: str) -> str | None:
    row = conn.execute("SELECT file_name FROM submissions WHERE sha256 = ?", [sha]).fetchone()
    return row[0] if row else None


def ingest_bytes(
    db: Database,
    items: Iterable[tuple[str, bytes] | tuple[str, bytes, IngestOptions]],
    options: IngestOptions | None = None,
    progress: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Load files given as (name, bytes), or (name, bytes, options of this file); see ``etl.store.batch``
    for how (checked side by side, written in published batches, each file reported once its batch is
    published)."""
    from etl.store.batch import ingest_items

    return ingest_items(db, list(items), options or IngestOptions(), progress)


def ingest_paths(
    db: Database,
    paths: Iterable[Path | str],
    options: IngestOptions | None = None,
    progress: Callable[[FileResult], None] | None = None,
    policy: BatchPolicy | None = None,
) -> list[FileResult]:
    """Load report files and folders from disk (the CLI's ``ingest``); each file is read by the
    process that checks it."""
    from etl.store.batch import ingest_items

    items = [(p.name, p) for p in report_files(paths)]
    return ingest_items(db, items, options or IngestOptions(), progress, policy)


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
