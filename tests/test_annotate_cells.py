"""The annotated copy marks the bad cells themselves: a fill and a comment saying what to fix.

(Beside ``test_annotate.py``: these checks read the styling of the copy the upload page offers.)
"""

import io
from pathlib import Path

from openpyxl import load_workbook

from etl.store.load import IngestOptions, annotate_errors, preview_bytes

SAMPLES = Path(__file__).parent / "data" / "samples"


def test_each_bad_cell_is_filled_and_commented_and_good_cells_are_untouched():
    name = "p15_TB_Q2-2022_SoTTTT.xlsx"
    data = (SAMPLES / name).read_bytes()
    result = preview_bytes(name, data, IngestOptions())
    ws = load_workbook(io.BytesIO(annotate_errors(name, data, result)))["Báo cáo"]
    marked = {c.coordinate: c for row in ws.iter_rows() for c in row if c.comment}
    assert sorted(marked) == ["E13", "G20", "H15"]  # Thời gian hoàn thành, Tiến độ (%), Tình trạng
    assert marked["H15"].value == "abc"
    assert marked["H15"].comment.text.startswith("Lỗi: Tình trạng 'abc' không hợp lệ")
    assert {c.fill.fgColor.rgb[-6:] for c in marked.values()} == {"FFC7CE"}
    assert ws["H14"].comment is None and ws["H14"].fill.fgColor.rgb[-6:] != "FFC7CE"
