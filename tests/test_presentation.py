"""The Trình chiếu page (AppTest, inside the app): KPIs of the fixture, next / previous, filters on the slide."""

from __future__ import annotations

import pytest

from queries import overview
from queries.filters import Filters
from tests.fixture_db import AS_OF
from tests.helpers import chart_specs

PAGE = "pages/9_Trinh_chieu.py"
SELECTION = {"province": "Hưng Yên", "period": "Quý III/2024"}  # as the sidebar writes them in the URL


@pytest.fixture
def expected(fixture_conn):
    return overview.kpis(fixture_conn, Filters(province="Hưng Yên", period="2024-Q3", as_of=AS_OF))


def _open(app, **params):
    at = app(**SELECTION, **params)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _html(at) -> str:
    return " ".join(str(getattr(el, "proto", el)) for el in at.get("html"))


def test_first_slide_shows_the_kpis_of_the_selection(app, expected):
    at = _open(app)
    k = expected
    values = {m.label: m.value for m in at.metric}
    assert values["Tổng số nhiệm vụ"] == str(k.n_tasks)
    assert values["Đã hoàn thành"] == f"{k.n_done}/{k.n_tasks}"
    assert values["Đang thực hiện trong hạn"] == str(k.n_in_progress)
    assert values["Quá hạn chưa hoàn thành"] == str(k.n_overdue)
    assert f"({k.n_overdue}/{k.n_tasks})" in values["Tỷ lệ quá hạn / được giao"]
    assert f"({k.n_overdue}/{k.n_due})" in values["Tỷ lệ quá hạn / đã đến hạn"]


def test_filters_are_written_on_the_slide(app):
    html = _html(_open(app))
    assert "Kế hoạch 2024 · Quý III/2024 · Hưng Yên · tính đến 15/10/2024" in html
    assert "1/6" in html


def test_next_and_previous_move_between_slides(app, expected):
    at = _open(app)
    at.button(key="next").click().run()
    assert not at.exception
    assert "2/6" in _html(at) and "Kết quả theo đơn vị chủ trì" in _html(at)
    assert at.segmented_control(key="slide").value == 2
    assert len(chart_specs(at)) == 1
    at.button(key="prev").click().run()
    at.button(key="prev").click().run()  # wraps round to the last slide
    assert "6/6" in _html(at)


def test_a_link_opens_a_given_slide(app, expected):
    at = _open(app, slide="4")
    assert "4/6" in _html(at)
    assert f"Nhiệm vụ quá hạn chưa hoàn thành: {expected.n_overdue}" in _html(at)
    assert "Đón đoàn phóng viên nước ngoài" in _html(at)  # the longest overdue task of the fixture
