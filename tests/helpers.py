"""Build small workbooks in tests."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook

TITLE = [
    ["UBND TỈNH THÁI BÌNH", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["SỞ NGOẠI VỤ", None, None, "Độc lập - Tự do - Hạnh phúc"],
    ["KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2022"],
    ["Quý III năm 2022"],
    [],
]
HEADER = [
    "STT",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian hoàn thành",
    "Kết quả thực hiện",
    "Tiến độ (%)",
    "Tình trạng",
    "Ngày hoàn thành",
]


def make_workbook(
    rows: list[list[object]],
    title: list[list[object]] | None = None,
    header: list[object] | None = None,
    merges: list[str] = (),
    sheet: str = "Báo cáo",
) -> bytes:
    """An .xlsx with title rows, a header row and the given data rows; returns its bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in (TITLE if title is None else title) + [HEADER if header is None else header] + rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def header_row(title: list[list[object]] | None = None) -> int:
    """The Excel row of the header in a workbook made by ``make_workbook``."""
    return len(TITLE if title is None else title) + 1


def plain(markdown: str) -> str:
    """Markdown as a person reads it: the escapes ``display.format.md_escape`` puts in user text removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def chart_specs(at) -> list[dict]:
    """The Plotly figures an AppTest page sent to the browser (``ui.plotly_view``), as plotly.js gets them."""
    import json

    sent = [c for c in at.get("bidi_component") if c.proto.component_name == "ttdn_plotly"]
    return [json.loads(json.loads(c.proto.json)["figure"]) for c in sent]
