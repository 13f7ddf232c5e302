"""The app's one ``Database`` and cached query calls.

Query results are cached per database *version* (inode and mtime of the file, which a writer
replaces atomically; with PostgreSQL, the data version every write bumps, asked at most every two
seconds): after an upload, here or in another instance, the next call misses the cache and
``reader()`` reopens the new file (pulls a new replica), so charts update without a restart.

The cache is a small in-process LRU keyed on the (hashable) arguments rather than
``st.cache_data``: Streamlit's cache hashes every argument and unpickles every hit, which cost more
per page than the queries themselves. Results are shared between viewers: treat them as read-only.

A page that needs several queries names them first with ``prefetch``: they then run side by side
on a small pool of worker threads (DuckDB releases the GIL while it works) while the page draws,
and each ``query`` call takes its result when it is ready. A query already running, for this viewer
or another, is waited for rather than run twice.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from etl import settings
from etl.store.db import Database, open_database
from etl.store.postgres import PostgresDatabase
from queries.filters import Filters

T = TypeVar("T")
MAX_ENTRIES = 512
WORKERS = 2  # query threads shared by all viewers (each keeps its own snapshot connection)

_databases: dict[str, Database | PostgresDatabase] = {}
_results: OrderedDict[Hashable, Any] = OrderedDict()
_running: dict[Hashable, Future] = {}
_lock = threading.Lock()
_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="ttdn-query")


def database() -> Database | PostgresDatabase:
    """The database of ``TTDN_DATABASE_URL``, else of ``TTDN_DB`` (one object per place; read
    connections are per thread).

    A file written by an older version of the app is upgraded the first time it is opened.
    """
    url = settings.get("TTDN_DATABASE_URL")
    where = url or str(settings.path("TTDN_DB"))
    with _lock:
        db = _databases.get(where)
        if db is None:
            db = open_database(url)
            if isinstance(db, PostgresDatabase):
                db.background = True  # after another instance's write, pages keep drawing while it is pulled
            db.upgrade()
            _databases[where] = db
        return db


def version(db: Database | PostgresDatabase | None = None) -> Hashable:
    """Changes whenever a writer publishes (a new file; a new data version in PostgreSQL)."""
    return (db or database()).version()


def _cache_key(db: Database | PostgresDatabase, fn: Callable, args: tuple, kwargs: dict) -> Hashable:
    where = getattr(db, "url", None) or str(db.path)
    view = _view(db, args)  # a province's replica may be at another version than the national one
    return (fn.__module__, fn.__qualname__, where, version(view), args, tuple(sorted(kwargs.items())))


def _view(db: Database | PostgresDatabase, args: tuple) -> Database | PostgresDatabase:
    """What a query reads: with PostgreSQL, for a province-scoped viewer (``Filters.scope_province``), a
    replica pulled under row-level security that holds that province's rows only."""
    if isinstance(db, PostgresDatabase):
        province = next((a.scope_province for a in args if isinstance(a, Filters) and a.scope_province), None)
        if province:
            return db.scoped(province)
    return db


def _compute(db: Database, cache_key: Hashable, fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
    """Run one query on this thread's snapshot and keep its result (the caller holds ``_running``)."""
    try:
        result = fn(_view(db, args).reader(), *args, **kwargs)
        with _lock:
            _results[cache_key] = result
            while len(_results) > MAX_ENTRIES:
                _results.popitem(last=False)
        return result
    finally:
        with _lock:
            _running.pop(cache_key, None)


def query(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(reader, *args, **kwargs)`` (a function of ``queries``), cached per database version.

    Arguments must be hashable (``Filters`` is a frozen dataclass). A call that ``prefetch`` (or
    another viewer) already started is waited for.
    """
    db = database()
    cache_key = _cache_key(db, fn, args, kwargs)
    with _lock:
        if cache_key in _results:
            _results.move_to_end(cache_key)
            return _results[cache_key]
        running = _running.get(cache_key)
        if running is None:  # run it here; others asking meanwhile wait on this future
            _running[cache_key] = own = Future()
    if running is not None:
        return running.result()
    try:
        result = _compute(db, cache_key, fn, args, kwargs)
    except BaseException as error:
        own.set_exception(error)
        raise
    own.set_result(result)
    return result


def prefetch(*calls: tuple) -> None:
    """Start these queries in the background, each given as ``(fn, *args)`` as ``query`` takes it;
    the page's ``query`` calls then wait for them. Calls already cached or running are skipped."""
    db = database()
    for fn, *args in calls:
        cache_key = _cache_key(db, fn, tuple(args), {})
        with _lock:
            if cache_key in _results or cache_key in _running:
                continue
            _running[cache_key] = _pool.submit(_compute, db, cache_key, fn, tuple(args), {})


def clear_cache() -> None:
    with _lock:
        _results.clear()
