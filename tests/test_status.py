"""Status words, x-marks, percentages and the status classes of charts."""

from __future__ import annotations

import re
import unicodedata

import pytest

from etl.vocab.status import (
    ALLOWED_STATUS_WORDS,
    STATUS_CLASS_COLORS,
    STATUS_CLASS_LABELS,
    STATUS_CLASS_ORDER,
    BadPercent,
    Status,
    StatusClass,
    UnknownStatus,
    derive_status,
    is_mark,
    parse_percent,
    parse_status,
)


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Đã hoàn thành", Status.DONE),
        ("Hoàn thành", Status.DONE),
        ("HT", Status.DONE),
        ("ht", Status.DONE),
        ("Xong", Status.DONE),
        ("Đã xong", Status.DONE),
        ("Hoàn thành đúng hạn", Status.DONE),
        ("Hoàn thành quá hạn", Status.DONE),
        ("ĐÃ HOÀN THÀNH", Status.DONE),
        ("da hoan thanh", Status.DONE),
        ("  Đã hoàn thành.  ", Status.DONE),
        ("Hoàn thành!", Status.DONE),
        ("Đang thực hiện", Status.IN_PROGRESS),
        ("Đang triển khai", Status.IN_PROGRESS),
        ("Đang tiến hành", Status.IN_PROGRESS),
        ("Đang làm", Status.IN_PROGRESS),
        ("DANG THUC HIEN", Status.IN_PROGRESS),
        ("Chưa thực hiện", Status.NOT_STARTED),
        ("Chưa triển khai", Status.NOT_STARTED),
        ("Chưa làm", Status.NOT_STARTED),
        ("chưa  thực   hiện;", Status.NOT_STARTED),
        ("Tạm dừng", Status.SUSPENDED),
        ("Tạm dừng thực hiện", Status.SUSPENDED),
        ("Không thực hiện", Status.SUSPENDED),
        ("Đề nghị điều chỉnh", Status.SUSPENDED),
        ("Dừng thực hiện", Status.SUSPENDED),
    ],
)
def test_parse_status_words(word: str, status: Status) -> None:
    assert parse_status(word) is status


@pytest.mark.parametrize("word", ["Đã hoàn thành", "Đang triển khai", "Chưa thực hiện", "Tạm dừng"])
def test_parse_status_accepts_decomposed_unicode(word: str) -> None:
    assert parse_status(unicodedata.normalize("NFD", word)) is parse_status(word)
    assert parse_status(unicodedata.normalize("NFD", word)) is not None


@pytest.mark.parametrize("blank", [None, "", "   ", float("nan")])
def test_parse_status_blank(blank: object) -> None:
    assert parse_status(blank) is None


@pytest.mark.parametrize("value", ["abc", "Hoàn thành 50%", "Hoàn thành một phần", "Đang", "x", 5, True])
def test_unknown_status_lists_allowed_words(value: object) -> None:
    with pytest.raises(UnknownStatus) as error:
        parse_status(value)
    message = str(error.value)
    assert message.startswith(f"Tình trạng '{value}' không hợp lệ.")
    for word in ("Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Tạm dừng"):
        assert word in message
    assert error.value.value == value


def test_allowed_words_parse_back_to_their_status() -> None:
    assert ALLOWED_STATUS_WORDS == {
        Status.DONE: "Đã hoàn thành",
        Status.IN_PROGRESS: "Đang thực hiện",
        Status.NOT_STARTED: "Chưa thực hiện",
        Status.SUSPENDED: "Tạm dừng",
    }
    for status, word in ALLOWED_STATUS_WORDS.items():
        assert parse_status(word) is status


@pytest.mark.parametrize("value", ["x", "X", " x ", "✓", "✔", "v", "V", "1", True, 1, 1.0])
def test_is_mark_true(value: object) -> None:
    assert is_mark(value) is True


@pytest.mark.parametrize("value", [None, "", " ", "0", 0, False, "o", "xx", "Đã hoàn thành", 2])
def test_is_mark_false(value: object) -> None:
    assert is_mark(value) is False


