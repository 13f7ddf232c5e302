"""The report as a list of blocks, written once and rendered twice: .docx (``docx_kit``) and PDF (``pdf``).

A block says what to show, not how: the renderers own fonts, sizes and page layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Header:
    """The administrative header: issuing body (left), national motto (right), number, place and date."""

    parent: str  # "UBND TỈNH HƯNG YÊN"
    office: str  # "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"
    number: str  # "Số: 12/BC-SVHTTDL"
    place_date: str  # "Hưng Yên, ngày 16 tháng 10 năm 2024"


@dataclass(frozen=True)
class Title:
    lines: tuple[str, ...]  # "BÁO CÁO", "Kết quả thực hiện …", "Quý III/2024"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Para:
    text: str
    italic: bool = False
    indent: bool = True


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths_cm: list[float]
    numeric: tuple[int, ...] = ()  # centred columns (STT is always centred)
    bold_last: bool = False  # a total row


@dataclass(frozen=True)
class Picture:
    png: bytes
    caption: str
    aspect: float  # height / width


@dataclass(frozen=True)
class Closing:
    """ "Nơi nhận" (left) and the signature (right)."""

    recipients: tuple[str, ...]
    signer_title: tuple[str, ...]
    signer_name: str


Block = Header | Title | Heading | Para | Table | Picture | Closing


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)
