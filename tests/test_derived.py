"""The derived tables every writer stores, the upgrade of an older file, the newest-rows shortcut.

The dashboard's "latest report" rule is read from stored columns (``latest_until``): these tests
check it against the rule itself, written out in Python, on reports that end on the same day
(Quý II and 6 tháng, Quý IV and năm), superseded reports and two plan years.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from etl.store.batch import ingest_items
from etl.store.db import DERIVED_TABLES, SCHEMA_VERSION, Database, stored_schema_version
from etl.store.load import IngestOptions
from etl.store.versions import withdraw_submission
from etl.vocab.periods import Period, PeriodKind
from queries import overview, received
from queries.filters import (
    NEWEST_MACRO,
    Filters,
    ProvinceMode,
    fetch_all,
    newest_facts,
    newest_period_end,
    scope_sql,
)
from queries.scope import describe_scope
from tests.helpers import make_workbook

PERIODS = [Period(y, PeriodKind(k), i) for y in (2023, 2024) for k, i in
           [("Q", 1), ("Q", 2), ("H", 1), ("Q", 3), ("9M", None), ("Q", 4), ("Y", None)]]  # fmt: skip
UNITS = [("Thái Bình", "Hưng Yên", u) for u in ("Sở Ngoại vụ", "Sở Văn hóa", "Báo Thái Bình")] + [
    ("Hà Giang", "Tuyên Quang", u) for u in ("Sở Ngoại vụ", "Công an tỉnh")
]


def _random_submissions(seed: int) -> list[tuple]:
    """(id, legacy, province, unit, period, superseded_by): each unit reports some periods, in a random
    loading order; a few reports are sent twice (the first superseded)."""
    rng = random.Random(seed)
    picks = [(unit, period) for unit in UNITS for period in PERIODS if rng.random() < 0.5]
    rng.shuffle(picks)
    rows, next_id = [], 1
    for (legacy, province, unit), period in picks:
        if rng.random() < 0.15:  # an earlier version, superseded by the one after it
            rows.append((next_id, legacy, province, unit, period, next_id + 1))
            next_id += 1
        rows.append((next_id, legacy, province, unit, period, None))
        next_id += 1
    return rows


STATUSES = ["done", "in_progress", None, "suspended", "not_started"]


def _write(path, submissions: list[tuple], rows_per_report: int = 1) -> Database:
    """A database of ``submissions`` (a DuckDB file at ``path``, or the empty store ``path`` of either
    backend), each with ``rows_per_report`` task rows: the first never started and without deadline,
    the others of random status, progress, deadline and completion date."""
    db = Database(path) if isinstance(path, Path) else path
    with db.writer() as conn:
        conn.execute(
            "INSERT INTO plans (plan_id, province, province_legacy, plan_year, plan_number, imported_at) "
            "VALUES (1, 'Hưng Yên', 'Thái Bình', 2024, '1/KH', now())"
        )
        conn.execute(
            "INSERT INTO plan_tasks (plan_id, task_code, task_title, due_kind, lead_units) "
            "VALUES (1, 'I.1', 'Nhiệm vụ chưa ai báo cáo', 'none', ['Sở Ngoại vụ'])"
        )
        for sid, legacy, province, unit, period, superseded_by in submissions:
            conn.execute(
                """INSERT INTO submissions (submission_id, file_name, sha256, province, province_legacy,
                       reporting_unit, period_year, period_kind, period_index, plan_id, loaded_at, n_rows,
                       superseded_by)
                   VALUES (?, 'bc.xlsx', ?, ?, ?, ?, ?, ?, ?, ?, now(), 1, ?)""",
                [sid, f"sha{sid}", province, legacy, unit, period.year, str(period.kind), period.index,
                 1 if legacy == "Thái Bình" and period.year == 2024 else None, superseded_by],
            )  # fmt: skip
            rng = random.Random(sid)
            for row in range(rows_per_report):
                due = date(period.year, 1, 1) + timedelta(days=rng.randrange(365)) if row else None
                status = rng.choice(STATUSES) if row else None
                done_on = due + timedelta(days=rng.randrange(-30, 30)) if due and status == "done" else None
                conn.execute(
                    """INSERT INTO report_tasks (submission_id, row_no, task_title, due_kind, due_date,
                           status_reported, pct_done, completed_on, lead_units)
                       VALUES (?, ?, 'Nhiệm vụ', ?, ?, ?, ?, ?, [?])""",
                    [sid, row + 1, "date" if due else "none", due, status,
                     rng.choice([None, 0, 40, 100]) if row else None, done_on, unit],
                )  # fmt: skip
    return db


def _expected_latest(submissions: list[tuple], as_of: date, year: int | None) -> set[int]:
    """Each unit's latest current report ended by as_of (latest period end, then latest loaded), when
    it is of its province's latest period by as_of: an older report is not counted as current."""
    best: dict[tuple, tuple] = {}
    for sid, legacy, _province, unit, period, superseded_by in submissions:
        if superseded_by is None and period.end_date <= as_of and year in (None, period.year):
            key = (legacy, unit)
            best[key] = max(best.get(key, (period.end_date, sid)), (period.end_date, sid))
    province_end = dict(_expected_missing_periods(submissions, as_of, year))
    return {sid for (legacy, _unit), (end, sid) in best.items() if end == province_end[legacy]}


