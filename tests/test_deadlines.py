"""Deadlines and completion dates as plans and reports write them."""

from __future__ import annotations

import calendar
import json
import random
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
    parse_extension,
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


@pytest.mark.parametrize(
    "text",
    [
        "tháng 6",
        "Quý III",
        "6 tháng đầu năm",
        "Cả năm",
        "Chậm nhất ngày 15/3",
        "Tháng 11 và 12",
        "Quý II-III",
    ],
)
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


# --- ranges and lists of months, quarters and dates: due at the end of the latest one ------------------


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Tháng 10-12/2022", date(2022, 12, 31)),
        ("Tháng 3 - 6/2022", date(2022, 6, 30)),
        ("Quý II-III/2022", date(2022, 9, 30)),
        ("Quý III - IV/2022", date(2022, 12, 31)),
        ("Quý II, III/2022", date(2022, 9, 30)),
        ("Tháng 9, 10/2022", date(2022, 10, 31)),
        ("Tháng 11 và 12", date(2022, 12, 31)),
        ("Thang 10-12/2022", date(2022, 12, 31)),
        ("QUY II-III", date(2022, 9, 30)),
        ("QUÝ III — IV/2022", date(2022, 12, 31)),
        (unicodedata.normalize("NFD", "Tháng 3 – 6/2022"), date(2022, 6, 30)),
    ],
)
def test_month_and_quarter_spans_are_due_at_the_end_of_the_last(text: str, due: date) -> None:
    deadline = parse_deadline(text, 2022)
    kind = DueKind.QUARTER if "quy" in _strip_marks(text).lower() else DueKind.MONTH
    assert deadline == Deadline(unicodedata.normalize("NFC", text), kind, due)


@pytest.mark.parametrize(
    ("text", "default_year", "kind", "due"),
    [
        # the year written at the end applies to the parts before it, whatever the default year
        ("Từ tháng 3 đến tháng 6/2022", 2023, DueKind.MONTH, date(2022, 6, 30)),
        ("Quý I đến quý II năm 2022", 2023, DueKind.QUARTER, date(2022, 6, 30)),
        ("15/3 - 30/6/2022", 2023, DueKind.DATE, date(2022, 6, 30)),
        ("Từ 15/3 đến 30/6/2022", None, DueKind.DATE, date(2022, 6, 30)),
        ("ngày 15 tháng 3 đến ngày 30 tháng 6 năm 2022", 2023, DueKind.DATE, date(2022, 6, 30)),
        # ... and a year written before a year-less part goes on after it
        ("Tháng 3 năm 2022 - tháng 6", 2023, DueKind.MONTH, date(2022, 6, 30)),
        ("Từ 15/3/2022 đến 30/6", 2023, DueKind.DATE, date(2022, 6, 30)),
        # across years
        ("Tháng 11/2022 - 2/2023", 2022, DueKind.MONTH, date(2023, 2, 28)),
        ("Tháng 11 - 2/2023", 2023, DueKind.MONTH, date(2023, 2, 28)),
        ("Quý IV/2022 - I/2023", 2022, DueKind.QUARTER, date(2023, 3, 31)),
        ("Quý IV - I/2023", 2023, DueKind.QUARTER, date(2023, 3, 31)),
        ("15/11 - 28/2/2023", 2023, DueKind.DATE, date(2023, 2, 28)),
        (
            "Tháng 11 - 2",
            2022,
            DueKind.MONTH,
            date(2023, 2, 28),
        ),  # a year-less span starts in the default year
        # a "/" between numbers stays a date: "10/11/2022" is the 10th of November
        ("Tháng 10/11/2022", 2022, DueKind.DATE, date(2022, 11, 10)),
        ("Quý II/III/2022", 2022, DueKind.QUARTER, date(2022, 9, 30)),
        # a count after a comma is not a further month: "15 ngày" is fifteen days
        ("Tháng 6, 15 ngày", 2022, DueKind.MONTH, date(2022, 6, 30)),
    ],
)
def test_spans_end_at_the_latest_end(text: str, default_year: int | None, kind: DueKind, due: date) -> None:
    assert parse_deadline(text, default_year) == Deadline(text, kind, due)


def _outcome(text: str, default_year: int | None) -> tuple:
    try:
        deadline = parse_deadline(text, default_year)
    except InvalidDate as error:
        return ("InvalidDate", str(error))
    return (deadline.kind, deadline.due_date)


@pytest.mark.parametrize(
    ("span", "single"),
    [
        ("Tháng 10-13/2022", "Tháng 13/2022"),
        ("Tháng 9, 13 năm 2022", "Tháng 13 năm 2022"),
        ("Tháng 11 và 13", "Tháng 13"),
        ("Quý II-V/2022", "Quý V/2022"),
        ("Quý II, V năm 2022", "Quý V năm 2022"),
        ("Quý 2 - 5/2022", "Quý 5/2022"),
        ("Quý III - VI", "Quý VI"),
    ],
)
@pytest.mark.parametrize("default_year", [2022, None])
def test_a_span_with_an_impossible_part_is_refused_as_that_part_alone(
    span: str, single: str, default_year: int | None
) -> None:
    """Month 13 is an error and "Quý V" is not read, inside a span as on its own: never the first part only."""
    outcome = _outcome(span, default_year)
    assert outcome == _outcome(single, default_year)
    assert outcome[0] in ("InvalidDate", DueKind.UNPARSED, DueKind.YEAR)


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_RANGE_JOINS = ("-", " - ", "–", " – ", " — ", " đến ", " đến hết ", " tới ")
_LIST_JOINS = (", ", ",", " và ", ", và ")
_YEAR_FORMS = ("/{}", " năm {}", "/ {}", ".{}")
_ROMAN_NUMERALS = ("I", "II", "III", "IV")


