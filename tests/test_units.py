"""Unit names: splitting cells, abbreviations, aliases, fuzzy matching, unknown units kept."""

import pytest

from etl.vocab.unit_names import expand_committee, full_name, sentence_case
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


@pytest.mark.parametrize(
    ("written", "province", "canonical"),
    [
        ("Văn phòng UBND tỉnh Phú Yên", "Phú Yên", "Văn phòng Ủy ban nhân dân tỉnh"),
        ("Ban Tuyên giáo Tỉnh ủy Thừa Thiên Huế", "Thừa Thiên Huế", "Ban Tuyên giáo Tỉnh ủy"),
        ("Công an tỉnh Phú Yên", "Phú Yên", "Công an tỉnh"),
        ("Sở Ngoại vụ tỉnh Phú Yên", "Phú Yên", "Sở Ngoại vụ"),
        ("Sở Ngoại vụ tỉnh Đồng Nai", "Đồng Nai", "Sở Ngoại vụ"),  # a province the directory lacks
        ("Ủy ban nhân dân tỉnh Phú Yên", "Phú Yên", None),
        ("Báo Phú Yên", "Phú Yên", "Báo Phú Yên"),  # the name itself ends with the province
    ],
)
def test_a_name_ending_with_its_province_is_the_provinces_unit(written, province, canonical):
    assert DIRECTORY.match(written, province) == canonical


def test_provinces_of_a_unit():
    assert DIRECTORY.provinces_of("Sở Du lịch") == ["Thừa Thiên Huế"]
    assert len(DIRECTORY.provinces_of("Sở NgV")) == 4
    assert DIRECTORY.provinces_of("Sở Giao thông vận tải") == []


