"""The projector's charts: which units a slide shows, how they are named, one due-soon window."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from queries.filters import Filters
from reports import slide_charts, slides
from tests.fixture_db import AS_OF


def _units(rows: list[tuple[str, str, int, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit", "province", "n_tasks", "n_done", "n_overdue"])


def test_the_slide_shows_the_units_with_most_overdue_work_not_the_one_task_units():
    by_unit = _units([(f"Đơn vị nhỏ {i}", "Hưng Yên", 1, 0, 0) for i in range(10)]
                     + [("Sở Ngoại vụ", "Hưng Yên", 20, 5, 6), ("Sở Tư pháp", "Hưng Yên", 12, 2, 0)])  # fmt: skip
    shown, n_more = slide_charts.units_to_show(by_unit, limit=3)
    assert list(shown["unit"][:2]) == ["Sở Ngoại vụ", "Sở Tư pháp"]
    assert n_more == 9


def test_a_unit_name_shared_by_two_provinces_carries_its_province():
    by_unit = _units([("Sở Thông tin và Truyền thông", "Hưng Yên", 3, 1, 1),
                      ("Sở Thông tin và Truyền thông", "Thái Bình", 2, 1, 0),
                      ("Sở Ngoại vụ", "Thái Bình", 2, 1, 0)])  # fmt: skip
    labels = slide_charts.unit_names(by_unit)
    assert labels[0].endswith("(Hưng Yên)") and labels[1].endswith("(Thái Bình)")
    assert "Thái Bình" not in labels[2]


def test_every_bar_gets_a_tick_label(fixture_conn):
    data_filters = Filters(province="Hưng Yên", period="2024-Q3", as_of=AS_OF)
    deck = slides.build_deck(fixture_conn, data_filters)
    for slide in deck:
        if slide.figure is None or slide.key == "change":
            continue
        bars = [t for t in slide.figure.data if t.type == "bar"]
        assert list(slide.figure.layout.yaxis.tickvals) == list(bars[0].y)
        assert slide.figure.layout.height is None  # the page gives it the slide's height


def test_the_due_soon_slide_uses_the_due_soon_setting(fixture_conn):
    for days in (7, 45):
        filters = Filters(province="Hưng Yên", period="2024-Q3", as_of=AS_OF, due_soon_days=days)
        deck = slides.build_deck(fixture_conn, replace(filters))
        assert f"Sắp đến hạn trong {days} ngày" in deck[0].note
        assert deck[4].title.startswith(f"Đến hạn trong {days} ngày tới")


def test_fewer_bars_when_their_labels_take_two_lines():
    long_names = [(f"Trung tâm Văn hóa Thông tin và Thể thao huyện số {i}", "Tuyên Quang", 9, 1, 9 - i)
                  for i in range(9)]  # fmt: skip
    shown, n_more = slide_charts.units_to_show(_units(long_names))
    assert all("<br>" in label for label in slide_charts.unit_names(shown))
    assert len(shown) < slide_charts.MAX_UNITS and n_more == 9 - len(shown)
