"""PostgreSQL as the shared store (``TTDN_DATABASE_URL``), DuckDB still the in-process engine.

PostgreSQL holds the base tables (``schema_pg.sql``: submissions, report rows, plans, units, the load
log, column corrections, events) and a ``data_version`` that every write bumps. Each app instance keeps
a **replica**: an in-memory DuckDB database with those tables pulled through ADBC (Arrow), the macros
and views of ``schema.sql`` and its derived tables, so ``queries/`` and the pages run unchanged.

* ``reader()``: a cursor on the current replica for this thread. The data version is asked at most
  every ``CHECK_SECONDS``; when another instance wrote, the next reader pulls a new replica (a load in
  one instance shows in the others within a few seconds). A reader that holds an older replica keeps
  reading it (a snapshot), until its thread asks again.
* ``writer()``: under the writers' advisory lock (writers queue, across machines), a private copy of
  the up-to-date replica inside the same DuckDB instance; the write code of ``etl.store`` runs on it
  unchanged. On success the difference with the replica (rows added, changed, removed; by primary key)
  goes to PostgreSQL in **one transaction** with the version bump, and the copy, its derived tables
  refreshed, becomes the new replica: the instance that wrote does not pull again. A failed write
  leaves PostgreSQL and the replica untouched.

Why not write with SQL ported to PostgreSQL: the write path (versions, linking, plan import, column
corrections, unit seeding) would exist twice; a diff of two DuckDB copies is computed in-process.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import psycopg

from etl import settings
from etl.store.db import _JUDGE_AT_PERIOD_END, SCHEMA, refresh_derived, registered
from etl.store.store import TASK_COLUMNS as _WRITTEN_TASK_COLUMNS
from etl.vocab.provinces import PROVINCES_CSV

PG_SCHEMA = (Path(__file__).with_name("schema_pg.sql")).read_text(encoding="utf-8")
CHECK_SECONDS = 2.0
# Base tables in the order they are written (a row's parent first: row-level security fills the
# province of report rows and plan tasks from their submission and plan), with their primary key
# (None: append-only, rows are only ever added).
BASE_TABLES: dict[str, tuple[str, ...] | None] = {
    "submissions": ("submission_id",),
    "report_tasks": ("submission_id", "row_no"),
    "load_log": None,
    "file_columns": None,
    "column_overrides": ("province_legacy", "reporting_unit", "header_fingerprint", "col_offset"),
    "submission_events": None,
    "units": ("unit_id",),
    "unit_aliases": ("unit_id", "alias"),
    "unit_alias_edits": ("unit_id", "alias"),
    "plans": ("plan_id",),
    "plan_tasks": ("plan_task_id",),
}
SEQUENCES = {
    "seq_submission": ("submissions", "submission_id"),
    "seq_plan": ("plans", "plan_id"),
    "seq_plan_task": ("plan_tasks", "plan_task_id"),
    "seq_unit": ("units", "unit_id"),
}
TASK_COLUMNS = (*_WRITTEN_TASK_COLUMNS, "status_at_end")  # report_tasks in schema.sql's column order
_LOCK_KEY = 0x7474_646E  # 'ttdn': the writers' advisory lock
_names = itertools.count(1)


class StoreUnavailable(Exception):
    """PostgreSQL cannot be reached; the message says so in Vietnamese (pages, CLI)."""

    def __init__(self, url: str, error: Exception):
        host = url.rpartition("@")[2].split("/")[0] or url
        super().__init__(
            f"Không kết nối được máy chủ cơ sở dữ liệu PostgreSQL ({host}). Hãy thử lại sau ít phút; nếu "
            f"vẫn lỗi, báo người quản trị kiểm tra máy chủ và địa chỉ TTDN_DATABASE_URL. ({type(error).__name__})"
        )


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and url.startswith(("postgresql://", "postgres://"))


# The province of rows stored before their table had one (row-level security), once province_names is
# filled; a row of no loaded file keeps none (national connections only).
_FILL_PROVINCES = """
UPDATE load_log l SET province = s.province FROM submissions s
    WHERE l.province IS NULL AND l.submission_id = s.submission_id;
