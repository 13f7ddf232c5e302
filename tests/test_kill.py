"""``python -m etl ingest`` killed (SIGKILL) at random moments: what it printed as loaded is loaded.

Each round adds a few new reports to the folder and runs the CLI over all of it in a child process
forked from this one (no interpreter start, so a few dozen kills fit in well under two minutes),
then kills it after a random delay. After every kill the database opens and is consistent; every
file any run reported as loaded is in it exactly once. A last run, not killed, loads the rest and
leaves nothing behind: no private database copy, no archive file that no submission names.
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest

from etl.cli import main as cli_main
from etl.store.batch import journal_path
from etl.store.db import Database
from tests.procs import report_bytes

ROUNDS = 32  # 26 of them killed
NEW_FILES_PER_ROUND = 3
UNITS = ("SỞ NGOẠI VỤ", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH")


def _write_round(folder: Path, k: int) -> None:
    """Three reports no other report supersedes: round k's own year, one unit each."""
    for i, unit in enumerate(UNITS[:NEW_FILES_PER_ROUND]):
        data = report_bytes(1900 + k, 1 + i % 4, 3 + (k + i) % 5, unit)
        (folder / f"bc_{k:02d}_{i}.xlsx").write_bytes(data)


def _run_cli(args: list[str], out: Path, kill_after: float | None) -> tuple[list[dict], bool]:
    """The CLI in a forked child, stdout to ``out``; killed after ``kill_after`` seconds unless done.
    Returns the JSON lines it printed and whether it was killed before finishing."""
    pid = os.fork()
    if pid == 0:  # the child: run the CLI as a user would, then leave without cleanup
        code = 70
        try:
            with open(out, "w", encoding="utf-8", buffering=1) as fh:
                sys.stdout, sys.stderr = fh, io.StringIO()
                code = cli_main(args)
        finally:
            os._exit(code)
    killed = False
    if kill_after is not None:
        deadline = time.monotonic() + kill_after
        while time.monotonic() < deadline and os.waitpid(pid, os.WNOHANG) == (0, 0):
            time.sleep(0.01)
        else:
            killed = _kill(pid)
    else:
        os.waitpid(pid, 0)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.endswith("}")]
    return lines, killed


def _kill(pid: int) -> bool:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status)


def _assert_consistent(db_path: Path, reported: dict[str, int]) -> None:
    db = Database(db_path)
    conn = db.reader()
    n_submissions = conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
    # every submission whole: as many task rows as it says, and in the derived tables
    torn = conn.execute(
        """SELECT count(*) FROM submissions s
           WHERE n_rows <> (SELECT count(*) FROM report_tasks t WHERE t.submission_id = s.submission_id)"""
    ).fetchone()[0]
    assert torn == 0
    assert conn.execute("SELECT count(*) FROM submission_info").fetchone()[0] == n_submissions
    # every file reported loaded is there exactly once, under the id it was reported with
    rows = conn.execute("SELECT file_name, submission_id FROM submissions").fetchall()
    names = [name for name, _ in rows]
    for name, submission_id in reported.items():
        assert names.count(name) == 1, f"{name} reported loaded, found {names.count(name)} times"
        assert (name, submission_id) in rows
    db.close()


def test_killed_ingests_lose_only_unreported_files_and_the_next_run_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTDN_ARCHIVE", str(tmp_path / "archive"))  # the forked CLI archives here
    folder, db_path = tmp_path / "reports", tmp_path / "x.duckdb"
    folder.mkdir()
    args = [
        "ingest", str(folder), "--db", str(db_path), "--json",
        "--unit", "Sở Ngoại vụ", "--publish-every", "0.05",
    ]  # fmt: skip
    rng = random.Random(14)
    reported: dict[str, int] = {}
    killed_while_running, run_seconds = 0, 1.0
    for k in range(ROUNDS):
        _write_round(folder, k)
        # every sixth run is not killed: it says how long a whole run takes on this machine now
        kill_after = None if k % 6 == 0 else rng.uniform(0.0, 1.2) * run_seconds
        started = time.monotonic()
        lines, killed = _run_cli(args, tmp_path / f"out{k}.jsonl", kill_after)
        if kill_after is None:
            run_seconds = time.monotonic() - started
        reported.update({r["file"]: r["submission_id"] for r in lines if r["verdict"] == "loaded"})
        killed_while_running += killed
        _assert_consistent(db_path, reported)
    lines, killed = _run_cli(args, tmp_path / "last.jsonl", kill_after=None)
    assert not killed
    reported.update({r["file"]: r["submission_id"] for r in lines if r["verdict"] == "loaded"})
    _assert_consistent(db_path, reported)
    # in the end every file is loaded, once (some were published by a run killed before it printed them)
    names = [r[0] for r in Database(db_path).reader().execute("SELECT file_name FROM submissions").fetchall()]
    assert sorted(names) == sorted(p.name for p in folder.iterdir())
    assert killed_while_running >= 10, "too few kills landed while the CLI was running"
    # nothing left behind by the killed runs
    assert not list(tmp_path.glob("x.duckdb.tmp-*"))
    assert not journal_path(Database(db_path)).exists()
    archived = {str(p) for p in (tmp_path / "archive").rglob("*") if p.is_file()}
    referenced = {
        r[0] for r in Database(db_path).reader().execute("SELECT archive_path FROM submissions").fetchall()
    }
    assert archived == referenced
