"""The quarterly report, in the shape a Vietnamese office files it, as .docx (and PDF, see ``reports.pdf``).

Administrative header (issuing body left, national motto right, number, place and date), title,
numbered sections I–VI, "Nơi nhận" and the signature. The numbers are those of the dashboard: they
come from ``reports.data.collect``, which calls the pages' query functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from display.format import fmt_date
from queries.filters import Filters
from reports import docx_kit, figures, narrative, pdf
from reports.data import ReportData, collect, feedback_by_unit
from reports.document import Closing, Document, Header, Heading, Para, Picture, Table, Title
from reports.errors import EmptyReport
from reports.images import figures_to_png
from reports.scope import province_kind, scope_line
from reports.tables import due_next_rows, overdue_rows, topic_rows, unit_rows

MAX_CHART_UNITS = 20
FEEDBACK_LABELS = {"difficulties": "Khó khăn, vướng mắc", "proposals": "Đề xuất, kiến nghị"}


@dataclass(frozen=True)
class Issuer:
    """Who issues the report. Names in normal case; the header writes them in capitals."""

    office: str = "Sở Văn hóa, Thể thao và Du lịch"
    office_code: str = "SVHTTDL"  # the "BC-…" suffix of the number
    number: str = ""  # left blank to be written when the report is registered
    parent: str | None = None  # "UBND tỉnh Hưng Yên"; by default from the province
    place: str | None = None  # "Hưng Yên"; by default the province
    signer_title: str = "GIÁM ĐỐC"  # several lines for "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    signer_name: str = ""
    recipients: tuple[str, ...] = ()  # by default: UBND, Ban Chỉ đạo TTĐN, units, archive


def document_number(issuer: Issuer) -> str:
    """ "12/BC-SVHTTDL", or "…/BC-SVHTTDL" while the number is not given."""
    return f"{issuer.number.strip() or '…'}/BC-{issuer.office_code}"


@dataclass(frozen=True)
class ReportFiles:
    docx: bytes
    pdf: bytes | None = None


def build_report_files(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    issuer: Issuer | None = None,
    today: date | None = None,
    with_pdf: bool = False,
) -> ReportFiles:
    """The .docx and, if asked, the PDF of the same report (the charts are drawn once for both)."""
    doc = report_document(conn, filters, issuer, today)
    return ReportFiles(docx_kit.render(doc), pdf.render(doc) if with_pdf else None)


def build_quarterly_report(
    conn: duckdb.DuckDBPyConnection, filters: Filters, issuer: Issuer | None = None, today: date | None = None
) -> bytes:
    """The report for ``filters`` (a province and a period) as .docx bytes; ``EmptyReport`` if no task."""
    return docx_kit.render(report_document(conn, filters, issuer, today))


def report_document(
    conn: duckdb.DuckDBPyConnection, filters: Filters, issuer: Issuer | None = None, today: date | None = None
) -> Document:
    """The report's blocks, charts rendered: what ``docx_kit.render`` and ``pdf.render`` draw."""
    data = collect(conn, filters)
    if data.kpis.n_tasks == 0:
        raise EmptyReport(f"Không có nhiệm vụ nào để báo cáo ({scope_line(filters)}).")
    return compose(data, issuer or Issuer(), today or date.today())


