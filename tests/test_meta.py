"""Who, where and when, from the rows above a report's table, in every header style offices use.

The header blocks are generated: issuing block (parent line spelled out, abbreviated, split over two
lines or cells, none; provincial department, office, press, district committee and its offices, party
bodies) × title × period line × preamble (none, number and signing line, a letter pushing the table to
row 20) × position × Unicode form. Every rendering must give the same province, unit and period.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from dataclasses import dataclass, replace

import pytest

from etl.errors import MissingMetadata
from etl.ingest.meta import MetaOptions, read_meta
from etl.ingest.parse import parse_workbook
from etl.ingest.readers import read_workbook
from etl.vocab.unit_names import sentence_case
from etl.vocab.units import UnitDirectory
from tests.helpers import make_workbook

DIRECTORY = UnitDirectory.from_csv()
CURRENT = {
    "Phú Yên": "Đắk Lắk",
    "Thừa Thiên Huế": "Huế",
    "Tuyên Quang": "Tuyên Quang",
    "Thái Bình": "Hưng Yên",
}


@dataclass(frozen=True)
class Issuer:
    """A header's issuing block (left lines, top to bottom) and what a person reads from it."""

    name: str
    lines: tuple[str, ...]
    province: str  # as before 2025
    unit: str
    place: str  # written in the signing line
    names_province: bool = True  # the block itself says the province (or a district of it)
    motto: str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def _province_parents(province: str) -> dict[str, tuple[str, ...]]:
    upper = province.upper()
    return {
        "spelled": (f"ỦY BAN NHÂN DÂN TỈNH {upper}",),
        "abbreviated": (f"UBND TỈNH {upper}",),
        "split": ("ỦY BAN NHÂN DÂN", f"TỈNH {upper}"),
        "none": (),
    }


def _issuers() -> list[Issuer]:
    out: list[Issuer] = []
    provincial = [
        ("department", ("SỞ NGOẠI VỤ",), "Phú Yên", "Sở Ngoại vụ"),
        ("office", ("VĂN PHÒNG",), "Phú Yên", "Văn phòng Ủy ban nhân dân tỉnh"),
        ("two-line name", ("SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"), "Thái Bình", "Sở Văn hóa, Thể thao và Du lịch"),
        ("press", ("ĐÀI PHÁT THANH VÀ", "TRUYỀN HÌNH TUYÊN QUANG"), "Tuyên Quang", "Đài Phát thanh và Truyền hình Tuyên Quang"),
        ("police", ("CÔNG AN TỈNH PHÚ YÊN",), "Phú Yên", "Công an tỉnh"),
        ("unknown department", ("SỞ DU LỊCH",), "Phú Yên", "Sở Du lịch"),
    ]  # fmt: skip
    for label, body, province, unit in provincial:
        for style, parent in _province_parents(province).items():
            if style == "none" and label == "office":
                continue  # a lone "VĂN PHÒNG" says nothing of whose office it is
            names = style != "none" or label in ("press", "police")
            out.append(Issuer(f"{label}/{style}", parent + body, province, unit, province, names))
        one_cell = ("\n".join(_province_parents(province)["abbreviated"] + body),)
        out.append(Issuer(f"{label}/one cell", one_cell, province, unit, province))
    district = "Thừa Thiên Huế"
    out += [
        Issuer("district committee/one line", ("UBND THỊ XÃ HƯƠNG TRÀ",), district, "Ủy ban nhân dân thị xã Hương Trà", "Hương Trà"),
        Issuer("district committee/split", ("ỦY BAN NHÂN DÂN", "THỊ XÃ HƯƠNG TRÀ"), district, "Ủy ban nhân dân thị xã Hương Trà", "Hương Trà"),
        Issuer("district committee/under province", ("UBND TỈNH THỪA THIÊN HUẾ", "UBND THỊ XÃ HƯƠNG TRÀ"), district, "Ủy ban nhân dân thị xã Hương Trà", "Thừa Thiên Huế"),
        Issuer("district office", ("UBND THỊ XÃ HƯƠNG TRÀ", "PHÒNG VĂN HÓA VÀ THÔNG TIN"), district, "Phòng Văn hóa và Thông tin thị xã Hương Trà", "Hương Trà"),
        Issuer("district office/văn phòng", ("UBND THỊ XÃ HƯƠNG TRÀ", "VĂN PHÒNG"), district, "Văn phòng HĐND và UBND thị xã Hương Trà", "Hương Trà"),
        Issuer("district office/abbreviated", ("UBND TX HƯƠNG TRÀ", "PHÒNG VĂN HÓA VÀ THÔNG TIN"), district, "Phòng Văn hóa và Thông tin thị xã Hương Trà", "Hương Trà"),
        Issuer("district centre", ("ỦY BAN NHÂN DÂN THỊ XÃ HƯƠNG TRÀ", "TRUNG TÂM VĂN HÓA - THÔNG TIN VÀ THỂ THAO"), district, "Trung tâm Văn hóa - Thông tin và Thể thao thị xã Hương Trà", "Hương Trà"),
        Issuer("district office not in directory", ("UBND HUYỆN TUY AN", "PHÒNG VĂN HÓA VÀ THÔNG TIN"), "Phú Yên", "Phòng Văn hóa và Thông tin huyện Tuy An", "Tuy An"),
        Issuer("town committee", ("UBND THỊ XÃ SÔNG CẦU",), "Phú Yên", "Ủy ban nhân dân thị xã Sông Cầu", "Sông Cầu"),
        Issuer("party", ("TỈNH ỦY THỪA THIÊN HUẾ", "BAN TUYÊN GIÁO"), district, "Ban Tuyên giáo Tỉnh ủy", district, motto="ĐẢNG CỘNG SẢN VIỆT NAM"),
        Issuer("party/đảng bộ", ("ĐẢNG BỘ TỈNH THỪA THIÊN HUẾ", "BAN TUYÊN GIÁO TỈNH ỦY"), district, "Ban Tuyên giáo Tỉnh ủy", district, motto="ĐẢNG CỘNG SẢN VIỆT NAM"),
        Issuer("party/name over two lines", ("BAN TUYÊN GIÁO", "TỈNH ỦY"), district, "Ban Tuyên giáo Tỉnh ủy", district, False, "ĐẢNG CỘNG SẢN VIỆT NAM"),
        Issuer("district party", ("THỊ ỦY HƯƠNG TRÀ", "BAN TUYÊN GIÁO"), district, "Ban Tuyên giáo Thị ủy Hương Trà", "Hương Trà", motto="ĐẢNG CỘNG SẢN VIỆT NAM"),
        Issuer("no issuing block", (), "Thái Bình", "Sở Công Thương", "Thái Bình", False),
    ]  # fmt: skip
    return out


