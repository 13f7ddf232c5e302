"""The app's one ``Database`` and cached query calls.

Query results are cached per database *version* (inode and mtime of the file, which a writer
replaces atomically): after an upload the next call misses the cache and ``Database.reader()``
reopens the new file, so charts update without a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from etl import settings
from etl.db import Database

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _database(path: str) -> Database:
    return Database(path)


def database() -> Database:
    """The database of ``TTDN_DB`` (one object per path; read connections are per thread)."""
    return _database(str(settings.path("TTDN_DB")))


def version(db: Database | None = None) -> tuple[int, int] | None:
    """Changes whenever a writer publishes a new file."""
    return (db or database())._identity()


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_call(name: str, db_path: str, db_version: Any, args: tuple, kwargs: tuple) -> Any:
    module, _, func = name.rpartition(".")
    fn = getattr(__import__(module, fromlist=[func]), func)
    return fn(_database(db_path).reader(), *args, **dict(kwargs))


def query(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call ``fn(reader, *args, **kwargs)`` through the cache (``fn`` is a function of ``queries``)."""
    db = database()
    name = f"{fn.__module__}.{fn.__qualname__}"
    return _cached_call(name, str(db.path), version(db), args, tuple(sorted(kwargs.items())))


def clear_cache() -> None:
    _cached_call.clear()
