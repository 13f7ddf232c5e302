"""Transformations of how values are written: units, status, percent, dates, deadlines, sheets, formats."""

from __future__ import annotations

import random
from calendar import monthrange
from collections.abc import Callable
from datetime import date

from tests.metamorphic.layout import ROMAN
from tests.metamorphic.registry import TRANSFORMS, Apply, Transform, no_diacritics, old_tones, transform
from tests.metamorphic.truth import ReportTruth, TaskTruth

# --- units ------------------------------------------------------------------------------------------


@transform("units")
def units_comma(truth, layout, rng):
    layout.unit_sep = ", "


@transform("units")
def units_newlines(truth, layout, rng):
    layout.unit_sep = "\n"


@transform("units")
def units_bullets(truth, layout, rng):
    layout.unit_sep = "bullets"


@transform("units")
def units_va(truth, layout, rng):
    layout.unit_sep = "va"


_ABBREVIATIONS = (
    ("Sở Thông tin và Truyền thông", "Sở TT&TT"),
    ("Văn hóa, Thể thao và Du lịch", "VH,TT&DL"),
    ("Kế hoạch và Đầu tư", "KH&ĐT"),
    ("Giáo dục và Đào tạo", "GD&ĐT"),
    ("Tài nguyên và Môi trường", "TN&MT"),
    ("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "BCH BĐBP tỉnh"),
    ("Đài Phát thanh và Truyền hình", "Đài PT-TH"),
    ("Cổng Thông tin điện tử", "Cổng TTĐT"),
    ("Ban Tuyên giáo", "BTG"),
    ("Ủy ban nhân dân", "UBND"),
    ("thị xã", "TX"),
)


def abbreviate(name: str) -> str:
    for long, short in _ABBREVIATIONS:
        name = name.replace(long, short)
    return name


@transform("units")
def units_abbreviated(truth, layout, rng):
    layout.unit_styles.append(abbreviate)


@transform("units")
def units_no_diacritics(truth, layout, rng):
    layout.unit_styles.append(no_diacritics)


@transform("units")
def units_old_tones(truth, layout, rng):
    layout.unit_styles.append(old_tones)


# --- status, percent, dates -------------------------------------------------------------------------


@transform("values")
def status_case_and_dot(truth, layout, rng):
    style = rng.choice((str.upper, str.lower, str.capitalize))
    layout.status_style = lambda word: style(word) + "."


@transform("values")
def status_synonyms(truth, layout, rng):
    layout.status_words.update(
        done=rng.choice(("Hoàn thành", "HT", "Đã xong")),
        in_progress=rng.choice(("Đang triển khai", "Đang tiến hành")),
        not_started=rng.choice(("Chưa triển khai", "Chưa tiến hành")),
        suspended=rng.choice(("Tạm dừng thực hiện", "Đề nghị điều chỉnh", "Tạm ngừng")),
    )


@transform("values")
def status_blank_with_percent(truth, layout, rng):
    layout.blank_status = True


@transform("values")
def percent_fraction(truth, layout, rng):
    layout.percent_style = "fraction"


@transform("values")
def percent_text(truth, layout, rng):
    layout.percent_style = "text"


@transform("values")
def percent_text_space(truth, layout, rng):
    layout.percent_style = "text_space"


@transform("values")
def percent_decimal_comma(truth, layout, rng):
    """Half-points printed with a decimal comma ("62,5%"): the truth's percent moves by 0.5."""
    layout.percent_style = "comma"
    for task in truth.tasks:
        pct = task.fields.get("percent")
        if pct is not None and 1 <= pct <= 99:
            task.fields["percent"] = pct - 0.5


def _dates(style: str) -> Apply:
    def apply(truth, layout, rng):
        layout.date_style = style

    return apply


@transform("values")
def due_dates_as_datetime(truth, layout, rng):
    """Deadlines typed as date cells carry a time of day."""
    layout.due_date_style = "datetime"


for _style in ("datetime", "slash", "dot", "dash", "words"):
    TRANSFORMS[f"dates_{_style}"] = Transform(f"dates_{_style}", _dates(_style), "values")


# --- deadlines --------------------------------------------------------------------------------------


def _printed_due(task: TaskTruth) -> date | None:
    f = task.fields
    value = f.get("due_date_original") or f.get("due_date")
    return date.fromisoformat(value) if value else None


def _rewrite_due(
    truth: ReportTruth, rng: random.Random, form: Callable[[date, int, random.Random], str | None]
):
    for task in truth.tasks:
        due = _printed_due(task)
        if due is not None and not task.fields["recurring"]:
            text = form(due, truth.year, rng)
            if text is not None:
                task.fields["due_text"] = text


def _month_end(d: date) -> bool:
    return d.day == monthrange(d.year, d.month)[1]


@transform("deadline")
def deadline_months(truth, layout, rng):
    def form(d, year, rng):
        if not _month_end(d):
            return None
        forms = [f"T{d.month}/{d.year}", f"Tháng {d.month}/{d.year}", f"tháng {d.month:02d} năm {d.year}"]
        return rng.choice(forms + ([f"Tháng {d.month}"] if d.year == year else []))

    _rewrite_due(truth, rng, form)


@transform("deadline")
def deadline_quarters(truth, layout, rng):
    def form(d, year, rng):
        if not (_month_end(d) and d.month % 3 == 0):
            return None
        q = d.month // 3
        return rng.choice((f"Quý {q}/{d.year}", f"Quý {ROMAN[q - 1]}/{d.year}", f"quý {q} năm {d.year}"))

    _rewrite_due(truth, rng, form)


@transform("deadline")
def deadline_quarter_no_year(truth, layout, rng):
    def form(d, year, rng):
        if not (_month_end(d) and d.month % 3 == 0 and d.year == year):
            return None
        return rng.choice((f"Quý {ROMAN[d.month // 3 - 1]}", f"Trong quý {d.month // 3}"))

    _rewrite_due(truth, rng, form)


@transform("deadline")
def deadline_dates(truth, layout, rng):
    def form(d, year, rng):
        return rng.choice(
            (
                f"Trước {d.day}/{d.month}/{d.year}",
                f"Trước ngày {d.day:02d}/{d.month:02d}/{d.year}",
                f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}",
                f"{d.day:02d}.{d.month:02d}.{d.year}",
                f"{d.day}-{d.month}-{d.year}",
                f"Chậm nhất ngày {d.day}/{d.month}/{d.year}",
            )
        )

    _rewrite_due(truth, rng, form)


