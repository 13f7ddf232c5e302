"""Reporting periods: codes, labels, dates, and finding a period in a title block."""

from __future__ import annotations

import json
import random
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from etl.vocab.periods import Period, PeriodKind, find_period, find_period_in_lines, parse_period_code

SAMPLES = Path(__file__).parent / "data" / "samples"

Q3_2022 = Period(2022, PeriodKind.Q, 3)
H1_2019 = Period(2019, PeriodKind.H, 1)


@pytest.mark.parametrize(
    ("period", "start", "end", "label", "code"),
    [
        (Period(2022, PeriodKind.Q, 1), date(2022, 1, 1), date(2022, 3, 31), "Quý I/2022", "2022-Q1"),
        (Period(2022, PeriodKind.Q, 2), date(2022, 4, 1), date(2022, 6, 30), "Quý II/2022", "2022-Q2"),
        (Q3_2022, date(2022, 7, 1), date(2022, 9, 30), "Quý III/2022", "2022-Q3"),
        (Period(2022, PeriodKind.Q, 4), date(2022, 10, 1), date(2022, 12, 31), "Quý IV/2022", "2022-Q4"),
        (
            Period(2022, PeriodKind.H, 1),
            date(2022, 1, 1),
            date(2022, 6, 30),
            "6 tháng đầu năm 2022",
            "2022-H1",
        ),
        (
            Period(2022, PeriodKind.H, 2),
            date(2022, 7, 1),
            date(2022, 12, 31),
            "6 tháng cuối năm 2022",
            "2022-H2",
        ),
        (
            Period(2022, PeriodKind.NINE_MONTHS),
            date(2022, 1, 1),
            date(2022, 9, 30),
            "9 tháng đầu năm 2022",
            "2022-9M",
        ),
        (Period(2022, PeriodKind.Y), date(2022, 1, 1), date(2022, 12, 31), "Năm 2022", "2022"),
    ],
)
def test_period_properties(period: Period, start: date, end: date, label: str, code: str) -> None:
    assert (period.start_date, period.end_date, period.label, period.code) == (start, end, label, code)
    assert parse_period_code(code) == period


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period(2023, PeriodKind.Q, 1), Period(2022, PeriodKind.Q, 4)),
        (Period(2022, PeriodKind.Q, 3), Period(2022, PeriodKind.Q, 2)),
        (Period(2023, PeriodKind.H, 1), Period(2022, PeriodKind.H, 2)),
        (Period(2022, PeriodKind.H, 2), Period(2022, PeriodKind.H, 1)),
        (Period(2022, PeriodKind.NINE_MONTHS), Period(2021, PeriodKind.NINE_MONTHS)),
        (Period(2022, PeriodKind.Y), Period(2021, PeriodKind.Y)),
    ],
)
def test_previous_period_of_same_kind(period: Period, previous: Period) -> None:
    assert period.previous() == previous


def test_kind_given_as_text_is_an_enum_and_periods_sort_by_year() -> None:
    assert Period(2022, "Q", 3) == Q3_2022
    assert Period(2022, "9M", None).kind is PeriodKind.NINE_MONTHS
    periods = [Period(2022, PeriodKind.Q, 3), Period(2021, PeriodKind.Y), Period(2022, PeriodKind.Q, 1)]
    assert [p.code for p in sorted(periods)] == ["2021", "2022-Q1", "2022-Q3"]


@pytest.mark.parametrize(
    ("kind", "index"),
    [(PeriodKind.Q, 5), (PeriodKind.Q, 0), (PeriodKind.Q, None), (PeriodKind.H, 3), (PeriodKind.Y, 1)],
)
def test_invalid_period_index(kind: PeriodKind, index: int | None) -> None:
    with pytest.raises(ValueError, match="Kỳ báo cáo không hợp lệ"):
        Period(2022, kind, index)


@pytest.mark.parametrize(
    ("code", "expected"), [(" 2022-q3 ", "2022-Q3"), ("2022-h2", "2022-H2"), ("2019-9m", "2019-9M")]
)
def test_parse_period_code_is_lenient_on_case_and_spaces(code: str, expected: str) -> None:
    assert parse_period_code(code).code == expected


