"""Tables to .xlsx, safe against formula injection.

A cell whose text starts with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) would run as a
formula when the file is opened or edited in a spreadsheet program. Every text cell is written as a
string (never parsed as a formula, number or URL), and such cells also get Excel's *quote prefix*
so that editing the cell keeps it text.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
import xlsxwriter

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def to_xlsx(
    df: pd.DataFrame, headers: dict[str, str], sheet: str = "Nhiệm vụ", title: str | None = None
) -> bytes:
    """Write the ``headers`` columns of ``df`` (column → Vietnamese header), dates as dd/mm/yyyy."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
               "in_memory": True}  # fmt: skip
    with xlsxwriter.Workbook(buffer, options) as book:
        ws = book.add_worksheet(sheet[:31])
        bold = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#e8eef7", "border": 1}
        )
        text = book.add_format({"text_wrap": True, "valign": "top"})
        quoted = book.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
        day = book.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
        row = 0
        if title:
            ws.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
            row = 2
        header_row, columns = row, list(headers)
        for col, name in enumerate(columns):
            ws.write_string(row, col, headers[name], bold)
            ws.set_column(col, col, 40 if name in _WIDE else 16)
        for values in df[columns].itertuples(index=False, name=None):
            row += 1
            for col, value in enumerate(values):
                _write(ws, row, col, value, text, quoted, day)
        ws.freeze_panes(header_row + 1, 0)
        ws.autofilter(header_row, 0, row, len(columns) - 1)
    return buffer.getvalue()


_WIDE = {
    "task_title",
    "result_text",
    "difficulties",
    "proposals",
    "lead_units_text",
    "coordinating_units_text",
}


def _write(ws, row: int, col: int, value, text, quoted, day) -> None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        ws.write_blank(row, col, None)
    elif isinstance(value, datetime | pd.Timestamp):
        ws.write_datetime(row, col, value.to_pydatetime() if isinstance(value, pd.Timestamp) else value, day)
    elif isinstance(value, date):
        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), day)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        ws.write_number(row, col, float(value))
    else:
        value = str(value)
        ws.write_string(row, col, value, quoted if value.startswith(DANGEROUS_START) else text)
