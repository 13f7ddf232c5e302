"""Text helpers for Vietnamese: Unicode normalisation and diacritics folding."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

_NON_WORD = re.compile(r"[^0-9a-z&]+")


def nfc(text: str) -> str:
    """NFC-normalise and trim; collapse runs of blanks inside a line.

    >>> nfc("  Sở  Ngoại vụ ")
    'Sở Ngoại vụ'
    """
    # the same unit names, statuses and deadlines recur in every report: short texts are remembered
    return _nfc_short(text) if len(text) <= 120 else _nfc(text)


@lru_cache(maxsize=32768)
def _nfc_short(text: str) -> str:
    return _nfc(text)


def _nfc(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # " ".join(line.split()): each run of blanks (str.isspace) as one space, trimmed (faster than a regex)
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def _ascii_table() -> dict[int, str]:
    """Unidecode's transliteration of every Latin letter (Vietnamese included), as a translate table."""
    table = {}
    for code in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)):
        ascii_form = unidecode(chr(code))
        if ascii_form.isascii():
            table[code] = ascii_form
    return table


_ASCII = _ascii_table()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII form, diacritics removed, any Unicode form accepted.

    Unidecode gives the transliteration; a translate table built from it once keeps the
    common (Latin) case fast, and anything else still goes through Unidecode.

    >>> fold("Đơn vị CHỦ TRÌ")
    'don vi chu tri'
    """
    folded = unicodedata.normalize("NFC", text).translate(_ASCII)
    if not folded.isascii():
        folded = unidecode(folded)
    return " ".join(folded.lower().split())


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """Folded text with punctuation dropped, for matching names and headers.

    >>> key("Sở Văn hóa, Thể thao và Du lịch")
    'so van hoa the thao va du lich'
    """
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


def cell_text(value: object) -> str:
    """The text of a cell value as a person reads it ('' for blanks)."""
    if value.__class__ is str:  # most cells: ``nfc`` without a call more
        return _nfc_short(value) if len(value) <= 120 else _nfc(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet program could run ``text`` as a formula (= + - @, or a tab/CR/LF first)."""
    return text.startswith(FORMULA_START)
