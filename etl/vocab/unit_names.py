"""A reporting body's full name, as a person writes it, from an official header block.

A body that only makes sense under its parent takes the parent's scope: "VĂN PHÒNG" under
"UBND TỈNH PHÚ YÊN" is "Văn phòng Ủy ban nhân dân tỉnh Phú Yên"; "PHÒNG VĂN HÓA VÀ THÔNG TIN" under
"UBND THỊ XÃ HƯƠNG TRÀ" is "Phòng Văn hóa và Thông tin thị xã Hương Trà"; "BAN TUYÊN GIÁO" under
"TỈNH ỦY THỪA THIÊN HUẾ" is "Ban Tuyên giáo Tỉnh ủy Thừa Thiên Huế". A Sở, a newspaper, a radio
station or a body that names its own place ("CÔNG AN TỈNH PHÚ YÊN") stands alone. Headers are
written in capitals; ``sentence_case`` gives the usual spelling ("Sở Văn hóa, Thể thao và Du lịch").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from etl.vocab.provinces import all_current_provinces, is_city, legacy_names_of
from etl.vocab.text import fold

# Bodies that take their parent's scope (folded openings).
_UNDER_PARENT = ("van phong", "ban ", "phong ", "trung tam", "doi ", "chi cuc", "to ", "hoi dong ")
# Openings of a parent that is a people's committee or council: the scope is what follows.
_COMMITTEE_HEADS = ("uy ban nhan dan", "ubnd", "hoi dong nhan dan", "hdnd")
_PARTY = {
    "tinh": "Tỉnh ủy",
    "thanh pho": "Thành ủy",
    "thi xa": "Thị ủy",
    "huyen": "Huyện ủy",
    "quan": "Quận ủy",
}
_SHORT_SCOPES = (("TX", "thị xã"), ("TP", "thành phố"))
_COMMITTEES = {"tinh uy", "thanh uy", "thi uy", "huyen uy", "quan uy", "dang uy"}
_SCOPES = {"tỉnh", "huyện", "quận", "xã", "phường", "thị xã", "thành phố", "thị trấn"}
_SCOPE_WORDS = re.compile(
    r"\b(?:tinh|huyen|quan|thi xa|thanh pho|tp|tx|xa|phuong)\b|\b(?:tinh|thi|huyen|thanh) uy\b"
)
# Openings with their usual spelling (longest first); the word after an opening starts a field.
_HEADS = (
    ("uy ban nhan dan", "Ủy ban nhân dân"),
    ("hoi dong nhan dan", "Hội đồng nhân dân"),
    ("uy ban", "Ủy ban"),
    ("cong thong tin dien tu", "Cổng Thông tin điện tử"),
    ("bo chi huy", "Bộ Chỉ huy"),
    ("van phong", "Văn phòng"),
    ("trung tam", "Trung tâm"),
    ("chi cuc", "Chi cục"),
    ("cong an", "Công an"),
)
_PHRASES = (
    ("mặt trận tổ quốc việt nam", "Mặt trận Tổ quốc Việt Nam"),
    ("bộ đội biên phòng", "Bộ đội Biên phòng"),
    ("việt nam", "Việt Nam"),
    ("hồ chí minh", "Hồ Chí Minh"),
)
_ABBREVIATIONS = {
    "ubnd",
    "hdnd",
    "mttq",
    "ubmttq",
    "ttdn",
    "tt&tt",
    "kh&dt",
    "gd&dt",
    "vhttdl",
    "ptth",
    "pt-th",
    "bdbp",
}
_CONNECTORS = {"và", "&", "-", "–"}


def needs_parent(body: str) -> bool:
    """Whether a body's name only makes sense with its parent's ("VĂN PHÒNG", "BAN TUYÊN GIÁO")."""
    folded = fold(body) + " "
    return folded.startswith(_UNDER_PARENT) and not _SCOPE_WORDS.search(folded)


def full_name(issuers: list[str]) -> str | None:
    """The issuing body's full name from an issuing block (parent first, issuer last), as written.

    >>> full_name(["UBND THỊ XÃ HƯƠNG TRÀ", "PHÒNG VĂN HÓA VÀ THÔNG TIN"])
    'PHÒNG VĂN HÓA VÀ THÔNG TIN THỊ XÃ HƯƠNG TRÀ'
    """
    if not issuers:
        return None
    body = issuers[-1]
    if len(issuers) == 1 or not needs_parent(body):
        return _spell_scopes(body)
    parent = issuers[-2]
    scope = _scope_of(parent, body)
    if scope == parent and body.isupper() and parent.isupper():
        # Two names, each in its usual spelling: "Văn phòng Sở Ngoại vụ", "Ban Tuyên giáo Tỉnh ủy …".
        return _spell_scopes(f"{sentence_case(body)} {sentence_case(parent)}")
    return _spell_scopes(f"{body} {scope}")


def _spell_scopes(name: str) -> str:
    """ "TX" and "TP" written in full ("UBND TX SÔNG CẦU" → "UBND THỊ XÃ SÔNG CẦU")."""
    for short, spelled in _SHORT_SCOPES:
        name = re.sub(
            rf"\b{short}\b\.?\s*", (spelled.upper() if name.isupper() else spelled) + " ", name, flags=re.I
        )
    return name


def _scope_of(parent: str, body: str) -> str:
    """What a body under ``parent`` adds to its own name ("thị xã Hương Trà", "Tỉnh ủy Thừa Thiên Huế")."""
    words, folded = parent.split(), fold(parent)
    if folded.startswith("dang bo "):
        rest = words[2:]
        kind = next(
            (k for k in sorted(_PARTY, key=len, reverse=True) if fold(" ".join(rest)).startswith(k)), None
        )
        if kind:
            committee = _PARTY[kind].upper() if parent.isupper() else _PARTY[kind]
            return " ".join([committee, *rest[len(kind.split()) :]])
    head = next((h for h in _COMMITTEE_HEADS if folded.startswith(h + " ")), None)
    if head is None:
        return parent
    place = " ".join(words[len(head.split()) :])
    if fold(body) != "van phong":
        return place
    # A district's office serves both its council and its committee; a province has one of each.
    if _is_district(place):
        return f"{'HĐND VÀ UBND' if body.isupper() else 'HĐND và UBND'} {place}"
    return parent


def _is_district(place: str) -> bool:
    folded = fold(_spell_scopes(place))
    return folded.startswith(("huyen ", "quan ", "thi xa ", "thanh pho ")) and not is_city(place)


_OLD_TONE = re.compile(r"(?<![qQgG])([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?!\w)")


def modern_tones(text: str) -> str:
    """Tone marks where the usual spelling puts them: "hoá" → "hóa", "Uỷ" → "Ủy" ("quý" is kept).

    >>> modern_tones("PHÒNG VĂN HOÁ, Uỷ ban, quý")
    'PHÒNG VĂN HÓA, Ủy ban, quý'
    """

    def moved(m: re.Match[str]) -> str:
        second = unicodedata.normalize("NFD", m.group(2))
        return unicodedata.normalize("NFC", m.group(1) + second[1:]) + second[0]

    return _OLD_TONE.sub(moved, unicodedata.normalize("NFC", text))


def display_name(written: str) -> str:
    """How an unknown unit's name is kept: usual spelling, the committee written in full, modern tones.

    >>> display_name("UBND HUYỆN ĐÔNG HOÀ")
    'Ủy ban nhân dân huyện Đông Hòa'
    """
    return modern_tones(expand_committee(sentence_case(written)))


def expand_committee(name: str) -> str:
    """A leading "UBND" / "HĐND" written in full: the body *is* the committee ("UBND thị xã X")."""
    return re.sub(
        r"^(?:UBND|ubnd)\b", "Ủy ban nhân dân", re.sub(r"^(?:HĐND|hđnd)\b", "Hội đồng nhân dân", name)
    )


def sentence_case(name: str) -> str:
    """The usual spelling of a name written in capitals; a name in mixed case is kept as written.

    >>> sentence_case("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH")
    'Sở Văn hóa, Thể thao và Du lịch'
    >>> sentence_case("BAN TUYÊN GIÁO TỈNH ỦY THỪA THIÊN HUẾ")
    'Ban Tuyên giáo Tỉnh ủy Thừa Thiên Huế'
    """
    if name != name.upper() or not any(c.isalpha() for c in name):
        return name
    originals = name.split()
    words = name.lower().split()
    out, start = _head(words)
    field_start, after_connector, place = True, False, False
    if len(words) > 1 and fold(" ".join(words[:2])) in _COMMITTEES:  # "Tỉnh ủy Thừa Thiên Huế"
        out, start, field_start, place = [_capital(words[0]), words[1]], 2, False, True
    i = start
    while i < len(words):
        word, folded = words[i], fold(words[i]).strip(",.;:")
        pair = f"{folded} {fold(words[i + 1]).strip(',.;:')}" if i + 1 < len(words) else ""
        if folded in _ABBREVIATIONS:
            out.append(originals[i])
        elif pair in _COMMITTEES:
            out += [_capital(word), words[i + 1]]
            i, place = i + 1, True
        elif word in _CONNECTORS:
            out.append(word)
            after_connector, place = True, False
            i += 1
            continue
        elif after_connector:
            out.append(_capital(word))
        elif f"{word} {words[i + 1] if i + 1 < len(words) else ''}" in _SCOPES:
            out += [word, words[i + 1]]
            i, place = i + 1, True
        elif word in _SCOPES:
            out.append(word)
            place = True
        else:
            out.append(_capital(word) if field_start or place else word)
        field_start, after_connector = word.endswith(","), False
        i += 1
    return _fix_phrases(" ".join(out))


def _head(words: list[str]) -> tuple[list[str], int]:
    for opening, spelled in _HEADS:
        n = len(opening.split())
        if fold(" ".join(words[:n])) == opening:
            return spelled.split(), n
    if words and fold(words[0]) in _ABBREVIATIONS:
        return [words[0].upper()], 1
    return [_capital(words[0])] if words else [], 1


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


@lru_cache(maxsize=1)
def _province_spellings() -> tuple[tuple[re.Pattern[str], str], ...]:
    names = {n for current in all_current_provinces() for n in (current, *legacy_names_of(current))}
    return tuple((re.compile(rf"\b{re.escape(n)}\b", re.I), n) for n in sorted(names, key=len, reverse=True))


def _fix_phrases(text: str) -> str:
    for lower, spelled in _PHRASES:
        text = re.sub(re.escape(lower), spelled, text, flags=re.I)
    for pattern, spelled in _province_spellings():
        text = pattern.sub(spelled, text)
    return text