@pytest.mark.parametrize("code", ["2022-Q5", "Q3-2022", "2022-H3", "22", "2022 Q3", "", "năm 2022"])
def test_parse_period_code_refuses_other_forms(code: str) -> None:
    with pytest.raises(ValueError, match=r"^Kỳ báo cáo '.*' không hợp lệ\. Ghi theo dạng 2022-Q3"):
        parse_period_code(code)


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("Quý III năm 2022", "2022-Q3"),
        ("QUÝ 3/2022", "2022-Q3"),
        ("Quý IV/2022", "2022-Q4"),
        ("6 tháng đầu năm 2019", "2019-H1"),
        ("6 THÁNG ĐẦU NĂM 2019", "2019-H1"),
        ("6 tháng cuối năm 2022", "2022-H2"),
        ("9 tháng đầu năm 2022", "2022-9M"),
        ("9 tháng năm 2022", "2022-9M"),
        ("Năm 2022", "2022"),
        ("năm 2022", "2022"),
        ("Báo cáo kết quả thực hiện quý II năm 2022", "2022-Q2"),
        ("KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2022", "2022"),
        ("TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI TỈNH TUYÊN QUANG - QUÝ II NĂM 2022", "2022-Q2"),
        ("Kết quả 9 tháng năm 2022 của kế hoạch năm 2022", "2022-9M"),
    ],
)
def test_find_period(line: str, code: str) -> None:
    assert find_period(line).code == code


@pytest.mark.parametrize(
    "line",
    [
        "Thái Bình, ngày 09 tháng 07 năm 2019",
        "(Kèm theo Báo cáo số 367/BC-STTTT ngày 9/7/2019 của Sở Thông tin và Truyền thông)",
        "Tháng 6 năm 2022",
        "Quý III",
        "Đầu năm 2022",
        "PHỤ LỤC",
        "",
    ],
)
def test_find_period_none(line: str) -> None:
    assert find_period(line) is None


def test_lines_prefer_specific_period_over_year_title() -> None:
    lines = [
        "UBND TỈNH THÁI BÌNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 158/BC-STTTT",
        "Thái Bình, ngày 09 tháng 07 năm 2019",
        "PHỤ LỤC",
        "KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2019",
        "(Kèm theo Báo cáo số 367/BC-STTTT ngày 9/7/2019 của Sở Thông tin và Truyền thông)",
        "6 tháng đầu năm 2019",
    ]
    assert find_period_in_lines(lines) == H1_2019
    assert find_period_in_lines(lines[:7]) == Period(2019, PeriodKind.Y)
    assert find_period_in_lines(lines[:5]) is None


def test_lines_ignore_signing_date_and_document_number() -> None:
    lines = ["Số: 12/2022/BC-UBND", "Tuyên Quang, ngày 09 tháng 10 năm 2021", "KẾT QUẢ NĂM 2022"]
    assert find_period_in_lines(lines) == Period(2022, PeriodKind.Y)
    assert find_period_in_lines(["Hà Nội, ngày 1 tháng 10 năm 2022", None]) is None


def test_lines_year_less_period_takes_year_of_title() -> None:
    assert find_period_in_lines(["KẾT QUẢ THỰC HIỆN KẾ HOẠCH NĂM 2022", "Quý III"]) == Q3_2022
    assert find_period_in_lines(["9 tháng đầu năm", "Báo cáo năm 2022"]) == Period(
        2022, PeriodKind.NINE_MONTHS
    )
    assert find_period_in_lines(["Quý III"]) is None


REAL_TITLES = [
    (
        "(Kèm theo Báo cáo số 85/BC-SNV ngày 20/6/2022 về kết quả 6 tháng đầu năm và phương hướng, "
        "nhiệm vụ 6 tháng cuối năm 2022)",
        "2022-H1",
    ),
    (
        "(Kèm theo Báo cáo số 120/BC-SNV ngày 20/9/2022 về kết quả công tác TTĐN quý III và nhiệm vụ "
        "trọng tâm quý IV năm 2022)",
        "2022-Q3",
    ),
    ("KẾT QUẢ THỰC HIỆN QUÝ III VÀ PHƯƠNG HƯỚNG NHIỆM VỤ QUÝ IV NĂM 2022", "2022-Q3"),
]


