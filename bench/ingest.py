"""Ingest benchmark: generate realistic progress reports, then time three ways of reading them.

    python bench/ingest.py [--files 1000] [--rows 60] [--naive-files 100] [--out DIR] [--only a,b,c]
                           [--rounds 3]

(a) python-calamine alone: every sheet of every file to Python lists (CSV: ``csv.reader``);
(b) our full ingest (``etl.store.load.ingest_paths``) into a fresh DuckDB file, in a new folder per
    round, all removed after the last timing (``fresh_work``);
(p) with ``--only …,p``: (b) into PostgreSQL instead (a throw-away server, ``tests/pg_server.py``);
(c) a naive baseline: ``pandas.read_excel(engine="openpyxl")`` / ``pandas.read_csv``, then one
    ``INSERT`` per row into DuckDB, on every K-th file only (it is slow).

(a) and (b) are timed ``--rounds`` times, taking turns, and compared by their medians: on a shared
machine one timing of (a) alone swings by half (0.7-1.25 s for 1,000 files).
Targets (issue 14): (b) at most 5x the time per file of (a); (b) at least 20x the files/s of (c);
peak memory at most 500 MB (this process and, separately, each checking process).
(b) checks files in a pool of processes: its CPU time is this process's plus the pool's.
The files are generated deterministically (fixed seed) in mixed layouts: admin header block with
a merged title, two-row merged headers with x-mark status sub-columns, headers in capitals /
without diacritics / NFD, reordered columns with fraction percents in % format, CSV.
Profile the ingest alone with ``python -m cProfile -s cumtime bench/ingest.py --files 100 --only b``.
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import csv
import ctypes
import datetime as dt
import os
import random
import resource
import shutil
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402
import xlsxwriter  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from etl.model import FileResult  # noqa: E402
from etl.store.batch import BatchPolicy  # noqa: E402
from etl.store.db import Database  # noqa: E402
from etl.store.load import IngestOptions, ingest_paths  # noqa: E402

SEED = 20220930
UNITS_CSV = ROOT / "data" / "reference" / "units.csv"
REPORTING_KINDS = {"department", "press", "portal", "police", "military", "party"}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
SUB_LABELS = ("a", "b", "c", "d", "đ", "e", "g", "h")
LAYOUTS = ("admin", "admin", "xmark", "caps", "reordered", "reordered", "csv")

SECTIONS = (
    "Xây dựng văn bản chỉ đạo, điều hành và bố trí nhân sự",
    "Các hoạt động thông tin đối ngoại cụ thể",
    "Tuyên truyền về chủ quyền biên giới, biển, đảo",
    "Quảng bá hình ảnh, tiềm năng, thế mạnh của tỉnh",
    "Tập huấn, bồi dưỡng nghiệp vụ thông tin đối ngoại",
    "Công tác thông tin đối ngoại với người Việt Nam ở nước ngoài",
)
TASKS = (
    "Ban hành Quy chế quản lý nhà nước về thông tin đối ngoại trên địa bàn tỉnh",
    "Ban hành các văn bản chỉ đạo, hướng dẫn nội dung tuyên truyền thông tin đối ngoại",
    "Tổ chức tập huấn, bồi dưỡng kiến thức, kỹ năng, nghiệp vụ về thông tin đối ngoại",
    "Tuyên truyền đường lối, chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
    "Xây dựng các sản phẩm, ấn phẩm phục vụ xúc tiến đầu tư, thương mại, du lịch",
    "Xây dựng phim tài liệu, phóng sự về thông tin đối ngoại bằng tiếng nước ngoài",
    "Tổ chức triển lãm số về quần đảo Hoàng Sa, Trường Sa của Việt Nam",
    "Theo dõi, tổng hợp dư luận báo chí nước ngoài; đấu tranh, phản bác thông tin sai trái",
    "Cập nhật thông tin đối ngoại trên Cổng Thông tin điện tử và mạng xã hội",
    "Đón tiếp, cung cấp thông tin cho phóng viên báo chí nước ngoài đến tỉnh",
    "Tuyên truyền về công tác bảo vệ chủ quyền, an ninh biên giới quốc gia",
    "Quảng bá văn hóa, du lịch của tỉnh tại các hội chợ, sự kiện quốc tế",
    "Cung cấp thông tin cho cộng đồng người Việt Nam ở nước ngoài",
    "Sơ kết, tổng kết công tác thông tin đối ngoại và khen thưởng",
)
RESULTS = (
    "Đã tổ chức {n} hội nghị với {m} đại biểu tham dự",
    "Đã thực hiện {n} chuyên mục, {m} tin, bài; tiếp tục triển khai",
    "Đang xây dựng dự thảo, lấy ý kiến các đơn vị",
    "Đã đăng tải {m} tin, bài, ảnh trên Cổng TTĐT tỉnh",
    "Chưa triển khai do chưa bố trí kinh phí",
)
NOTES = ("", "", "", "Lồng ghép với nhiệm vụ chuyên môn", "Đề nghị bổ sung kinh phí")
STATUS_WORDS = {
    "done": ("Đã hoàn thành", "Hoàn thành", "HT", "Xong"),
    "in_progress": ("Đang thực hiện", "Đang triển khai", "Đang tiến hành"),
    "not_started": ("Chưa thực hiện", "Chưa triển khai"),
    "suspended": ("Tạm dừng", "Đề nghị điều chỉnh"),
}
PERIODS = (("Q", 1), ("Q", 2), ("Q", 3), ("Q", 4), ("H", 1), ("9M", None), ("Y", None))


# --- the reports, as data --------------------------------------------------------------------------


@dataclass
class Unit:
    name: str
    province: str
    kind: str
    aliases: tuple[str, ...]


@dataclass
class Row:
    kind: str  # section | parent | task
    stt: str
    title: str
    lead: str = ""
    coord: str = ""
    due: object = None  # a date (date cell) or the deadline as typed
    result: str = ""
    pct: int | None = None
    status: str = "not_started"
    status_word: str = ""
    completed: dt.date | None = None
    note: str = ""
    group: int = 0  # sub-tasks of one parent share a group number (lead cell merged in some layouts)


@dataclass
class Report:
    index: int
    layout: str
    province: str
    unit: Unit
    year: int
    period: tuple[str, int | None]
    rows: list[Row] = field(default_factory=list)

    @property
    def tasks(self) -> int:
        return sum(r.kind == "task" for r in self.rows)

    @property
    def period_line(self) -> str:
        kind, index = self.period
        return {
            "Q": f"Quý {ROMAN[(index or 1) - 1]} năm {self.year}",
            "H": f"6 tháng đầu năm {self.year}",
            "9M": f"9 tháng đầu năm {self.year}",
        }.get(kind, f"Năm {self.year}")

    @property
    def period_end(self) -> dt.date:
        kind, index = self.period
        month = {"Q": 3 * (index or 1), "H": 6, "9M": 9}.get(kind, 12)
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def file_name(self) -> str:
        kind, index = self.period
        code = "".join(w[0] for w in fold_ascii(self.unit.name).split())[:8]
        suffix = ".csv" if self.layout == "csv" else ".xlsx"
        return f"r{self.index:05d}_{self.layout}_{self.year}{kind}{index or ''}_{code}{suffix}"


def fold_ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def load_units() -> dict[str, list[Unit]]:
    by_province: dict[str, list[Unit]] = {}
    with UNITS_CSV.open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            aliases = tuple(a for a in rec["aliases"].split("|") if a)
            unit = Unit(rec["canonical_name"], rec["province"], rec["kind"], aliases)
            by_province.setdefault(unit.province, []).append(unit)
    return by_province


def unit_text(rng: random.Random, units: list[Unit], k: int, sep: str) -> str:
    picked = rng.sample(units, min(k, len(units)))
    return sep.join(rng.choice((u.name,) * 3 + u.aliases) for u in picked)


def deadline(rng: random.Random, year: int, allow_dates: bool) -> object:
    m = rng.randint(1, 12)
    last = calendar.monthrange(year, m)[1]
    q = rng.randint(1, 4)
    choices: list[object] = [
        f"Quý {ROMAN[q - 1]}/{year}",
        f"Tháng {m}/{year}",
        "Thường xuyên",
        f"{last}/{m}/{year}",
        f"Năm {year}",
        "6 tháng đầu năm",
        f"Trước ngày {rng.randint(1, 28)}/{m}/{year}",
        "Hằng năm",
        "Khi có yêu cầu",
        f"Quý {q}/{year}",
    ]
    if allow_dates:
        choices += [dt.date(year, m, last)] * 4
    return rng.choice(choices)


def fill_progress(rng: random.Random, row: Row, report: Report) -> None:
    status = rng.choices(("done", "in_progress", "not_started", "suspended"), (35, 40, 20, 5))[0]
    if report.layout == "xmark" and status == "suspended":
        status = "in_progress"  # an x-mark template has no suspended column
    row.status, row.status_word = status, rng.choice(STATUS_WORDS[status])
    row.pct = {"done": 100, "not_started": 0}.get(status, rng.randrange(5, 100, 5))
    if status == "done":
        row.completed = report.period_end - dt.timedelta(days=rng.randint(1, 170))
    row.result = rng.choice(RESULTS).format(n=rng.randint(1, 20), m=rng.randint(10, 400))
    row.note = rng.choice(NOTES)


def task_row(rng: random.Random, report: Report, units: list[Unit], stt: str, group: int) -> Row:
    title = rng.choice(TASKS)
    if rng.random() < 0.5:
        title += f" năm {report.year}"
    row = Row("task", stt, title, group=group)
    row.lead = unit_text(rng, units, rng.choice((1, 1, 1, 2)), "; ")
    row.coord = unit_text(rng, units, rng.randint(1, 3), rng.choice(("; ", "; ", ", ")))
    row.due = deadline(rng, report.year, report.layout != "csv")
    fill_progress(rng, row, report)
    return row


def build_rows(rng: random.Random, report: Report, units: list[Unit], n_tasks: int) -> None:
    group = 0
    for s, section in enumerate(rng.sample(SECTIONS, len(SECTIONS)) * 4):
        if report.tasks >= n_tasks:
            return
        report.rows.append(Row("section", ROMAN[s % len(ROMAN)], section))
        for number in range(1, rng.randint(3, 6) + 1):
            if report.tasks >= n_tasks:
                return
            group += 1
            if rng.random() < 0.35:
                report.rows.append(Row("parent", str(number), rng.choice(TASKS)))
                lead = unit_text(rng, units, 1, "; ")
                for label in SUB_LABELS[: rng.randint(2, 6)]:
                    sub = task_row(rng, report, units, label + rng.choice((")", "")), group)
                    sub.lead = lead
                    report.rows.append(sub)
            else:
                report.rows.append(task_row(rng, report, units, str(number), group))


def make_report(rng: random.Random, index: int, units: dict[str, list[Unit]], n_tasks: int) -> Report:
    province = rng.choice(sorted(units))
    reporters = [u for u in units[province] if u.kind in REPORTING_KINDS]
    report = Report(
        index=index,
        layout=LAYOUTS[index % len(LAYOUTS)],
        province=province,
        unit=rng.choice(reporters),
        year=rng.randint(2019, 2024),
        period=rng.choice(PERIODS),
    )
    build_rows(rng, report, units[province], n_tasks)
    return report


# --- writers ----------------------------------------------------------------------------------------

STD_HEADERS = {
    "stt": "STT",
    "title": "Nội dung nhiệm vụ",
    "lead": "Đơn vị chủ trì",
    "coord": "Đơn vị phối hợp",
    "due": "Thời gian hoàn thành",
    "result": "Kết quả thực hiện",
    "pct": "Tiến độ (%)",
    "status": "Tình trạng",
    "completed": "Ngày hoàn thành",
    "note": "Ghi chú",
}
REORDERED = {
    "stt": "TT",
    "title": "Nội dung công việc",
    "due": "Thời hạn hoàn thành",
    "lead": "Đơn vị chủ trì thực hiện",
    "coord": "Đơn vị phối hợp",
    "status": "Tình trạng",
    "pct": "Tỷ lệ (%)",
    "result": "Kết quả thực hiện",
    "completed": "Ngày hoàn thành",
    "budget": "Kinh phí (triệu đồng)",
    "note": "Ghi chú",
}
XMARK_STATUS = {"done": "Đã hoàn thành", "in_progress": "Đang thực hiện", "not_started": "Chưa thực hiện"}


@dataclass
class Style:
    """How a layout writes its cells."""

    pct: str = "int"  # int | fraction (0.75 in % format) | text ("75%")
    completed: str = "date"  # date | text
    dates_as_text: bool = False


def cell(row: Row, col: str, style: Style) -> object:
    """The value of one cell of a task row in a given style."""
    if row.kind != "task":
        return {"stt": row.stt, "title": row.title}.get(col)
    if col in XMARK_STATUS:
        return "x" if row.status == col else None
    if col == "pct":
        if row.pct is None:
            return None
        return {"fraction": row.pct / 100, "text": f"{row.pct}%"}.get(style.pct, row.pct)
    if col == "completed" and row.completed and (style.completed == "text" or style.dates_as_text):
        return f"{row.completed.day}/{row.completed.month}/{row.completed.year}"
    if col == "due" and isinstance(row.due, dt.date) and style.dates_as_text:
        return f"{row.due.day}/{row.due.month}/{row.due.year}"
    value = {"status": row.status_word, "budget": float(row.group * 5 % 40 + 5)}.get(col)
    return value if value is not None else getattr(row, col, None) or None


def admin_lines(report: Report) -> list[tuple[str, str]]:
    """The (left, right) cells of the government header block."""
    place = "Huế" if report.province == "Thừa Thiên Huế" else report.province
    day = report.period_end + dt.timedelta(days=5)
    return [
        (f"UBND TỈNH {report.province.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (report.unit.name.upper(), "Độc lập - Tự do - Hạnh phúc"),
        (
            f"Số: {100 + report.index}/BC-DV",
            f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}",
        ),
    ]


def title_lines(report: Report) -> list[str]:
    return [
        "PHỤ LỤC",
        f"KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM {report.year}",
        f"(Kèm theo Báo cáo số {100 + report.index}/BC-DV của {report.unit.name})",
        report.period_line,
    ]


class XlsxSheet:
    """One sheet written with xlsxwriter, with the formats the layouts need."""

    def __init__(self, path: Path):
        self.book = xlsxwriter.Workbook(str(path), {"default_date_format": "dd/mm/yyyy"})
        self.book.set_properties({"created": dt.datetime(2022, 10, 1), "author": "bench"})
        self.ws = self.book.add_worksheet("Báo cáo")
        self.bold = self.book.add_format({"bold": True, "align": "center", "text_wrap": True, "border": 1})
        self.center = self.book.add_format({"bold": True, "align": "center"})
        self.pct = self.book.add_format({"num_format": "0%"})
        self.ws.set_column(1, 1, 60)

    def write_admin(self, report: Report, width: int) -> int:
        """Government header block and merged title; returns the next free row (0-based)."""
        for r, (left, right) in enumerate(admin_lines(report)):
            self.ws.merge_range(r, 0, r, 2, left, self.center)
            self.ws.merge_range(r, 3, r, width - 1, right, self.center)
        top = len(admin_lines(report))
        for r, text in enumerate(title_lines(report), start=top):
            self.ws.merge_range(r, 0, r, width - 1, text, self.center)
        return top + len(title_lines(report)) + 1

    def write_rows(self, start: int, cols: list[str], report: Report, style: Style) -> int:
        for r, row in enumerate(report.rows, start=start):
            for c, col in enumerate(cols):
                value = cell(row, col, style)
                if value is None:
                    continue
                fmt = self.pct if col == "pct" and style.pct == "fraction" else None
                self.ws.write(r, c, value, fmt)
        return start + len(report.rows)

    def write_footer(self, row: int) -> None:
        self.ws.write(row + 1, 1, "Người lập biểu", self.center)
        self.ws.write(row + 1, 5, "THỦ TRƯỞNG ĐƠN VỊ", self.center)

    def merge_leads(self, start: int, col: int, report: Report) -> None:
        """Merge the lead-unit cell over each run of sub-tasks of one parent."""
        runs: dict[int, list[int]] = {}
        for r, row in enumerate(report.rows, start=start):
            if row.kind == "task" and row.stt and not row.stt[0].isdigit():
                runs.setdefault(row.group, []).append(r)
        for group_rows in runs.values():
            first, last = group_rows[0], group_rows[-1]
            lead = report.rows[first - start].lead
            if last > first and last - first + 1 == len(group_rows):
                self.ws.merge_range(first, col, last, col, lead)

    def close(self) -> None:
        self.book.close()


def write_admin(report: Report, path: Path) -> None:
    """Admin header block, merged title, one header row, merged lead cells over sub-tasks."""
    cols = list(STD_HEADERS)
    sheet = XlsxSheet(path)
    r = sheet.write_admin(report, len(cols))
    sheet.ws.write_row(r, 0, [STD_HEADERS[c] for c in cols], sheet.bold)
    end = sheet.write_rows(r + 1, cols, report, Style())
    sheet.merge_leads(r + 1, cols.index("lead"), report)
    sheet.write_footer(end)
    sheet.close()


def write_xmark(report: Report, path: Path) -> None:
    """Two-row merged header; status as 'x' under Đã hoàn thành / Đang thực hiện / Chưa thực hiện."""
    cols = ["stt", "title", "lead", "coord", "due", *XMARK_STATUS, "result", "note"]
    sheet = XlsxSheet(path)
    r = sheet.write_admin(report, len(cols))
    for c, col in enumerate(cols):
        if col not in XMARK_STATUS:
            sheet.ws.merge_range(r, c, r + 1, c, STD_HEADERS[col], sheet.bold)
    first = cols.index("done")
    sheet.ws.merge_range(r, first, r, first + 2, "Tình trạng", sheet.bold)
    sheet.ws.write_row(r + 1, first, list(XMARK_STATUS.values()), sheet.bold)
    end = sheet.write_rows(r + 2, cols, report, Style())
    sheet.write_footer(end)
    sheet.close()


def caps_headers(report: Report) -> dict[str, str]:
    """Headers typed in capitals, without diacritics, or in decomposed Unicode (NFD)."""
    variant = report.index // len(LAYOUTS) % 3
    if variant == 0:
        return {k: v.upper() for k, v in STD_HEADERS.items()}
    if variant == 1:
        return {k: fold_ascii(v) for k, v in STD_HEADERS.items()}
    return {k: unicodedata.normalize("NFD", v) for k, v in STD_HEADERS.items()}


def write_caps(report: Report, path: Path) -> None:
    """No admin block: one title line naming province and period; headers in caps / no diacritics."""
    headers = caps_headers(report)
    cols = ["stt", "title", "lead", "coord", "due", "pct", "status", "result", "completed", "note"]
    sheet = XlsxSheet(path)
    title = f"BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH TTĐN TỈNH {report.province.upper()} "
    sheet.ws.merge_range(0, 0, 0, len(cols) - 1, title + report.period_line.upper(), sheet.center)
    sheet.ws.write(1, 0, f"Đơn vị báo cáo: {report.unit.name}")
    sheet.ws.write_row(3, 0, [headers[c] for c in cols], sheet.bold)
    end = sheet.write_rows(4, cols, report, Style(pct="text"))
    sheet.write_footer(end)
    sheet.close()


def write_reordered(report: Report, path: Path) -> None:
    """Reordered columns, 'Đơn vị báo cáo' line, fraction percents in % format, completion dates as text."""
    cols = list(REORDERED)
    sheet = XlsxSheet(path)
    r = sheet.write_admin(report, len(cols))
    alias = report.unit.aliases[0] if report.unit.aliases else report.unit.name
    sheet.ws.write(r - 1, 0, f"Đơn vị báo cáo: {alias}")
    sheet.ws.write_row(r + 1, 0, [REORDERED[c] for c in cols], sheet.bold)
    end = sheet.write_rows(r + 2, cols, report, Style(pct="fraction", completed="text"))
    sheet.write_footer(end)
    sheet.close()


def write_csv(report: Report, path: Path) -> None:
    """UTF-8 with BOM, title lines, header at row 5, every value text, footer lines."""
    cols = list(STD_HEADERS)
    style = Style(pct="text", dates_as_text=True)
    head = [
        [f"BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI TỈNH {report.province.upper()}"],
        [report.period_line],
        [f"Đơn vị báo cáo: {report.unit.name}"],
        [],
        [STD_HEADERS[c] for c in cols],
    ]
    body = [["" if (v := cell(row, c, style)) is None else str(v) for c in cols] for row in report.rows]
    lines = head + body + [[], ["", "Người lập biểu", "", "", "", "THỦ TRƯỞNG ĐƠN VỊ"]]
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(line + [""] * (len(cols) - len(line)) for line in lines)


WRITERS: dict[str, Callable[[Report, Path], None]] = {
    "admin": write_admin,
    "xmark": write_xmark,
    "caps": write_caps,
    "reordered": write_reordered,
    "csv": write_csv,
}


def generate(out: Path, n_files: int, n_rows: int) -> tuple[list[Path], dict[str, int]]:
    """Write the reports into ``out``; returns the paths and each file's task count. A file of an earlier
    run is written over in place (the seed gives the same names) and only the names not made again are
    removed: see ``fresh_work``."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    units = load_units()
    paths, expected = [], {}
    for i in range(n_files):
        report = make_report(rng, i, units, n_rows)
        path = out / report.file_name
        WRITERS[report.layout](report, path)
        paths.append(path)
        expected[path.name] = report.tasks
    made = {p.name for p in paths}
    for stale in out.iterdir():
        if stale.name not in made:
            stale.unlink()
    return paths, expected


