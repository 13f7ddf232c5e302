"""The connection design of ``etl/store/db.py``, tested with real processes.

Writers copy the live file, write the copy and rename it over the live file under an flock;
readers open read-only and reopen when the file changes. So a reader never meets a lock, never
sees half a batch, two writers queue, and a failed writer leaves the live file as it was.
"""

from __future__ import annotations

import hashlib
import subprocess
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from etl.store.db import Database
from etl.store.load import IngestOptions, ingest_paths
from tests.procs import ROOT, cli_command, cli_env, json_lines, write_reports

COUNT = "SELECT count(*) FROM v_task_progress"


def _batches(tmp_path: Path) -> tuple[list[Path], list[int]]:
    """Four folders of three reports each, every report its own quarter (none supersedes another)."""
    folders, totals = [], []
    for b in range(4):
        specs = [(2018 + b, q, 3 + (b * 3 + q) % 7) for q in range(1, 4)]
        folder = tmp_path / f"batch{b}"
        totals.append(write_reports(folder, specs))
        folders.append(folder)
    return folders, totals


def _ingest_in_turn(tmp_path: Path, folders: list[Path], db_path: Path, codes: list[int]) -> None:
    for folder in folders:
        done = subprocess.run(
            cli_command(folder, "--db", db_path, "--json"),
            cwd=ROOT,
            env=cli_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
        codes.append(done.returncode)


def _read_until(db: Database, writer: threading.Thread) -> tuple[list[int], list[BaseException]]:
    seen: list[int] = []
    errors: list[BaseException] = []
    while writer.is_alive():
        try:
            seen.append(db.reader().execute(COUNT).fetchone()[0])
        except Exception as exc:  # any lock or I/O error is a broken promise
            errors.append(exc)
        time.sleep(0.003)
    db.close()
    return seen, errors


def test_readers_never_block_and_never_see_half_a_batch(tmp_path: Path) -> None:
    folders, totals = _batches(tmp_path)
    db_path = tmp_path / "live.duckdb"
    db = Database(db_path)
    with db.writer():
        pass  # an empty database with the schema, so readers can start at once
    codes: list[int] = []
    writer = threading.Thread(target=_ingest_in_turn, args=(tmp_path, folders, db_path, codes))
    writer.start()
    seen, errors = _read_until(db, writer)
    writer.join()

    assert codes == [0] * len(folders)
    assert errors == []
    assert len(seen) > 20, "the reader should have polled many times while the CLI ran"
    assert all(a <= b for a, b in zip(seen, seen[1:], strict=False)), "counts must only grow"
    whole_batches = {sum(totals[:k]) for k in range(len(totals) + 1)}
    assert set(seen) <= whole_batches, f"a reader saw a partial batch: {sorted(set(seen) - whole_batches)}"
    assert len(set(seen)) > 2, "the reader should have seen some batches land"
    assert Database(db_path).reader().execute(COUNT).fetchone()[0] == sum(totals)


def test_two_writers_at_once_both_succeed(tmp_path: Path) -> None:
    db_path = tmp_path / "live.duckdb"
    n_a = write_reports(tmp_path / "a", [(2022, 1, 5), (2022, 2, 6)])
    n_b = write_reports(tmp_path / "b", [(2023, 1, 7), (2023, 2, 8)])
    procs = [
        subprocess.Popen(
            cli_command(tmp_path / name, "--db", db_path, "--json"),
            cwd=ROOT,
            env=cli_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    verdicts = [r["verdict"] for out, _ in outputs for r in json_lines(out)]
    assert verdicts == ["loaded"] * 4
    conn = Database(db_path).reader()
    assert conn.execute(COUNT).fetchone()[0] == n_a + n_b
    assert conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 4


def _add_unit(db: Database, name: str) -> None:
    with db.writer() as conn:
        conn.execute(
            "INSERT INTO units (canonical_name, province, kind) VALUES (?, 'Thái Bình', 'x')", [name]
        )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_writer_that_raises_leaves_the_live_file_unchanged(tmp_path: Path) -> None:
    db = Database(tmp_path / "live.duckdb")
    _add_unit(db, "Sở Ngoại vụ")
    before, stat = _digest(db.path), db.path.stat()
    with pytest.raises(RuntimeError), db.writer() as conn:
        conn.execute(
            "INSERT INTO submissions (file_name, sha256, province, province_legacy, reporting_unit,"
            " period_year, period_kind, loaded_at, n_rows) VALUES ('x.xlsx', 'abc', 'Hưng Yên',"
            " 'Thái Bình', 'Sở Ngoại vụ', 2022, 'Y', ?, 0)",
            [datetime(2022, 12, 31)],
        )
        raise RuntimeError("mid-batch failure")
    assert _digest(db.path) == before
    assert (db.path.stat().st_ino, db.path.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    assert db.reader().execute("SELECT count(*) FROM submissions").fetchone()[0] == 0
    leftovers = {p.name for p in tmp_path.iterdir()} - {"live.duckdb", "live.duckdb.lock"}
    assert leftovers == set(), "the private copy must be removed"


def test_schema_is_idempotent(tmp_path: Path) -> None:
    db = Database(tmp_path / "live.duckdb")
    _add_unit(db, "Sở Ngoại vụ")
    _add_unit(db, "Sở Công Thương")  # the second writer re-applies the schema on open
    with db.writer():
        pass
    names = db.reader().execute("SELECT canonical_name FROM units ORDER BY 1").fetchall()
    assert names == [("Sở Công Thương",), ("Sở Ngoại vụ",)]
    assert db.reader().execute(COUNT).fetchone()[0] == 0


def test_a_held_snapshot_does_not_stop_a_writer(tmp_path: Path) -> None:
    """A reader holding the live file open keeps its snapshot; the writer publishes anyway."""
    total = write_reports(tmp_path / "r", [(2021, 3, 4)])
    db = Database(tmp_path / "live.duckdb")
    with db.writer():
        pass
    held = db.reader()
    assert held.execute(COUNT).fetchone()[0] == 0
    results = ingest_paths(Database(db.path), [tmp_path / "r"], IngestOptions(archive_dir=tmp_path / "a"))
    assert [str(r.verdict) for r in results] == ["loaded"]
    assert held.execute(COUNT).fetchone()[0] == 0  # the open snapshot stays as it was
    assert db.reader().execute(COUNT).fetchone()[0] == total  # the next read sees the new file


def test_a_thread_reopening_after_a_swap_sees_the_new_file(tmp_path: Path) -> None:
    db = Database(tmp_path / "live.duckdb")
    _add_unit(db, "Sở Ngoại vụ")
    query = "SELECT count(*) FROM units"
    other_has_read, published, seen = threading.Event(), threading.Event(), {}

    def other_thread() -> None:
        db.reader().execute(query).fetchone()  # holds a snapshot of the old file
        other_has_read.set()
        published.wait(10)

    thread = threading.Thread(target=other_thread)
    thread.start()
    other_has_read.wait(10)
    _add_unit(db, "Sở Công Thương")
    seen["after"] = db.reader().execute(query).fetchone()[0]
    published.set()
    thread.join()
    assert seen["after"] == 2


def test_a_new_thread_reuses_a_current_snapshot_and_never_a_stale_one(tmp_path: Path) -> None:
    db = Database(tmp_path / "live.duckdb")
    _add_unit(db, "Sở Ngoại vụ")
    seen: list = []

    def read() -> None:
        conn = db.reader()
        seen.append((id(conn), conn.execute("SELECT count(*) FROM units").fetchone()[0]))

    for _ in range(2):
        t = threading.Thread(target=read)
        t.start()
        t.join()
    assert seen[0] == seen[1]  # the second thread got the first one's connection back
    _add_unit(db, "Sở Tư pháp")
    t = threading.Thread(target=read)
    t.start()
    t.join()
    assert seen[2][1] == seen[0][1] + 1  # after a write: a fresh snapshot of the new file
