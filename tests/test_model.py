"""A report sent between processes (``etl.model.ParsedReport``): its tasks travel as Arrow columns and
come back equal, made into ``ReportTask`` objects only when read."""

from __future__ import annotations

import copy
import pickle
import random
from datetime import date

import pytest

import etl.model
from etl.model import TASK_FIELDS, ParsedReport, ReportMeta, ReportTask


@pytest.fixture(autouse=True)
def _as_a_checking_process(monkeypatch) -> None:
    """Pickled as a bulk load's checking process does (``send_tasks_packed``)."""
    monkeypatch.setattr(etl.model, "_PACK_WHEN_SENT", True)


WORDS = ["Sở Ngoại vụ", "Công an tỉnh", "Tuyên truyền", "biên giới", "đảo", "x", "", "  ", "Ủy ban", "🙂"]


def _text(rng: random.Random) -> str | None:
    return None if rng.random() < 0.3 else " ".join(rng.choices(WORDS, k=rng.randint(0, 6)))


def _task(rng: random.Random, row: int) -> ReportTask:
    def day() -> date | None:
        return (
            None
            if rng.random() < 0.4
            else date(rng.randint(1990, 2040), rng.randint(1, 12), rng.randint(1, 28))
        )

    return ReportTask(
        row_no=row,
        sheet=rng.choice(["Báo cáo", "Sheet1", "BC quý"]),
        task_title=_text(rng) or "Nhiệm vụ",
        task_code=_text(rng),
        stt=rng.choice([None, "1", "a", "I.2"]),
        section_title=_text(rng),
        topic=_text(rng),
        lead_units=[w for w in rng.choices(WORDS, k=rng.randint(0, 3))],
        coordinating_units=[w for w in rng.choices(WORDS, k=rng.randint(0, 3))],
        due_text=_text(rng),
        due_kind=rng.choice(["date", "quarter", "recurring", "unparsed"]),
        due_date=day(),
        due_date_original=day(),
        status_reported=rng.choice([None, "done", "in_progress"]),
        pct_done=rng.choice([None, 0.0, 12.5, 100.0]),
        completed_on=day(),
        result_text=_text(rng),
        difficulties=_text(rng),
        proposals=_text(rng),
        note=_text(rng),
    )


def _report(tasks: list[ReportTask]) -> ParsedReport:
    meta = ReportMeta(province="Tuyên Quang", reporting_unit="Sở Ngoại vụ", period_year=2025, period_kind="Q")
    return ParsedReport("bc.xlsx", "Báo cáo", 7, {"task_title": "Nội dung"}, meta, tasks, bad_rows={9})


def test_a_report_comes_back_equal_with_its_tasks_made_only_when_read() -> None:
    rng = random.Random(20251)
    for n in (0, 1, 2, 7, 60):
        report = _report([_task(rng, 8 + i) for i in range(n)])
        back = pickle.loads(pickle.dumps(report))
        assert "tasks" not in vars(back)  # packed: the objects are not made yet
        table = back.task_table()
        assert table.column_names == list(TASK_FIELDS) and table.num_rows == n
        assert table.column("row_no").to_pylist() == [t.row_no for t in report.tasks]
        assert "tasks" not in vars(back)
        assert back == report  # reading the tasks makes them: every field as it was
        assert back.tasks == report.tasks and all(type(t) is ReportTask for t in back.tasks)
        assert pickle.loads(pickle.dumps(back)) == report  # and again from the objects
        assert copy.deepcopy(report) == report


def test_tasks_that_do_not_fit_arrow_travel_as_objects() -> None:
    task = ReportTask(row_no=8, sheet="Báo cáo", task_title="Lỗi mã hóa \udcff")  # a lone surrogate
    report = _report([task])
    back = pickle.loads(pickle.dumps(report))
    assert "tasks" in vars(back) and back == report and len(back.tasks) == 1


def test_elsewhere_the_tasks_travel_as_objects(monkeypatch) -> None:
    monkeypatch.setattr(etl.model, "_PACK_WHEN_SENT", False)
    report = _report([_task(random.Random(3), 8)])
    back = pickle.loads(pickle.dumps(report))
    assert "tasks" in vars(back) and back == report