# --- the three timings ------------------------------------------------------------------------------


def read_calamine(paths: list[Path]) -> int:
    """(a) Every sheet of every file to Python lists; returns the number of rows read."""
    n = 0
    for path in paths:
        if path.suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as fh:
                n += sum(1 for _ in csv.reader(fh))
            continue
        book = CalamineWorkbook.from_path(str(path))
        for i in range(len(book.sheet_names)):
            n += len(book.get_sheet_by_index(i).to_python())
    return n


def run_ingest(paths: list[Path], work: Path) -> list[FileResult]:
    """(b) The full ingest into a fresh DuckDB file, archive beside it, in a folder of its own
    (``fresh_work``)."""
    options = IngestOptions(archive_dir=work / "archive")
    return ingest_paths(Database(work / "bench.duckdb"), paths, options)


def fresh_work(out: Path, name: str) -> Path:
    """A new, empty folder for one round of (b) (or for (p)). Nothing is removed between rounds, only after the last
    (``clear_rounds``): on an ext4 file system without a journal (this machine's), creating a file skips
    the inodes freed in the last minute or more, one by one, so 1,000 archive files made just after the
    previous round's 1,000 were removed cost about 1 s of CPU instead of 0.15 s (``bench`` measured the
    file system's bookkeeping of its own clean-up, not the ingest; an office's archive only grows)."""
    work = out / "rounds" / name
    work.mkdir(parents=True)
    return work


