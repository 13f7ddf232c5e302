"""The rows above a report's table, read as a person reads an official document's head.

Layout (Nghị định 30/2020 and what offices really send): on the left the issuing body, under its
parent ("UBND TỈNH PHÚ YÊN" over "SỞ NGOẠI VỤ", "TỈNH ỦY THỪA THIÊN HUẾ" over "BAN TUYÊN GIÁO"; a
name may run over two lines or two cells, "ỦY BAN NHÂN DÂN" over "THỊ XÃ HƯƠNG TRÀ"); on the right
the national motto and the place and date of signing; then the number ("Số: 12/BC-UBND"), perhaps a
letter's preamble ("Kính gửi: …", "Căn cứ …", "Thực hiện …"), the title, the period line and an
"Đơn vị báo cáo: …" line. ``read_title_block`` sorts those lines into a ``TitleBlock``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from etl.vocab.text import cell_text, fold

_MOTTO = ("cong hoa xa hoi", "cong hoa", "doc lap", "dang cong san viet nam", "dang cong san vn")
_NUMBER = re.compile(r"^so\s*(?::|\d|/|\.{2,}|…)|^so\s+(?:ky hieu|van ban)")
_SIGNING = re.compile(r"^([^,;:()]{2,40}),\s*ngay\b(.*)$")
_SIGNING_DATE = re.compile(r"(\d{1,2})\s*(?:thang|/|-|\.)\s*(\d{1,2})\s*(?:nam|/|-|\.)\s*(\d{4})")
_RULE = re.compile(r"^[\s\-_=*~.…]+$")
_UNIT_LABEL = re.compile(
    r"^\s*(?:ten\s+)?(?:don vi|co quan)(?:\s+(?:bao cao|thuc hien bao cao|gui bao cao|lap bao cao))?\s*:\s*(.*)$"
)
# "(Kèm theo Báo cáo số … của X)": X sent this report (a plan's "của" names the plan's author, not X).
_ATTACHED = re.compile(
    r"(?:kèm|kem) theo\s+(?:báo cáo|bao cao|công văn|cong van|văn bản|van ban|bc)\b.*?\b(?:của|cua)\s+"
    r"(.+?)(?:\s+(?:về|ve|V/v)\s.*)?\s*\)?\s*$",
    re.I,
)
_PREAMBLE = ("kinh gui", "can cu", "thuc hien", "trien khai", "theo ")
# Words that open the name of a body (on folded text, a trailing space where a whole word is meant).
ORG_STARTS = (
    "uy ban", "ubnd", "hoi dong", "hdnd", "tinh uy", "thanh uy", "huyen uy", "thi uy", "quan uy",
    "dang uy", "dang bo", "ban ", "so ", "phong ", "van phong", "bo ", "cong an", "bao ", "dai ",
    "trung tam", "chi cuc", "cuc ", "hoi ", "lien doan", "lien hiep", "mat tran", "ubmttq", "tinh doan",
    "doan ", "cong thong tin", "cong ttdt", "bch", "vien ", "truong ", "kho bac", "ngan hang",
    "thanh tra", "tap chi", "benh vien", "cong ty", "tong cong ty", "chi nhanh", "toa an", "doi ",
)  # fmt: skip
_NOT_ORG = (
    "bao cao", "ban hanh", "ban do", "so lieu", "so ket", "so bo", "bo sung", "phong chong", "doi voi",
    "doi ngoai", "hoi nghi", "truong hop", "doan ket", "doan ra", "doan vao",
)  # fmt: skip
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
PLACE_STARTS = (
    "tinh ",
    "thanh pho ",
    "tp ",
    "tp.",
    "thi xa ",
    "tx ",
    "tx.",
    "huyen ",
    "quan ",
    "xa ",
    "phuong ",
)
_CONTINUES = ("va ", "& ", "- ", ", ")
_COMMITTEES = ("tinh uy", "thanh uy", "huyen uy", "thi uy", "quan uy", "dang uy")


@dataclass
class TitleBlock:
    """What the rows above the table say, sorted by role; every text is NFC, as written."""

    issuers: list[str] = field(default_factory=list)  # parent first, the issuing body last
    unit_label: str | None = None  # "Đơn vị báo cáo: X" → X
    attached_to: str | None = None  # "(Kèm theo Báo cáo số … của X)" → X
    titles: list[str] = field(default_factory=list)  # title, subject and period lines
    preamble: list[str] = field(default_factory=list)  # "Kính gửi", "Căn cứ", "Thực hiện" and their lists
    signing_place: str | None = None
    signing_date: date | None = None

    @property
    def lines(self) -> list[str]:
        """Every line that may name the period: titles first, then the preamble."""
        return self.titles + self.preamble


def _rows_of_lines(title_rows: list[list[object]]) -> list[list[str]]:
    """Each row's text lines, left to right; a cell with line breaks gives several lines."""
    out = []
    for row in title_rows:
        lines = [line for v in row if isinstance(v, str) for line in cell_text(v).split("\n") if line.strip()]
        out.append([line for line in lines if not _RULE.match(line)])
    return out