@pytest.mark.parametrize(
    ("issuers", "name"),
    [
        (["ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN", "VĂN PHÒNG"], "Văn phòng Ủy ban nhân dân tỉnh Phú Yên"),
        (["UBND TỈNH PHÚ YÊN", "VĂN PHÒNG"], "Văn phòng UBND tỉnh Phú Yên"),
        (
            ["UBND THỊ XÃ HƯƠNG TRÀ", "PHÒNG VĂN HÓA VÀ THÔNG TIN"],
            "Phòng Văn hóa và Thông tin thị xã Hương Trà",
        ),
        (["UBND TX HƯƠNG TRÀ", "VĂN PHÒNG HĐND VÀ UBND"], "Văn phòng HĐND và UBND thị xã Hương Trà"),
        (
            ["UBND THỊ XÃ HƯƠNG TRÀ", "VĂN PHÒNG"],
            "Văn phòng HĐND và UBND thị xã Hương Trà",
        ),  # a district's office
        (["UBND THÀNH PHỐ THÁI BÌNH", "VĂN PHÒNG"], "Văn phòng HĐND và UBND thành phố Thái Bình"),
        (["UBND THÀNH PHỐ HÀ NỘI", "VĂN PHÒNG"], "Văn phòng UBND thành phố Hà Nội"),  # a province-level city
        (
            ["UBND TỈNH PHÚ YÊN", "SỞ NGOẠI VỤ", "PHÒNG THÔNG TIN ĐỐI NGOẠI"],
            "Phòng Thông tin đối ngoại Sở Ngoại vụ",
        ),
        (["TỈNH ỦY THỪA THIÊN HUẾ", "BAN TUYÊN GIÁO"], "Ban Tuyên giáo Tỉnh ủy Thừa Thiên Huế"),
        (["ĐẢNG BỘ TỈNH THỪA THIÊN HUẾ", "BAN DÂN VẬN"], "Ban Dân vận Tỉnh ủy Thừa Thiên Huế"),
        (
            ["UBND TỈNH THÁI BÌNH", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"],
            "Sở Lao động - Thương binh và Xã hội",
        ),
        (["UBND TỈNH PHÚ YÊN", "CÔNG AN TỈNH PHÚ YÊN"], "Công an tỉnh Phú Yên"),
        (["BỘ CHỈ HUY QUÂN SỰ TỈNH"], "Bộ Chỉ huy Quân sự tỉnh"),
        (
            ["UBND TỈNH BÀ RỊA - VŨNG TÀU", "BAN THI ĐUA - KHEN THƯỞNG"],
            "Ban Thi đua - Khen thưởng tỉnh Bà Rịa - Vũng Tàu",
        ),
        (["UBND THỊ XÃ SÔNG CẦU"], "Ủy ban nhân dân thị xã Sông Cầu"),
        (
            ["ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM THỊ XÃ HƯƠNG TRÀ"],
            "Ủy ban Mặt trận Tổ quốc Việt Nam thị xã Hương Trà",
        ),
        (["Sở Ngoại vụ"], "Sở Ngoại vụ"),  # mixed case is kept as written
    ],
)
def test_an_issuing_body_gets_its_full_name_in_the_usual_spelling(issuers, name):
    assert expand_committee(sentence_case(full_name(issuers))) == name


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


def test_abbreviations_skipped_by_their_first_word_are_exactly_those_that_cannot_match():
    """``expand_abbreviations`` tries a pattern only when a word starts as its match would: on every
    directory name and alias, and on seeded random runs of abbreviation words, it writes out the same
    text as trying every pattern in turn."""
    import csv
    import random

    from etl.vocab.text import fold
    from etl.vocab.units import _COMPILED, UNITS_CSV, expand_abbreviations

    def every_pattern(folded: str) -> str:
        for pattern, replacement, _ in _COMPILED:
            folded = pattern.sub(replacement, folded)
        return folded

    with open(UNITS_CSV, encoding="utf-8-sig", newline="") as fh:
        texts = [name for r in csv.DictReader(fh) for name in [r["canonical_name"], *r["aliases"].split("|")]]
    words = (
        "vh tt & dl , va vhtt stttt tttt kh dt khdt gd tn mt nn ptnt cn ld tb xh gtvt sngv ngv ubmttq ubnd"
    )
    words += " hdnd bchqs bch bdbp btg ban tg ca pt - th ptth ttdt ttdn vp tp tp. tx tx. cua thuoc trong tinh"
    tokens = [*words.split(), "tren dia ban", "co lien quan", "so", "cong an", "x"]
    rng = random.Random(14)
    for _ in range(20_000):
        sep = rng.choice([" ", "", ", "])
        texts.append(sep.join(rng.choice(tokens) for _ in range(rng.randint(1, 6))))
    changed = 0
    for text in texts:
        folded = fold(text)
        assert expand_abbreviations(folded) == every_pattern(folded), text
        changed += expand_abbreviations(folded) != folded
    assert changed > 5_000  # the random runs do hold abbreviations


def test_a_run_of_pieces_has_the_key_of_its_pieces_written_together():
    """``run_key`` puts a run's key together from its pieces' keys: on every directory name cut at its
    commas and on seeded random runs of the rules' own words (taken from ``_ABBREVIATIONS``, so a new
    rule is tried too), in every province, it is the key of the run written out whole."""
    import csv
    import random
    import re

    from etl.vocab.units import _ABBREVIATIONS, UNITS_CSV, run_key

    with open(UNITS_CSV, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    provinces = sorted({r["province"] for r in rows}) + [None]
    runs = [
        (tuple(p.strip() for p in name.split(",") if p.strip()), r["province"])
        for r in rows
        for name in [r["canonical_name"], *r["aliases"].split("|")]
        if name.strip(" ,")
    ]
    words = sorted({w for pattern, _, _ in _ABBREVIATIONS for w in re.findall(r"[a-z]+", pattern)})
    words += ["VH", "TT&DL", "LĐ", "TB&XH", "CA", "VP", "TP.", "&", "-", "Sở", "tỉnh", "PY", "TQ", "x"]
    rng = random.Random(15)

    def piece() -> str:
        return rng.choice([" ", "", "&", " - "]).join(rng.choice(words) for _ in range(rng.randint(1, 3)))

    for _ in range(30_000):
        runs.append((tuple(piece() for _ in range(rng.randint(2, 4))), rng.choice(provinces)))
    for pieces, province in runs:
        pieces = tuple(p.strip() for p in pieces if p.strip())
        if pieces:
            assert run_key(pieces, province) == unit_key(", ".join(pieces), province), (pieces, province)


def test_the_fuzzy_look_up_is_skipped_only_where_no_name_can_reach_its_score():
    """``_may_reach`` says no only when a key is too long for any directory name to score 92: every pair
    of seeded keys that does score 92 or more passes it."""
    import random

    from rapidfuzz import fuzz

    from etl.vocab.units import _may_reach

    words = [
        "so",
        "ban",
        "cong",
        "an",
        "tinh",
        "bao",
        "dai",
        "van",
        "hoa",
        "the",
        "thao",
        "du",
        "lich",
        "phu",
        "yen",
        "ngoai",
        "vu",
        "thong",
        "tin",
        "truyen",
    ]
    rng = random.Random(14)
    reached = 0
    for _ in range(20_000):
        name = " ".join(rng.choices(words, k=rng.randint(1, 8)))
        written = " ".join(
            rng.sample(name.split(), len(name.split())) + rng.choices(words, k=rng.randint(0, 1))
        )
        if fuzz.token_sort_ratio(written, name) >= 92:
            reached += 1
            assert _may_reach(len(written), len(name), 92), (written, name)
    assert reached > 1000
    assert not _may_reach(60, 30, 92)


_PAIRS = [
    ("Sở Thông tin và Truyền thông", "Sở Ngoại vụ"),
    ("Sở Ngoại vụ", "Công an tỉnh"),
    ("Sở Văn hóa, Thể thao và Du lịch", "Báo Thái Bình"),
]


@pytest.mark.parametrize(("first", "second"), _PAIRS)
@pytest.mark.parametrize("joint", ["/", " / ", " + ", "+", "; ", "\n", " và "])
def test_two_units_joined_by_a_slash_or_a_plus_are_two(first: str, second: str, joint: str) -> None:
    directory = UnitDirectory.from_csv()
    names, unknown = directory.resolve_cell(f"{first}{joint}{second}", "Thái Bình")
    assert (names, unknown) == ([first, second], [])


@pytest.mark.parametrize("role", ["(chủ trì)", "(Chủ trì)", " (phối hợp)", "(đầu mối)"])
def test_a_role_written_after_a_unit_is_not_part_of_its_name(role: str) -> None:
    directory = UnitDirectory.from_csv()
    assert directory.resolve_cell(f"Sở Ngoại vụ {role}", "Thái Bình") == (["Sở Ngoại vụ"], [])


def test_a_slash_inside_a_name_keeps_it_one_name() -> None:
    directory = UnitDirectory.from_csv()
    names, _ = directory.resolve_cell("UBND các huyện/thành phố", "Thái Bình")
    assert len(names) == 1
