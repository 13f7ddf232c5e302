"""The one place that opens the database.

DuckDB lets one process hold a file read-write and then locks every other process out,
readers included. So nobody ever writes the live file in place:

* a writer takes an exclusive ``flock`` on ``<db>.lock`` (writers queue, they never fail),
  copies the live file to ``<db>.tmp-<pid>``, writes there, checkpoints, and renames the
  copy over the live file (``os.replace`` is atomic on POSIX);
* readers open the live file ``read_only`` for a short time; a reader that holds the
  old file keeps reading the old snapshot, the next open sees the new one.

Readers never meet a lock and never see half a batch; a crashed writer leaves the live
file untouched, and the next writer deletes the copy it left (``remove_stale_copies``). The cost
is one file copy per write batch, which is small next to parsing the spreadsheets.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pyarrow

from etl import settings

# load_log.loaded_by of the demo reports (TTDN_ANONYMOUS=demo looks for others); here, not in
# ``load``, so that the queries read it without importing the ingest.
DEMO_LOADER = "demo"
SCHEMA = (Path(__file__).with_name("schema.sql")).read_text(encoding="utf-8")
# Changes whenever schema.sql does: a file written under another schema is upgraded (``upgrade``).
SCHEMA_VERSION = hashlib.sha256(SCHEMA.encode()).hexdigest()[:16]
# Tables computed from the others (``<name>_live`` views in schema.sql), stored by every writer
# in this order (a later one may read an earlier one).
DERIVED_TABLES = (
    "submission_info",
    "latest_rows",
    "no_report_rows",
    "submission_status_counts",
    "unit_names",
    "filter_choices",
    "province_periods",
    "period_status_counts",
)


def default_path() -> Path:
    return settings.path("TTDN_DB")


def apply_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create tables, macros and views if missing (idempotent; nothing to do on a file written under
    this schema version).

    The derived tables of a file written under another schema are dropped first, so that they are
    built again in this schema's shape, and its stored judgements are cleared.
    """
    version = stored_schema_version(conn)
    if version == SCHEMA_VERSION:
        return  # written under this schema: every table, view and macro is there
    for name in DERIVED_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {name}")
    conn.execute(SCHEMA)
    # the status rules may have changed: judge every row again on publish
    conn.execute("UPDATE report_tasks SET status_at_end = NULL WHERE status_at_end IS NOT NULL")


def stored_schema_version(conn: duckdb.DuckDBPyConnection) -> str | None:
    """The schema version of the file ``conn`` uses (None: new file, or written before versions)."""
    try:  # asked directly: a catalog query costs ~20 ms on a connection just opened (each writer's)
        rows = conn.execute("SELECT schema_version FROM schema_info").fetchall()
    except duckdb.CatalogException:
        return None
    return rows[0][0] if rows else None


# A report row's status class on its period's last day never changes: it is stored once per row.
_JUDGE_AT_PERIOD_END = """UPDATE report_tasks t
SET status_at_end = status_class(t.status_reported, t.pct_done, t.completed_on, t.due_date, t.due_kind,
    period_end(s.period_year, s.period_kind, s.period_index))
FROM submissions s WHERE t.submission_id = s.submission_id AND t.status_at_end IS NULL"""


def refresh_derived(conn: duckdb.DuckDBPyConnection) -> None:
    """Store the derived tables from the data as it now is, and the schema they were built with;
    judge the new report rows on their period's last day (``status_at_end``)."""
    conn.execute(_JUDGE_AT_PERIOD_END)
    for name in DERIVED_TABLES:
        conn.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_live")
    conn.execute("CREATE OR REPLACE TABLE schema_info AS SELECT ? AS schema_version", [SCHEMA_VERSION])


