"""A small database with known content, written with plain SQL through ``Database.writer()``.

Judged on ``AS_OF`` (15/10/2024) with a 14-day due-soon window, the default view (each unit's latest
report, and the plan tasks nobody reported on in Thái Bình's latest period, Quý III) counts 22 tasks:

=================  ==  ==========================================================
class              n   rows (submission.row)
=================  ==  ==========================================================
done_on_time       3   2.1, 3.5, 4.1
done_late          2   2.2, 5.1
done_undated       1   2.3
in_progress        5   2.4, 2.8 (due soon), 3.3 (recurring), 4.3 (due soon), 5.3
not_started        3   2.5, 3.4 (on demand), 5.4
overdue            5   3.1 (107 d), 5.2 (92 d, extended), 3.2 (45 d), 2.6 (15 d), 4.2 (14 d)
suspended          1   2.7
no_report          2   plan tasks 3 (due 30/09/2024) and 4 (due 31/12/2024)
=================  ==  ==========================================================

12 tasks have a dated deadline on or before AS_OF; overdue rates: 5/22 over all tasks, 5/12 over
tasks due. Submission 1 (an older Q2 report of submission 2's unit) and submission 6 (superseded by 3)
are not counted by default; selecting period 2024-Q2 counts submissions 1 and 4 (7 rows) and 3
no_report rows (plan tasks 2, 3, 4).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from etl.store.db import Database

AS_OF = date(2024, 10, 15)
SOON_DAYS = 14

TTTT, NGV, BAO_TQ = "Sở Thông tin và Truyền thông", "Sở Ngoại vụ", "Báo Tuyên Quang"
T_DOC = "Văn bản chỉ đạo, kế hoạch, quy chế, sơ kết, tổng kết"
T_PROMO = "Quảng bá hình ảnh, văn hóa, du lịch"
T_BORDER = "Biên giới, biển, đảo"
T_PROP = "Tuyên truyền chủ trương, thành tựu"

# submission_id, province, province_legacy, reporting_unit, year, kind, index, superseded_by
SUBMISSIONS = [
    (1, "Hưng Yên", "Thái Bình", TTTT, 2024, "Q", 2, None),
    (2, "Hưng Yên", "Thái Bình", TTTT, 2024, "Q", 3, None),
    (3, "Hưng Yên", "Thái Bình", NGV, 2024, "Q", 3, None),
    (4, "Tuyên Quang", "Tuyên Quang", BAO_TQ, 2024, "Q", 2, None),
    (5, "Tuyên Quang", "Hà Giang", NGV, 2024, "Q", 3, None),
    (6, "Hưng Yên", "Thái Bình", NGV, 2024, "Q", 3, 3),
]


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


# submission_id, row_no, title, topic, lead units, due_text, due_kind, due, due_original,
# status, pct, completed_on, difficulties, proposals
TASKS = [
    (1, 10, "Ban hành Quy chế quản lý thông tin đối ngoại", T_DOC, [TTTT], None, "date", "2024-06-30", None, "done", 100, "2024-06-20", None, None),
    (1, 11, "Tổ chức tập huấn nghiệp vụ thông tin đối ngoại", T_DOC, [TTTT], "Tháng 7/2024", "month", "2024-07-31", None, "in_progress", 60, None, None, None),
    (1, 12, "Xây dựng phim tài liệu quảng bá hình ảnh tỉnh", T_PROMO, [TTTT], "Quý III/2024", "quarter", "2024-09-30", None, "in_progress", 20, None, None, None),
    (1, 13, "Nâng cấp Cổng thông tin đối ngoại của tỉnh", T_PROP, [TTTT], "Năm 2024", "year", "2024-12-31", None, "not_started", 0, None, None, None),
    (2, 10, "Ban hành Quy chế quản lý thông tin đối ngoại", T_DOC, [TTTT], None, "date", "2024-06-30", None, "done", 100, "2024-06-20", None, None),
    (2, 11, "Tổ chức tập huấn nghiệp vụ thông tin đối ngoại", T_DOC, [TTTT], "Tháng 7/2024", "month", "2024-07-31", None, "done", 100, "2024-08-10", None, None),
    (2, 12, "Tổng hợp dư luận báo chí nước ngoài về tỉnh", T_PROP, [TTTT], "Quý III/2024", "quarter", "2024-09-30", None, "done", 100, None, None, None),
    (2, 13, "Nâng cấp Cổng thông tin đối ngoại của tỉnh", T_PROP, [TTTT], "Năm 2024", "year", "2024-12-31", None, "in_progress", 50, None, None, None),
    (2, 14, "Biên soạn tài liệu tuyên truyền về biển, đảo", T_BORDER, [TTTT], "Năm 2024", "year", "2024-12-31", None, "not_started", 0, None, None, None),
    (2, 15, "Xây dựng phim tài liệu quảng bá hình ảnh tỉnh", T_PROMO, [TTTT], "Quý III/2024", "quarter", "2024-09-30", None, "in_progress", 40, None, "Thiếu kinh phí", "Đề nghị bổ sung kinh phí"),
    (2, 16, "Triển lãm số về Hoàng Sa, Trường Sa", T_BORDER, [TTTT], "Tháng 10/2024", "month", "2024-10-31", None, "suspended", 30, None, "Tạm dừng theo chỉ đạo", None),
    (2, 17, "Sản xuất video giới thiệu du lịch tỉnh", T_PROMO, [TTTT], None, "date", "2024-10-25", None, "in_progress", 30, None, None, None),
    (3, 10, "Đón đoàn phóng viên nước ngoài", T_PROMO, [NGV], None, "date", "2024-06-30", None, "not_started", 0, None, "Chưa bố trí được đoàn", None),
    (3, 11, "Cung cấp thông tin cho cơ quan đại diện ở nước ngoài", T_PROP, [NGV, TTTT], None, "date", "2024-08-31", None, "in_progress", 60, None, None, None),
    (3, 12, "Cập nhật thông tin đối ngoại trên Cổng thông tin", T_PROP, [NGV], "Thường xuyên", "recurring", None, None, "in_progress", 70, None, None, None),
    (3, 13, "Phản hồi thông tin báo chí nước ngoài", None, [NGV], "Khi có yêu cầu", "on_demand", None, None, "not_started", 0, None, None, None),
    (3, 14, "Tổ chức hội nghị xúc tiến đầu tư", T_PROMO, [NGV], None, "date", "2024-09-30", None, "done", 100, "2024-09-15", None, None),
    (4, 10, "Mở chuyên mục thông tin đối ngoại", T_PROP, [BAO_TQ], None, "date", "2024-06-30", None, "done", 100, "2024-06-28", None, None),
    (4, 11, "Xuất bản phụ san tiếng Anh", T_PROMO, [BAO_TQ], None, "date", "2024-10-01", None, "not_started", 0, None, None, None),
    (4, 12, "Loạt bài về cột mốc biên giới", T_BORDER, [BAO_TQ], None, "date", "2024-10-20", None, "in_progress", 20, None, None, None),
    (5, 10, "Tổng kết hợp tác với tỉnh kết nghĩa", T_DOC, [NGV], "Quý I/2024", "quarter", "2024-03-31", None, "done", 100, "2024-04-15", None, None),
    (5, 11, "Tuyên truyền về biên giới Việt - Trung", T_BORDER, [NGV], None, "date", "2024-07-15", "2024-06-30", "in_progress", 80, None, None, None),
    (5, 12, "Quảng bá Cao nguyên đá Đồng Văn", T_PROMO, [NGV], "Tháng 11/2024", "month", "2024-11-30", None, "in_progress", 10, None, "Thiếu nhân lực", "Đề nghị hỗ trợ chuyên gia"),
    (5, 13, "Hội nghị giao ban thông tin đối ngoại", T_DOC, [NGV], "Năm 2024", "year", "2024-12-31", None, "not_started", 0, None, None, None),
    (6, 10, "Đón đoàn phóng viên nước ngoài", T_PROMO, [NGV], None, "date", "2024-06-30", None, "done", 100, "2024-06-30", None, None),
    (6, 11, "Tổ chức hội nghị xúc tiến đầu tư", T_PROMO, [NGV], None, "date", "2024-09-30", None, "done", 100, "2024-09-15", None, None),
]  # fmt: skip

# A plan for Thái Bình 2024 (plan_id 1, submissions 1-3 and 6): tasks 1 and 2 are reported (rows 1.10,
# 2.10 and 3.14 link to them); tasks 3 and 4 nobody reported, task 2 not in Quý II.
PLAN_TASKS = [
    (1, "I.1", "Ban hành Quy chế quản lý thông tin đối ngoại", T_DOC, [TTTT], "date", "2024-06-30"),
    (2, "II.1", "Tổ chức hội nghị xúc tiến đầu tư", T_PROMO, [NGV], "date", "2024-09-30"),
    (3, "II.2", "Tổ chức Tuần văn hóa Thái Bình tại nước ngoài", T_PROMO, ["Sở Văn hóa, Thể thao và Du lịch"], "quarter",
     "2024-09-30"),
    (4, "II.3", "Xuất bản sách ảnh giới thiệu Thái Bình", T_PROMO, ["Báo Thái Bình"], "year", "2024-12-31"),
]  # fmt: skip
LINKS = [(1, 10, 1), (2, 10, 1), (3, 14, 2), (6, 11, 2)]  # submission, row, plan task

UNITS = [
    (1, TTTT, "Thái Bình", "department"),
    (2, NGV, "Thái Bình", "department"),
    (3, BAO_TQ, "Tuyên Quang", "press"),
]
ALIASES = [(1, "Sở TT&TT"), (1, "STTTT"), (2, "Sở NgV")]


def build_fixture_db(path: Path, db=None) -> Database:
    """Write the fixture database at ``path`` (replacing it), or into the empty store ``db`` (either
    backend, ``tests/stores.py``), and return it."""
    path = Path(path)
    if db is None:
        path.unlink(missing_ok=True)
        db = Database(path)
    with db.writer() as conn:
        for sid, prov, legacy, unit, year, kind, index, superseded in SUBMISSIONS:
            n_rows = sum(1 for t in TASKS if t[0] == sid)
            conn.execute(
                "INSERT INTO submissions (submission_id, file_name, sha256, file_format, province,"
                " province_legacy, reporting_unit, period_year, period_kind, period_index, loaded_at,"
                " n_rows, n_warnings, superseded_by) VALUES (?, ?, ?, 'xlsx', ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                [sid, f"bao_cao_{sid}.xlsx", f"sha{sid}", prov, legacy, unit, year, kind, index,
                 datetime(2024, 10, sid), n_rows, superseded],
            )  # fmt: skip
            conn.execute(
                "INSERT INTO load_log VALUES (?, ?, ?, 'loaded', ?, ?, 0, NULL, NULL)",
                [datetime(2024, 10, sid), f"bao_cao_{sid}.xlsx", f"sha{sid}", sid, n_rows],
            )
        conn.execute(
            "INSERT INTO load_log VALUES (?, 'bao_cao_2_ban_sao.xlsx', 'sha2', 'duplicate', NULL, 8, 0, ?, NULL)",
            [datetime(2024, 10, 9), "Tệp đã được nạp trước đó."],
        )
        conn.execute(
            "INSERT INTO load_log VALUES (?, 'bao_cao_loi.xlsx', 'shax', 'rejected', NULL, 0, 3, ?, NULL)",
            [datetime(2024, 10, 10), "Thiếu cột 'Nội dung nhiệm vụ'."],
        )
        for row in TASKS:
            (
                sid,
                row_no,
                title,
                topic,
                leads,
                due_text,
                kind,
                due,
                due_orig,
                status,
                pct,
                done_on,
                diff,
                prop,
            ) = row
            conn.execute(
                "INSERT INTO report_tasks (submission_id, row_no, sheet, stt, task_title, topic, lead_units,"
                " coordinating_units, due_text, due_kind, due_date, due_date_original, status_reported,"
                " pct_done, completed_on, result_text, difficulties, proposals)"
                " VALUES (?, ?, 'Báo cáo', ?, ?, ?, ?, [], ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [sid, row_no, str(row_no - 9), title, topic, leads, due_text, kind, _d(due), _d(due_orig),
                 status, pct, _d(done_on), f"Kết quả dòng {row_no}" if pct else None, diff, prop],
            )  # fmt: skip
        conn.execute(
            "INSERT INTO plans (plan_id, province, province_legacy, plan_year, title, plan_number, imported_at)"
            " VALUES (1, 'Hưng Yên', 'Thái Bình', 2024, 'Kế hoạch thông tin đối ngoại năm 2024', '15/KH-UBND', ?)",
            [datetime(2024, 1, 20)],
        )
        for pt_id, code, title, topic, leads, kind, due in PLAN_TASKS:
            conn.execute(
                "INSERT INTO plan_tasks (plan_task_id, plan_id, task_code, task_title, topic, lead_units,"
                " coordinating_units, due_kind, due_date) VALUES (?, 1, ?, ?, ?, ?, [], ?, ?)",
                [pt_id, code, title, topic, leads, kind, _d(due)],
            )
        conn.execute("UPDATE submissions SET plan_id = 1 WHERE province_legacy = 'Thái Bình'")
        for sid, row_no, pt_id in LINKS:
            conn.execute(
                "UPDATE report_tasks SET plan_task_id = ?, match_score = 1 WHERE submission_id = ? AND row_no = ?",
                [pt_id, sid, row_no],
            )
        conn.executemany(
            "INSERT INTO units (unit_id, canonical_name, province, kind) VALUES (?, ?, ?, ?)", UNITS
        )
        conn.executemany("INSERT INTO unit_aliases VALUES (?, ?)", ALIASES)
        # Explicit ids above: move the sequences past them, so that later inserts (an upload) fit.
        for sequence, used in (("seq_submission", len(SUBMISSIONS)), ("seq_plan", 1),
                               ("seq_plan_task", len(PLAN_TASKS)), ("seq_unit", len(UNITS))):  # fmt: skip
            conn.execute(f"SELECT max(nextval('{sequence}')) FROM range({used})")
    return db