@pytest.mark.parametrize(("line", "code"), REAL_TITLES)
def test_title_naming_the_next_period_reports_the_first(line: str, code: str) -> None:
    """The year written once at the end is the year of the period reported, not the next one's."""
    assert find_period(line).code == code
    title = ["PHỤ LỤC", "KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2022", line]
    assert find_period_in_lines(title).code == code


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        (["Phương hướng, nhiệm vụ quý IV và kết quả thực hiện quý III năm 2022"], "2022-Q3"),
        (["Kết quả quý IV và phương hướng nhiệm vụ quý I năm 2023"], "2022-Q4"),
        (["Kết quả 6 tháng cuối năm và nhiệm vụ trọng tâm 6 tháng đầu năm 2023"], "2022-H2"),
        (["Kết quả năm 2022 và phương hướng nhiệm vụ năm 2023"], "2022"),
        (["Kết quả 9 tháng đầu năm và dự kiến kế hoạch quý IV năm 2022"], "2022-9M"),
        (["Kết quả quý III, kế hoạch công tác quý tiếp theo (quý IV năm 2022)"], "2022-Q3"),
        (["KẾT QUẢ THỰC HIỆN QUÝ III VÀ", "PHƯƠNG HƯỚNG NHIỆM VỤ QUÝ IV NĂM 2022"], "2022-Q3"),
        (["Kết quả quý IV và", "phương hướng nhiệm vụ quý I năm 2023"], "2022-Q4"),
        # "nhiệm vụ" after a verb of the results is what the results are about, not the plan
        (["Kết quả thực hiện nhiệm vụ trọng tâm quý III năm 2022"], "2022-Q3"),
        (["TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THÔNG TIN ĐỐI NGOẠI NĂM 2022", "Quý III"], "2022-Q3"),
        # a title naming the plan only is read as before
        (["NHIỆM VỤ THÔNG TIN ĐỐI NGOẠI NĂM 2022", "Quý III"], "2022-Q3"),
        (["Kết quả thực hiện kế hoạch năm 2022, quý III"], "2022-Q3"),
    ],
)
def test_lines_report_the_period_before_the_next_one(lines: list[str], code: str) -> None:
    assert find_period_in_lines(lines).code == code


_ROMAN_NUMERALS = ("I", "II", "III", "IV")
_INDEXES = {PeriodKind.Q: (1, 2, 3, 4), PeriodKind.H: (1, 2)}
_RESULTS = (
    "kết quả",
    "kết quả thực hiện",
    "kết quả công tác thông tin đối ngoại",
    "tình hình thực hiện nhiệm vụ",
    "báo cáo kết quả thực hiện kế hoạch TTĐN",
    "tiến độ thực hiện",
)
_PLANS = (
    "phương hướng, nhiệm vụ",
    "phương hướng nhiệm vụ",
    "nhiệm vụ trọng tâm",
    "nhiệm vụ",
    "dự kiến kế hoạch",
    "kế hoạch công tác kỳ tiếp theo:",
)
_WRAPPERS = (("", ""), ("Phụ lục: ", ""), ("(Kèm theo Báo cáo số 85/BC-SNV ngày 20/6/{} về ", ")"))


def _next_period(period: Period) -> Period:
    """The period a report's plan is for: the next quarter or half, Q4 after nine months, the next year."""
    year, kind, index = period.year, period.kind, period.index
    if kind is PeriodKind.NINE_MONTHS:
        return Period(year, PeriodKind.Q, 4)
    if kind is PeriodKind.Y:
        return Period(year + 1, kind)
    return Period(year, kind, index + 1) if index < len(_INDEXES[kind]) else Period(year + 1, kind, 1)


