"""Transformations: each changes how a truth is printed, and the truth only where it says so.

A transformation is ``apply(truth, layout, rng)``: it sets layout knobs and, when the printed form
changes what a correct reader extracts (a deadline printed "Quý 3/2022" has that ``due_text``, a
section title in capitals is read in capitals), edits the truth copy it is given.
"""

from __future__ import annotations

import random
import re
import unicodedata
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from tests.metamorphic.render import ROMAN, Layout
from tests.metamorphic.truth import ReportTruth, TaskTruth

Apply = Callable[[ReportTruth, Layout, random.Random], None]


@dataclass(frozen=True)
class Transform:
    name: str
    apply: Apply
    kind: str  # position | block | header | structure | subs | section_style | rows | units | values | deadline …


# Kinds whose transformations replace one another: a mix holds at most one of each.
EXCLUSIVE = ("block", "subs", "section_style", "format")


TRANSFORMS: dict[str, Transform] = {}


def transform(kind: str) -> Callable[[Apply], Apply]:
    def register(fn: Apply) -> Apply:
        TRANSFORMS[fn.__name__] = Transform(fn.__name__, fn, kind)
        return fn

    return register


# --- text styles ------------------------------------------------------------------------------------


def no_diacritics(text: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D")


_OLD_TONES = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "òe": "oè", "óe": "oé"}
_OLD_TONES |= {"ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ", "Ủy": "Uỷ", "ỦY": "UỶ"}


def old_tones(text: str) -> str:
    """Tone marks placed the old way: "hòa" -> "hoà", "Ủy" -> "Uỷ" (open syllables only)."""
    for new, old in _OLD_TONES.items():
        text = re.sub(rf"{new}(?![^\W\d_])", old, text)
    return text


