"""Text helpers for Vietnamese: Unicode normalisation and diacritics folding."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z&]+")


def nfc(text: str) -> str:
    """NFC-normalise and trim; collapse runs of blanks inside a line.

    >>> nfc("  Sở  Ngoại vụ ")
    'Sở Ngoại vụ'
    """
    text = unicodedata.normalize("NFC", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII form, diacritics removed, any Unicode form accepted.

    >>> fold("Đơn vị CHỦ TRÌ")
    'don vi chu tri'
    """
    return _SPACES.sub(" ", unidecode(unicodedata.normalize("NFC", text)).lower()).strip()


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """Folded text with punctuation dropped, for matching names and headers.

    >>> key("Sở Văn hóa, Thể thao và Du lịch")
    'so van hoa the thao va du lich'
    """
    return _SPACES.sub(" ", _NON_WORD.sub(" ", fold(text))).strip()


def cell_text(value: object) -> str:
    """The text of a cell value as a person reads it ('' for blanks)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))
