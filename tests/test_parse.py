"""The report reader on variations the samples do not show, built in the test."""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from datetime import date, datetime

import pytest

from etl.errors import MissingColumn, MissingMetadata
from etl.store.load import IngestOptions, read_report
from etl.vocab.units import UnitDirectory
from tests.helpers import HEADER, TITLE, make_workbook

DIRECTORY = UnitDirectory.from_csv()


def read(data: bytes, name: str = "r.xlsx", **options):
    return read_report(name, data, IngestOptions(**options), DIRECTORY)


def _as_csv(rows: list[list[object]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


def test_headers_without_diacritics_in_capitals_and_nfd_are_understood():
    header = [
        "STT",
        "NOI DUNG NHIEM VU",
        unicodedata.normalize("NFD", "Đơn vị chủ trì"),
        "DON VI PHOI HOP",
        "THOI HAN",
        "KET QUA",
        "TY LE (%)",
        unicodedata.normalize("NFD", "Tình trạng"),
        "NGAY HOAN THANH",
    ]
    rows = [["1", "Tổ chức tập huấn", "Sở NgV", "SNgV", "30/9/2022", "", 100, "HT", "20/9/2022"]]
    report = read(make_workbook(rows, header=header))
    (task,) = report.tasks
    assert task.lead_units == ["Sở Ngoại vụ"]
    assert (task.status_reported, task.pct_done, task.completed_on) == ("done", 100, date(2022, 9, 20))
    assert (task.due_kind, task.due_date) == ("date", date(2022, 9, 30))


def test_meta_comes_from_title_rows():
    report = read(make_workbook([["1", "Nhiệm vụ", "Sở Ngoại vụ", "", "Quý IV", "", 50, "", ""]]))
    m = report.meta
    assert (m.province, m.province_legacy, m.reporting_unit) == ("Hưng Yên", "Thái Bình", "Sở Ngoại vụ")
    assert (m.period_year, m.period_kind, m.period_index) == (2022, "Q", 3)
    assert report.tasks[0].due_date == date(2022, 12, 31)  # year-less deadline takes the report year
    assert report.tasks[0].status_reported == "in_progress"  # derived from percent


def test_meta_from_options_when_the_file_has_no_title():
    data = make_workbook([["1", "Nhiệm vụ", "Sở Ngoại vụ", "", "Năm 2023", "", 0, "", ""]], title=[])
    with pytest.raises(MissingMetadata) as exc:
        read(data)
    assert {p.column for p in exc.value.problems} == {"tỉnh", "đơn vị báo cáo", "kỳ báo cáo"}
    report = read(data, province="Phú Yên", unit="Sở NgV", period="2023-H1")
    m = report.meta
    assert (m.province, m.province_legacy, m.reporting_unit, m.period_kind, m.period_index) == (
        "Đắk Lắk",
        "Phú Yên",
        "Sở Ngoại vụ",
        "H",
        1,
    )


def test_merged_lead_unit_applies_to_every_row_it_spans():
    rows = [
        ["I", "Quảng bá hình ảnh", None, None, None, None, None, None, None],
        ["1", "Nhiệm vụ một", "Sở Văn hóa, Thể thao và Du lịch", "", "Năm 2022", "", 10, "", ""],
        ["2", "Nhiệm vụ hai", None, "", "Năm 2022", "", 20, "", ""],
        ["3", "Nhiệm vụ ba", None, "", "Năm 2022", "", 30, "", ""],
    ]
    report = read(make_workbook(rows, merges=["C8:C10"]))
    assert [t.lead_units for t in report.tasks] == [["Sở Văn hóa, Thể thao và Du lịch"]] * 3
    assert [t.task_code for t in report.tasks] == ["I.1", "I.2", "I.3"]
    assert {t.section_title for t in report.tasks} == {"Quảng bá hình ảnh"}


def test_two_row_header_with_x_marks():
    header = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng", None, None]
    sub = [None, None, None, None, "Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện"]
    rows = [
        sub,
        ["1", "Việc A", "Sở Ngoại vụ", "Tháng 6/2022", "x", "", ""],
        ["2", "Việc B", "Sở Ngoại vụ", "Thường xuyên", "", "X", ""],
        ["3", "Việc C", "Sở Ngoại vụ", "Theo chỉ đạo", "", "", "x"],
    ]
    report = read(make_workbook(rows, header=header, merges=["E6:G6", "A6:A7", "B6:B7"]))
    assert [(t.status_reported, t.due_kind) for t in report.tasks] == [
        ("done", "month"),
        ("in_progress", "recurring"),
        ("not_started", "on_demand"),
    ]


def test_decimal_sub_tasks_and_parent_rows():
    rows = [
        ["II", "Hoạt động cụ thể", None, None, None, None, None, None, None],
        ["1", "Nhóm nhiệm vụ", None, None, None, None, None, None, None],
        ["1.1", "Việc một", "Sở Ngoại vụ", "", "Quý II/2022", "", 100, "Xong", "1/6/2022"],
        ["1.2", "Việc hai", "Sở Ngoại vụ", "", "Quý II/2022", "", "62,5%", "Đang triển khai", ""],
        ["2", "Việc ba", "Sở Ngoại vụ", "", "9 tháng đầu năm", "", 0, "Chưa triển khai", ""],
    ]
    report = read(make_workbook(rows))
    assert [(t.task_code, t.stt) for t in report.tasks] == [
        ("II.1.1", "1.1"),
        ("II.1.2", "1.2"),
        ("II.2", "2"),
    ]
    assert report.tasks[1].pct_done == 62.5
    assert report.tasks[2].due_date == date(2022, 9, 30)


def test_fraction_percent_column_is_scaled():
    rows = [
        ["1", "A", "Sở Ngoại vụ", "", "Năm 2022", "", 0.75, "", ""],
        ["2", "B", "Sở Ngoại vụ", "", "Năm 2022", "", 1, "", ""],
    ]
    report = read(make_workbook(rows))
    assert [(t.pct_done, t.status_reported) for t in report.tasks] == [(75, "in_progress"), (100, "done")]


def test_bad_values_are_errors_with_row_and_column_and_nothing_is_kept():
    rows = [
        ["1", "A", "Sở Ngoại vụ", "", "30/02/2022", "", 10, "Đang làm", ""],
        ["2", "B", "Sở Ngoại vụ", "", "Năm 2022", "", -5, "Đang thực hiện", ""],
        ["3", "C", "Sở Ngoại vụ", "", "Năm 2022", "", 10, "Sắp xong", ""],
        ["4", "D", "Sở Ngoại vụ", "", "Năm 2022", "", 10, "Đang thực hiện", "32/8/2022"],
    ]
    report = read(make_workbook(rows))
    assert [(p.row, p.column, p.value) for p in report.errors] == [
        (7, "Thời gian hoàn thành", "30/02/2022"),
        (8, "Tiến độ (%)", "-5"),
        (9, "Tình trạng", "Sắp xong"),
        (10, "Ngày hoàn thành", "32/8/2022"),
    ]
    assert all(p.message and p.sheet == "Báo cáo" for p in report.errors)
    assert report.tasks == []


def test_unparsed_deadline_and_unknown_unit_are_kept_with_warnings():
    rows = [["1", "A", "Trung tâm Xúc tiến Đầu tư", "", "Khi nào xong", "", 10, "", ""]]
    report = read(make_workbook(rows))
    (task,) = report.tasks
    assert task.lead_units == ["Trung tâm Xúc tiến Đầu tư"]
    assert (task.due_kind, task.due_text, task.due_date) == ("unparsed", "Khi nào xong", None)
    assert {p.column for p in report.warnings} == {"Đơn vị chủ trì", "Thời gian hoàn thành"}


def test_extension_moves_the_deadline_and_keeps_the_original():
    header = HEADER + ["Gia hạn đến", "Khó khăn", "Kiến nghị"]
    rows = [
        [
            "1",
            "A",
            "Sở Ngoại vụ",
            "",
            "30/6/2022",
            "",
            50,
            "",
            "",
            "15/12/2022",
            "Thiếu kinh phí\nThiếu người",
            "Đề nghị gia hạn đến 31/3/2023",
        ]
    ]
    (task,) = read(make_workbook(rows, header=header)).tasks
    assert (task.due_date, task.due_date_original) == (date(2022, 12, 15), date(2022, 6, 30))
    assert task.difficulties == "Thiếu kinh phí\nThiếu người"
    assert task.proposals == "Đề nghị gia hạn đến 31/3/2023"


def test_signature_rows_end_the_table():
    rows = [
        ["1", "A", "Sở Ngoại vụ", "", "Năm 2022", "", 10, "", ""],
        [],
        [None, "Người lập biểu", None, None, None, None, None, "THỦ TRƯỞNG ĐƠN VỊ"],
        [None, "Nguyễn Văn A", None, None, None, None, None, "Trần Thị B"],
    ]
    assert len(read(make_workbook(rows)).tasks) == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_task_row_that_opens_with_a_signature_word_is_a_task(fmt: str):
    """Titles, units and results may open with words a signature row opens with ("Thủ trưởng …",
    "Chủ tịch UBND …", "Giám đốc …"): a row numbered in its STT cell, or reporting a percent, a status
    or an x-mark, is a task, and the table goes on after it."""
    rows = [
        ["1", "Thủ trưởng các sở, ngành quán triệt Chỉ thị", "Sở Ngoại vụ", "", "30/6/2022", "", 50, "", ""],
        ["2", "Tổ chức hội nghị", "Chủ tịch UBND các huyện", "", "30/9/2022", "", "", "", ""],
        ["", "Giám đốc Sở ký ban hành quy chế", "Sở Ngoại vụ", "", "Năm 2022", "", "", "Hoàn thành", ""],
        ["", "Lãnh đạo đơn vị dự họp báo", "Sở Ngoại vụ", "", "Năm 2022", "", 100, "", ""],
        ["b)", "Nơi nhận thông tin phản hồi", "Sở Ngoại vụ", "", "Năm 2022", "Giám đốc Sở đã ký", "", "", ""],
        ["3", "Tập huấn nghiệp vụ", "Sở Ngoại vụ", "", "30/9/2022", "", 0, "", ""],
        [],
        [None, "Người lập biểu", None, None, None, None, None, "THỦ TRƯỞNG ĐƠN VỊ"],
    ]
    name = f"r.{fmt}"
    report = read(make_workbook(rows) if fmt == "xlsx" else _as_csv(TITLE + [HEADER] + rows), name)
    titles = [t.task_title for t in report.tasks]
    assert len(titles) == 6, titles
    assert titles[-1] == "Tập huấn nghiệp vụ"
    assert not any("dòng chữ ký" in p.message for p in report.warnings)


def test_numbered_rows_below_the_signature_are_named_in_a_warning():
    """A signature row with no number and no progress ends the table; numbered rows under it are not
    read, and the warning says so, with the rows, instead of dropping them silently."""
    rows = [
        ["1", "Ban hành kế hoạch", "Sở Ngoại vụ", "", "30/6/2022", "", 100, "", ""],
        [None, "THỦ TRƯỞNG ĐƠN VỊ", None, None, None, None, None, None],
        ["2", "Tổ chức hội nghị", "Sở Ngoại vụ", "", "30/9/2022", "", 50, "", ""],
        ["3", "Tập huấn nghiệp vụ", "Sở Ngoại vụ", "", "30/9/2022", "", 0, "", ""],
    ]
    report = read(make_workbook(rows))
    assert [t.task_title for t in report.tasks] == ["Ban hành kế hoạch"]
    (warning,) = [p for p in report.warnings if "dòng chữ ký" in p.message]
    assert warning.row == report.tasks[0].row_no + 1
    assert f"2 dòng có số thứ tự bên dưới (từ dòng {warning.row + 1})" in warning.message


def test_a_statistics_table_is_not_a_report():
    header = ["STT", "Đơn vị", "Số tin, bài", "Số lượt phát sóng"]
    with pytest.raises(MissingColumn) as exc:
        read(make_workbook([["1", "Báo Thái Bình", 3, 4]], header=header))
    assert "Nội dung nhiệm vụ" in str(exc.value.problems[0])


def test_uncached_formula_in_a_task_row_is_an_error():
    rows = [["1", "A", "Sở Ngoại vụ", "", "Năm 2022", "", "=50+25", "", ""]]
    report = read(make_workbook(rows))
    assert [(p.row, p.column) for p in report.errors] == [(7, "Tiến độ (%)")]


def test_column_numbers_total_rows_and_one_cell_sections_are_not_tasks():
    rows = [
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
        ["I. QUÁN TRIỆT, TRIỂN KHAI", None, None, None, None, None, None, None, None],
        ["1", "Việc một", "Sở Ngoại vụ", "", "Quý II/2022", "", 0.5, "", ""],
        ["2", "Việc hai", "Sở Ngoại vụ", "", "Quý II/2022", "", 1, "", ""],
        [None, "TỔNG CỘNG", None, None, None, None, 57, "1/2 hoàn thành", None],
    ]
    report = read(make_workbook(rows, merges=["A8:I8"]))
    assert not report.errors
    assert [(t.task_code, t.section_title, t.pct_done) for t in report.tasks] == [
        ("I.1", "QUÁN TRIỆT, TRIỂN KHAI", 50),
        ("I.2", "QUÁN TRIỆT, TRIỂN KHAI", 100),
    ]


def test_every_sheet_of_the_same_table_is_one_report():
    import io

    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(make_workbook([["1", "Việc A", "Sở Ngoại vụ", "", "Năm 2022", "", 10, "", ""]]))
    )
    guide = book.create_sheet("Hướng dẫn", 0)
    guide.append(["Mỗi đơn vị điền vào trang tính của mình; cột 'Nội dung nhiệm vụ' ghi như kế hoạch."])
    second = book.create_sheet("Công an tỉnh")
    for row in ([], [], HEADER, ["1", "Việc B", "Công an tỉnh", "", "Năm 2022", "", 20, "", ""]):
        second.append(row)
    stale = book.copy_worksheet(second)
    stale.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    report = read(out.getvalue())
    assert [(t.sheet, t.task_title, t.lead_units) for t in report.tasks] == [
        ("Báo cáo", "Việc A", ["Sở Ngoại vụ"]),
        ("Công an tỉnh", "Việc B", ["Công an tỉnh"]),
    ]
    assert report.meta.reporting_unit == "Sở Ngoại vụ"


def test_a_table_moved_right_keeps_its_title_block():
    title = [
        [None, None, *row] for row in [["UBND TỈNH THÁI BÌNH"], ["SỞ NGOẠI VỤ"], ["Quý III năm 2022"], []]
    ]
    rows = [[None, None, "1", "Việc", "Sở Ngoại vụ", "", "Năm 2022", "", 100, "", ""]]
    report = read(make_workbook(rows, title=title, header=[None, None, *HEADER]))
    assert (report.meta.reporting_unit, report.meta.period_index) == ("Sở Ngoại vụ", 3)
    assert report.tasks[0].status_reported == "done"


def test_a_visible_copy_of_the_report_sheet_is_not_read_twice():
    import io

    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(make_workbook([["1", "Việc A", "Sở Ngoại vụ", "", "Năm 2022", "", 10, "", ""]]))
    )
    copy = book.copy_worksheet(book["Báo cáo"])
    copy["G7"] = 0
    out = io.BytesIO()
    book.save(out)
    report = read(out.getvalue())
    assert [(t.sheet, t.pct_done) for t in report.tasks] == [("Báo cáo", 10)]
    assert any(copy.title in w.message for w in report.warnings)


