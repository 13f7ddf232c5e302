"""Each page through AppTest on the fixture database: the numbers a leader reads, not just "no exception"."""

from __future__ import annotations

import base64
import html
import io
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qsl

import numpy as np
import plotly.graph_objects as go
import pytest

from demo.catalog import PROVINCES
from demo.generate import build_report
from etl.store.db import Database
from etl.store.load import IngestOptions, preview_bytes
from etl.vocab.periods import parse_period_code
from queries import overview
from queries.filters import Filters
from tests.conftest import ROOT, make_app
from tests.fixture_db import AS_OF, BAO_TQ, NGV, TTTT, build_fixture_db
from tests.helpers import chart_specs, plain
from tests.stores import BACKENDS, reopen

SAMPLES = ROOT / "tests" / "data" / "samples"


def _shown(markdown: str) -> str:
    """Markdown source as read: escapes (``\\(``) dropped."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _metrics(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.proto.delta) for m in at.metric}


def _table(at, *columns: str, nth: int = 0):
    """The ``nth`` table showing all of ``columns``."""
    return [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)][nth]


def _decode(value):
    """Plotly's typed arrays ({"dtype": "i1", "bdata": base64}) back to lists."""
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        return (
            array.reshape(tuple(map(int, value["shape"].split(",")))).tolist()
            if "shape" in value
            else array.tolist()
        )
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _figures(at) -> list[go.Figure]:
    """The page's Plotly figures, rebuilt from what was sent to the browser."""
    return [go.Figure(_decode(spec)) for spec in chart_specs(at)]


