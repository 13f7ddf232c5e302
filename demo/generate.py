"""Write the demo report spreadsheets, deterministically, shaped like real unit reports.

Each file: the administrative header (issuing body | national motto), "PHỤ LỤC", the title
"KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2024", the period line "Quý III năm 2024",
"Đơn vị báo cáo: …", the task table with roman-numeral section rows, and the signature block.

    python -m demo.generate OUT_DIR     # writes the files and prints how many
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

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
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


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


def build_report(province: DemoProvince, unit: str, period: Period, snapshot: date | None = None) -> Workbook:
    """One unit's report for one period; ``snapshot`` writes it as of an earlier day (a first version)."""
    as_of = snapshot or period.end_date
    signed = as_of + timedelta(days=8)
    rng = rng_for(province.name, unit, period.code, snapshot)
    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    number, abbr = rng.randint(120, 980), "BC-" + "".join(w[0].upper() for w in unit.split()[:4])
    place = province.name
    rows: list[tuple] = [
        (province.header, None, None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (unit.upper(), None, None, None, None, None, "Độc lập - Tự do - Hạnh phúc"),
        (f"Số: {number}/{abbr}", None, None, None, None, None,
         f"{place}, ngày {signed:%d} tháng {signed:%m} năm {signed:%Y}"),
        (),
        ("PHỤ LỤC",),
        (f"KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM {period.year}",),
        (f"(Kèm theo Báo cáo số {number}/{abbr} ngày {signed:%d/%m/%Y} của {unit})",),
        (_period_line(period),),
        (f"Đơn vị báo cáo: {unit}",),
        (),
        HEADERS,
    ]  # fmt: skip
    for r in rows:
        ws.append(list(r))
    for r in (5, 6, 7, 8, 9):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(HEADERS))
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
        ws.cell(r, 1).font = Font(bold=r in (5, 6), italic=r == 7)
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(11, col).column_letter].width = width
        ws.cell(11, col).font = Font(bold=True)
        ws.cell(11, col).border = BOX
        ws.cell(11, col).alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    short = rng.random() < 0.5
    _write_tasks(ws, province, unit, period, as_of, short)
    ws.append([])
    ws.append([None, "Người lập biểu", None, None, None, None, None, None, "THỦ TRƯỞNG ĐƠN VỊ"])
    ws.append([None, "(Ký, ghi rõ họ tên)", None, None, None, None, None, None, "(Ký tên, đóng dấu)"])
    return wb


def _write_tasks(ws, province: DemoProvince, unit: str, period: Period, as_of: date, short: bool) -> None:
    section, n = None, 0
    for task, leads in _tasks_of(province, unit, period.year):
        if task.section != section:
            section, n = task.section, 0
            ws.append([task.section, task.section_title.replace("{P}", province.name)])
            ws.cell(ws.max_row, 2).font = Font(bold=True)
        n += 1
        year_rng = rng_for(province.name, unit, task.title, period.year)
        due_text, due = deadline(task.due, period.year, year_rng)
        trajectory = draw(year_rng, task.due.partition(":")[0], due, period.year)
        row = report(trajectory, as_of, rng_for(province.name, unit, task.title, period.code))
        coord = [province.unit_name(u, period.year) for u in task.coord]
        ws.append([
            n, task.title.replace("{P}", province.name).replace("{Y}", str(period.year)), _units_cell(leads, short),
            _units_cell(coord, short), due_text, row.extension, row.result, row.pct, row.status, row.completed_on,
            row.difficulties, row.proposals,
        ])  # fmt: skip
        for col in range(1, len(HEADERS) + 1):
            cell = ws.cell(ws.max_row, col)
            cell.alignment, cell.border = WRAP, BOX
            if isinstance(cell.value, date):
                cell.value = datetime(cell.value.year, cell.value.month, cell.value.day)
                cell.number_format = "dd/mm/yyyy"


def _file_name(seq: int, province: DemoProvince, period: Period, unit: str, suffix: str = "") -> str:
    return f"{seq:03d}_{province.code}_{period.code}_{key(unit).replace(' ', '_')}{suffix}.xlsx"


def write_demo_reports(out: Path) -> list[Path]:
    """Write every demo report into ``out``, in load order (a re-sent report after its first version)."""
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    later: list[tuple[DemoProvince, str, Period]] = []
    for province in PROVINCES:
        for code in province.periods:
            period = parse_period_code(code)
            for unit in province.units_in(period.year):
                if (unit, code) in province.not_reported or not _tasks_of(province, unit, period.year):
                    continue
                if (province.name, unit, code) == RESENT:
                    first = build_report(
                        province, unit, period, snapshot=period.end_date - timedelta(days=25)
                    )
                    paths.append(
                        _save(first, out / _file_name(len(paths) + 1, province, period, unit, "_ban_dau"))
                    )
                    later.append((province, unit, period))
                    continue
                paths.append(
                    _save(
                        build_report(province, unit, period),
                        out / _file_name(len(paths) + 1, province, period, unit),
                    )
                )
                if (province.name, unit, code) == SENT_TWICE:
                    copy = out / _file_name(len(paths) + 1, province, period, unit, "_gui_lai")
                    copy.write_bytes(paths[-1].read_bytes())
                    paths.append(copy)
    for province, unit, period in later:
        paths.append(
            _save(
                build_report(province, unit, period),
                out / _file_name(len(paths) + 1, province, period, unit, "_bo_sung"),
            )
        )
    return paths


def _save(wb: Workbook, path: Path) -> Path:
    wb.properties.creator = "Demo TTĐN"
    wb.properties.created = wb.properties.modified = datetime(2025, 1, 1)
    wb.save(path)
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "demo_reports")
    print(f"{len(write_demo_reports(target))} tệp đã ghi vào {target}")