def test_the_footer_is_found_without_folding_cells_that_cannot_open_it():
    """``is_footer`` folds only the texts whose first letter may open a footer word: it finds the same
    signature rows as folding every text, in any case, Unicode form or leading blanks (seeded texts)."""
    import random
    import unicodedata

    from etl.ingest.row_kinds import FOOTER, is_footer
    from etl.vocab.text import fold

    def folding_every_text(row: list[object]) -> bool:
        return any(fold(v).lstrip().startswith(FOOTER) for v in row if isinstance(v, str) and len(v) < 80)

    openers = [
        "Người lập biểu",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "(Ký, ghi rõ họ tên)",
        "KT. GIÁM ĐỐC",
        "Nơi nhận:",
        *FOOTER,
    ]
    texts = [
        lead + unicodedata.normalize(form, case(t))
        for t in openers
        for form in ("NFC", "NFD")
        for case in (str, str.upper, str.lower)
        for lead in ("", "  ", "\u00a0", "\u200b", "x")
    ]
    letters = "aăâbcdđeghiklnoôơtuưxyĐÊỐƠỨÀÝ (,.-\u0301\u0323\t\n"
    rng = random.Random(14)
    texts += ["".join(rng.choice(letters) for _ in range(rng.randint(0, 12))) for _ in range(20_000)]
    rows = [[t] for t in texts] + [rng.choices([*texts[:200], None, 1.0, ""], k=6) for _ in range(2000)]
    assert [is_footer(r) for r in rows] == [folding_every_text(r) for r in rows]
    assert sum(is_footer([t]) for t in texts) > 100


