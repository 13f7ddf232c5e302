"""Province, reporting unit and period from a report's title rows, or from the caller's options.

The title rows win; the options fill what the file does not say. When a file says one
thing and the options another, the file wins and a warning says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.errors import MissingMetadata, Problem
from etl.model import ReportMeta
from etl.vocab.periods import Period, find_period_in_lines, parse_period_code
from etl.vocab.provinces import Province, find_province, resolve_province
from etl.vocab.text import cell_text, fold
from etl.vocab.units import UnitDirectory, capitalise

_UNIT_LINE = re.compile(r"^\s*(?:đơn vị|don vi|cơ quan|co quan)\s*(?:báo cáo|bao cao)?\s*:\s*(.+)$", re.I)
_NOT_UNIT = (
    "ubnd tinh",
    "uy ban nhan dan tinh",
    "so:",
    "cong hoa",
    "doc lap",
    "phu luc",
    "ket qua",
    "bao cao",
)
_UNIT_WORDS = (
    "so ",
    "bao ",
    "dai ",
    "ban ",
    "cong an",
    "cong thong tin",
    "van phong",
    "bo chi huy",
    "uy ban",
)


@dataclass
class MetaOptions:
    """What the caller knows about a file (CLI flags, upload page choices)."""

    province: str | None = None
    unit: str | None = None
    period: str | None = None  # "2022-Q3" | "2022-H1" | "2022-9M" | "2022"


def _cells(title_rows: list[list[object]]) -> list[str]:
    return [t for row in title_rows for t in (cell_text(v) for v in row if isinstance(v, str)) if t]


def read_meta(
    title_rows: list[list[object]], options: MetaOptions, directory: UnitDirectory
) -> tuple[ReportMeta, list[Problem]]:
    cells = _cells(title_rows)
    warnings: list[Problem] = []
    missing: list[Problem] = []
    province = _province(cells, options, warnings, missing)
    legacy = province.legacy_name if province else None
    unit = _unit(cells, title_rows, options, directory, legacy, warnings, missing)
    period = _period(cells, options, warnings, missing)
    if missing:
        raise MissingMetadata(
            "Không xác định được " + ", ".join(p.column or "" for p in missing) + " của báo cáo.", missing
        )
    assert province and unit and period
    return (
        ReportMeta(province.name, province.legacy_name, unit, period.year, str(period.kind), period.index),
        warnings,
    )


def _province(cells: list[str], options: MetaOptions, warnings: list, missing: list) -> Province | None:
    found = next((p for p in map(find_province, cells) if p), None)
    given = resolve_province(options.province) if options.province else None
    if options.province and given is None:
        missing.append(Problem(f"Không nhận ra tên tỉnh '{options.province}'.", column="tỉnh"))
    if found and given and found.legacy_name != given.legacy_name:
        warnings.append(Problem(f"Tệp ghi tỉnh {found.legacy_name}, khác với tỉnh đã chọn ({given.name})."))
    if not found and not given and not options.province:
        missing.append(
            Problem(
                "Không tìm thấy tên tỉnh trong các dòng đầu trang (ví dụ 'UBND TỈNH THÁI BÌNH'). "
                "Hãy thêm dòng đó vào đầu trang hoặc chọn tỉnh khi tải lên (--province).",
                column="tỉnh",
            )
        )
    return found or given


def _unit(cells, title_rows, options, directory, province, warnings, missing) -> str | None:
    for text in cells:
        if m := _UNIT_LINE.match(text):
            written = m.group(1).strip()
            return directory.match(written, province) or _unknown(written, warnings)
    left = [cell_text(r[0]) for r in title_rows if r and isinstance(r[0], str) and cell_text(r[0])]
    for text in left:
        if fold(text).startswith(_NOT_UNIT) or re.match(r"^so\s*\d", fold(text)):
            continue
        if hit := directory.match(text, province):
            return hit
    for text in left:
        folded = fold(text)
        if folded.startswith(_UNIT_WORDS) and not folded.startswith(_NOT_UNIT):
            return _unknown(text if not text.isupper() else capitalise(text.lower()), warnings)
    if options.unit:
        return directory.match(options.unit, province) or _unknown(options.unit, warnings)
    missing.append(
        Problem(
            "Không tìm thấy đơn vị báo cáo trong các dòng đầu trang. Hãy thêm dòng "
            "'Đơn vị báo cáo: <tên đơn vị>' phía trên bảng hoặc chọn đơn vị khi tải lên (--unit).",
            column="đơn vị báo cáo",
        )
    )
    return None


def _unknown(name: str, warnings: list) -> str:
    warnings.append(
        Problem(
            f"Đơn vị báo cáo '{name}' chưa có trong danh mục đơn vị; vẫn nhận và giữ nguyên tên. "
            "Có thể thêm bí danh cho đơn vị ở trang Dữ liệu.",
            column="đơn vị báo cáo",
            value=name,
        )
    )
    return capitalise(name)


def _period(cells: list[str], options: MetaOptions, warnings: list, missing: list) -> Period | None:
    found = find_period_in_lines(cells)
    given = None
    if options.period:
        try:
            given = parse_period_code(options.period)
        except ValueError as exc:
            missing.append(Problem(str(exc), column="kỳ báo cáo", value=options.period))
    if found and given and found != given:
        warnings.append(Problem(f"Tệp ghi kỳ {found.label}, khác với kỳ đã chọn ({given.label})."))
    if not found and not given and not options.period:
        missing.append(
            Problem(
                "Không tìm thấy kỳ báo cáo (ví dụ 'Quý III năm 2022', '6 tháng đầu năm 2022') trong các "
                "dòng đầu trang. Hãy thêm dòng kỳ báo cáo hoặc chọn kỳ khi tải lên (--period 2022-Q3).",
                column="kỳ báo cáo",
            )
        )
    return found or given
