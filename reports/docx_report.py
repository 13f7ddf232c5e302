"""The quarterly report as a .docx, in the shape a Vietnamese office files.

Administrative header (issuing body left, national motto right, number, place and date), title,
numbered sections I–VI, "Nơi nhận" and the signature. The numbers are those of the dashboard: they
come from ``reports.data.collect``, which calls the pages' query functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from queries.filters import Filters
from reports import docx_kit as kit
from reports import figures, narrative
from reports.data import ReportData, collect, feedback_by_unit
from reports.errors import EmptyReport
from reports.images import figures_to_png
from reports.scope import province_kind, scope_line
from reports.tables import due_next_rows, overdue_rows, topic_rows, unit_rows
from ui.format import fmt_date

MAX_CHART_UNITS = 20


@dataclass(frozen=True)
class Issuer:
    """Who issues the report. Names in normal case; the header writes them in capitals."""

    office: str = "Sở Văn hóa, Thể thao và Du lịch"
    office_code: str = "SVHTTDL"  # the "BC-…" suffix of the number
    number: str = ""  # left blank to be written when the report is registered
    parent: str | None = None  # "UBND tỉnh Hưng Yên"; by default from the province
    place: str | None = None  # "Hưng Yên"; by default the province
    signer_title: str = "GIÁM ĐỐC"
    signer_name: str = ""
    recipients: tuple[str, ...] = ()  # by default: UBND, Ban Chỉ đạo TTĐN, units, archive


def document_number(issuer: Issuer) -> str:
    """ "12/BC-SVHTTDL", or "…/BC-SVHTTDL" while the number is not given."""
    return f"{issuer.number.strip() or '…'}/BC-{issuer.office_code}"


def build_quarterly_report(
    conn: duckdb.DuckDBPyConnection, filters: Filters, issuer: Issuer | None = None, today: date | None = None
) -> bytes:
    """The report for ``filters`` (a province and a period) as .docx bytes; ``EmptyReport`` if no task."""
    data = collect(conn, filters)
    if data.kpis.n_tasks == 0:
        raise EmptyReport(f"Không có nhiệm vụ nào để báo cáo ({scope_line(filters)}).")
    return render_report(data, issuer or Issuer(), today or date.today())


def render_report(data: ReportData, issuer: Issuer, today: date) -> bytes:
    units_shown, units_note = figures.unit_subset(data.by_unit, MAX_CHART_UNITS)
    charts = [
        figures.status_figure(data.status),
        figures.unit_figure(units_shown),
        figures.topic_figure(data.by_topic),
    ]
    pngs = figures_to_png(charts)
    aspects = [(c.layout.height or 500) / 1000 for c in charts]
    doc = kit.new_document()
    _header(doc, data, issuer, today)
    _title(doc, data, issuer)
    doc.add_heading("I. TÌNH HÌNH CHUNG", level=1)
    for text in narrative.summary_paragraphs(data):
        kit.paragraph(doc, text, indent=True)
    kit.picture(doc, pngs[0], "Biểu đồ 1. Nhiệm vụ theo tình trạng thực hiện", aspects[0])
    doc.add_heading("II. KẾT QUẢ THEO ĐƠN VỊ", level=1)
    kit.paragraph(doc, narrative.overdue_units_sentence(data), indent=True)
    kit.paragraph(
        doc, "Nhiệm vụ có nhiều đơn vị chủ trì được tính cho từng đơn vị chủ trì.", italic=True, indent=True
    )
    kit.data_table(doc, *unit_rows(data.by_unit), numeric=range(2, 7))
    caption = "Biểu đồ 2. Tỷ lệ hoàn thành theo đơn vị chủ trì" + (f" ({units_note})" if units_note else "")
    kit.picture(doc, pngs[1], caption, aspects[1])
    doc.add_heading("III. KẾT QUẢ THEO CHỦ ĐỀ", level=1)
    kit.paragraph(doc, narrative.lagging_topics_sentence(data), indent=True)
    kit.data_table(doc, *topic_rows(data.by_topic, data.kpis), numeric=range(2, 7), bold_last=True)
    kit.picture(doc, pngs[2], "Biểu đồ 3. Tỷ lệ hoàn thành theo chủ đề", aspects[2])
    _overdue_section(doc, data)
    _feedback_section(doc, data)
    _next_section(doc, data)
    _closing(doc, data, issuer)
    return kit.to_bytes(doc)


def _parent(data: ReportData, issuer: Issuer) -> str:
    province = data.filters.province or ""
    return issuer.parent or f"UBND {province_kind(province, data.filters.province_mode)} {province}"


def _header(doc, data: ReportData, issuer: Issuer, today: date) -> None:
    table = kit.layout_table(doc, [6.5, 10.0], rows=2)
    top, bottom = table.rows
    kit.cell_lines(top.cells[0], [(_parent(data, issuer).upper(), {"size": 13}),
                                  (issuer.office.upper(), {"size": 13, "bold": True})])  # fmt: skip
    kit.cell_lines(top.cells[1], [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"size": 13, "bold": True}),
                                  ("Độc lập - Tự do - Hạnh phúc", {"size": 14, "bold": True})])  # fmt: skip
    number = issuer.number.strip() or "\u00a0" * 8
    kit.cell_lines(bottom.cells[0], [(f"Số: {number}/BC-{issuer.office_code}", {"size": 13})])
    place = issuer.place or data.filters.province or ""
    kit.cell_lines(bottom.cells[1], [(kit.official_date(place, today), {"size": 14, "italic": True})])


def _title(doc, data: ReportData, issuer: Issuer) -> None:
    kit.paragraph(doc, "", space_after=6)
    kit.paragraph(doc, "BÁO CÁO", bold=True, align="center", space_after=0)
    kit.paragraph(
        doc, "Kết quả thực hiện Kế hoạch thông tin đối ngoại", bold=True, align="center", space_after=0
    )
    kit.paragraph(doc, data.period_label, bold=True, align="center", space_after=12)
    year = data.period.year if data.period else data.filters.as_of.year
    kit.paragraph(
        doc,
        f"Thực hiện Kế hoạch thông tin đối ngoại năm {year} của {_parent(data, issuer)}, {issuer.office} báo cáo "
        f"kết quả thực hiện {data.period_label} (số liệu tính đến ngày {fmt_date(data.filters.as_of)}) như sau:",
        indent=True,
    )


def _overdue_section(doc, data: ReportData) -> None:
    doc.add_heading("IV. NHIỆM VỤ QUÁ HẠN", level=1)
    kit.paragraph(doc, narrative.overdue_sentence(data), indent=True)
    if not data.overdue.empty:
        kit.data_table(doc, *overdue_rows(data.overdue), numeric=(3, 4, 5))


def _feedback_section(doc, data: ReportData) -> None:
    doc.add_heading("V. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ", level=1)
    grouped = feedback_by_unit(data.tasks)
    if not grouped:
        kit.paragraph(
            doc, "Các đơn vị không báo cáo khó khăn, vướng mắc hay đề xuất, kiến nghị trong kỳ.", indent=True
        )
        return
    kit.paragraph(doc, "Tổng hợp theo báo cáo của các đơn vị:", indent=True)
    labels = {"difficulties": "Khó khăn, vướng mắc", "proposals": "Đề xuất, kiến nghị"}
    for n, (unit, items) in enumerate(grouped, start=1):
        doc.add_heading(f"{n}. {unit}", level=2)
        for kind, text, titles in items:
            tasks = "; ".join(titles)
            kit.paragraph(doc, f"- {labels[kind]}: {text.rstrip('.')} (nhiệm vụ: {tasks}).", indent=True)


def _next_section(doc, data: ReportData) -> None:
    doc.add_heading("VI. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI", level=1)
    kit.paragraph(doc, narrative.due_next_sentence(data), indent=True)
    if not data.due_next.empty:
        kit.data_table(doc, *due_next_rows(data.due_next), numeric=(3, 4, 5))
    if data.kpis.n_overdue:
        kit.paragraph(
            doc,
            f"Đề nghị các đơn vị khẩn trương hoàn thành {data.kpis.n_overdue} nhiệm vụ quá hạn nêu tại Mục IV và "
            "báo cáo kết quả, khó khăn, vướng mắc (nếu có) trong kỳ báo cáo tới.",
            indent=True,
        )


def _closing(doc, data: ReportData, issuer: Issuer) -> None:
    kit.paragraph(doc, "", space_after=6)
    kind = province_kind(data.filters.province or "", data.filters.province_mode)
    recipients = issuer.recipients or (
        f"UBND {kind} (để báo cáo);",
        f"Ban Chỉ đạo công tác thông tin đối ngoại {kind};",
        "Các sở, ban, ngành, đơn vị liên quan;",
        "Lưu: VT.",
    )
    table = kit.layout_table(doc, [8.0, 8.5])
    left, right = table.rows[0].cells
    lines = [("Nơi nhận:", {"size": 12, "bold": True, "italic": True, "align": "left"})]
    lines += [(f"- {r}", {"size": 11, "align": "left"}) for r in recipients]
    kit.cell_lines(left, lines)
    signature = [(line, {"size": 14, "bold": True}) for line in issuer.signer_title.splitlines()]
    signature += [("", {})] * 4 + [(issuer.signer_name, {"size": 14, "bold": True})]
    kit.cell_lines(right, signature)