def clear_rounds(out: Path) -> None:
    """Remove what the rounds of (b) wrote: their databases and archives (and note when)."""
    if (out / "rounds").exists():
        shutil.rmtree(out / "rounds", ignore_errors=True)
        (out / "rounds-removed-at").write_text(f"{time.time():.0f}\n", encoding="ascii")


SETTLE_SECONDS = 400  # the inodes freed stay "recent" for 60 s, 360 s more while their table is unwritten


def warn_if_unsettled(out: Path) -> None:
    """Say so when the previous run removed its rounds' files so recently that (b) pays for it."""
    marker = out / "rounds-removed-at"
    with contextlib.suppress(OSError, ValueError):
        ago = time.time() - float(marker.read_text(encoding="ascii"))
        if ago < SETTLE_SECONDS:
            print(
                f"note: the previous run removed its files {ago:.0f} s ago; on ext4 without a journal the "
                f"archive files of (b) cost more CPU for about {SETTLE_SECONDS - ago:.0f} s more (see fresh_work)"
            )


def run_ingest_postgres(paths: list[Path], work: Path) -> list[FileResult]:
    """(p) The full ingest into a new database of a throw-away PostgreSQL server (started outside the
    timing would be fairer; it takes about a second)."""
    from etl.store.postgres import PostgresDatabase
    from tests.pg_server import create_database, throwaway_postgres

    with throwaway_postgres() as admin:
        db = PostgresDatabase(create_database(admin), path=work / "bench-pg.duckdb")
        db.upgrade()
        started = time.perf_counter()
        results = ingest_paths(db, paths, IngestOptions(archive_dir=work / "archive-pg"))
        print(f"(p) ingest into PostgreSQL alone: {time.perf_counter() - started:.2f} s")
        db.close()
        return results