UPDATE load_log l SET province = s.province FROM submissions s
    WHERE l.province IS NULL AND l.sha256 = s.sha256;
UPDATE submission_events e SET province = s.province FROM submissions s
    WHERE e.province IS NULL AND e.submission_id = s.submission_id;
UPDATE file_columns f SET province = s.province FROM submissions s
    WHERE f.province IS NULL AND f.sha256 = s.sha256;
UPDATE column_overrides SET province = ttdn_current_province(province_legacy) WHERE province IS NULL;
UPDATE units SET province_current = ttdn_current_province(province) WHERE province_current IS NULL;
UPDATE unit_aliases a SET province = u.province_current FROM units u
    WHERE a.province IS NULL AND a.unit_id = u.unit_id;
"""


def apply_pg_schema(conn: psycopg.Connection) -> None:
    """Create the tables, triggers and policies if missing (idempotent); the legacy → current province
    names (``data/reference/provinces.csv``) that row-level security keys the unit directory and the
    column corrections on."""
    with PROVINCES_CSV.open(encoding="utf-8-sig", newline="") as handle:
        names = [(row["legacy_name"], row["name"]) for row in csv.DictReader(handle)]
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY + 1])
        conn.execute(PG_SCHEMA)
        conn.execute(
            "INSERT INTO province_names SELECT * FROM unnest(%s::text[], %s::text[]) "
            "ON CONFLICT (legacy_name) DO UPDATE SET name = excluded.name",
            [[legacy for legacy, _ in names], [name for _, name in names]],
        )
        conn.execute(_FILL_PROVINCES)


def pg_data_version(conn: psycopg.Connection) -> int:
    return conn.execute("SELECT version FROM data_version").fetchone()[0]


class PostgresDatabase:
    """The report data in PostgreSQL, read through an in-process DuckDB replica (see the module doc).

    ``province``: a province-scoped view (row-level security): the replica is pulled with
    ``ttdn.province`` set, so it holds that province's rows only.
    """

    def __init__(self, url: str, province: str | None = None, path: Path | str | None = None):
        self.url = url
        self.province = province
        # local state of this machine (the archive journal of a batch being written), as for DuckDB
        self.path = Path(path) if path else settings.path("TTDN_DB")
        self._duck = duckdb.connect(":memory:")
        self._lock = threading.RLock()
        self._replica: str | None = None  # name of the attached database readers use
        self._replica_version = -1
        self._retired: list[str] = []  # previous replicas, detached a while later
        self._cursors: dict[int, tuple[duckdb.DuckDBPyConnection, str]] = {}
        self._checked_at = 0.0
        self._known_version = -1
        self._pg: psycopg.Connection | None = None
        self._schema_ready = False
        self._scoped: dict[str, PostgresDatabase] = {}
        # pull newer data in a thread while readers keep the replica they have (the app sets it)
        self.background = False
        self._pulling = threading.Lock()  # one pull at a time
        self._puller: threading.Thread | None = None
        self._pull_error: Exception | None = None

    def scoped(self, province: str) -> PostgresDatabase:
        """The province-scoped view of this store (one per province, kept): its replica holds that
        province's rows only, as PostgreSQL's row-level security lets them through."""
        with self._lock:
            view = self._scoped.get(province)
            if view is None:
                view = self._scoped[province] = PostgresDatabase(self.url, province, self.path)
                view.background = self.background
            return view

    def __repr__(self) -> str:
        return f"PostgresDatabase({_without_password(self.url)!r}, province={self.province!r})"

    # -- PostgreSQL ----------------------------------------------------------------------------------
    def connect(self, **kwargs) -> psycopg.Connection:
        """A new psycopg connection, scoped to ``province`` when this view is (set when the connection
        starts, so that no rollback undoes it)."""
        return psycopg.connect(self.url, **province_options(self.province), **kwargs)

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                apply_pg_schema(conn)
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(self.url, exc) from exc
        self._schema_ready = True

    def data_version(self, max_age: float | None = None) -> int:
        """The data version in PostgreSQL, asked at most every ``max_age`` seconds (``CHECK_SECONDS``)."""
        max_age = CHECK_SECONDS if max_age is None else max_age
        with self._lock:
            if time.monotonic() - self._checked_at < max_age and self._known_version >= 0:
                return self._known_version
            self._ensure_schema()
            for attempt in (1, 2):
                try:
                    if self._pg is None or self._pg.closed:
                        self._pg = psycopg.connect(self.url, autocommit=True)
                    self._known_version = pg_data_version(self._pg)
                    break
                except psycopg.OperationalError as exc:
                    self._pg = None
                    if attempt == 2:
                        raise StoreUnavailable(self.url, exc) from exc
            self._checked_at = time.monotonic()
            return self._known_version

    def version(self) -> int:
        """What caches are keyed on: the data version of the replica readers get now."""
        self._current_replica()
        return self._replica_version

    def exists(self) -> bool:
        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                return conn.execute("SELECT to_regclass('data_version') IS NOT NULL").fetchone()[0]
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(self.url, exc) from exc

    def upgrade(self) -> bool:
        """Create the schema in PostgreSQL if missing (the replica always gets this version's macros)."""
        self._ensure_schema()
        return False

    # -- reading -------------------------------------------------------------------------------------
    def _current_replica(self, wait: bool = False) -> str:
        """The replica readers get now. When PostgreSQL holds newer data: pulled here when there is no
        replica yet, or ``wait`` (a writer), or this view does not pull in the background; else the
        pull starts in a thread and readers keep the replica they have until it is installed."""
        with self._lock:
            if self._pull_error is not None:
                error, self._pull_error = self._pull_error, None
                raise error
            version = self.data_version()
            if self._replica is not None and version == self._replica_version:
                return self._replica
            if self._replica is not None and self.background and not wait:
                if self._puller is None or not self._puller.is_alive():
                    self._puller = threading.Thread(
                        target=self._pull_in_background, name="ttdn-pull", daemon=True
                    )
                    self._puller.start()
                return self._replica
        with self._pulling:
            with self._lock:
                if self._replica is not None and self.data_version() == self._replica_version:
                    return self._replica
            self._install(*self._pull())
            return self._replica

    def _pull_in_background(self) -> None:
        try:
            with self._pulling:
                if self.data_version() != self._replica_version:
                    self._install(*self._pull())
        except Exception as error:  # noqa: BLE001 - raised again by the next reader
            self._pull_error = error

    def reader(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the current replica for this thread (pulled again when PostgreSQL has newer data)."""
        name = self._current_replica()
        key = threading.get_ident()
        with self._lock:
            cached = self._cursors.get(key)
            if cached is not None and cached[1] == name:
                return cached[0]
            cursor = self._duck.cursor()
            cursor.execute(f"USE {name}")
            self._cursors[key] = (cursor, name)
            alive = {t.ident for t in threading.enumerate()}
            for k in [k for k in self._cursors if k not in alive]:
                self._cursors.pop(k)[0].close()
            return cursor

    def _pull(self, full: bool = False) -> tuple[str, int]:
        """A new replica from PostgreSQL: (its name, its data version). One repeatable-read transaction,
        so the tables and the version agree. With a replica already here, only the report rows written
        since its version travel (``written_version``); the other tables are small and pulled whole."""
        import adbc_driver_postgresql.dbapi as adbc

        old, since = (self._replica, self._replica_version) if not full else (None, -1)
        name = f"r{next(_names)}"
        cursor = self._duck.cursor()
        with adbc.connect(self.url, autocommit=True) as pg, pg.cursor() as cur:
            cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            if self.province is not None:
                cur.execute(f"SET LOCAL ttdn.province = {_pg_literal(self.province)}")
            cur.execute("SELECT version FROM data_version")
            version = cur.fetchone()[0]
            task_columns = ", ".join(TASK_COLUMNS)
            if old is not None:
                cur.execute(f"SELECT {task_columns} FROM report_tasks WHERE written_version > {int(since)}")
                tasks = cur.fetch_arrow_table()
                cur.execute("SELECT count(*) FROM report_tasks")
                n_tasks = cur.fetchone()[0]
                cursor.register("_tasks", tasks)
                tasks_sql = (
                    f"SELECT * FROM {old}.main.report_tasks ANTI JOIN _tasks USING (submission_id, row_no) "
                    "UNION ALL SELECT * FROM _tasks"
                )
            else:
                cur.execute(f"SELECT {task_columns} FROM report_tasks")
                cursor.register("_tasks", cur.fetch_arrow_table())
                tasks_sql, n_tasks = "SELECT * FROM _tasks", None
            self._new_database(cursor, name, {}, tasks_sql)
            cursor.unregister("_tasks")
            for table in BASE_TABLES:
                if table == "report_tasks":
                    continue
                cur.execute(f"SELECT {', '.join(_columns(cursor, table))} FROM {table}")
                with registered(cursor, "_pulled", cur.fetch_arrow_table()):
                    cursor.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _pulled")
            cur.execute("COMMIT")
        if (
            n_tasks is not None
            and cursor.execute("SELECT count(*) FROM report_tasks").fetchone()[0] != n_tasks
        ):
            cursor.close()  # rows were removed in PostgreSQL: pull everything
            self._duck.execute(f"DETACH {name}")
            return self._pull(full=True)
        refresh_derived(cursor)
        cursor.close()
        return name, version

    def _new_database(
        self, cursor: duckdb.DuckDBPyConnection, name: str, starts: dict[str, int], tasks_sql: str
    ) -> None:
        """Attach an in-memory database ``name`` with this version's schema and make it ``cursor``'s;
        ``starts``: first sequence values; ``tasks_sql``: the report rows (a plain table, no index: it is
        only ever scanned)."""
        self._duck.execute(f"ATTACH ':memory:' AS {name}")
        cursor.execute(f"USE {name}")
        for sequence, start in starts.items():
            cursor.execute(f"CREATE SEQUENCE {sequence} START {int(start)}")
        cursor.execute(f"CREATE TABLE report_tasks AS {tasks_sql}")
        cursor.execute(SCHEMA)

    def _install(self, name: str, version: int) -> None:
        """Make ``name`` the replica readers get (unless a newer one is already here); detach the one
        before the previous."""
        with self._lock:
            if self._replica is not None and version < self._replica_version:
                self._duck.execute(f"DETACH {name}")
                return
            if self._replica is not None:
                self._retired.append(self._replica)
            self._replica, self._replica_version = name, version
            self._known_version = max(self._known_version, version)
            while len(self._retired) > 1:
                old = self._retired.pop(0)
                for key in [k for k, (_, n) in self._cursors.items() if n == old]:
                    self._cursors.pop(key)[0].close()
                self._duck.execute(f"DETACH {old}")

    def close(self) -> None:
        with self._lock:
            for view in self._scoped.values():
                view.close()
            self._scoped.clear()
            for cursor, _ in self._cursors.values():
                cursor.close()
            self._cursors.clear()
            if self._pg is not None:
                self._pg.close()
            self._duck.close()

    # -- writing -------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[psycopg.Connection]:
        """The writers' lock: a PostgreSQL advisory lock, so writers queue across instances and machines."""
        self._ensure_schema()
        with psycopg.connect(self.url) as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", [_LOCK_KEY])
            conn.commit()
            try:
                yield conn
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_KEY])
                conn.commit()

    @contextlib.contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """One holder of ``name`` at a time across processes and machines sharing this database (a
        session advisory lock keyed on the name), e.g. the demo loader; not the writers' lock. Once held,
        readers of this store get the newest data (what the previous holder wrote)."""
        self._ensure_schema()
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", [_LOCK_KEY, name])
            try:
                with self._lock:
                    self._checked_at = 0.0
                self._current_replica(wait=True)
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [_LOCK_KEY, name])

    @contextlib.contextmanager
    def writer(
        self, after_publish: Callable[[], None] | None = None, threads: int | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A DuckDB connection on a private copy of the up-to-date data; its changes are written to
        PostgreSQL in one transaction on success; ``after_publish`` runs then, still under the lock.
        ``threads`` is not applied: the copy lives in the DuckDB instance the pages' queries share."""
        if self.province is not None:
            raise PermissionError("a province-scoped view only reads")
        with self.lock() as pg:
            with self._lock:
                self._checked_at = 0.0  # under the writers' lock: the version now is the one to write on
            base = self._current_replica(wait=True)
            name = f"w{next(_names)}"
            starts = {
                seq: self._duck.execute(
                    f"SELECT coalesce(max({col}), 0) + 1 FROM {base}.main.{table}"
                ).fetchone()[0]
                for seq, (table, col) in SEQUENCES.items()
            }
            conn = self._duck.cursor()
            try:
                self._new_database(conn, name, starts, f"SELECT * FROM {base}.main.report_tasks")
                for table in BASE_TABLES:
                    if table != "report_tasks":
                        conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {base}.main.{table}")
                yield conn
                conn.execute(_JUDGE_AT_PERIOD_END)
                with pg.transaction():
                    version = push_changes(conn, pg, base, name)
                refresh_derived(conn)
                conn.close()
                self._install(name, version)
            except BaseException:
                conn.close()
                with contextlib.suppress(duckdb.Error):
                    self._duck.execute(f"DETACH {name}")
                raise
            if after_publish is not None:
                after_publish()


def push_changes(duck: duckdb.DuckDBPyConnection, pg: psycopg.Connection, old: str, new: str) -> int:
    """Write to PostgreSQL (caller holds the transaction) how the base tables of DuckDB database ``new``
    differ from those of ``old``; bump and return the data version.

    Tables with a key: rows whose key is new or whose content changed (a hash of the row) are written
    again (deleted, inserted), rows whose key is gone are deleted; append-only tables: the rows added.
    The report rows (a million and more) are compared by position instead (``_report_rows_changed``).
    """
    version = pg.execute("UPDATE data_version SET version = version + 1 RETURNING version").fetchone()[0]
    for table, key in BASE_TABLES.items():
        columns = _columns(duck, table, new)
        cols = ", ".join(columns)
        n, o = f"{new}.main.{table}", f"{old}.main.{table}"
        if key is None:
            gone = duck.execute(f"SELECT count(*) FROM (FROM {o} EXCEPT ALL FROM {n})").fetchone()[0]
            if gone:
                raise RuntimeError(f"{table} is append-only: {gone} rows would be removed")
            added = duck.execute(f"SELECT {cols} FROM {n} EXCEPT ALL SELECT {cols} FROM {o}").fetchall()
        else:
            keys = ", ".join(key)
            changed = table == "report_tasks" and _report_rows_changed(duck, n, o)
            if changed:  # none removed
                removed = []
            else:
                changed = (
                    f"SELECT {', '.join(f'n.{k}' for k in key)} FROM {n} n LEFT JOIN {o} o USING ({keys}) "
                    f"WHERE o.{key[0]} IS NULL OR hash(n) <> hash(o)"
                )
                removed = duck.execute(f"SELECT {keys} FROM {o} ANTI JOIN {n} USING ({keys})").fetchall()
            added = duck.execute(f"SELECT {cols} FROM {n} SEMI JOIN ({changed}) c USING ({keys})").fetchall()
            positions = [columns.index(k) for k in key]
            _delete_keys(pg, table, key, {tuple(row[i] for i in positions) for row in added} | set(removed))
        if added:
            _insert_rows(pg, table, columns, added, version)
    return version


# The columns of a stored report row that the write path changes (its updates of report_tasks: plan
# linking, the judgement on its period's last day); any other column is set once, when the row is added.
REPORT_ROW_UPDATES = ("plan_task_id", "match_score", "status_at_end")


def _report_rows_changed(duck: duckdb.DuckDBPyConnection, new: str, old: str) -> str | None:
    """SQL of the keys of the report rows added or changed in table ``new`` (a copy of ``old`` the write
    code then changed), or None when rows were removed or moved (then every row is compared).

    The copy keeps the rows in place: an update leaves a row where it is and an insert appends, so row
    ``rowid`` of both tables is the same report row, and only ``REPORT_ROW_UPDATES`` are compared; a
    read of a few narrow columns, not a hash of every row (0.15 s instead of 4 s at a million rows).
    """
    n_old, end, same_place = duck.execute(
        f"SELECT (SELECT count(*) FROM {old}), (SELECT coalesce(max(rowid) + 1, 0) FROM {old}), "
        f"count(*) FILTER (WHERE n.submission_id = o.submission_id AND n.row_no = o.row_no) "
        f"FROM {new} n JOIN {old} o ON n.rowid = o.rowid"
    ).fetchone()
    if same_place != n_old:
        return None
    differs = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in REPORT_ROW_UPDATES)
    return (
        f"SELECT n.submission_id, n.row_no FROM {new} n JOIN {old} o ON n.rowid = o.rowid WHERE {differs} "
        f"UNION ALL SELECT submission_id, row_no FROM {new} WHERE rowid >= {int(end)}"
    )