def _written(period: Period, with_year: bool, rng: random.Random) -> str:
    """A period as titles write it, with or without its year."""
    year = rng.choice((" năm {}", "/{}") if period.kind is PeriodKind.Q else (" {}",)).format(period.year)
    year = year if with_year else ""
    if period.kind is PeriodKind.Q:
        return f"quý {rng.choice((_ROMAN_NUMERALS[period.index - 1], str(period.index)))}{year}"
    if period.kind is PeriodKind.H:
        return f"6 tháng {'đầu' if period.index == 1 else 'cuối'} năm{year}"
    if period.kind is PeriodKind.NINE_MONTHS:
        return (rng.choice(("9 tháng đầu năm", "9 tháng năm")) if year else "9 tháng đầu năm") + year
    return f"năm {period.year}"  # a year is never written without its number


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _generated_title(rng: random.Random) -> tuple[list[str], Period, tuple[str, ...]]:
    """A title naming the period reported, perhaps the next period's plan before or after it, the year
    written with each mention or once at the end; in any case, with or without diacritics, NFC or NFD;
    on one line, or broken after the first clause as a cell with a line break is read."""
    kind = rng.choice(tuple(PeriodKind))
    reported = Period(rng.randint(2019, 2025), kind, rng.choice(_INDEXES[kind]) if kind in _INDEXES else None)
    order = rng.choice(("alone", "results_first", "plan_first"))
    years = rng.choice(("each", "end"))
    clauses = [(rng.choice(_RESULTS + (("",) if order != "plan_first" else ())), reported)]
    if order != "alone":
        plan = (rng.choice(_PLANS), _next_period(reported))
        clauses = [clauses[0], plan] if order == "results_first" else [plan, clauses[0]]
    parts = [
        f"{words} {_written(period, years == 'each' or i == len(clauses) - 1, rng)}".strip()
        for i, (words, period) in enumerate(clauses)
    ]
    before, after = rng.choice(_WRAPPERS)
    parts[0], parts[-1] = before.format(reported.year) + parts[0], parts[-1] + after
    joiner = rng.choice((" và", ",", ";"))
    lines = (
        [f"{joiner} ".join(parts)] if len(parts) == 1 or rng.random() < 0.5 else [parts[0] + joiner, parts[1]]
    )
    style = rng.choice(("as written", "upper", "no marks", "upper no marks"))
    form = rng.choice(("NFC", "NFD"))
    for i, line in enumerate(lines):
        line = line[0].upper() + line[1:]
        line = line.upper() if "upper" in style else line
        lines[i] = unicodedata.normalize(form, _strip_marks(line) if "no marks" in style else line)
    return lines, reported, (str(kind), order, years, style, form, f"{len(lines)} dòng")


def test_generated_titles_give_the_period_reported() -> None:
    """Titles built from the rule's parts, read as one line and as the reader reads a title block."""
    rng = random.Random(20220930)
    cases = [_generated_title(rng) for _ in range(600)]
    wrong = []
    for lines, reported, _ in cases:
        block = ["PHỤ LỤC", f"KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM {reported.year}", *lines]
        got = (find_period(" ".join(lines)), find_period_in_lines(block), find_period_in_lines(lines))
        if got != (reported, reported, reported):
            wrong.append(f"{lines!r}: {[p and p.code for p in got]}, cần {reported.code}")
    assert not wrong, f"{len(wrong)}/{len(cases)} sai, ví dụ:\n" + "\n".join(wrong[:15])
    covered = {feature for *_, features in cases for feature in features}
    assert covered >= {*map(str, PeriodKind), "alone", "results_first", "plan_first", "each", "end"}
    assert covered >= {"as written", "upper", "no marks", "upper no marks", "NFC", "NFD", "1 dòng", "2 dòng"}


def _title_lines(path: Path) -> list[str]:
    """String cells of the rows above the table header (the row starting with STT / TT)."""
    openpyxl = pytest.importorskip("openpyxl")
    sheet = next(
        ws for ws in openpyxl.load_workbook(path, read_only=True).worksheets if ws.title == "Báo cáo"
    )
    lines: list[str] = []
    for row in sheet.iter_rows(values_only=True):
        cells = [c for c in row if isinstance(c, str) and c.strip()]
        if cells and cells[0].strip().upper() in ("STT", "TT"):
            break
        lines += cells
    return lines


ACCEPTED_XLSX = [
    p
    for p in sorted(SAMPLES.glob("*.xlsx"))
    if json.loads(Path(f"{p}.expected.json").read_text(encoding="utf-8"))["verdict"]
    in ("accept", "reject_rows")
]


@pytest.mark.parametrize("path", ACCEPTED_XLSX, ids=lambda p: p.name)
def test_sample_title_blocks(path: Path) -> None:
    expected = json.loads(Path(f"{path}.expected.json").read_text(encoding="utf-8"))["period"]
    assert find_period_in_lines(_title_lines(path)) == Period(
        expected["year"], expected["kind"], expected["index"]
    )


def test_sample_title_blocks_exist() -> None:
    assert len(ACCEPTED_XLSX) >= 8
