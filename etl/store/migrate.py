"""Moving an install from the DuckDB file to PostgreSQL (``python -m etl migrate --to postgresql://…``).

Every base table is copied in one PostgreSQL transaction (Arrow through ADBC's bulk ingest), under the
writers' advisory lock; the archive references stay paths into the archive folder. A target that holds
data is refused unless ``replace`` is given (then its report data is emptied first, in the same
transaction). Afterwards ``compare`` reads both stores as the dashboard does and lists, per table and
per province, what each holds: the counts must be equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg

from etl.store.db import Database
from etl.store.postgres import BASE_TABLES, PostgresDatabase, _columns

# Per province, as the dashboard counts on today's date: tasks, done (on time, late, undated), overdue.
KPI_SQL = """SELECT province,
    count(*) AS n_tasks,
    count(*) FILTER (WHERE status_class LIKE 'done%') AS n_done,
    count(*) FILTER (WHERE status_class = 'overdue') AS n_overdue
FROM v_task_progress GROUP BY province ORDER BY province"""


class MigrationError(Exception):
    """The target is not empty, or the copy does not match its source."""


@dataclass
class Comparison:
    """What the source and the target hold: (name, in the DuckDB file, in PostgreSQL) per line."""

    lines: list[tuple[str, object, object]]

    @property
    def equal(self) -> bool:
        return all(a == b for _, a, b in self.lines)


def migrate(source: Database, url: str, replace: bool = False) -> Comparison:
    """Copy the DuckDB install ``source`` into the PostgreSQL database ``url``; returns the comparison."""
    if not source.exists():
        raise MigrationError(f"Không có cơ sở dữ liệu DuckDB '{source.path}' để chuyển.")
    source.upgrade()  # a file of an older schema gets this version's columns first
    target = PostgresDatabase(url, path=source.path)
    with target.lock() as pg:
        counts = {t: pg.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in BASE_TABLES}
        pg.commit()  # the copy truncates these tables from another connection
        if any(counts.values()) and not replace:
            held = ", ".join(f"{t}: {n}" for t, n in counts.items() if n)
            raise MigrationError(
                f"CSDL PostgreSQL đích đã có dữ liệu ({held}); không ghi đè. Dùng --replace để thay toàn bộ."
            )
        _copy(source.path, url)
    comparison = compare(source, target)
    target.close()
    return comparison


def _copy(path: Path, url: str) -> None:
    """Every base table of the file into PostgreSQL, one transaction, the data version bumped."""
    import adbc_driver_postgresql.dbapi as adbc

    duck = duckdb.connect(":memory:")
    duck.execute(f"ATTACH '{str(path.resolve()).replace(chr(39), chr(39) * 2)}' AS src (READ_ONLY)")
    try:
        with adbc.connect(url) as pg, pg.cursor() as cur:
            cur.execute(f"TRUNCATE {', '.join(BASE_TABLES)}")
            cur.execute("UPDATE data_version SET version = version + 1 RETURNING version")
            version = int(cur.fetchone()[0])
            for table in BASE_TABLES:
                cols = ", ".join(_columns(duck, table, "src"))
                data = duck.sql(f"SELECT {cols} FROM src.main.{table}").to_arrow_table()
                if data.num_rows == 0:
                    continue
                # bulk ingest (COPY) into a temporary table: COPY into a table with row-level security
                # is refused
                cur.adbc_ingest(f"_new_{table}", data, mode="create", temporary=True)
                written = (", written_version", f", {version}") if table == "report_tasks" else ("", "")
                cur.execute(
                    f"INSERT INTO {table} ({cols}{written[0]}) SELECT {cols}{written[1]} FROM _new_{table}"
                )
                cur.execute(f"DROP TABLE _new_{table}")
            pg.commit()
    finally:
        duck.close()


def compare(source: Database, target: PostgresDatabase) -> Comparison:
    """Rows per base table, and tasks / done / overdue per province as the dashboard counts them."""
    lines: list[tuple[str, object, object]] = []
    conn = source.reader()
    with psycopg.connect(target.url) as pg:
        for table in BASE_TABLES:
            here = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            there = pg.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            lines.append((table, here, there))
    before = {r[0]: r[1:] for r in conn.execute(KPI_SQL).fetchall()}
    after = {r[0]: r[1:] for r in target.reader().execute(KPI_SQL).fetchall()}
    for province in sorted(before.keys() | after.keys()):
        lines.append(
            (f"{province}: nhiệm vụ / hoàn thành / quá hạn", before.get(province), after.get(province))
        )
    return Comparison(lines)