ISSUERS = _issuers()
TITLES = {
    "biểu tổng hợp": ["BIỂU TỔNG HỢP"],
    "phụ lục": [
        "PHỤ LỤC",
        "KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2022",
        "(Kèm theo Báo cáo số 12/BC ngày 5/10/2022)",
    ],
    "báo cáo": ["BÁO CÁO", "Tiến độ thực hiện Kế hoạch thông tin đối ngoại"],
    "none": [],
}
PERIODS = {
    "Quý III năm 2022": ("Q", 3),
    "Quý 3/2022": ("Q", 3),
    "QUÝ III/2022": ("Q", 3),
    "Kỳ báo cáo: Quý III năm 2022": ("Q", 3),
    "(Từ ngày 01/7/2022 đến ngày 30/9/2022)": ("Q", 3),
    "6 tháng đầu năm 2022": ("H", 1),
    "(Từ ngày 15/12/2021 đến ngày 14/6/2022)": ("H", 1),
    "6 tháng cuối năm 2022": ("H", 2),
    "9 tháng đầu năm 2022": ("9M", None),
    "9 THÁNG NĂM 2022": ("9M", None),
    "Năm 2022": ("Y", None),
    "Kỳ báo cáo: năm 2022": ("Y", None),
}
PREAMBLES = ("bare", "number", "letter")
# How the same words reach the reader: as typed, decomposed (NFD), with old tone placement (hoà, uỷ),
# and the issuing block in ordinary case instead of capitals.
FORMS = ("NFC", "NFD", "old tones", "ordinary case")
_OLD_TONES = {"Ủy": "Uỷ", "ỦY": "UỶ", "hóa": "hoá", "HÓA": "HOÁ", "Hòa": "Hoà", "HÒA": "HOÀ", "thủy": "thuỷ"}
POSITIONS = ((0, 0), (0, 2), (3, 0), (2, 3))  # (blank rows above, blank columns to the left)


