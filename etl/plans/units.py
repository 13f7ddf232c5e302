"""Unit names as plans write them: cutting lists, finding the unit that opens a sentence, group phrases.

A plan names units in "- Đơn vị chủ trì: …" lines, in unit headings ("1. Sở Thông tin và Truyền
thông", "Văn phòng UBND tỉnh:") and inside sentences ("Các cơ quan báo chí của tỉnh phối hợp với Sở
Thông tin và Truyền thông thực hiện …"). Names are kept as written, first letter capitalised; mapping
them to the unit directory is the loader's job. Collective phrases ("Các sở, ban, ngành", "UBND các
huyện, thành phố", "Các cơ quan, đơn vị có liên quan") are kept as groups: ``is_group_unit``.
"""

from __future__ import annotations

import re

from etl.vocab.text import fold, key, nfc
from etl.vocab.units import capitalise, split_units

# Lower-case words that end the unit part of a sentence ("X phối hợp với Y triển khai …").
# Matched case-sensitively so that "Ban Chỉ đạo", "Ban Tổ chức" stay names.
_VERB_TEXT = (
    "chủ trì|phối hợp|phân công|triển khai|tổ chức|xây dựng|chỉ đạo|thực hiện|tham mưu|có trách nhiệm|"
    "chịu trách nhiệm|được giao|căn cứ|theo dõi|tăng cường|đẩy mạnh|bố trí|hướng dẫn|cung cấp|ban hành|"
    "tuyên truyền|nghiên cứu|chủ động|rà soát|đôn đốc|kiểm tra|tiếp tục|theo chức năng|thẩm định|quán triệt|"
    "trong việc|trong công tác|nắm bắt|đề xuất|phổ biến|sản xuất|báo cáo|định hướng|đồng thời|kịp thời|để|nhằm"
)
_VERBS = _VERB_TEXT.split("|")
# Not after "các" / a comma: "các tổ chức chính trị - xã hội", "cơ quan, tổ chức" are names.
_VERB_CUT = re.compile(r"(?<!các)(?<!,)\s(?:" + "|".join(re.escape(v) for v in _VERBS) + r")\b|:")
_PARTNER = re.compile(r"\bphối hợp(?: chặt chẽ(?:, hiệu quả)?)?(?: với)?\s+", re.IGNORECASE)
_REQUEST = re.compile(r"^(?:đề nghị|giao|yêu cầu)\s+", re.IGNORECASE)
# Folded openings of a unit name; words that merely look like one ("Ban hành", "Báo cáo") are excluded.
_UNIT_START = re.compile(
    r"^(?:cac (?:so|ban|nganh|co quan|don vi|dia phuong|huyen|xa|phuong|hoi|doan the|to chuc|bao|tap chi|"
    r"truong|phong|don|luc luong|doanh nghiep|cap|uy ban|ubnd)\b|so |ban |bao |dai |cong an|uy ban|ubnd|cong thong tin|cong ttdt|van phong|bo |bch|"
    r"phong |trung tam|hoi |lien doan|lien hiep|tinh doan|thanh doan|doan |mat tran|ubmttq|thanh tra|"
    r"kho bac|ngan hang|tap chi|dang uy|tinh uy|huyen uy|thanh uy|thi uy|cuc |chi cuc|vien |truong )"
)
_NOT_UNIT = re.compile(
    r"^(?:ban hanh|bao cao|bao dam|bao ve|bao ton|doan ra|doan vao|hoi nghi|hoi thao|"
    r"hoi cho|phong chong|phong, chong|phong ngua)"
)
_MAX_UNIT_PART = 160


def split_unit_list(text: str | None) -> list[str]:
    """The units listed in one "Đơn vị chủ trì / phối hợp" value, capitalised, in order.

    >>> split_unit_list("Công an tỉnh, các cơ quan báo chí của tỉnh và các cơ quan, đơn vị có liên quan.")
    ['Công an tỉnh', 'Các cơ quan báo chí của tỉnh', 'Các cơ quan, đơn vị có liên quan']
    >>> split_unit_list("Văn phòng HĐND và UBND thị xã")
    ['Văn phòng HĐND và UBND thị xã']
    """
    if not text or not text.strip():
        return []
    names: list[str] = []
    for name in split_units(nfc(text).strip(" .;:")):
        name = capitalise(name.strip(" .;:()"))
        if name and key(name) not in {key(n) for n in names}:
            names.append(name)
    return names


def looks_like_unit(text: str) -> bool:
    """Whether a text opens with a unit name ("Sở …", "Các cơ quan …", "UBND …").

    >>> looks_like_unit("Phòng Kinh tế"), looks_like_unit("Ban hành Quy chế …")
    (True, False)
    """
    folded = fold(_REQUEST.sub("", nfc(text)))
    return bool(_UNIT_START.match(folded)) and not _NOT_UNIT.match(folded)


def leading_units(text: str) -> tuple[list[str], str]:
    """The units a sentence opens with, and the rest after them (from the verb or after the colon).

    Returns ([], text) when the sentence does not open with a unit.

    >>> leading_units("Sở Tài chính: Bố trí ngân sách bảo đảm thực hiện")
    (['Sở Tài chính'], 'Bố trí ngân sách bảo đảm thực hiện')
    >>> leading_units("Đề nghị Ban Tuyên giáo Thị ủy")
    (['Ban Tuyên giáo Thị ủy'], '')
    """
    body = _REQUEST.sub("", nfc(text).strip())
    if not looks_like_unit(body):
        return [], text
    cut = _VERB_CUT.search(body)
    head, rest = (body[: cut.start()], body[cut.start() :]) if cut else (body, "")
    if len(head) > _MAX_UNIT_PART:
        return [], text
    rest = rest.lstrip(": ").strip()
    return split_unit_list(head), capitalise(rest)


