"""Warnings about a report table as a whole: numbered rows below the signature row, a date column whose
date cells may have day and month swapped, hidden task rows."""

from __future__ import annotations

import re
from datetime import date

from etl.errors import Problem
from etl.ingest.header import Field, Header
from etl.ingest.row_kinds import Row, is_numbered
from etl.ingest.rows import RowContext

_DAY_FIRST = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})$")  # "25/6/2022"


def warn_rows_after_footer(rows: list[list[object]], footer: int, header: Header, ctx: RowContext) -> None:
    """The signature row ends the table: numbered rows below it are not read, and the person is told
    (a second table under the signature, or a task row taken for a signature)."""
    later = [i for i in range(footer + 1, len(rows)) if is_numbered(rows[i], header)]
    if later:
        ctx.report.warnings.append(
            Problem(
                f"Bảng được coi là kết thúc ở dòng {footer + 1} (dòng chữ ký); {len(later)} dòng có số thứ tự bên "
                f"dưới (từ dòng {later[0] + 1}) không được đọc. Nếu đó là nhiệm vụ, hãy chuyển dòng chữ ký xuống "
                "cuối bảng rồi tải lên lại.",
                ctx.sheet_name,
                footer + 1,
            )
        )


def warn_swapped_dates(
    rows: list[list[object]], items: list[Row], header: Header, fld: Field, ctx: RowContext
) -> None:
    """Dates typed day first on a computer set to month first: Excel turns "5/7/2022" into 7 May and leaves
    "25/6/2022" as text (no month 25). A column holding both date cells and such texts is named in a
    warning: its date cells may have day and month swapped."""
    col = header.columns.get(fld)
    if col is None:
        return
    cells = [rows[item.index][col] for item in items if col < len(rows[item.index])]
    dated = [v for v in cells if isinstance(v, date)]  # a datetime is a date
    if not dated or any(v.day > 12 for v in dated):
        return
    stuck = [v for v in cells if v.__class__ is str and (m := _DAY_FIRST.match(v.strip())) and int(m[1]) > 12]
    if stuck:
        ctx.report.warnings.append(
            Problem(
                f"Cột '{header.label(fld)}' có ô ngày tháng bên cạnh ngày ghi dạng chữ như '{stuck[0].strip()}': "
                "có thể máy tính nhập liệu dùng kiểu ngày của Mỹ (tháng/ngày/năm) nên Excel đã đảo ngày và tháng của các ô "
                "ngày (5/7 thành ngày 7 tháng 5). Hãy kiểm tra các ngày trong cột này, sửa lại rồi tải lên lại.",
                ctx.sheet_name,
                header.row + 1,
                header.label(fld),
            )
        )


def warn_hidden_rows(hidden: list[int], ctx: RowContext) -> None:
    """Task rows the person hid (not deleted) are read like the others, and named in a warning."""
    if not hidden:
        return
    shown = ", ".join(str(i + 1) for i in hidden[:5]) + ("…" if len(hidden) > 5 else "")
    ctx.report.warnings.append(
        Problem(
            f"Có {len(hidden)} dòng trong bảng bị ẩn (dòng {shown}); các dòng ẩn vẫn được đọc như mọi dòng khác. "
            "Nếu đó là nhiệm vụ đã bỏ, hãy xóa hẳn các dòng đó; nếu bị ẩn do bộ lọc (Filter), hãy bỏ lọc; "
            "rồi tải lên lại.",
            ctx.sheet_name,
            hidden[0] + 1,
        )
    )
