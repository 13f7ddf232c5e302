"""Who issued a plan, when, where and for which year: title, number, date, province, year.

Also the report deadlines a plan states ("Báo cáo … trước ngày 10/11/2022").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from etl.errors import PlanError
from etl.vocab.provinces import Province, find_province
from etl.vocab.text import fold, nfc

HEAD_LINES = 40  # the title block is in the first lines of a plan
_TITLE_ONLY = re.compile(r"^ke hoach\s*$")
_TITLE_START = re.compile(r"^ke hoach\b")
_STOP_SUBTITLE = re.compile(r"^(?:can cu|thuc hien|[ivx]+\s*[.)]|\d+\s*[.)]|[-+•*]|so\s*:|i\b)")
_NUMBER = re.compile(r"^số\s*:\s*(\d+[^\s,;]*)", re.IGNORECASE)
_NEWS_NUMBER = re.compile(
    r"ban hành\s+(?:kế hoạch|công văn|quyết định|chương trình)\s+số\s+(\d+/[^\s,;]+)", re.IGNORECASE
)
_SIGNED = re.compile(
    r"^(?!thu |chu nhat)[^,;:()]{2,40},\s*ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})"
)
_NEWS_DATE = re.compile(r"^ngay\s+(\d{1,2})/(\d{1,2})/(\d{4})\s*,.*\bban hanh\b")
_ANY_DATE = re.compile(r"\((\d{1,2})/(\d{1,2})/(\d{4})\)")
_TITLE_YEAR = re.compile(r"(?<!den )(?<!doan )(?<!toi )\bnam (\d{4})\b")
_NEWS_TITLE = re.compile(r"\b(kế hoạch\b.*)$", re.IGNORECASE)
DEADLINE_PHRASE = re.compile(
    r"(?:trước|chậm nhất(?: là)?|không muộn hơn|hạn chót)\s+(?:ngày\s+)?"
    r"(?:\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?|\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?)",
    re.IGNORECASE,
)
_REPORT_START = re.compile(
    r"^[-+•*]?\s*(?:bao cao|dinh ky|che do bao cao|thoi gian bao cao|thoi han bao cao)\b"
)


@dataclass
class PlanIdentity:
    """Title block facts of a plan, with the warnings found while reading them."""

    title: str
    number: str | None = None
    issued_on: date | None = None
    province: Province | None = None
    year: int | None = None
    warnings: list[str] = field(default_factory=list)


def deadline_phrase(text: str) -> str | None:
    """The first "trước ngày …" deadline written inside a sentence.

    >>> deadline_phrase("… gửi Ủy ban nhân dân tỉnh (qua Sở Thông tin và Truyền thông) trước ngày 10/4/2019.")
    'trước ngày 10/4/2019'
    """
    match = DEADLINE_PHRASE.search(text)
    return match.group(0) if match else None


def report_deadline(line: str, anywhere: bool = False) -> str | None:
    """The report deadline a line states, if it is a report statement.

    A line opening with "Báo cáo" / "Định kỳ" / "Chế độ báo cáo" (or, with ``anywhere``, any line
    mentioning "báo cáo") that names a "trước ngày …" deadline.

    >>> report_deadline("Báo cáo hoạt động thông tin đối ngoại gửi về UBND thị xã trước ngày 10/11/2022.")
    'trước ngày 10/11/2022'
    """
    folded = fold(line)
    if not (_REPORT_START.match(folded) or (anywhere and "bao cao" in folded)):
        return None
    return deadline_phrase(line)


def sentence_case(title: str) -> str:
    """A heading printed in capitals, as a sentence ("PHÂN CÔNG NHIỆM VỤ" → "Phân công nhiệm vụ")."""
    title = nfc(title).strip(" .:")
    return title[:1] + title[1:].lower() if title.isupper() else title


def read_identity(lines: list[str], province: str | None, year: int | None) -> PlanIdentity:
    """Title, number, date, province and year from the lines of a plan; arguments fill the gaps."""
    head = lines[:HEAD_LINES]
    ident = PlanIdentity(title=_title(head) or "")
    if not ident.title:
        ident.title = _news_title(head)
        ident.warnings.append(f"Không thấy dòng tiêu đề “KẾ HOẠCH …”; lấy tiêu đề: “{ident.title}”.")
    ident.number = _number(head)
    ident.issued_on = _issued_on(head)
    ident.province = _province(lines, province, ident)
    ident.year = _year(lines, year, ident)
    return ident


def _title(head: list[str]) -> str | None:
    for i, line in enumerate(head):
        folded = fold(line)
        if _TITLE_ONLY.match(folded):
            parts = []
            for nxt in head[i + 1 : i + 4]:
                if _STOP_SUBTITLE.match(fold(nxt)) or (parts and not (parts[0].isupper() and nxt.isupper())):
                    break
                parts.append(nxt)
            if not parts:
                return nfc(line)
            subtitle = " ".join(parts)
            return (
                f"KẾ HOẠCH {subtitle}"
                if subtitle.isupper()
                else f"Kế hoạch {subtitle[:1].lower()}{subtitle[1:]}"
            )
        if _TITLE_START.match(folded) and len(line.split()) <= 25 and " so " not in f" {folded[:20]} ":
            return nfc(line).rstrip(".")
    return None


def _news_title(head: list[str]) -> str:
    for line in head[:12]:
        folded = fold(line)
        if "ke hoach" in folded and not folded.startswith("can cu"):
            match = _NEWS_TITLE.search(line)
            if match:
                sentence = re.split(r"(?<=[.;])\s", match.group(1))[0]
                return sentence[:1].upper() + sentence[1:].rstrip(".;")
    for line in head:
        if len(line.split()) >= 6 and "|" not in line:
            return line.rstrip(".")
    return head[0] if head else "Kế hoạch"


def _number(head: list[str]) -> str | None:
    for line in head:
        match = _NUMBER.match(line.strip()) or _NEWS_NUMBER.search(line)
        if match:
            return match.group(1).rstrip(".")
    return None


def _make_date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _issued_on(head: list[str]) -> date | None:
    for line in head:
        folded = fold(line)
        match = _SIGNED.match(folded) or _NEWS_DATE.match(folded)
        if match:
            return _make_date(*match.groups())
    return None


def _province(lines: list[str], given: str | None, ident: PlanIdentity) -> Province | None:
    found = find_province(ident.title) or find_province("\n".join(lines[:HEAD_LINES]))
    found = found or find_province("\n".join(lines))
    if given:
        wanted = find_province(given)
        if wanted is None:
            wanted = Province(nfc(given), nfc(given))
            ident.warnings.append(f"Không có tỉnh “{given}” trong danh mục tỉnh, thành phố; giữ nguyên tên.")
        if found is not None and found.name != wanted.name:
            ident.warnings.append(
                f"Văn bản ghi tỉnh {found.legacy_name}, khác tỉnh đã chọn ({wanted.legacy_name}); "
                f"dùng tỉnh ghi trong văn bản."
            )
        return found or wanted
    if found is None:
        raise PlanError(
            "Không xác định được tỉnh của kế hoạch: văn bản không ghi tên tỉnh. "
            "Hãy chọn tỉnh (tùy chọn --province) rồi nhập lại."
        )
    return found


def _year(lines: list[str], given: int | None, ident: PlanIdentity) -> int:
    match = _TITLE_YEAR.search(fold(ident.title))
    if match:
        found = int(match.group(1))
        if given and given != found:
            ident.warnings.append(f"Tiêu đề ghi năm {found}, khác năm đã chọn ({given}); dùng năm {found}.")
        return found
    if given:
        return given
    fallback = ident.issued_on.year if ident.issued_on else None
    if fallback is None:
        dated = (_ANY_DATE.search(line) for line in lines[:HEAD_LINES])
        fallback = next((int(m.group(3)) for m in dated if m), None)
    if fallback is None:
        raise PlanError(
            "Không xác định được năm của kế hoạch: tiêu đề không ghi “năm …”. "
            "Hãy chọn năm (tùy chọn --year) rồi nhập lại."
        )
    ident.warnings.append(f"Tiêu đề không ghi năm; lấy năm {fallback} theo ngày của văn bản.")
    return fallback
