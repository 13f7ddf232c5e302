"""The dashboard's queries on the fixture database (see tests/fixture_db.py for what it holds)."""

from __future__ import annotations

from datetime import date

import openpyxl
import pandas as pd
import pytest

from etl.vocab.periods import parse_period_code
from queries import deadlines, options, overview, provinces, submissions, tasks, topics, units
from queries.common import total_of
from queries.export import to_xlsx
from queries.filters import Filters, ProvinceMode, scope_sql
from tests.fixture_db import AS_OF, BAO_TQ, NGV, T_BORDER, T_DOC, T_PROMO, T_PROP, TTTT

F = Filters(as_of=AS_OF)


@pytest.fixture
def fixture_conn(any_fixture_conn):
    """Every query runs on both backends: the DuckDB file, and the replica of PostgreSQL."""
    return any_fixture_conn


def test_kpis_count_each_status_class_and_both_denominators(fixture_conn) -> None:
    k = overview.kpis(fixture_conn, F)
    assert (k.n_tasks, k.n_done_on_time, k.n_done_late, k.n_done_undated) == (22, 3, 2, 1)
    assert (k.n_in_progress, k.n_not_started, k.n_overdue, k.n_suspended, k.n_no_report) == (5, 3, 5, 1, 2)
    assert (k.n_due, k.n_due_soon) == (12, 2)
    assert k.overdue_rate_all == pytest.approx(5 / 22)
    assert k.overdue_rate_due == pytest.approx(5 / 12)


def test_breakdown_follows_the_conventional_order(fixture_conn) -> None:
    df = overview.kpis(fixture_conn, F).breakdown()
    assert list(df["status_class"]) == [
        "done_on_time", "done_late", "done_undated", "in_progress", "not_started", "overdue", "suspended", "no_report",
    ]  # fmt: skip
    assert list(df["n_tasks"]) == [3, 2, 1, 5, 3, 5, 1, 2]
    assert df.loc[df["status_class"] == "overdue", "status_label"].item() == "Quá hạn chưa hoàn thành"


@pytest.mark.parametrize(
    ("filters", "n_tasks"),
    [
        (Filters(as_of=AS_OF, period="2024-Q2"), 10),  # submissions 1 and 4, plan tasks 2-4 unreported
        (Filters(as_of=AS_OF, period="2024-Q3"), 19),  # submissions 2, 3, 5 and plan tasks 3, 4
        (Filters(as_of=AS_OF, province="Tuyên Quang"), 7),  # current: Tuyên Quang + Hà Giang
        (Filters(as_of=AS_OF, province="Hà Giang", province_mode=ProvinceMode.LEGACY), 4),
        (Filters(as_of=AS_OF, unit=NGV), 9),  # reported by or led by either Sở Ngoại vụ: submissions 3, 5
        (Filters(as_of=AS_OF, topic="Biên giới, biển, đảo"), 4),
        (Filters(as_of=AS_OF, status_class="overdue"), 5),
        (Filters(as_of=date(2024, 8, 1)), 10),  # only Quý II had ended: submissions 1, 4, plan tasks 2-4
        (Filters(as_of=AS_OF, year=2023), 0),
    ],
)
def test_filters_select_the_rows_they_say(fixture_conn, filters: Filters, n_tasks: int) -> None:
    assert overview.kpis(fixture_conn, filters).n_tasks == n_tasks


def test_filter_values_travel_as_parameters_not_sql() -> None:
    nasty = "Thái Bình'; DROP TABLE submissions; --"
    sql, params = scope_sql(Filters(as_of=AS_OF, province=nasty, unit=nasty, topic=nasty))
    assert nasty not in sql
    assert params.count(nasty) == 2 * 4  # province, unit twice, topic; in both parts of the source


def test_trend_judges_each_period_at_its_end(fixture_conn) -> None:
    df = overview.trend_by_period(fixture_conn, F)
    q2 = df[df["period_code"] == "2024-Q2"].set_index("status_class")["n_tasks"].to_dict()
    q3 = df[df["period_code"] == "2024-Q3"].set_index("status_class")["n_tasks"].to_dict()
    # On 30/06: row 1.11 (due 31/07) and 1.12 (due 30/09) are still in time.
    assert q2 == {"done_on_time": 2, "in_progress": 3, "not_started": 2, "no_report": 3}
    assert q3 == {"done_on_time": 2, "done_late": 2, "done_undated": 1, "in_progress": 5, "not_started": 3,
                  "overdue": 3, "suspended": 1, "no_report": 2}  # fmt: skip
    assert list(dict.fromkeys(df["period_label"])) == ["Quý II/2024", "Quý III/2024"]


