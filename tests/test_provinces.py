"""Provinces before and after the 2025 reorganisation."""

from __future__ import annotations

import csv
import unicodedata

import pytest

from etl.vocab.places import DISTRICTS_CSV, District, districts_named, find_districts, signing_place_districts
from etl.vocab.provinces import (
    Province,
    all_current_provinces,
    find_province,
    is_city,
    legacy_names_of,
    resolve_province,
)

THAI_BINH = Province("Thái Bình", "Hưng Yên")
TUYEN_QUANG = Province("Tuyên Quang", "Tuyên Quang")
THUA_THIEN_HUE = Province("Thừa Thiên Huế", "Huế")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("THÁI BÌNH", THAI_BINH),
        ("Thái Bình", THAI_BINH),
        ("Thai Binh", THAI_BINH),
        ("tỉnh Thái Bình", THAI_BINH),
        ("Tỉnh Thái Bình", THAI_BINH),
        (unicodedata.normalize("NFD", "Thái Bình"), THAI_BINH),
        ("TP. Hồ Chí Minh", Province("Hồ Chí Minh", "Hồ Chí Minh")),
        ("Thành phố Hồ Chí Minh", Province("Hồ Chí Minh", "Hồ Chí Minh")),
        ("TPHCM", Province("Hồ Chí Minh", "Hồ Chí Minh")),
        ("Thành phố Huế", Province("Huế", "Huế")),
        ("Huế", Province("Huế", "Huế")),
        ("Thừa Thiên Huế", THUA_THIEN_HUE),
        ("Thừa Thiên - Huế", THUA_THIEN_HUE),
        ("THỪA THIÊN HUẾ", THUA_THIEN_HUE),
        ("Hà Giang", Province("Hà Giang", "Tuyên Quang")),
        ("Phú Yên", Province("Phú Yên", "Đắk Lắk")),
        ("Long An", Province("Long An", "Tây Ninh")),
        ("Tây Ninh", Province("Tây Ninh", "Tây Ninh")),
        ("Bà Rịa – Vũng Tàu", Province("Bà Rịa - Vũng Tàu", "Hồ Chí Minh")),
        ("Hoà Bình", Province("Hòa Bình", "Phú Thọ")),
        ("Đăk Lăk", Province("Đắk Lắk", "Đắk Lắk")),
        ("Quảng Bình", Province("Quảng Bình", "Quảng Trị")),
        ("Ninh Bình", Province("Ninh Bình", "Ninh Bình")),
    ],
)
def test_resolve_province(text: str, expected: Province) -> None:
    assert resolve_province(text) == expected


@pytest.mark.parametrize("text", ["", "Thái", "Bình", "Sở Ngoại vụ", "Hà Nam Ninh", "Việt Nam"])
def test_resolve_province_none(text: str) -> None:
    assert resolve_province(text) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("UBND TỈNH THÁI BÌNH", THAI_BINH),
        ("ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG", TUYEN_QUANG),
        ("KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI TỈNH THÁI BÌNH NĂM 2022", THAI_BINH),
        ("BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI TỈNH THÁI BÌNH NĂM 2022", THAI_BINH),
        ("Tuyên Quang, ngày 09 tháng 10 năm 2022", TUYEN_QUANG),
        ("TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI TỈNH TUYÊN QUANG - QUÝ II NĂM 2022", TUYEN_QUANG),
        ("Căn cứ Kế hoạch số 12/KH-UBND của UBND tỉnh Thừa Thiên Huế", THUA_THIEN_HUE),
        ("Quảng bá hình ảnh Thừa Thiên Huế", THUA_THIEN_HUE),
        ("Cổng thông tin điện tử thành phố Huế", Province("Huế", "Huế")),
        ("Báo cáo của tỉnh Ninh Bình", Province("Ninh Bình", "Ninh Bình")),
        ("Sở Văn hóa tỉnh Quảng Bình", Province("Quảng Bình", "Quảng Trị")),
        ("Đài Phát thanh và Truyền hình Tuyên Quang", TUYEN_QUANG),
        ("Phối hợp với Đà Nẵng; UBND tỉnh Quảng Nam chủ trì", Province("Quảng Nam", "Đà Nẵng")),
        ("UBND TỈNH HÒA BÌNH", Province("Hòa Bình", "Phú Thọ")),
        ("Hòa Bình, ngày 1 tháng 2 năm 2022", Province("Hòa Bình", "Phú Thọ")),
        ("UBND Thành phố Hồ Chí Minh", Province("Hồ Chí Minh", "Hồ Chí Minh")),
        ("Sở Ngoại vụ TP. Hồ Chí Minh", Province("Hồ Chí Minh", "Hồ Chí Minh")),
    ],
)
def test_find_province(line: str, expected: Province) -> None:
    assert find_province(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Tỉnh Hà Nam Ninh cũ",
        "góp phần xây dựng biên giới hòa bình, hữu nghị, hợp tác",
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Hiệp định Đối tác Toàn diện và Tiến bộ xuyên Thái Bình Dương",
        "Kỷ niệm chiến thắng Điện Biên Phủ",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "",
    ],
)
def test_find_province_none(line: str) -> None:
    assert find_province(line) is None


@pytest.mark.parametrize(
    ("name", "city"),
    [
        ("Thành phố Hà Nội", True),
        ("TP. Hồ Chí Minh", True),
        ("Đà Nẵng", True),
        ("Thái Bình", False),
        ("Hải Dương", False),
        ("Atlantis", False),
    ],
)
def test_is_city(name: str, city: bool) -> None:
    assert is_city(name) is city


