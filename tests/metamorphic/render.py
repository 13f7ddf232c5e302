"""Render a report truth as a spreadsheet, following a layout description.

``build(truth, layout)`` lays the report out on a grid (header block, header rows, section, parent and
task rows, totals, footer) and records where each task landed; ``writers.to_bytes`` writes the grid as
one of the formats offices send. The expected tasks come back with their source sheet and row, and with
``due_text`` as the file now prints it (a date cell written into a CSV becomes text).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime

from tests.metamorphic.block import write_block
from tests.metamorphic.layout import (
    MARK_LABELS,
    STATUS_WORDS,
    Grid,
    Incompatible,
    Layout,
    Rendered,
)
from tests.metamorphic.truth import ReportTruth, TaskTruth

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
    """Header rows from ``row`` (two when a block groups several columns); returns the next free row."""
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
        group = "mark:" if block[0].startswith("mark:") else block[0]
        grid.put(row, col, _label(layout, layout.marks_label if group == "mark:" else GROUP_LABELS[group]))
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
        if layout.two_row_tasks and index % 3 == 1:
            if layout.csv or layout.merge_down:
                raise Incompatible("a task over two merged rows")
            if "result" in cols:
                grid.put(row + 1, cols["result"], "Đăng 12 tin, bài trên Cổng thông tin điện tử")
            grid.merges += [(row, col, row + 1, col) for key, col in cols.items() if key != "result"]
            row += 1
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
        start = write_block(grid, truth, layout, width) if i == 0 or layout.block_on_every_sheet else 1
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
