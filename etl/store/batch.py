"""Bulk ingest: files checked side by side, the checked ones written together.

Policy (named):

* **Each file all-or-nothing.** A file is checked whole (``load.check_file``) before anything of it is
  written; a file that is refused, or whose reader crashes or kills its process, is refused alone.
* **Batched publish.** Checked files wait in a batch; a batch is written in one writer session (one copy
  of the database, one refresh of the derived tables, one publish) when it holds ``max_files`` files or
  ``max_rows`` task rows, when its first file has waited ``max_seconds`` (and publishing has taken
  at most a quarter of the time so far: a slow disk makes batches larger), and at the end.
* **Reported once published.** ``progress`` hears of a file only after its batch is the live database:
  what was printed as loaded is loaded. A killed run loses the files it had not reported yet.
* **Leftovers of a killed run** are removed by the next writer: its private database copy
  (``db.remove_stale_copies``), and the archive files it wrote for a batch it never published (listed in
  ``<db>.archive-pending`` before they are written, checked against ``submissions`` afterwards).
* **Side by side.** With ``workers`` > 1 and enough files, files are read and checked in processes forked
  from this one (each reads its file from disk, each bounded in memory and time like the sandbox's child,
  ``etl.ingest.forked``); results come back in input order.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import duckdb

from etl import settings
from etl.errors import Problem
from etl.ingest import forked
from etl.model import FileResult, Verdict, send_tasks_packed, warm_packing
from etl.store.columns import record_columns, remember_columns
from etl.store.db import Database
from etl.store.load import IngestOptions, check_file, crashed, read_file, with_remembered
from etl.store.store import Accepted, LoadSession, archive_file, load_directory, log_attempts, seed_units
from etl.store.versions import describe, older_warning
from etl.vocab.units import UnitDirectory

# A file name and its bytes, or the path to read them from; optionally the options of this file.
Item = tuple[str, "Path | bytes"] | tuple[str, "Path | bytes", IngestOptions]
Checked = tuple[FileResult, "bytes | None"]  # the check's result, and the bytes of a file to write


MAX_AUTO_WORKERS = 4


def default_workers() -> int:
    """``TTDN_INGEST_WORKERS``, else one checking process per core this process may run on, at most
    ``MAX_AUTO_WORKERS``: the one writer spends ~1.7 ms of CPU per file (receiving, publishing) and a
    checking process ~7 ms, so past four of them the writer is the limit."""
    configured = settings.get("TTDN_INGEST_WORKERS").strip()
    if configured:
        return max(1, int(configured))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(MAX_AUTO_WORKERS, cores)


@dataclass(frozen=True)
class BatchPolicy:
    """When a batch is published, and how many processes check files."""

    max_files: int = 500
    max_rows: int = 200_000
    max_bytes: int = 256 * 2**20  # the files' own bytes a batch holds until it archives them
    max_seconds: float = 1.0
    workers: int = field(default_factory=default_workers)
    min_files_for_pool: int = 8  # fewer files are checked in this process (a pool costs ~0.5 s)

    def pooled(self, n_files: int) -> bool:
        """Whether ``n_files`` are checked in a pool of processes (else in this one)."""
        return self.workers > 1 and n_files >= self.min_files_for_pool


def ingest_items(
    db: Database,
    items: list[Item],
    options: IngestOptions,
    progress: Callable[[FileResult], None] | None = None,
    policy: BatchPolicy | None = None,
) -> list[FileResult]:
    """Check and load files; returns one result per file, in order, each reported once published (a
    loaded file's result without its parsed ``report``: its rows are in the database)."""
    policy = policy or BatchPolicy()
    archive_dir = options.archive_dir or settings.path("TTDN_ARCHIVE")
    conn = db.reader() if db.exists() else None
    known = (
        frozenset(r[0] for r in conn.execute("SELECT sha256 FROM submissions").fetchall())
        if conn
        else frozenset()
    )
    directory, options = load_directory(conn), with_remembered(options, conn)
    own = [_own_options(item, options) for item in items]
    # a file's own options travel to the checking process without the judge (``_judged`` runs it here)
    to_check = [
        (i[0], i[1], replace(o, accept=None)) if len(i) > 2 else i for i, o in zip(items, own, strict=True)
    ]
    checked = _judged(_checked(to_check, (options, directory, known), policy), own)
    # while checking processes keep every core busy, the writer's DuckDB runs on one thread: a second
    # thread only adds its coordination (a batch of 500 files: ~0.55 s of CPU on one, ~0.75 s on two)
    threads = 1 if policy.pooled(len(items)) else None
    with _fewer_collections(), ThreadPoolExecutor(1, thread_name_prefix="publish") as publisher:
        return _load(db, checked, archive_dir, progress, policy, publisher, threads)


_gc_lock = threading.Lock()
_gc_depth = 0  # loads running in this process
_gc_saved = gc.get_threshold()


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """The cyclic garbage collector run rarely while files are loaded: the results waiting in a batch
    are many small objects (no cycles: freed as soon as they are published) that every collection
    would walk again (~0.3 s of 1,000 files). The thresholds come back when the last load ends."""
    global _gc_depth, _gc_saved
    with _gc_lock:
        if _gc_depth == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(50_000, 20, 100)
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0:
                gc.set_threshold(*_gc_saved)


def _own_options(item: Item, run: IngestOptions) -> IngestOptions:
    """A file's own options (with the run's remembered columns), else the run's."""
    if len(item) < 3:
        return run
    return replace(item[2], remembered=run.remembered)


def _judged(checked: Iterator[Checked], options: list[IngestOptions]) -> Iterator[Checked]:
    """Each checked file as its options judge it, in this process (the judge need not cross to a
    checking process): who loads it, and whether the loader may load it (``IngestOptions.accept``)."""
    for (result, data), own in zip(checked, options, strict=True):
        result.loaded_by = own.loaded_by
        if result.verdict is Verdict.PREVIEWED and own.accept and (refusal := own.accept(result)):
            result.verdict, result.reason = Verdict.REJECTED, "out of scope"
            result.errors.append(Problem(refusal))
            data = None
        yield result, data


def _load(
    db: Database,
    checked: Iterator[Checked],
    archive_dir: Path,
    progress: Callable[[FileResult], None] | None,
    policy: BatchPolicy,
    publisher: ThreadPoolExecutor,
    threads: int | None,
) -> list[FileResult]:
    """Batches handed to one publisher thread while the files after them are checked. A batch closes
    when it is due (``BatchPolicy``) and the previous one is published, and no sooner after it than
    ``PUBLISH_SHARE`` allows (publishing at most about a quarter of the time, however slow the disk);
    a full batch waits for the previous one."""
    results: list[FileResult] = []
    pending: list[Checked] = []
    inflight: Future | None = None
    since = rows = size = 0.0
    next_at = time.monotonic()  # no publish before: the last one's end plus 3x its duration
    for item in checked:
        now = time.monotonic()
        since = since if pending else now
        pending.append(item)
        rows += item[0].rows if item[1] is not None else 0
        size += len(item[1]) if item[1] is not None else 0
        full = len(pending) >= policy.max_files or rows >= policy.max_rows or size >= policy.max_bytes
        if inflight is not None and (full or inflight.done()):
            outcomes, took = inflight.result()
            results += outcomes
            inflight, next_at = None, time.monotonic() + took / PUBLISH_SHARE - took
        if inflight is None and (full or (now - since >= policy.max_seconds and now >= next_at)):
            inflight = publisher.submit(_publish_and_report, db, pending, archive_dir, progress, threads)
            pending, rows, size = [], 0, 0
    if inflight is not None:
        results += inflight.result()[0]
    if pending:
        results += _publish_and_report(db, pending, archive_dir, progress, threads)[0]
    return results


PUBLISH_SHARE = 0.25


def _publish_and_report(
    db: Database,
    pending: list[Checked],
    archive_dir: Path,
    progress: Callable[[FileResult], None] | None,
    threads: int | None = None,
) -> tuple[list[FileResult], float]:
    """Publish a batch, then tell ``progress`` of each file; returns the outcomes and the seconds taken."""
    started = time.monotonic()
    outcomes = publish(db, pending, archive_dir, threads)
    took = time.monotonic() - started
    for result in outcomes:
        if progress:
            progress(result)
        if result.verdict is Verdict.LOADED:
            result.report = None  # its rows are in the database now: a long run keeps no copy of them
    return outcomes, took


# -- checking ----------------------------------------------------------------------------------------

_context: tuple[IngestOptions, UnitDirectory, frozenset[str]] | None = None


def _set_context(options: IngestOptions, directory: UnitDirectory, known: frozenset[str]) -> None:
    global _context
    _context = (options, directory, known)


def check_item(item: Item) -> Checked:
    """Read (when given a path) and check one file with the context set by ``_set_context``."""
    assert _context is not None
    options, directory, known = _context
    name, source, *own = item
    options = own[0] if own else options
    data = source if isinstance(source, bytes) else read_file(Path(source))
    sha = hashlib.sha256(data).hexdigest()
    if sha in known:
        return FileResult(name, Verdict.DUPLICATE, sha), None
    result = check_file(name, data, sha, options, directory, Verdict.PREVIEWED)
    return result, (data if result.verdict is Verdict.PREVIEWED else None)


def _checked(items: list[Item], context: tuple, policy: BatchPolicy) -> Iterator[Checked]:
    """Every item checked, in order: in this process, or in a pool when there are enough files."""
    if not policy.pooled(len(items)):
        _set_context(*context)
        yield from map(check_item, items)
        return
    yield from _checked_in_pool(items, context, policy.workers)


def _checked_in_pool(items: list[Item], context: tuple, workers: int) -> Iterator[Checked]:
    """Files checked by ``workers`` forked processes, each itself the bounded reader (``etl.ingest.forked``:
    its memory and each file's time limited; a file reads in that process, not in a child of it), a few
    files in flight per worker. A file whose worker dies or overruns is refused alone."""
    limits = context[0].limits
    warm_packing()  # before forking: the workers inherit pyarrow ready to pack their reports' tasks

    def setup() -> None:
        _set_context(*context)
        send_tasks_packed()

    pool = forked.ForkedPool(workers, limits.parse_memory_bytes, check_item, setup)

    def check(item: Item) -> Checked:
        seconds = (item[2].limits if len(item) > 2 else limits).parse_seconds
        status, value = pool.run(item, seconds)
        if status == "ok":
            return value
        if status == "died":
            value = value.refusal(limits.parse_memory_bytes, seconds)
            if value is None:
                return crashed(item[0], None, None), None
        return FileResult(
            item[0], Verdict.REJECTED, None, errors=list(value.problems), reason=value.code
        ), None

    window: deque[Future] = deque()
    rest = iter(items)
    with ThreadPoolExecutor(workers, thread_name_prefix="ttdn-check") as threads:
        try:
            while True:
                while len(window) < 16 * workers and (item := next(rest, None)) is not None:
                    window.append(threads.submit(check, item))
                if not window:
                    return
                yield window.popleft().result()
        finally:  # a run stopped early: the files not started are not checked
            for future in window:
                future.cancel()
            threads.shutdown(wait=True)
            pool.close()


# -- writing -----------------------------------------------------------------------------------------


def journal_path(db: Database) -> Path:
    """Archive files written for a batch not yet published, one path a line."""
    return db.path.with_name(db.path.name + ".archive-pending")


def publish(
    db: Database, pending: list[Checked], archive_dir: Path, threads: int | None = None
) -> list[FileResult]:
    """Write a batch of checked files in one writer session and publish it (DuckDB on ``threads``
    threads, default one per core); returns the outcomes."""
    journal = journal_path(db)
    with db.writer(after_publish=lambda: journal.unlink(missing_ok=True), threads=threads) as conn:
        seed_units(conn)
        remove_unpublished_archive(conn, journal)
        session = LoadSession(conn)
        accepted = _accepted(session, pending, archive_dir)
        _write_journal(journal, [a.archive_path for a in accepted])
        by_result = {id(r): data for r, data in pending}
        # the archive is written while the database inserts (each waits on its own I/O and DuckDB
        # releases the GIL); both are done before the batch is published
        with ThreadPoolExecutor(1, thread_name_prefix="archive") as archiver:
            archived = archiver.submit(_archive, archive_dir, accepted, by_result)
            _insert(conn, session, accepted, datetime.now())
            archived.result()
        for a in accepted:  # a person's column choices, for the same unit's next files
            if a.result.verdict is Verdict.LOADED and a.result.remember_columns:
                remember_columns(conn, a.result.report)
        record_columns(conn, [r for r, _ in pending])
        log_attempts(conn, [r for r, _ in pending])
    return [r for r, _ in pending]


def _archive(archive_dir: Path, accepted: list[Accepted], data_of: dict[int, bytes | None]) -> None:
    for a in accepted:
        archive_file(archive_dir, a.result.sha256, a.result.file, data_of[id(a.result)])


def _accepted(session: LoadSession, pending: list[Checked], archive_dir: Path) -> list[Accepted]:
    """The checked files to write; the others marked duplicate (of the database or of this batch)."""
    accepted: list[Accepted] = []
    for result, data in pending:
        if result.verdict not in (Verdict.PREVIEWED, Verdict.DUPLICATE):
            continue
        dup = session.duplicate_of(result.sha256)
        if dup or result.verdict is Verdict.DUPLICATE:
            dup = dup or "?"
            result.verdict, result.duplicate_of, result.report = Verdict.DUPLICATE, dup, None
            result.warnings = [Problem(f"Tệp giống hệt tệp đã nạp '{dup}' (cùng mã SHA-256); không nạp lại.")]
            continue
        assert data is not None
        session.files_by_sha[result.sha256] = result.file
        suffix = Path(result.file).suffix.lower()[:8]
        path = archive_dir / result.sha256[:2] / f"{result.sha256}{suffix}"
        accepted.append(Accepted(result, str(path)))
    for a in accepted:
        session.files_by_sha.pop(a.result.sha256, None)  # LoadSession.insert records them
    return accepted


def _insert(
    conn: duckdb.DuckDBPyConnection, session: LoadSession, accepted: list[Accepted], now: datetime
) -> None:
    """All files in one transaction; if that fails, each file in its own, a failing one refused alone."""
    try:
        _insert_transaction(conn, session, accepted, now)
    except Exception:
        for item in accepted:
            try:
                _insert_transaction(conn, LoadSession(conn), [item], now)
            except Exception as exc:  # noqa: BLE001 - refused alone, the batch goes on
                _refuse_unwritable(item.result, exc)
    for item in accepted:
        if item.result.verdict is Verdict.PREVIEWED:
            item.result.verdict = Verdict.LOADED
            if item.older_than:
                item.result.older_than = describe(*item.older_than)
                item.result.warnings.append(older_warning(item.older_than))


def _insert_transaction(conn, session: LoadSession, batch: list[Accepted], now: datetime) -> None:
    conn.begin()
    try:
        session.insert(batch, now)
        conn.commit()
    except BaseException:
        conn.rollback()
        for item in batch:
            item.result.submission_id, item.older_than = None, None
        raise


def _refuse_unwritable(result: FileResult, exc: Exception) -> None:
    result.verdict, result.reason, result.report = Verdict.REJECTED, "write failed", None
    result.errors = [
        Problem(
            f"Không ghi được tệp vào cơ sở dữ liệu ({type(exc).__name__}: {exc}); các tệp khác vẫn được nạp."
        )
    ]


def _write_journal(journal: Path, paths: list[str]) -> None:
    if not paths:
        return
    journal.parent.mkdir(parents=True, exist_ok=True)  # on PostgreSQL the local folder may not exist yet
    with open(journal, "a", encoding="utf-8") as fh:
        fh.write("".join(f"{p}\n" for p in paths))
        fh.flush()
        os.fsync(fh.fileno())


def remove_unpublished_archive(conn: duckdb.DuckDBPyConnection, journal: Path) -> list[Path]:
    """Delete the archive files a killed run wrote for a batch it never published (under the lock)."""
    if not journal.exists():
        return []
    listed = [line for line in journal.read_text(encoding="utf-8").splitlines() if line]
    referenced = {
        r[0]
        for r in conn.execute(
            "SELECT archive_path FROM submissions WHERE archive_path IN (SELECT unnest(?))", [listed]
        ).fetchall()
    }
    removed = [Path(p) for p in listed if p not in referenced]
    for path in removed:
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".part").unlink(missing_ok=True)
    journal.unlink()
    return removed
