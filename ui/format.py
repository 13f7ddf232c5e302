"""Vietnamese formatting: 1.234 (dot for thousands), 12,5% (comma for decimals), dd/mm/yyyy."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

_MARKDOWN_SPECIALS = set("\\`*_{}[]()<>#+-.!|~:$")


def md_text(text: str) -> str:
    """Plain text (user text: unit names, file names) made safe for Markdown: every Markdown sign
    escaped, so "**Sở**" or ":red[x]" are shown as written.

    >>> print(md_text("Sở *Ngoại vụ* [1]"))
    Sở \\*Ngoại vụ\\* \\[1\\]
    """
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in str(text))


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


DATE_FORMAT = "DD/MM/YYYY"  # for st.date_input and column_config.DateColumn
DATETIME_FORMAT = "DD/MM/YYYY HH:mm"