def _expected_missing_periods(submissions: list[tuple], as_of: date, year: int | None) -> set[tuple]:
    """Each province's latest reported period end by as_of (where its no_report rows count)."""
    ends: dict[str, date] = {}
    for _sid, legacy, _province, _unit, period, superseded_by in submissions:
        if superseded_by is None and period.end_date <= as_of and year in (None, period.year):
            ends[legacy] = max(ends.get(legacy, period.end_date), period.end_date)
    return set(ends.items())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_latest_report_rule_matches_its_definition(make_store, seed: int) -> None:
    submissions = _random_submissions(seed)
    conn = _write(make_store("d"), submissions).reader()
    days = [date(2023, 1, 1) + timedelta(days=d) for d in range(0, 800, 23)]
    for as_of in [*days, date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31)]:
        for year in (None, 2023, 2024):
            sql, params = scope_sql(Filters(as_of=as_of, year=year))
            rows = fetch_all(conn, f"SELECT submission_id, province_legacy, period_end FROM ({sql})", params)
            reported = {sid for sid, _p, _e in rows if sid is not None}
            missing = {(p, e) for sid, p, e in rows if sid is None}
            assert reported == _expected_latest(submissions, as_of, year), (as_of, year)
            # Thái Bình's 2024 plan has a task nobody reports on: it is missing in every period of
            # 2024 that Thái Bình reported, and counts in the province's latest one.
            expected_missing = {
                (p, end) for p, end in _expected_missing_periods(submissions, as_of, year)
                if p == "Thái Bình" and end.year == 2024
            }  # fmt: skip
            assert missing == expected_missing, (as_of, year)


@pytest.mark.parametrize("seed", [4, 5])
def test_the_newest_rows_give_the_same_default_view(make_store, seed: int) -> None:
    """Once as_of has reached the newest period end, the default view (every year, or the newest) reads
    the stored latest_rows: the same rows, judged the same, as the general rule."""
    submissions = _random_submissions(seed)
    conn = _write(make_store("d"), submissions).reader()
    newest = newest_period_end(conn)
    assert newest == max(
        period.end_date for *_, period, superseded_by in submissions if superseded_by is None
    )
    columns = "submission_id, row_no, task_code, province_legacy, reporting_unit, period_end, status_class"
    for as_of in (newest, newest + timedelta(days=40)):
        for f in [Filters(as_of=as_of), Filters(as_of=as_of, province="Hưng Yên"),
                  Filters(as_of=as_of, unit="Sở Ngoại vụ"), Filters(as_of=as_of, status_class="not_started"),
                  Filters(as_of=as_of, year=newest.year)]:  # fmt: skip
            fast_sql, fast_params = scope_sql(f, newest_end=newest)
            assert NEWEST_MACRO in fast_sql
            general_sql, general_params = scope_sql(f)
            fast = fetch_all(conn, f"SELECT {columns} FROM ({fast_sql}) ORDER BY ALL", fast_params)
            general = fetch_all(conn, f"SELECT {columns} FROM ({general_sql}) ORDER BY ALL", general_params)
            assert fast and fast == general, f
            # the same with the province-newest submissions given as a list (as the pages do)
            listed_sql, listed_params = scope_sql(f, newest_end=newest, newest_ids=newest_facts(conn)[1])
            listed = fetch_all(conn, f"SELECT {columns} FROM ({listed_sql}) ORDER BY ALL", listed_params)
            assert listed == general, f
    # before the newest period end, or with an older year, the general rule applies
    for f in [Filters(as_of=newest - timedelta(days=1)), Filters(as_of=newest, year=newest.year - 1)]:
        assert NEWEST_MACRO not in scope_sql(f, newest_end=newest)[0]


