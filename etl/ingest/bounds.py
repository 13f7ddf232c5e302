"""Bounds on everything a file can make us do, from ``settings.Limits``: its size, the sheets of a
workbook, the cells of one sheet and of all sheets, the rows of a file, the characters of one cell.

Each check raises ``TooLarge`` with a Vietnamese reason that says what is over which limit and how
to fix it; the guards (before parsing) and the readers (while parsing) call them.
"""

from __future__ import annotations

from etl.errors import TooLarge
from etl.settings import Limits

Extent = tuple[str, int, int]  # sheet name, rows, columns of its used area from A1


def mb(size: float) -> str:
    """Size in MB, Vietnamese decimal comma: 562,9."""
    return f"{size / 2**20:.1f}".replace(".", ",").removesuffix(",0")


def num(value: float) -> str:
    """Whole number with Vietnamese thousands dots: 1.048.576."""
    return f"{value:,.0f}".replace(",", ".")


def check_file_size(data: bytes, limits: Limits) -> None:
    """Refuse a file larger than ``max_file_bytes`` (the product's upload limit)."""
    if len(data) > limits.max_file_bytes:
        raise TooLarge(
            f"Tệp quá lớn ({mb(len(data))} MB), vượt giới hạn {mb(limits.max_file_bytes)} MB. Hãy xoá các "
            "trang tính, hình ảnh không cần thiết hoặc tách báo cáo thành nhiều tệp rồi tải lên lại."
        )


def check_extents(extents: list[Extent], limits: Limits, count_rows: bool = True) -> None:
    """Refuse a workbook over the bounds: sheets, cells of one sheet, cells and rows of all sheets.

    ``count_rows=False`` when the extents may include cells with formatting only (the xlsx pre-scan):
    they bound memory, but the row limit is about rows with values.
    """
    if len(extents) > limits.max_sheets:
        raise too_many_sheets(len(extents), limits)
    for name, rows, cols in extents:
        check_cells(rows, cols, name, limits)
    cells = sum(rows * cols for _, rows, cols in extents)
    if cells > limits.max_total_cells:
        raise TooLarge(
            f"Tệp quá lớn: các trang tính cộng lại có {num(cells)} ô, vượt giới hạn {num(limits.max_total_cells)} "
            "ô cho một tệp. Hãy xoá các trang tính không cần thiết (chỉ giữ trang báo cáo) hoặc tách thành "
            "nhiều tệp rồi tải lên lại."
        )
    total_rows = sum(rows for _, rows, _ in extents)
    if count_rows and total_rows > limits.max_rows:
        raise TooLarge(
            f"Tệp quá lớn: các trang tính cộng lại có {num(total_rows)} dòng, vượt giới hạn "
            f"{num(limits.max_rows)} dòng cho một báo cáo. Một báo cáo tiến độ chỉ gồm các nhiệm vụ của kế "
            "hoạch; hãy xoá các dòng thừa (kể cả dòng trống có định dạng ở cuối) hoặc tách thành nhiều tệp."
        )


def too_many_sheets(count: int, limits: Limits) -> TooLarge:
    return TooLarge(
        f"Sổ làm việc có {num(count)} trang tính, vượt giới hạn {num(limits.max_sheets)} trang. Hãy xoá các "
        "trang tính không cần thiết (chỉ giữ trang báo cáo) rồi lưu và tải lên lại."
    )


def check_text_lengths(rows: list[list[object]], sheet: str, limits: Limits) -> None:
    """Refuse a cell whose text is longer than ``max_cell_chars`` (Excel itself stops at 32.767)."""
    limit = limits.max_cell_chars
    for r, row in enumerate(rows):
        for value in row:  # a sheet's cells are str, float, int, bool, date… (never a subclass of str)
            if value.__class__ is str and len(value) > limit:  # the first such cell of the row:
                raise too_long_cell(sheet, r + 1, row.index(value), len(value), limits)


def too_long_cell(sheet: str, row: int, col: int | None, length: int | None, limits: Limits) -> TooLarge:
    where = f"trang tính '{sheet}', dòng {row}" + (f", cột {column_letter(col)}" if col is not None else "")
    size = f"{num(length)} ký tự" if length else "quá dài"
    return TooLarge(
        f"Ô ở {where} có nội dung {size}, vượt giới hạn {num(limits.max_cell_chars)} ký tự cho một ô. "
        "Hãy rút gọn nội dung ô này (hoặc kiểm tra tệp có bị lỗi dấu ngoặc kép trong CSV) rồi tải lên lại."
    )


def column_letter(col: int) -> str:
    """Excel column letters of a 0-based column: 0 -> A, 27 -> AB."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_cells(rows: int, cols: int, sheet: str, limits: Limits) -> None:
    """Refuse a sheet whose used area (from A1) would hold more than ``max_cells`` cells."""
    if rows * cols > limits.max_cells:
        where = f"Trang tính '{sheet}'" if sheet else "Một trang tính"
        raise TooLarge(
            f"{where} quá lớn: vùng dữ liệu {num(rows)} dòng × {num(cols)} cột vượt giới hạn "
            f"{num(limits.max_cells)} ô. Hãy xoá các dòng, cột trống hoặc không cần thiết ở cuối trang tính (kể cả ô chỉ có định dạng) "
            "rồi lưu và tải lên lại."
        )
