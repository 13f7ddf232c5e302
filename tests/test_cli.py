"""``python -m etl ingest`` as a user runs it: JSON lines, exit codes, duplicates, options, supersede."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from etl.store.db import Database
from tests.helpers import make_workbook
from tests.procs import json_lines, run_cli

SAMPLES = Path(__file__).parent / "data" / "samples"
VERDICTS = {"accept": "loaded", "reject": "rejected", "reject_rows": "rejected", "duplicate": "duplicate"}
RESULT_KEYS = {"file", "verdict", "submission_id", "rows", "errors", "warnings"}
PROBLEM_KEYS = {"sheet", "row", "column", "value", "message"}


def _expected() -> dict[str, dict]:
    return {
        p.name.removesuffix(".expected.json"): json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(SAMPLES.glob("*.expected.json"))
    }


def _copy_samples(folder: Path, verdicts: set[str]) -> dict[str, dict]:
    """Copy the sample reports whose sidecar verdict is in ``verdicts``; returns their sidecars."""
    folder.mkdir()
    chosen = {name: exp for name, exp in _expected().items() if exp["verdict"] in verdicts}
    for name in chosen:
        shutil.copyfile(SAMPLES / name, folder / name)
    return chosen


def _count(db_path: Path, table: str = "report_tasks") -> int:
    return Database(db_path).reader().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture(scope="module")
def all_samples(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, dict[str, dict], Path]:
    """One JSON run over every sample report, good and bad (shared: each CLI run costs a second)."""
    tmp = tmp_path_factory.mktemp("all")
    expected = _copy_samples(tmp / "samples", set(VERDICTS))
    done = run_cli(tmp, tmp / "samples", "--db", tmp / "x.duckdb", "--json")
    return done, expected, tmp


def test_json_prints_one_object_per_file(all_samples) -> None:
    done, expected, _ = all_samples
    results = json_lines(done.stdout)
    assert sorted(r["file"] for r in results) == sorted(expected)
    for result in results:
        assert set(result) >= RESULT_KEYS, result
        assert result["verdict"] == VERDICTS[expected[result["file"]]["verdict"]], result
        for problem in result["errors"] + result["warnings"]:
            assert set(problem) == PROBLEM_KEYS, problem
        if result["verdict"] == "loaded":
            assert result["submission_id"] and result["rows"] == len(expected[result["file"]]["tasks"])
            assert result["errors"] == []
        else:
            assert result["submission_id"] is None
        if result["verdict"] == "rejected":
            assert result["errors"], result


def test_json_row_errors_say_where(all_samples) -> None:
    done, _, _ = all_samples
    bad = next(r for r in json_lines(done.stdout) if r["file"].startswith("p15_"))
    rows = {(e["sheet"], e["row"], e["value"]) for e in bad["errors"]}
    assert ("Báo cáo", 13, "31/02/2022") in rows
    assert all(e["column"] and e["message"] for e in bad["errors"])


def test_exit_code_is_1_when_a_file_is_rejected(all_samples) -> None:
    done, _, tmp = all_samples
    assert done.returncode == 1, done.stderr
    assert _count(tmp / "x.duckdb", "submissions") == sum(
        1 for r in json_lines(done.stdout) if r["verdict"] == "loaded"
    )


def test_good_files_exit_0_and_twice_makes_every_file_duplicate(tmp_path: Path) -> None:
    expected = _copy_samples(tmp_path / "good", {"accept"})
    db_path = tmp_path / "x.duckdb"
    first = run_cli(tmp_path, tmp_path / "good", "--db", db_path, "--json")
    assert first.returncode == 0, first.stderr
    assert {r["verdict"] for r in json_lines(first.stdout)} == {"loaded"}
    rows = _count(db_path)
    assert rows == sum(len(e["tasks"]) for e in expected.values())

    second = run_cli(tmp_path, tmp_path / "good", "--db", db_path, "--json")
    assert second.returncode == 0, second.stderr
    again = json_lines(second.stdout)
    assert len(again) == len(expected)
    assert {r["verdict"] for r in again} == {"duplicate"}
    assert all(r["rows"] == 0 and r["submission_id"] is None for r in again)
    assert _count(db_path) == rows
    assert _count(db_path, "submissions") == len(expected)


def test_readable_mode_prints_a_vietnamese_summary(tmp_path: Path) -> None:
    _copy_samples(tmp_path / "s", {"accept", "reject"})
    done = run_cli(tmp_path, tmp_path / "s", "--db", tmp_path / "x.duckdb")
    assert done.returncode == 1
    last = done.stdout.strip().splitlines()[-1]
    assert "tệp:" in last and "đã nạp" in last and "bị từ chối" in last and "dòng nhiệm vụ" in last
    assert "[TỪ CHỐI]" in done.stdout + done.stderr


def _bare_report(path: Path) -> None:
    """A table with no title rows at all: header in row 1."""
    rows = [
        [1, "Tổ chức tập huấn nghiệp vụ thông tin đối ngoại", "Sở Ngoại vụ", "Các sở, ban, ngành",
         "Quý III/2022", "Đã tổ chức 2 lớp", 100, "Đã hoàn thành", "15/8/2022"],
        [2, "Cập nhật thông tin đối ngoại trên Cổng thông tin", "Sở Ngoại vụ", None, "Thường xuyên",
         None, 40, "Đang thực hiện", None],
    ]  # fmt: skip
    path.write_bytes(make_workbook(rows, title=[]))


def test_options_fill_in_a_file_without_title_rows(tmp_path: Path) -> None:
    _bare_report(tmp_path / "bare.xlsx")
    db_path = tmp_path / "x.duckdb"
    refused = run_cli(tmp_path, tmp_path / "bare.xlsx", "--db", db_path, "--json")
    assert refused.returncode == 1
    assert json_lines(refused.stdout)[0]["verdict"] == "rejected"

    args = ["--province", "Thái Bình", "--unit", "Sở Ngoại vụ", "--period", "2022-Q3"]
    done = run_cli(tmp_path, tmp_path / "bare.xlsx", "--db", db_path, "--json", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json_lines(done.stdout)[0]["rows"] == 2
    row = (
        Database(db_path)
        .reader()
        .execute(
            "SELECT province, province_legacy, reporting_unit, period_year, period_kind, period_index"
            " FROM submissions"
        )
        .fetchall()
    )
    assert row == [("Hưng Yên", "Thái Bình", "Sở Ngoại vụ", 2022, "Q", 3)]


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    done = run_cli(tmp_path, tmp_path / "khong_co.xlsx", "--db", tmp_path / "x.duckdb")
    assert done.returncode != 0
    assert "Không tìm thấy" in done.stderr and "khong_co.xlsx" in done.stderr
    assert "Traceback" not in done.stderr


def _changed_copy(source: Path, target: Path) -> None:
    """Same unit and period, one status changed (I.1.a: 'Chưa thực hiện' -> 'Đang thực hiện')."""
    book = load_workbook(io.BytesIO(source.read_bytes()))
    sheet = book["Báo cáo"]
    assert sheet["F12"].value == "Chưa thực hiện"
    sheet["F12"] = "Đang thực hiện"
    book.save(target)


def test_a_newer_report_supersedes_the_older(tmp_path: Path) -> None:
    old, new = tmp_path / "p02_cu.xlsx", tmp_path / "p02_moi.xlsx"
    shutil.copyfile(SAMPLES / "p02_TB_Q3-2022_SoVHTTDL.xlsx", old)
    _changed_copy(old, new)
    db_path = tmp_path / "x.duckdb"
    for path in (old, new):
        done = run_cli(tmp_path, path, "--db", db_path, "--json")
        assert done.returncode == 0 and json_lines(done.stdout)[0]["verdict"] == "loaded", done.stdout
    conn = Database(db_path).reader()
    ids = dict(conn.execute("SELECT file_name, submission_id FROM submissions").fetchall())
    superseded = dict(conn.execute("SELECT submission_id, superseded_by FROM submissions").fetchall())
    assert superseded == {ids[old.name]: ids[new.name], ids[new.name]: None}
    current = conn.execute("SELECT DISTINCT submission_id FROM v_task_progress").fetchall()
    assert current == [(ids[new.name],)]
    n = conn.execute("SELECT count(*) FROM v_task_progress").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM v_task_progress_all").fetchone()[0] == 2 * n
    status = "SELECT status_reported FROM {} WHERE task_code = 'I.1.a' ORDER BY submission_id"
    assert conn.execute(status.format("v_task_progress")).fetchall() == [("in_progress",)]
    assert conn.execute(status.format("v_task_progress_all")).fetchall() == [
        ("not_started",),
        ("in_progress",),
    ]