@pytest.mark.parametrize("seed", [8, 9])
def test_the_trend_from_stored_counts_equals_the_trend_from_rows(make_store, seed: int) -> None:
    """Periods ended by as_of come from the per-submission counts, a period still running from its rows
    judged on as_of: the figures are those of judging every row."""
    conn = _write(make_store("d"), _random_submissions(seed), rows_per_report=6).reader()
    non_empty = 0
    for as_of in [date(2023, 5, 15), date(2024, 6, 30), date(2024, 8, 1), date(2025, 3, 1)]:
        for f in [Filters(as_of=as_of), Filters(as_of=as_of, province="Hưng Yên"), Filters(as_of=as_of, year=2023),
                  Filters(as_of=as_of, status_class="overdue"),
                  Filters(as_of=as_of, province="Hà Giang", province_mode=ProvinceMode.LEGACY)]:  # fmt: skip
            from_counts = fetch_all(conn, *overview.trend_sql_from_counts(conn, f, 8))
            from_rows = fetch_all(conn, *overview.trend_sql_from_rows(conn, f, 8))
            assert from_counts == from_rows, f
            non_empty += bool(from_rows)
    assert non_empty >= 17  # of 20: only "overdue" on a date before any deadline may find nothing
    classes = {
        c for *_, c, _n in fetch_all(conn, *overview.trend_sql_from_rows(conn, Filters(as_of=as_of), 8))
    }
    assert {"overdue", "done_on_time", "done_late", "in_progress", "not_started", "suspended"} <= classes


def test_every_write_refreshes_the_derived_tables(make_store) -> None:
    db = _write(make_store("d"), [(1, "Thái Bình", "Hưng Yên", "Sở Ngoại vụ", PERIODS[0], None)])
    with db.writer() as conn:
        conn.execute("UPDATE report_tasks SET lead_units = ['Sở Du lịch'], topic = 'Biên giới, biển, đảo'")
    conn = db.reader()
    units = {r[0] for r in conn.execute("SELECT unit FROM unit_names").fetchall()}
    assert units == {"Sở Ngoại vụ", "Sở Du lịch"}  # the reporting unit and the new lead unit
    assert conn.execute("SELECT topics FROM filter_choices").fetchall() == [(["Biên giới, biển, đảo"],)]
    assert stored_schema_version(conn) == SCHEMA_VERSION