def _insert_rows(
    pg: psycopg.Connection, table: str, columns: list[str], rows: list[tuple], version: int
) -> None:
    """COPY into a temporary table (COPY into a table with row-level security is refused), then INSERT;
    report rows carry the data version that wrote them (incremental pulls)."""
    cols = ", ".join(columns)
    pg.execute(f"CREATE TEMP TABLE _new_rows (LIKE {table}) ON COMMIT DROP")
    with pg.cursor().copy(f"COPY _new_rows ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    if table == "report_tasks":
        pg.execute(
            f"INSERT INTO {table} ({cols}, written_version) SELECT {cols}, %s FROM _new_rows", [version]
        )
    else:
        pg.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _new_rows")
    pg.execute("DROP TABLE _new_rows")


def _delete_keys(pg: psycopg.Connection, table: str, key: tuple[str, ...], keys: set[tuple]) -> None:
    if not keys:
        return
    values = list(zip(*keys, strict=True))
    if len(key) == 1:
        pg.execute(f"DELETE FROM {table} WHERE {key[0]} = ANY(%s)", [list(values[0])])
        return
    unnest = ", ".join(f"%s::{_PG_KEY_TYPES.get(k, 'text')}[]" for k in key)
    pg.execute(
        f"DELETE FROM {table} WHERE ({', '.join(key)}) IN (SELECT * FROM unnest({unnest}))",
        [list(v) for v in values],
    )


_PG_KEY_TYPES = {
    "submission_id": "integer",
    "row_no": "integer",
    "col_offset": "integer",
    "unit_id": "integer",
}


def _columns(conn: duckdb.DuckDBPyConnection, table: str, database: str | None = None) -> list[str]:
    where = "database_name = current_database()" if database is None else f"database_name = '{database}'"
    return [
        r[0]
        for r in conn.execute(
            f"SELECT column_name FROM duckdb_columns() WHERE {where} AND schema_name = 'main' "
            "AND table_name = ? ORDER BY column_index",
            [table],
        ).fetchall()
    ]


def province_options(province: str | None) -> dict[str, str]:
    """psycopg.connect keyword that starts a connection scoped to ``province`` (row-level security)."""
    if province is None:
        return {}
    escaped = province.replace("\\", "\\\\").replace(" ", "\\ ")
    return {"options": f"-c ttdn.province={escaped}"}


def _pg_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _without_password(url: str) -> str:
    head, at, tail = url.rpartition("@")
    if not at or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, user = head.partition("//")
    return f"{scheme}//{user.split(':', 1)[0]}:***@{tail}"
