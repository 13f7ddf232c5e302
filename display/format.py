"""Vietnamese formatting: 1.234 (dot for thousands), 12,5% (comma for decimals), dd/mm/yyyy."""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

_MD_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation mark CommonMark can escape
# What GFM turns into a link even when escaped (http://…, www.…, a@b.c): broken by a word joiner (U+2060),
# which is not drawn.
_AUTOLINK = re.compile(r"(?i)(?<=htt)(?=ps?:)|(?<=ft)(?=p:)|(?<=mailt)(?=o:)|(?<=ww)(?=w\.)|(?=@)")


def fmt_int(value: int | float | None) -> str:
    """
    >>> fmt_int(1234567)
    '1.234.567'
    """
    if value is None or pd.isna(value):
        return "—"
    return f"{int(value):,}".replace(",", ".")


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """A fraction as a Vietnamese percent.

    >>> fmt_pct(0.4545), fmt_pct(None)
    ('45,5%', '—')
    """
    if value is None or pd.isna(value):
        return "—"
    text = f"{value * 100:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{text}%"


def fmt_rate(numerator: int, denominator: int) -> str:
    """A rate with its denominator written out.

    >>> fmt_rate(5, 11)
    '45,5% (5/11)'
    >>> fmt_rate(0, 0)
    '— (0/0)'
    """
    value = numerator / denominator if denominator else None
    return f"{fmt_pct(value)} ({fmt_int(numerator)}/{fmt_int(denominator)})"


def fmt_date(value: date | datetime | None) -> str:
    """
    >>> fmt_date(date(2024, 9, 30))
    '30/09/2024'
    """
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return ""
    return value.strftime("%d/%m/%Y")


def fmt_month(value: date, sep: str = "/") -> str:
    """
    >>> fmt_month(date(2024, 9, 1)), fmt_month(date(2024, 9, 1), "<br>")
    ('T9/2024', 'T9<br>2024')
    """
    return f"T{value.month}{sep}{value.year}"


def with_rate_texts(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with ``pct_done_text`` ("40,0% (2/5)") and, where the counts exist, the overdue rates
    ``rate_all`` / ``rate_due`` written out with their denominators."""
    df = df.copy()
    df["pct_done_text"] = [fmt_rate(d, n) for d, n in zip(df["n_done"], df["n_tasks"], strict=True)]
    if {"n_overdue", "n_tasks"} <= set(df.columns):
        df["rate_all"] = [fmt_rate(o, n) for o, n in zip(df["n_overdue"], df["n_tasks"], strict=True)]
    if {"n_overdue", "n_due"} <= set(df.columns):
        df["rate_due"] = [fmt_rate(o, n) for o, n in zip(df["n_overdue"], df["n_due"], strict=True)]
    return df


def md_escape(text: object) -> str:
    r"""User text (a unit, a file name, a cell) as literal text inside Streamlit Markdown (``st.markdown``,
    ``caption``, ``title``, ``info``…): every punctuation mark escaped, so it never becomes a link, an
    image the browser fetches, formatting, LaTeX or an HTML tag; line breaks become spaces; a word
    joiner (not drawn) keeps web and mail addresses from becoming links.

    >>> print(md_escape("![x](http://h/a.png) **b** $x$").replace("\u2060", "|"))
    \!\[x\]\(htt|p\:\/\/h\/a\.png\) \*\*b\*\* \$x\$
    >>> md_escape(None)
    ''
    """
    if text is None:
        return ""
    text = _AUTOLINK.sub("\u2060", " ".join(str(text).splitlines()))
    return _MD_PUNCTUATION.sub(r"\\\1", text)


DATE_FORMAT = "DD/MM/YYYY"  # for st.date_input and column_config.DateColumn
DATETIME_FORMAT = "DD/MM/YYYY HH:mm"
