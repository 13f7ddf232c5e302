"""``python -m etl backup DIR`` / ``restore DIR``: a consistent copy of the database and the archive,
a Parquet export for analysts, and a restore that brings both back."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import duckdb
import pytest

from etl.cli import main as cli_main
from etl.store.backup import EXPORTED
from etl.store.batch import ingest_items
from etl.store.db import Database
from etl.store.load import IngestOptions
from tests.procs import report_bytes


def _loaded(tmp_path: Path, n: int = 3) -> tuple[Database, Path]:
    db, archive = Database(tmp_path / "live" / "x.duckdb"), tmp_path / "live" / "archive"
    items = [(f"bc_{i}.xlsx", report_bytes(2020 + i, 1, 3 + i)) for i in range(n)]
    ingest_items(db, items, IngestOptions(archive_dir=archive))
    return db, archive


def _cli(*args: object) -> int:
    return cli_main([str(a) for a in args])


def test_backup_then_restore_brings_back_the_database_and_the_archive(tmp_path: Path, capsys) -> None:
    db, archive = _loaded(tmp_path)
    assert _cli("backup", tmp_path / "bk", "--db", db.path, "--archive", archive) == 0
    assert "CSDL (3 báo cáo), 3 tệp lưu trữ, 10 bảng Parquet" in capsys.readouterr().out
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["n_submissions"] == 3 and len(manifest["archive"]) == 3
    # analysts read the Parquet files without DuckDB's database file
    parquet = tmp_path / "bk" / "parquet" / "v_task_progress_all.parquet"
    assert duckdb.connect().execute(f"SELECT count(*) FROM '{parquet}'").fetchone()[0] == 3 + 4 + 5
    assert sorted(p.stem for p in (tmp_path / "bk" / "parquet").iterdir()) == sorted(EXPORTED)
    # restored on another machine: other database path, other archive folder
    new_db, new_archive = Database(tmp_path / "other" / "y.duckdb"), tmp_path / "other" / "archive"
    assert _cli("restore", tmp_path / "bk", "--db", new_db.path, "--archive", new_archive) == 0
    conn = new_db.reader()
    assert conn.execute("SELECT count(*) FROM v_task_progress").fetchone()[0] == 12
    paths = [Path(r[0]) for r in conn.execute("SELECT archive_path FROM submissions").fetchall()]
    assert all(p.is_file() and p.is_relative_to(new_archive) for p in paths)
    # and it keeps working: a new report loads into the restored database
    ingest_items(new_db, [("new.xlsx", report_bytes(2030, 2, 2))], IngestOptions(archive_dir=new_archive))
    assert new_db.reader().execute("SELECT count(*) FROM submissions").fetchone()[0] == 4


def test_restore_keeps_the_replaced_database_and_refuses_a_changed_backup(tmp_path: Path, capsys) -> None:
    db, archive = _loaded(tmp_path, 2)
    assert _cli("backup", tmp_path / "bk", "--db", db.path, "--archive", archive) == 0
    ingest_items(db, [("later.xlsx", report_bytes(2031, 1, 1))], IngestOptions(archive_dir=archive))
    assert _cli("restore", tmp_path / "bk", "--db", db.path, "--archive", archive) == 0
    assert db.reader().execute("SELECT count(*) FROM submissions").fetchone()[0] == 2
    (aside,) = db.path.parent.glob("x.duckdb.before-restore-*")  # what restore replaced is kept
    assert (
        duckdb.connect(str(aside), read_only=True).execute("SELECT count(*) FROM submissions").fetchone()[0]
        == 3
    )
    # a backup whose files changed is refused, with the reason, and nothing is touched
    next((tmp_path / "bk" / "archive").rglob("*.xlsx")).write_bytes(b"changed")
    assert _cli("restore", tmp_path / "bk", "--db", db.path, "--archive", archive) == 1
    assert "bị thiếu hoặc đã thay đổi" in capsys.readouterr().err
    assert _cli("backup", tmp_path / "bk", "--db", db.path) == 1  # never over an existing backup
    assert _cli("restore", tmp_path / "nothing", "--db", db.path) == 1
    assert "không phải bản sao lưu" in capsys.readouterr().err


def test_a_backup_taken_during_loads_is_one_published_state(tmp_path: Path) -> None:
    db, archive = _loaded(tmp_path, 1)
    items = [(f"more_{i}.xlsx", report_bytes(2040 + i, 1, 2)) for i in range(12)]
    options = IngestOptions(archive_dir=archive)
    loader = threading.Thread(target=lambda: [ingest_items(db, [item], options) for item in items])
    loader.start()
    backups = []
    while loader.is_alive() and len(backups) < 4:
        target = tmp_path / f"bk{len(backups)}"
        assert _cli("backup", target, "--db", db.path, "--archive", archive) == 0
        backups.append(target)
    loader.join()
    for target in backups:
        conn = duckdb.connect(str(target / "ttdn.duckdb"), read_only=True)
        subs = conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM submission_info").fetchone()[0] == subs
        archived = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["archive"]
        assert len(archived) == subs  # every submission's file, none more


@pytest.fixture(autouse=True)
def _no_default_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTDN_ARCHIVE", str(tmp_path / "default-archive"))