@pytest.mark.parametrize(
    ("value", "as_fraction", "expected"),
    [
        (75, False, 75.0),
        (75.0, False, 75.0),
        ("75", False, 75.0),
        ("75%", False, 75.0),
        ("62,5%", False, 62.5),
        ("62.5 %", False, 62.5),
        (" 100 % ", False, 100.0),
        (0, False, 0.0),
        (0.75, True, 75.0),
        (0.625, True, 62.5),
        (1, True, 100.0),
        (0.07, True, 7.0),
        (0.33333, True, 33.33),
        ("75%", True, 75.0),
        (33.333333, False, 33.33),
        (None, False, None),
        ("", True, None),
        (float("nan"), False, None),
    ],
)
def test_parse_percent(value: object, as_fraction: bool, expected: float | None) -> None:
    assert parse_percent(value, as_fraction) == expected


@pytest.mark.parametrize(
    ("value", "as_fraction", "message"),
    [
        (150, False, "Tiến độ 150 nằm ngoài khoảng 0–100%"),
        ("150", False, "Tiến độ 150 nằm ngoài khoảng 0–100%"),
        ("150%", True, "Tiến độ 150% nằm ngoài khoảng 0–100%"),
        (1.5, True, "Tiến độ 150 nằm ngoài khoảng 0–100%"),
        (-5, False, "Tiến độ -5 nằm ngoài khoảng 0–100%"),
        (100.5, False, "Tiến độ 100,5 nằm ngoài khoảng 0–100%"),
        ("abc", False, "Tiến độ 'abc' không phải là số"),
        ("75 phần trăm", False, "Tiến độ '75 phần trăm' không phải là số"),
        ("62,5,5", False, "Tiến độ '62,5,5' không phải là số"),
        (True, False, "Tiến độ 'True' không phải là số"),
    ],
)
def test_bad_percent(value: object, as_fraction: bool, message: str) -> None:
    with pytest.raises(BadPercent) as error:
        parse_percent(value, as_fraction)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize(
    ("status", "percent", "expected"),
    [
        (Status.SUSPENDED, 40.0, Status.SUSPENDED),
        (Status.IN_PROGRESS, 100.0, Status.IN_PROGRESS),
        (Status.DONE, None, Status.DONE),
        (None, 100.0, Status.DONE),
        (None, 0.0, Status.NOT_STARTED),
        (None, 62.5, Status.IN_PROGRESS),
        (None, 0.5, Status.IN_PROGRESS),
        (None, None, None),
    ],
)
def test_derive_status(status: Status | None, percent: float | None, expected: Status | None) -> None:
    assert derive_status(status, percent) is expected


def test_status_class_labels_follow_domain() -> None:
    assert STATUS_CLASS_LABELS == {
        StatusClass.DONE_ON_TIME: "Hoàn thành đúng hạn",
        StatusClass.DONE_LATE: "Hoàn thành quá hạn",
        StatusClass.DONE_UNDATED: "Hoàn thành (chưa rõ ngày)",
        StatusClass.IN_PROGRESS: "Đang thực hiện trong hạn",
        StatusClass.NOT_STARTED: "Chưa thực hiện (trong hạn)",
        StatusClass.OVERDUE: "Quá hạn chưa hoàn thành",
        StatusClass.SUSPENDED: "Tạm dừng / đề nghị điều chỉnh",
        StatusClass.NO_REPORT: "Chưa báo cáo",
    }


def test_status_class_colors_are_conventional_and_distinct() -> None:
    assert STATUS_CLASS_COLORS[StatusClass.DONE_ON_TIME] == "#2e7d32"
    assert STATUS_CLASS_COLORS[StatusClass.DONE_LATE] == "#ef6c00"
    assert STATUS_CLASS_COLORS[StatusClass.IN_PROGRESS] == "#1565c0"
    assert STATUS_CLASS_COLORS[StatusClass.NOT_STARTED] == "#c2c2c2"
    assert STATUS_CLASS_COLORS[StatusClass.OVERDUE] == "#c62828"
    assert STATUS_CLASS_COLORS[StatusClass.NO_REPORT] == "#616161"
    assert set(STATUS_CLASS_COLORS) == set(StatusClass)
    assert len(set(STATUS_CLASS_COLORS.values())) == len(StatusClass)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", color) for color in STATUS_CLASS_COLORS.values())


