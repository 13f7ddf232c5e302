"""The sidebar's choices for a national viewer and for a province-scoped one, and one alias edit of
the unit directory, at 10k and 1M report rows (the database of ``bench/dashboard.py``).

Prints milliseconds (median of 5): ``choices`` reads the one stored row of ``filter_choices``; the
scoped call adds the province's years (``submissions``) and topics (its rows of ``report_tasks``).
``alias add`` is one ``add_alias`` through the writer (copy, write, derived tables, publish).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _ms(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 1_000_000])
    args = parser.parse_args()
    from bench.dashboard import build
    from etl.store.db import Database
    from etl.store.unit_aliases import add_alias, list_units, remove_alias
    from queries import options

    for rows in args.rows:
        with tempfile.TemporaryDirectory(prefix="ttdn-bench-") as tmp:
            path = Path(tmp) / "bench.duckdb"
            n = build(path, rows)
            db = Database(path)
            conn = db.reader()
            province = conn.execute("SELECT min(province) FROM submissions").fetchone()[0]
            national = _ms(lambda c=conn: options.choices(c))
            scoped = _ms(lambda c=conn, p=province: options.choices(c, p))
            with db.writer() as w:  # the bench database has no directory: one unit to edit
                w.execute(
                    "INSERT INTO units (canonical_name, province) VALUES ('Sở Ngoại vụ', ?)", [province]
                )
            unit_id = list_units(db.reader())[0].unit_id
            started = time.perf_counter()
            add_alias(db, unit_id, "Phòng Ngoại vụ tỉnh", by="bench", allowed=lambda p, u: True)
            added = (time.perf_counter() - started) * 1000
            remove_alias(db, unit_id, "Phòng Ngoại vụ tỉnh", by="bench", allowed=lambda p, u: True)
            size = path.stat().st_size / 2**20
            print(f"{n:>9} rows ({size:.0f} MiB): choices national {national:.1f} ms, "
                  f"scoped to {province} {scoped:.1f} ms; alias add {added:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
