"""Province, reporting unit and period from a report's title rows, or from the caller's options.

The rows above the table are read as a person reads a document's head (``title_block``):
- the **unit** is the "Đơn vị báo cáo: …" line, else the issuing body under its parent, with the
  parent's scope when it needs it ("VĂN PHÒNG" under "UBND TỈNH PHÚ YÊN" is the Văn phòng of that
  committee; "PHÒNG VĂN HÓA VÀ THÔNG TIN" under "UBND THỊ XÃ HƯƠNG TRÀ" keeps "thị xã Hương Trà"),
  else the body named in "(Kèm theo Báo cáo … của X)"; then the unit directory gives its canonical name;
- the **province** is the first named, in this order of trust: the issuing block, the unit line, the
  title lines, the place of signing, the letter's preamble ("Kính gửi", "Căn cứ"). A district or town
  ("UBND THỊ XÃ HƯƠNG TRÀ", "Hương Trà, ngày …") gives its province through the gazetteer
  (``etl.vocab.places``); a name several provinces share is settled by the rest of the page;
- the **period** is the most specific period of the title lines ("Quý III năm 2022", "Kỳ báo cáo: năm
  2022", "6 tháng đầu năm 2022", or a range "(Từ ngày 01/7/2022 đến ngày 30/9/2022)"), else of the
  preamble ("Thực hiện …, báo cáo kết quả quý III năm 2022").

The title rows win; the options fill what the file does not say. When a file says one thing and the
options another, the file wins and a warning says so.

When the file and the options still do not say the province, the unit or the period, ``read_meta``
raises ``MissingMetadata`` (its problems name the columns "tỉnh", "đơn vị báo cáo", "kỳ báo cáo", and
each message says how to fix it, with the guess when there is one), and ``MissingMetadata.guesses``
is a ``MetaGuesses`` for a form to ask with, prefilled:
- ``provinces``: province names as the file would write them (before 2025), best first, from the
  districts named (every province that has one of that name), the unit directory, the signing place;
- ``units``: unit names, best first, from the header, the "của X" of a title, the file's name;
- ``periods``: period codes ("2022-Q3"), from a year-less period line with the year found elsewhere,
  the file's name ("…_Q3-2022_…", "6T2022") and the signing date (a report signed on 5 October 2022
  is for Q3 or nine months of 2022);
- ``missing``: which of "province", "unit", "period" the file does not say. What it does say comes
  alone, so the form shows it as read. Each value is accepted as is by ``MetaOptions``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from etl.errors import MetaGuesses, MissingMetadata, Problem
from etl.ingest.meta_guess import (
    guess_periods,
    guess_provinces,
    guess_units,
    period_of_range,
    yearless_period,
)
from etl.ingest.title_block import TitleBlock, is_org, read_title_block
from etl.model import ReportMeta
from etl.vocab.periods import Period, PeriodKind, find_period_in_lines, parse_period_code
from etl.vocab.places import find_districts, signing_place_districts
from etl.vocab.provinces import Province, find_province, resolve_province
from etl.vocab.text import fold, key
from etl.vocab.unit_names import display_name, full_name, needs_parent
from etl.vocab.units import UnitDirectory

_FIELD_OF = {"tỉnh": "province", "đơn vị báo cáo": "unit", "kỳ báo cáo": "period"}
_PROVINCE_COMMITTEES = ("ubnd tinh", "uy ban nhan dan tinh", "tinh uy", "hdnd tinh", "hoi dong nhan dan tinh")


@dataclass
class MetaOptions:
    """What the caller knows about a file (CLI flags, upload page choices)."""

    province: str | None = None
    unit: str | None = None
    period: str | None = None  # "2022-Q3" | "2022-H1" | "2022-9M" | "2022"


def read_meta(
    title_rows: list[list[object]], options: MetaOptions, directory: UnitDirectory, file_name: str = ""
) -> tuple[ReportMeta, list[Problem]]:
    """The report's province, unit and period; raises ``MissingMetadata`` (with guesses) when unknown."""
    block = read_title_block(title_rows)
    warnings: list[Problem] = []
    missing: list[Problem] = []
    province, candidates = _province(block, options, warnings, missing)
    legacy = province.legacy_name if province else None
    unit = _unit(block, options, directory, legacy, warnings, missing)
    period = _period(block, options, warnings, missing)
    if missing:
        guesses = _guesses(block, directory, file_name, (province, candidates, unit, period), missing)
        raise MissingMetadata(
            "Không xác định được " + ", ".join(p.column or "" for p in missing) + " của báo cáo.",
            [_with_guess(p, guesses) for p in missing],
            guesses,
        )
    assert province and unit and period
    return (
        ReportMeta(province.name, province.legacy_name, unit, period.year, str(period.kind), period.index),
        warnings,
    )


def _guesses(
    block: TitleBlock, directory: UnitDirectory, file_name: str, found: tuple, missing: list[Problem]
) -> MetaGuesses:
    province, candidates, unit, period = found
    legacy = province.legacy_name if province else None
    return MetaGuesses(
        provinces=(legacy,) if legacy else guess_provinces(candidates, unit, block, directory),
        units=(unit,) if unit else guess_units(block, directory, legacy, file_name),
        periods=(period.code,) if period else guess_periods(block, file_name),
        missing=tuple(_FIELD_OF[p.column or ""] for p in missing),
    )


