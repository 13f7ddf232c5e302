"""Deadlines and completion dates as plans and reports write them."""

from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest

from etl.vocab.deadlines import (
    Deadline,
    DueKind,
    InvalidDate,
    NotADate,
    excel_serial_date,
    make_date,
    parse_date,
    parse_deadline,
)

SAMPLES = Path(__file__).parent / "data" / "samples"


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("30/6/2022", DueKind.DATE, date(2022, 6, 30)),
        ("30.6.2022", DueKind.DATE, date(2022, 6, 30)),
        ("30-6-2022", DueKind.DATE, date(2022, 6, 30)),
        ("30/06/22", DueKind.DATE, date(2022, 6, 30)),
        ("2022-06-30", DueKind.DATE, date(2022, 6, 30)),
        ("ngày 30 tháng 6 năm 2022", DueKind.DATE, date(2022, 6, 30)),
        ("ngày 08 tháng 02 năm 2018", DueKind.DATE, date(2018, 2, 8)),
        ("Trước ngày 10/4/2019", DueKind.DATE, date(2019, 4, 10)),
        ("TRƯỚC NGÀY 10/4/2019", DueKind.DATE, date(2019, 4, 10)),
        ("Chậm nhất ngày 15/3", DueKind.DATE, date(2021, 3, 15)),
        ("Hoàn thành trước ngày 15 tháng 3", DueKind.DATE, date(2021, 3, 15)),
        ("Tháng 6 năm 2019", DueKind.MONTH, date(2019, 6, 30)),
        ("Tháng 6/2019", DueKind.MONTH, date(2019, 6, 30)),
        ("T6/2019", DueKind.MONTH, date(2019, 6, 30)),
        ("tháng 6", DueKind.MONTH, date(2021, 6, 30)),
        ("Tháng 2", DueKind.MONTH, date(2021, 2, 28)),
        ("Tháng 2/2024", DueKind.MONTH, date(2024, 2, 29)),
        ("Tháng 12/2022", DueKind.MONTH, date(2022, 12, 31)),
        ("Từ tháng 3 đến tháng 6/2022", DueKind.MONTH, date(2022, 6, 30)),
        ("Quý III/2022", DueKind.QUARTER, date(2022, 9, 30)),
        ("Quý 3/2022", DueKind.QUARTER, date(2022, 9, 30)),
        ("Quý III năm 2022", DueKind.QUARTER, date(2022, 9, 30)),
        ("Quý III", DueKind.QUARTER, date(2021, 9, 30)),
        ("Quý I", DueKind.QUARTER, date(2021, 3, 31)),
        ("quý iv/2022", DueKind.QUARTER, date(2022, 12, 31)),
        ("Quý III - Quý IV/2022", DueKind.QUARTER, date(2022, 12, 31)),
        ("6 tháng đầu năm", DueKind.HALF, date(2021, 6, 30)),
        ("6 tháng cuối năm", DueKind.HALF, date(2021, 12, 31)),
        ("06 THÁNG ĐẦU NĂM 2019", DueKind.HALF, date(2019, 6, 30)),
        ("9 tháng đầu năm", DueKind.NINE_MONTHS, date(2021, 9, 30)),
        ("9 tháng năm 2022", DueKind.NINE_MONTHS, date(2022, 9, 30)),
        ("Năm 2019", DueKind.YEAR, date(2019, 12, 31)),
        ("Trong năm 2019", DueKind.YEAR, date(2019, 12, 31)),
        ("Cả năm", DueKind.YEAR, date(2021, 12, 31)),
        ("2022", DueKind.YEAR, date(2022, 12, 31)),
        ("Thường xuyên", DueKind.RECURRING, None),
        ("THƯỜNG XUYÊN", DueKind.RECURRING, None),
        ("Hằng năm", DueKind.RECURRING, None),
        ("Hàng năm", DueKind.RECURRING, None),
        ("Hàng quý", DueKind.RECURRING, None),
        ("Định kỳ", DueKind.RECURRING, None),
        ("Thường xuyên, báo cáo trước ngày 15/12/2022", DueKind.RECURRING, None),
        ("Theo chỉ đạo", DueKind.ON_DEMAND, None),
        ("Khi có yêu cầu", DueKind.ON_DEMAND, None),
        ("Đột xuất", DueKind.ON_DEMAND, None),
        ("Trước ngày 10/11/2022 và đột xuất khi có yêu cầu", DueKind.DATE, date(2022, 11, 10)),
        ("Sớm nhất có thể", DueKind.UNPARSED, None),
        ("Đầu năm 2022", DueKind.UNPARSED, None),
        ("Theo tiến độ dự án", DueKind.UNPARSED, None),
    ],
)
def test_parse_deadline_text(text: str, kind: DueKind, due: date | None) -> None:
    assert parse_deadline(text, 2021) == Deadline(text, kind, due)


def test_matching_ignores_unicode_form_and_keeps_nfc_text() -> None:
    decomposed = unicodedata.normalize("NFD", "Quý III năm 2022")
    deadline = parse_deadline(decomposed, None)
    assert deadline == Deadline("Quý III năm 2022", DueKind.QUARTER, date(2022, 9, 30))
    assert parse_deadline("Quy III nam 2022", None).due_date == date(2022, 9, 30)
    assert parse_deadline("  Tháng   6/2019 ", None).text == "Tháng 6/2019"


