"""The pages of the app: every ``pages/<n>_<Name>.py``, in number order, titled by its docstring.

A page's docstring starts with its Vietnamese title, then a colon: "Tổng quan: KPI cards, ...".

A page's address is the one Streamlit itself gives the file ("2_Theo_don_vi.py" → ``/Theo_don_vi``).
Until ``st.navigation`` has run once in the server process, Streamlit serves a request the legacy
way, from the ``pages/`` folder (streamlit#9992): a shared link opened first after a start then
finds its page there instead of "Page not found", and ``run_within_app`` runs ``app.py`` (sidebar,
filters, navigation) in place of the page before the page draws anything.
"""

from __future__ import annotations

import ast
import functools
import re
import runpy
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

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
    """ "2_Theo_don_vi.py" → "Theo_don_vi": the address Streamlit's ``pages/`` scan gives the file."""
    match = _FILE.match(path.name)
    return match.group(2) if match else path.stem


def legacy_url_path(path: Path) -> str:
    """ "2_Theo_don_vi.py" → "theo-don-vi": the address links shared before used."""
    return url_path(path).lower().replace("_", "-")


def page_files() -> list[Path]:
    """``pages/<n>_<Name>.py`` in number order."""
    files = [p for p in PAGES_DIR.glob("*.py") if _FILE.match(p.name)]
    return sorted(files, key=lambda p: int(_FILE.match(p.name).group(1)))


def app_pages(user: User) -> list:
    """``st.Page`` objects for the files in ``pages/`` that ``user`` may open; the first is the default
    page. A page left out is not reachable at all: its URL opens the default page. Hidden twins keep
    the addresses of links shared before (``/theo-don-vi``) working."""
    files = [path for path in page_files() if page_allowed(user, url_path(path))]
    pages = [
        st.Page(str(path), title=page_title(path), url_path=url_path(path), default=i == 0,
                icon=ICONS.get(int(_FILE.match(path.name).group(1)), ":material/description:"))
        for i, path in enumerate(files)
    ]  # fmt: skip
    twins = [
        st.Page(str(path), title=page_title(path), url_path=legacy_url_path(path), visibility="hidden")
        for path in files
    ]
    return pages + twins


def reads_filters(page_url_path: str) -> bool:
    """Whether the page at this address reads the shared filters (calls ``current_filters``): the
    sidebar shows them only then (not on Tải báo cáo or Kế hoạch)."""
    files = page_files()
    path = next((p for p in files if page_url_path in (url_path(p), legacy_url_path(p))), files[0])
    return _reads_filters(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _reads_filters(path: Path, mtime_ns: int) -> bool:
    return "current_filters(" in path.read_text(encoding="utf-8")


def run_within_app() -> None:
    """Called first by every page: when Streamlit's legacy ``pages/`` pass ran the page on its own
    (the first request after a server start), run ``app.py`` in its place (navigation, sidebar,
    then this page through ``st.navigation``) and end the page's own run. Otherwise nothing.

    In place, not by a rerun: the run keeps the click or upload that started it.
    """
    if not getattr(PagesManager, "uses_pages_directory", False):
        return
    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
    st.stop()
