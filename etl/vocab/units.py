"""The unit directory: canonical names, aliases, abbreviations, fuzzy matching.

A cell may list several units, separated by ";", "," or " và ", while names themselves
contain commas ("Sở Văn hóa, Thể thao và Du lịch", "Các sở, ban, ngành"). ``split_units``
cuts a cell into names; ``UnitDirectory.match`` maps each name to its canonical form.
Unknown names are kept as written (policy: keep and warn, never drop).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from etl.settings import ROOT
from etl.vocab.text import fold, key, nfc

UNITS_CSV = ROOT / "data" / "reference" / "units.csv"

# Standard abbreviations, on folded text (before punctuation is dropped), each with the word its match
# starts with ("ubnd "), or that word's first two letters ("vh": "vh,tt&dl", "vhttdl"): a pattern whose
# word the text does not hold is not tried on it.
_ABBREVIATIONS: tuple[tuple[str, str, str | tuple[str, ...]], ...] = (
    (r"\bvh\s*,?\s*tt\s*(?:&|va|,)\s*dl\b|\bvhttdl\b|\bvh-tt-dl\b", "van hoa the thao va du lich", "vh"),
    (r"\bvhtt\b", "van hoa va the thao", "vhtt "),
    (r"\bstttt\b", "so thong tin va truyen thong", "stttt "),
    (r"\btt\s*(?:&|va)\s*tt\b|\btttt\b", "thong tin va truyen thong", "tt"),
    (r"\bkh\s*(?:&|va)\s*dt\b|\bkhdt\b", "ke hoach va dau tu", "kh"),
    (r"\bgd\s*(?:&|va)\s*dt\b|\bgddt\b", "giao duc va dao tao", "gd"),
    (r"\btn\s*(?:&|va)\s*mt\b|\btnmt\b", "tai nguyen va moi truong", "tn"),
    (r"\bnn\s*(?:&|va)\s*ptnt\b|\bnnptnt\b", "nong nghiep va phat trien nong thon", "nn"),
    (r"\bkh\s*(?:&|va)\s*cn\b|\bkhcn\b", "khoa hoc va cong nghe", "kh"),
    (r"\bld\s*,?\s*tb\s*(?:&|va)\s*xh\b|\bldtbxh\b", "lao dong thuong binh va xa hoi", "ld"),
    (r"\bgtvt\b", "giao thong van tai", "gtvt "),
    (r"\bsngv\b", "so ngoai vu", "sngv "),
    (r"\bngv\b", "ngoai vu", "ngv "),
    (r"\bubmttq\b", "uy ban mat tran to quoc", "ubmttq "),
    (r"\bubnd\b", "uy ban nhan dan", "ubnd "),
    (r"\bhdnd\b", "hoi dong nhan dan", "hdnd "),
    (r"\bbchqs\b", "bo chi huy quan su", "bchqs "),
    (r"\bbch\b", "bo chi huy", "bch "),
    (r"\bbdbp\b", "bo doi bien phong", "bdbp "),
    (r"\bbtg\b", "ban tuyen giao", "btg "),
    (r"\bban tg\b", "ban tuyen giao", "ban "),
    (r"^ca\b", "cong an", "ca "),
    (r"\bpt\s*-?\s*th\b|\bptth\b", "phat thanh va truyen hinh", "pt"),
    (r"\bttdt\b", "thong tin dien tu", "ttdt "),
    (r"\bttdn\b", "thong tin doi ngoai", "ttdn "),
    (r"^vp\b", "van phong", "vp "),
    (r"\btp\.?\b", "thanh pho", "tp "),
    (r"\btx\.?\b", "thi xa", "tx "),
    # Connecting words that do not change which unit is meant.
    (r"\b(?:cua|tren dia ban|thuoc|trong)\s+(?=tinh\b)", "", ("cua ", "tren ", "thuoc ", "trong ")),
    (r"\bco lien quan\b", "lien quan", "co "),
)
_COMPILED = tuple(
    (re.compile(p), r, (starts,) if isinstance(starts, str) else starts) for p, r, starts in _ABBREVIATIONS
)
_WORD = re.compile(r"\w+")

# Words that open a unit name: a comma piece starting with one of these begins a new unit.
_STARTS = (
    "so ",
    "ban ",
    "bao ",
    "dai ",
    "cong an",
    "uy ban",
    "ubnd",
    "cong thong tin",
    "cong ttdt",
    "van phong",
    "vp ",
    "cac ",
    "bo ",
    "bch",
    "bdbp",
    "phong ",
    "trung tam",
    "hoi ",
    "lien ",
    "tinh doan",
    "doan ",
    "mat tran",
    "ubmttq",
    "ca ",
    "btg",
    "truong ",
    "vien ",
    "cuc ",
    "chi cuc",
    "sngv",
    "stttt",
    "thanh tra",
    "kho bac",
    "ngan hang",
    "tap chi",
    "dang uy",
    "tinh uy",
    "huyen uy",
    "thanh uy",
    "thi uy",
    "hoi dong",
    "quan ",
    "benh vien",
    "cong ty",
    "doanh nghiep",
    "tong cong ty",
    "vksnd",
    "tand",
    "toa an",
    "vien kiem sat",
    "nha ",
    "thu vien",
    "bao tang",
    "dai hoc",
)
# " và " joins two units when a unit opens after it, except in "Văn phòng HĐND và UBND …" (one office).
_AND = re.compile(r"\s+(?:và|va)\s+|\s*[/+]\s*")  # and "/", "+" ("Sở TT&TT/Sở Ngoại vụ")
# a role written after a unit in its cell: "Sở Ngoại vụ (chủ trì)"
_ROLE_NOTE = re.compile(r"\s*\((?:chủ trì|phối hợp|đầu mối|chính|thực hiện)\)", re.IGNORECASE)
_ONE_OFFICE = ("hdnd", "hoi dong nhan dan")


@lru_cache(maxsize=16384)
def unit_key(text: str, province: str | None = None) -> str:
    """Matching key: folded, abbreviations expanded, punctuation dropped.

    >>> unit_key("Sở VH,TT&DL")
    'so van hoa the thao va du lich'
    """
    folded = expand_abbreviations(fold(text))
    if province:
        initials = "".join(w[0] for w in key(province).split())
        folded = re.sub(rf"\b{initials}$", key(province), folded)
    return key(folded)


def run_key(pieces: tuple[str, ...], province: str | None = None) -> str:
    """``unit_key`` of comma pieces written together (``", ".join(pieces)``), put together from the keys
    of the pieces (remembered: a cell's pieces recur in its runs and in other cells) when no rule of
    ``_ABBREVIATIONS`` can read across their commas, else computed whole.

    Every rule reads inside one piece except those opening with a word a piece may end with
    ("VH, TT&DL", "LĐ, TB&XH": ``_ACROSS``) and those anchored at the text's start ("CA tỉnh",
    "VP …": a piece after the first one starting so is not at the start of the run).

    >>> run_key(("Sở VH", "TT&DL tỉnh")) == unit_key("Sở VH, TT&DL tỉnh")
    True
    >>> run_key(("Sở Ngoại vụ", "CA tỉnh PY"), "Phú Yên")
    'so ngoai vu ca tinh phu yen'
    """
    if len(pieces) == 1:
        return unit_key(pieces[0], province)
    if any(_reads_on(p) for p in pieces[:-1]) or any(_anchored(p) for p in pieces[1:]):
        return unit_key(", ".join(pieces), province)
    keys = [unit_key(p) for p in pieces[:-1]] + [unit_key(pieces[-1], province)]
    return " ".join(k for k in keys if k)


_ACROSS = frozenset({"vh", "tt", "vhtt", "ld"})  # words a rule reading across a comma may end a piece with
_ANCHORED = re.compile(r"(?:ca|vp)\b")  # the rules anchored at the start (``^ca``, ``^vp``)


@lru_cache(maxsize=16384)
def _reads_on(piece: str) -> bool:
    """Whether a rule may read from this piece across the comma after it ("… VH, TT&DL")."""
    words = _WORD.findall(fold(piece))  # as the rules see words: "cn&ld" ends with the word "ld"
    return bool(words) and words[-1] in _ACROSS


@lru_cache(maxsize=16384)
def _anchored(piece: str) -> bool:
    """Whether a rule anchored at the start of a text applies to this piece alone ("CA tỉnh")."""
    return _ANCHORED.match(fold(piece)) is not None


def expand_abbreviations(folded: str) -> str:
    """Each standard abbreviation of folded text written out, in ``_ABBREVIATIONS`` order; a pattern is
    tried only when a word of the text starts as its match would (its result is the same).

    >>> expand_abbreviations("so vh, tt & dl tinh")
    'so van hoa the thao va du lich tinh'
    """
    heads: set[str] | None = None
    for pattern, replacement, starts in _COMPILED:
        if heads is None:  # the words of the text as it now is ("ubnd "), and their first two letters
            words = _WORD.findall(folded)
            heads = {w[:2] for w in words} | {f"{w} " for w in words}
        if not heads.isdisjoint(starts):
            expanded = pattern.sub(replacement, folded)
            heads = None if expanded != folded else heads
            folded = expanded
    return folded


def split_units(cell: str) -> list[str]:
    """Cut a cell listing units into names.

    >>> split_units("Các sở, ban, ngành; Sở Văn hóa, Thể thao và Du lịch, Công an tỉnh")
    ['Các sở, ban, ngành', 'Sở Văn hóa, Thể thao và Du lịch', 'Công an tỉnh']
    """
    names: list[str] = []
    for part in re.split(r"[;\n]+", nfc(cell)):
        for chunk in _split_and(part.strip(" .-+•")):
            names.extend(_join_comma_pieces(chunk))
    return [n for n in (nfc(n).strip(" .,-") for n in names) if n]


def _split_and(text: str) -> list[str]:
    """Cut at each " và " followed by the opening of a unit name ("Báo X và Đài Y").

    >>> _split_and("Sở Văn hóa, Thể thao và Du lịch và Cổng Thông tin điện tử tỉnh")
    ['Sở Văn hóa, Thể thao và Du lịch', 'Cổng Thông tin điện tử tỉnh']
    """
    chunks, start = [], 0
    for m in _AND.finditer(text):
        before = fold(text[start : m.start()])
        if _starts_unit(text[m.end() :]) and not before.endswith(_ONE_OFFICE):
            chunks.append(text[start : m.start()])
            start = m.end()
    return [*chunks, text[start:]]


def _starts_unit(piece: str) -> bool:
    folded = fold(piece) + " "
    if not folded.startswith(_STARTS):
        return False
    first = piece[:1]
    return first.isupper() or folded.startswith("cac ")


def _join_comma_pieces(chunk: str) -> list[str]:
    pieces = [p.strip() for p in chunk.split(",") if p.strip()]
    out: list[str] = []
    for piece in pieces:
        if out and not _starts_unit(piece):
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


def capitalise(name: str) -> str:
    return name[:1].upper() + name[1:] if name else name


@dataclass(frozen=True)
class Unit:
    canonical_name: str
    province: str  # province as the unit's documents name it (legacy)
    kind: str = ""
    aliases: tuple[str, ...] = ()


@dataclass
class UnitDirectory:
    """Units with their aliases, indexed for exact and fuzzy lookup."""

    units: list[Unit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._exact: dict[tuple[str, str], str] = {}
        self._any: dict[str, str] = {}
        self._choices: dict[str, dict[str, str]] = {}
        self._resolved: dict[tuple[str, str | None], tuple[list[str], list[str]]] = {}
        self._matched: dict[tuple[str, str | None], str | None] = {}  # match() per name, as _resolved
        # _segments() per ';'-part: a cell's parts recur in other cells more than the whole cell does
        self._parts: dict[tuple[str, str | None], tuple[tuple[str, str | None], ...]] = {}
        for unit in self.units:
            for name in (unit.canonical_name, *unit.aliases):
                k = unit_key(name, unit.province)
                self._exact.setdefault((unit.province, k), unit.canonical_name)
                self._any.setdefault(k, unit.canonical_name)
                self._choices.setdefault(unit.province, {})[k] = unit.canonical_name
        # the fuzzy candidates of a key: the province's keys opening with the same word, and the longest
        self._by_first: dict[tuple[str, str], list[str]] = {}
        for province, keys in self._choices.items():
            for k in keys:
                if k:
                    self._by_first.setdefault((province, k.split(" ", 1)[0]), []).append(k)
        self._longest = {group: max(map(len, keys)) for group, keys in self._by_first.items()}

    @classmethod
    def from_csv(cls, path: Path = UNITS_CSV) -> UnitDirectory:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        return cls(
            [
                Unit(
                    nfc(r["canonical_name"]),
                    nfc(r["province"]),
                    r.get("kind") or "",
                    tuple(nfc(a) for a in (r.get("aliases") or "").split("|") if a.strip()),
                )
                for r in rows
            ]
        )

    def match(self, name: str, province: str | None = None) -> str | None:
        """Canonical name for a written unit name, or None when unknown.

        Exact key first (in the province, then any province), then the name without the province
        it ends with ("Văn phòng UBND tỉnh Phú Yên" is the province's "Văn phòng Ủy ban nhân dân
        tỉnh"), then a fuzzy match among the province's units whose key opens with the same word
        (token-sort ratio ≥ 92: "Sở Thông tin Truyền thông" is "Sở Thông tin và Truyền thông").
        """
        return self._match_run((name,), province)

    def _match_run(self, pieces: tuple[str, ...], province: str | None) -> str | None:
        """``match`` of the comma pieces written together ("A, B"), its key put together from theirs."""
        name = ", ".join(pieces)
        if (name, province) in self._matched:
            return self._matched[(name, province)]
        found = self._match(run_key(pieces, province), province)
        if len(self._matched) < 50_000:
            self._matched[(name, province)] = found
        return found

    def _match(self, k: str, province: str | None) -> str | None:
        """The canonical name a unit key ``k`` (``unit_key``) stands for, or None."""
        if not k:
            return None
        if province and (province, k) in self._exact:
            return self._exact[(province, k)]
        if k in self._any:
            return self._any[k]
        for short in _without_province(k, province) if province else ():
            if (province, short) in self._exact:
                return self._exact[(province, short)]
            if short in self._any:
                return self._any[short]
        group = (province or "", k.split(" ", 1)[0])
        candidates = self._by_first.get(group)
        if candidates and _may_reach(len(k), self._longest[group], 92):
            hit = process.extractOne(k, candidates, scorer=fuzz.token_sort_ratio, score_cutoff=92)
            if hit:
                return self._choices[group[0]][hit[0]]
        return None

    def provinces_of(self, name: str) -> list[str]:
        """The provinces whose directory holds a unit of that name (any spelling the directory knows)."""
        k = unit_key(name)
        return [p for p in self._choices if k in self._choices[p]]

    def resolve_cell(self, cell: str, province: str | None) -> tuple[list[str], list[str]]:
        """(canonical or kept names, unknown names) for a cell listing units.

        Each ';'-separated part is first looked up whole ("Văn phòng HĐND và UBND thị xã" is one
        unit), and only cut at commas and 'và' when the whole part is not a known unit.
        """
        cached = self._resolved.get((cell, province))
        if cached is None:
            cached = self._resolve(cell, province)
            if len(self._resolved) < 50_000:
                self._resolved[(cell, province)] = cached
        return list(cached[0]), list(cached[1])

    def _resolve(self, cell: str, province: str | None) -> tuple[list[str], list[str]]:
        names: list[str] = []
        unknown: list[str] = []
        cell = nfc(cell)
        for part in re.split(r"[;\n]+", _ROLE_NOTE.sub("", cell) if "(" in cell else cell):
            for raw, canonical in self._part(part.strip(" .,-+•"), province):
                if canonical is None:
                    canonical = capitalise(raw)
                    unknown.append(raw)
                if canonical not in names:
                    names.append(canonical)
        return names, unknown

    def _part(self, part: str, province: str | None) -> tuple[tuple[str, str | None], ...]:
        """``_segments`` of a part, remembered (at most 50.000 parts, as ``_resolved``)."""
        found = self._parts.get((part, province))
        if found is None:
            found = tuple(self._segments(part, province))
            if len(self._parts) < 50_000:
                self._parts[(part, province)] = found
        return found

    def _segments(self, part: str, province: str | None) -> list[tuple[str, str | None]]:
        """Greedy longest runs of comma pieces that are known units; the rest cut by ``split_units``."""
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        out: list[tuple[str, str | None]] = []
        leftover: list[str] = []
        i = 0
        while i < len(pieces):
            hit = next(
                (
                    (j, m)
                    for j in range(len(pieces), i, -1)
                    if (m := self._match_run(tuple(pieces[i:j]), province))
                ),
                None,
            )
            if hit is None:
                leftover.append(pieces[i])
                i += 1
                continue
            out.extend(self._loose(leftover, province))
            leftover = []
            out.append((", ".join(pieces[i : hit[0]]), hit[1]))
            i = hit[0]
        return out + self._loose(leftover, province)

    def _loose(self, pieces: list[str], province: str | None) -> list[tuple[str, str | None]]:
        return [(raw, self.match(raw, province)) for raw in split_units(", ".join(pieces))] if pieces else []


def _may_reach(length: int, longest: int, cutoff: float) -> bool:
    """Whether a key of ``length`` characters may score ``cutoff`` (token-sort ratio) against a choice
    of at most ``longest``: the ratio is at most 100 · (1 − |l₁ − l₂| / (l₁ + l₂)); with some margin."""
    return length <= longest or 100 * (1 - (length - longest) / (length + longest)) >= cutoff - 0.5


def _without_province(keyed: str, province: str) -> tuple[str, ...]:
    """A unit key without the province it ends with: "cong an tinh phu yen" → ("cong an tinh", "cong an")."""
    place = key(province)
    for scope in ("tinh", "thanh pho", ""):
        ending = f" {scope} {place}".replace("  ", " ")
        if keyed.endswith(ending) and len(keyed) > len(ending):
            kept = keyed[: -len(ending)]
            return (f"{kept} {scope}", kept) if scope else (kept,)
    return ()
