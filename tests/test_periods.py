"""Reporting periods: codes, labels, dates, and finding a period in a title block."""

from __future__ import annotations

import json
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
