"""Tasks from a news summary of a plan (seeds 000-002): whatever tasks the prose makes out.

A summary has no numbered structure. Two kinds of sentence are read:

- a list of contents: "Kế hoạch đề ra các nội dung trọng tâm … gồm: A; B; C" → one task per item;
- an assignment: "UBND tỉnh giao Sở X chủ trì, phối hợp với Y và Z <việc>", "Sở X được giao chủ trì …",
  "UBND tỉnh yêu cầu các sở, ban, ngành … tổ chức …" → a task led by X, coordinated with Y, Z; the
  following sentences of the same paragraph are further tasks of X.

Tasks are numbered 1, 2, … (no section). Page furniture ("Thống kê truy cập", "Tin liên quan") is left
out, and reading stops where the next article begins.
"""

from __future__ import annotations

import re

from etl.plans.draft import TaskDraft
from etl.plans.lines import Line
from etl.plans.units import leading_units, looks_like_unit, partner_clause, verb_position
from etl.vocab.text import fold

NEWS_SECTION = "Nội dung chính của kế hoạch"
_BOUNDARY = re.compile(
    r"^(?:xem tin theo ngay|tin lien quan|thong ke truy cap|tin khac|cac tin khac|bai viet lien quan|tac gia\s*:)"
)
_LIST = re.compile(
    r"(?:nội dung|nhiệm vụ|hoạt động)[^:]{0,80}(?:gồm|sau|như)\s*:\s*(?P<items>.+)$", re.IGNORECASE
)
_ASSIGN = re.compile(r"(?:^|\b(?:tỉnh|thị xã|huyện|thành phố)\s+)(?:giao|yêu cầu|đề nghị)\s+", re.IGNORECASE)
_OPENING = re.compile(r"^(?:được giao\s+)?(?:chủ trì\s*,?\s*)?", re.IGNORECASE)
_ASSIGNED = re.compile(r"^(?:được giao|chủ trì|phối hợp|có trách nhiệm|chịu trách nhiệm)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.…;])\s+(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ])")
_ABBREVIATION = re.compile(r"\b(?:TP|TX|TT|Tp|P|Q|H)\.$")
_CONTENT_WORDS = 15


def read_news_tasks(lines: list[Line]) -> tuple[list[TaskDraft], list[str]]:
    """Task drafts found in a news summary, and a warning saying where they come from."""
    drafts: list[TaskDraft] = []
    for line in _article(lines):
        drafts += _list_tasks(line) or _assignment_tasks(line)
    for number, draft in enumerate(drafts, 1):
        draft.code, draft.topic_from_section = str(number), False
    if not drafts:
        return [], []
    return drafts, [
        "Văn bản không có cấu trúc của một kế hoạch (mục I, II, nhiệm vụ 1, 2, a, b); "
        f"{len(drafts)} nhiệm vụ được lấy từ bản tin tóm tắt: cần đối chiếu với văn bản kế hoạch gốc."
    ]


def _article(lines: list[Line]) -> list[Line]:
    """The lines of the first article: page furniture before it skipped, stopping at the next one."""
    kept: list[Line] = []
    for line in lines:
        if _BOUNDARY.match(fold(line.text)):
            if any(len(k.text.split()) >= _CONTENT_WORDS for k in kept):
                break
            continue
        kept.append(line)
    return kept


def _list_tasks(line: Line) -> list[TaskDraft]:
    match = _LIST.search(line.text)
    if not match:
        return []
    items = [i.strip(" .;") for i in match.group("items").split(";")]
    return [TaskDraft("", [_cap(i)], NEWS_SECTION, line.no) for i in items if len(i.split()) >= 3]


def _assignment_tasks(line: Line) -> list[TaskDraft]:
    text = line.text
    ask = _ASSIGN.search(text)
    clause = text[ask.end() :] if ask and looks_like_unit(text[ask.end() :]) else text
    if not looks_like_unit(clause):
        return []
    units, rest = leading_units(clause)
    if not units or not rest or not (ask or _ASSIGNED.match(rest)):
        return []  # "UBND tỉnh vừa ban hành Kế hoạch …" names the issuer, not a task
    sentences = _sentences(rest)
    first, partners = _strip_opening(sentences[0])
    drafts = [TaskDraft("", [_cap(first)], NEWS_SECTION, line.no, group_lead=units)]
    if partners:
        drafts[0].coord = "; ".join(partners)
    drafts += [
        TaskDraft("", [s], NEWS_SECTION, line.no, group_lead=units)
        for s in sentences[1:]
        if len(s.split()) >= 4
    ]
    return drafts


def _strip_opening(sentence: str) -> tuple[str, list[str]]:
    """The task and partners of "chủ trì, phối hợp với X và Y tổ chức …" (→ "tổ chức …", [X, Y])."""
    rest = _OPENING.sub("", sentence, count=1)
    if fold(rest).startswith("theo chuc nang"):  # "theo chức năng, nhiệm vụ của ngành, địa phương tổ chức …"
        at = verb_position(rest, 1)
        rest = rest[at:].lstrip() if at else rest
    partners, after = partner_clause(rest)
    return (after if partners and after else rest) or sentence, partners


def _sentences(text: str) -> list[str]:
    pieces: list[str] = []
    for piece in _SENTENCE.split(text.strip()):
        if pieces and _ABBREVIATION.search(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return [p.strip() for p in pieces if p.strip()]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
