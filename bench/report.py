"""Report benchmark: time the quarterly report (.docx with charts) and its appendix for one province and period.

    python bench/report.py [--db FILE] [--province NAME] [--period 2022-Q3] [--runs 3] [--demo | --fixture]

Without ``--db`` it builds a database in a temporary folder: the demo data (``--demo``, the default:
the real plans and generated reports, through the real ingest) or the small test fixture
(``--fixture``). Without ``--province`` / ``--period`` it takes the province and period with the most
tasks. Prints the time of each phase per run; the target is under 10 s for the whole report.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from etl.store.db import Database  # noqa: E402
from reports import figures  # noqa: E402
from reports.appendix import build_appendix  # noqa: E402
from reports.data import collect  # noqa: E402
from reports.docx_report import build_quarterly_report  # noqa: E402
from reports.images import figures_to_png  # noqa: E402
from reports.scope import report_filters  # noqa: E402


def build_database(folder: Path, fixture: bool) -> Path:
    path = folder / "bench_report.duckdb"
    if fixture:
        from tests.fixture_db import build_fixture_db

        build_fixture_db(path)
    else:
        from demo import ensure_demo_data

        ensure_demo_data(Database(path), archive_dir=folder / "archive")
    return path


def busiest(conn) -> tuple[str, str]:
    """The current province and period code with the most task rows."""
    row = conn.execute(
        """SELECT s.province, s.period_year, s.period_kind, s.period_index, count(*) AS n
FROM report_tasks t JOIN submissions s USING (submission_id) WHERE s.superseded_by IS NULL
GROUP BY ALL ORDER BY n DESC LIMIT 1"""
    ).fetchone()
    province, year, kind, index, _ = row
    return province, str(year) if kind == "Y" else f"{year}-9M" if kind == "9M" else f"{year}-{kind}{index}"


def run_once(conn, filters) -> dict[str, float]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    data = collect(conn, filters)
    timings["queries"] = time.perf_counter() - started
    charts = [figures.status_figure(data.status), figures.unit_figure(data.by_unit.tail(20)),
              figures.topic_figure(data.by_topic)]  # fmt: skip
    mark = time.perf_counter()
    figures_to_png(charts)
    timings["chart images alone"] = time.perf_counter() - mark
    mark = time.perf_counter()
    build_quarterly_report(conn, filters)
    timings["report .docx (queries + images + document)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    build_appendix(conn, filters)
    timings["appendix .xlsx"] = time.perf_counter() - mark
    timings["report + appendix"] = (
        timings["report .docx (queries + images + document)"] + timings["appendix .xlsx"]
    )
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--province")
    parser.add_argument("--period")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--fixture", action="store_true", help="the small test fixture instead of the demo data"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        db_path = args.db or build_database(Path(tmp), args.fixture)
        conn = Database(db_path).reader()
        province, period = busiest(conn)
        filters = report_filters(conn, args.province or province, args.period or period)
        n_tasks = conn.execute("SELECT count(*) FROM report_tasks").fetchone()[0]
        print(f"database: {db_path} ({n_tasks} task rows); report: {filters.province}, {filters.period}, "
              f"judged on {filters.as_of}")  # fmt: skip
        runs = [run_once(conn, filters) for _ in range(args.runs)]
        for phase in runs[0]:
            values = [r[phase] for r in runs]
            print(
                f"{phase:45s} "
                + "  ".join(f"{v:6.2f}s" for v in values)
                + f"   median {statistics.median(values):.2f}s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