@pytest.mark.parametrize("text", ["tháng 6", "Quý III", "6 tháng đầu năm", "Cả năm", "Chậm nhất ngày 15/3"])
def test_year_less_text_without_default_year_is_unparsed(text: str) -> None:
    assert parse_deadline(text, None) == Deadline(text, DueKind.UNPARSED, None)


def test_native_cells() -> None:
    assert parse_deadline(datetime(2022, 6, 30, 0, 0), 2022) == Deadline(
        None, DueKind.DATE, date(2022, 6, 30)
    )
    assert parse_deadline(date(2022, 7, 31), None) == Deadline(None, DueKind.DATE, date(2022, 7, 31))
    assert parse_deadline(44742.0, None) == Deadline(None, DueKind.DATE, date(2022, 6, 30))
    assert parse_deadline(2022, None) == Deadline("2022", DueKind.YEAR, date(2022, 12, 31))
    assert parse_deadline(12.5, None) == Deadline("12.5", DueKind.UNPARSED, None)


@pytest.mark.parametrize("blank", [None, "", "   ", "\n", float("nan")])
def test_blank_deadline_is_none(blank: object) -> None:
    assert parse_deadline(blank, 2022) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "31/02/2022",
            "Ngày 31/02/2022 không tồn tại (tháng 2 không có ngày 31). Sửa lại thành ngày đúng, dạng ngày/tháng/năm.",
        ),
        ("29/2/2022", "Ngày 29/02/2022 không tồn tại (tháng 2 năm 2022 chỉ có 28 ngày)."),
        ("ngày 32 tháng 1 năm 2022", "Ngày 32/01/2022 không tồn tại (tháng 1 không có ngày 32)."),
        ("15/13/2022", "Ngày 15/13/2022 không tồn tại (không có tháng 13)."),
        ("Trước ngày 31/4/2022", "Ngày 31/04/2022 không tồn tại (tháng 4 không có ngày 31)."),
        ("Tháng 13/2022", "Tháng 13/2022 không tồn tại (không có tháng 13)."),
    ],
)
def test_impossible_dates_raise_invalid_date(text: str, message: str) -> None:
    with pytest.raises(InvalidDate) as error:
        parse_deadline(text, 2022)
    assert str(error.value).startswith(message)


def test_leap_day_exists_in_leap_year() -> None:
    assert parse_deadline("29/2/2024", None).due_date == date(2024, 2, 29)
    assert make_date(29, 2, 2024) == date(2024, 2, 29)


def test_excel_serial_date() -> None:
    assert excel_serial_date(44742) == date(2022, 6, 30)
    assert excel_serial_date(43466.0) == date(2019, 1, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7/7/2022", date(2022, 7, 7)),
        ("07/07/2022", date(2022, 7, 7)),
        ("7-7-2022", date(2022, 7, 7)),
        ("7.7.2022", date(2022, 7, 7)),
        ("ngày 7 tháng 7 năm 2022", date(2022, 7, 7)),
        ("Ngày 07/07/2022.", date(2022, 7, 7)),
        ("2022-07-07", date(2022, 7, 7)),
        ("2022-07-07 00:00:00", date(2022, 7, 7)),
        (datetime(2022, 7, 7, 15, 30), date(2022, 7, 7)),
        (date(2022, 7, 7), date(2022, 7, 7)),
        (44749, date(2022, 7, 7)),
        (44749.0, date(2022, 7, 7)),
        (None, None),
        ("", None),
        ("  ", None),
    ],
)
def test_parse_date(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_parse_date_year_less_uses_default_year() -> None:
    assert parse_date("7/7", 2022) == date(2022, 7, 7)
    with pytest.raises(NotADate, match="thiếu năm"):
        parse_date("7/7")


@pytest.mark.parametrize(
    "value", ["abc", "Đang thực hiện", "Đề nghị gia hạn đến 30/06/2023", "Quý III/2022", 12]
)
def test_parse_date_refuses_text_that_is_not_a_date(value: object) -> None:
    with pytest.raises(NotADate, match="không phải là ngày"):
        parse_date(value)


def test_parse_date_impossible_date() -> None:
    with pytest.raises(InvalidDate, match=r"Ngày 31/02/2022 không tồn tại"):
        parse_date("31/2/2022")
    with pytest.raises(InvalidDate):
        parse_date("0/7/2022")


def test_recurring_property() -> None:
    assert parse_deadline("Hàng quý", 2022).recurring is True
    assert parse_deadline("Quý III", 2022).recurring is False


def _sample_deadlines() -> list[tuple[str, int, dict]]:
    cases = []
    for sidecar in sorted(SAMPLES.glob("*.expected.json")):
        expected = json.loads(sidecar.read_text(encoding="utf-8"))
        for task in expected.get("tasks", []):
            if task["due_text"] is not None:
                cases.append((sidecar.name, expected["period"]["year"], task))
    return cases


@pytest.mark.parametrize(("sidecar", "year", "task"), _sample_deadlines())
def test_sample_deadline_texts(sidecar: str, year: int, task: dict) -> None:
    deadline = parse_deadline(task["due_text"], year)
    printed = task.get("due_date_original") or task["due_date"]
    assert deadline.due_date == (date.fromisoformat(printed) if printed else None), sidecar
    assert deadline.recurring is task["recurring"]


def test_sample_deadlines_cover_every_kind_of_text() -> None:
    texts = {task["due_text"] for _, _, task in _sample_deadlines()}
    assert {
        "Thường xuyên",
        "6 tháng đầu năm",
        "Trước ngày 10/4/2019",
        "Quý III năm 2019",
        "Tháng 6/2022",
    } <= texts
