"""Write the demo report spreadsheets, deterministically, shaped like real unit reports.

Each file: the administrative header (issuing body | national motto), "PHỤ LỤC", the title
"KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2024", the period line "Quý III năm 2024",
"Đơn vị báo cáo: …", the task table with roman-numeral section rows, and the signature block.
Written with XlsxWriter (each format made once per file, not styled cell by cell as openpyxl does:
several times faster), with fixed dates inside the zip, so the same report is the same bytes.

    python -m demo.generate OUT_DIR     # writes the files and prints how many
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import BinaryIO

import xlsxwriter

from demo.catalog import PROVINCES, RESENT, SENT_TWICE, DemoProvince, PlanTask, plan_tasks
from demo.simulate import deadline, draw, report, rng_for
from etl.vocab.periods import Period, PeriodKind, parse_period_code
from etl.vocab.text import key

HEADERS = ("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành",
           "Thời hạn điều chỉnh", "Kết quả thực hiện", "Tiến độ (%)", "Tình trạng", "Ngày hoàn thành",
           "Khó khăn, vướng mắc", "Đề xuất, kiến nghị")  # fmt: skip
WIDTHS = (6, 55, 26, 30, 16, 14, 40, 10, 16, 14, 32, 32)
SHORT = {"Sở Thông tin và Truyền thông": "Sở TT&TT", "Sở Kế hoạch và Đầu tư": "Sở KH&ĐT",
         "Sở Văn hóa, Thể thao và Du lịch": "Sở VHTTDL", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh": "BCH BĐBP tỉnh"}  # fmt: skip
AUTHOR, CREATED = "Demo TTĐN", datetime(2025, 1, 1)
# Every cell is what it says: no text read as a formula, a number or a link.
OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
           "strings_to_urls": False}  # fmt: skip


class Look(Enum):
    """How a row of the report looks."""

    PLAIN = "plain"  # the header block, the signature block
    TITLE = "title"  # merged across the table, centred
    TITLE_BOLD = "title_bold"
    TITLE_ITALIC = "title_italic"
    HEADER = "header"  # the table's column names: bold, boxed, wrapped, centred
    SECTION = "section"  # "I | <section title in bold>"
    TASK = "task"  # boxed, wrapped, top-aligned; dates dd/mm/yyyy


FORMATS = {
    Look.TITLE: {"align": "center"},
    Look.TITLE_BOLD: {"align": "center", "bold": True},
    Look.TITLE_ITALIC: {"align": "center", "italic": True},
    Look.HEADER: {"bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter"},
    Look.SECTION: {"bold": True},
    Look.TASK: {"border": 1, "text_wrap": True, "valign": "top"},
}
DATE_FORMAT = {**FORMATS[Look.TASK], "num_format": "dd/mm/yyyy"}


@dataclass(frozen=True)
class DemoReport:
    """One unit's report: its rows (how each looks, its cells from column A); ``save`` writes the .xlsx."""

    rows: tuple[tuple[Look, tuple], ...]

    def save(self, target: Path | str | BinaryIO) -> None:
        """Write the workbook to a path or a binary file object."""
        with xlsxwriter.Workbook(str(target) if isinstance(target, Path) else target, OPTIONS) as book:
            book.set_properties({"author": AUTHOR, "created": CREATED})
            formats = {look: book.add_format(spec) for look, spec in FORMATS.items()}
            day = book.add_format(DATE_FORMAT)
            ws = book.add_worksheet("Báo cáo")
            for col, width in enumerate(WIDTHS):
                ws.set_column(col, col, width)
            for r, (look, cells) in enumerate(self.rows):
                _write_row(ws, r, look, cells, formats.get(look), day)


def _write_row(ws, r: int, look: Look, cells: tuple, fmt, day) -> None:
    if look in (Look.TITLE, Look.TITLE_BOLD, Look.TITLE_ITALIC):
        ws.merge_range(r, 0, r, len(HEADERS) - 1, cells[0], fmt)
    elif look is Look.SECTION:
        ws.write_string(r, 0, cells[0])
        ws.write_string(r, 1, cells[1], fmt)
    elif look in (Look.HEADER, Look.TASK):
        for c, value in enumerate(cells):
            if isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
            else:
                ws.write(r, c, value, fmt)
    else:
        for c, value in enumerate(cells):
            if value is not None:
                ws.write(r, c, value)


def _period_line(period: Period) -> str:
    """ "Quý III năm 2024" (the line under the title)."""
    return period.label.replace("/", " năm ") if period.kind is PeriodKind.Q else period.label


def _tasks_of(province: DemoProvince, unit: str, year: int) -> list[tuple[PlanTask, list[str]]]:
    """The plan tasks this unit reports (it is the first lead unit), with the lead units as written."""
    found = []
    for task in plan_tasks(province.plan):
        leads = [unit] if task.lead == ("*",) else [province.unit_name(u, year) for u in task.lead]
        if leads[0] == unit:
            found.append((task, leads))
    return found


def _units_cell(units: list[str], short: bool) -> str:
    return "; ".join(SHORT.get(u, u) if short else u for u in units)


