"""Unit names: splitting cells, abbreviations, aliases, fuzzy matching, unknown units kept."""

import pytest

from etl.vocab.units import UnitDirectory, split_units, unit_key

DIRECTORY = UnitDirectory.from_csv()


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Các sở, ban, ngành; Công an tỉnh", ["Các sở, ban, ngành", "Công an tỉnh"]),
        (
            "Công an tỉnh, các cơ quan báo chí của tỉnh và các cơ quan, đơn vị có liên quan",
            ["Công an tỉnh", "các cơ quan báo chí của tỉnh", "các cơ quan, đơn vị có liên quan"],
        ),
        (
            "Sở Ngoại vụ, Ủy ban nhân dân các huyện, thành phố",
            ["Sở Ngoại vụ", "Ủy ban nhân dân các huyện, thành phố"],
        ),
        ("Ban Thi đua - Khen thưởng tỉnh", ["Ban Thi đua - Khen thưởng tỉnh"]),
        ("Sở Thông tin và Truyền thông\nSở Ngoại vụ", ["Sở Thông tin và Truyền thông", "Sở Ngoại vụ"]),
        (
            "Văn phòng HĐND và UBND thị xã, Công an thị xã",
            ["Văn phòng HĐND và UBND thị xã", "Công an thị xã"],
        ),
        ("", []),
    ],
)
def test_split_units(cell, names):
    assert split_units(cell) == names


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Sở VH,TT&DL", "so van hoa the thao va du lich"),
        ("Sở TT&TT", "so thong tin va truyen thong"),
        ("STTTT", "so thong tin va truyen thong"),
        ("UBND các huyện, thành phố", "uy ban nhan dan cac huyen thanh pho"),
        ("BCH BĐBP tỉnh", "bo chi huy bo doi bien phong tinh"),
        ("Đài PT-TH Thái Bình", "dai phat thanh va truyen hinh thai binh"),
        ("Sở KH&ĐT", "so ke hoach va dau tu"),
        ("Các cơ quan báo chí trên địa bàn tỉnh", "cac co quan bao chi tinh"),
    ],
)
def test_unit_key_expands_standard_abbreviations(written, key):
    assert unit_key(written) == key


@pytest.mark.parametrize(
    ("written", "province", "canonical"),
    [
        ("Sở TT&TT", "Thái Bình", "Sở Thông tin và Truyền thông"),
        ("sở thông tin và truyền thông", "Tuyên Quang", "Sở Thông tin và Truyền thông"),
        ("Báo TQ", "Tuyên Quang", "Báo Tuyên Quang"),
        ("Báo TB", "Thái Bình", "Báo Thái Bình"),
        ("Cổng TTĐT tỉnh", "Thái Bình", "Cổng Thông tin điện tử tỉnh"),
        ("Cổng TTĐN tỉnh", "Tuyên Quang", "Cổng Thông tin đối ngoại tỉnh"),
        ("các sở ban ngành", "Phú Yên", "Các sở, ban, ngành"),
        ("Ban TG Tỉnh ủy", "Thừa Thiên Huế", "Ban Tuyên giáo Tỉnh ủy"),
        ("Ban Thi đua Khen thưởng tỉnh", "Tuyên Quang", "Ban Thi đua - Khen thưởng tỉnh"),
        ("Sở Văn hoá, Thể thao và Du lịch", "Phú Yên", "Sở Văn hóa, Thể thao và Du lịch"),  # old-style 'oá'
        ("Ủy ban nhân dân huyện Tuy An", "Phú Yên", "Ủy ban nhân dân huyện Tuy An"),
        ("Sở Giao thông vận tải", "Thái Bình", None),
        ("Báo TQ", "Thái Bình", None),
    ],
)
def test_match(written, province, canonical):
    assert DIRECTORY.match(written, province) == canonical


def test_unknown_units_are_kept_capitalised_and_reported():
    names, unknown = DIRECTORY.resolve_cell("Sở TT&TT; trung tâm hội nghị tỉnh", "Thái Bình")
    assert names == ["Sở Thông tin và Truyền thông", "Trung tâm hội nghị tỉnh"]
    assert unknown == ["trung tâm hội nghị tỉnh"]


def test_repeated_units_in_a_cell_are_listed_once():
    names, _ = DIRECTORY.resolve_cell("Sở TT&TT; Sở Thông tin và Truyền thông; STTTT", "Thái Bình")
    assert names == ["Sở Thông tin và Truyền thông"]


def test_known_names_containing_va_and_commas_are_not_cut():
    names, unknown = DIRECTORY.resolve_cell(
        "Văn phòng HĐND và UBND thị xã Hương Trà, Sở Công Thương; Công an tỉnh và các cơ quan báo chí tỉnh",
        "Thừa Thiên Huế",
    )
    assert names == [
        "Văn phòng HĐND và UBND thị xã Hương Trà",
        "Sở Công Thương",
        "Công an tỉnh",
        "Các cơ quan báo chí của tỉnh",
    ]
    assert unknown == []


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        (
            "- Sở TT&TT\n- BCH BĐBP tỉnh\n- UBND TX Sông Cầu",
            [
                "Sở Thông tin và Truyền thông",
                "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
                "Ủy ban nhân dân thị xã Sông Cầu",
            ],
        ),
        (
            "Báo Phú Yên và Đài Phát thanh và Truyền hình Phú Yên",
            ["Báo Phú Yên", "Đài Phát thanh và Truyền hình Phú Yên"],
        ),
        (
            "Sở Ngoại vụ, Các sở, ban, ngành và Công an tỉnh",
            ["Sở Ngoại vụ", "Các sở, ban, ngành", "Công an tỉnh"],
        ),
        ("So Ngoai vu va Cong Thong tin dien tu tinh", ["Sở Ngoại vụ", "Cổng Thông tin điện tử tỉnh"]),
    ],
)
def test_bullets_abbreviations_and_va_between_units(cell, names):
    assert DIRECTORY.resolve_cell(cell, "Phú Yên") == (names, [])
