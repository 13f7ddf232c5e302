"""How each column of the task table was understood, and a person's corrections to it.

The reader's own reading (``find_header``) is the start. A correction is a set of changes, each a column
(its position from the table's first header column, so a table moved right keeps it) and what the
column is: a field, an x-mark status ("mark:done"), or "" (ignored). Corrections come from two places,
applied in this order: one remembered for the same reporting unit and header shape (the
``fingerprint`` of the folded header texts, saved in the database when a person corrected an earlier
file) and one chosen on the upload page for this very file. A field names one column: assigning it
to a column takes it from the column that had it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from etl.errors import MissingColumn, Problem
from etl.ingest.bounds import column_letter
from etl.ingest.header import FIELD_LABELS, Field, Header, classify_header
from etl.ingest.readers import Sheet
from etl.model import ColumnUse, ReportMeta
from etl.vocab.status import ALLOWED_STATUS_WORDS, Status
from etl.vocab.text import cell_text, key

IGNORE = ""
MARK = "mark:"
SAMPLE_ROWS = 3
SAMPLE_CHARS = 80
Changes = Mapping[int, str]  # offset in the table -> assignment


@dataclass(frozen=True)
class ColumnChoices:
    """Corrections to the reader's columns: remembered per (province as written, unit, header
    fingerprint), and chosen on the upload page for one file (offset -> assignment)."""

    remembered: Mapping[tuple[str, str, str], Changes] = field(default_factory=dict)
    chosen: Changes = field(default_factory=dict)


def assignments() -> list[str]:
    """Every assignment a person can pick, in the order a list shows them."""
    return [f.value for f in Field] + [MARK + s.value for s in Status] + [IGNORE]


def assignment_label(value: str) -> str:
    """Vietnamese words for an assignment: "Đơn vị chủ trì", "đánh dấu 'x' = Hoàn thành", "bỏ qua"."""
    if value.startswith(MARK):
        return f"ô đánh dấu 'x' = {ALLOWED_STATUS_WORDS[Status(value[len(MARK) :])]}"
    return FIELD_LABELS[Field(value)] if value else "bỏ qua"


def header_texts(sheet: Sheet, header: Header) -> list[str]:
    """Each column's header as printed, rows of a grouped header joined ("Đơn vị thực hiện – Chủ trì")."""
    width = max((len(sheet.rows[r]) for r in range(header.first_row, header.row + 1)), default=0)
    merged = [m for m in sheet.merged if m[0] <= header.row and m[2] >= header.first_row]
    texts = []
    for c in range(width):
        parts: list[str] = []
        for r in range(header.first_row, header.row + 1):
            text = _merged_text(sheet, merged, r, c)
            if text and text not in parts:
                parts.append(text)
        texts.append(" – ".join(parts))
    return texts


def _merged_text(sheet: Sheet, merged: list[tuple[int, int, int, int]], r: int, c: int) -> str:
    for r1, c1, r2, c2 in merged:
        if r1 <= r <= r2 and c1 <= c <= c2:
            r, c = r1, c1
            break
    row = sheet.rows[r] if r < len(sheet.rows) else []
    return cell_text(row[c]).strip() if c < len(row) else ""


def table_span(texts: list[str]) -> range:
    """The columns from the first to the last one with a header."""
    filled = [c for c, t in enumerate(texts) if t]
    return range(filled[0], filled[-1] + 1) if filled else range(0)


def fingerprint(texts: list[str]) -> str:
    """The header's shape: its folded texts in order (case, diacritics, punctuation and the table's
    position on the sheet do not matter; a column added, removed or renamed does)."""
    span = table_span(texts)
    shape = "\x1f".join(key(texts[c]) for c in span)
    return hashlib.sha256(shape.encode()).hexdigest()[:16]


def assignment_of(header: Header) -> dict[int, str]:
    """Column -> assignment, for the columns the header uses."""
    used = {col: fld.value for fld, col in header.columns.items()}
    used.update({col: MARK + status.value for col, status in header.marks.items()})
    return used


def apply_changes(header: Header, changes: Mapping[int, str], texts: list[str]) -> Header:
    """The header with each changed column (absolute index) reassigned."""
    columns, marks, labels = dict(header.columns), dict(header.marks), dict(header.labels)
    for col, value in changes.items():
        columns = {f: c for f, c in columns.items() if c != col}
        marks.pop(col, None)
        if value.startswith(MARK):
            marks[col] = Status(value[len(MARK) :])
        elif value:
            columns[Field(value)] = col
        if value and col < len(texts):
            labels[col] = texts[col] or assignment_label(value)
    return replace(header, columns=columns, marks=marks, labels=labels)


