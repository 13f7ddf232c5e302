"""Plan documents as text: plain text files (UTF-8, UTF-8 with BOM, Windows-1258) and Word .docx.

A .docx gives one line per paragraph and per table-cell paragraph, in document order (the header
block "ỦY BAN NHÂN DÂN … / Số: 41/KH-UBND" of an official document is usually a table). Anything
else is refused with a ``PlanError`` saying which formats are read.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import PurePath

from docx import Document
from docx.document import Document as DocumentObject
from docx.table import Table
from docx.text.paragraph import Paragraph

from etl.errors import PlanError
from etl.settings import Limits

_SUPPORTED = "Chỉ đọc được kế hoạch dạng .docx (Word) hoặc .txt."
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_plan_text(data: bytes, file_name: str) -> str:
    """The text of a plan document, NFC, one paragraph per line.

    >>> read_plan_text("Kế hoạch".encode("utf-8-sig"), "kh.txt")
    'Kế hoạch'
    """
    suffix = PurePath(file_name or "").suffix.lower()
    limits = Limits()
    if len(data) > limits.max_file_bytes:
        raise PlanError(
            f"Tệp '{file_name}' quá lớn ({len(data) / 2**20:.1f} MB); "
            f"giới hạn là {limits.max_file_bytes / 2**20:.0f} MB."
        )
    if suffix == ".txt":
        text = _decode(data, file_name)
    elif suffix == ".docx":
        text = _docx_text(data, file_name, limits)
    elif suffix in (".doc", ".pdf", ".odt", ".rtf"):
        raise PlanError(
            f"Tệp '{file_name}' có định dạng {suffix} chưa được hỗ trợ. {_SUPPORTED} "
            "Hãy mở tệp bằng Word/LibreOffice và lưu lại thành .docx."
        )
    else:
        raise PlanError(f"Không đọc được tệp '{file_name}'. {_SUPPORTED}")
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise PlanError(f"Tệp '{file_name}' không có nội dung.")
    return text


def _decode(data: bytes, file_name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise PlanError(
            f"Không nhận ra bảng mã của tệp '{file_name}'. Hãy lưu lại tệp với bảng mã UTF-8."
        ) from exc


def _docx_text(data: bytes, file_name: str, limits: Limits) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
            if total > limits.max_unzipped_bytes:
                raise PlanError(f"Tệp '{file_name}' giải nén quá lớn; không đọc được.")
        document = Document(io.BytesIO(data))
    except PlanError:
        raise
    except Exception as exc:  # python-docx raises several kinds for a damaged or foreign file
        raise PlanError(
            f"Tệp '{file_name}' không phải là tệp Word .docx hợp lệ (tệp hỏng hoặc sai định dạng). "
            "Hãy mở bằng Word và lưu lại thành .docx."
        ) from exc
    return "\n".join(_block_lines(document))


def _block_lines(document: DocumentObject) -> Iterator[str]:
    """Paragraph texts of the body, table cells included, in document order."""
    yield from _children_lines(document.element.body, document)


def _children_lines(parent, owner) -> Iterator[str]:
    for child in parent.iterchildren():
        if child.tag == f"{_W}p":
            yield Paragraph(child, owner).text
        elif child.tag == f"{_W}tbl":
            yield from _table_lines(Table(child, owner))
        elif child.tag == f"{_W}sdt":  # content control wrapping paragraphs
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _children_lines(content, owner)


def _table_lines(table: Table) -> Iterator[str]:
    """A row of three cells or more as one line of tab-separated cells (a task table), else cell by cell."""
    seen: list = []  # the elements themselves: keeping them alive keeps their identity
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if not any(cell._tc is tc for tc in seen):  # a merged cell is repeated once per grid column
                seen.append(cell._tc)
                cells.append(cell)
        nested = any(cell._tc.find(f".//{_W}tbl") is not None for cell in cells)
        if len(cells) >= 3 and not nested:
            yield "\t".join(_cell_text(cell) for cell in cells)
            continue
        for cell in cells:
            yield from _children_lines(cell._tc, cell)


def _cell_text(cell) -> str:
    """One line for a cell: short paragraphs (a list of units) joined by "; ", long ones by a space."""
    texts = _children_lines(cell._tc, cell)
    paragraphs = [p.replace("\t", " ").strip() for text in texts for p in text.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    joiner = "; " if all(len(p) <= 80 for p in paragraphs) and len(paragraphs) > 1 else " "
    return joiner.join(p.rstrip(";") if joiner == "; " else p for p in paragraphs)
