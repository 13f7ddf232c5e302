"""Hostile text for the escaping tests: a report whose unit, tasks and cells are Markdown, HTML and LaTeX."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from etl.store.db import Database
from etl.store.load import IngestOptions, ingest_bytes
from tests.helpers import make_workbook

IMAGE = "![x](http://host.invalid/a.png)"
LINK = "[link](http://x.invalid)"
TAG = '<img src="http://host.invalid/b.png">'
STRINGS = [IMAGE, LINK, TAG, "**bold**", "$x$"]
UNIT = f"Sở {IMAGE} {TAG}"
FILE_NAME = "[link](http:x.invalid) <img src=x> **bold** $x$.xlsx"
# What must never reach a page unescaped: a link or image target, a tag, bold, LaTeX (a backslash
# before a mark is Markdown's escape).
RAW = [re.compile(p) for p in (r"\]\(http", r"(?<!\\)<img", r"\*\*bold\*\*", r"(?<!\\)\$x\$")]


def hostile_report() -> bytes:
    """A Thái Bình report of ``UNIT`` whose tasks, units and results carry the hostile strings."""
    title = [
        ["UBND TỈNH THÁI BÌNH", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        [UNIT, None, None, "Độc lập - Tự do - Hạnh phúc"],
        ["KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2024"],
        ["Quý III năm 2024"],
        [],
    ]
    rows = [
        [k + 1, f"Nhiệm vụ {text}", UNIT, f"Đơn vị {text}", "Quý III/2024", f"Kết quả {text}", 50,
         "Đang thực hiện", None]
        for k, text in enumerate(STRINGS)
    ]  # fmt: skip
    return make_workbook(rows, title=title)


def hostile_db(fixture_db: Path, target: Path) -> Path:
    """A copy of the fixture database with the hostile report loaded."""
    shutil.copy(fixture_db, target)
    db = Database(target)
    try:
        ingest_bytes(db, [(FILE_NAME, hostile_report())], IngestOptions())
    finally:
        db.close()
    return target
