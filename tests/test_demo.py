"""The demo data: real plans' tasks, old and current province names, every status class, loaded through
the real ingest into an empty database, once."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest

import demo
import demo.generate
from demo import ensure_demo_data
from demo.catalog import PROVINCES
from demo.generate import build_report
from etl.store.db import Database
from etl.store.load import IngestOptions, preview_bytes
from etl.vocab.periods import parse_period_code
from etl.vocab.status import STATUS_CLASS_ORDER
from queries import options, overview
from queries.filters import Filters, ProvinceMode

DEMO = Path(__file__).resolve().parent.parent / "demo"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    folder = tmp_path_factory.mktemp("demo")
    db = Database(folder / "demo.duckdb")
    assert ensure_demo_data(db, archive_dir=folder / "archive") == 126
    return db


def test_an_empty_database_gets_the_demo_once(demo_db: Database, tmp_path: Path) -> None:
    assert ensure_demo_data(demo_db, archive_dir=tmp_path) == 0
    conn = demo_db.reader()
    verdicts = dict(conn.execute("SELECT verdict, count(*) FROM load_log GROUP BY 1").fetchall())
    assert verdicts == {"loaded": 126, "duplicate": 1}  # one report sent twice
    assert conn.execute("SELECT count(*) FROM submissions WHERE superseded_by IS NOT NULL").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM plans").fetchone()[0] == 9


def test_two_app_instances_starting_on_one_empty_database_load_the_demo_once(tmp_path: Path) -> None:
    """Two processes at once (two app instances behind a balancer, started together): the numbers are
    the demo's, not twice the demo's."""
    db_path = tmp_path / "demo.duckdb"
    load = (
        "import sys; from pathlib import Path; from demo import ensure_demo_data; from etl.store.db import Database;"
        " print(ensure_demo_data(Database(Path(sys.argv[1])), Path(sys.argv[2])))"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", load, str(db_path), str(tmp_path / "archive")],
            cwd=DEMO.parent,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = sorted(int(proc.communicate(timeout=180)[0]) for proc in procs)
    assert outputs == [0, 126]
    conn = Database(db_path).reader()
    assert conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 126


def test_old_and_current_provinces_and_several_periods(demo_db: Database) -> None:
    conn = demo_db.reader()
    choices = options.choices(conn)
    legacy = choices.provinces(ProvinceMode.LEGACY)
    assert legacy == ["Hà Giang", "Huế", "Phú Yên", "Thái Bình", "Thừa Thiên Huế", "Tuyên Quang"]
    assert choices.provinces(ProvinceMode.CURRENT) == ["Đắk Lắk", "Huế", "Hưng Yên", "Tuyên Quang"]
    assert options.periods(conn, Filters()) == [
        "2025-Q2",
        "2025-Q1",
        "2024-Q4",
        "2024-Q3",
        "2024-Q2",
        "2023-Q4",
    ]


def test_every_status_class_is_there_on_the_default_date(demo_db: Database) -> None:
    conn = demo_db.reader()
    k = overview.kpis(conn, Filters(as_of=options.choices(conn).default_as_of(date.today())))
    counts = {c.value: getattr(k, f"n_{c.value}") for c in STATUS_CLASS_ORDER}
    assert all(n > 0 for n in counts.values()), counts
    assert k.n_due_soon > 0


def test_rows_carry_extensions_difficulties_and_proposals(demo_db: Database) -> None:
    extended, difficulties, proposals, linked, rows = (
        demo_db.reader()
        .execute(
            """SELECT count(due_date_original), count(difficulties), count(proposals), count(plan_task_id), count(*)
           FROM report_tasks"""
        )
        .fetchone()
    )
    assert extended > 0 and difficulties > 20 and proposals > 20
    assert linked == rows  # every report row is linked to its plan's task


def test_reports_look_like_real_ones_and_are_reproducible() -> None:
    province = next(p for p in PROVINCES if p.name == "Thừa Thiên Huế")
    first, second = io.BytesIO(), io.BytesIO()
    build_report(province, "Sở Ngoại vụ", parse_period_code("2024-Q3")).save(first)
    build_report(province, "Sở Ngoại vụ", parse_period_code("2024-Q3")).save(second)
    assert first.getvalue() == second.getvalue()  # same bytes: a re-sent copy is a duplicate by its hash
    a = preview_bytes("a.xlsx", first.getvalue(), IngestOptions())
    b = preview_bytes("b.xlsx", second.getvalue(), IngestOptions())
    assert str(a.verdict) == "previewed" and not a.errors
    m = a.report.meta
    assert (m.province_legacy, m.province, m.reporting_unit, m.period_year, m.period_kind, m.period_index) == (
        "Thừa Thiên Huế", "Huế", "Sở Ngoại vụ", 2024, "Q", 3,
    )  # fmt: skip
    assert [vars(t) for t in a.report.tasks] == [vars(t) for t in b.report.tasks]
    assert {t.section_title for t in a.report.tasks} >= {
        "Quan điểm, chủ trương, chính sách của Đảng và Nhà nước"
    }


def test_reports_are_laid_out_like_an_office_table() -> None:
    """Opened in a spreadsheet: merged, centred title rows; bold boxed headers; every task cell boxed and
    wrapped; dates as dd/mm/yyyy; the columns wide enough for the task texts."""
    buffer = io.BytesIO()
    build_report(PROVINCES[0], "Sở Thông tin và Truyền thông", parse_period_code("2024-Q4")).save(buffer)
    ws = openpyxl.load_workbook(buffer).active
    assert ws.title == "Báo cáo"
    assert sorted(map(str, ws.merged_cells.ranges)) == [f"A{r}:L{r}" for r in range(5, 10)]
    assert ws["A6"].font.b and ws["A6"].alignment.horizontal == "center" and ws["A7"].font.i
    assert all(c.font.b and c.border.left.style == "thin" and c.alignment.wrap_text for c in ws[11])
    tasks = [row for row in ws.iter_rows(min_row=12) if isinstance(row[0].value, int)]
    assert len(tasks) > 5
    cells = [c for row in tasks for c in row[:12]]
    assert all(c.border.bottom.style == "thin" and c.alignment.wrap_text for c in cells)
    dates = [c for c in cells if c.is_date]
    assert dates and {c.number_format for c in dates} == {"dd/mm/yyyy"}
    assert ws.column_dimensions["B"].width >= 55


@pytest.mark.parametrize("failure", ["dies", "hangs"])
def test_a_failed_report_writer_leaves_no_file_missing(
    failure: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files are written by forked processes while the plans are saved; one that dies or hangs
    is replaced by this process: the load still gets every report, byte for byte."""
    parent, write_files = os.getpid(), demo.generate.write_files

    def failing(files, out):
        if os.getpid() != parent and files[0].name.startswith("001_"):  # the writer of the first share
            if failure == "dies":
                os._exit(3)
            time.sleep(60)
        return write_files(files, out)

    monkeypatch.setattr(demo.generate, "write_files", failing)
    monkeypatch.setattr(demo, "WRITER_SECONDS", 2.0)
    saved = []
    paths = demo.write_reports_while(tmp_path / "aside", lambda: saved.append(True))
    expected = demo.generate.write_demo_reports(tmp_path / "here")
    assert saved == [True]
    assert [p.name for p in paths] == [p.name for p in expected]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(paths, expected, strict=True))


def test_the_product_reads_neither_tests_nor_shared() -> None:
    for path in DEMO.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "tests/" not in text and "shared" not in text, path
