"""Header synonyms and header-row detection."""

import unicodedata

import pytest

from etl.ingest.header import Field, classify_header, find_header


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("STT", Field.STT),
        ("TT", Field.STT),
        ("Nội dung nhiệm vụ", Field.TITLE),
        ("NỘI DUNG CÔNG VIỆC", Field.TITLE),
        ("noi dung nhiem vu", Field.TITLE),
        (unicodedata.normalize("NFD", "Nội dung nhiệm vụ"), Field.TITLE),
        ("Đơn vị chủ trì thực hiện", Field.LEAD),
        ("Cơ quan chủ trì", Field.LEAD),
        ("Đơn vị phối hợp", Field.COORD),
        ("Thời gian hoàn thành", Field.DUE),
        ("Thời hạn", Field.DUE),
        ("Thời hạn điều chỉnh", Field.EXTENSION),
        ("Gia hạn đến", Field.EXTENSION),
        ("Thời hạn sau gia hạn", Field.EXTENSION),
        ("Ngày hoàn thành", Field.COMPLETED),
        ("Tiến độ (%)", Field.PERCENT),
        ("Tỷ lệ (%)", Field.PERCENT),
        ("% hoàn thành", Field.PERCENT),
        ("Tình trạng", Field.STATUS),
        ("Trạng thái", Field.STATUS),
        ("Kết quả thực hiện", Field.RESULT),
        ("Khó khăn, vướng mắc", Field.DIFFICULTIES),
        ("Tồn tại, hạn chế", Field.DIFFICULTIES),
        ("Đề xuất, kiến nghị", Field.PROPOSALS),
        ("Kiến nghị", Field.PROPOSALS),
        ("Ghi chú", Field.NOTE),
        ("Kinh phí (triệu đồng)", None),
        ("Văn bản triển khai", None),
        ("", None),
    ],
)
def test_classify_header(text, field):
    assert classify_header(text) == field


def test_header_row_is_found_below_title_rows_and_prose_is_ignored():
    rows = [
        ["Cột 'Nội dung nhiệm vụ', 'Đơn vị chủ trì', 'Tình trạng' phải điền đủ"],
        [None],
        ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Tình trạng"],
        [1, "Việc", "Sở Ngoại vụ", "Xong"],
    ]
    header = find_header(rows, [])
    assert (header.row, header.columns[Field.TITLE], header.columns[Field.STATUS]) == (2, 1, 3)


def test_one_status_word_below_a_header_is_data_not_a_sub_header():
    rows = [["STT", "Nội dung", "Chủ trì", "Tình trạng"], ["1", "Việc", "Sở Ngoại vụ", "Hoàn thành"]]
    header = find_header(rows, [])
    assert header.row == 0 and header.marks == {}