def line_break(text: str) -> str:
    words = text.split(" ")
    half = max(1, len(words) // 2)
    return " ".join(words[:half]) + "\n" + " ".join(words[half:]) if len(words) > 1 else text


# --- position and header block ----------------------------------------------------------------------


@transform("position")
def moved_right(truth, layout, rng):
    layout.left = rng.choice((1, 2, 4))


@transform("position")
def moved_down(truth, layout, rng):
    layout.top = rng.choice((2, 5, 9))


@transform("block")
def title_variants(truth, layout, rng):
    layout.title_variant = rng.choice((1, 2, 3))


@transform("block")
def block_spelled_parent(truth, layout, rng):
    layout.header_block = "spelled"


@transform("block")
def block_summary_title(truth, layout, rng):
    layout.header_block = "summary"


@transform("block")
def block_letter_preamble(truth, layout, rng):
    layout.header_block = "letter"


@transform("block")
def block_none_with_choices(truth, layout, rng):
    """No header block at all: the person uploading says province, unit and period."""
    layout.header_block = "none"
    layout.needs_options = True


@transform("block")
def block_district(truth, layout, rng):
    district = {"Thái Bình": "huyện Đông Hưng", "Tuyên Quang": "huyện Sơn Dương"}[truth.province_legacy]
    truth.extra["district"] = district
    truth.extra["unit_line"] = "PHÒNG VĂN HÓA VÀ THÔNG TIN"
    truth.reporting_unit = f"Phòng Văn hóa và Thông tin {district}"
    layout.header_block = "district"


@transform("block")
def block_party(truth, layout, rng):
    truth.extra["unit_line"] = "BAN TUYÊN GIÁO"
    truth.reporting_unit = "Ban Tuyên giáo Tỉnh ủy"
    layout.header_block = "party"


# --- header cells -----------------------------------------------------------------------------------

SYNONYMS = {
    "stt": ("TT", "Số TT", "Số thứ tự"),
    "title": ("Tên nhiệm vụ", "Nội dung công việc", "Nhiệm vụ", "Nội dung"),
    "lead": ("Cơ quan chủ trì", "Đơn vị chủ trì thực hiện", "Chủ trì"),
    "coord": ("Cơ quan phối hợp", "Đơn vị phối hợp thực hiện", "Phối hợp"),
    "due": ("Thời hạn hoàn thành", "Thời gian thực hiện", "Thời hạn", "Mốc thời gian"),
    "ext": ("Gia hạn đến", "Thời hạn sau gia hạn", "Thời hạn điều chỉnh (nếu có)"),
    "result": ("Kết quả triển khai", "Tình hình thực hiện"),
    "percent": ("Tỷ lệ hoàn thành (%)", "Mức độ hoàn thành (%)", "Tỉ lệ (%)", "% hoàn thành"),
    "status": ("Tình trạng thực hiện", "Trạng thái", "Tình trạng"),
    "completed": ("Ngày hoàn thành thực tế", "Thời gian hoàn thành thực tế"),
    "difficulties": ("Khó khăn", "Tồn tại, hạn chế", "Khó khăn, vướng mắc (nếu có)"),
    "proposals": ("Kiến nghị", "Đề xuất", "Kiến nghị, đề xuất"),
}


@transform("header")
def header_synonyms(truth, layout, rng):
    for key, words in SYNONYMS.items():
        layout.labels[key] = rng.choice(words)


@transform("header")
def header_capitals(truth, layout, rng):
    layout.label_styles.append(str.upper)


@transform("header")
def header_no_diacritics(truth, layout, rng):
    layout.label_styles.append(no_diacritics)


@transform("header")
def header_nfd(truth, layout, rng):
    layout.label_styles.append(lambda t: unicodedata.normalize("NFD", t))


@transform("header")
def header_old_tones(truth, layout, rng):
    layout.labels["ext"] = "Thời hạn điều chỉnh (nếu có)"
    layout.labels["lead"] = "Đơn vị chủ trì (Sở, ban, ngành; Uỷ ban nhân dân huyện)"
    layout.label_styles.append(old_tones)


@transform("header")
def header_line_breaks(truth, layout, rng):
    layout.label_styles.append(line_break)


@transform("header")
def header_nbsp(truth, layout, rng):
    layout.label_styles.append(lambda t: t.replace(" ", "\u00a0"))


@transform("header")
def header_number_suffix(truth, layout, rng):
    """Each column label numbered: "Nội dung nhiệm vụ (2)"."""
    layout.label_numbers = True


@transform("header")
def grouped_units_header(truth, layout, rng):
    layout.unit_group = True


@transform("header")
def header_groups_unmerged(truth, layout, rng):
    """Grouped two-row headers typed without merging: the group label sits over its first child only."""
    layout.unit_group = layout.result_group = True
    layout.header_merges = False


@transform("header")
def grouped_results_header(truth, layout, rng):
    layout.result_group = True


@transform("header")
def extension_second_row(truth, layout, rng):
    layout.extension_sub = True


@transform("header")
def status_x_marks(truth, layout, rng):
    order = ["not_started", "in_progress", "done", "suspended"]
    rng.shuffle(order)
    layout.marks = tuple(order)
    layout.mark_symbol = rng.choice(("x", "X", "✓", 1))


@transform("header")
def status_x_marks_plain_columns(truth, layout, rng):
    """One column per status word in a one-row header, no group label over them."""
    status_x_marks(truth, layout, rng)
    layout.marks_grouped = False


@transform("header")
def blank_separator_columns(truth, layout, rng):
    """Empty columns inside the table (no header, no values), moved anywhere by a shuffle."""
    layout.extras = ("blank", "blank")
    layout.shuffle = rng.randrange(1_000_000)


@transform("header")
def column_number_row(truth, layout, rng):
    layout.number_row = rng.choice(("int", "text", "parens"))


@transform("header")
def columns_shuffled(truth, layout, rng):
    layout.shuffle = rng.randrange(1_000_000)


@transform("header")
def extra_columns(truth, layout, rng):
    layout.extras = ("budget", "person", "phone")


# --- sections and numbering -------------------------------------------------------------------------


@transform("section_style")
def section_roman_dot(truth, layout, rng):
    layout.section_style = "stt_dot"


@transform("section_style")
def section_merged_cell(truth, layout, rng):
    layout.section_style = "merged"


@transform("section_style")
def section_part_word(truth, layout, rng):
    """Sections as "PHẦN I" in the STT cell."""
    layout.section_style = "part"


@transform("section_style")
def section_in_title(truth, layout, rng):
    layout.section_style = "in_title"


@transform("structure")
def section_capitals(truth, layout, rng):
    for task in truth.tasks:
        task.fields["topic_section"] = task.fields["topic_section"].upper()


@transform("structure")
def sections_by_lead_unit(truth, layout, rng):
    """A consolidated report: one section per lead unit, tasks numbered 1, 2 … in each."""
    groups: dict[str, list[TaskTruth]] = {}
    for task in truth.tasks:
        groups.setdefault((task.fields["lead_units"] or ["Khác"])[0], []).append(task)
    tasks = []
    for s, (unit, members) in enumerate(groups.items()):
        for n, task in enumerate(members, start=1):
            task.section, task.number, task.sub = ROMAN[s], str(n), None
            task.fields.update(stt=str(n), code=f"{ROMAN[s]}.{n}", topic_section=unit.upper())
            tasks.append(task)
    truth.tasks = tasks


def _renumber(truth: ReportTruth, numbers: dict) -> None:
    for task in truth.tasks:
        task.number = numbers[(task.section, task.number)]
        parts = [p for p in (task.section, task.number, task.sub) if p]
        task.fields["code"] = ".".join(parts)
        if not task.sub:
            task.fields["stt"] = task.number
        elif re.fullmatch(r"\d+\.\d+", task.fields["stt"] or ""):  # decimal sub-numbering follows its parent
            task.fields["stt"] = f"{task.number}.{task.sub}"


@transform("structure")
def numbering_continuous(truth, layout, rng):
    numbers: dict = {}
    for task in truth.tasks:
        numbers.setdefault((task.section, task.number), str(len(numbers) + 1))
    _renumber(truth, numbers)


@transform("structure")
def numbering_as_text_dot(truth, layout, rng):
    layout.number_suffix = "."
    for task in truth.tasks:
        if not task.sub:
            task.fields["stt"] = f"{task.number}."


def _subs(truth: ReportTruth, printed: Callable[[TaskTruth], str | None]) -> None:
    for task in truth.tasks:
        if task.sub:
            task.fields["stt"] = printed(task)


@transform("subs")
def sub_decimal(truth, layout, rng):
    seen: dict = {}
    for task in truth.tasks:
        if task.sub:
            k = seen[task.parent_key] = seen.get(task.parent_key, 0) + 1
            task.sub = str(k)
            task.fields["stt"] = f"{task.number}.{k}"
            task.fields["code"] = ".".join(p for p in (task.section, task.number, task.sub) if p)


@transform("subs")
def sub_letter_dot(truth, layout, rng):
    _subs(truth, lambda t: f"{t.sub}.")


@transform("subs")
def sub_letter_parens(truth, layout, rng):
    _subs(truth, lambda t: f"({t.sub})")


@transform("subs")
def sub_label_in_text(truth, layout, rng):
    _subs(truth, lambda t: None)


@transform("rows")
def merged_down_over_subtasks(truth, layout, rng):
    layout.merge_down = True


@transform("rows")
def spacer_rows(truth, layout, rng):
    layout.spacers = True


@transform("rows")
def total_row(truth, layout, rng):
    layout.total_row = True


@transform("rows")
def footer_noi_nhan_in_stt(truth, layout, rng):
    layout.footer = "noi_nhan_stt"


@transform("rows")
def footer_phone_lines(truth, layout, rng):
    layout.footer = "phone"


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

# Header blocks whose province / unit / period only the metadata inference (helper "who") reads.
# Switch them on (empty this set) once province / unit inference from every header style is merged.
NEEDS_META_INFERENCE = frozenset({"block_district", "block_party"})