def build_report(
    province: DemoProvince, unit: str, period: Period, snapshot: date | None = None
) -> DemoReport:
    """One unit's report for one period; ``snapshot`` writes it as of an earlier day (a first version)."""
    as_of = snapshot or period.end_date
    signed = as_of + timedelta(days=8)
    rng = rng_for(province.name, unit, period.code, snapshot)
    number, abbr = rng.randint(120, 980), "BC-" + "".join(w[0].upper() for w in unit.split()[:4])
    place = province.name
    rows: list[tuple[Look, tuple]] = [
        (Look.PLAIN, (province.header, None, None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
        (Look.PLAIN, (unit.upper(), None, None, None, None, None, "Độc lập - Tự do - Hạnh phúc")),
        (Look.PLAIN, (f"Số: {number}/{abbr}", None, None, None, None, None,
                      f"{place}, ngày {signed:%d} tháng {signed:%m} năm {signed:%Y}")),
        (Look.PLAIN, ()),
        (Look.TITLE_BOLD, ("PHỤ LỤC",)),
        (Look.TITLE_BOLD, (f"KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM {period.year}",)),
        (Look.TITLE_ITALIC, (f"(Kèm theo Báo cáo số {number}/{abbr} ngày {signed:%d/%m/%Y} của {unit})",)),
        (Look.TITLE, (_period_line(period),)),
        (Look.TITLE, (f"Đơn vị báo cáo: {unit}",)),
        (Look.PLAIN, ()),
        (Look.HEADER, HEADERS),
    ]  # fmt: skip
    short = rng.random() < 0.5
    rows += _task_rows(province, unit, period, as_of, short)
    rows += [
        (Look.PLAIN, ()),
        (Look.PLAIN, (None, "Người lập biểu", None, None, None, None, None, None, "THỦ TRƯỞNG ĐƠN VỊ")),
        (Look.PLAIN, (None, "(Ký, ghi rõ họ tên)", None, None, None, None, None, None, "(Ký tên, đóng dấu)")),
    ]  # fmt: skip
    return DemoReport(tuple(rows))


def _task_rows(
    province: DemoProvince, unit: str, period: Period, as_of: date, short: bool
) -> list[tuple[Look, tuple]]:
    rows: list[tuple[Look, tuple]] = []
    section, n = None, 0
    for task, leads in _tasks_of(province, unit, period.year):
        if task.section != section:
            section, n = task.section, 0
            rows.append((Look.SECTION, (task.section, task.section_title.replace("{P}", province.name))))
        n += 1
        year_rng = rng_for(province.name, unit, task.title, period.year)
        due_text, due = deadline(task.due, period.year, year_rng)
        trajectory = draw(year_rng, task.due.partition(":")[0], due, period.year)
        row = report(trajectory, as_of, rng_for(province.name, unit, task.title, period.code))
        coord = [province.unit_name(u, period.year) for u in task.coord]
        rows.append((Look.TASK, (
            n, task.title.replace("{P}", province.name).replace("{Y}", str(period.year)), _units_cell(leads, short),
            _units_cell(coord, short), due_text, row.extension, row.result, row.pct, row.status, row.completed_on,
            row.difficulties, row.proposals,
        )))  # fmt: skip
    return rows


def _file_name(seq: int, province: DemoProvince, period: Period, unit: str, suffix: str = "") -> str:
    return f"{seq:03d}_{province.code}_{period.code}_{key(unit).replace(' ', '_')}{suffix}.xlsx"


@dataclass(frozen=True)
class ReportFile:
    """One demo report file: its name, whose report for which period, as of which day (None: the
    period's end); or, with ``copy_of``, the same bytes as an earlier file (a report sent twice)."""

    name: str
    province: DemoProvince
    unit: str
    period: Period
    snapshot: date | None = None
    copy_of: str | None = None


def report_files() -> list[ReportFile]:
    """Every demo report file, in load order (a re-sent report after its first version)."""
    files: list[ReportFile] = []
    later: list[tuple[DemoProvince, str, Period]] = []
    for province in PROVINCES:
        for code in province.periods:
            period = parse_period_code(code)
            for unit in province.units_in(period.year):
                if (unit, code) in province.not_reported or not _tasks_of(province, unit, period.year):
                    continue
                if (province.name, unit, code) == RESENT:
                    name = _file_name(len(files) + 1, province, period, unit, "_ban_dau")
                    files.append(
                        ReportFile(name, province, unit, period, period.end_date - timedelta(days=25))
                    )
                    later.append((province, unit, period))
                    continue
                files.append(
                    ReportFile(_file_name(len(files) + 1, province, period, unit), province, unit, period)
                )
                if (province.name, unit, code) == SENT_TWICE:
                    name = _file_name(len(files) + 1, province, period, unit, "_gui_lai")
                    files.append(ReportFile(name, province, unit, period, copy_of=files[-1].name))
    for province, unit, period in later:
        files.append(
            ReportFile(_file_name(len(files) + 1, province, period, unit, "_bo_sung"), province, unit, period)
        )
    return files


def write_files(files: list[ReportFile], out: Path) -> list[Path]:
    """Write ``files`` into ``out`` (a copy after the file it copies); return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    for file in files:
        if file.copy_of:
            (out / file.name).write_bytes((out / file.copy_of).read_bytes())
        else:
            build_report(file.province, file.unit, file.period, file.snapshot).save(out / file.name)
    return [out / file.name for file in files]


def write_demo_reports(out: Path) -> list[Path]:
    """Write every demo report into ``out``; return their paths in load order."""
    return write_files(report_files(), out)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "demo_reports")
    print(f"{len(write_demo_reports(target))} tệp đã ghi vào {target}")
