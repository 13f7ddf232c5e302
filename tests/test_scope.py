"""One scope said everywhere, like with like, who is late: hand counts on a database with two plan
years and provinces at different latest periods (``tests/fixture_scope.py``), on 15/07/2025.

Default scope (Kế hoạch 2025, each province's latest period of 2025):
- Thái Bình (Hưng Yên), Quý II/2025: Sở Ngoại vụ's report (4.10 I.1 done 20/03 ≤ 31/03: on time;
  4.11 I.2 due 30/06, 60 %: overdue; 4.12 III.1 done, no deadline: on time; 4.13 III.2 due 31/12: not
  started) and the plan tasks nobody reported on in Quý II: II.1, II.2, II.3 (no report) = 7. Sở TT&TT's
  Quý I report is older than its province's period: not counted as if it were current.
- Tuyên Quang, Quý I/2025 (stale): 6.10 done on time, 6.11 due 30/04: overdue, 6.12 not started = 3.
- Hà Giang (2024 only) is outside Kế hoạch 2025.
Total 10: on time 3, overdue 2, not started 2, no report 3; done 3/10 = 30,0 %; due by 15/07: I.1, I.2,
II.1 (31/05), 6.10, 6.11 = 5, overdue 2/5.

Quý I/2025 chosen: Sở Ngoại vụ TB (I.1 and I.2 overdue, III.1 in progress), Sở TT&TT (II.1 overdue,
II.3 not started), II.2 no report, Tuyên Quang's 3 = 9: on time 1, in progress 1, not started 2,
overdue 4, no report 1.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from etl.store.db import Database
from etl.vocab.periods import parse_period_code
from etl.vocab.status import STATUS_CLASS_COLORS, StatusClass
from queries import compare, overview, received, uploads
from queries.filters import Filters
from queries.scope import describe_scope
from reports import slides
from tests.conftest import make_app
from tests.fixture_scope import AS_OF, NGV, build_scope_db
from tests.stores import BACKENDS, new_store
from tests.test_pages import _figures

DEFAULT = Filters(year=2025, as_of=AS_OF)
Q1 = Filters(year=2025, period="2025-Q1", as_of=AS_OF)
SCOPE_TEXT = "Kế hoạch 2025 · Quý II/2025 (1 tỉnh), Quý I/2025 (1 tỉnh) · 2 tỉnh"
SCOPED_PAGES = ["1_Tong_quan", "2_Theo_don_vi", "3_Theo_chu_de", "4_Theo_thoi_han", "5_Theo_tinh",
                "6_Nhiem_vu", "8_Du_lieu", "10_Bao_cao"]  # fmt: skip


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scope") / "scope.duckdb"
    build_scope_db(path)
    return path


@pytest.fixture(scope="module", params=BACKENDS)
def conn(db_path: Path, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A reader of the scope database: the DuckDB file, then the same data written into PostgreSQL."""
    if request.param == "duckdb":
        db = Database(db_path)
    else:
        folder = tmp_path_factory.mktemp("scope-pg")
        db = build_scope_db(
            folder / "scope.duckdb",
            new_store("postgres", folder, "scope", request.getfixturevalue("pg_admin_url")),
        )
    yield db.reader()
    db.close()


