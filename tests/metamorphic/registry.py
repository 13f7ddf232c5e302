"""The registry of transformations and the text styles they share.

A transformation is ``apply(truth, layout, rng)``: it sets layout knobs and, when the printed form
changes what a correct reader extracts (a deadline printed "Quý 3/2022" has that ``due_text``, a
section title in capitals is read in capitals), edits the truth copy it is given.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from tests.metamorphic.layout import Layout
from tests.metamorphic.truth import ReportTruth

Apply = Callable[[ReportTruth, Layout, random.Random], None]


@dataclass(frozen=True)
class Transform:
    name: str
    apply: Apply
    kind: str  # position | block | header | structure | subs | section_style | rows | units | values | deadline …


# Kinds whose transformations replace one another: a mix holds at most one of each.
EXCLUSIVE = ("block", "subs", "section_style", "format")


TRANSFORMS: dict[str, Transform] = {}


def transform(kind: str) -> Callable[[Apply], Apply]:
    def register(fn: Apply) -> Apply:
        TRANSFORMS[fn.__name__] = Transform(fn.__name__, fn, kind)
        return fn

    return register


# --- text styles ------------------------------------------------------------------------------------


def no_diacritics(text: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D")


_OLD_TONES = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "òe": "oè", "óe": "oé"}
_OLD_TONES |= {"ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ", "Ủy": "Uỷ", "ỦY": "UỶ"}


def old_tones(text: str) -> str:
    """Tone marks placed the old way: "hòa" -> "hoà", "Ủy" -> "Uỷ" (open syllables only)."""
    for new, old in _OLD_TONES.items():
        text = re.sub(rf"{new}(?![^\W\d_])", old, text)
    return text


def line_break(text: str) -> str:
    words = text.split(" ")
    half = max(1, len(words) // 2)
    return " ".join(words[:half]) + "\n" + " ".join(words[half:]) if len(words) > 1 else text
