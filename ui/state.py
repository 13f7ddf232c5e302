"""The app's one ``Database`` and cached query calls.

Query results are cached per database *version* (inode and mtime of the file, which a writer
replaces atomically): after an upload the next call misses the cache and ``Database.reader()``
reopens the new file, so charts update without a restart.

The cache is a small in-process LRU keyed on the (hashable) arguments rather than
``st.cache_data``: Streamlit's cache hashes every argument and unpickles every hit, which cost more
per page than the queries themselves. Results are shared between viewers: treat them as read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from etl import settings
from etl.db import Database

T = TypeVar("T")
MAX_ENTRIES = 512

_databases: dict[str, Database] = {}
_results: OrderedDict[Hashable, Any] = OrderedDict()
_lock = threading.Lock()


def database() -> Database:
    """The database of ``TTDN_DB`` (one object per path; read connections are per thread).

    A file written by an older version of the app is upgraded the first time it is opened.
    """
    path = str(settings.path("TTDN_DB"))
    with _lock:
        db = _databases.get(path)
        if db is None:
            db = Database(path)
            db.upgrade()
            _databases[path] = db
        return db


def version(db: Database | None = None) -> tuple[int, int] | None:
    """Changes whenever a writer publishes a new file."""
    return (db or database())._identity()


def query(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(reader, *args, **kwargs)`` (a function of ``queries``), cached per database version.

    Arguments must be hashable (``Filters`` is a frozen dataclass).
    """
    db = database()
    cache_key = (
        fn.__module__,
        fn.__qualname__,
        str(db.path),
        version(db),
        args,
        tuple(sorted(kwargs.items())),
    )
    with _lock:
        if cache_key in _results:
            _results.move_to_end(cache_key)
            return _results[cache_key]
    result = fn(db.reader(), *args, **kwargs)
    with _lock:
        _results[cache_key] = result
        while len(_results) > MAX_ENTRIES:
            _results.popitem(last=False)
    return result


def clear_cache() -> None:
    with _lock:
        _results.clear()