def unit_heading(text: str) -> tuple[list[str], str, bool]:
    """(units, rest, whether a colon separates them) for a line opening with units, else ([], text, False).

    >>> unit_heading("Sở Tài chính: Bố trí ngân sách")
    (['Sở Tài chính'], 'Bố trí ngân sách', True)
    """
    head, colon, tail = text.partition(":")
    if colon and looks_like_unit(head) and len(head) <= _MAX_UNIT_PART:
        units, _ = leading_units(head)
        return units, tail.strip(), True
    units, rest = leading_units(text)
    return units, (rest if units else text), False


def verb_position(text: str, start: int = 0) -> int | None:
    """Where the first verb (or colon) that ends a unit part lies in ``text`` after ``start``.

    >>> verb_position("theo chức năng, nhiệm vụ của ngành tổ chức triển khai")
    34
    """
    match = _VERB_CUT.search(text, start)
    return match.start() if match else None


def partner_units(text: str) -> list[str]:
    """The units named after "phối hợp (chặt chẽ) với …", up to the next verb.

    >>> partner_units("Phối hợp với Văn phòng HĐND và UBND thị xã và các ngành, địa phương theo dõi")
    ['Văn phòng HĐND và UBND thị xã', 'Các ngành, địa phương']
    """
    found: list[str] = []
    text = nfc(text)
    for match in _PARTNER.finditer(text):
        found += [
            u for u in partner_clause(text[match.start() :])[0] if key(u) not in {key(f) for f in found}
        ]
    return found


def partner_clause(text: str) -> tuple[list[str], str]:
    """For a text opening with "phối hợp với X, Y …": the partners and what follows them.

    >>> partner_clause("phối hợp với Sở Ngoại vụ và các cơ quan đại diện đẩy mạnh công tác thông tin")
    (['Sở Ngoại vụ', 'Các cơ quan đại diện'], 'đẩy mạnh công tác thông tin')
    """
    match = _PARTNER.match(text)
    if not match or not looks_like_unit(text[match.end() :]):
        return [], text
    tail = text[match.end() :]
    cut = _VERB_CUT.search(tail)
    part = re.split(r"\.\s", tail[: cut.start()] if cut else tail)[0]
    if len(part) > _MAX_UNIT_PART:
        return [], text
    found: list[str] = []
    rest = tail[len(part) :]
    for unit in split_unit_list(part):
        if not looks_like_unit(unit):  # a clause, not a unit: "…; đồng thời …"
            at = part.lower().find(unit.lower())
            rest = part[at:] + rest if at >= 0 else rest
            break
        found.append(unit)
    return found, rest.lstrip(" ,;")


_GROUP = re.compile(
    r"^cac\b|\bcac (?:so|ban|nganh|co quan|don vi|dia phuong|huyen|xa|phuong|cap)\b|\bco lien quan\b|"
    r"\blien quan$|\bso ban nganh\b|^(?:uy ban nhan dan|ubnd) (?:huyen|xa|thi xa|thanh pho) (?:thi xa|thanh pho|phuong|xa)\b"
)


def is_group_unit(name: str) -> bool:
    """Whether a unit name is a collective phrase rather than one body.

    >>> [is_group_unit(n) for n in ("Các sở, ban, ngành", "UBND các huyện, thành phố",
    ...  "Ủy ban nhân dân huyện, thành phố", "Sở Công Thương", "Công an tỉnh")]
    [True, True, True, False, False]
    """
    return bool(_GROUP.search(key(name)))


def _members_rule(group: str) -> re.Pattern[str] | None:
    """For a group phrase, the pattern (on ``key``) of the single units it takes in."""
    k = key(group)
    if re.search(r"\bso ban nganh\b|\bcac so\b|\bso nganh\b", k):
        return re.compile(r"^so\b")
    if re.search(r"^(?:uy ban nhan dan|ubnd)\b.*\b(?:huyen|thi xa|xa|phuong)\b", k):
        return re.compile(r"^(?:uy ban nhan dan|ubnd) (?:huyen|thi xa|thanh pho|xa|phuong)\b")
    if re.search(r"\bco quan bao chi\b", k):
        return re.compile(r"^(?:bao|dai phat thanh|tap chi)\b")
    return None


def unit_matches(unit: str, named: str) -> bool:
    """Whether ``unit`` (a reporting unit) is the unit ``named`` in a plan, or one of its members.

    Same ``key``, one name contained in the other (whole words), or a group phrase that takes the unit
    in ("Các sở, ban, ngành" takes every "Sở …").

    >>> unit_matches("Sở Ngoại vụ", "Các sở, ban, ngành"), unit_matches("Sở Ngoại vụ", "Công an tỉnh")
    (True, False)
    """
    a, b = key(unit), key(named)
    if not a or not b:
        return False
    if a == b or f" {a} " in f" {b} " or (not is_group_unit(named) and f" {b} " in f" {a} "):
        return True
    rule = _members_rule(named)
    return bool(rule and rule.search(a) and not is_group_unit(unit))