def _span_parts(rng: random.Random, top: int, years_written: str, written: int, default_year: int):
    """The (year, number) of every part of a span and how each part is joined to the one before."""
    count = 2 if years_written == "wrap" else rng.randint(2, 4)
    joins = [rng.choice(("range", "list")) for _ in range(count - 1)]
    if years_written == "wrap":  # a range running backwards across the new year: "Tháng 11 - 2/2023"
        first = rng.randint(2, top)
        return [(written - 1, first), (written, rng.randint(1, first - 1))], ["range"]
    if years_written == "each":  # every part with its year, in time order, maybe across a new year
        start = rng.randint(0, top - 1)
        steps = sorted(rng.sample(range(top + 3), count))
        return [(written + (start + step) // top, (start + step) % top + 1) for step in steps], joins
    numbers = sorted(rng.sample(range(1, top + 1), count))
    if set(joins) == {"list"}:
        rng.shuffle(numbers)  # a list need not be in order
    return [(written if years_written == "end" else default_year, n) for n in numbers], joins


def _join(join: str, slash: bool, after_dash: bool, rng: random.Random) -> str:
    choices = _RANGE_JOINS if join == "range" else _LIST_JOINS + (("/",) if slash else ())
    if after_dash:  # "T 1-6-11" reads as the date 1/6/2011, "Tháng 10-12-2022" as 10/12/2022
        choices = tuple(c for c in choices if not any(dash in c for dash in "-–—"))
    return rng.choice(choices)


def _generated_span(rng: random.Random) -> tuple[str, int, DueKind, date, tuple]:
    """A month or quarter range / list as staff write it, its default year, and its kind and due date
    computed apart from the parser: the end of the latest part."""
    kind = rng.choice((DueKind.MONTH, DueKind.QUARTER))
    numerals = rng.choice(("roman", "arabic")) if kind is DueKind.QUARTER else "arabic"
    years_written = rng.choice(("end", "absent", "each", "wrap"))
    written = rng.randint(2018, 2025)
    default_year = rng.choice((written - 1, written, written + 1))
    parts, joins = _span_parts(
        rng, 4 if kind is DueKind.QUARTER else 12, years_written, written, default_year
    )
    word = "Quý" if kind is DueKind.QUARTER else rng.choice(("Tháng", "Tháng", "T"))
    repeated = word if word == "T" else f"{word} "
    year_form = rng.choice(_YEAR_FORMS + ((" - {}",) if numerals == "roman" else ()))
    slash = numerals == "roman" and years_written in (
        "end",
        "absent",
    )  # "Quý II/III/2022"; "Quý 2/3" is a date
    text = (
        rng.choice(("", "", "Từ ", "Trong ", "Hoàn thành trong ", "Dự kiến ")) + word + rng.choice(("", " "))
    )
    joined = ""
    for i, (year, number) in enumerate(parts):
        if i:
            joined = _join(joins[i - 1], slash, any(dash in joined for dash in "-–—"), rng)
            text += joined + (repeated if rng.random() < 0.3 else "")
        if kind is DueKind.QUARTER:
            text += _ROMAN_NUMERALS[number - 1] if numerals == "roman" else str(number)
        else:
            text += f"{number:02d}" if rng.random() < 0.2 else str(number)
        if years_written == "each" or (years_written in ("end", "wrap") and i == len(parts) - 1):
            text += year_form.format(year)
    text = rng.choice((str, str.upper, str.lower))(text + rng.choice(("", "", ".", " (dự kiến)")))
    text = _strip_marks(text) if rng.random() < 0.3 else text
    text = unicodedata.normalize("NFD", text) if rng.random() < 0.3 else text
    year, number = max(parts)
    due = _month_end(year, number) if kind is DueKind.MONTH else _month_end(year, 3 * number)
    return text, default_year, kind, due, (kind, numerals, years_written, *joins)


def test_generated_spans_are_due_at_the_end_of_the_latest_part() -> None:
    """Ranges and lists of months / quarters in many spellings: due at the end of the latest part, in
    the year written after it (else the default year), never at the end of the first part."""
    rng = random.Random(20221231)
    cases = [_generated_span(rng) for _ in range(800)]
    covered = {feature for *_, features in cases for feature in features}
    assert covered >= {DueKind.MONTH, DueKind.QUARTER, "roman", "arabic", "end", "absent", "each", "wrap"}
    assert covered >= {"range", "list"}
    wrong = []
    for text, default_year, kind, due, _ in cases:
        try:
            got = parse_deadline(text, default_year)
        except InvalidDate as error:
            got = error
        if got != Deadline(" ".join(unicodedata.normalize("NFC", text).split()), kind, due):
            wrong.append(f"{text!r} (năm mặc định {default_year}): {got}, cần {kind} {due}")
    assert not wrong, f"{len(wrong)}/{len(cases)} sai, ví dụ:\n" + "\n".join(wrong[:15])


@pytest.mark.parametrize("text", ["Tháng 12-22", "T12-22", "tháng 12 - 22"])
def test_a_month_and_a_two_digit_year_after_a_dash_stay_that_month(text: str):
    """ "Tháng 12-22" was always December of the report's year: a number over 12 after a dash, with no
    year of its own, is not a month of a range (which would be month 22, an error)."""
    deadline = parse_deadline(text, 2022)
    assert (deadline.kind, deadline.due_date) == ("month", date(2022, 12, 31))


_ROMAN_Q = {1: "I", 2: "II", 3: "III", 4: "IV"}


@pytest.mark.parametrize("year", [2019, 2022, 2025])
def test_short_forms_of_a_month_or_a_quarter_are_that_period(year: int) -> None:
    """ "6/2022" is June (a day and a month never come before a year of four digits), "Q3/2022" the third
    quarter, as their long forms are; in any case, Unicode form and blank spacing."""
    for month in range(1, 13):
        for text in (f"{month}/{year}", f"{month:02d}/{year}", f"{month} - {year}", f"Trước {month}/{year}"):
            deadline = parse_deadline(text, 2022)
            last = calendar.monthrange(year, month)[1]
            assert (deadline.kind, deadline.due_date) == (DueKind.MONTH, date(year, month, last)), text
    for quarter in range(1, 5):
        for text in (f"Q{quarter}/{year}", f"q {quarter}/{year}", f"Q.{_ROMAN_Q[quarter]}/{year}",
                     f"Q{_ROMAN_Q[quarter]}-{year}", f"Trước Q{quarter}/{year}"):  # fmt: skip
            deadline = parse_deadline(text, 2022)
            end = date(year, 3 * quarter, calendar.monthrange(year, 3 * quarter)[1])
            assert (deadline.kind, deadline.due_date) == (DueKind.QUARTER, end), text


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("Trong năm", DueKind.YEAR, date(2022, 12, 31)),
        ("Cuối năm", DueKind.YEAR, date(2022, 12, 31)),
        ("CUỐI NĂM 2023", DueKind.YEAR, date(2023, 12, 31)),
        ("Năm 2022 - 2023", DueKind.YEAR, date(2023, 12, 31)),
        ("Năm 2022 đến năm 2025", DueKind.YEAR, date(2025, 12, 31)),
        ("Giữa năm 2023", DueKind.HALF, date(2023, 6, 30)),
        ("Giữa năm", DueKind.HALF, date(2022, 6, 30)),
        ("13/2022", DueKind.UNPARSED, None),  # no month 13: left as written, with its warning
        ("Quý 2 - 5/2022", DueKind.UNPARSED, None),  # a span with no quarter 5 is not read as its start
    ],
)
def test_years_spans_and_parts_of_the_year(text: str, kind: DueKind, due: date | None) -> None:
    deadline = parse_deadline(text, 2022)
    assert (deadline.kind, deadline.due_date) == (kind, due)


