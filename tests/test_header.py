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


def test_grouped_two_row_header_reads_each_child_as_its_own_field():
    rows = [
        ["STT", "Nội dung nhiệm vụ", "Đơn vị thực hiện", None, "Kết quả thực hiện", None, None],
        [
            None,
            None,
            "Chủ trì",
            "Phối hợp",
            "% hoàn thành",
            "Tình trạng thực hiện",
            "Ngày hoàn thành thực tế",
        ],
        [1, "Việc", "Sở Ngoại vụ", "Công an tỉnh", 100, "Xong", "1/7/2022"],
    ]
    merged = [(0, 2, 0, 3), (0, 4, 0, 6), (0, 0, 1, 0), (0, 1, 1, 1)]
    header = find_header(rows, merged)
    assert header.row == 1
    assert {f: header.columns[f] for f in (Field.LEAD, Field.COORD, Field.PERCENT, Field.STATUS)} == {
        Field.LEAD: 2,
        Field.COORD: 3,
        Field.PERCENT: 4,
        Field.STATUS: 5,
    }
    assert header.columns[Field.COMPLETED] == 6


def test_group_label_written_once_over_its_children_without_merges():
    rows = [
        ["STT", "Nội dung nhiệm vụ", "Thời hạn hoàn thành", None, "Tình trạng"],
        [None, None, "Theo kế hoạch", "Thời hạn điều chỉnh (nếu có)", None],
        [1, "Việc", "30/6/2022", None, "Xong"],
    ]
    header = find_header(rows, [])
    assert header.row == 1
    assert (header.columns[Field.DUE], header.columns[Field.EXTENSION]) == (2, 3)


def test_x_mark_columns_in_any_order_with_numbered_labels():
    rows = [
        ["STT", "Nội dung nhiệm vụ", "Chủ trì", "Tình trạng", None, None, None],
        [None, None, None, "Chưa thực hiện (4)", "Đang thực hiện (5)", "Hoàn thành (6)", "Tạm dừng (7)"],
        [1, "Việc", "Sở Ngoại vụ", None, None, "X", None],
    ]
    header = find_header(rows, [(0, 3, 0, 6)])
    assert [str(s) for _, s in sorted(header.marks.items())] == [
        "not_started",
        "in_progress",
        "done",
        "suspended",
    ]


def test_a_header_names_the_longest_synonym_it_is_or_starts_with():
    """Every synonym, alone, followed by more words, or under another synonym's longer form, names the
    field whose synonym is the longest match (the whole text counting double), the first field listing it
    on a tie; seeded runs of synonym words."""
    import random

    from etl.ingest.header import SYNONYMS

    def by_every_synonym(text: str) -> Field | None:
        best = None
        for fld, words in SYNONYMS.items():
            for word in words:
                if text == word or text.startswith(word + " "):
                    score = len(word) * (2 if text == word else 1)
                    if best is None or score > best[0]:
                        best = (score, fld)
        return best[1] if best else None

    words = [w for ws in SYNONYMS.values() for w in ws]
    rng = random.Random(14)
    texts = words + [f"{w} {rng.choice(words)}" for w in words] + [f"{w} x" for w in words]
    texts += [
        " ".join(rng.choice([*words, "thuc", "hien", "x"]) for _ in range(rng.randint(1, 4)))
        for _ in range(5000)
    ]
    assert all(classify_header(t) == by_every_synonym(t) for t in texts)
    assert classify_header("don vi chu tri thuc hien nhiem vu") == Field.LEAD
    assert classify_header("ty le hoan thanh ke hoach") == Field.PERCENT


def test_first_word_of_a_cell_is_that_of_its_whole_key_for_any_text():
    """``classify_header`` decides most cells on their first word, taken from the first token's key: it
    must be the first word of the whole text's key, whatever blanks, marks, symbols or scripts the text
    holds (a blank that folds to nothing, U+0085, joins words in the key: it is not a token break)."""
    import random

    from etl.ingest.header import _first_word
    from etl.vocab.text import key

    rng = random.Random(20261206)
    pieces = [
        *"aăâbcdđeêghiklmnoôơpqrstuưvxyAĐƠỆỨỮ",
        *" ,.;:()%/-&_\t\n",
        "\u00a0", "\u0085", "\u0301", "\u0300", "\u0323", "\u2003", "\ufeff", "\u4e2d", "\u00bd", "\u2460",
        "Σ", "ς", "İ", "0", "1", "STT", "Nội", "NỘI", "Tiến", "(1)", "N\u0303",
    ]  # fmt: skip
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))[:40]
        assert _first_word(text) == key(text).partition(" ")[0], repr(text)