def _left_block(issuer: Issuer, preamble: str) -> list[tuple[str | None, str | None]]:
    """(left, right) cells of the head: issuing block beside the motto, number beside the signing line."""
    lines = list(issuer.lines)
    rights = [issuer.motto, "Độc lập - Tự do - Hạnh phúc"] if lines else []
    rows = [
        (lines[i] if i < len(lines) else None, rights[i] if i < len(rights) else None)
        for i in range(max(len(lines), len(rights)))
    ]
    if preamble != "bare":
        rows.append(("Số: 12/BC-XX", f"{issuer.place}, ngày 05 tháng 10 năm 2022"))
    if preamble == "letter":
        rows += [
            (None, None),
            ("Kính gửi:", None),
            ("- Sở Thông tin và Truyền thông;", None),
            ("- Ban Chỉ đạo công tác thông tin đối ngoại.", None),
            ("Căn cứ Kế hoạch số 12/KH-UBND ngày 10/01/2022 về công tác thông tin đối ngoại năm 2021;", None),
            ("Thực hiện chỉ đạo của cấp trên, đơn vị báo cáo như sau:", None),
        ]
        rows += [(None, None)] * 5
    return rows  # fmt: skip


def _in_form(text: object, form: str) -> object:
    if not isinstance(text, str) or form == "NFC":
        return text
    if form == "NFD":
        return unicodedata.normalize("NFD", text)
    for new, old in _OLD_TONES.items():
        text = text.replace(new, old)
    return text


def render(issuer: Issuer, title: str, period: str, preamble: str, position: tuple[int, int], form: str):
    """The rows above the table, as a reader receives them."""
    if form == "ordinary case":
        lines = tuple("\n".join(sentence_case(part) for part in line.split("\n")) for line in issuer.lines)
        issuer = replace(issuer, lines=lines)
    rows = _left_block(issuer, preamble)
    rows += [(line, None) for line in TITLES[title]] + [(period, None)]
    if issuer.name == "no issuing block":
        rows.insert(0, ("KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI TỈNH THÁI BÌNH", None))
        rows.append(("Đơn vị báo cáo: Sở Công Thương", None))
    top, left = position
    out: list[list[object]] = [[] for _ in range(top)]
    for a, b in rows:
        row: list[object] = [None] * left + [a, None, None, None, b]
        out.append([_in_form(v, form) for v in row])
    return out


def _combinations(seed: int, count: int):
    everything = list(itertools.product(ISSUERS, TITLES, PERIODS, PREAMBLES, POSITIONS, FORMS))
    readable = [c for c in everything if c[0].names_province or c[3] != "bare"]
    return random.Random(seed).sample(readable, count)


def _read(rows, **options):
    return read_meta(rows, MetaOptions(**options), DIRECTORY)[0]


@pytest.mark.parametrize("issuer", ISSUERS, ids=lambda i: i.name)
def test_every_header_style_gives_the_same_truth(issuer: Issuer) -> None:
    combos = [c for c in _combinations(2022, 4000) if c[0] == issuer]
    assert len(combos) > 40
    wrong = []
    for _, title, period, preamble, position, form in combos:
        meta = _read(render(issuer, title, period, preamble, position, form))
        got = (
            meta.province_legacy,
            meta.province,
            meta.reporting_unit,
            meta.period_year,
            meta.period_kind,
            meta.period_index,
        )
        want = (issuer.province, CURRENT[issuer.province], issuer.unit, 2022, *PERIODS[period])
        if got != want:
            wrong.append((title, period, preamble, position, form, got))
    assert wrong == []  # fmt: skip


@pytest.mark.parametrize("preamble", PREAMBLES)
def test_letter_style_headers_load_end_to_end(preamble: str) -> None:
    issuer = next(i for i in ISSUERS if i.name == "district office")
    title = render(issuer, "biểu tổng hợp", "Kỳ báo cáo: năm 2022", preamble, (0, 0), "NFC")
    data = make_workbook(
        [["1", "Nhiệm vụ", "Sở Ngoại vụ", "", "Năm 2022", "", 50, "", ""]], title=title + [[]]
    )
    report = parse_workbook(read_workbook(data, "bao_cao.xlsx"), MetaOptions(), DIRECTORY)
    assert (report.meta.province_legacy, report.meta.reporting_unit) == (issuer.province, issuer.unit)
    assert report.header_row == len(title) + 2
    assert len(report.tasks) == 1


def _missing(rows, file_name: str = "", **options) -> MissingMetadata:
    with pytest.raises(MissingMetadata) as exc:
        read_meta(rows, MetaOptions(**options), DIRECTORY, file_name)
    return exc.value


