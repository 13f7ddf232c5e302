"""Reported status words, x-marks, progress percentages, and the status classes shown on charts.

Status words are matched on ``key`` (lower ASCII without diacritics or punctuation), so "ĐÃ HOÀN
THÀNH", "da hoan thanh." and the NFD form of "Đã hoàn thành" are the same word.
"""

from __future__ import annotations

import math
import numbers
import re
from enum import StrEnum

from etl.vocab.text import fold, key, nfc


class Status(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    SUSPENDED = "suspended"


ALLOWED_STATUS_WORDS: dict[Status, str] = {
    Status.DONE: "Đã hoàn thành",
    Status.IN_PROGRESS: "Đang thực hiện",
    Status.NOT_STARTED: "Chưa thực hiện",
    Status.SUSPENDED: "Tạm dừng",
}

_WORDS: dict[Status, tuple[str, ...]] = {
    Status.DONE: (
        "Đã hoàn thành",
        "Hoàn thành",
        "HT",
        "Xong",
        "Đã xong",
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Đã hoàn thành đúng hạn",
        "Đã hoàn thành quá hạn",
        "Hoàn thành trước hạn",
        "Đã thực hiện xong",
        "Đã thực hiện",
        "Hoàn thành chậm",
        "Đã hoàn thành chậm",
        "Đã HT",
    ),
    Status.IN_PROGRESS: (
        "Đang thực hiện",
        "Đang triển khai",
        "Đang tiến hành",
        "Đang làm",
        "Đang TH",
        "Chưa hoàn thành",  # not finished yet: work under way (percent, if any, says how far)
    ),
    Status.NOT_STARTED: ("Chưa thực hiện", "Chưa triển khai", "Chưa làm", "Chưa tiến hành", "Chưa TH"),
    Status.SUSPENDED: (
        "Tạm dừng",
        "Tạm dừng thực hiện",
        "Tạm ngừng",
        "Tạm hoãn",
        "Hoãn thực hiện",
        "Không thực hiện",
        "Không triển khai",
        "Đề nghị điều chỉnh",
        "Dừng thực hiện",
    ),
}
_BY_KEY: dict[str, Status] = {key(word): status for status, words in _WORDS.items() for word in words}
# the longest word first: "da hoan thanh" before "hoan thanh"
_WORD_KEYS = sorted(_BY_KEY, key=len, reverse=True)
# What may follow a word of done and keep it done: a percent of 100, the day ("ngày 15/7/2022", "(15/7)"),
# or how it was done ("đúng hạn", "chậm tiến độ"); "Hoàn thành 50%" or "Hoàn thành một phần" is no done.
_DONE_TAIL = re.compile(
    r"(?:100|ngay\b.*|vao\b.*|\d{1,2} \d{1,2}(?: \d{2,4})?\b.*|(?:dung|truoc|qua|cham)\b.*"
    r"|theo ke hoach\b.*|tot\b.*|xong\b.*)"
)


class UnknownStatus(ValueError):
    """A status cell whose word is not one of the known status words."""

    def __init__(self, value: object):
        self.value = value
        allowed = "; ".join(ALLOWED_STATUS_WORDS.values())
        super().__init__(
            f"Tình trạng '{nfc(str(value))}' không hợp lệ. Ghi một trong các giá trị: {allowed}."
        )


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def parse_status(value: object) -> Status | None:
    """A reported status word as a ``Status``; None for a blank cell; ``UnknownStatus`` otherwise.

    >>> parse_status("ĐANG TRIỂN KHAI.")
    <Status.IN_PROGRESS: 'in_progress'>
    """
    if _blank(value):
        return None
    if not isinstance(value, str):
        raise UnknownStatus(value)
    found = _BY_KEY.get(k := key(value))
    if found is None and (found := _leading_word(k)) is None:
        raise UnknownStatus(value)
    return found


_FIRST_WORDS = frozenset(word.split(" ", 1)[0] for word in _BY_KEY)


def may_be_status(text: str) -> bool:
    """Whether a text may be a status (``parse_status``): short, opening with a status word's first word;
    a cheap test before reading many cells (most are not).

    >>> may_be_status("Đang thực hiện 50%"), may_be_status("Tổ chức được 2 lớp tập huấn")
    (True, False)
    """
    return len(text) <= 80 and key(text[:16]).split(" ", 1)[0] in _FIRST_WORDS


def _leading_word(k: str) -> Status | None:
    """The status of a cell that opens with a status word and says more after it: "Đang thực hiện 50%",
    "Chưa thực hiện do thiếu kinh phí", "Đã hoàn thành (ngày 15/7/2022)", "Hoàn thành (chậm tiến độ)".
    After a word of done only what keeps it done may follow (``_DONE_TAIL``)."""
    for word in _WORD_KEYS:
        if k.startswith(word) and k[len(word) : len(word) + 1] == " ":
            status = _BY_KEY[word]
            if status is not Status.DONE or _DONE_TAIL.fullmatch(k, len(word) + 1):
                return status  # else a shorter word may be followed by what keeps it done
    return None


def status_word(text: str) -> Status | None:
    """The status a word names, or None: for header labels, where most texts are not status words.

    >>> status_word("Đang thực hiện"), status_word("Ghi chú")
    (<Status.IN_PROGRESS: 'in_progress'>, None)
    """
    return _BY_KEY.get(key(text)) if text else None


_MARKS = {"x", "✓", "✔", "☑", "✅", "√", "×", "✗", "✘", "☒", "v", "1"}


def is_mark(value: object) -> bool:
    """True for a cell ticked with an x-mark ("x", "X", "✓", "✔", "v", "1", True, 1).

    >>> is_mark(" X "), is_mark(""), is_mark(None)
    (True, False, False)
    """
    if value is True:
        return True
    if isinstance(value, str):  # "x", and written as "(x)", "[x]", "x."
        return value.strip().strip("()[].").strip().lower() in _MARKS
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return value == 1
    return False


class BadPercent(ValueError):
    """A progress cell that is not a number from 0 to 100."""


_PERCENT_TEXT = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*(%?)$")
_APPROXIMATELY = re.compile(r"^(?:dat|khoang|uoc(?:dat)?|gan|~|≈)")  # on folded text without blanks
_PLACEHOLDERS = frozenset({"-", "--", "---", "...", "…"})


def shown_number(number: float) -> str:
    """A number as a Vietnamese reader writes it: "50", "12,5", "0,75" (at most two decimals)."""
    return (f"{number:g}" if number == int(number) else f"{number:.2f}".rstrip("0")).replace(".", ",")


def parse_percent(value: object, as_fraction: bool) -> float | None:
    """Progress as a percent from 0 to 100, rounded to 2 decimals; None for a blank cell.

    ``as_fraction`` says the column holds fractions of one (a cell in Excel's % format: 0.75 shows as
    75%); it applies to numbers only. Text is read as typed: "75", "75%", "62,5%", "62.5 %" → 75, 62.5.
    Raises ``BadPercent`` (Vietnamese message) for text that is not a number or a value outside 0-100.

    >>> parse_percent("62,5%", as_fraction=False), parse_percent(0.75, as_fraction=True)
    (62.5, 75.0)
    """
    if _blank(value):
        return None
    # float and int first: the ABC check (numbers.Real) costs more than the rest of a cell
    kind = value.__class__
    if (
        kind is float
        or kind is int
        or (kind is not str and isinstance(value, numbers.Real) and kind is not bool)
    ):
        number = float(value) * (100 if as_fraction else 1)
        shown = None  # written for an error only
    else:
        text = nfc(str(value))
        written = _APPROXIMATELY.sub("", fold(text).replace(" ", "").rstrip("."))  # "Đạt 80%", "~70%"
        if not written or written in _PLACEHOLDERS:  # "-", "—", "...": nothing to report
            return None
        match = _PERCENT_TEXT.match(written)
        if not match or isinstance(value, bool):
            raise BadPercent(
                f"Tiến độ '{text}' không phải là số. Ghi số phần trăm từ 0 đến 100, ví dụ 75 hoặc 75%."
            )
        number = float(match.group(1).replace(",", "."))
        shown = text
    if not (math.isfinite(number) and 0 <= number <= 100):
        if shown is None:
            shown = shown_number(number) if math.isfinite(number) else str(value)
        raise BadPercent(f"Tiến độ {shown} nằm ngoài khoảng 0–100%. Ghi số phần trăm từ 0 đến 100.")
    return round(number, 2)


class StatusClass(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    DONE_UNDATED = "done_undated"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    OVERDUE = "overdue"
    SUSPENDED = "suspended"
    NO_REPORT = "no_report"


STATUS_CLASS_ORDER: list[StatusClass] = list(StatusClass)

STATUS_CLASS_LABELS: dict[StatusClass, str] = {
    StatusClass.DONE_ON_TIME: "Hoàn thành đúng hạn",
    StatusClass.DONE_LATE: "Hoàn thành quá hạn",
    StatusClass.DONE_UNDATED: "Hoàn thành (chưa rõ ngày)",
    StatusClass.IN_PROGRESS: "Đang thực hiện trong hạn",
    StatusClass.NOT_STARTED: "Chưa thực hiện (trong hạn)",
    StatusClass.OVERDUE: "Quá hạn chưa hoàn thành",
    StatusClass.SUSPENDED: "Tạm dừng / đề nghị điều chỉnh",
    StatusClass.NO_REPORT: "Chưa báo cáo",
}

STATUS_CLASS_COLORS: dict[StatusClass, str] = {
    StatusClass.DONE_ON_TIME: "#2e7d32",  # green
    StatusClass.DONE_LATE: "#ef6c00",  # orange
    StatusClass.DONE_UNDATED: "#4f9a94",  # teal, green-grey: done, but not dated
    StatusClass.IN_PROGRESS: "#1565c0",  # blue
    StatusClass.NOT_STARTED: "#c2c2c2",  # light grey (no report: dark grey, hatched in charts)
    StatusClass.OVERDUE: "#c62828",  # red
    StatusClass.SUSPENDED: "#7e6a9e",  # purple-grey
    StatusClass.NO_REPORT: "#616161",  # dark grey
}


def derive_status(status: Status | None, percent: float | None) -> Status | None:
    """The reported status, or one derived from the percent: 100 → done, 0 → not started, else in progress.

    >>> derive_status(None, 100), derive_status(None, 40), derive_status(Status.SUSPENDED, 40)
    (<Status.DONE: 'done'>, <Status.IN_PROGRESS: 'in_progress'>, <Status.SUSPENDED: 'suspended'>)
    """
    if status is not None:
        return status
    if percent is None:
        return None
    if percent >= 100:
        return Status.DONE
    if percent <= 0:
        return Status.NOT_STARTED
    return Status.IN_PROGRESS