@pytest.fixture
def page(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``page(name, **url)``: the app on that page of this database, judged on AS_OF."""

    def run(name: str, **params: str) -> AppTest:
        at = make_app(db_path, monkeypatch, **{"as_of": AS_OF.isoformat(), **params})  # a national admin
        at.run()
        if name != "1_Tong_quan":
            at.switch_page(f"pages/{name}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def _metrics(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.proto.delta) for m in at.metric}


def _html(at) -> str:
    return " ".join(str(getattr(el, "proto", el)) for el in at.get("html"))


def test_default_scope_is_the_newest_plan_year_at_each_provinces_latest_period(conn) -> None:
    scope = describe_scope(conn, DEFAULT)
    assert scope.text == SCOPE_TEXT
    assert [(p.province, p.period.label, p.stale) for p in scope.periods] == [
        ("Hưng Yên", "Quý II/2025", False),
        ("Tuyên Quang", "Quý I/2025", True),
    ]
    k = overview.kpis(conn, DEFAULT)
    assert (k.n_tasks, k.n_done_on_time, k.n_overdue, k.n_not_started, k.n_no_report) == (10, 3, 2, 2, 3)
    assert (k.n_in_progress, k.n_done_late, k.n_due) == (0, 0, 5)
    # every year together is said so: Hà Giang's 6 tháng đầu năm 2024 joins
    everything = Filters(as_of=AS_OF)
    assert describe_scope(conn, everything).text.startswith("Gộp mọi năm kế hoạch (2024–2025) · ")
    assert overview.kpis(conn, everything).n_tasks == 11


def test_a_chosen_period_counts_that_period_only(conn) -> None:
    assert describe_scope(conn, Q1).text == "Kế hoạch 2025 · Quý I/2025 · 2 tỉnh"
    k = overview.kpis(conn, Q1)
    assert (k.n_tasks, k.n_done_on_time, k.n_in_progress, k.n_not_started, k.n_overdue, k.n_no_report) == (
        9, 1, 1, 2, 4, 1,
    )  # fmt: skip


def test_comparison_matches_the_same_tasks_in_the_same_provinces(conn) -> None:
    m = compare.compare_periods(conn, DEFAULT, parse_period_code("2025-Q2"), parse_period_code("2025-Q1"))
    # Thái Bình only (Tuyên Quang has no Quý II): I.1, I.2, II.1, II.2, II.3 through the plan, III.1 by
    # unit + code; III.2 is new in Quý II
    assert m.provinces == ("Thái Bình",)
    assert (m.n_matched, m.n_new, m.n_gone) == (6, 1, 0)
    assert (m.now.n_done, m.now.n_overdue, m.now.n_no_report) == (2, 1, 3)
    # on 31/03: I.1, III.1, II.1 in progress, I.2 and II.3 not started, II.2 not reported
    assert (m.before.n_done, m.before.n_in_progress, m.before.n_not_started, m.before.n_no_report) == (
        0,
        3,
        2,
        1,
    )


def test_trend_one_kind_per_axis_with_gaps(conn) -> None:
    trend = overview.trend_by_period(conn, Filters(year=2024, as_of=AS_OF))
    # Hà Giang's 6 tháng đầu năm 2024 is not on the quarters' axis; Quý II and III have no report
    assert list(dict.fromkeys(trend["period_label"])) == [
        "Quý I/2024",
        "Quý II/2024",
        "Quý III/2024",
        "Quý IV/2024",
    ]
    gaps = trend[trend["status_class"] == ""]
    assert list(gaps["period_label"]) == ["Quý II/2024", "Quý III/2024"]
    halves = overview.trend_by_period(conn, Filters(year=2024, as_of=AS_OF), 8, "H")
    assert list(dict.fromkeys(halves["period_label"])) == ["6 tháng đầu năm 2024"]


def test_reports_received_against_the_plans_deadline(conn) -> None:
    r = received.reports_received(conn, DEFAULT)
    # Thái Bình's plan assigns 3 units, Sở Ngoại vụ sent Quý II on 20/06 after 10/06; Tuyên Quang (no
    # plan): its one unit of the year sent Quý I
    assert r.text == "2/4 đơn vị đã nộp báo cáo Quý II/2025, Quý I/2025"
    (tb,) = [p for p in r.provinces if p.province == "Hưng Yên"]
    assert tb.due.isoformat() == "2025-06-10"
    assert [(u.unit, u.late) for u in tb.late] == [(NGV, True)]
    assert sorted(u.unit for u in tb.missing) == ["Báo Thái Bình", "Sở Thông tin và Truyền thông"]


def test_upload_warnings_for_an_old_period_or_a_year_without_plan(conn) -> None:
    old = uploads.period_warnings(conn, "Thái Bình", 2025, "Q", 1)
    assert len(old) == 1 and "cũ hơn kỳ mới nhất đã có của Thái Bình (Quý II/2025)" in old[0]
    no_plan = uploads.period_warnings(conn, "Tuyên Quang", 2025, "Q", 2)
    assert len(no_plan) == 1 and no_plan[0].startswith("Chưa nạp Kế hoạch năm 2025 của Tuyên Quang")
    older_year = uploads.period_warnings(conn, "Thái Bình", 2024, "Q", 4)
    assert any("Chưa nạp Kế hoạch năm 2024" in w for w in older_year)
    assert any("cũ hơn kỳ mới nhất" in w for w in older_year)
    assert uploads.period_warnings(conn, "Thái Bình", 2025, "Q", 3) == []


def test_every_page_states_its_scope(page) -> None:
    for name in SCOPED_PAGES:
        at = page(name)
        captions = " ".join(c.value for c in at.caption).replace("\\", "")  # shown with Markdown escaped
        assert SCOPE_TEXT in captions, name
    slide = page("9_Trinh_chieu")
    assert SCOPE_TEXT in _html(slide)


def test_overview_figures_equal_the_hand_count(page) -> None:
    at = page("1_Tong_quan")
    m = _metrics(at)
    assert m["Tỷ lệ hoàn thành"] == ("30,0%", "3/10 nhiệm vụ")
    assert m["Quá hạn chưa hoàn thành"] == ("2", "2/5 đã đến hạn")
    assert m["Chưa báo cáo"][0] == "3"
    assert m["Báo cáo đã nhận"][0] == "2/4"
    stale = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Tuyên Quang: Quý I/2025" in stale  # the stale province, named
    # … and marked beside its figures in "who is late"
    late = [el.proto.label.replace("\\", "") for el in at.get("page_link") if "quá hạn" in el.proto.label]
    assert sorted(late) == ["Sở Ngoại vụ (Hưng Yên): 1 nhiệm vụ quá hạn",
                            "Sở Ngoại vụ (Tuyên Quang, kỳ cũ: Quý I/2025): 1 nhiệm vụ quá hạn"]  # fmt: skip
    chosen = _metrics(page("1_Tong_quan", period="Quý I/2025"))
    assert chosen["Tổng số nhiệm vụ"][0] == "9" and chosen["Quá hạn chưa hoàn thành"][0] == "4"


def test_kpi_link_opens_the_task_list_with_the_same_count(page) -> None:
    at = page("1_Tong_quan")
    links = [dict(parse_qsl(el.proto.query_string)) for el in at.get("page_link")]
    params = next(q for q in links if q.get("status") == "Chưa báo cáo")
    tasks = page("6_Nhiem_vu", **params)
    assert any(m.value.startswith("**3 nhiệm vụ**") for m in tasks.markdown)
    total = page("6_Nhiem_vu")
    assert any(m.value.startswith("**10 nhiệm vụ**") for m in total.markdown)
    # the completion rate's numerator: every done task, on time, late or undated
    params = next(q for q in links if q.get("status") == "Đã hoàn thành (mọi loại)")
    done = page("6_Nhiem_vu", **params)
    assert any(m.value.startswith("**3 nhiệm vụ**") for m in done.markdown)


def test_pages_equal_the_hand_count_by_unit_and_province(page) -> None:
    units = page("2_Theo_don_vi")
    done_chart = _figures(units)[0]  # worst first: 1/3 done before 2/4; the name repeats: province added
    # Tuyên Quang stands at an older period than Hưng Yên: said beside its unit, not only in the warning
    assert [y.replace("\u00a0", "") for y in done_chart.data[0].y[::-1]] == [
        "Sở Ngoại vụ (Tuyên Quang)<br>(kỳ cũ: Quý I/2025)", "Sở Ngoại vụ (Hưng Yên)"]  # fmt: skip
    assert "Sở Ngoại vụ — Tuyên Quang (kỳ cũ: Quý I/2025)" in done_chart.data[0].customdata[-1][0]
    overdue_chart = _figures(units)[1]
    assert sorted(y.replace("\u00a0", "") for y in overdue_chart.data[0].y) == [
        "Sở Ngoại vụ (Hưng Yên)", "Sở Ngoại vụ (Tuyên Quang)<br>(kỳ cũ: Quý I/2025)"]  # fmt: skip
    assert any("2/2 đơn vị có từ 3 nhiệm vụ" in c.value for c in units.caption)
    few = next(d.value for d in units.dataframe if "name" in d.value.columns)
    assert sorted(few["name"]) == ["Báo Thái Bình", "Sở Thông tin và Truyền thông"]
    provinces = page("5_Theo_tinh")
    table = next(d.value for d in provinces.dataframe if "period_text" in d.value.columns)
    assert dict(zip(table["province"], table["n_tasks"], strict=True)) == {"Hưng Yên": 7, "Tuyên Quang": 3}
    assert dict(zip(table["province"], table["period_text"], strict=True)) == {
        "Hưng Yên": "Quý II/2025",
        "Tuyên Quang": "Quý I/2025 (chưa có báo cáo kỳ mới hơn)",
    }
    chosen = page("5_Theo_tinh", period="Quý I/2025")
    table = next(d.value for d in chosen.dataframe if "period_text" in d.value.columns)
    assert dict(zip(table["province"], table["n_tasks"], strict=True)) == {"Hưng Yên": 6, "Tuyên Quang": 3}


def test_slides_equal_the_hand_count(conn) -> None:
    deck = slides.build_deck(conn, DEFAULT)
    kpis = {m.label: m.value for m in deck[0].metrics}
    assert kpis["Tổng số nhiệm vụ"] == "10" and kpis["Đã hoàn thành"] == "3/10"
    assert kpis["Quá hạn chưa hoàn thành"] == "2"
    assert deck[1].title.endswith("(4/4 đơn vị, nhiều quá hạn nhất trước)")  # every lead unit of the scope
    # the unit of the province behind the others carries its period on its label
    labels = [y.replace("\u00a0", "") for y in deck[1].figure.data[0].y]
    assert [y for y in labels if "kỳ cũ" in y] == ["Sở Ngoại vụ (Tuyên Quang)<br>(kỳ cũ: Quý I/2025)"]
    assert len(labels) == 4
    change = deck[-1]
    assert change.title == "Quý II/2025 so với Quý I/2025 (cùng nhiệm vụ)"
    values = {m.label: (m.value, m.note) for m in change.metrics}
    assert values["Tỷ lệ hoàn thành"][0] == "0% → 33%"  # 0/6 → 2/6 matched tasks
    assert values["Quá hạn chưa hoàn thành"][0] == "0 → 1"
    assert values["Nhiệm vụ so sánh"] == ("6 nhiệm vụ", "có ở cả hai kỳ · 1 mới · 0 không còn")
    assert "Thái Bình" in change.note
    chosen = slides.build_deck(conn, Q1)
    assert {m.label: m.value for m in chosen[0].metrics}["Tổng số nhiệm vụ"] == "9"


def test_colours_mean_one_thing(page) -> None:
    at = page("3_Theo_chu_de")
    heatmap = next(f for f in _figures(at) if f.data[0].type == "heatmap")
    scale = [color.lower() for _, color in heatmap.data[0].colorscale]
    assert STATUS_CLASS_COLORS[StatusClass.OVERDUE] not in scale  # red is for overdue tasks only
    lightness = [sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in scale]
    assert lightness == sorted(lightness, reverse=True)  # light (0 %) to dark (100 %)
    # each province's period under its name, the older one marked
    assert [x.split("<br>", 1)[1] for x in heatmap.data[0].x] == [
        "<sub>Quý II/2025</sub>",
        "<sub>Quý I/2025 (kỳ cũ)</sub>",
    ]
    status = _figures(page("1_Tong_quan"))[0].data[0]
    labels = [y.replace("<br>", " ") for y in status.y]  # wrapped on two lines for a phone
    hatched = dict(zip(labels, status.marker.pattern.shape, strict=True))
    assert hatched["Chưa báo cáo"] == "/" and hatched["Chưa thực hiện (trong hạn)"] == ""


def test_every_year_is_a_choice_and_its_links_keep_it(page) -> None:
    at = page("1_Tong_quan", year="Gộp mọi năm kế hoạch")
    assert _metrics(at)["Tổng số nhiệm vụ"][0] == "11"  # Hà Giang's 6 tháng đầu năm 2024 joins
    links = [dict(parse_qsl(el.proto.query_string)) for el in at.get("page_link")]
    total = next(q for q in links if "status" not in q and "unit" not in q)
    assert total["year"] == "Gộp mọi năm kế hoạch"
    assert any(m.value.startswith("**11 nhiệm vụ**") for m in page("6_Nhiem_vu", **total).markdown)
