"""Render a report truth as a spreadsheet, following a layout description.

``build(truth, layout)`` lays the report out on a grid (header block, header rows, section, parent and
task rows, totals, footer) and records where each task landed; ``to_bytes`` writes the grid as one of
the formats offices send. The expected tasks come back with their source sheet and row, and with
``due_text`` as the file now prints it (a date cell written into a CSV becomes text).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from tests.metamorphic.truth import ReportTruth, TaskTruth

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
CSV_FORMATS = ("csv_utf8", "csv_bom", "csv_1258_semicolon", "csv_1258_comma")
LABELS = {
    "stt": "STT",
    "title": "Nội dung nhiệm vụ",
    "lead": "Đơn vị chủ trì",
    "coord": "Đơn vị phối hợp",
    "due": "Thời gian hoàn thành",
    "ext": "Thời hạn điều chỉnh",
    "result": "Kết quả thực hiện",
    "percent": "Tiến độ (%)",
    "status": "Tình trạng",
    "completed": "Ngày hoàn thành",
    "difficulties": "Khó khăn, vướng mắc",
    "proposals": "Đề xuất, kiến nghị",
    "note": "Ghi chú",
    "budget": "Kinh phí (triệu đồng)",
    "person": "Người phụ trách",
    "phone": "Số điện thoại",
    "blank": "",
}
STATUS_WORDS = {
    "done": "Đã hoàn thành",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa thực hiện",
    "suspended": "Tạm dừng",
}
MARK_LABELS = {
    "done": "Hoàn thành",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa thực hiện",
    "suspended": "Tạm dừng",
}


class Incompatible(Exception):
    """The layout asks for something the format cannot hold (merged cells in a CSV)."""


@dataclass
class Layout:
    """How to print a truth. Every transformation sets some of these knobs."""

    fmt: str = "xlsx"
    top: int = 0
    left: int = 0
    header_block: str = "standard"  # standard | none | letter | spelled | party | district | summary
    title_variant: int = 0
    labels: dict[str, str] = field(default_factory=lambda: dict(LABELS))
    label_styles: list[Callable[[str], str]] = field(default_factory=list)
    label_numbers: bool = False  # "Nội dung nhiệm vụ (2)"
    unit_group: bool = False
    result_group: bool = False
    extension_sub: bool = False
    marks: tuple[str, ...] | None = None
    mark_symbol: object = "x"
    marks_grouped: bool = True  # under a "Tình trạng thực hiện" group, or as plain columns
    due_date_style: str = "date"  # how a deadline typed as a date cell is printed: date | datetime
    number_row: str | None = None  # int | text | parens: a row 1, 2, 3 … under the header
    shuffle: int | None = None  # seed of a column shuffle
    extras: tuple[str, ...] = ()
    section_style: str = "stt"  # stt | stt_dot | merged | in_title
    number_suffix: str = ""  # "1." printed as text
    merge_down: bool = False
    spacers: bool = False
    total_row: bool = False
    footer: str = "signature"  # signature | noi_nhan_stt | phone
    unit_styles: list[Callable[[str], str]] = field(default_factory=list)
    unit_sep: str = "; "  # any separator, or "bullets" / "va"
    status_words: dict[str, str] = field(default_factory=lambda: dict(STATUS_WORDS))
    status_style: Callable[[str], str] | None = None
    blank_status: bool = False
    percent_style: str = "number"  # number | fraction | text | text_space | comma
    date_style: str = "date"  # date | datetime | slash | dot | dash | words
    per_unit_sheets: bool = False
    block_on_every_sheet: bool = True
    header_merges: bool = True
    stale_sheets: bool = False
    visible_copy: bool = False
    needs_options: bool = False  # the file does not say who / when: the caller gives it

    @property
    def csv(self) -> bool:
        return self.fmt in CSV_FORMATS


@dataclass
class Grid:
    name: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    fmts: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    state: str = "visible"  # visible | hidden | veryHidden

    def put(self, r: int, c: int, value: object, fmt: str | None = None) -> None:
        if value is None or value == "":
            return
        self.cells[(r, c)] = value
        if fmt:
            self.fmts[(r, c)] = fmt

    @property
    def height(self) -> int:
        return 1 + max((r for r, _ in self.cells), default=-1)


@dataclass
class Rendered:
    grids: list[Grid]
    expected: list[dict]  # per task: compared fields + source
    meta: tuple


# --- columns ----------------------------------------------------------------------------------------


def _columns(truth: ReportTruth, layout: Layout) -> list[list[str]]:
    """Column keys in blocks (a block is one group of a two-row header), in print order."""
    blocks: list[list[str]] = [["stt"], ["title"]]
    blocks.append(["lead", "coord"] if layout.unit_group else ["lead"])
    if not layout.unit_group:
        blocks.append(["coord"])
    due = ["due"] + (["ext"] if truth.follow_up or layout.extension_sub else [])
    blocks.extend([due] if layout.extension_sub else [[k] for k in due])
    if not layout.result_group:
        blocks.append(["result"])
    marks = [f"mark:{s}" for s in layout.marks] if layout.marks else []
    progress = ["percent"] + ([] if marks else ["status"]) + ["completed"]
    blocks.extend([progress] if layout.result_group else [[k] for k in progress])
    if marks:
        blocks.extend([marks] if layout.marks_grouped else [[m] for m in marks])
    if truth.follow_up:
        blocks.extend([["difficulties"], ["proposals"]])
    blocks.append(["note"])
    blocks.extend([[k] for k in layout.extras])
    if layout.shuffle is not None:
        import random

        random.Random(layout.shuffle).shuffle(blocks)
    return blocks


GROUP_LABELS = {
    "lead": "Đơn vị thực hiện",
    "due": "Thời hạn hoàn thành",
    "percent": "Kết quả thực hiện",
    "mark:": "Tình trạng thực hiện",
}
CHILD_LABELS = {
    "lead": "Chủ trì",
    "coord": "Phối hợp",
    "due": "Theo kế hoạch",
    "ext": "Thời hạn điều chỉnh (nếu có)",
    "percent": "% hoàn thành",
    "status": "Tình trạng thực hiện",
    "completed": "Ngày hoàn thành thực tế",
}


def _label(layout: Layout, text: str, number: int | None = None) -> str:
    if layout.label_numbers and number is not None:
        text = f"{text} ({number})"
    for style in layout.label_styles:
        text = style(text)
    return text


def _write_header(grid: Grid, row: int, left: int, blocks: list[list[str]], layout: Layout) -> int:
    """Header rows from ``row``; returns the next free row. Column of each key in ``layout``-free dict."""
    two = any(len(b) > 1 for b in blocks)
    col = left
    for block in blocks:
        if len(block) == 1:
            key = block[0]
            text = MARK_LABELS[key[5:]] if key.startswith("mark:") else layout.labels[key]
            grid.put(row, col, _label(layout, text, col - left + 1) if text else None)
            if two and not layout.csv and layout.header_merges:
                grid.merges.append((row, col, row + 1, col))
            col += 1
            continue
        head = block[0].split(":")[0] + (":" if block[0].startswith("mark:") else "")
        grid.put(row, col, _label(layout, GROUP_LABELS[head]))
        if not layout.csv and layout.header_merges:
            grid.merges.append((row, col, row, col + len(block) - 1))
        for key in block:
            child = MARK_LABELS[key[5:]] if key.startswith("mark:") else CHILD_LABELS[key]
            grid.put(row + 1, col, _label(layout, child, col - left + 1))
            col += 1
    return row + (2 if two else 1)


# --- cells ------------------------------------------------------------------------------------------


def _date_cell(d: date, layout: Layout, style: str) -> tuple[object, str | None]:
    if layout.csv and style in ("date", "datetime"):
        style = "slash"
    if style == "date":
        return d, "date"
    if style == "datetime":
        return datetime(d.year, d.month, d.day, 14, 30), "datetime"
    if style == "words":
        return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}", None
    sep = {"slash": "/", "dot": ".", "dash": "-"}[style]
    return f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}", None


def _units(names: list[str], layout: Layout) -> str | None:
    if not names:
        return None
    shown = []
    for name in names:
        for style in layout.unit_styles:
            name = style(name)
        shown.append(name)
    if layout.unit_sep == "bullets":
        return "\n".join(f"- {n}" for n in shown)
    if layout.unit_sep == "va" and len(shown) > 1:
        return ", ".join(shown[:-1]) + " và " + shown[-1]
    return layout.unit_sep.join(shown)


def _percent(value: float | None, layout: Layout) -> tuple[object, str | None]:
    if value is None:
        return None, None
    shown = f"{value:g}"
    style = layout.percent_style
    if style == "fraction" and not layout.csv:
        return value / 100, "pct"
    if style in ("text", "fraction"):
        return f"{shown}%", None
    if style == "text_space":
        return f"{shown} %", None
    if style == "comma":
        return f"{shown.replace('.', ',')}%", None
    return (int(value) if float(value).is_integer() else value), None


def _status(task: TaskTruth, layout: Layout) -> str | None:
    status = task.fields.get("status")
    if status is None:
        return None
    if layout.blank_status and _derived(task.fields.get("percent")) == status:
        return None
    word = layout.status_words[status]
    return layout.status_style(word) if layout.status_style else word


def _derived(percent: float | None) -> str | None:
    if percent is None:
        return None
    return "done" if percent >= 100 else "not_started" if percent <= 0 else "in_progress"


def _iso(d: str | None) -> date | None:
    return date.fromisoformat(d) if d else None


def _task_cells(
    task: TaskTruth, layout: Layout, index: int
) -> tuple[dict[str, tuple[object, str | None]], dict]:
    """Printed cells of a task (key -> (value, format)) and its expected fields."""
    f = task.fields
    expected = dict(f)
    cells: dict[str, tuple[object, str | None]] = {}
    stt = f.get("stt")
    cells["stt"] = (int(stt) if stt and stt.isdigit() else stt, None)
    label = ""
    if task.sub and f.get("stt") is None:
        label = f"{task.number}.{task.sub}. " if task.sub.isdigit() else f"{task.sub}) "
    cells["title"] = (label + task.title, None)
    cells["lead"] = (_units(f["lead_units"], layout), None)
    cells["coord"] = (_units(f["coordinating_units"], layout), None)
    extended = f.get("due_date_original") is not None
    printed_due = _iso(f["due_date_original"] if extended else f["due_date"])
    if f["due_text"] is None and printed_due is not None:
        cells["due"] = _date_cell(printed_due, layout, layout.due_date_style)
        if layout.csv:
            expected["due_text"] = cells["due"][0]
    else:
        cells["due"] = (f["due_text"], None)
    if extended:
        cells["ext"] = _date_cell(_iso(f["due_date"]), layout, layout.date_style)
    cells["result"] = ("Đã triển khai các nội dung theo kế hoạch" if f.get("status") else None, None)
    cells["percent"] = _percent(f.get("percent"), layout)
    cells["status"] = (_status(task, layout), None)
    if (
        layout.marks
        and f.get("status")
        and not (layout.blank_status and _derived(f.get("percent")) == f["status"])
    ):
        cells[f"mark:{f['status']}"] = (layout.mark_symbol, None)
    if f.get("completed_on"):
        cells["completed"] = _date_cell(_iso(f["completed_on"]), layout, layout.date_style)
    cells["difficulties"] = (f.get("difficulties"), None)
    cells["proposals"] = (f.get("proposals"), None)
    cells["note"] = ("Lồng ghép với nhiệm vụ chuyên môn" if index % 3 == 0 else None, None)
    cells["budget"] = (50 * (index % 4 + 1), None)
    cells["person"] = (("Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu")[index % 3], None)
    cells["phone"] = (f"0912.345.{600 + index:03d}", None)
    cells["blank"] = (None, None)
    return cells, expected


# --- header block -----------------------------------------------------------------------------------


def _period_line(truth: ReportTruth, variant: int) -> str:
    p, year = truth.period, truth.year
    text = {
        "Q": f"Quý {ROMAN[(p['index'] or 1) - 1]} năm {year}",
        "H": f"6 tháng {'đầu' if p['index'] == 1 else 'cuối'} năm {year}",
        "9M": f"9 tháng đầu năm {year}",
        "Y": f"Năm {year}",
    }[p["kind"]]
    if variant == 1:
        return f"({text})"
    if variant == 2:
        return text.upper()
    if variant == 3:
        return f"Kỳ báo cáo: {text}"
    return text


def _title_lines(truth: ReportTruth, variant: int) -> list[str]:
    year = truth.year
    titles = (
        ["PHỤ LỤC", f"KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM {year}"],
        [f"BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH CÔNG TÁC THÔNG TIN ĐỐI NGOẠI NĂM {year}"],
        ["Phụ lục", f"Tiến độ thực hiện Kế hoạch thông tin đối ngoại năm {year}"],
        ["PHỤ LỤC I", f"TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THÔNG TIN ĐỐI NGOẠI NĂM {year}"],
    )[variant % 4]
    note = f"(Kèm theo Báo cáo số 123/BC-ĐV ngày 05/10/{year} của {truth.reporting_unit})"
    return [*titles, note, _period_line(truth, variant % 4)]


def _block(truth: ReportTruth, layout: Layout) -> tuple[list[tuple[str, str | None]], list[str]]:
    """(left, right) lines of the issuing-body block, then the title lines."""
    province, unit, year = truth.province_legacy, truth.reporting_unit, truth.year
    state = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    signed = f"{province}, ngày 05 tháng 10 năm {year}"
    kind = layout.header_block
    if kind == "none":
        return [], []
    parent = {"spelled": f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}", "party": f"TỈNH ỦY {province.upper()}"}
    parent_line = parent.get(kind, f"UBND TỈNH {province.upper()}")
    if kind == "district":
        parent_line = f"UBND {truth.extra['district'].upper()}"
        signed = f"{truth.extra['district'].split(' ', 1)[1]}, ngày 05 tháng 10 năm {year}"
    unit_line = truth.extra.get("unit_line", unit.upper())
    if kind == "party":
        state = ("ĐẢNG CỘNG SẢN VIỆT NAM", None)
    lines = [(parent_line, state[0]), (unit_line, state[1]), ("Số: 123/BC-ĐV", signed)]
    titles = _title_lines(truth, layout.title_variant)
    if kind == "summary":
        titles = ["BIỂU TỔNG HỢP TÌNH HÌNH THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI", titles[-1]]
        titles[-1] = f"Kỳ báo cáo: {_period_line(truth, 0).lower()}"
    if kind == "letter":
        titles = [
            "BÁO CÁO",
            f"Kết quả thực hiện Kế hoạch thông tin đối ngoại, {_period_line(truth, 0).lower()}",
            f"Kính gửi: Ủy ban nhân dân tỉnh {province}",
            "Thực hiện Kế hoạch thông tin đối ngoại của tỉnh, đơn vị báo cáo kết quả thực hiện như sau:",
            "1. Công tác chỉ đạo, điều hành: đơn vị đã ban hành văn bản triển khai kịp thời.",
            "2. Kết quả thực hiện các nhiệm vụ: chi tiết tại bảng dưới đây.",
            "3. Khó khăn, vướng mắc: nguồn lực còn hạn chế.",
            "4. Đề xuất, kiến nghị: tiếp tục bố trí kinh phí.",
            "5. Phương hướng thời gian tới: tiếp tục triển khai các nhiệm vụ còn lại.",
            "(Chi tiết kết quả từng nhiệm vụ tại bảng kèm theo)",
            "Đơn vị trân trọng báo cáo./.",
            "",
            "",
            "",
            "",
            "BẢNG TỔNG HỢP KẾT QUẢ",
        ]
    return lines, titles


def _write_block(grid: Grid, truth: ReportTruth, layout: Layout, width: int) -> int:
    top, left = layout.top, layout.left
    lines, titles = _block(truth, layout)
    row = top
    half = max(2, width // 3)
    for text_left, text_right in lines:
        grid.put(row, left, text_left)
        grid.put(row, left + half, text_right)
        if not layout.csv:
            grid.merges.append((row, left, row, left + half - 1))
            grid.merges.append((row, left + half, row, left + width - 1))
        row += 1
    for text in titles:
        grid.put(row, left, text or None)
        if text and not layout.csv:
            grid.merges.append((row, left, row, left + width - 1))
        row += 1
    return row + 1


# --- body -------------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    name: str
    tasks: list[tuple[int, TaskTruth]]


def _sheets(truth: ReportTruth, layout: Layout) -> list[_Sheet]:
    tasks = list(enumerate(truth.tasks))
    if not layout.per_unit_sheets:
        return [_Sheet("Báo cáo", tasks)]
    by_unit: dict[str, list[tuple[int, TaskTruth]]] = {}
    for i, task in tasks:
        lead = (task.fields["lead_units"] or ["Khác"])[0]
        by_unit.setdefault(lead, []).append((i, task))
    names: list[str] = []
    for unit in by_unit:
        name = unit.replace(",", "")[:28].strip()
        while name in names:
            name = name[:26] + f" {len(names)}"
        names.append(name)
    return [_Sheet(n, ts) for n, ts in zip(names, by_unit.values(), strict=True)]


def _footer(grid: Grid, row: int, cols: dict[str, int], layout: Layout) -> None:
    title, stt = cols["title"], cols["stt"]
    if layout.footer == "noi_nhan_stt":
        grid.put(row, stt, "Nơi nhận:")
        grid.put(row + 1, stt, "- Như trên;")
        grid.put(row + 2, stt, "- Lưu: VT.")
        grid.put(row, cols["due"], "GIÁM ĐỐC")
        grid.put(row + 4, cols["due"], "Nguyễn Văn Hùng")
        return
    if layout.footer == "phone":
        grid.put(row, title, "Người lập biểu: Trần Thị Mai")
        grid.put(row + 1, title, "Điện thoại: 0227.3831.234")
        grid.put(row + 1, cols["lead"], "THỦ TRƯỞNG ĐƠN VỊ")
        grid.put(row + 2, cols["lead"], "(Ký, ghi rõ họ tên, đóng dấu)")
        return
    grid.put(row, title, "NGƯỜI LẬP BIỂU")
    grid.put(row, cols["due"], "THỦ TRƯỞNG ĐƠN VỊ")
    grid.put(row + 1, cols["due"], "(Ký tên, đóng dấu)")
    grid.put(row + 4, title, "Trần Thị Mai")
    grid.put(row + 4, cols["due"], "Nguyễn Văn Hùng")


def _section_row(
    grid: Grid, row: int, roman: str, title: str, cols: dict[str, int], layout: Layout, width: int
):
    style = layout.section_style
    if style == "merged":
        grid.put(row, layout.left, f"{roman}. {title}")
        if not layout.csv:
            grid.merges.append((row, layout.left, row, layout.left + width - 1))
    elif style == "in_title":
        grid.put(row, cols["title"], f"{roman}. {title}")
    elif style == "part":
        grid.put(row, cols["stt"], f"PHẦN {roman}")
        grid.put(row, cols["title"], title)
    else:
        grid.put(row, cols["stt"], roman + ("." if style == "stt_dot" else ""))
        grid.put(row, cols["title"], title)


def _merge_runs(grid: Grid, spans: list[tuple[int, int, str | None]], col: int) -> None:
    """Merge ``col`` over runs of rows (parent row included) holding the same value; blank the rest."""
    i = 0
    while i < len(spans):
        j = i
        while j + 1 < len(spans) and spans[j + 1][2] == spans[i][2] and spans[j + 1][1] == spans[i][1]:
            j += 1
        if j > i and spans[i][2] is not None:
            first, last = spans[i][0], spans[j][0]
            grid.cells[(first, col)] = spans[i][2]
            for r in range(first + 1, last + 1):
                grid.cells.pop((r, col), None)
            grid.merges.append((first, col, last, col))
        i = j + 1


def _body(
    grid: Grid, sheet: _Sheet, truth: ReportTruth, layout: Layout, start: int, blocks
) -> tuple[list, int]:
    keys = [k for b in blocks for k in b]
    cols = {k: layout.left + i for i, k in enumerate(keys)}
    width = len(keys)
    row = _write_header(grid, start, layout.left, blocks, layout)
    if layout.number_row:
        for i in range(width):
            shown = {"int": i + 1, "text": str(i + 1), "parens": f"({i + 1})"}[layout.number_row]
            grid.put(row, layout.left + i, shown)
        row += 1
    if layout.spacers:
        row += 1
    expected: list[tuple[int, dict]] = []
    section, parent = None, None
    runs: dict[str, list[tuple[int, object, object]]] = {"lead": [], "coord": []}
    for index, task in sheet.tasks:
        if task.section != section and task.section is not None:
            if layout.spacers and section is not None:
                row += 1
            _section_row(grid, row, task.section, task.fields["topic_section"], cols, layout, width)
            section, parent, row = task.section, None, row + 1
        group = (task.section, task.number)
        if task.parent_key and task.parent_key != parent:
            number = (task.number or "") + layout.number_suffix
            grid.put(row, cols["stt"], int(number) if number.isdigit() else number)
            grid.put(row, cols["title"], f"Nhóm nhiệm vụ {task.number} của mục {task.section or ''}".strip())
            if layout.merge_down:
                runs["lead"].append((row, group, _units(task.fields["lead_units"], layout)))
                runs["coord"].append((row, group, _units(task.fields["coordinating_units"], layout)))
            parent, row = task.parent_key, row + 1
        elif not task.parent_key:
            parent = None
        cells, exp = _task_cells(task, layout, index)
        for key, (value, fmt) in cells.items():
            if key in cols:
                grid.put(row, cols[key], value, fmt)
        exp["source"] = {"sheet": None if layout.csv else sheet.name, "row": row + 1}
        expected.append((index, exp))
        if layout.merge_down:
            for key in runs:
                runs[key].append((row, group if task.parent_key else ("task", row), cells[key][0]))
        row += 1
        if layout.spacers and index % 4 == 3:
            row += 1
    if layout.merge_down:
        if layout.csv:
            raise Incompatible("merged cells in a CSV")
        for key, spans in runs.items():
            _merge_runs(grid, spans, cols[key])
    if layout.total_row:
        done = sum(1 for _, t in sheet.tasks if t.fields.get("status") == "done")
        grid.put(row, cols["title"], "TỔNG CỘNG")
        grid.put(
            row, cols["status"] if "status" in cols else cols["due"], f"{done}/{len(sheet.tasks)} hoàn thành"
        )
        if "percent" in cols:
            grid.put(row, cols["percent"], 57)
        row += 1
    _footer(grid, row + 1, cols, layout)
    return expected, width


def build(truth: ReportTruth, layout: Layout) -> Rendered:
    """The grids of a rendering and the truth a reader must extract from them."""
    blocks = _columns(truth, layout)
    width = sum(len(b) for b in blocks)
    grids: list[Grid] = []
    expected: list[tuple[int, dict]] = []
    if layout.per_unit_sheets:
        if layout.csv:
            raise Incompatible("several sheets in a CSV")
        guide = Grid("Hướng dẫn")
        guide.put(0, 0, "HƯỚNG DẪN ĐIỀN BIỂU MẪU")
        guide.put(1, 0, "Mỗi đơn vị chủ trì điền vào trang tính mang tên đơn vị mình.")
        guide.put(
            2, 0, "Cột 'Nội dung nhiệm vụ' ghi đúng như kế hoạch; cột 'Tình trạng' chọn trong danh sách."
        )
        grids.append(guide)
    for i, sheet in enumerate(_sheets(truth, layout)):
        grid = Grid(sheet.name)
        start = _write_block(grid, truth, layout, width) if i == 0 or layout.block_on_every_sheet else 1
        found, _ = _body(grid, sheet, truth, layout, start, blocks)
        expected.extend(found)
        grids.append(grid)
    if layout.stale_sheets or layout.visible_copy:
        if layout.csv:
            raise Incompatible("several sheets in a CSV")
        stale = _stale_copies(grids)
        if layout.visible_copy:
            copy = _stale_copies(grids)[0]
            copy.state, copy.name = "visible", f"{grids[-1].name[:26]} (2)"
            grids.append(copy)
        if layout.stale_sheets:
            grids = stale + grids
    return Rendered(grids, [e for _, e in expected], truth.expected_meta())


def _stale_copies(grids: list[Grid]) -> list[Grid]:
    """Hidden and very hidden copies of the last data sheet with older values."""
    source = grids[-1]
    copies = []
    for state, name in (("hidden", "Báo cáo cũ"), ("veryHidden", "Bản nháp")):
        stale = Grid(name, dict(source.cells), dict(source.fmts), list(source.merges), state)
        for (r, c), value in list(stale.cells.items()):
            if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 100:
                stale.cells[(r, c)] = max(0, value - 10)
            elif value in STATUS_WORDS.values():
                stale.cells[(r, c)] = "Chưa thực hiện"
        copies.append(stale)
    return copies


# --- writers ----------------------------------------------------------------------------------------


def to_bytes(rendered: Rendered, layout: Layout, stem: str) -> tuple[bytes, str]:
    """The file's bytes and its name, in the layout's format."""
    fmt = layout.fmt
    if fmt in CSV_FORMATS:
        return _csv(rendered.grids[-1], fmt), f"{stem}.csv"
    writer, suffix = {
        "xlsx": (_xlsxwriter, ".xlsx"),
        "xlsx_openpyxl": (_openpyxl, ".xlsx"),
        "xls": (_xlwt, ".xls"),
        "xls_as_xlsx": (_xlwt, ".xlsx"),
        "ods": (_ods, ".ods"),
    }[fmt]
    return writer(rendered.grids), stem + suffix


def _merged_index(grid: Grid) -> tuple[dict, set]:
    tops = {(m[0], m[1]): m for m in grid.merges}
    covered = {(r, c) for r1, c1, r2, c2 in grid.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    return tops, covered - set(tops)


def _xlsxwriter(grids: list[Grid]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    formats = {
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "datetime": book.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
        "pct": book.add_format({"num_format": "0%"}),
        None: book.add_format({"text_wrap": True}),
    }
    for grid in grids:
        ws = book.add_worksheet(grid.name)
        if grid.state == "hidden":
            ws.hide()
        elif grid.state == "veryHidden":
            ws.very_hidden()
        tops, covered = _merged_index(grid)
        for r1, c1, r2, c2 in grid.merges:
            value = grid.cells.get((r1, c1), "")
            ws.merge_range(r1, c1, r2, c2, "", formats[grid.fmts.get((r1, c1))])
            _xlsx_write(ws, r1, c1, value, formats[grid.fmts.get((r1, c1))])
        for (r, c), value in grid.cells.items():
            if (r, c) not in tops and (r, c) not in covered:
                _xlsx_write(ws, r, c, value, formats[grid.fmts.get((r, c))])
    if grids and all(g.state != "visible" for g in grids[:1]):
        book.worksheets()[next(i for i, g in enumerate(grids) if g.state == "visible")].activate()
    book.close()
    return out.getvalue()


def _xlsx_write(ws, r: int, c: int, value: object, fmt) -> None:
    if value in (None, ""):
        return
    if isinstance(value, date):
        ws.write_datetime(r, c, value, fmt)
    elif isinstance(value, str):
        ws.write_string(r, c, value, fmt)
    else:
        ws.write_number(r, c, value, fmt)


def _openpyxl(grids: list[Grid]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for grid in grids:
        ws = book.create_sheet(grid.name)
        ws.sheet_state = grid.state
        for (r, c), value in grid.cells.items():
            cell = ws.cell(r + 1, c + 1, value)
            fmt = grid.fmts.get((r, c))
            if fmt:
                cell.number_format = {"date": "DD/MM/YYYY", "datetime": "DD/MM/YYYY HH:MM", "pct": "0%"}[fmt]
        for r1, c1, r2, c2 in grid.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    book.active = next(i for i, g in enumerate(grids) if g.state == "visible")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlwt(grids: list[Grid]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    styles = {
        "date": xlwt.easyxf(num_format_str="DD/MM/YYYY"),
        "datetime": xlwt.easyxf(num_format_str="DD/MM/YYYY HH:MM"),
        "pct": xlwt.easyxf(num_format_str="0%"),
        None: xlwt.Style.default_style,
    }
    for grid in grids:
        ws = book.add_sheet(grid.name)
        ws.visibility = {"visible": 0, "hidden": 1, "veryHidden": 2}[grid.state]
        tops, covered = _merged_index(grid)
        for r1, c1, r2, c2 in grid.merges:
            ws.write_merge(r1, r2, c1, c2, grid.cells.get((r1, c1), ""), styles[grid.fmts.get((r1, c1))])
        for (r, c), value in grid.cells.items():
            if (r, c) not in tops and (r, c) not in covered:
                ws.write(r, c, value, styles[grid.fmts.get((r, c))])
    first_visible = next(i for i, g in enumerate(grids) if g.state == "visible")
    book.active_sheet = first_visible
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ods(grids: list[Grid]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    hidden = Style(name="hiddentable", family="table")
    hidden.addElement(TableProperties(display=False))
    doc.automaticstyles.addElement(hidden)
    for grid in grids:
        table = Table(name=grid.name, **({"stylename": hidden} if grid.state != "visible" else {}))
        tops, covered = _merged_index(grid)
        width = 1 + max((c for _, c in grid.cells), default=0)
        width = max([width] + [m[3] + 1 for m in grid.merges])
        height = max([grid.height] + [m[2] + 1 for m in grid.merges])
        for r in range(height):
            tr = TableRow()
            for c in range(width):
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                span = tops.get((r, c))
                attrs = {}
                if span:
                    attrs = {
                        "numbercolumnsspanned": span[3] - span[1] + 1,
                        "numberrowsspanned": span[2] - span[0] + 1,
                    }
                tr.addElement(_ods_cell(TableCell, P, grid.cells.get((r, c)), grid.fmts.get((r, c)), attrs))
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def _ods_cell(TableCell, P, value: object, fmt: str | None, attrs: dict):
    if value is None:
        return TableCell(**attrs)
    if isinstance(value, datetime):
        cell = TableCell(valuetype="date", datevalue=value.strftime("%Y-%m-%dT%H:%M:%S"), **attrs)
    elif isinstance(value, date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), **attrs)
    elif isinstance(value, str):
        cell = TableCell(valuetype="string", **attrs)
        for line in value.split("\n"):
            cell.addElement(P(text=line))
        return cell
    elif fmt == "pct":
        cell = TableCell(valuetype="percentage", value=value, **attrs)
    else:
        cell = TableCell(valuetype="float", value=value, **attrs)
    cell.addElement(P(text=str(value)))
    return cell


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cp1258(text: str) -> bytes:
    """Windows-1258 bytes: base letters precomposed where the code page has them, tones combining."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(m for m in parts[1:] if m in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:] if m not in tones))
        try:
            out.append((base + tones).encode("cp1258"))
        except UnicodeEncodeError as exc:
            raise Incompatible(f"{char!r} has no Windows-1258 form") from exc
    return b"".join(out)


def _csv(grid: Grid, fmt: str) -> bytes:
    height = grid.height
    width = 1 + max((c for _, c in grid.cells), default=0)
    rows = [[_csv_text(grid.cells.get((r, c))) for c in range(width)] for r in range(height)]
    delimiter = ";" if fmt == "csv_1258_semicolon" else ","
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = buffer.getvalue()
    if fmt.startswith("csv_1258"):
        return _cp1258(text)
    return ("\ufeff" if fmt == "csv_bom" else "").encode() + text.encode("utf-8")
