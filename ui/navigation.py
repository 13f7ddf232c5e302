"""The pages of the app: every ``pages/<n>_<Name>.py``, in number order, titled by its docstring.

A page's docstring starts with its Vietnamese title, then a colon: "Tổng quan: KPI cards, ...".
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import streamlit as st

from etl.accounts.roles import User
from etl.settings import ROOT
from ui.access import page_allowed

PAGES_DIR = ROOT / "pages"
_FILE = re.compile(r"^(\d+)_(\w+)\.py$")
ICONS = {
    1: ":material/dashboard:", 2: ":material/apartment:", 3: ":material/category:", 4: ":material/event:",
    5: ":material/map:", 6: ":material/checklist:", 7: ":material/upload_file:", 8: ":material/database:",
    9: ":material/slideshow:", 10: ":material/description:", 11: ":material/assignment:", 12: ":material/history:",
}  # fmt: skip


def page_title(path: Path) -> str:
    """The text before ":" in the first line of the page's docstring (the file name if none)."""
    return _title(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _title(path: Path, mtime_ns: int) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = doc.strip().splitlines()[0] if doc.strip() else ""
    return first.split(":", 1)[0].strip() or path.stem


def url_path(path: Path) -> str:
    """ "2_Theo_don_vi.py" → "theo-don-vi"."""
    match = _FILE.match(path.name)
    return (match.group(2) if match else path.stem).lower().replace("_", "-")


def page_files() -> list[Path]:
    """``pages/<n>_<Name>.py`` in number order."""
    files = [p for p in PAGES_DIR.glob("*.py") if _FILE.match(p.name)]
    return sorted(files, key=lambda p: int(_FILE.match(p.name).group(1)))


def app_pages(user: User) -> list:
    """``st.Page`` objects for the files in ``pages/`` that ``user`` may open; the first is the default
    page. A page left out is not reachable at all: its URL opens the default page."""
    files = [path for path in page_files() if page_allowed(user, url_path(path))]
    return [
        st.Page(str(path), title=page_title(path), url_path=url_path(path), default=i == 0,
                icon=ICONS.get(int(_FILE.match(path.name).group(1)), ":material/description:"))
        for i, path in enumerate(files)
    ]  # fmt: skip
