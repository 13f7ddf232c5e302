"""Demo data: report spreadsheets built from real plans, loaded through the real ingest."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

from etl.store.db import Database

WRITERS = 2  # processes forked to write the report files while the plans are saved
WRITER_SECONDS = 60.0  # a writer stuck longer is killed, and its files written in this process
WRITER_MEMORY_BYTES = 512 << 20  # what a writer may add to the memory it shares with this process


def has_submissions(db: Database) -> bool:
    if not db.exists():
        return False
    return bool(db.reader().execute("SELECT count(*) FROM submissions").fetchone()[0])


def ensure_demo_data(db: Database, archive_dir: Path | None = None) -> int:
    """When ``submissions`` is empty, save the demo plans and load the demo reports (through the real
    ingest); return how many report files were loaded (0 if the database already had reports, or
    another process loaded them meanwhile: once is enough, a second load would only log duplicates)."""
    if has_submissions(db):
        return 0
    with db.exclusive("demo"):  # one loader across processes, threads and (PostgreSQL) machines
        return 0 if has_submissions(db) else _load_demo(db, archive_dir)


def _load_demo(db: Database, archive_dir: Path | None) -> int:
    # The ingest (the plan parser, the sandbox) only when there is something to load: a restart on a
    # loaded database does not pay for it.
    from demo.plans import demo_plans
    from etl.model import Verdict
    from etl.store.load import DEMO_LOADER, IngestOptions, ingest_paths
    from etl.store.plan_import import save_plans_to_db

    with tempfile.TemporaryDirectory(prefix="ttdn-demo-") as tmp:
        paths = write_reports_while(Path(tmp), lambda: save_plans_to_db(db, demo_plans()))
        results = ingest_paths(db, paths, IngestOptions(archive_dir=archive_dir, loaded_by=DEMO_LOADER))
    return sum(r.verdict is Verdict.LOADED for r in results)


def write_reports_while(out: Path, meanwhile: Callable[[], object]) -> list[Path]:
    """Write every demo report into ``out`` (``demo.generate.write_demo_reports``) in ``WRITERS``
    processes forked from this one, while this thread runs ``meanwhile``: the files (pure Python)
    neither wait for it nor share its interpreter lock (a server's threads hold it too). A writer that
    fails or is stuck has its files written here afterwards. Returns the paths in load order."""
    from demo.generate import report_files, write_files
    from etl.ingest.forked import ForkedPool

    files = report_files()
    shares = _shares(files, WRITERS)
    pool = ForkedPool(len(shares), WRITER_MEMORY_BYTES, lambda share: len(write_files(share, out)), _nothing)
    # A worker dies with the thread that forked it: these threads outlive it (closed before they end).
    with ThreadPoolExecutor(len(shares), thread_name_prefix="ttdn-demo-writer") as threads:
        writers = [threads.submit(pool.run, share, WRITER_SECONDS) for share in shares]
        try:
            meanwhile()
        finally:
            wait(writers)
            pool.close()
    for share, writer in zip(shares, writers, strict=True):
        if writer.exception() is not None or writer.result() != ("ok", len(share)):
            write_files(share, out)
    return [out / file.name for file in files]


def _shares(files: list, n: int) -> list[list]:
    """``files`` dealt into ``n`` shares of about equal work, a copy in the share of the file it copies."""
    shares: list[list] = [[] for _ in range(n)]
    where: dict[str, int] = {}
    for i, file in enumerate(files):
        where[file.name] = where[file.copy_of] if file.copy_of else i % n
        shares[where[file.name]].append(file)
    return [share for share in shares if share]


def _nothing() -> None:
    """A writer needs no set-up: it inherits everything it uses."""
