"""Plans in the database: report rows linked to plan tasks, and no_report rows for what nobody reported."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from etl.store.db import Database
from etl.store.linking import _Candidate, best_match
from etl.store.load import IngestOptions, ingest_paths
from etl.store.plan_import import read_plan, save_plan_to_db
from etl.vocab.text import key

DATA = Path(__file__).parent / "data"
SEED_003 = next((DATA / "seeds").glob("003_*.txt"))


@pytest.fixture
def db(tmp_path: Path, make_store) -> Database:
    """A report loaded, then its plan imported (the plan's tasks link rows already stored), on each backend."""
    db = make_store("t")
    options = IngestOptions(archive_dir=tmp_path / "archive")
    ingest_paths(db, [DATA / "samples" / "p01_TB_6T2019_SoTTTT.xlsx"], options)
    save_plan_to_db(db, read_plan(SEED_003.read_bytes(), SEED_003.name), SEED_003.read_bytes())
    return db


def test_report_rows_are_linked_to_plan_tasks_across_different_numbering(db: Database):
    rows = (
        db.reader()
        .execute(
            """SELECT t.task_code, p.task_code, t.match_score FROM v_task_progress t
           LEFT JOIN plan_tasks p USING (plan_task_id) ORDER BY row_no"""
        )
        .fetchall()
    )
    linked = {report: plan for report, plan, _ in rows}
    assert linked["I.1.a"] == "II.1.a"
    assert linked["II.1.a"] == "II.4.a"  # the report renumbered the plan's section 4 as its own section II
    assert linked["II.2"] == "II.4.f"
    assert linked["II.3"] == "II.4.g"
    assert all(score is not None and score >= 0.72 for _, plan, score in rows if plan)


def test_plan_tasks_nobody_reported_on_show_as_no_report(db: Database):
    rows = (
        db.reader()
        .execute(
            """SELECT task_code, reporting_unit, period_kind, period_index FROM v_plan_coverage
           WHERE status_class = 'no_report' ORDER BY task_code"""
        )
        .fetchall()
    )
    codes = [r[0] for r in rows]
    assert "II.4.đ" not in codes and "II.1.a" not in codes  # reported in p01
    assert {r[2:] for r in rows} == {("H", 1)}
    assert {(r[0], r[1]) for r in rows} == {
        ("IV.3", "Các sở, ban, ngành"),
        ("IV.4", "Các cơ quan báo chí của tỉnh"),
    }


def test_reimporting_the_same_plan_updates_without_duplicating(db: Database):
    before = db.reader().execute("SELECT count(*), min(plan_id), max(plan_id) FROM plan_tasks").fetchone()
    save_plan_to_db(db, read_plan(SEED_003.read_bytes(), SEED_003.name))
    after = db.reader().execute("SELECT count(*), min(plan_id), max(plan_id) FROM plan_tasks").fetchone()
    assert before == after
    assert db.reader().execute("SELECT count(*) FROM plans").fetchone()[0] == 1


def test_a_corrected_plan_updates_its_tasks_in_place(db: Database):
    """Saving a corrected plan: a task keeps its id (the report rows linked to it stay linked) and gets
    the corrected text, a task taken out of the plan is gone, a code written twice keeps its last text."""
    plan = read_plan(SEED_003.read_bytes(), SEED_003.name)
    query = "SELECT task_code, plan_task_id, topic, task_title FROM plan_tasks ORDER BY plan_task_id"
    before = {
        code: (task_id, topic, title) for code, task_id, topic, title in db.reader().execute(query).fetchall()
    }
    tasks = [
        replace(t, topic="Chủ đề đã sửa") if t.code == "II.1.a" else t for t in plan.tasks if t.code != "IV.4"
    ]
    iv3 = next(t for t in plan.tasks if t.code == "IV.3")
    save_plan_to_db(db, replace(plan, tasks=[*tasks, replace(iv3, title="Nội dung IV.3 viết lại")]))
    after = db.reader().execute(query).fetchall()
    assert [code for code, *_ in after] == [t.code for t in tasks]  # in plan order, IV.3 in its first place
    stored = {code: (task_id, topic, title) for code, task_id, topic, title in after}
    assert stored["II.1.a"] == (before["II.1.a"][0], "Chủ đề đã sửa", before["II.1.a"][2])
    assert stored["IV.3"] == (before["IV.3"][0], before["IV.3"][1], "Nội dung IV.3 viết lại")
    linked = (
        db.reader()
        .execute("SELECT count(*) FROM report_tasks WHERE plan_task_id = ?", [before["II.1.a"][0]])
        .fetchone()[0]
    )
    assert linked == 1


def test_best_match_needs_similar_titles():
    candidates = [
        _Candidate(1, "I.1", key("Tổ chức tập huấn nghiệp vụ thông tin đối ngoại"), frozenset()),
        _Candidate(2, "I.2", key("Xuất bản ấn phẩm thông tin đối ngoại bằng tiếng Anh"), frozenset()),
    ]
    assert best_match(candidates, "I.2", "Tổ chức tập huấn nghiệp vụ thông tin đối ngoại", "Sở A") == (1, 1.0)
    assert best_match(candidates, "I.2", "Xuất bản ấn phẩm thông tin đối ngoại", "Sở A") == (2, 1.0)
    assert best_match(candidates, "I.1", "Mua sắm trang thiết bị cho phóng viên", "Sở A") is None


def test_a_few_shared_words_are_not_a_match():
    candidates = [_Candidate(1, "II.3", key("Tổ chức Tuần văn hóa Thái Bình tại nước ngoài"), frozenset())]
    title = "Đẩy mạnh hoạt động giao lưu văn hóa, nghệ thuật, khoa học, tổ chức sự kiện tại nước ngoài"
    assert best_match(candidates, "II.1.d", title, "Sở A") is None


def test_links_made_after_the_report_was_stored_reach_the_store(db: Database):
    """What another process opens (with PostgreSQL: a replica pulled afresh) has the links the importer made."""
    from tests.stores import reopen

    query = "SELECT row_no, plan_task_id FROM report_tasks WHERE plan_task_id IS NOT NULL ORDER BY 1"
    here = db.reader().execute(query).fetchall()
    assert len(here) >= 3
    assert reopen(db).reader().execute(query).fetchall() == here