@pytest.mark.parametrize(
    ("stt", "kind", "label"),
    [
        ("1", "number", "1"),
        (12, "number", "12"),
        (3.0, "number", "3"),
        ("7.", "number", "7"),
        (" 4 ", "number", "4"),
        ("٣", "number", "٣"),  # a decimal digit of another script: what \d reads
        ("5)", "number", "5"),
        ("1.2", "sub", "1.2"),
        ("b", "sub", "b"),
        ("(c)", "sub", "c"),
        ("II", "section", "II"),
        ("PHẦN III", "section", "III"),
        ("²", "plain", None),  # a superscript is a digit but not a decimal one: not a number
        ("1a", "plain", None),
    ],
)
def test_the_stt_cell_gives_the_kind_and_label_of_a_row(stt, kind, label):
    """What the STT cell makes of a row (the decimal fast path and the patterns agree)."""
    from etl.ingest.header import Field, Header
    from etl.ingest.row_kinds import classify

    header = Header(0, 0, {Field.STT: 0, Field.TITLE: 1}, {0: "STT", 1: "Nội dung nhiệm vụ"})
    item = classify([stt, "Tổ chức hội nghị"], 3, header)
    assert (item.kind, item.label) == (kind, label)


def _task_over_rows(rng, n_rows: int, merged_cols: set[int], own_stt: bool):
    """Rows of task 1 written over ``n_rows`` rows (Excel row 7 on), merged down in ``merged_cols``
    (the title always), with a result line and sometimes a second lead unit per row; then task 2."""
    leads = ["Sở Ngoại vụ", "Sở Thông tin và Truyền thông", "Báo Thái Bình"]
    rows, results = [], []
    for i in range(n_rows):
        result = f"Kết quả đợt {i + 1}: đăng {10 + i} tin, bài"
        results.append(result)
        if i == 0:
            rows.append(
                ["1", "Tổ chức quảng bá hình ảnh tỉnh", leads[0], "", "30/9/2022", result, 100, "", ""]
            )
        else:
            lead = leads[i] if 2 not in merged_cols and rng.random() < 0.5 else None
            stt = f"1.{i}" if own_stt else None
            rows.append([stt, None, lead, None, None, result, None, None, None])
    rows.append(["2", "Tập huấn nghiệp vụ", "Sở Ngoại vụ", "", "30/9/2022", "", 50, "", ""])
    last = 7 + n_rows - 1
    merges = [f"{'ABCDEFGHI'[c]}7:{'ABCDEFGHI'[c]}{last}" for c in sorted(merged_cols)]
    return rows, merges, results


def test_a_task_written_over_merged_rows_is_one_task():
    """A task typed over several rows, its title cell merged down (with its number, unit, deadline,
    percent merged or not), is one task: its result lines and units joined; the count of tasks and of
    done tasks is what the person wrote."""
    rng = random.Random(7)
    for _ in range(24):
        n_rows = rng.choice((2, 3))
        merged = {1} | {c for c in (0, 2, 4, 6) if rng.random() < 0.6}
        rows, merges, results = _task_over_rows(rng, n_rows, merged, own_stt=False)
        report = read(make_workbook(rows, merges=merges))
        assert [t.task_title for t in report.tasks] == [
            "Tổ chức quảng bá hình ảnh tỉnh",
            "Tập huấn nghiệp vụ",
        ]
        first = report.tasks[0]
        assert (first.row_no, first.status_reported, first.pct_done) == (7, "done", 100)
        assert first.result_text == "\n".join(results)
        written = {r[2] for r in rows[:n_rows] if r[2]}
        assert set(first.lead_units) == written, (merges, rows)


def test_rows_numbered_on_their_own_under_a_merged_title_stay_rows():
    rows, merges, _ = _task_over_rows(random.Random(1), 3, {1}, own_stt=True)
    codes = [t.task_code for t in read(make_workbook(rows, merges=merges)).tasks]
    assert codes == ["1.1", "1.2", "2"]  # the first row is the parent of its numbered sub-rows


