"""Provinces before and after the 2025 reorganisation (63 → 34), from ``data/reference/provinces.csv``.

Names are matched on ``key`` text (any case, diacritics, Unicode form, punctuation), never on codes:
new codes reuse old ones (new 80 Tây Ninh = old 80 Long An). A ``Province`` keeps the name as written
in the file (``legacy_name``) beside the current province (``name``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from etl.settings import ROOT
from etl.vocab.text import fold, key

PROVINCES_CSV = ROOT / "data" / "reference" / "provinces.csv"

# Other spellings of a name (keyed form → the name as in the CSV).
ALIASES: dict[str, str] = {
    "tp hcm": "Hồ Chí Minh",
    "tphcm": "Hồ Chí Minh",
    "hcm": "Hồ Chí Minh",
    "sai gon": "Hồ Chí Minh",
    "bac can": "Bắc Kạn",
    "dac lac": "Đắk Lắk",
    "dak nong": "Đắk Nông",
    "dac nong": "Đắk Nông",
    "kontum": "Kon Tum",
    "ba ria vung tau": "Bà Rịa - Vũng Tàu",
    "brvt": "Bà Rịa - Vũng Tàu",
    "hue": "Huế",
}
# Words that also mean something else: "hòa bình" (peace), "tư tưởng Hồ Chí Minh". Inside a longer line
# they name a province only after "tỉnh" / "thành phố" / "TP" or as the place of a signing date.
AMBIGUOUS = {"hoa binh", "ho chi minh"}
# Historic or foreign names that contain a province's name but are not that province.
NOT_PROVINCES = (
    "ha nam ninh", "nghe tinh", "binh tri thien", "hai hung", "ha son binh", "ha bac", "vinh phu",
    "hoang lien son", "phu khanh", "nghia binh", "thuan hai", "song be", "ha tuyen", "bac thai", "minh hai",
    "thai binh duong", "dien bien phu", "quang nam da nang",
)  # fmt: skip
_PREFIX = re.compile(r"^(?:uy ban nhan dan |ubnd )?(?:tinh |thanh pho |tp |t p )")
_BEFORE = re.compile(r"(?:\btinh|\bthanh pho|\btp|\bt p)\s$")
_SIGNING = re.compile(r"^\s*([^,;:()]{2,40}),\s*ngay\b")


@dataclass(frozen=True)
class Province:
    """A province as named in a file (``legacy_name``) and the current (post-2025) province (``name``)."""

    legacy_name: str
    name: str


@lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, str], ...]:
    with PROVINCES_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return tuple(csv.DictReader(handle))


@lru_cache(maxsize=1)
def _index() -> dict[str, Province]:
    """Keyed name → Province, for old names, current names and aliases."""
    index: dict[str, Province] = {}
    for row in _rows():
        index[key(row["legacy_name"])] = Province(row["legacy_name"], row["name"])
    for row in _rows():
        index.setdefault(key(row["name"]), Province(row["name"], row["name"]))
    for alias, name in ALIASES.items():
        index.setdefault(alias, index[key(name)])
    return index


def resolve_province(text: str) -> Province | None:
    """The province a cell names (old or new name, any case or diacritics); None if it names none.

    >>> resolve_province("THÁI BÌNH")
    Province(legacy_name='Thái Bình', name='Hưng Yên')
    >>> resolve_province("Thành phố Huế")
    Province(legacy_name='Huế', name='Huế')
    """
    keyed = key(text or "")
    return _index().get(keyed) or _index().get(_PREFIX.sub("", keyed))


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    names = sorted({*_index(), *NOT_PROVINCES}, key=len, reverse=True)
    return tuple((name, re.compile(rf"\b{re.escape(name)}\b")) for name in names)


def _matches(keyed: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, name) hits, longer names first ("thua thien hue" before "hue")."""
    taken: list[tuple[int, int, str]] = []
    for name, pattern in _patterns():
        for m in pattern.finditer(keyed):
            if all(m.end() <= s or m.start() >= e for s, e, _ in taken):
                taken.append((m.start(), m.end(), name))
    return sorted(taken)


def _signing_place(text: str) -> str | None:
    """The place of a signing-date line ("Hòa Bình, ngày 09 tháng 10 năm 2022" → "hoa binh")."""
    match = _SIGNING.match(fold(text))
    return key(match.group(1)) if match else None


def find_province(text: str) -> Province | None:
    """The province named inside a longer line ("UBND TỈNH THÁI BÌNH", "Tuyên Quang, ngày 09 tháng 10...").

    Whole-word matching on keyed text; the longest name wins where names overlap ("Thừa Thiên Huế"
    over "Huế", "Hà Nam Ninh" is no province); then a name preceded by "tỉnh" / "thành phố" wins over
    a bare one, then the first in the line.

    >>> find_province("KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI TỈNH THÁI BÌNH NĂM 2022").name
    'Hưng Yên'
    """
    whole = resolve_province(text or "")
    if whole is not None:
        return whole
    keyed = key(text or "")
    place = _signing_place(text or "")
    found: list[tuple[bool, int, Province]] = []
    for start, _end, name in _matches(keyed):
        if name in NOT_PROVINCES:
            continue
        prefixed = bool(_BEFORE.search(keyed[:start]))
        if name in AMBIGUOUS and not (prefixed or name == place):
            continue
        found.append((not prefixed, start, _index()[name]))
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else None


def is_city(text: str) -> bool:
    """Whether a name is a centrally-run city (thành phố trực thuộc trung ương), not a district's city.

    >>> is_city("Thành phố Hà Nội"), is_city("thành phố Thái Bình"), is_city("Hải Dương")
    (True, False, False)
    """
    province = resolve_province(text)
    if province is None or province.legacy_name != province.name:
        return False
    return any(r["legacy_name"] == province.name and r["kind"] == "thành phố" for r in _rows())


def all_current_provinces() -> list[str]:
    """The 34 current provinces and cities, in alphabetical order (ignoring diacritics)."""
    return sorted({row["name"] for row in _rows()}, key=lambda name: (key(name), name))


def legacy_names_of(current: str) -> list[str]:
    """The pre-2025 provinces merged into a current one, in the order of the reference file.

    >>> legacy_names_of("Hưng Yên")
    ['Hưng Yên', 'Thái Bình']
    """
    province = resolve_province(current)
    if province is None or province.legacy_name != province.name:
        raise ValueError(
            f"'{current}' không phải là tên một tỉnh, thành phố hiện hành (sau sắp xếp năm 2025)."
        )
    return [row["legacy_name"] for row in _rows() if row["name"] == province.name]