def test_overdue_goes_to_each_lead_unit(fixture_conn) -> None:
    df = units.completion_by_unit(fixture_conn, F)
    overdue = units.ranked_by_overdue(df)
    got = list(zip(overdue["province"], overdue["unit"], overdue["n_overdue"], strict=True))
    # Ties: the unit leading more tasks first.
    assert got == [
        ("Hưng Yên", TTTT, 2),
        ("Hưng Yên", NGV, 2),
        ("Tuyên Quang", NGV, 1),
        ("Tuyên Quang", BAO_TQ, 1),
    ]
    ttt = df[(df["unit"] == TTTT) & (df["province"] == "Hưng Yên")].iloc[0]
    assert (ttt["n_tasks"], ttt["n_done"]) == (9, 3)  # its 8 rows and row 3.11 it co-leads


def test_unit_tasks_list_the_worst_first(fixture_conn) -> None:
    df = units.unit_tasks(fixture_conn, F, "Hưng Yên", NGV)
    assert list(df["status_class"]) == ["overdue", "overdue", "done_on_time", "in_progress", "not_started"]


def test_topics_in_taxonomy_order(fixture_conn) -> None:
    df = topics.completion_by_topic(fixture_conn, F)
    assert list(df["topic"]) == [
        "Biên giới, biển, đảo", "Quảng bá hình ảnh, văn hóa, du lịch", "Tuyên truyền chủ trương, thành tựu",
        "Văn bản chỉ đạo, kế hoạch, quy chế, sơ kết, tổng kết", "Khác",
    ]  # fmt: skip
    assert list(df["n_tasks"]) == [4, 8, 5, 4, 1]
    assert list(df["n_done"]) == [0, 1, 2, 3, 0]
    cells = topics.province_topic_heatmap(fixture_conn, F)
    cell = cells[(cells["province"] == "Tuyên Quang") & (cells["topic"] == "Biên giới, biển, đảo")].iloc[0]
    assert (cell["n_tasks"], cell["n_done"], cell["n_overdue"]) == (2, 0, 1)


def test_overdue_list_longest_first_with_lead_unit(fixture_conn) -> None:
    df = deadlines.overdue_tasks(fixture_conn, F)
    assert list(df["days_overdue"]) == [107, 92, 45, 15, 14]
    assert list(df["lead_unit"]) == [NGV, NGV, NGV, TTTT, BAO_TQ]
    extended = df.iloc[1]
    assert (extended["due_date"], extended["due_date_original"]) == (
        pd.Timestamp("2024-07-15"),
        pd.Timestamp("2024-06-30"),
    )


def test_lists_stop_at_their_limit_but_count_every_task(fixture_conn) -> None:
    overdue = deadlines.overdue_tasks(fixture_conn, F, limit=2)
    assert list(overdue["days_overdue"]) == [107, 92]
    assert total_of(overdue) == 5  # the page's heading says 5, not 2
    assert total_of(deadlines.due_within(fixture_conn, F, 80, limit=3)) == 7
    assert total_of(deadlines.open_ended_tasks(fixture_conn, F, limit=1)) == 2
    assert (
        total_of(deadlines.overdue_tasks(fixture_conn, Filters(as_of=AS_OF, status_class="done_late"))) == 0
    )


def test_due_within_and_open_ended_apart(fixture_conn) -> None:
    assert list(deadlines.due_within(fixture_conn, F, 14)["days_left"]) == [5, 10]
    # 80 days: also 5.12 (30/11) and four tasks due 31/12, plan task 4 (not reported) among them.
    assert list(deadlines.due_within(fixture_conn, F, 80)["days_left"]) == [5, 10, 46, 77, 77, 77, 77]
    counts = deadlines.deadline_counts(fixture_conn, F)
    kinds = counts.open_ended
    assert list(zip(kinds["due_kind"], kinds["status_class"], kinds["n_tasks"], strict=True)) == [
        ("on_demand", "not_started", 1), ("recurring", "in_progress", 1),
    ]  # fmt: skip
    months = counts.timeline
    assert months.groupby("month")["n_tasks"].sum().to_dict()[pd.Timestamp("2024-09-01")] == 4


