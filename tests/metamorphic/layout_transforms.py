"""Transformations of where things are: position, header block, header cells, sections, rows."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from tests.metamorphic.layout import ROMAN
from tests.metamorphic.registry import line_break, no_diacritics, old_tones, transform
from tests.metamorphic.truth import ReportTruth, TaskTruth

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
def form_label_above_the_block(truth, layout, rng):
    """An appendix or form label above the issuing block, any numbering, on either side."""
    label = rng.choice(("Phụ lục 02", "PHỤ LỤC", "Phụ lục I", "Phụ lục số 3", "Mẫu số 01", "Biểu 03"))
    layout.form_label = (label, rng.choice(("left", "right")))


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
def status_x_marks_under_result(truth, layout, rng):
    """The x-mark columns grouped under "Kết quả thực hiện" (the result), not under "Tình trạng"."""
    status_x_marks(truth, layout, rng)
    layout.marks_label = rng.choice(("Kết quả thực hiện", "KẾT QUẢ THỰC HIỆN", "Kết quả"))


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
def tasks_over_two_merged_rows(truth, layout, rng):
    """Every third task typed over two rows: a second result line under the first, every other cell
    merged down over both rows. Still one task."""
    layout.two_row_tasks = True


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


_SIGNATURE_OPENINGS = (
    "Thủ trưởng các cơ quan, đơn vị",
    "Chủ tịch UBND các huyện",
    "Giám đốc các sở, ngành",
    "Lãnh đạo đơn vị",
    "Người lập kế hoạch",
)


@transform("rows")
def titles_open_with_signature_words(truth, layout, rng):
    """Every other task title opens with words a signature row opens with ("Chủ tịch UBND …",
    "Thủ trưởng …"): those rows are tasks still, and so are the rows after them."""
    for task in truth.tasks[::2]:
        title = f"{rng.choice(_SIGNATURE_OPENINGS)} {task.title[:1].lower()}{task.title[1:]}"[:75].rstrip()
        task.title = title
        task.fields["title_prefix"] = title[:40]