class Database:
    """Connections to one database file: short read-only snapshots, one queued writer."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_path()
        self._snapshots: dict[int, tuple[duckdb.DuckDBPyConnection, tuple[int, int] | None]] = {}
        self._lock = threading.Lock()
        self._idle: list[duckdb.DuckDBPyConnection] = []  # current snapshots no thread holds
        self._idle_identity: tuple[int, int] | None = None

    # -- reading -------------------------------------------------------------------
    def _identity(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return (stat.st_ino, stat.st_mtime_ns)

    def exists(self) -> bool:
        return self._identity() is not None

    def version(self) -> tuple[int, int] | None:
        """What caches are keyed on: changes whenever a writer publishes a new file."""
        return self._identity()

    def reader(self) -> duckdb.DuckDBPyConnection:
        """A read-only snapshot connection for this thread, reopened when a writer swapped the file.

        DuckDB shares one database instance per path inside a process, so a plain
        ``connect(path, read_only=True)`` could hand back the old file while another thread
        still holds it. Each snapshot is therefore a private in-memory database that ATTACHes
        the live file read-only (``USE`` makes its tables, views and macros the defaults).
        Use the connection itself, not ``.cursor()``: a cursor does not inherit ``USE``; one
        connection per thread is what keeps threads apart. Creates an empty database first
        if there is none, so pages can always query.
        """
        identity = self._identity()
        if identity is None:
            with self.writer():
                pass
            identity = self._identity()
        key = threading.get_ident()
        with self._lock:
            cached = self._snapshots.get(key)
            if cached is not None and cached[1] == identity:
                return cached[0]
            self._prune(key, identity)
            if self._idle:
                conn = self._idle.pop()
                self._snapshots[key] = (conn, identity)
                return conn
        conn = duckdb.connect(":memory:")
        conn.execute(f"ATTACH '{_sql_string(self.path)}' AS snapshot (READ_ONLY)")
        conn.execute("USE snapshot")
        with self._lock:
            self._snapshots[key] = (conn, identity)
        return conn

    def _prune(self, current: int, identity: tuple[int, int] | None) -> None:
        """Release the snapshots of this thread and of threads that have ended: still-current ones
        are kept for the next thread (Streamlit runs each rerun in a new thread), stale ones closed."""
        if self._idle_identity != identity:
            for conn in self._idle:
                conn.close()
            self._idle, self._idle_identity = [], identity
        alive = {t.ident for t in threading.enumerate()}
        for key in [k for k in self._snapshots if k == current or k not in alive]:
            conn, seen = self._snapshots.pop(key)
            if seen == identity and key != current:
                self._idle.append(conn)
            else:
                conn.close()

    def upgrade(self) -> bool:
        """Rewrite a file written by an older version of the schema (new macros, derived tables).

        Readers never change the file, so a process that only reads (the dashboard) calls this once
        at start. Returns whether the file was rewritten.
        """
        if self.exists() and stored_schema_version(self.reader()) == SCHEMA_VERSION:
            return False
        with self.writer():
            pass
        return True

    def close(self) -> None:
        with self._lock:
            for conn in [c for c, _ in self._snapshots.values()] + self._idle:
                conn.close()
            self._snapshots.clear()
            self._idle = []

    # -- writing -------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """The writers' lock (``<db>.lock``): while it is held no writer publishes (writers queue)."""
        with _flock(self.path.with_name(self.path.name + ".lock")):
            yield

    @contextlib.contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """One holder of ``name`` at a time across processes and threads (``<db>.<name>.lock``), e.g. the
        demo loader; not the writers' lock. ``PostgresDatabase.exclusive`` is the same across machines."""
        with _flock(self.path.with_name(f"{self.path.name}.{name}.lock")):
            yield

    @contextlib.contextmanager
    def writer(
        self, after_publish: Callable[[], None] | None = None, threads: int | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection on a private copy, published atomically on success;
        ``after_publish`` runs once the copy is the live file, still under the lock. ``threads``:
        DuckDB's threads for this connection (default: DuckDB's, one per core)."""
        with self.lock():
            remove_stale_copies(self.path)
            tmp = self.path.with_name(f"{self.path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
            tmp.unlink(missing_ok=True)
            if self.path.exists():
                shutil.copyfile(self.path, tmp)
            conn = duckdb.connect(str(tmp), config={"threads": threads} if threads else {})
            try:
                apply_schema(conn)
                yield conn
                refresh_derived(conn)
                conn.execute("CHECKPOINT")
                conn.close()
                _fsync(tmp)
                os.replace(tmp, self.path)
                if after_publish is not None:
                    after_publish()
            except BaseException:
                conn.close()
                tmp.unlink(missing_ok=True)
                raise
            finally:
                tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)


_HELD_LOCKS: set[int] = set()  # descriptors of the lock files this process holds or waits for


@contextlib.contextmanager
def _flock(path: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``path`` (created if missing), waited for."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as lock:
        _HELD_LOCKS.add(lock.fileno())
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
        finally:
            _HELD_LOCKS.discard(lock.fileno())


def _drop_inherited_locks() -> None:
    """In a process forked while a lock is held (a bulk load's checking worker, forked while a batch is
    published): close its copies of the lock files. A ``flock`` belongs to the open file, which a fork
    shares: the child's copy would keep the lock after the parent releases it, and the parent's next
    writer would wait for it forever. Closing the copy leaves the parent's lock as it is."""
    for fd in list(_HELD_LOCKS):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_drop_inherited_locks)


def remove_stale_copies(path: Path) -> list[Path]:
    """Delete the private copies (``<db>.tmp-…`` and their ``.wal``) a killed writer left behind.

    Only called under the writer lock: every writer makes its copy under the lock, so any copy
    found then belongs to a writer that died. Returns what was removed.
    """
    stale = sorted(path.parent.glob(f"{glob.escape(path.name)}.tmp-*"))
    for leftover in stale:
        leftover.unlink(missing_ok=True)
    return stale


def insert_table(
    conn: duckdb.DuckDBPyConnection, table: str, data: pyarrow.Table, on_conflict: str = ""
) -> None:
    """One INSERT of all the rows of ``data`` into ``table`` (its columns by name): bind parameters
    would cost a statement per row. ``on_conflict``: an ``ON CONFLICT …`` clause (an upsert)."""
    with registered(conn, "_new_rows", data):
        conn.execute(
            f"INSERT INTO {table} ({', '.join(data.column_names)}) SELECT * FROM _new_rows {on_conflict}"
        )


@contextlib.contextmanager
def registered(conn: duckdb.DuckDBPyConnection, name: str, data: pyarrow.Table) -> Iterator[None]:
    """``data`` readable as the view ``name`` in statements on ``conn`` while the block runs."""
    conn.register(name, data)
    try:
        yield
    finally:
        with contextlib.suppress(duckdb.Error):  # an aborted transaction refuses it; the caller rolls back
            conn.unregister(name)


def _sql_string(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_database(url: str | None = None, path: Path | str | None = None):
    """The store the settings name: PostgreSQL when ``url`` (default ``TTDN_DATABASE_URL``) is a
    ``postgresql://`` URL (``etl.store.postgres``), else the DuckDB file ``path`` (default ``TTDN_DB``).
    Both give ``reader()``, ``writer()``, ``lock()``, ``exists()``, ``upgrade()``, ``version()``, ``close()``."""
    url = settings.get("TTDN_DATABASE_URL") if url is None else url
    if url:
        from etl.store.postgres import PostgresDatabase, is_postgres_url

        if not is_postgres_url(url):
            raise ValueError(
                f"TTDN_DATABASE_URL phải bắt đầu bằng postgresql:// (đang là {url.split(':', 1)[0]}:…)"
            )
        return PostgresDatabase(url, path=path)
    return Database(path)