@transform("deadline")
def deadline_periods(truth, layout, rng):
    def form(d, year, rng):
        if d.year != year:
            return None
        if (d.month, d.day) == (6, 30):
            return rng.choice(("6 tháng đầu năm", f"6 tháng đầu năm {year}"))
        if (d.month, d.day) == (9, 30):
            return f"9 tháng đầu năm {year}"
        if (d.month, d.day) == (12, 31):
            return rng.choice(("Cả năm", f"Trong năm {year}", f"6 tháng cuối năm {year}", f"Năm {year}"))
        return None

    _rewrite_due(truth, rng, form)


@transform("deadline")
def deadline_month_spans(truth, layout, rng):
    """A span of months is due at the end of the last one: "Từ tháng 3 đến tháng 6/2022", "Tháng 8-9/2022"."""

    def form(d, year, rng):
        if not _month_end(d) or d.month == 1:
            return None
        return rng.choice(
            (
                f"Từ tháng {d.month - 1} đến tháng {d.month}/{d.year}",
                f"Tháng {d.month - 1} - tháng {d.month}/{d.year}",
            )
        )

    _rewrite_due(truth, rng, form)


@transform("deadline")
def deadline_on_demand(truth, layout, rng):
    """Every third dated task becomes on demand: no due date, never overdue."""
    words = ("Theo chỉ đạo", "Khi có yêu cầu", "Đột xuất", "Theo chỉ đạo của UBND tỉnh")
    for task in truth.tasks[::3]:
        f = task.fields
        if not f["recurring"] and f.get("due_date_original") is None:
            f.update(due_text=rng.choice(words), due_date=None)


@transform("deadline")
def deadline_recurring(truth, layout, rng):
    words = ("Hàng quý", "Định kỳ hàng quý", "Thường xuyên trong năm", "Hằng năm", "Định kỳ 6 tháng")
    for task in truth.tasks:
        if task.fields["recurring"]:
            task.fields["due_text"] = rng.choice(words)


# --- sheets and formats -----------------------------------------------------------------------------


@transform("sheets")
def sheet_per_lead_unit(truth, layout, rng):
    layout.per_unit_sheets = True


@transform("sheets")
def sheet_per_lead_unit_one_title(truth, layout, rng):
    """One sheet per lead unit, the title block on the first one only."""
    layout.per_unit_sheets = True
    layout.block_on_every_sheet = False


@transform("sheets")
def visible_copy_sheet(truth, layout, rng):
    """A visible copy of the report sheet after it ("Báo cáo (2)"), left over from editing."""
    layout.visible_copy = True


@transform("sheets")
def stale_hidden_sheets(truth, layout, rng):
    layout.stale_sheets = True


def _format(fmt: str) -> Apply:
    def apply(truth, layout, rng):
        layout.fmt = fmt

    return apply


for _fmt in (
    "xlsx_openpyxl",
    "xls",
    "ods",
    "csv_utf8",
    "csv_bom",
    "csv_1258_semicolon",
    "csv_1258_comma",
    "xls_as_xlsx",
):
    TRANSFORMS[f"format_{_fmt}"] = Transform(f"format_{_fmt}", _format(_fmt), "format")