def test_provinces_by_current_and_by_written_name(fixture_conn) -> None:
    current = provinces.compare_provinces(fixture_conn, Filters(as_of=AS_OF, province="Hưng Yên"))
    assert list(current["province"]) == ["Tuyên Quang", "Hưng Yên"]  # province filter not applied here
    assert list(current["n_tasks"]) == [7, 15]
    assert current.iloc[0]["legacy_names"] == "Hà Giang, Tuyên Quang"
    legacy = provinces.compare_provinces(
        fixture_conn, Filters(as_of=AS_OF, province_mode=ProvinceMode.LEGACY)
    )
    assert list(legacy["province"]) == ["Tuyên Quang", "Thái Bình", "Hà Giang"]
    assert list(legacy["n_overdue"]) == [1, 3, 1]


def test_task_search_ignores_case_and_diacritics(fixture_conn) -> None:
    assert tasks.count_tasks(fixture_conn, F) == 22
    assert list(tasks.task_table(fixture_conn, F, "BIEN DAO")["task_title"]) == [
        "Biên soạn tài liệu tuyên truyền về biển, đảo"
    ]
    assert tasks.count_tasks(fixture_conn, F, "kinh phí") == 1  # row 2.15's difficulties
    assert tasks.count_tasks(fixture_conn, F, "đoàn phóng viên") == 1
    table = tasks.task_table(fixture_conn, F, limit=3)
    assert list(table["status_class"]) == ["overdue"] * 3


def test_submissions_history_missing_units_and_directory(fixture_conn) -> None:
    history = submissions.submission_history(fixture_conn, F)
    assert list(history["submission_id"]) == [6, 5, 4, 3, 2, 1]
    assert history.set_index("submission_id").loc[6, "superseded_by_file"] == "bao_cao_3.xlsx"
    attempts = submissions.load_attempts(fixture_conn)
    assert list(attempts["verdict"][:2]) == ["rejected", "duplicate"]
    assert submissions.report_period(fixture_conn, F).code == "2024-Q3"
    missing = submissions.missing_reports(fixture_conn, F)  # each province's latest period: Quý III
    assert list(
        zip(missing["reporting_unit"], missing["period_label"], missing["last_period_label"], strict=True)
    ) == [(BAO_TQ, "Quý III/2024", "Quý II/2024")]
    q2 = submissions.missing_reports(fixture_conn, F, parse_period_code("2024-Q2"))
    assert list(zip(q2["province"], q2["reporting_unit"], strict=True)) == [
        ("Hưng Yên", NGV),
        ("Tuyên Quang", NGV),
    ]
    directory = submissions.unit_directory(fixture_conn, Filters(province="Hưng Yên"))
    assert list(directory["aliases"]) == ["Sở NgV", "STTTT; Sở TT&TT"]


def test_filter_choices_come_from_the_data(fixture_conn) -> None:
    choices = options.choices(fixture_conn)
    assert choices.provinces(ProvinceMode.CURRENT) == ["Hưng Yên", "Tuyên Quang"]
    assert choices.provinces(ProvinceMode.LEGACY) == ["Hà Giang", "Thái Bình", "Tuyên Quang"]
    assert options.periods(fixture_conn, F) == ["2024-Q3", "2024-Q2"]
    assert options.scoped_choices(fixture_conn, Filters(province="Tuyên Quang"))[1] == [BAO_TQ, NGV]
    assert choices.default_as_of(date(2026, 1, 1)) == date(2024, 9, 30)
    assert choices.default_as_of(date(2024, 8, 1)) == date(2024, 8, 1)
    assert choices.years == [2024]
    assert choices.topics == [T_BORDER, T_PROMO, T_PROP, T_DOC, "Khác"]  # the taxonomy's order, then Khác


def test_export_writes_formulas_as_text(tmp_path) -> None:
    df = pd.DataFrame({"task_title": ["=HYPERLINK(\"http://x\",\"bấm\")", "+1+2", "Bình thường"],
                       "due_date": [date(2024, 9, 30), None, None], "pct_done": [40.0, None, 100.0]})  # fmt: skip
    data = to_xlsx(df, {"task_title": "Nội dung nhiệm vụ", "due_date": "Hạn", "pct_done": "Tiến độ (%)"})
    path = tmp_path / "x.xlsx"
    path.write_bytes(data)
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[1]] == ["Nội dung nhiệm vụ", "Hạn", "Tiến độ (%)"]
    assert ws["A2"].value == '=HYPERLINK("http://x","bấm")' and ws["A2"].data_type == "s"
    assert ws["A2"].quotePrefix and ws["A3"].quotePrefix and not ws["A4"].quotePrefix
    assert ws["B2"].number_format == "dd/mm/yyyy" and ws["C4"].value == 100
