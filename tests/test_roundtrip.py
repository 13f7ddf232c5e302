"""A unit's template, filled the way a person would, comes back through the ingest exactly."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from etl.plans.template import HEADERS, build_template
from etl.store.db import Database
from etl.store.load import IngestOptions, ingest_bytes
from etl.store.plan_import import read_plan, save_plan_to_db

SEED = next((Path(__file__).parent / "data" / "seeds").glob("003_*.txt"))
UNIT = "Sở Thông tin và Truyền thông"


def _fill(template: bytes, answers: dict[str, dict[str, object]]) -> bytes:
    """Type answers into the rows whose task text starts with a key, as a person would."""
    wb = load_workbook(io.BytesIO(template))
    ws = wb["Báo cáo"]
    header_row = next(r for r in range(1, 30) if ws.cell(r, 1).value == "STT")
    col = {name: HEADERS.index(name) + 1 for name in HEADERS}
    for row in range(header_row + 1, ws.max_row + 1):
        title = ws.cell(row, col["Nội dung nhiệm vụ"]).value or ""
        for prefix, values in answers.items():
            if title.startswith(prefix):
                for name, value in values.items():
                    ws.cell(row, col[name], value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_filled_template_round_trip(tmp_path: Path):
    db = Database(tmp_path / "t.duckdb")
    plan = read_plan(SEED.read_bytes(), SEED.name)
    save_plan_to_db(db, plan)
    filled = _fill(
        build_template(plan, UNIT, "2019-Q3", "Thái Bình"),
        {
            "Ban hành Quy chế": {"Tình trạng": "Hoàn thành", "Tiến độ (%)": 100},  # done, no date
            "Ban hành các văn bản": {
                "Tình trạng": "Đã hoàn thành",
                "Ngày hoàn thành": "15/8/2019",
            },  # text date
            "Tổ chức tập huấn": {
                "Tình trạng": "Đang thực hiện",
                "Tiến độ (%)": 60,
                "Thời hạn điều chỉnh": "30/11/2019",
                "Khó khăn, vướng mắc": "Thiếu kinh phí",
            },
            "Xây dựng các phim": {"Tình trạng": "chưa thực hiện"},
            "Theo dõi, tổng hợp": {"Tình trạng": "Tạm dừng", "Kết quả thực hiện": "Chờ chỉ đạo"},
        },
    )
    (result,) = ingest_bytes(db, [("bieu_mau.xlsx", filled)], IngestOptions(archive_dir=tmp_path / "a"))
    assert result.verdict == "loaded", [str(p) for p in result.errors]
    rows = (
        db.reader()
        .execute(
            """SELECT t.task_code, t.status_reported, t.completed_on, t.due_date, t.due_date_original,
                  t.difficulties, p.task_code AS plan_code, t.reporting_unit, t.period_kind, t.period_index
           FROM task_progress_asof(DATE '2019-10-15', 14) t LEFT JOIN plan_tasks p USING (plan_task_id)"""
        )
        .fetchall()
    )
    by_code = {r[0]: r for r in rows}
    assert {r[7] for r in rows} == {UNIT} and {(r[8], r[9]) for r in rows} == {("Q", 3)}
    assert all(r[0] == r[6] for r in rows), "every row links back to its own plan task"
    assert by_code["II.1.a"][1:3] == ("done", None)
    assert by_code["II.1.b"][1:3] == ("done", date(2019, 8, 15))
    assert by_code["II.3"][1] == "in_progress"
    assert by_code["II.3"][3:6] == (date(2019, 11, 30), date(2019, 7, 31), "Thiếu kinh phí")
    assert by_code["II.4.c"][1] == "not_started"
    assert by_code["II.4.f"][1] == "suspended"
    classes = dict(
        db.reader()
        .execute("SELECT task_code, status_class FROM task_progress_asof(DATE '2019-10-15', 14)")
        .fetchall()
    )
    assert classes == {
        "II.1.a": "done_undated",  # "Hoàn thành" without a date: shown apart, not guessed
        "II.1.b": "done_on_time",  # date typed as text, before the 31/12/2019 of "Năm 2019"
        "II.3": "in_progress",  # "Tháng 7 năm 2019" passed, but the extension runs to 30/11/2019
        "II.4.c": "not_started",
        "II.4.f": "suspended",
        "II.4.a": "not_started",
        "II.4.đ": "not_started",
        "II.4.e": "not_started",  # left blank
        "IV.1": "not_started",
        "IV.2": "not_started",
        # tasks of groups the unit belongs to ("Các sở, ban, ngành") are in its template too
        "II.2": "overdue",  # "trước ngày 10/4/2019", left blank
        "II.4.b": "not_started",
        "II.4.g": "not_started",
        "IV.3": "not_started",
        "IV.4": "not_started",
    }
    late = (
        db.reader()
        .execute(
            "SELECT status_class FROM task_progress_asof(DATE '2019-12-15', 14) WHERE task_code = 'II.3'"
        )
        .fetchone()
    )
    assert late == ("overdue",)
