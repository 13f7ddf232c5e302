"""A database with two plan years and provinces at different latest periods (``tests/test_scope.py``).

Judged on ``AS_OF`` (15/07/2025). Plan years 2024 and 2025; Thái Bình (now Hưng Yên) has a 2025 plan
("trước ngày 10 của tháng cuối quý"; tasks led by Sở Ngoại vụ, Sở TT&TT, Báo Thái Bình) and
reached Quý II/2025; Tuyên Quang has no plan and stopped at Quý I/2025; Hà Giang (now Tuyên Quang)
reported in 2024 only. The hand counts are written in the tests.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from etl.store.db import Database

AS_OF = date(2025, 7, 15)
NGV, TTTT, BAO_TB = "Sở Ngoại vụ", "Sở Thông tin và Truyền thông", "Báo Thái Bình"
TB, TQ, HG = ("Hưng Yên", "Thái Bình"), ("Tuyên Quang", "Tuyên Quang"), ("Tuyên Quang", "Hà Giang")

# id, (province, legacy), unit, year, kind, index, loaded on
SUBMISSIONS = [
    (1, TB, NGV, 2024, "Q", 4, date(2025, 1, 5)),
    (2, TB, NGV, 2025, "Q", 1, date(2025, 3, 5)),
    (3, TB, TTTT, 2025, "Q", 1, date(2025, 3, 6)),
    (4, TB, NGV, 2025, "Q", 2, date(2025, 6, 20)),  # after the plan's deadline, 10/06/2025
    (5, TQ, NGV, 2024, "Q", 4, date(2025, 1, 7)),
    (6, TQ, NGV, 2025, "Q", 1, date(2025, 3, 20)),
    (7, HG, NGV, 2024, "Q", 1, date(2024, 4, 2)),
    (8, HG, NGV, 2024, "H", 1, date(2024, 7, 2)),
]

# submission, row, task code, title, lead unit, due, status, pct, completed on, plan task
TASKS = [
    (1, 10, "A.1", "Tổng kết thông tin đối ngoại năm 2024", NGV, "2024-12-31", "done", 100, "2024-12-20", None),
    (1, 11, "A.2", "Đón đoàn báo chí nước ngoài", NGV, "2024-11-30", "in_progress", 50, None, None),
    (2, 10, "I.1", "Ban hành kế hoạch thông tin đối ngoại", NGV, "2025-03-31", "in_progress", 50, None, 1),
    (2, 11, "I.2", "Tổ chức hội nghị quảng bá", NGV, "2025-06-30", "not_started", 0, None, 2),
    (2, 12, "III.1", "Cập nhật chuyên mục đối ngoại", NGV, None, "in_progress", 30, None, None),
    (3, 10, "II.1", "Tập huấn phát ngôn", TTTT, "2025-05-31", "in_progress", 20, None, 3),
    (3, 11, "II.3", "Nâng cấp cổng thông tin", TTTT, "2025-09-30", "not_started", 0, None, 5),
    (4, 10, "I.1", "Ban hành kế hoạch thông tin đối ngoại", NGV, "2025-03-31", "done", 100, "2025-03-20", 1),
    (4, 11, "I.2", "Tổ chức hội nghị quảng bá", NGV, "2025-06-30", "in_progress", 60, None, 2),
    (4, 12, "III.1", "Cập nhật chuyên mục đối ngoại", NGV, None, "done", 100, "2025-06-01", None),
    (4, 13, "III.2", "Sản xuất phim tư liệu", NGV, "2025-12-31", "not_started", 0, None, None),
    (5, 10, "1", "Tuyên truyền biên giới năm 2024", NGV, "2024-12-31", "done", 100, "2024-12-01", None),
    (6, 10, "1", "Tuyên truyền biên giới", NGV, "2025-03-31", "done", 100, "2025-03-15", None),
    (6, 11, "2", "Quảng bá du lịch", NGV, "2025-04-30", "in_progress", 40, None, None),
    (6, 12, "3", "Hội nghị giao ban", NGV, "2025-12-31", "not_started", 0, None, None),
    (7, 10, "1", "Giới thiệu cột mốc biên giới", NGV, "2024-03-31", "done", 100, "2024-03-30", None),
    (8, 10, "1", "Giới thiệu cột mốc biên giới", NGV, "2024-03-31", "done", 100, "2024-03-30", None),
]  # fmt: skip

# plan task id, code, title, lead unit, due
PLAN_TASKS = [
    (1, "I.1", "Ban hành kế hoạch thông tin đối ngoại", NGV, "2025-03-31"),
    (2, "I.2", "Tổ chức hội nghị quảng bá", NGV, "2025-06-30"),
    (3, "II.1", "Tập huấn phát ngôn", TTTT, "2025-05-31"),
    (4, "II.2", "Xuất bản ấn phẩm đối ngoại", BAO_TB, "2025-12-31"),
    (5, "II.3", "Nâng cấp cổng thông tin", TTTT, "2025-09-30"),
]


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def build_scope_db(path: Path, db=None) -> Database:
    """Write the database at ``path`` (replacing it), or into the empty store ``db`` (either backend,
    ``tests/stores.py``), and return it."""
    path = Path(path)
    if db is None:
        path.unlink(missing_ok=True)
        db = Database(path)
    with db.writer() as conn:
        for sid, (province, legacy), unit, year, kind, index, loaded in SUBMISSIONS:
            n_rows = sum(1 for t in TASKS if t[0] == sid)
            conn.execute(
                "INSERT INTO submissions (submission_id, file_name, sha256, file_format, province, province_legacy,"
                " reporting_unit, period_year, period_kind, period_index, loaded_at, n_rows, plan_id)"
                " VALUES (?, ?, ?, 'xlsx', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [sid, f"bc_{sid}.xlsx", f"sha{sid}", province, legacy, unit, year, kind, index,
                 datetime.combine(loaded, datetime.min.time()), n_rows,
                 1 if legacy == "Thái Bình" and year == 2025 else None],
            )  # fmt: skip
        for sid, row_no, code, title, lead, due, status, pct, done_on, plan_task in TASKS:
            conn.execute(
                "INSERT INTO report_tasks (submission_id, row_no, task_code, task_title, lead_units,"
                " coordinating_units, due_kind, due_date, status_reported, pct_done, completed_on, plan_task_id)"
                " VALUES (?, ?, ?, ?, ?, [], ?, ?, ?, ?, ?, ?)",
                [sid, row_no, code, title, [lead], "date" if due else "unparsed", _d(due), status, pct,
                 _d(done_on), plan_task],
            )  # fmt: skip
        conn.execute(
            "INSERT INTO plans (plan_id, province, province_legacy, plan_year, title, plan_number,"
            " report_deadlines, imported_at) VALUES (1, 'Hưng Yên', 'Thái Bình', 2025,"
            " 'Kế hoạch thông tin đối ngoại năm 2025', '12/KH-UBND', ?, ?)",
            [["Trước ngày 10 của tháng cuối quý năm 2025"], datetime(2025, 1, 20)],
        )
        for pt_id, code, title, lead, due in PLAN_TASKS:
            conn.execute(
                "INSERT INTO plan_tasks (plan_task_id, plan_id, task_code, task_title, lead_units,"
                " coordinating_units, due_kind, due_date) VALUES (?, 1, ?, ?, ?, [], 'date', ?)",
                [pt_id, code, title, [lead], _d(due)],
            )
        for sequence, used in (("seq_submission", len(SUBMISSIONS)), ("seq_plan", 1),
                               ("seq_plan_task", len(PLAN_TASKS))):  # fmt: skip
            conn.execute(f"SELECT max(nextval('{sequence}')) FROM range({used})")
    return db