@pytest.mark.parametrize("lead", ["", "Đã hoàn thành ngày ", "Hoàn thành vào ngày ", "Xong ngày ", "Ngày "])
@pytest.mark.parametrize("written", ["20/8/2022", "20/08/2022", "20-8-2022", "20.8.2022"])
@pytest.mark.parametrize("note", ["", " (Văn bản số 12/BC-STTTT)", " (theo KH)."])
def test_a_date_done_with_words_around_it_is_that_date(lead: str, written: str, note: str) -> None:
    assert parse_date(f"{lead}{written}{note}", 2022) == date(2022, 8, 20)


@pytest.mark.parametrize(
    ("written", "extended"),
    [
        ("Gia hạn đến 31/12/2022", date(2022, 12, 31)),
        ("Đến hết ngày 30/9/2022", date(2022, 9, 30)),
        ("Kéo dài đến 15/11/2022", date(2022, 11, 15)),
        ("Quý IV/2022", date(2022, 12, 31)),
        ("Tháng 12/2022", date(2022, 12, 31)),
        ("6 tháng cuối năm", date(2022, 12, 31)),
        ("-", None),
        ("—", None),
        ("Không", None),
        ("", None),
    ],
)
def test_an_extension_is_a_date_or_the_end_of_a_period(written: str, extended: date | None) -> None:
    assert parse_extension(written, 2022) == extended


@pytest.mark.parametrize(
    "written",
    ["Đề nghị gia hạn đến 30/6/2023", "Đề nghị gia hạn đến Quý IV/2022", "Thường xuyên", "Chờ ý kiến"],
)
def test_a_proposal_or_other_text_is_no_extension(written: str) -> None:
    with pytest.raises(NotADate):
        parse_extension(written, 2022)