def is_org(text: str) -> bool:
    """Whether a line names a body ("SỞ NGOẠI VỤ", "Ban Tuyên giáo Tỉnh ủy"); a line with a year does not."""
    folded = fold(text) + " "
    return folded.startswith(ORG_STARTS) and not folded.startswith(_NOT_ORG) and not _YEAR.search(folded)


def is_place(text: str) -> bool:
    folded = fold(text) + " "
    return folded.startswith(PLACE_STARTS) and not folded.startswith(_COMMITTEES)


def _is_motto(text: str) -> bool:
    return fold(text).startswith(_MOTTO)


def read_title_block(title_rows: list[list[object]]) -> TitleBlock:
    """Sort the lines above the table by role (issuing body, signing line, title, preamble…)."""
    block = TitleBlock()
    rows = _rows_of_lines(title_rows)
    consumed = _read_issuers(rows, block)
    in_list = False
    for r, lines in enumerate(rows):
        for i, line in enumerate(lines):
            if (r, i) in consumed or _is_motto(line):
                continue
            in_list = _sort_line(line, lines[i + 1 :], block, in_list)
    return block


def _read_issuers(rows: list[list[str]], block: TitleBlock) -> set[tuple[int, int]]:
    """The issuing block: the first lines of the top rows, while they name bodies or places.

    Above it may stand a form label ("Mẫu số 02", "Phụ lục"); blank rows are skipped; any other line ends it.
    """
    consumed: set[tuple[int, int]] = set()
    names: list[str] = []
    for r, lines in enumerate(rows):
        left = [(i, line) for i, line in enumerate(lines) if not _is_motto(line)]
        if not left:  # a blank row, or the motto alone
            continue
        taken = _issuer_lines(left, names)
        if not taken:
            if names or not _is_form_label(left[0][1]):
                break
            continue
        consumed.update((r, i) for i in taken)
    block.issuers = names
    return consumed


def _issuer_lines(left: list[tuple[int, str]], names: list[str]) -> list[int]:
    """Indexes of the row's leading lines that belong to the issuing block, joined into ``names``."""
    taken = []
    for i, line in left:
        if names and (is_place(line) or _continues(line, names[-1])):
            names[-1] = f"{names[-1]} {line}"
        elif is_org(line):
            names.append(line)
        else:
            break
        taken.append(i)
    return taken


def _continues(line: str, previous: str) -> bool:
    """A name carried over to the next line ("SỞ VĂN HÓA, THỂ THAO" / "VÀ DU LỊCH", "BAN TUYÊN GIÁO" /
    "TỈNH ỦY")."""
    folded, before = fold(line), fold(previous)
    if folded in _COMMITTEES:
        return not before.startswith(_COMMITTEES)
    return (folded + " ").startswith(_CONTINUES) or before.endswith((",", "-", "&", " va"))


def _is_form_label(text: str) -> bool:
    folded = fold(text)
    # "Mẫu số 02", "Biểu 01", "Phụ lục", "PHỤ LỤC II", "Phụ lục 02": a form or appendix label, any numbering
    return folded.startswith(("mau", "bieu", "phu luc")) or _is_signing_or_number(text)


def _is_signing_or_number(text: str) -> bool:
    folded = fold(text)
    return bool(_SIGNING.match(folded) or _NUMBER.match(folded))


def _sort_line(line: str, rest: list[str], block: TitleBlock, in_list: bool) -> bool:
    """File one line in ``block``; returns whether the next bullet lines continue a preamble list."""
    folded = fold(line)
    if m := _SIGNING.match(folded):
        block.signing_place = block.signing_place or line[: len(m.group(1))].strip(" .…")
        block.signing_date = block.signing_date or _date(m.group(2))
        return False
    if _NUMBER.match(folded):
        return False
    if m := _UNIT_LABEL.match(folded):
        value = line.split(":", 1)[1] if m.group(1) else (rest[0] if rest else "")
        block.unit_label = block.unit_label or (value.strip(" .") or None)
        return False
    if folded.startswith(_PREAMBLE) or (in_list and (folded.startswith(("-", "+", "•")) or is_org(line))):
        block.preamble.append(line)
        return folded.startswith("kinh gui") or in_list
    if m := _ATTACHED.search(line):
        block.attached_to = block.attached_to or m.group(1).strip(" .)")
    block.titles.append(line)
    return False


def _date(text: str) -> date | None:
    m = _SIGNING_DATE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