def _with_guess(problem: Problem, guesses: MetaGuesses) -> Problem:
    """The problem's message with what a person would propose ("Có thể là: Quý III/2022 (2022-Q3)")."""
    field = _FIELD_OF.get(problem.column or "")
    if field == "province":
        shown = list(guesses.provinces[:10])
    elif field == "unit":
        shown = list(guesses.units[:3])
    else:
        shown = [f"{parse_period_code(code).label} ({code})" for code in guesses.periods[:3]]
    return replace(problem, message=f"{problem.message} Có thể là: {', '.join(shown)}.") if shown else problem


def file_province(block: TitleBlock) -> tuple[Province | None, tuple[str, ...]]:
    """The province the page names, or None with the provinces a shared district name may be in."""
    candidates: tuple[str, ...] | None = None
    place = block.signing_place or ""
    tiers = (block.issuers, [v for v in (block.unit_label, block.attached_to) if v], block.titles, [place])
    for lines in (*tiers, block.preamble):
        for province, districts in _places(lines, is_signing=lines == [place]):
            if province and (candidates is None or province.legacy_name in candidates):
                return province, ()
            for names in districts:
                narrowed = tuple(p for p in names if candidates is None or p in candidates)
                candidates = narrowed or candidates
                if candidates and len(candidates) == 1:
                    return resolve_province(candidates[0]), ()
    return None, candidates or ()


def _places(lines: list[str], is_signing: bool) -> Iterator[tuple[Province | None, list[tuple[str, ...]]]]:
    """(province named, district provinces) per line; a district's words are not read as a province."""
    for line in lines:
        if is_signing:
            if line:
                yield (
                    resolve_province(line),
                    [tuple(dict.fromkeys(d.province for d in signing_place_districts(line)))],
                )
            continue
        mentions = find_districts(line)
        rest = key(line)
        for m in reversed(mentions):
            rest = f"{rest[: m.start]} {rest[m.end :]}"
        yield find_province(rest), [m.provinces for m in mentions]


def _province(
    block: TitleBlock, options: MetaOptions, warnings: list[Problem], missing: list[Problem]
) -> tuple[Province | None, tuple[str, ...]]:
    found, candidates = file_province(block)
    given = resolve_province(options.province) if options.province else None
    if options.province and given is None:
        missing.append(Problem(f"Không nhận ra tên tỉnh '{options.province}'.", column="tỉnh"))
    if found and given and found.legacy_name != given.legacy_name:
        warnings.append(Problem(f"Tệp ghi tỉnh {found.legacy_name}, khác với tỉnh đã chọn ({given.name})."))
    if not found and not given and not options.province:
        what = (
            "Địa danh trong các dòng đầu trang có ở nhiều tỉnh, tệp không ghi tên tỉnh"
            if candidates
            else "Không tìm thấy tên tỉnh trong các dòng đầu trang"
        )
        missing.append(
            Problem(
                f"{what} (ví dụ 'UBND TỈNH THÁI BÌNH'). "
                "Hãy thêm dòng đó vào đầu trang hoặc chọn tỉnh khi tải lên (--province).",
                column="tỉnh",
            )
        )
    return found or given, candidates


def written_unit(block: TitleBlock) -> tuple[str | None, bool]:
    """The reporting unit as the page writes it, and whether that reading is weak (a lone parent line)."""
    if block.unit_label:
        parent = next((name for name in reversed(block.issuers) if not needs_parent(name)), None)
        label = full_name([parent, block.unit_label]) if parent and needs_parent(block.unit_label) else None
        return label or block.unit_label, False
    if name := full_name(block.issuers):
        weak = len(block.issuers) == 1 and fold(name).startswith(_PROVINCE_COMMITTEES)
        return name, weak
    if block.attached_to:
        return block.attached_to, False
    return next((line for line in block.titles if is_org(line)), None), False


def _unit(
    block: TitleBlock,
    options: MetaOptions,
    directory: UnitDirectory,
    province: str | None,
    warnings: list[Problem],
    missing: list[Problem],
) -> str | None:
    written, weak = written_unit(block)
    if written and not (weak and options.unit):
        found = directory.match(written, province) or _unknown(written, warnings)
        given = directory.match(options.unit, province) or options.unit if options.unit else None
        if given and given != found:
            warnings.append(Problem(f"Tệp ghi đơn vị {found}, khác với đơn vị đã chọn ({given})."))
        return found
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


def _unknown(written: str, warnings: list[Problem]) -> str:
    name = display_name(written)
    warnings.append(
        Problem(
            f"Đơn vị báo cáo '{name}' chưa có trong danh mục đơn vị; vẫn nhận và giữ nguyên tên. "
            "Có thể thêm bí danh cho đơn vị ở trang Dữ liệu.",
            column="đơn vị báo cáo",
            value=name,
        )
    )
    return name


def file_period(block: TitleBlock) -> Period | None:
    """The most specific period the title lines name, else the preamble's ("Căn cứ" lines excepted)."""
    found = find_period_in_lines(block.titles)
    if found and found.kind is not PeriodKind.Y:
        return found
    ranged = period_of_range(block.titles)
    if ranged and (found is None or ranged.year == found.year):
        return ranged
    if found:
        return yearless_period(block.titles, found.year) or found
    return find_period_in_lines([line for line in block.preamble if not fold(line).startswith("can cu")])


def _period(block: TitleBlock, options: MetaOptions, warnings: list, missing: list) -> Period | None:
    found = file_period(block)
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