def test_all_current_provinces() -> None:
    current = all_current_provinces()
    assert len(current) == 34
    assert len(set(current)) == 34
    assert "Huế" in current and "Hưng Yên" in current
    assert "Thái Bình" not in current and "Thừa Thiên Huế" not in current
    assert current[:3] == ["An Giang", "Bắc Ninh", "Cà Mau"]


@pytest.mark.parametrize(
    ("current", "legacy"),
    [
        ("Hưng Yên", ["Hưng Yên", "Thái Bình"]),
        ("Tuyên Quang", ["Hà Giang", "Tuyên Quang"]),
        ("Huế", ["Thừa Thiên Huế"]),
        ("Thành phố Huế", ["Thừa Thiên Huế"]),
        ("TP. Hồ Chí Minh", ["Bình Dương", "Bà Rịa - Vũng Tàu", "Hồ Chí Minh"]),
        ("Hà Nội", ["Hà Nội"]),
        ("Đắk Lắk", ["Phú Yên", "Đắk Lắk"]),
    ],
)
def test_legacy_names_of(current: str, legacy: list[str]) -> None:
    assert legacy_names_of(current) == legacy


def test_every_legacy_name_belongs_to_one_current_province() -> None:
    legacy = [name for current in all_current_provinces() for name in legacy_names_of(current)]
    assert len(legacy) == 63
    assert len(set(legacy)) == 63
    assert all(resolve_province(name).legacy_name == name for name in legacy)


@pytest.mark.parametrize("name", ["Thái Bình", "Thừa Thiên Huế", "Atlantis"])
def test_legacy_names_of_refuses_non_current_names(name: str) -> None:
    with pytest.raises(ValueError, match="không phải là tên một tỉnh, thành phố hiện hành"):
        legacy_names_of(name)


# The gazetteer of districts before July 2025 (etl.vocab.places).


@pytest.mark.parametrize(
    ("line", "provinces"),
    [
        ("UBND THỊ XÃ HƯƠNG TRÀ", [("Thừa Thiên Huế",)]),
        ("Ủy ban nhân dân thị xã Hương Trà", [("Thừa Thiên Huế",)]),
        ("THỊ ỦY HƯƠNG TRÀ", [("Thừa Thiên Huế",)]),
        (unicodedata.normalize("NFD", "UBND thị xã Hương Trà"), [("Thừa Thiên Huế",)]),
        ("UBND TX. Sông Cầu", [("Phú Yên",)]),
        ("UBND TP Tuy Hòa", [("Phú Yên",)]),
        ("UBND huyện Đông Hoà", [("Phú Yên",)]),  # thị xã since 2020, old tone placement
        ("Phòng Văn hóa và Thông tin huyện Tuy An", [("Phú Yên",)]),
        ("UBND HUYỆN QUẢNG NINH", [("Quảng Bình",)]),  # not the province Quảng Ninh
        ("UBND huyện Hòa Bình", [("Bạc Liêu",)]),
        ("UBND huyện Nam Đông", [("Thừa Thiên Huế",)]),  # merged into Phú Lộc in 2025
        ("UBND huyện Hoành Bồ", [("Quảng Ninh",)]),  # merged into Hạ Long in 2020
        ("UBND Quận 1", [("Hồ Chí Minh",)]),
        ("UBND huyện Tuy An và UBND thị xã Sông Cầu", [("Phú Yên",), ("Phú Yên",)]),
        ("Ủy ban nhân dân thành phố Hà Nội", []),  # a province-level city
        ("UBND thành phố Thái Bình", []),  # the province's own name: read by find_province
        ("Sở Ngoại vụ tỉnh Phú Yên", []),
        ("quản lý nhân sự", []),  # "quan ly nhan" is no quận Lý Nhân
        ("", []),
    ],
)
def test_find_districts(line: str, provinces: list[tuple[str, ...]]) -> None:
    assert [m.provinces for m in find_districts(line)] == provinces


def test_a_shared_district_name_gives_every_province() -> None:
    (mention,) = find_districts("UBND huyện Châu Thành")
    assert len(mention.provinces) == 10
    assert {"An Giang", "Bến Tre", "Tiền Giang", "Trà Vinh"} <= set(mention.provinces)


def test_districts_named() -> None:
    assert districts_named("Hương Trà") == (District("thị xã", "Hương Trà", "Thừa Thiên Huế"),)
    assert [d.kind for d in districts_named("Kỳ Anh", "thị xã")] == ["thị xã"]
    assert [d.province for d in districts_named("Phong Điền", "huyện")] == ["Cần Thơ", "Thừa Thiên Huế"]
    assert [d.kind for d in districts_named("Đông Hòa", "huyện")] == ["thị xã"]  # since 2020
    assert districts_named("Ba Đình", "quận")[0].province == "Hà Nội"
    assert districts_named("Tuy An", "quận") == ()
    assert districts_named("Atlantis") == ()


@pytest.mark.parametrize(
    ("place", "provinces"),
    [("Hương Trà", ["Thừa Thiên Huế"]), ("TX. Sông Cầu", ["Phú Yên"]), ("Thái Bình", []), ("……", [])],
)
def test_signing_place_districts(place: str, provinces: list[str]) -> None:
    assert [d.province for d in signing_place_districts(place)] == provinces


def test_every_district_belongs_to_a_pre_2025_province() -> None:
    legacy = {name for current in all_current_provinces() for name in legacy_names_of(current)}
    with DISTRICTS_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 700
    assert {r["province"] for r in rows} == legacy
    assert {r["kind"] for r in rows} == {"huyện", "quận", "thị xã", "thành phố"}
