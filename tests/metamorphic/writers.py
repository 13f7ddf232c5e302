"""Write a rendering's grids as the formats offices send: .xlsx (XlsxWriter, openpyxl), .xls (xlwt),
.ods (odfpy), CSV in UTF-8 with or without BOM and in Windows-1258 with ";" or ","."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date, datetime

from tests.metamorphic.layout import CSV_FORMATS, Grid, Incompatible, Layout, Rendered


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