def resolve_columns(
    sheet: Sheet, header: Header, meta: ReportMeta, choices: ColumnChoices | None
) -> tuple[Header, list[ColumnUse], str, list[Problem]]:
    """The header with the remembered and chosen corrections applied, how each column is used, the
    header's fingerprint, and a note when a remembered correction was used.

    Raises ``MissingColumn`` when the corrections leave no column for the task text.
    """
    choices = choices or ColumnChoices()
    texts = header_texts(sheet, header)
    span, shape = table_span(texts), fingerprint(texts)
    remembered = _valid(choices.remembered.get((meta.province_legacy, meta.reporting_unit, shape), {}), span)
    chosen = _valid(choices.chosen, span)
    auto = assignment_of(header)
    applied = apply_changes(apply_changes(header, remembered, texts), chosen, texts)
    used = assignment_of(applied)
    sampled = _sample_rows(sheet, applied)
    uses = [
        ColumnUse(
            col - span.start,
            column_letter(col),
            texts[col],
            used.get(col, IGNORE),
            auto.get(col, IGNORE),
            _source(col, used, auto, remembered, chosen),
            tuple(_sample_text(row[col] if col < len(row) else None) for row in sampled),
        )
        for col in span
    ]
    if Field.TITLE not in applied.columns:
        raise MissingColumn(
            "Không có cột nào được chọn là 'Nội dung nhiệm vụ'.",
            [Problem("Hãy chọn cột chứa nội dung nhiệm vụ trong phần cách hiểu các cột.", sheet.name)],
        )
    notes = [_remembered_note(uses)] if any(u.source == "remembered" for u in uses) else []
    notes += _twin_notes(uses, applied, span, sheet.name)
    return applied, uses, shape, notes


def _twin_notes(uses: list[ColumnUse], header: Header, span: range, sheet: str) -> list[Problem]:
    """A column left unread because another column has the same kind of header ("Thời hạn hoàn thành"
    and "Thời gian hoàn thành" side by side): said, since its values are in none of the tasks."""
    notes = []
    for use in uses:
        fld = classify_header(use.header) if use.used == IGNORE and use.header else None
        if (
            fld is not None
            and (col := header.columns.get(fld)) is not None
            and col != span.start + use.offset
        ):
            notes.append(
                Problem(
                    f"Cột {use.letter} «{use.header}» không được đọc: cột {column_letter(col)} «{header.label(fld)}» "
                    f"đã được hiểu là '{FIELD_LABELS[fld]}'. Nếu cột {use.letter} là thông tin khác (ví dụ ngày "
                    "hoàn thành thực tế), hãy đổi tên cột cho rõ hoặc chọn lại cách hiểu cột ở trang Tải báo cáo.",
                    sheet,
                    header.first_row + 1,
                    use.header,
                )
            )
    return notes


def _valid(changes: Changes, span: range) -> dict[int, str]:
    """Offsets -> absolute columns, keeping only columns of the table and assignments we know."""
    known = set(assignments())
    return {span.start + off: v for off, v in changes.items() if 0 <= off < len(span) and v in known}


def _source(col: int, used: dict, auto: dict, remembered: dict, chosen: dict) -> str:
    if used.get(col, IGNORE) == auto.get(col, IGNORE) and col not in chosen:
        return "auto"
    return "chosen" if col in chosen or (chosen and col not in remembered) else "remembered"


def _sample_rows(sheet: Sheet, header: Header) -> list[list[object]]:
    """The first rows that look like tasks (three cells or more filled: section and spacer rows are
    skipped), whose values show what each column holds."""
    out: list[list[object]] = []
    for row in sheet.rows[header.data_start :]:
        if len(out) == SAMPLE_ROWS:
            break
        if sum(v not in (None, "") for v in row) >= 3:
            out.append(row)
    return out


def _sample_text(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    text = " ".join(cell_text(value).split())
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1] + "…"


def describe(use: ColumnUse) -> str:
    """ "Cột D «Đơn vị thực hiện – Chủ trì» → Đơn vị chủ trì"."""
    header = f" «{use.header}»" if use.header else " (không có tiêu đề)"
    return f"Cột {use.letter}{header} → {assignment_label(use.used)}"


def _remembered_note(uses: list[ColumnUse]) -> Problem:
    changed = "; ".join(describe(u) for u in uses if u.source == "remembered")
    return Problem(
        "Đã dùng cách hiểu cột đã lưu cho đơn vị này và mẫu tiêu đề này (do người dùng sửa ở lần tải trước): "
        f"{changed}. Nếu không đúng, hãy sửa lại ở trang Tải báo cáo."
    )