@pytest.fixture(params=BACKENDS)
def app_both(request: pytest.FixtureRequest, fixture_db_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The app over the fixture database, on the DuckDB file and on PostgreSQL in turn."""
    where = fixture_db_path if request.param == "duckdb" else request.getfixturevalue("fixture_pg")
    return lambda **params: make_app(where, monkeypatch, **params)


def _page(app, page: str, **params):
    at = app(**params).run()
    if page != "1_Tong_quan":
        at.switch_page(f"pages/{page}.py").run()
    _ok(at)
    return at


def test_overview_kpis_and_both_overdue_rates(app_both) -> None:
    at = _page(app_both, "1_Tong_quan")
    m = _metrics(at)
    assert m["Tỷ lệ hoàn thành"] == ("27,3%", "6/22 nhiệm vụ")  # 3 on time, 2 late, 1 undated
    assert m["Tổng số nhiệm vụ"][0] == "22"
    assert m["Hoàn thành đúng hạn"][0] == "3"
    assert m["Hoàn thành quá hạn"][0] == "2"
    assert m["Đang thực hiện trong hạn"][0] == "5"
    assert m["Quá hạn chưa hoàn thành"] == ("5", "5/12 đã đến hạn")
    assert m["Chưa thực hiện (trong hạn)"][0] == "3"
    assert m["Sắp đến hạn (≤ 14 ngày)"][0] == "2"
    assert m["Chưa báo cáo"][0] == "2"  # plan tasks nobody reported on
    # Thái Bình's plan assigns 4 units, 2 sent Quý III; Tuyên Quang and Hà Giang (no plan): their one unit each
    assert m["Báo cáo đã nhận"] == ("4/6", "đơn vị đã nộp")
    assert any("41,7% số nhiệm vụ đã đến hạn (5/12)" in c.value for c in at.caption)
    assert any(
        "(5/22)" in c.value for c in at.caption
    )  # the overdue rate over every task, with its denominator


def test_overview_charts_show_the_breakdown_and_the_trend(app) -> None:
    status, trend = _figures(_page(app, "1_Tong_quan"))
    assert list(status.data[0].x[::-1]) == [3, 2, 1, 5, 3, 5, 1, 2]  # drawn bottom-up
    assert list(status.data[0].y[::-1])[-1] == "Chưa báo cáo"
    assert list(trend.layout.xaxis.categoryarray) == ["Quý II/2024", "Quý III/2024"]
    overdue = next(t for t in trend.data if t.name == "Quá hạn chưa hoàn thành")
    assert list(overdue.y) == [3]  # Quý III only: on 30/06 nothing was overdue yet


@pytest.mark.parametrize(
    ("params", "total"),
    [
        ({"period": "Quý II/2024"}, "10"),
        ({"mode": "Tên tỉnh như ghi trong báo cáo", "province": "Hà Giang"}, "4"),
        ({"province": "Tuyên Quang"}, "7"),
        ({"status": "Quá hạn chưa hoàn thành"}, "5"),
        ({"soon": "40"}, "22"),
    ],
)
def test_a_link_reproduces_the_view(app, params: dict, total: str) -> None:
    at = _page(app, "1_Tong_quan", **params)
    assert _metrics(at)["Tổng số nhiệm vụ"][0] == total
    if "soon" in params:
        assert _metrics(at)["Sắp đến hạn (≤ 40 ngày)"][0] == "2"


def test_units_ranked_and_a_unit_picked_shows_its_tasks(app_both) -> None:
    at = _page(app_both, "2_Theo_don_vi")
    overdue_chart = _figures(at)[1].data[0]
    assert list(overdue_chart.x[::-1]) == [2, 2, 1, 1]
    # the province only where a name is used in several provinces; Tuyên Quang's figures are partly
    # of an older period (Hà Giang stopped at Quý II): said under its units
    assert [html.unescape(y).replace("\u00a0", "") for y in overdue_chart.y[::-1]] == [  # as Plotly shows it
        "Sở TT&TT", "Sở Ngoại vụ (Hưng Yên)", "Sở Ngoại vụ (Tuyên Quang)<br>(có số liệu kỳ cũ: Quý II/2024)",
        "Báo Tuyên Quang<br>(có số liệu kỳ cũ: Quý II/2024)",
    ]  # fmt: skip
    assert overdue_chart.customdata[-1][0] == TTTT  # the full name on hover
    at.selectbox(key="unit_pick").select("Hưng Yên|Sở Ngoại vụ").run()
    _ok(at)
    tasks = _table(at, "task_title", "pct_done", "period_label")
    assert list(tasks["status_label"]) == [
        "Quá hạn chưa hoàn thành", "Quá hạn chưa hoàn thành", "Hoàn thành đúng hạn", "Đang thực hiện trong hạn",
        "Chưa thực hiện (trong hạn)",
    ]  # fmt: skip
    assert any("Sở Ngoại vụ** (Hưng Yên): 5 nhiệm vụ" in m.value for m in at.markdown)


def test_unit_ranking_starts_with_the_worst_unit(app) -> None:
    at = _page(app, "2_Theo_don_vi")
    done_chart = _figures(at)[0]
    # 1/5 done, then 1/4, then two units at 1/3: the one with 2 overdue tasks (3/9) before the one with 1
    assert [html.unescape(y).replace("\u00a0", "").split("<br>")[0] for y in done_chart.data[0].y[::-1]] == [
        "Sở Ngoại vụ (Hưng Yên)", "Sở Ngoại vụ (Tuyên Quang)", "Sở TT&TT", "Báo Tuyên Quang",
    ]  # fmt: skip
    assert any("4/4 đơn vị có từ 3 nhiệm vụ" in c.value for c in at.caption)
    few = _table(at, "name", "pct_done_text")  # one task each: listed apart, not ranked
    assert sorted(few["name"]) == ["Báo Thái Bình", "Sở Văn hóa, Thể thao và Du lịch"]


def test_topics_table_and_heatmap(app_both) -> None:
    at = _page(app_both, "3_Theo_chu_de")
    table = _table(at, "topic", "pct_done_text")
    assert list(table["n_tasks"]) == [4, 8, 5, 4, 1]
    assert list(table["pct_done_text"]) == [
        "0,0% (0/4)",
        "12,5% (1/8)",
        "40,0% (2/5)",
        "75,0% (3/4)",
        "0,0% (0/1)",
    ]
    assert list(table["rate_all"])[:2] == ["25,0% (1/4)", "37,5% (3/8)"]
    heat = _figures(at)[1].data[0]
    # Tuyên Quang gathers Hà Giang (Quý III) and Tuyên Quang as written (Quý II, older): both said
    assert heat.type == "heatmap" and list(heat.x) == [
        "Hưng Yên<br><sub>Quý III/2024</sub>",
        "Tuyên Quang<br><sub>Quý III/2024, Quý II/2024 (kỳ cũ)</sub>",
    ]
    assert list(heat.text[0]) == ["0% (1)", ""]  # rows bottom-up: Khác first; none in Tuyên Quang


def test_deadlines_overdue_longest_first_and_due_soon(app_both) -> None:
    at = _page(app_both, "4_Theo_thoi_han")
    overdue = _table(at, "days_overdue")
    assert list(overdue["days_overdue"]) == [107, 92, 45, 15, 14]
    assert list(overdue["lead_units_text"])[:2] == [NGV, NGV]
    assert list(overdue["lead_units_text"])[-1] == BAO_TQ
    assert list(_table(at, "days_left")["days_left"]) == [5, 10]
    assert [h.value for h in at.subheader][:2] == [
        "Quá hạn chưa hoàn thành: 5 nhiệm vụ",
        "Đến hạn trong 14 ngày tới: 2 nhiệm vụ",
    ]
    at.number_input(key="due_days").set_value(80).run()
    assert len(_table(at, "days_left")) == 7
    assert not [t for t in at.dataframe if "due_kind" in t.value.columns]  # the open-ended list waits
    at.toggle(key="open_list").set_value(True).run()
    _ok(at)
    assert "2 nhiệm vụ." in [c.value for c in at.caption]
    assert list(_table(at, "result_text")["status_label"]) == [
        "Đang thực hiện trong hạn",
        "Chưa thực hiện (trong hạn)",
    ]


def test_provinces_switch_between_written_and_current_names(app_both) -> None:
    at = _page(app_both, "5_Theo_tinh")
    table = _table(at, "province", "rate_all")
    assert list(table["province"]) == ["Tuyên Quang", "Hưng Yên"]
    assert list(table["rate_all"]) == ["28,6% (2/7)", "20,0% (3/15)"]
    at.radio(key="mode").set_value("legacy").run()
    _ok(at)
    assert list(_table(at, "province", "rate_all")["province"]) == ["Tuyên Quang", "Thái Bình", "Hà Giang"]


def test_task_list_search_and_export(app_both) -> None:
    at = _page(app_both, "6_Nhiem_vu")
    assert len(_table(at, "task_title", "status_label", "proposals")) == 22
    assert any("**22 nhiệm vụ**" in m.value for m in at.markdown)
    at.text_input(key="q").input("bien dao").run()
    rows = _table(at, "task_title", "status_label", "proposals")
    assert list(rows["task_title"]) == ["Biên soạn tài liệu tuyên truyền về biển, đảo"]
    assert at.download_button[0].proto.label.startswith("Tải bảng xuống (.xlsx")


def test_data_page_lists_missing_units_history_and_aliases(app_both) -> None:
    at = _page(app_both, "8_Du_lieu")
    assert any(plain(m.value).startswith("**4/6 đơn vị đã nộp báo cáo") for m in at.markdown)
    # the units Thái Bình's plan assigns that sent nothing
    missing = _table(at, "reporting_unit", "report_due")
    assert list(missing["reporting_unit"]) == ["Báo Thái Bình", "Sở Văn hóa, Thể thao và Du lịch"]
    assert set(missing["state"]) == {"Chưa nộp"}
    history = _table(at, "state_label")
    assert list(history["state_label"]) == ["Đã được thay thế"] + ["Đã nạp"] * 5
    assert list(_table(at, "verdict_label")["verdict_label"])[:2] == ["Bị từ chối", "Trùng (đã nạp trước đó)"]
    assert sorted(_table(at, "canonical_name")["canonical_name"]) == [BAO_TQ, NGV, TTTT]


def _good_report() -> bytes:
    """A new Quý III report of Sở Ngoại vụ Thái Bình: it supersedes submission 3."""
    buffer = io.BytesIO()
    build_report(PROVINCES[0], NGV, parse_period_code("2024-Q3")).save(buffer)
    return buffer.getvalue()


def test_upload_previews_good_and_bad_files_then_loads_on_confirmation(
    fixture_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_store
) -> None:
    db_path = tmp_path / "upload.duckdb"
    shutil.copy(fixture_db_path, db_path)
    store = Database(db_path)
    if not isinstance(empty := make_store("upload"), Database):  # PostgreSQL: the fixture written there
        store = db_path = build_fixture_db(db_path, empty)
    monkeypatch.setenv("TTDN_ARCHIVE", str(tmp_path / "archive"))
    good, bad = _good_report(), (SAMPLES / "p15_TB_Q2-2022_SoTTTT.xlsx").read_bytes()
    rows = preview_bytes("tot.xlsx", good, IngestOptions()).rows

    at = make_app(db_path, monkeypatch).run()
    at.switch_page("pages/7_Tai_bao_cao.py").run()
    assert [link.proto.label for link in at.page_link] == [
        "Biểu mẫu báo cáo có sẵn nhiệm vụ của từng đơn vị (trang Kế hoạch)"
    ]
    uploader = at.file_uploader[0]
    uploader.set_value(
        [("tot.xlsx", good, "application/octet-stream"), ("loi.xlsx", bad, "application/octet-stream")]
    )
    at.run()
    assert not at.exception
    text = _shown(" ".join(m.value for m in at.markdown))
    assert (
        "Đọc được — sẵn sàng nạp" in text and "Sở Ngoại vụ — Thái Bình (nay: Hưng Yên) — Quý III/2024" in text
    )
    assert "Bị từ chối — cần sửa rồi tải lại" in text
    assert [e.value for e in at.error] == ["3 lỗi: sửa trong tệp rồi tải lại."]
    problems = [t.value.map(_shown) for t in at.table if "Lỗi và cách sửa" in t.value.columns]
    errors = next(t for t in problems if (t["Cột"] == "Tình trạng").any())  # a static table: wraps, in full
    assert list(errors["Dòng"]) == ["13", "15", "20"]
    assert list(errors["Cột"]) == ["Thời gian hoàn thành", "Tình trạng", "Tiến độ (%)"]
    assert "không tồn tại" in errors["Lỗi và cách sửa"][0]
    assert any(b.proto.label == "Tải tệp có đánh dấu ô lỗi" for b in at.download_button)
    assert len(_table(at, "row_no", "due_kind")) == rows
    assert reopen(store).reader().execute("SELECT count(*) FROM submissions").fetchone()[0] == 6  # not yet

    confirm = next(b for b in at.button if b.proto.label.startswith("Xác nhận nạp 1 tệp"))
    confirm.click().run()
    assert not at.exception
    assert [_shown(s.value) for s in at.success] == [f"tot.xlsx: Đã nạp ({rows} nhiệm vụ)"]

    at.switch_page("pages/1_Tong_quan.py").run()
    k = overview.kpis(reopen(store).reader(), Filters(as_of=AS_OF))
    assert k.n_tasks - k.n_no_report == 20 - 5 + rows  # report rows: submission 3 superseded by the new one
    m = _metrics(at)
    assert (m["Tổng số nhiệm vụ"][0], m["Chưa báo cáo"][0]) == (str(k.n_tasks), str(k.n_no_report))


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("doi_duoi.xlsx", "Báo cáo quý III\nSở Ngoại vụ\n".encode(), "không phải tệp Excel thật"),
        ("khoa.xlsx", (SAMPLES / "p13_TB_Q3-2022_SoTTTT_matkhau.xlsx").read_bytes(), "mật khẩu"),
        ("thong_ke.xlsx", (SAMPLES / "p14_TQ_Q3-2022_ThongKeTinBai.xlsx").read_bytes(), "Nội dung nhiệm vụ"),
    ],
)
def test_a_file_refused_as_a_whole_is_one_message_without_table_or_copy(
    fixture_db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, data: bytes, says: str
) -> None:
    monkeypatch.setenv("TTDN_ARCHIVE", str(tmp_path / "archive"))
    at = make_app(fixture_db_path, monkeypatch).run()
    at.switch_page("pages/7_Tai_bao_cao.py").run()
    at.file_uploader[0].set_value([(name, data, "application/octet-stream")])
    at.run()
    errors = [_shown(e.value) for e in at.error]
    assert len(errors) == 1 and says in errors[0], errors
    assert [t for t in at.table if "Lỗi và cách sửa" in t.value.columns] == []
    assert list(at.download_button) == []
    assert not at.exception


def test_clicking_a_kpi_opens_the_task_list_with_the_same_count(app) -> None:
    at = _page(app, "1_Tong_quan")
    links = [el.proto for el in at.get("page_link") if el.proto.page.endswith("Nhiem_vu")]
    counted = {"Quá hạn chưa hoàn thành": "5", "Đang thực hiện trong hạn": "5", "Chưa báo cáo": "2"}
    for label, count in counted.items():  # the URL names a status by its label
        params = next(
            q
            for p in links
            if (q := dict(parse_qsl(p.query_string))).get("status") == label and "unit" not in q
        )
        listed = _page(app, "6_Nhiem_vu", **params)
        assert _metrics(at)[label][0] == count
        assert any(m.value.startswith(f"**{count} nhiệm vụ**") for m in listed.markdown), params
    # a unit of the "who is late" block: its overdue tasks
    params = next(q for p in links if (q := dict(parse_qsl(p.query_string))).get("unit") == TTTT)
    assert params["status"] == "Quá hạn chưa hoàn thành"
    assert any(m.value.startswith("**2 nhiệm vụ**") for m in _page(app, "6_Nhiem_vu", **params).markdown)


def _page_texts(at) -> list[str]:
    """What a page writes: its texts, numbers and tables (as text), in order."""
    texts = [
        e.value
        for kind in ("title", "header", "subheader", "markdown", "caption", "metric")
        for e in at.get(kind)
    ]
    return texts + [t.value.to_csv() for t in at.dataframe] + [str(h.proto.body) for h in at.get("html")]


@pytest.mark.parametrize("page", ["9_Trinh_chieu", "10_Bao_cao"])
def test_slides_and_report_pages_show_on_postgresql_what_they_show_on_the_file(
    page: str, fixture_db_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    params = {"province": "Hưng Yên", "period": "2024-Q3"}
    on_file = _page(lambda **p: make_app(fixture_db_path, monkeypatch, **p), page, **params)
    on_pg = _page(
        lambda **p: make_app(request.getfixturevalue("fixture_pg"), monkeypatch, **p), page, **params
    )
    assert len(_page_texts(on_file)) > 3
    assert _page_texts(on_pg) == _page_texts(on_file)