def compose(data: ReportData, issuer: Issuer, today: date) -> Document:
    units_shown, units_note = figures.unit_subset(data.ranked_units, MAX_CHART_UNITS)
    charts = [
        figures.status_figure(data.status),
        figures.unit_figure(units_shown),
        figures.topic_figure(data.by_topic),
    ]
    pngs = figures_to_png(charts)
    pictures = [
        Picture(png, "", (c.layout.height or 500) / 1000) for png, c in zip(pngs, charts, strict=True)
    ]
    doc = Document()
    doc.add(_header(data, issuer, today), _title(data), _opening(data, issuer))
    doc.add(Heading("I. TÌNH HÌNH CHUNG"), *[Para(t) for t in narrative.summary_paragraphs(data)])
    doc.add(Para(narrative.receipts_sentence(data)))
    doc.add(_captioned(pictures[0], "Biểu đồ 1. Nhiệm vụ theo tình trạng thực hiện"))
    doc.add(Heading("II. KẾT QUẢ THEO ĐƠN VỊ"))
    doc.add(Para(f"{narrative.unit_range_sentence(data)} {narrative.overdue_units_sentence(data)}"))
    doc.add(Para("Nhiệm vụ có nhiều đơn vị chủ trì được tính cho từng đơn vị chủ trì.", italic=True))
    doc.add(Table(*unit_rows(data.ranked_units), numeric=(2, 3, 4, 5, 6)))
    if not data.few_task_units.empty:  # too few tasks to rank by rate: apart, most overdue first
        doc.add(Para(f"Đơn vị có ít hơn {data.min_unit_tasks} nhiệm vụ chủ trì (không xếp hạng theo tỷ lệ):"))
        doc.add(Table(*unit_rows(data.few_task_units), numeric=(2, 3, 4, 5, 6)))
    units_caption = (
        f"Biểu đồ 2. Tỷ lệ hoàn thành theo đơn vị chủ trì có từ {data.min_unit_tasks} nhiệm vụ trở lên"
        + (f" ({units_note})" if units_note else "")
    )
    doc.add(_captioned(pictures[1], units_caption))
    doc.add(Heading("III. KẾT QUẢ THEO CHỦ ĐỀ"), Para(narrative.lagging_topics_sentence(data)))
    doc.add(Table(*topic_rows(data.by_topic, data.kpis), numeric=(2, 3, 4, 5, 6), bold_last=True))
    doc.add(_captioned(pictures[2], "Biểu đồ 3. Tỷ lệ hoàn thành theo chủ đề"))
    doc.add(Heading("IV. NHIỆM VỤ QUÁ HẠN"), Para(narrative.overdue_sentence(data)))
    if not data.overdue.empty:
        doc.add(Table(*overdue_rows(data.overdue), numeric=(3, 4, 5)))
    doc.add(*_feedback(data))
    doc.add(Heading("VI. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI"), Para(narrative.due_next_sentence(data)))
    if not data.due_next.empty:
        doc.add(Table(*due_next_rows(data.due_next), numeric=(3, 4, 5)))
    if data.kpis.n_overdue:
        doc.add(Para(f"Đề nghị các đơn vị khẩn trương hoàn thành {data.kpis.n_overdue} nhiệm vụ quá hạn nêu tại Mục "
                     "IV và báo cáo kết quả, khó khăn, vướng mắc (nếu có) trong kỳ báo cáo tới."))  # fmt: skip
    doc.add(_closing(data, issuer))
    return doc


def _captioned(picture: Picture, caption: str) -> Picture:
    return Picture(picture.png, caption, picture.aspect)


def _parent(data: ReportData, issuer: Issuer) -> str:
    province = data.filters.province or ""
    return issuer.parent or f"UBND {province_kind(province, data.filters.province_mode)} {province}"


def _header(data: ReportData, issuer: Issuer, today: date) -> Header:
    place = issuer.place or data.filters.province or ""
    return Header(
        parent=_parent(data, issuer).upper(),
        office=issuer.office.upper(),
        number=f"Số: {issuer.number.strip() or chr(0xA0) * 8}/BC-{issuer.office_code}",
        place_date=docx_kit.official_date(place, today),
    )


def _title(data: ReportData) -> Title:
    return Title(("BÁO CÁO", "Kết quả thực hiện Kế hoạch thông tin đối ngoại", data.period_label))


def _opening(data: ReportData, issuer: Issuer) -> Para:
    year = data.period.year if data.period else data.filters.as_of.year
    return Para(
        f"Thực hiện Kế hoạch thông tin đối ngoại năm {year} của {_parent(data, issuer)}, {issuer.office} báo cáo "
        f"kết quả thực hiện {data.period_label} (số liệu tính đến ngày {fmt_date(data.filters.as_of)}) như sau:"
    )


def _feedback(data: ReportData) -> list:
    """Section V: what each unit reported as difficulties and proposals, unit by unit."""
    blocks: list = [Heading("V. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ")]
    grouped = feedback_by_unit(data.tasks)
    if not grouped:
        return [
            *blocks,
            Para("Các đơn vị không báo cáo khó khăn, vướng mắc hay đề xuất, kiến nghị trong kỳ."),
        ]
    blocks.append(Para("Tổng hợp theo báo cáo của các đơn vị:"))
    for n, (unit, items) in enumerate(grouped, start=1):
        blocks.append(Heading(f"{n}. {unit}", level=2))
        for kind, text, titles in items:
            blocks.append(
                Para(f"- {FEEDBACK_LABELS[kind]}: {text.rstrip('.')} (nhiệm vụ: {'; '.join(titles)}).")
            )
    return blocks


def _closing(data: ReportData, issuer: Issuer) -> Closing:
    kind = province_kind(data.filters.province or "", data.filters.province_mode)
    recipients = issuer.recipients or (
        f"UBND {kind} (để báo cáo);",
        f"Ban Chỉ đạo công tác thông tin đối ngoại {kind};",
        "Các sở, ban, ngành, đơn vị liên quan;",
        "Lưu: VT.",
    )
    return Closing(recipients, tuple(issuer.signer_title.splitlines()), issuer.signer_name)