def test_a_district_name_many_provinces_share_is_asked_with_every_candidate() -> None:
    rows = [
        ["UBND HUYỆN CHÂU THÀNH"],
        ["PHÒNG VĂN HÓA VÀ THÔNG TIN"],
        ["BIỂU TỔNG HỢP"],
        ["Quý III năm 2022"],
    ]
    error = _missing(rows)
    assert {p.column for p in error.problems} == {"tỉnh"}
    assert error.guesses.missing == ("province",)
    assert {"An Giang", "Bến Tre", "Tiền Giang", "Long An"} <= set(error.guesses.provinces)
    assert error.guesses.units == ("Phòng Văn hóa và Thông tin huyện Châu Thành",)
    assert error.guesses.periods == ("2022-Q3",)
    assert "Tiền Giang" in error.problems[0].message  # the CLI's error names the candidates
    meta = _read(rows + [["Kính gửi: Sở Thông tin và Truyền thông tỉnh Tiền Giang"]])
    assert (meta.province_legacy, meta.province) == ("Tiền Giang", "Đồng Tháp")
    assert _read(rows, province="Bến Tre").province_legacy == "Bến Tre"


def test_a_district_named_like_a_province_is_the_district() -> None:
    rows = [["UBND HUYỆN QUẢNG NINH"], ["PHÒNG VĂN HÓA VÀ THÔNG TIN"], ["Năm 2022"]]
    assert _read(rows).province_legacy == "Quảng Bình"
    assert _read([["UBND TỈNH QUẢNG NINH"], ["SỞ NGOẠI VỤ"], ["Năm 2022"]]).province_legacy == "Quảng Ninh"


def test_guesses_when_the_file_says_nothing() -> None:
    error = _missing([["BIỂU TỔNG HỢP"], [None, "ngày 05 tháng 10 năm 2022"]], "BC_Q3-2022_SoVHTTDL.xlsx")
    assert error.guesses.missing == ("province", "unit", "period")
    assert error.guesses.periods[0] == "2022-Q3"
    assert "Sở Văn hóa, Thể thao và Du lịch" in error.guesses.units
    signed = _missing(
        [["SỞ NGOẠI VỤ"], ["Số: 1/BC", "Phú Yên, ngày 05 tháng 10 năm 2022"], ["BIỂU TỔNG HỢP"]]
    )
    assert signed.guesses.missing == ("period",)
    assert (signed.guesses.provinces, signed.guesses.units) == (("Phú Yên",), ("Sở Ngoại vụ",))
    assert signed.guesses.periods == ("2022-Q3", "2022-9M")
    yearless = _missing([["SỞ NGOẠI VỤ"], ["Số: 1/BC", "Phú Yên, ngày 10 tháng 01 năm 2023"], ["Quý IV"]])
    assert yearless.guesses.periods[:2] == ("2022-Q4", "2022")


def test_the_options_fill_what_the_file_does_not_say_and_never_override_it() -> None:
    lone = [["UBND TỈNH THÁI BÌNH"], ["Quý III năm 2022"]]
    assert _read(lone).reporting_unit == "Ủy ban nhân dân tỉnh Thái Bình"
    assert _read(lone, unit="Sở NgV").reporting_unit == "Sở Ngoại vụ"  # a lone parent line yields
    meta, warnings = read_meta(
        [["UBND TỈNH THÁI BÌNH"], ["SỞ NGOẠI VỤ"], ["Năm 2022"]], MetaOptions(unit="Sở Tài chính"), DIRECTORY
    )
    assert meta.reporting_unit == "Sở Ngoại vụ"
    assert any("khác với đơn vị đã chọn" in w.message for w in warnings)  # fmt: skip


def test_addressees_of_a_letter_are_not_the_reporter() -> None:
    rows = [["Kính gửi:"], ["- Sở Thông tin và Truyền thông tỉnh Phú Yên;"], ["- Sở Ngoại vụ."], ["Năm 2022"]]
    error = _missing(rows)
    assert error.guesses.missing == ("unit",)
    assert "Sở Thông tin và Truyền thông" not in error.guesses.units