def test_a_file_of_an_older_version_is_upgraded_once(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _write(path, [(1, "Thái Bình", "Hưng Yên", "Sở Ngoại vụ", PERIODS[0], None)]).close()
    with duckdb.connect(str(path)) as old:  # what the previous release left on disk
        for name in [*DERIVED_TABLES, "schema_info"]:
            old.execute(f"DROP TABLE {name}")
        old.execute("ALTER TABLE report_tasks DROP COLUMN status_at_end")
        old.execute("CREATE TABLE no_report_cache (submission_id INTEGER)")
    db = Database(path)
    with pytest.raises(duckdb.CatalogException):
        db.reader().execute("SELECT count(*) FROM v_task_progress").fetchone()
    assert db.upgrade() is True
    conn = db.reader()
    assert conn.execute("SELECT count(*) FROM v_task_progress").fetchone() == (1,)
    assert conn.execute("SELECT status_at_end FROM report_tasks").fetchall() == [("not_started",)]
    tables = {r[0] for r in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "no_report_cache" not in tables
    assert db.upgrade() is False  # already current: no rewrite


def test_each_snapshot_knows_its_own_newest_period(make_store) -> None:
    db = _write(make_store("d"), [(1, "Thái Bình", "Hưng Yên", "Sở Ngoại vụ", PERIODS[0], None)])
    before = db.reader()
    assert newest_period_end(before) == PERIODS[0].end_date
    with db.writer() as conn:
        conn.execute(
            """INSERT INTO submissions (submission_id, file_name, sha256, province, province_legacy,
                   reporting_unit, period_year, period_kind, period_index, loaded_at, n_rows)
               VALUES (2, 'bc.xlsx', 'sha2', 'Hưng Yên', 'Thái Bình', 'Sở Ngoại vụ', 2024, 'Y', NULL, now(), 0)"""
        )
    after = db.reader()
    assert after is not before
    assert newest_period_end(after) == date(2024, 12, 31)
    f = Filters(as_of=date(2025, 1, 10))
    assert overview.kpis(after, f).n_tasks == 0  # the newest report (2024) has no rows
    assert overview.kpis(after, Filters(as_of=date(2024, 12, 30))).n_tasks == 1


def _quarter_report(quarter: int, day: int) -> bytes:
    """Sở Ngoại vụ Thái Bình's report of Quý ``quarter``/2022, signed on ``day`` December (a later day:
    a newer version of the same report)."""
    title = [
        ["UBND TỈNH THÁI BÌNH", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["SỞ NGOẠI VỤ", None, None, "Độc lập - Tự do - Hạnh phúc"],
        [f"Số: {day}/BC-SNgV", None, None, f"Thái Bình, ngày {day:02d} tháng 12 năm 2022"],
        ["KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2022"],
        [f"Quý {quarter} năm 2022"],
        [],
    ]
    rows = [
        [1, "Tổ chức hội nghị thông tin đối ngoại", "Sở Ngoại vụ", None, "30/12/2022", "x", 50, None, None]
    ]
    return make_workbook(rows, title=title)


def _stored_equals_live(db: Database) -> None:
    conn = db.reader()
    for name in DERIVED_TABLES:
        stored = conn.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
        live = conn.execute(f"SELECT * FROM {name}_live ORDER BY ALL").fetchall()
        assert stored == live, name


def test_the_stored_periods_follow_loads_supersessions_and_withdrawals(tmp_path: Path) -> None:
    """Each write (a load, a newer version, a withdrawal) stores every derived table as its live view
    computes it; the scope and the reports received, read from the stored periods, follow."""
    db = Database(tmp_path / "d.duckdb")
    with db.writer() as conn:
        conn.execute(
            """INSERT INTO plans (plan_id, province, province_legacy, plan_year, plan_number, report_deadlines,
                   imported_at)
               VALUES (1, 'Hưng Yên', 'Thái Bình', 2022, '1/KH', ['trước ngày 10 của tháng cuối quý'], now())"""
        )
        conn.execute(
            """INSERT INTO plan_tasks (plan_id, task_code, task_title, due_kind, lead_units) VALUES
               (1, 'I.1', 'Hội nghị', 'none', ['Sở Ngoại vụ']), (1, 'I.2', 'Ấn phẩm', 'none', ['Sở Văn hóa'])"""
        )
    f = Filters(year=2022, as_of=date(2022, 12, 31))

    def load(name: str, data: bytes) -> int:
        (result,) = ingest_items(db, [(name, data)], IngestOptions(archive_dir=tmp_path / "a"))
        assert str(result.verdict) == "loaded", result
        _stored_equals_live(db)
        return result.submission_id

    def seen() -> tuple[str, str, list[tuple[str, bool]]]:
        conn = db.reader()
        receipts = received.reports_received(conn, f)
        units = [(u.unit, u.received_on is not None) for p in receipts.provinces for u in p.units]
        return describe_scope(conn, f).text, receipts.text, units

    first = load("q3-cu.xlsx", _quarter_report(3, 5))
    assert seen() == ("Kế hoạch 2022 · Quý III/2022 · 1 tỉnh", "1/2 đơn vị đã nộp báo cáo Quý III/2022",
                      [("Sở Văn hóa", False), ("Sở Ngoại vụ", True)])  # fmt: skip
    newer = load("q3-moi.xlsx", _quarter_report(3, 20))  # supersedes the first
    assert seen()[1] == "1/2 đơn vị đã nộp báo cáo Quý III/2022"
    withdraw_submission(db, newer, "nạp nhầm")
    _stored_equals_live(db)
    assert seen()[1] == "1/2 đơn vị đã nộp báo cáo Quý III/2022"  # the first counts again
    withdraw_submission(db, first, "nạp nhầm")
    _stored_equals_live(db)
    assert seen() == ("Kế hoạch 2022 · chưa có báo cáo · 0 tỉnh", "0/0 đơn vị đã nộp báo cáo kỳ này", [])
    load("q4.xlsx", _quarter_report(4, 25))
    assert seen()[:2] == ("Kế hoạch 2022 · Quý IV/2022 · 1 tỉnh", "1/2 đơn vị đã nộp báo cáo Quý IV/2022")