@pytest.mark.parametrize("variant", ["section percent", "unit merged down", "both"])
def test_a_roman_row_heading_numbered_rows_is_a_section_whatever_it_holds(variant: str):
    """The section's own percent, or a unit merged down from it over its tasks, does not make the
    section row a task: its tasks keep their section and their codes."""
    percent = variant in ("section percent", "both")
    unit = "Sở Thông tin và Truyền thông" if variant != "section percent" else None
    rows = [
        ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", unit, None, None, None, 100 if percent else None],
        ["1", "Ban hành kế hoạch", None if unit else "Sở Ngoại vụ", "", "30/6/2022", "", 100, "", ""],
        ["2", "Kiểm tra thực hiện", None if unit else "Sở Ngoại vụ", "", "30/9/2022", "", 100, "", ""],
        ["II", "TUYÊN TRUYỀN BIỂN, ĐẢO", None, None, None, None, 50 if percent else None],
        ["1", "Cuộc thi tìm hiểu biển, đảo", "Sở Ngoại vụ", "", "30/9/2022", "", 50, "", ""],
    ]
    report = read(make_workbook(rows, merges=["C7:C9"] if unit else []))
    assert [(t.task_code, t.section_title) for t in report.tasks] == [
        ("I.1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"),
        ("I.2", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"),
        ("II.1", "TUYÊN TRUYỀN BIỂN, ĐẢO"),
    ]
    if unit:
        assert report.tasks[0].lead_units == [unit]


def test_roman_numbered_tasks_with_progress_stay_tasks():
    rows = [
        ["I", "Ban hành kế hoạch", "Sở Ngoại vụ", "", "30/6/2022", "", 100, "", ""],
        ["II", "Tổ chức hội nghị", "Sở Ngoại vụ", "", "30/9/2022", "", 50, "", ""],
    ]
    assert [t.task_title for t in read(make_workbook(rows)).tasks] == [
        "Ban hành kế hoạch",
        "Tổ chức hội nghị",
    ]


@pytest.mark.parametrize(
    "row",
    [
        ["-", "Tuyên truyền tại cơ sở", "Chủ tịch UBND cấp huyện", "", "Năm 2022", "", "", "", ""],
        [
            "+",
            "Giám đốc các sở, ngành chỉ đạo cập nhật tin bài",
            "Sở Ngoại vụ",
            "",
            "Năm 2022",
            "",
            "",
            "",
            "",
        ],
        ["-", "Phê duyệt kế hoạch", "Sở Ngoại vụ", "", "Năm 2022", "Giám đốc Sở đã phê duyệt", "", "", ""],
        ["", "Tọa đàm với kiều bào", "Sở Ngoại vụ", "", "Năm 2022", "", "", "", "(Kỳ trước chuyển sang)"],
    ],
)
def test_bulleted_rows_and_kỳ_are_not_signatures(row):
    rows = [
        ["1", "Tuyên truyền về biển, đảo", "Sở Ngoại vụ", "", "Năm 2022", "", 50, "", ""],
        row,
        ["2", "Tập huấn phóng viên", "Sở Ngoại vụ", "", "Năm 2022", "", 0, "", ""],
        [None, "Người lập biểu", None, None, None, None, None, "(Ký, ghi rõ họ tên)"],
        [None, "Nguyễn Văn A", None, None, None, None, None, None],
    ]
    titles = [t.task_title for t in read(make_workbook(rows)).tasks]
    assert titles == ["Tuyên truyền về biển, đảo", row[1], "Tập huấn phóng viên"]


def test_a_fraction_among_whole_percents_is_read_as_written_and_told_about():
    rows = [
        ["1", "A", "Sở Ngoại vụ", "", "Năm 2022", "", 100, "", ""],
        ["2", "B", "Sở Ngoại vụ", "", "Năm 2022", "", 0.5, "", ""],
        ["3", "C", "Sở Ngoại vụ", "", "Năm 2022", "", 80, "", ""],
    ]
    report = read(make_workbook(rows))
    assert [t.pct_done for t in report.tasks] == [100, 0.5, 80]
    (warning,) = [w for w in report.warnings if w.column == "Tiến độ (%)"]
    assert warning.row == 8 and "hãy ghi 50" in warning.message
    rows[2][6] = 0.8  # every number a fraction: the column is in % format, no warning
    rows[0][6] = 1
    report = read(make_workbook(rows))
    assert [t.pct_done for t in report.tasks] == [100, 50, 80]
    assert not [w for w in report.warnings if w.column == "Tiến độ (%)"]


def test_parts_lettered_in_capitals_are_headings():
    """Parts "A. NHIỆM VỤ THEO KẾ HOẠCH" / "B. NHIỆM VỤ PHÁT SINH" over sections or numbered tasks are
    headings: not tasks, and the task before "B" is not taken for their parent and dropped."""

    def task(stt, title, pct):
        return [stt, title, "Sở Ngoại vụ", "", "30/9/2022", "", pct, "", ""]

    rows = [
        ["A", "NHIỆM VỤ THEO KẾ HOẠCH"],
        ["I", "Công tác chỉ đạo"],
        task("1", "Ban hành kế hoạch", 100),
        task("2", "Kiểm tra, đôn đốc", 100),
        ["B.", "NHIỆM VỤ PHÁT SINH"],
        task("1", "Đăng tin bài về APEC", 50),
        task("2", "Đón đoàn phóng viên", 0),
    ]
    report = read(make_workbook(rows))
    assert [(t.task_code, t.task_title) for t in report.tasks] == [
        ("I.1", "Ban hành kế hoạch"),
        ("I.2", "Kiểm tra, đôn đốc"),
        ("1", "Đăng tin bài về APEC"),
        ("2", "Đón đoàn phóng viên"),
    ]
    # sub-tasks lettered in capitals under a numbered task stay sub-tasks
    rows = [
        task("1", "Tổ chức hội nghị", None),
        task("A", "Hội nghị quý I", 100),
        task("B", "Hội nghị quý II", 0),
    ]
    assert [t.task_code for t in read(make_workbook(rows)).tasks] == ["1.a", "1.b"]


@pytest.mark.parametrize(
    ("title", "is_task"),
    [
        ("Cộng toàn tỉnh", False),
        ("Toàn tỉnh", False),
        ("Tỷ lệ hoàn thành (%)", False),
        ("TỶ LỆ HOÀN THÀNH", False),
        ("Tổng hợp chung", False),
        ("Toàn tỉnh tổ chức 20 hội nghị", True),
        ("Tổng hợp, báo cáo kết quả thực hiện", True),
        ("Cộng đồng người Việt Nam ở nước ngoài", True),
    ],
)
def test_summary_lines_of_a_consolidated_report_are_not_tasks(title: str, is_task: bool):
    rows = [
        ["1", "Ban hành kế hoạch", "Sở Ngoại vụ", "", "30/9/2022", "", 100, "", ""],
        [None, title, "", "", "", "", 85],
    ]
    titles = [t.task_title for t in read(make_workbook(rows)).tasks]
    assert titles == (["Ban hành kế hoạch", title] if is_task else ["Ban hành kế hoạch"])


@pytest.mark.parametrize("parent", ["Thời gian hoàn thành", "THOI GIAN HOAN THANH", "Thời hạn"])
def test_a_time_column_split_into_planned_and_actual_gives_the_deadline_and_the_date_done(parent: str):
    """A two-row header "Thời gian hoàn thành" over "Kế hoạch | Thực tế": the second is the date the task
    was done (a task done late shows as late), not a column dropped as a second deadline."""
    top = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", parent, None, "Kết quả thực hiện", "Tình trạng"]
    sub = [None, None, None, "Kế hoạch", "Thực tế", None, None]
    row = ["1", "Tổ chức tập huấn", "Sở Ngoại vụ", "30/6/2022", "15/8/2022", "Đã tổ chức", "Đã hoàn thành"]
    merges = ["D6:E6", "A6:A7", "B6:B7", "C6:C7", "F6:F7", "G6:G7"]
    (task,) = read(make_workbook([sub, row], header=top, merges=merges)).tasks
    assert (task.due_date, task.completed_on) == (date(2022, 6, 30), date(2022, 8, 15))


def test_a_column_left_unread_for_a_twin_header_is_named():
    """ "Thời hạn hoàn thành" and "Thời gian hoàn thành" side by side: both name the deadline, one is read;
    the other's values are in no task, and a warning names that column and the one read instead."""
    header = [
        "STT",
        "Nội dung nhiệm vụ",
        "Đơn vị chủ trì",
        "Thời hạn hoàn thành",
        "Thời gian hoàn thành",
        "Tình trạng",
    ]
    row = ["1", "Tổ chức tập huấn", "Sở Ngoại vụ", "30/6/2022", "15/8/2022", "Đã hoàn thành"]
    report = read(make_workbook([row], header=header))
    assert report.tasks[0].due_date == date(2022, 6, 30)
    (note,) = [w for w in report.warnings if "không được đọc" in w.message]
    assert note.message.startswith("Cột E «Thời gian hoàn thành» không được đọc: cột D «Thời hạn hoàn thành»")
    assert not [
        w
        for w in read(make_workbook([row[:4] + row[5:]], header=header[:4] + header[5:])).warnings
        if "không được đọc" in w.message
    ]


@pytest.mark.parametrize(
    ("label", "where"),
    [("Phụ lục 02", 5), ("PHỤ LỤC", 0), ("Phụ lục I", 0), ("Biểu 03", 5), ("Mẫu số 01", 0)],
)
def test_a_form_label_above_the_issuing_block_leaves_the_issuer_the_reporting_unit(label: str, where: int):
    """ "Phụ lục 02" (any numbering, on either side) above "UBND TỈNH …" / "SỞ …": the reporting unit is
    the Sở, not the province's People's Committee (two departments would be one unit, one report
    replacing the other)."""
    units = []
    for issuer in ("SỞ NGOẠI VỤ", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"):
        title = [
            [None] * where + [label],
            ["UBND TỈNH PHÚ YÊN", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            [issuer, None, None, "Độc lập - Tự do - Hạnh phúc"],
            ["KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2022"],
            ["Quý III năm 2022"],
            [],
        ]
        row = ["1", "Tổ chức hội nghị", "Sở Ngoại vụ", "", "30/9/2022", "", 100, "Đã hoàn thành", ""]
        units.append(read(make_workbook([row], title=title)).meta.reporting_unit)
    assert units == ["Sở Ngoại vụ", "Sở Thông tin và Truyền thông"]


@pytest.mark.parametrize(
    ("line", "period"),
    [
        ("(Tính đến ngày 30/9/2022)", ("9M", None)),
        ("(Từ đầu năm đến ngày 30/9/2022)", ("9M", None)),
        ("Số liệu tính đến ngày 30/6/2022", ("H", 1)),
        ("(SO LIEU TINH DEN HET NGAY 31/3/2022)", ("Q", 1)),
        ("Lũy kế từ đầu năm đến 31/12/2022", ("Y", None)),
        ("(Tính đến ngày 15/8/2022)", ("Y", None)),  # no period ends on 15/8: the title's year stands
    ],
)
def test_a_cumulative_cut_off_under_a_plan_year_title_gives_the_period(line, period):
    """Under "KẾT QUẢ … NĂM 2022", a line counting from the start of the year to a cut-off date names the
    period reported (before, the plan's year was taken: a nine-month report filed as the annual one)."""
    title = [
        ["UBND TỈNH THÁI BÌNH", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["SỞ NGOẠI VỤ", None, None, "Độc lập - Tự do - Hạnh phúc"],
        ["KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2022"],
        [line],
        [],
    ]
    row = ["1", "Tổ chức hội nghị", "Sở Ngoại vụ", "", "30/9/2022", "", 100, "Đã hoàn thành", ""]
    meta = read(make_workbook([row], title=title)).meta
    assert (meta.period_year, meta.period_kind, meta.period_index) == (2022, *period)


@pytest.mark.parametrize(
    ("status", "pct", "done_on", "told"),
    [
        ("Đang thực hiện", 100, "", ["Tiến độ (%)"]),
        ("Chưa thực hiện", 100, "", ["Tiến độ (%)"]),
        ("Chưa thực hiện", 30, "", ["Tiến độ (%)"]),
        ("Đang thực hiện", 80, "20/6/2022", ["Ngày hoàn thành"]),
        ("Tạm dừng", 100, "20/6/2022", ["Tiến độ (%)", "Ngày hoàn thành"]),
        ("Đang thực hiện", 80, "", []),
        ("Đã hoàn thành", 100, "20/6/2022", []),
    ],
)
def test_a_status_short_of_done_beside_a_full_percent_or_a_date_done_is_told(status, pct, done_on, told):
    """The status word is what counts, as before; a percent of 100 or a date done beside a status short of
    done (or a percent beside 'not started') is named in a warning on its cell, as 'done' below 100% is."""
    row = ["1", "Tổ chức hội nghị", "Sở Ngoại vụ", "", "30/9/2022", "", pct, status, done_on]
    report = read(make_workbook([row]))
    assert (
        report.tasks[0].status_reported
        == {
            "Đang thực hiện": "in_progress",
            "Chưa thực hiện": "not_started",
            "Tạm dừng": "suspended",
            "Đã hoàn thành": "done",
        }[status]
    )
    assert [w.column for w in report.warnings if "tình trạng" in w.message] == told


def test_a_later_sheet_sharing_some_task_titles_is_named_in_a_warning():
    """A "Quý III" sheet copied from the "Quý II" one and updated (one task added): the tasks on both are
    counted on both, and a warning names the sheet, the count and a title (a full copy is skipped)."""
    from openpyxl import load_workbook

    def task(n, title, pct):
        return [str(n), title, "Sở Ngoại vụ", "", "30/9/2022", "", pct, "", ""]

    book = load_workbook(io.BytesIO(make_workbook([task(1, "Việc A", 50), task(2, "Việc B", 100)])))
    later = book.create_sheet("Quý III")
    for row in ([], [], HEADER, task(1, "Việc A", 100), task(2, "Việc B", 100), task(3, "Việc C", 20)):
        later.append(row)
    out = io.BytesIO()
    book.save(out)
    report = read(out.getvalue())
    assert len(report.tasks) == 5
    (warning,) = [w for w in report.warnings if "trùng tên" in w.message]
    assert (warning.sheet, warning.message[:60]) == (
        "Quý III",
        "Trang tính 'Quý III' có 2 nhiệm vụ trùng tên với trang tính ",
    )
    assert "'Việc A'" in warning.message


def test_a_hidden_task_row_is_read_and_named_in_a_warning():
    """A row hidden instead of deleted is read like the others (a filter hides rows too), and the warning
    names it so that the person deletes it or clears the filter."""
    from openpyxl import load_workbook

    rows = [
        ["1", "Tổ chức hội nghị", "Sở Ngoại vụ", "", "30/9/2022", "", 100, "Đã hoàn thành", ""],
        ["2", "Nhiệm vụ đã bỏ", "Sở Ngoại vụ", "", "30/6/2022", "", 0, "Chưa thực hiện", ""],
    ]
    book = load_workbook(io.BytesIO(make_workbook(rows)))
    book.active.row_dimensions[8].hidden = True
    out = io.BytesIO()
    book.save(out)
    report = read(out.getvalue())
    assert [t.task_title for t in report.tasks] == ["Tổ chức hội nghị", "Nhiệm vụ đã bỏ"]
    (warning,) = [w for w in report.warnings if "bị ẩn" in w.message]
    assert (warning.row, warning.message[:40]) == (8, "Có 1 dòng trong bảng bị ẩn (dòng 8); các")
    assert not [w for w in read(make_workbook(rows)).warnings if "bị ẩn" in w.message]


@pytest.mark.parametrize(
    ("done", "told"),
    [
        ([datetime(2022, 5, 7), datetime(2022, 9, 8), "25/6/2022"], True),
        ([datetime(2022, 5, 7), datetime(2022, 9, 8), "25/06/22"], True),
        ([datetime(2022, 5, 7), datetime(2022, 9, 18), "25/6/2022"], False),  # a day over 12: not swapped
        ([datetime(2022, 5, 7), datetime(2022, 9, 8), "5/6/2022"], False),  # a text any computer would read
        ([datetime(2022, 5, 7), datetime(2022, 9, 8), None], False),
    ],
)
def test_date_cells_beside_day_first_texts_excel_could_not_read_are_named(done, told):
    """Typed "5/7/2022" on a computer set to month first, Excel stores 7 May and leaves "25/6/2022" as
    text: a column holding both is named in a warning (its date cells may have day and month swapped)."""
    rows = [
        [str(i + 1), f"Việc {i + 1}", "Sở Ngoại vụ", "", "30/9/2022", "", 100, "Đã hoàn thành", d]
        for i, d in enumerate(done)
    ]
    warned = [w for w in read(make_workbook(rows)).warnings if "đảo ngày và tháng" in w.message]
    assert [w.column for w in warned] == (["Ngày hoàn thành"] if told else [])


def test_a_later_sheet_naming_another_period_is_not_read_and_is_named_in_a_warning():
    """A "Quý IV" tab after the report's "Quý III" one: its tasks belong to another report, so they are
    left out (counted here they would be wrong in both periods), and the warning says which period the tab
    names; a tab without a title block, or naming the same period, is read."""
    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(make_workbook([["1", "Việc A", "Sở Ngoại vụ", "", "30/9/2022", "", 50, "", ""]]))
    )
    for name, period in (
        ("Quý IV", "Quý IV năm 2022"),
        ("Công an tỉnh", None),
        ("Bản sao", "Quý III năm 2022"),
    ):
        sheet = book.create_sheet(name)
        for row in ([["KẾT QUẢ THỰC HIỆN KẾ HOẠCH NĂM 2022"], [period], []] if period else [[], []]) + [
            HEADER,
            ["1", f"Việc của {name}", "Sở Ngoại vụ", "", "31/12/2022", "", 20, "", ""],
        ]:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    report = read(out.getvalue())
    assert (report.meta.period_kind, report.meta.period_index) == ("Q", 3)
    assert sorted(t.task_title for t in report.tasks) == [
        "Việc A",
        "Việc của Bản sao",
        "Việc của Công an tỉnh",
    ]
    (warning,) = [w for w in report.warnings if "khác kỳ của báo cáo" in w.message]
    assert warning.sheet == "Quý IV"
    assert "ghi kỳ Quý IV/2022, khác kỳ của báo cáo (Quý III/2022), nên không được đọc" in warning.message


@pytest.mark.parametrize("tick", ["x", "√", "×", "(x)", "[X]", "x.", "✓"])
@pytest.mark.parametrize("third", ["Chưa thực hiện", "Chưa hoàn thành", "CHƯA HOÀN THÀNH (3)"])
def test_x_mark_columns_read_ticks_as_offices_write_them(tick: str, third: str):
    """A "√" or "(x)" under a status column marks it as an "x" does; "Chưa hoàn thành" beside "Đang thực
    hiện" is the column of the tasks not started."""
    header = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng", None, None]
    sub = [None, None, None, None, "Đã hoàn thành", "Đang thực hiện", third]
    rows = [
        sub,
        ["1", "Việc A", "Sở Ngoại vụ", "Tháng 12/2022", tick, "", ""],
        ["2", "Việc B", "Sở Ngoại vụ", "Tháng 12/2022", "", tick, ""],
        ["3", "Việc C", "Sở Ngoại vụ", "Tháng 12/2022", "", "", tick],
    ]
    report = read(make_workbook(rows, header=header, merges=["E6:G6", "A6:A7", "B6:B7"]))
    assert [t.status_reported for t in report.tasks] == ["done", "in_progress", "not_started"]
    assert not report.warnings


@pytest.mark.parametrize(
    "done_on", ["15/8/2022", "Đã hoàn thành ngày 15/8/2022", "15/08/2022 (Văn bản số 12/BC-STTTT)"]
)
def test_a_date_done_with_no_status_and_no_percent_is_a_task_done(done_on: str):
    rows = [["1", "Việc A", "Sở Ngoại vụ", "", "30/6/2022", "", None, None, done_on]]
    (task,) = read(make_workbook(rows)).tasks
    assert (task.status_reported, task.completed_on) == ("done", date(2022, 8, 15))


@pytest.mark.parametrize(
    ("written", "extended"),
    [
        ("Gia hạn đến 31/12/2022", date(2022, 12, 31)),
        ("Quý IV/2022", date(2022, 12, 31)),
        ("Tháng 11/2022", date(2022, 11, 30)),
        ("-", None),
        ("Không", None),
    ],
)
def test_an_extension_written_as_offices_write_it_moves_the_deadline(written: str, extended: date | None):
    header = [*HEADER[:5], "Thời hạn điều chỉnh", *HEADER[5:]]
    rows = [["1", "Việc A", "Sở Ngoại vụ", "", "30/9/2022", written, "", 50, "Đang thực hiện", ""]]
    (task,) = read(make_workbook(rows, header=header)).tasks
    assert (task.due_date, task.due_date_original) == (
        (extended, date(2022, 9, 30)) if extended else (date(2022, 9, 30), None)
    )


_TASKS = [
    ["1", "Việc A", "Sở Ngoại vụ", "", "30/9/2022", "", 100, "Đã hoàn thành", "15/8/2022"],
    ["2", "Việc B", "Sở Ngoại vụ", "", "30/9/2022", "", 50, "Đang thực hiện", ""],
]


@pytest.mark.parametrize(
    "label", ["Ghi chú: Số liệu tính đến 30/9/2022.", "* Ghi chú:", "(*) Lưu ý:", "GHI CHÚ", "Chú thích:"]
)
@pytest.mark.parametrize("bullets", [0, 1, 3])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_notes_typed_under_the_table_are_not_tasks(label: str, bullets: int, fmt: str):
    """A notes line in the title column ("Ghi chú: …") and the bullet lines under it are notes on the
    table; a numbered task after them is still read."""
    notes = [["", label, "", "", "", "", "", "", ""]]
    notes += [["", f"- Điểm {i + 1} của ghi chú.", "", "", "", "", "", "", ""] for i in range(bullets)]
    later = ["3", "Việc C", "Sở Ngoại vụ", "", "30/9/2022", "", 0, "Chưa thực hiện", ""]
    rows = _TASKS + notes + [later]
    data = make_workbook(rows) if fmt == "xlsx" else _as_csv(TITLE + [HEADER] + rows)
    report = read(data, f"r.{fmt}")
    assert [t.task_title for t in report.tasks] == ["Việc A", "Việc B", "Việc C"]


def test_a_row_reporting_progress_is_a_task_whatever_its_title_opens_with():
    rows = _TASKS + [
        ["", "Lưu ý công tác tuyên truyền biển đảo", "Sở Ngoại vụ", "", "Năm 2022", "", 20, "", ""]
    ]
    report = read(make_workbook(rows))
    assert [t.task_title for t in report.tasks][-1] == "Lưu ý công tác tuyên truyền biển đảo"


@pytest.mark.parametrize("bullet", ["-", "+", "•"])
def test_a_numbered_heading_over_bulleted_tasks_is_not_a_task(bullet: str):
    """ "1 Quảng bá hình ảnh" with nothing of its own over "- Sản xuất video …": the bulleted rows are the
    tasks; a numbered row reporting progress stays a task."""
    rows = [
        ["1", "Quảng bá hình ảnh", "", "", "", "", None, "", ""],
        [bullet, "Sản xuất video", "Sở Ngoại vụ", "", "Năm 2022", "", 50, "Đang thực hiện", ""],
        [bullet, "Xuất bản ấn phẩm", "Sở Ngoại vụ", "", "Năm 2022", "", 100, "Đã hoàn thành", "1/8/2022"],
        ["2", "Thông tin biển đảo", "Sở Ngoại vụ", "", "Năm 2022", "", 30, "", ""],
        [bullet, "Triển lãm", "Sở Ngoại vụ", "", "Năm 2022", "", 0, "Chưa thực hiện", ""],
    ]
    report = read(make_workbook(rows))
    assert [t.task_title for t in report.tasks] == [
        "Sản xuất video",
        "Xuất bản ấn phẩm",
        "Thông tin biển đảo",
        "Triển lãm",
    ]


@pytest.mark.parametrize("heading", ["Mức độ hoàn thành", "Tiến độ thực hiện", "TIẾN ĐỘ"])
@pytest.mark.parametrize("twin", [None, "Tỷ lệ hoàn thành (%)"])
def test_a_progress_heading_over_status_words_is_the_status_column(heading: str, twin: str | None):
    """ "Mức độ hoàn thành" holding "Hoàn thành", "Đang thực hiện" is read as the status (no refusal for
    words that are not numbers); a percent column beside it is the percent."""
    header = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", heading] + ([twin] if twin else [])
    rows = [
        ["1", "Việc A", "Sở Ngoại vụ", "30/9/2022", "Hoàn thành"] + ([100] if twin else []),
        ["2", "Việc B", "Sở Ngoại vụ", "30/9/2022", "Đang thực hiện"] + ([40] if twin else []),
        ["3", "Việc C", "Sở Ngoại vụ", "30/9/2022", "Chưa thực hiện"] + ([0] if twin else []),
    ]
    report = read(make_workbook(rows, header=header))
    assert not report.errors
    assert [(t.status_reported, t.pct_done) for t in report.tasks] == [
        ("done", 100 if twin else None),
        ("in_progress", 40 if twin else None),
        ("not_started", 0 if twin else None),
    ]


def test_a_progress_heading_over_numbers_stays_the_percent():
    header = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Mức độ hoàn thành", "Tình trạng"]
    rows = [["1", "Việc A", "Sở Ngoại vụ", "30/9/2022", 60, "Đang thực hiện"]]
    (task,) = read(make_workbook(rows, header=header)).tasks
    assert (task.status_reported, task.pct_done) == ("in_progress", 60)


def test_x_marks_under_a_progress_heading_are_the_status():
    header = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Mức độ hoàn thành", None, None]
    sub = [None, None, None, None, "Hoàn thành", "Đang thực hiện", "Chưa thực hiện"]
    rows = [
        sub,
        ["1", "Việc A", "Sở Ngoại vụ", "Tháng 12/2022", "x", "", ""],
        ["2", "Việc B", "Sở Ngoại vụ", "Tháng 12/2022", "", "x", ""],
        ["3", "Việc C", "Sở Ngoại vụ", "Tháng 12/2022", "", "", "x"],
    ]
    report = read(make_workbook(rows, header=header, merges=["E6:G6", "A6:A7", "B6:B7"]))
    assert [t.status_reported for t in report.tasks] == ["done", "in_progress", "not_started"]


@pytest.mark.parametrize("planned", ["Thời gian thực hiện", "Thời hạn thực hiện", "THOI GIAN THUC HIEN"])
def test_a_time_done_column_after_a_planned_time_column_gives_the_date_done(planned: str):
    header = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", planned, "Tình trạng", "Thời gian hoàn thành"]
    rows = [
        ["1", "Việc A", "Sở Ngoại vụ", "Quý I/2022", "Hoàn thành", "15/3/2022"],
        ["2", "Việc B", "Sở Ngoại vụ", "30/9/2022", "Đang thực hiện", ""],
    ]
    report = read(make_workbook(rows, header=header))
    assert [(t.due_date, t.completed_on) for t in report.tasks] == [
        (date(2022, 3, 31), date(2022, 3, 15)),
        (date(2022, 9, 30), None),
    ]
    assert not any("không được đọc" in w.message for w in report.warnings)


def test_a_result_heading_over_status_words_is_the_status_beside_the_results():
    header = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả", "Kết quả thực hiện"]
    rows = [
        ["1", "Việc A", "Sở Ngoại vụ", "30/9/2022", "Hoàn thành", "Đã ban hành kế hoạch"],
        ["2", "Việc B", "Sở Ngoại vụ", "30/9/2022", "Đang thực hiện", "Đã tổ chức 2 lớp"],
    ]
    report = read(make_workbook(rows, header=header))
    assert [(t.status_reported, t.result_text) for t in report.tasks] == [
        ("done", "Đã ban hành kế hoạch"),
        ("in_progress", "Đã tổ chức 2 lớp"),
    ]


def test_results_written_as_sentences_stay_the_results():
    header = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả", "Tiến độ (%)"]
    rows = [
        ["1", "Việc A", "Sở Ngoại vụ", "30/9/2022", "Đã ban hành kế hoạch số 12", 100],
        ["2", "Việc B", "Sở Ngoại vụ", "30/9/2022", "Hoàn thành", 100],
        ["3", "Việc C", "Sở Ngoại vụ", "30/9/2022", "Tổ chức được 2 lớp tập huấn", 60],
    ]
    report = read(make_workbook(rows, header=header))
    assert [t.result_text for t in report.tasks] == [
        "Đã ban hành kế hoạch số 12",
        "Hoàn thành",
        "Tổ chức được 2 lớp tập huấn",
    ]


@pytest.mark.parametrize(
    ("file_name", "read_tab"),
    [
        ("BC_TTDN_Quy3_2022.xlsx", "Quý III"),
        ("TB_Q3-2022_SoNgoaiVu.xlsx", "Quý III"),
        ("BaoCao Quý IV 2022.xlsx", "Quý IV"),
        ("BC_TTDN_Quy2_2022.xlsx", "Quý II"),
        ("bao_cao.xlsx", "Quý II"),  # the name says nothing: the first tab, the other named in a warning
    ],
)
def test_a_tab_per_quarter_reads_the_one_the_file_name_gives(file_name: str, read_tab: str):
    """Tabs "Quý II", "Quý III", "Quý IV" in one workbook: the report is the period its file's name gives;
    the other tabs are left out, each named in a warning."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for tab, roman in (("Quý II", "II"), ("Quý III", "III"), ("Quý IV", "IV")):
        sheet = book.create_sheet(tab)
        title = [list(r) for r in TITLE]
        title = [[f"Quý {roman} năm 2022" if "Quý" in str(v) else v for v in r] for r in title]
        for row in title + [
            HEADER,
            ["1", f"Việc của {tab}", "Sở Ngoại vụ", "", "31/12/2022", "", 20, "", ""],
        ]:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    report = read(out.getvalue(), file_name)
    assert [t.task_title for t in report.tasks] == [f"Việc của {read_tab}"]
    assert sorted(w.sheet for w in report.warnings if "khác kỳ của báo cáo" in w.message) == sorted(
        {"Quý II", "Quý III", "Quý IV"} - {read_tab}
    )


@pytest.mark.parametrize("written", ["SỞ NGOẠI VỤ", "Sở Ngoại vụ", "Sở NgV"])
def test_sections_named_for_units_lead_their_tasks_when_no_column_names_the_lead(written: str):
    """A consolidated report "I. SỞ NGOẠI VỤ / 1 … / II. BÁO THÁI BÌNH / 1 …" with no lead-unit column: each
    section's unit leads its tasks; a section naming a topic leads nothing."""
    header = ["STT", "Nội dung nhiệm vụ", "Thời hạn", "Tiến độ (%)", "Tình trạng"]
    rows = [
        ["I", written, None, None, None],
        ["1", "Đón đoàn phóng viên", "Năm 2022", 50, "Đang thực hiện"],
        ["II", "BÁO THÁI BÌNH", None, None, None],
        ["1", "Chuyên mục đối ngoại", "Năm 2022", 60, "Đang thực hiện"],
        ["III", "Các hoạt động thông tin đối ngoại cụ thể", None, None, None],
        ["1", "Triển lãm", "Năm 2022", 0, "Chưa thực hiện"],
    ]
    report = read(make_workbook(rows, header=header))
    assert [t.lead_units for t in report.tasks] == [["Sở Ngoại vụ"], ["Báo Thái Bình"], []]


def test_a_lead_unit_column_wins_over_a_section_named_for_a_unit():
    rows = [
        ["I", "SỞ NGOẠI VỤ", None, None, None, None, None, None, None],
        ["1", "Việc A", "Công an tỉnh", "", "Năm 2022", "", 50, "Đang thực hiện", ""],
        ["2", "Việc B", "", "", "Năm 2022", "", 50, "Đang thực hiện", ""],
    ]
    report = read(make_workbook(rows))
    assert [t.lead_units for t in report.tasks] == [["Công an tỉnh"], []]


@pytest.mark.parametrize(
    ("stt", "title", "kept"),
    [
        ("a", "a) Xây dựng video", "Xây dựng video"),
        ("b", "B. Tổ chức họp báo", "Tổ chức họp báo"),
        ("1", "1. Tập huấn", "Tập huấn"),
        ("1.2", "1.2: Triển lãm", "Triển lãm"),
        ("1", "1.000 bản tin đối ngoại", "1.000 bản tin đối ngoại"),
        ("2", "2 lớp tập huấn", "2 lớp tập huấn"),
    ],
)
def test_the_stt_label_written_again_at_the_start_of_the_title_is_left_out(stt: str, title: str, kept: str):
    rows = [["1", "Nhóm việc", None, None, None, None, None, None, None]] if stt in ("a", "b", "1.2") else []
    rows.append([stt, title, "Sở Ngoại vụ", "", "Năm 2022", "", 50, "Đang thực hiện", ""])
    report = read(make_workbook(rows))
    assert report.tasks[-1].task_title == kept


def test_an_excel_sep_line_names_the_csv_delimiter_and_is_no_row():
    body = _as_csv(TITLE + [HEADER] + _TASKS).decode("utf-8").replace(",", ";")
    report = read(("sep=;\r\n" + body).encode("utf-8"), "r.csv")
    assert report.meta.reporting_unit == "Sở Ngoại vụ"
    assert [t.task_title for t in report.tasks] == ["Việc A", "Việc B"]


def _with_hidden(data: bytes, letters: str) -> bytes:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    for letter in letters:
        book.active.column_dimensions[letter].hidden = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("old", "field", "visible_value"),
    [("Tình trạng", "status_reported", "in_progress"), ("Tiến độ (%)", "pct_done", 40), ("Đơn vị chủ trì", "lead_units", ["Công an tỉnh"])],
)  # fmt: skip
def test_a_hidden_old_column_gives_way_to_the_visible_one_of_the_same_kind(
    old: str, field: str, visible_value
):
    header = [*HEADER, old]
    stale = {"Tình trạng": "Chưa thực hiện", "Tiến độ (%)": 0, "Đơn vị chủ trì": "Sở Ngoại vụ"}[old]
    fresh = {"Tình trạng": "Đang thực hiện", "Tiến độ (%)": 40, "Đơn vị chủ trì": "Công an tỉnh"}[old]
    row = ["1", "Việc A", "Sở Ngoại vụ", "", "31/12/2022", "", 40, "Đang thực hiện", ""]
    row[HEADER.index(old)] = stale  # the old value, in the column the person hid
    data = make_workbook([[*row, fresh]], header=header)
    hidden = "ABCDEFGHI"[HEADER.index(old)]
    (task,) = read(_with_hidden(data, hidden)).tasks
    assert getattr(task, field) == visible_value


def test_a_hidden_column_still_read_is_named_in_a_warning():
    data = make_workbook([["1", "Việc A", "Sở Ngoại vụ", "", "31/12/2022", "", 40, "Đang thực hiện", ""]])
    report = read(_with_hidden(data, "G"))
    assert report.tasks[0].pct_done == 40
    (warning,) = [w for w in report.warnings if "bị ẩn" in w.message]
    assert warning.column == "G" and "«Tiến độ (%)»" in warning.message


@pytest.mark.parametrize(
    ("shown_as", "kind", "due"),
    [
        ("mm/yyyy", "month", date(2022, 9, 30)),
        ("mmm-yy", "month", date(2022, 9, 30)),  # Excel's own format 17: "9/2022" typed into a cell
        ("[$-42A]mmmm yyyy", "month", date(2022, 9, 30)),
        ('"Tháng "m/yyyy', "month", date(2022, 9, 30)),
        ("dd/mm/yyyy", "date", date(2022, 9, 1)),
        ("d-mmm-yy", "date", date(2022, 9, 1)),
    ],
)
def test_a_date_cell_showing_only_its_month_is_that_month(shown_as: str, kind: str, due: date):
    """Excel turns "9/2022" typed in a cell into 1/9/2022 shown as "Sep-22": the person meant September,
    whose deadline is its last day (not the 1st, which would make the task overdue a month early)."""
    from openpyxl import load_workbook

    data = make_workbook([["1", "Việc A", "Sở Ngoại vụ", "", None, "", 40, "Đang thực hiện", ""]])
    book = load_workbook(io.BytesIO(data))
    cell = book.active.cell(row=len(TITLE) + 2, column=5)
    cell.value, cell.number_format = datetime(2022, 9, 1), shown_as
    out = io.BytesIO()
    book.save(out)
    (task,) = read(out.getvalue()).tasks
    assert (task.due_kind, task.due_date) == (kind, due)


def test_a_percent_column_with_a_stray_status_word_stays_the_percent():
    """Percents written as text ("50%") with one status word among them: the column is the percent, and
    the word is the one cell to fix."""
    header = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tiến độ"]
    rows = [
        ["1", "Việc A", "Sở Ngoại vụ", "30/9/2022", "50%"],
        ["2", "Việc B", "Sở Ngoại vụ", "30/9/2022", "80%"],
        ["3", "Việc C", "Sở Ngoại vụ", "30/9/2022", "Hoàn thành"],
    ]
    report = read(make_workbook(rows, header=header))
    assert [t.pct_done for t in report.tasks] == [50, 80]
    assert [p.message.split(". ")[0] for p in report.errors] == ["Tiến độ 'Hoàn thành' không phải là số"]


def test_a_month_shown_date_outside_a_deadline_column_is_read_as_written():
    """A table with no deadline column and a date done shown as a month: read as its date, no failure."""
    from openpyxl import load_workbook

    header = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Tình trạng", "Ngày hoàn thành"]
    data = make_workbook([["1", "Việc A", "Sở Ngoại vụ", "Hoàn thành", None]], header=header)
    book = load_workbook(io.BytesIO(data))
    cell = book.active.cell(row=len(TITLE) + 2, column=5)
    cell.value, cell.number_format = datetime(2022, 9, 1), "mm/yyyy"
    out = io.BytesIO()
    book.save(out)
    (task,) = read(out.getvalue()).tasks
    assert (task.due_date, task.completed_on, task.status_reported) == (None, date(2022, 9, 1), "done")
