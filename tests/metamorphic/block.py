"""The issuing-body block and title lines above the table, in the styles offices use."""

from __future__ import annotations

from tests.metamorphic.layout import ROMAN, Grid, Layout
from tests.metamorphic.truth import ReportTruth


def _period_line(truth: ReportTruth, variant: int) -> str:
    p, year = truth.period, truth.year
    text = {
        "Q": f"Quý {ROMAN[(p['index'] or 1) - 1]} năm {year}",
        "H": f"6 tháng {'đầu' if p['index'] == 1 else 'cuối'} năm {year}",
        "9M": f"9 tháng đầu năm {year}",
        "Y": f"Năm {year}",
    }[p["kind"]]
    if variant == 1:
        return f"({text})"
    if variant == 2:
        return text.upper()
    if variant == 3:
        return f"Kỳ báo cáo: {text}"
    return text


def _title_lines(truth: ReportTruth, variant: int) -> list[str]:
    year = truth.year
    titles = (
        ["PHỤ LỤC", f"KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM {year}"],
        [f"BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH CÔNG TÁC THÔNG TIN ĐỐI NGOẠI NĂM {year}"],
        ["Phụ lục", f"Tiến độ thực hiện Kế hoạch thông tin đối ngoại năm {year}"],
        ["PHỤ LỤC I", f"TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THÔNG TIN ĐỐI NGOẠI NĂM {year}"],
    )[variant % 4]
    note = f"(Kèm theo Báo cáo số 123/BC-ĐV ngày 05/10/{year} của {truth.reporting_unit})"
    return [*titles, note, _period_line(truth, variant % 4)]


def _block(truth: ReportTruth, layout: Layout) -> tuple[list[tuple[str, str | None]], list[str]]:
    """(left, right) lines of the issuing-body block, then the title lines."""
    province, unit, year = truth.province_legacy, truth.reporting_unit, truth.year
    state = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    signed = f"{province}, ngày 05 tháng 10 năm {year}"
    kind = layout.header_block
    if kind == "none":
        return [], []
    parent = {"spelled": f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}", "party": f"TỈNH ỦY {province.upper()}"}
    parent_line = parent.get(kind, f"UBND TỈNH {province.upper()}")
    if kind == "district":
        parent_line = f"UBND {truth.extra['district'].upper()}"
        signed = f"{truth.extra['district'].split(' ', 1)[1]}, ngày 05 tháng 10 năm {year}"
    unit_line = truth.extra.get("unit_line", unit.upper())
    if kind == "party":
        state = ("ĐẢNG CỘNG SẢN VIỆT NAM", None)
    lines = [(parent_line, state[0]), (unit_line, state[1]), ("Số: 123/BC-ĐV", signed)]
    titles = _title_lines(truth, layout.title_variant)
    if kind == "summary":
        titles = ["BIỂU TỔNG HỢP TÌNH HÌNH THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI", titles[-1]]
        titles[-1] = f"Kỳ báo cáo: {_period_line(truth, 0).lower()}"
    if kind == "letter":
        titles = [
            "BÁO CÁO",
            f"Kết quả thực hiện Kế hoạch thông tin đối ngoại, {_period_line(truth, 0).lower()}",
            f"Kính gửi: Ủy ban nhân dân tỉnh {province}",
            "Thực hiện Kế hoạch thông tin đối ngoại của tỉnh, đơn vị báo cáo kết quả thực hiện như sau:",
            "1. Công tác chỉ đạo, điều hành: đơn vị đã ban hành văn bản triển khai kịp thời.",
            "2. Kết quả thực hiện các nhiệm vụ: chi tiết tại bảng dưới đây.",
            "3. Khó khăn, vướng mắc: nguồn lực còn hạn chế.",
            "4. Đề xuất, kiến nghị: tiếp tục bố trí kinh phí.",
            "5. Phương hướng thời gian tới: tiếp tục triển khai các nhiệm vụ còn lại.",
            "(Chi tiết kết quả từng nhiệm vụ tại bảng kèm theo)",
            "Đơn vị trân trọng báo cáo./.",
            "",
            "",
            "",
            "",
            "BẢNG TỔNG HỢP KẾT QUẢ",
        ]
    return lines, titles


def write_block(grid: Grid, truth: ReportTruth, layout: Layout, width: int) -> int:
    top, left = layout.top, layout.left
    lines, titles = _block(truth, layout)
    row = top
    half = max(2, width // 3)
    if layout.form_label:  # "Phụ lục 02" above the issuing block, on the left or the right
        text, side = layout.form_label
        grid.put(row, left if side == "left" else left + width - 1, text)
        row += 1
    for text_left, text_right in lines:
        grid.put(row, left, text_left)
        grid.put(row, left + half, text_right)
        if not layout.csv:
            grid.merges.append((row, left, row, left + half - 1))
            grid.merges.append((row, left + half, row, left + width - 1))
        row += 1
    for text in titles:
        grid.put(row, left, text or None)
        if text and not layout.csv:
            grid.merges.append((row, left, row, left + width - 1))
        row += 1
    return row + 1
