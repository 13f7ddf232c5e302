"""The "Hướng dẫn" sheet of the report form: what the form is for and how to fill each column."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from etl.plans.model import Plan
from etl.vocab.status import ALLOWED_STATUS_WORDS


def instruction_lines(plan: Plan, unit: str, period: str) -> list[tuple[str, str]]:
    """(kind, text) lines of the instructions; kind is "title", "head" or "text"."""
    plan_name = plan.title + (f" (số {plan.number})" if plan.number else "")
    statuses = "; ".join(f"“{w}”" for w in ALLOWED_STATUS_WORDS.values())
    return [
        ("title", "HƯỚNG DẪN ĐIỀN BIỂU MẪU BÁO CÁO"),
        ("text", f"Kế hoạch: {plan_name}."),
        ("text", f"Kỳ báo cáo: {period}. Đơn vị báo cáo: {unit}."),
        ("head", "Cách điền"),
        ("text", "1. Biểu mẫu ở trang tính “Báo cáo” đã ghi sẵn các nhiệm vụ của Kế hoạch giao cho đơn vị "
                 "(chủ trì hoặc phối hợp). Các cột STT, Nội dung nhiệm vụ, Đơn vị chủ trì, Đơn vị phối hợp, "
                 "Thời gian hoàn thành được khóa, không sửa."),
        ("text", "2. Với mỗi nhiệm vụ, điền các cột: Kết quả thực hiện, Tiến độ (%), Tình trạng, Ngày hoàn thành; "
                 "ghi Khó khăn, vướng mắc và Đề xuất, kiến nghị nếu có."),
        ("text", f"3. Tình trạng: chọn trong danh sách một trong các giá trị {statuses}."),
        ("text", "4. Tiến độ (%): một số từ 0 đến 100. Ghi 100 khi nhiệm vụ đã hoàn thành."),
        ("text", "5. Ngày hoàn thành: ghi ngày/tháng/năm, ví dụ 15/06/2022; bắt buộc khi nhiệm vụ đã hoàn thành."),
        ("text", "6. Thời hạn điều chỉnh: chỉ ghi khi thời hạn đã được cấp có thẩm quyền cho gia hạn (ngày/tháng/năm). "
                 "Nếu đơn vị đề nghị gia hạn, ghi vào cột Đề xuất, kiến nghị."),
        ("text", "7. Nhiệm vụ thường xuyên: báo cáo kết quả trong kỳ; nhiệm vụ tạm dừng: ghi rõ lý do ở cột Ghi chú."),
        ("head", "Lưu ý"),
        ("text", "- Không thêm, xóa, đổi thứ tự hoặc đổi tên các cột; không đổi tên trang tính “Báo cáo”."),
        ("text", "- Trang tính được khóa không cần mật khẩu để tránh sửa nhầm; các ô cần điền vẫn nhập được."),
        ("text", "- Ghi ngày, tháng, năm ở dòng đầu biểu, số báo cáo, họ tên người lập biểu và thủ trưởng đơn vị."),
        ("text", "- Gửi lại đúng tệp .xlsx này (không chuyển sang PDF hay ảnh chụp)."),
    ]  # fmt: skip


def write_instructions(sheet: Worksheet, plan: Plan, unit: str, period: str) -> None:
    """Fill the instructions sheet (prose only: no row of it looks like the report's table header)."""
    fonts = {"title": Font(size=14, bold=True), "head": Font(size=12, bold=True), "text": Font(size=12)}
    sheet.column_dimensions["A"].width = 110
    row = 1
    for kind, text in instruction_lines(plan, unit, period):
        if kind == "head":
            row += 1
        cell = sheet.cell(row, 1, text)
        cell.font, cell.alignment = fonts[kind], Alignment(wrap_text=True, vertical="top")
        row += 1
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