def test_a_refused_file_carries_the_guesses_and_loads_with_the_choice() -> None:
    from etl.model import Verdict
    from etl.store.load import IngestOptions, preview_bytes

    title = [
        ["UBND HUYỆN CHÂU THÀNH", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["PHÒNG VĂN HÓA VÀ THÔNG TIN"],
        ["Năm 2022"],
    ]
    data = make_workbook([["1", "Nhiệm vụ", "Sở Ngoại vụ", "", "Năm 2022", "", 50, "", ""]], title=title)
    asked = preview_bytes("bc.xlsx", data, IngestOptions())
    assert (asked.verdict, asked.reason) == (Verdict.REJECTED, "missing metadata")
    assert "Tiền Giang" in asked.guesses.provinces and asked.guesses.missing == ("province",)
    chosen = preview_bytes("bc.xlsx", data, IngestOptions(province=asked.guesses.provinces[0]))
    assert chosen.verdict is Verdict.PREVIEWED
    assert chosen.report.meta.province_legacy == asked.guesses.provinces[0]


@pytest.mark.parametrize(
    ("rows", "unit"),
    [
        # the title first, the unit alone on a line below it
        ([["BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH TTĐN TỈNH PHÚ YÊN"], ["Sở Ngoại vụ"], ["Năm 2022"]], "Sở Ngoại vụ"),
        # addressees written without bullets are not the reporter either
        (
            [["SỞ NGOẠI VỤ"], ["Số: 1/BC", "Phú Yên, ngày 1 tháng 1 năm 2023"], ["Kính gửi:"], ["Sở Thông tin và Truyền thông"], ["Năm 2022"]],
            "Sở Ngoại vụ",
        ),
        # a title in capitals right under the issuing body is not a body
        ([["UBND TỈNH PHÚ YÊN"], ["SỞ NGOẠI VỤ"], ["SƠ KẾT 6 THÁNG ĐẦU NĂM 2022"]], "Sở Ngoại vụ"),
        ([["UBND TỈNH PHÚ YÊN"], ["SỞ NGOẠI VỤ"], ["HỘI NGHỊ GIAO BAN QUÝ III NĂM 2022"]], "Sở Ngoại vụ"),
        # no issuing block: the report this table is attached to says who sent it
        ([["PHỤ LỤC"], ["(Kèm theo Báo cáo số 12/BC ngày 5/10/2022 của Sở Ngoại vụ tỉnh Phú Yên)"], ["Năm 2022"]], "Sở Ngoại vụ"),
        # a unit line that needs its parent's scope takes it from the issuing block
        ([["UBND TỈNH PHÚ YÊN"], ["Đơn vị báo cáo: Văn phòng"], ["Năm 2022"]], "Văn phòng Ủy ban nhân dân tỉnh"),
        # a blank row or a row of the motto alone between the parent and the body
        ([["UBND TỈNH PHÚ YÊN"], [], ["SỞ NGOẠI VỤ"], ["Năm 2022"]], "Sở Ngoại vụ"),
        ([["UBND TỈNH PHÚ YÊN", None, "CỘNG HÒA"], [None, None, "Độc lập"], ["SỞ NGOẠI VỤ"], ["Năm 2022"]], "Sở Ngoại vụ"),
        # parent and body in one cell, with the rule under them
        ([["UBND TỈNH PHÚ YÊN\nVĂN PHÒNG\n-------", None, "CỘNG HÒA"], ["Năm 2022"]], "Văn phòng Ủy ban nhân dân tỉnh"),
    ],
)  # fmt: skip
def test_the_reporter_among_other_lines(rows, unit) -> None:
    meta = _read(rows)
    assert (meta.province_legacy, meta.reporting_unit) == ("Phú Yên", unit)


def test_a_chosen_province_keeps_the_district_committee_named() -> None:
    rows = [["ỦY BAN NHÂN DÂN"], ["THỊ XÃ HƯƠNG TRÀ"], ["BIỂU TỔNG HỢP"], ["Năm 2022"]]
    meta = _read(rows, province="Thừa Thiên Huế")
    assert meta.reporting_unit == "Ủy ban nhân dân thị xã Hương Trà"


def test_the_author_of_an_attached_plan_is_not_the_reporter() -> None:
    error = _missing([["PHỤ LỤC"], ["(Kèm theo Kế hoạch số 12/KH-UBND của UBND tỉnh Phú Yên)"], ["Năm 2022"]])
    assert error.guesses.missing == ("unit",)


@pytest.mark.parametrize(
    ("lines", "period"),
    [
        (["KẾT QUẢ THỰC HIỆN KẾ HOẠCH NĂM 2022", "Kỳ báo cáo: 9 tháng"], ("9M", None)),
        (["BÁO CÁO SƠ KẾT 6 THÁNG ĐẦU NĂM", "Năm 2022"], ("H", 1)),
        (["KẾT QUẢ THỰC HIỆN KẾ HOẠCH NĂM 2022", "Quý III"], ("Q", 3)),
        (["KẾT QUẢ THỰC HIỆN KẾ HOẠCH NĂM 2022", "(Số liệu tính đến ngày 15 tháng 6)"], ("Y", None)),
        (["Báo cáo quý 3 - 2022"], ("Q", 3)),
        (["(Từ ngày 01/01/2022 đến ngày 31/12/2022)"], ("Y", None)),
        (["(Số liệu từ 15/12/2021 đến 14/9/2022)"], ("9M", None)),
    ],
)
def test_period_lines(lines, period) -> None:
    meta = _read([["UBND TỈNH PHÚ YÊN"], ["SỞ NGOẠI VỤ"], *([line] for line in lines)])
    assert (meta.period_year, meta.period_kind, meta.period_index) == (2022, *period)
