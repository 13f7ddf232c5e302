"""A gazetteer of the district-level units before July 2025 (huyện, quận, thị xã, thành phố thuộc tỉnh)
and the province each belonged to, from ``data/reference/districts.csv``.

A district office never writes its province ("UBND THỊ XÃ HƯƠNG TRÀ / PHÒNG VĂN HÓA VÀ THÔNG TIN"); a
person knows Hương Trà is in Thừa Thiên Huế, and so does ``find_districts``. Names are matched on
``key`` text (any case, diacritics, Unicode form, old or new tone placement), after a type word
("huyện", "thị xã", "TX", "thành phố", "TP", "quận", or a party committee: "Thị ủy", "Huyện ủy"…), so
that "quản lý nhân sự" is not huyện Lý Nhân. A name shared by several provinces (huyện Châu Thành)
gives every candidate; the caller decides with the rest of the page or asks. The file is read once,
on first use.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from etl.settings import ROOT
from etl.vocab.provinces import resolve_province
from etl.vocab.text import key

DISTRICTS_CSV = ROOT / "data" / "reference" / "districts.csv"

# Written type word (keyed) → the kind of unit it names.
_TYPE_WORDS = {
    "huyen uy": "huyện",
    "quan uy": "quận",
    "thi uy": "thị xã",
    "thanh uy": "thành phố",
    "thi xa": "thị xã",
    "thanh pho": "thành phố",
    "huyen": "huyện",
    "quan": "quận",
    "tx": "thị xã",
    "tp": "thành phố",
    "t p": "thành phố",
}
_TYPE = re.compile(r"\b(" + "|".join(sorted(_TYPE_WORDS, key=len, reverse=True)) + r")\s+")
_LONGEST_NAME = 5  # words


@dataclass(frozen=True)
class District:
    """A district-level unit: ``kind`` huyện | quận | thị xã | thành phố; ``province`` as named before 2025."""

    kind: str
    name: str
    province: str

    @property
    def full_name(self) -> str:
        """ "thị xã Hương Trà", as written inside a unit's name."""
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class DistrictMention:
    """A district named in a line: where (on ``key`` text), the kind written, and every unit it may be."""

    start: int
    end: int
    kind: str
    candidates: tuple[District, ...]

    @property
    def provinces(self) -> tuple[str, ...]:
        """The provinces the mention may belong to, without repeats, in the gazetteer's order."""
        return tuple(dict.fromkeys(d.province for d in self.candidates))


@lru_cache(maxsize=1)
def _by_name() -> dict[str, tuple[District, ...]]:
    index: dict[str, list[District]] = {}
    with DISTRICTS_CSV.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            district = District(row["kind"], row["name"], row["province"])
            index.setdefault(key(district.name), []).append(district)
    return {name: tuple(found) for name, found in index.items()}


def districts_named(name: str, kind: str | None = None) -> tuple[District, ...]:
    """Every district called ``name`` ("Hương Trà", "huyện Châu Thành"), of ``kind`` when one is.

    When none is of that kind, every unit of that name is (huyện Đông Hòa became thị xã Đông Hòa in
    2020), except for quận, which only names quận.

    >>> districts_named("Hương Trà")
    (District(kind='thị xã', name='Hương Trà', province='Thừa Thiên Huế'),)
    """
    keyed = key(name or "")
    if kind is None and (m := _TYPE.match(keyed + " ")):
        kind, keyed = _TYPE_WORDS[m.group(1)], keyed[m.end() :].strip()
    found = _by_name().get(keyed, ())
    same = tuple(d for d in found if d.kind == kind)
    return same if same or kind == "quận" else found


def find_districts(text: str) -> list[DistrictMention]:
    """Districts named after a type word inside a line, in order ("UBND THỊ XÃ HƯƠNG TRÀ", "Thị ủy Hương Trà").

    "thành phố X" where X is a province's name ("Thành phố Hà Nội", "TP. Thái Bình") is left to
    ``find_province``: the province is the same, and province-level cities are not districts.

    >>> [m.provinces for m in find_districts("UBND TX. Sông Cầu")]
    [('Phú Yên',)]
    """
    keyed = key(text or "")
    found: list[DistrictMention] = []
    for m in _TYPE.finditer(keyed):
        if found and m.start() < found[-1].end:
            continue
        kind = _TYPE_WORDS[m.group(1)]
        words = keyed[m.end() :].split()
        for n in range(min(_LONGEST_NAME, len(words)), 0, -1):
            name = " ".join(words[:n])
            if kind == "thành phố" and resolve_province(name) is not None:
                break
            if candidates := districts_named(name, kind):
                end = m.end() + len(name)
                found.append(DistrictMention(m.start(), end, kind, candidates))
                break
    return found


def signing_place_districts(place: str) -> tuple[District, ...]:
    """The districts a signing place may be ("Hương Trà, ngày 05 tháng 10 năm 2022" → "Hương Trà").

    A place that is also a province's name ("Thái Bình, ngày …") is the province, not the district.
    """
    if resolve_province(place) is not None or not re.search(r"[a-z]{2}", key(place)):
        return ()
    return districts_named(place)