NAIVE_COLS = 16


def run_naive(paths: list[Path], work: Path) -> int:
    """(c) pandas read, then one INSERT per row; returns the number of rows inserted."""
    db_path = work / "naive.duckdb"
    db_path.unlink(missing_ok=True)
    con = duckdb.connect(str(db_path))
    cols = ", ".join(f"c{i} VARCHAR" for i in range(NAIVE_COLS))
    con.execute(f"CREATE TABLE raw (file VARCHAR, row_no INTEGER, {cols})")
    sql = f"INSERT INTO raw VALUES ({', '.join(['?'] * (NAIVE_COLS + 2))})"
    n = 0
    for path in paths:
        if path.suffix == ".csv":
            df = pd.read_csv(path, header=None, dtype=str, encoding="utf-8-sig")
        else:
            df = pd.read_excel(path, engine="openpyxl", header=None)
        for i, values in enumerate(df.itertuples(index=False, name=None)):
            cells = [None if pd.isna(v) else str(v) for v in values][:NAIVE_COLS]
            con.execute(sql, [path.name, i + 1, *cells, *[None] * (NAIVE_COLS - len(cells))])
            n += 1
    con.close()
    return n


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Wall time of ``fn()`` and its value; the CPU time is printed too (the machine may be shared) and
    kept in ``CPU_SPENT`` (this process's and its child processes')."""
    children = _children_cpu()
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    wall, own = time.perf_counter() - start, time.process_time() - cpu
    in_children = _children_cpu() - children
    print(
        f"    wall {wall:.2f} s, CPU of this process {own:.2f} s, of its child processes {in_children:.2f} s"
    )
    CPU_SPENT.append(own + in_children)
    return wall, value


CPU_SPENT: list[float] = []  # CPU seconds of each ``timed`` call, in order


def _children_cpu() -> float:
    """CPU of every process started under this one and ended: children, and (this process being their
    subreaper) grandchildren whose parent ended first, reaped here."""
    time.sleep(0.2)  # a worker told to stop is gone by now
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _adopt_orphans() -> None:
    """Processes whose parent ends before them become this process's children (Linux), so their CPU
    is counted in the figures (a worker's own child process, say)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER


def breakdown(paths: list[Path]) -> None:
    """(b) split: reading (guards + calamine + XML pre-scan), parsing, and the rest (hash, DB, archive)."""
    from etl.ingest.parse import parse_workbook
    from etl.ingest.readers import read_workbook
    from etl.store.store import load_directory

    options, directory = IngestOptions(), load_directory(None)
    data = [(p.name, p.read_bytes()) for p in paths]
    t_read, books = timed(lambda: [read_workbook(b, name, options.limits) for name, b in data])
    t_parse, _ = timed(lambda: [parse_workbook(book, options, directory) for book in books])
    n = len(paths)
    print(
        f"    breakdown: read_workbook {1000 * t_read / n:.1f} ms/file, parse_workbook {1000 * t_parse / n:.1f} ms/file"
    )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_child_rss_mb() -> float:
    """The largest peak of any child process that has ended (the checking pool's workers)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# --- the report -----------------------------------------------------------------------------------


def check_ingest(results: list[FileResult], expected: dict[str, int]) -> bool:
    """Print the verdict counts and any file not loaded or with a different task count."""
    verdicts = Counter(str(r.verdict) for r in results)
    print(f"    verdicts: {dict(verdicts)}; task rows loaded: {sum(r.rows for r in results)}")
    bad = [r for r in results if str(r.verdict) != "loaded"]
    wrong = [r for r in results if str(r.verdict) == "loaded" and r.rows != expected.get(r.file)]
    for r in bad[:5]:
        print(f"    NOT LOADED {r.file}: {r.verdict} {r.reason} {[p.message for p in r.errors[:2]]}")
    for r in wrong[:5]:
        print(f"    ROW COUNT {r.file}: {r.rows} loaded, {expected.get(r.file)} generated")
    warned = sum(1 for r in results if r.warnings)
    print(f"    files with warnings: {warned}; row-count mismatches: {len(wrong)}")
    return not bad and not wrong and len(results) == len(expected)


def verdict_line(label: str, value: float, target: float, higher_is_better: bool) -> str:
    ok = value >= target if higher_is_better else value <= target
    sign = "≥" if higher_is_better else "≤"
    return f"  {label}: {value:.2f} (target {sign} {target:g}) {'OK' if ok else 'MISSED'}"


def summarise(n: int, times: dict[str, tuple[float, int]], cpu: dict[str, float]) -> None:
    print("\nSummary")
    rates = {k: count / t for k, (t, count) in times.items() if t > 0}
    for key, label in (("a", "calamine only"), ("b", "full ingest"), ("p", "ingest to PostgreSQL"),
                       ("c", "naive pandas+INSERT")):  # fmt: skip
        if key in times:
            t, count = times[key]
            print(f"  ({key}) {label:<20} {rates[key]:8.1f} files/s  ({count} files, {t:.2f} s)")
    if "a" in rates and "b" in rates:
        print(verdict_line("(b)/(a) time per file", rates["a"] / rates["b"], 5, higher_is_better=False))
    if cpu.get("a") and "b" in cpu:  # on a shared machine: the same ratio in CPU (every core for (b))
        cores = min(BatchPolicy().workers, os.cpu_count() or 1)
        print(
            f"  (b)/(a) CPU per file: {cpu['b'] / cpu['a']:.2f}; on {cores} idle cores (b) would take about "
            f"{cpu['b'] / cores / cpu['a']:.2f}x (a)'s time"
        )
    if "b" in rates and "c" in rates:
        print(
            verdict_line("(b) vs (c) speed-up, files/s", rates["b"] / rates["c"], 20, higher_is_better=True)
        )
    print(f"  peak RSS: {peak_rss_mb():.0f} MB; largest child process: {peak_child_rss_mb():.0f} MB")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="reports to generate (default 1000)")
    parser.add_argument("--rows", type=int, default=60, help="task rows per report (default 60)")
    parser.add_argument("--naive-files", type=int, default=100, help="files timed for (c) (default 100)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/ttdn-bench"), help="work folder")
    parser.add_argument("--only", default="a,b,c", help="which timings to run, e.g. 'b' (default a,b,c)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="(a) and (b) each timed this many times, in turns; medians (default 3)",
    )
    parser.add_argument("--breakdown", action="store_true", help="also time (b)'s read and parse steps alone")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    _adopt_orphans()
    files_dir = args.out / "files"
    clear_rounds(args.out)  # a run stopped before its end left them
    warn_if_unsettled(args.out)
    gen_time, (paths, expected) = timed(lambda: generate(files_dir, args.files, args.rows))
    layouts = Counter(p.name.split("_")[1] for p in paths)
    print(f"generated {len(paths)} files ({dict(layouts)}) in {gen_time:.1f} s under {files_dir}")
    only, times, cpu, ok = set(args.only.split(",")), {}, {}, True
    walls: dict[str, list[float]] = {"a": [], "b": []}
    spent: dict[str, list[float]] = {"a": [], "b": []}
    for round_no in range(1, args.rounds + 1):  # (a) and (b) taking turns: both see the same machine
        if args.rounds > 1:
            print(f"round {round_no} of {args.rounds}")
        if "a" in only:
            t, n_rows = timed(lambda: read_calamine(paths))
            walls["a"].append(t)
            spent["a"].append(CPU_SPENT[-1])
            print(f"(a) calamine: {t:.2f} s, {n_rows} rows; peak RSS {peak_rss_mb():.0f} MB")
        if "b" in only:
            work = fresh_work(args.out, f"b{round_no}")
            t, results = timed(lambda: run_ingest(paths, work))  # noqa: B023 - called at once
            walls["b"].append(t)
            spent["b"].append(CPU_SPENT[-1])
            print(f"(b) ingest: {t:.2f} s; peak RSS {peak_rss_mb():.0f} MB")
            ok = check_ingest(results, expected) and ok
    for key in ("a", "b"):
        if walls[key]:
            times[key], cpu[key] = (statistics.median(walls[key]), len(paths)), statistics.median(spent[key])
    if args.rounds > 1 and walls["a"] and walls["b"]:
        print(
            f"(a) and (b) medians of {args.rounds} rounds: {times['a'][0]:.2f} s and {times['b'][0]:.2f} s; "
            f"round by round (b)/(a): {', '.join(f'{b / a:.2f}' for a, b in zip(walls['a'], walls['b'], strict=True))}"
        )
    if "b" in only and args.breakdown:
        breakdown(paths)
    if "p" in only:
        t, results = timed(lambda: run_ingest_postgres(paths, fresh_work(args.out, "p")))
        times["p"] = (t, len(paths))
        ok = check_ingest(results, expected) and ok
    if "c" in only:
        subset = paths[:: max(1, len(paths) // max(1, args.naive_files))][: args.naive_files]
        t, n_rows = timed(lambda: run_naive(subset, args.out))
        times["c"] = (t, len(subset))
        print(f"(c) naive: {t:.2f} s on {len(subset)} files, {n_rows} rows; peak RSS {peak_rss_mb():.0f} MB")
    summarise(len(paths), times, cpu)
    clear_rounds(args.out)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
