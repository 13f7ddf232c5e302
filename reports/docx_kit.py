"""python-docx helpers for an administrative document (Nghị định 30/2020/NĐ-CP layout).

A4, margins 2 / 2 / 3 / 1,5 cm (top, bottom, left, right), Times New Roman 14 pt body, headings in
the same font, borderless layout tables for the header and the signature, gridded data tables whose
header row repeats on every page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from reports import document as model

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
TEXT_WIDTH_CM = 16.5  # 21 cm − 3 cm − 1,5 cm
MAX_IMAGE_HEIGHT_CM = 20.0


def official_date(place: str, day: date) -> str:
    """The place-and-date line; a day below 10 and the months 1 and 2 take a leading zero (NĐ 30/2020).

    >>> official_date("Hưng Yên", date(2024, 2, 5)), official_date("Huế", date(2024, 10, 15))
    ('Hưng Yên, ngày 05 tháng 02 năm 2024', 'Huế, ngày 15 tháng 10 năm 2024')
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def new_document() -> DocxDocument:
    """An empty A4 document with the fonts and margins of an administrative report."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    for name, size, bold in (
        ("Normal", BODY_PT, False),
        ("Heading 1", BODY_PT, True),
        ("Heading 2", BODY_PT, True),
    ):
        style = doc.styles[name]
        _set_font(style.element, style.font, size, bold)
        style.paragraph_format.space_before = Pt(6 if name != "Normal" else 0)
        style.paragraph_format.space_after = Pt(6)
        if name != "Normal":
            style.paragraph_format.keep_with_next = True
    return doc


def _set_font(element, font, size: int, bold: bool) -> None:
    font.name, font.size, font.bold, font.italic = FONT, Pt(size), bold, False
    font.color.rgb = RGBColor(0, 0, 0)
    rfonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)  # a theme font would override Times New Roman
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)


def paragraph(
    container,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: int | None = None,
    align: str = "justify",
    indent: bool = False,
    space_after: int = 6,
) -> Paragraph:
    """A paragraph of one run; ``align`` is left, center, right or justify; ``indent`` a 1 cm first line."""
    p = container.add_paragraph()
    p.alignment = getattr(WD_ALIGN_PARAGRAPH, align.upper())
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.space_before = Pt(0)
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    return p


def cell_lines(cell: _Cell, lines: Sequence[tuple[str, dict]]) -> None:
    """Fill a layout cell with centred lines: ``(text, {"bold": …, "italic": …, "size": …})``."""
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    for text, style in lines:
        paragraph(cell, text, align=style.get("align", "center"), space_after=0, **_run_style(style))


def _run_style(style: dict) -> dict:
    return {k: v for k, v in style.items() if k in ("bold", "italic", "size")}


def layout_table(doc: DocxDocument, widths_cm: Sequence[float], rows: int = 1) -> Table:
    """A borderless table used for layout (administrative header, signature block)."""
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_widths(table, widths_cm)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)
    return table


def data_table(
    doc: DocxDocument, headers: Sequence[str], rows: Sequence[Sequence[str]], widths_cm: Sequence[float],
    numeric: Sequence[int] = (), bold_last: bool = False,
) -> Table:  # fmt: skip
    """A gridded table, 12 pt, header row bold and repeated on each page; ``numeric`` columns centred."""
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_widths(table, widths_cm)
    header = table.rows[0]
    header_props = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for cell, text in zip(header.cells, headers, strict=True):
        _fill(cell, text, bold=True, align="center")
    for i, values in enumerate(rows, start=1):
        bold = bold_last and i == len(rows)
        for j, (cell, text) in enumerate(zip(table.rows[i].cells, values, strict=True)):
            _fill(cell, text, bold=bold, align="center" if j in numeric or j == 0 else "left")
    return table


def _fill(cell: _Cell, text: str, *, bold: bool, align: str) -> None:
    p = cell.paragraphs[0]
    p.alignment = getattr(WD_ALIGN_PARAGRAPH, align.upper())
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.first_line_indent = Cm(0)
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(TABLE_PT)


def _set_widths(table: Table, widths_cm: Sequence[float]) -> None:
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def picture(doc: DocxDocument, png: bytes, caption: str, aspect: float) -> None:
    """A centred image as wide as the text (narrower if it would be too tall), then its caption.

    ``aspect`` is height / width of the image.
    """
    width = min(TEXT_WIDTH_CM, MAX_IMAGE_HEIGHT_CM / aspect)
    p = paragraph(doc, align="center", space_after=2)
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(png), width=Cm(width))
    paragraph(doc, caption, italic=True, size=12, align="center")


def render(report: model.Document) -> bytes:
    """The blocks of ``report`` as .docx bytes."""
    doc = new_document()
    for block in report.blocks:
        match block:
            case model.Header():
                _header(doc, block)
            case model.Title(lines=lines):
                paragraph(doc, "", space_after=6)
                for i, line in enumerate(lines):
                    paragraph(
                        doc, line, bold=True, align="center", space_after=12 if i == len(lines) - 1 else 0
                    )
            case model.Heading(text=text, level=level):
                doc.add_heading(text, level=level)
            case model.Para(text=text, italic=italic, indent=indent):
                paragraph(doc, text, italic=italic, indent=indent)
            case model.Table():
                data_table(doc, block.headers, block.rows, block.widths_cm, block.numeric, block.bold_last)
            case model.Picture(png=png, caption=caption, aspect=aspect):
                picture(doc, png, caption, aspect)
            case model.Closing():
                _closing(doc, block)
    return to_bytes(doc)


def _header(doc: DocxDocument, header: model.Header) -> None:
    table = layout_table(doc, [6.5, 10.0], rows=2)
    top, bottom = table.rows
    cell_lines(top.cells[0], [(header.parent, {"size": 13}), (header.office, {"size": 13, "bold": True})])
    cell_lines(top.cells[1], [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"size": 13, "bold": True}),
                              ("Độc lập - Tự do - Hạnh phúc", {"size": 14, "bold": True})])  # fmt: skip
    cell_lines(bottom.cells[0], [(header.number, {"size": 13})])
    cell_lines(bottom.cells[1], [(header.place_date, {"size": 14, "italic": True})])


def _closing(doc: DocxDocument, closing: model.Closing) -> None:
    paragraph(doc, "", space_after=6)
    left, right = layout_table(doc, [8.0, 8.5]).rows[0].cells
    lines = [("Nơi nhận:", {"size": 12, "bold": True, "italic": True, "align": "left"})]
    lines += [(f"- {r}", {"size": 11, "align": "left"}) for r in closing.recipients]
    cell_lines(left, lines)
    signature = [(line, {"size": 14, "bold": True}) for line in closing.signer_title]
    cell_lines(right, signature + [("", {})] * 4 + [(closing.signer_name, {"size": 14, "bold": True})])


def to_bytes(doc: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
