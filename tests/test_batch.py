"""Bulk ingest (``etl.store.batch``): checked side by side, written in published batches, each file whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import etl.store.load as load
from etl.model import FileResult
from etl.store.batch import BatchPolicy, ingest_items, journal_path
from etl.store.db import Database
from etl.store.load import IngestOptions, ingest_paths
from tests.procs import report_bytes
from tests.stores import reopen


class RustPanic(BaseException):
    """What a panic in a Rust reader looks like from Python: not an Exception."""


def _folder(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for i in range(n):
        (folder / f"bc_{i:02d}.xlsx").write_bytes(report_bytes(2000 + i, 1 + i % 4, 3 + i % 4))
    (folder / "hong.xlsx").write_bytes(report_bytes(1999, 1, 3))
    return folder


def _crash_on(name: str, how: str):
    real = load.read_report

    def reader(file_name, data, options, directory):
        if file_name == name:
            if how == "exit":
                os._exit(3)  # the reading process dies (a segfault, the kernel's OOM killer)
            raise RustPanic("called `Option::unwrap()` on a `None` value")
        return real(file_name, data, options, directory)

    return reader


@pytest.mark.parametrize(
    ("n_good", "how"),
    [(3, "panic"), (12, "panic"), (12, "exit")],
    ids=["in-process", "pool", "worker-dies"],
)
def test_a_crashing_file_is_refused_alone(tmp_path: Path, monkeypatch, n_good: int, how: str) -> None:
    monkeypatch.setattr(load, "read_report", _crash_on("hong.xlsx", how))
    db = Database(tmp_path / "x.duckdb")
    results = ingest_paths(db, [_folder(tmp_path, n_good)], IngestOptions(archive_dir=tmp_path / "a"))
    verdicts = {r.file: str(r.verdict) for r in results}
    assert verdicts.pop("hong.xlsx") == "rejected"
    assert set(verdicts.values()) == {"loaded"} and len(verdicts) == n_good
    crashed = next(r for r in results if r.file == "hong.xlsx")
    assert crashed.reason == "crash" and "các tệp khác không bị ảnh hưởng" in crashed.errors[0].message
    conn = db.reader()
    assert conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == n_good
    assert conn.execute("SELECT count(*) FROM load_log WHERE verdict = 'rejected'").fetchone()[0] == 1


def test_a_file_is_reported_only_once_its_batch_is_published(tmp_path: Path, make_store) -> None:
    db = make_store("x")
    seen: list[tuple[str, int]] = []

    def progress(result: FileResult) -> None:  # the store, as another process would open it
        reader = reopen(db)
        found = reader.reader().execute(
            "SELECT count(*) FROM submissions WHERE submission_id = ? AND file_name = ?",
            [result.submission_id, result.file],
        )
        seen.append((result.file, found.fetchone()[0]))
        reader.close()

    items = [(f"bc_{i}.xlsx", report_bytes(2000 + i, 1, 3)) for i in range(10)]
    policy = BatchPolicy(max_files=3, workers=2, min_files_for_pool=2)
    results = ingest_items(db, items, IngestOptions(archive_dir=tmp_path / "a"), progress, policy)
    assert [r.file for r in results] == [name for name, _ in items]  # in input order
    assert seen == [(name, 1) for name, _ in items]
    # written in several publishes, yet each file once
    n_loaded = db.reader().execute("SELECT count(DISTINCT sha256), count(*) FROM submissions").fetchone()
    assert n_loaded == (10, 10)


def test_a_batch_holds_at_most_max_bytes_of_files(tmp_path: Path, make_store) -> None:
    """The files a batch keeps until it archives them are bounded in bytes, not only in number: large
    files are published in smaller batches (each reported once published), however many may wait."""
    db = make_store("x")
    items = [(f"bc_{i}.xlsx", report_bytes(2000 + i, 1, 3)) for i in range(7)]
    smallest = min(len(data) for _, data in items)
    seen: list[int] = []

    def progress(result: FileResult) -> None:  # how many reports the store holds when each is reported
        reader = reopen(db)
        seen.append(reader.reader().execute("SELECT count(*) FROM submissions").fetchone()[0])
        reader.close()

    policy = BatchPolicy(max_files=100, max_seconds=3600, max_bytes=2 * smallest, workers=1)
    results = ingest_items(db, items, IngestOptions(archive_dir=tmp_path / "a"), progress, policy)
    assert [str(r.verdict) for r in results] == ["loaded"] * 7
    # batches of two files (the second reaches the bound), the last one the file left over
    assert seen == [2, 2, 4, 4, 6, 6, 7]


def test_same_bytes_twice_in_one_run_load_once(tmp_path: Path, make_store) -> None:
    data = report_bytes(2001, 2, 4)
    db = make_store("x")
    results = ingest_items(
        db, [("a.xlsx", data), ("b.xlsx", data)], IngestOptions(archive_dir=tmp_path / "a")
    )
    assert [str(r.verdict) for r in results] == ["loaded", "duplicate"]
    assert results[1].duplicate_of == "a.xlsx"


def test_the_next_run_removes_what_a_killed_run_left(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.duckdb")
    options = IngestOptions(archive_dir=tmp_path / "a")
    (first,) = ingest_items(db, [("a.xlsx", report_bytes(2001, 1, 3))], options)
    kept = Path(db.reader().execute("SELECT archive_path FROM submissions").fetchone()[0])
    # what a run killed before publishing leaves: its database copy, archive files no submission names
    copy = db.path.with_name(db.path.name + ".tmp-4242-1")
    copy.write_bytes(b"half a database")
    copy.with_name(copy.name + ".wal").write_bytes(b"wal")
    orphan = tmp_path / "a" / "ff" / ("f" * 64 + ".xlsx")
    orphan.parent.mkdir(parents=True, exist_ok=True)  # the kept file's hash may begin with ff too
    orphan.write_bytes(b"never published")
    orphan.with_name(orphan.name + ".part").write_bytes(b"half")
    journal_path(db).write_text(f"{orphan}\n{kept}\n", encoding="utf-8")
    ingest_items(db, [("b.xlsx", report_bytes(2002, 1, 3))], options)
    assert not list(tmp_path.glob("x.duckdb.tmp-*"))
    assert not orphan.exists() and not orphan.with_name(orphan.name + ".part").exists()
    assert kept.exists()  # named by a submission: kept
    assert not journal_path(db).exists()


def test_in_the_pool_each_worker_is_the_bounded_reader(tmp_path: Path) -> None:
    """A batch's checking process is itself the sandbox: a Rust panic, a parser that wants gigabytes and
    a file that reads for too long are each refused with their reason; the others load; the CLI's
    memory does not move."""
    import resource
    from dataclasses import replace

    from tests import hostile

    # bounds raised so the guards let calamine try to allocate 702 × 300.000 cells (several GB)
    limits = replace(
        IngestOptions().limits, max_cells=10**12, max_total_cells=10**12, max_rows=10**9, max_tasks=10**9
    )
    options = IngestOptions(
        archive_dir=tmp_path / "a", limits=replace(limits, parse_memory_bytes=400 * 2**20)
    )
    slow = IngestOptions(archive_dir=tmp_path / "a", limits=replace(limits, parse_seconds=0.3))
    items = [(f"bc_{i}.xlsx", report_bytes(2000 + i, 1, 3)) for i in range(6)]
    items[1:1] = [("hong.xls", hostile.panicking_xls())]
    items[3:3] = [("lon.xlsx", hostile.xlsx({"Báo cáo": hostile.cell("ZZ300000", "x")}))]
    items[5:5] = [("cham.csv", hostile.rows_csv(200_000), slow)]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    db = Database(tmp_path / "x.duckdb")
    policy = BatchPolicy(workers=2, min_files_for_pool=2)
    results = {r.file: r for r in ingest_items(db, items, options, policy=policy)}
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024
    refused = {
        name: (r.reason, r.errors[0].message) for name, r in results.items() if str(r.verdict) == "rejected"
    }
    assert {name: reason for name, (reason, _) in refused.items()} == {
        "hong.xls": "parser failure",
        "lon.xlsx": "out of memory",
        "cham.csv": "timeout",
    }
    assert all(hostile.is_vietnamese_reason(message) for _, message in refused.values())
    assert "400 MB" in refused["lon.xlsx"][1] and "quá 0,3 giây" in refused["cham.csv"][1]
    assert db.reader().execute("SELECT count(*) FROM submissions").fetchone()[0] == 6


def test_rows_checked_in_the_pool_are_written_as_read(tmp_path: Path) -> None:
    """Files checked in pool processes are written as when checked in this process, and a file the loader
    may not load keeps its tasks as read (the upload page lists them)."""
    items = [(f"bc_{i}.xlsx", report_bytes(2000 + i, 1 + i % 4, 3 + i % 4)) for i in range(6)]

    def load(name: str, policy: BatchPolicy) -> tuple[list[FileResult], list[tuple]]:
        db = Database(tmp_path / f"{name}.duckdb")
        refuse = lambda r: "không phải đơn vị của bạn" if r.file == "bc_3.xlsx" else None  # noqa: E731
        options = IngestOptions(archive_dir=tmp_path / name, accept=refuse)
        results = ingest_items(db, items, options, policy=policy)
        rows = db.reader().execute(
            "SELECT s.file_name, t.* EXCLUDE (submission_id) FROM report_tasks t "
            "JOIN submissions s USING (submission_id) ORDER BY ALL"
        )
        return results, rows.fetchall()

    pooled, pool_rows = load("pool", BatchPolicy(workers=2, min_files_for_pool=2))
    here, here_rows = load("here", BatchPolicy(workers=1))
    assert [str(r.verdict) for r in pooled] == ["loaded"] * 3 + ["rejected"] + ["loaded"] * 2
    assert pool_rows == here_rows
    assert len(pool_rows) == sum(r.rows for r in pooled if str(r.verdict) == "loaded") > 0
    assert {r[0] for r in pool_rows} == {name for name, _ in items} - {"bc_3.xlsx"}
    refused = pooled[3]
    assert refused.reason == "out of scope"
    assert refused.report.tasks == here[3].report.tasks and len(refused.report.tasks) == refused.rows > 0


def test_a_worker_forked_while_the_writers_lock_is_held_does_not_keep_it(tmp_path: Path) -> None:
    """A checking process replaced while a batch is being published must not inherit the writers' lock
    (a ``flock`` is shared by a fork): the next publish would wait for it forever."""
    import fcntl

    from etl.ingest.forked import ForkedPool

    db = Database(tmp_path / "x.duckdb")
    pool = ForkedPool(1, 256 * 2**20, len, lambda: None)
    try:
        with db.lock():
            assert pool.run("abc", 10) == ("ok", 3)  # the worker is forked now, the lock held
        with open(tmp_path / "x.duckdb.lock", "a+") as other:  # another open file: as another writer
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError if the worker kept it
        assert pool.run("abcd", 10) == ("ok", 4)  # the worker still serves
    finally:
        pool.close()


def test_checking_processes_one_per_core_at_most_four_unless_set(monkeypatch):
    """A bulk load checks files in one process per core it may use (four at most: past them the one
    writer is the limit); ``TTDN_INGEST_WORKERS`` sets the number."""
    monkeypatch.delenv("TTDN_INGEST_WORKERS", raising=False)
    for cores, expected in ((1, 1), (2, 2), (3, 3), (16, 4)):
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid, n=cores: set(range(n)))
        assert BatchPolicy().workers == expected
        assert BatchPolicy().pooled(100) is (expected > 1)
    monkeypatch.setenv("TTDN_INGEST_WORKERS", "6")
    assert BatchPolicy().workers == 6
    monkeypatch.setenv("TTDN_INGEST_WORKERS", "0")
    assert BatchPolicy().workers == 1