def test_the_two_greys_are_far_apart_in_lightness() -> None:
    """Not started and no report are both grey: on a washed-out projector only lightness tells them apart."""

    def lightness(color: str) -> float:
        return sum(int(color[i : i + 2], 16) for i in (1, 3, 5)) / (3 * 255)

    greys = STATUS_CLASS_COLORS[StatusClass.NOT_STARTED], STATUS_CLASS_COLORS[StatusClass.NO_REPORT]
    assert abs(lightness(greys[0]) - lightness(greys[1])) > 0.35


def test_status_class_order() -> None:
    assert [str(c) for c in STATUS_CLASS_ORDER] == [
        "done_on_time",
        "done_late",
        "done_undated",
        "in_progress",
        "not_started",
        "overdue",
        "suspended",
        "no_report",
    ]


_PHRASES = [
    ("Hoàn thành 100%", Status.DONE),
    ("Đã hoàn thành (ngày 15/7/2022)", Status.DONE),
    ("Hoàn thành (chậm tiến độ)", Status.DONE),
    ("Đã hoàn thành đúng tiến độ", Status.DONE),
    ("Đã HT", Status.DONE),
    ("Đã thực hiện", Status.DONE),
    ("Đang thực hiện 50%", Status.IN_PROGRESS),
    ("Đang triển khai thực hiện", Status.IN_PROGRESS),
    ("Đang TH", Status.IN_PROGRESS),
    ("Chưa hoàn thành", Status.IN_PROGRESS),
    ("Chưa thực hiện do thiếu kinh phí", Status.NOT_STARTED),
    ("Chưa TH", Status.NOT_STARTED),
    ("Tạm hoãn", Status.SUSPENDED),
    ("Không triển khai", Status.SUSPENDED),
    ("Tạm dừng theo chỉ đạo của UBND tỉnh", Status.SUSPENDED),
]


def _written(phrase: str, variant: int) -> str:
    """The phrase as another office types it: capitals, NFD, a dot after, blanks around."""
    forms = (
        phrase,
        phrase.upper(),
        unicodedata.normalize("NFD", phrase),
        f"  {phrase}. ",
        phrase.lower(),
    )
    return forms[variant]


@pytest.mark.parametrize(("phrase", "status"), _PHRASES)
@pytest.mark.parametrize("variant", range(5))
def test_a_status_word_said_more_of_keeps_its_status(phrase: str, status: Status, variant: int) -> None:
    assert parse_status(_written(phrase, variant)) is status


@pytest.mark.parametrize("tail", ["50%", "được 60%", "một phần", "30 %", "(80%)"])
@pytest.mark.parametrize("word", ["Hoàn thành", "Đã hoàn thành", "HT"])
def test_done_followed_by_less_than_all_is_not_done(word: str, tail: str) -> None:
    """ "Hoàn thành 50%" is half done: the person is asked to write the status instead."""
    with pytest.raises(UnknownStatus):
        parse_status(f"{word} {tail}")


@pytest.mark.parametrize("tick", ["√", "×", "(x)", "[X]", "x.", " ( x ) "])
def test_ticks_as_offices_write_them_are_marks(tick: str) -> None:
    assert is_mark(tick)


@pytest.mark.parametrize("text", ["ü", "xx", "x y", "(a)", "-"])
def test_other_short_texts_are_no_marks(text: str) -> None:
    assert not is_mark(text)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("-", None),
        ("—", None),
        ("...", None),
        ("Đạt 80%", 80.0),
        ("100%.", 100.0),
        ("~70%", 70.0),
        ("Khoảng 70 %", 70.0),
        ("đạt 62,5%", 62.5),
    ],  # fmt: skip
)
def test_percent_placeholders_and_approximations(written: str, expected: float | None) -> None:
    assert parse_percent(written, as_fraction=False) == expected
