"""Server-side page times of the dashboard at 10k and 1M task-period rows (34 provinces, 10 years).

    .venv/bin/python bench/dashboard.py [--rows 10000 1000000] [--runs 5] [--backend duckdb postgres]

With ``--backend postgres`` the database is built as a DuckDB file, moved into a throw-away PostgreSQL
server (``tests/pg_server.py``, Debian's binaries) by ``etl.store.migrate``, and the pages read it
through ``TTDN_DATABASE_URL`` (an in-process DuckDB replica pulled by ADBC): ``pull_s`` is the first
full pull, ``write_s`` a small write (one unit added: diff, one transaction, the replica refreshed)
and ``catch_up_s`` another instance's incremental pull after it.

For each size, in a fresh process (so that RSS is that size's own): build a database with SQL
(plans, submissions, report rows linked to plan tasks, a few plan tasks nobody reported on), then
for each page of the dashboard report the median of ``--runs`` runs of:

* ``cold``: the page's script (app.py, the sidebar, the page) rerun with every query cache cleared
  first (what the first viewer after an upload, or after a change of filters, waits for), timed in
  the script thread: the server-side rerun, without AppTest's own polling and parsing nor the work
  AppTest adds to each run (``_as_on_the_server``);
* ``warm``: the same rerun with the caches filled (a widget on the page changed, or another viewer);
* ``queries``: the page's named queries called directly, uncached (the query part of ``cold``; the
  rest is the sidebar's choices, Streamlit and plotly);
* ``AppTest``: the cold rerun as AppTest's ``run()`` sees it, harness included;
* ``CPU``: the CPU time of the process (all threads) during a cold run (AppTest's own work included)
  and during the direct queries: on a machine other work keeps busy, wall-clock times swing with it,
  these much less, so they compare two versions better.

and the process RSS after the runs. Aggregation is in DuckDB; no page pulls the table into pandas.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = date(2025, 12, 31)
YEARS = range(2016, 2026)
N_PROVINCES = 34
PAGES = ["1_Tong_quan", "2_Theo_don_vi", "3_Theo_chu_de", "4_Theo_thoi_han", "5_Theo_tinh", "6_Nhiem_vu",
         "7_Tai_bao_cao", "8_Du_lieu"]  # fmt: skip


def shape(rows: int) -> tuple[int, int]:
    """(units per province, tasks per report) giving about ``rows`` rows over 34 × 10 years × 4 quarters."""
    per_period = rows / (N_PROVINCES * len(YEARS) * 4)
    units = max(1, round(per_period**0.5)) if per_period >= 25 else 1
    return units, max(1, round(per_period / units))


def build(path: Path, rows: int) -> int:
    """Write the benchmark database; returns its number of report rows."""
    from etl.store.db import Database
    from etl.vocab.provinces import all_current_provinces
    from queries.topics import TOPIC_ORDER

    units, tasks = shape(rows)
    provinces = all_current_provinces()[:N_PROVINCES]
    db = Database(path)
    with db.writer() as conn:
        conn.execute("CREATE TEMP TABLE p AS SELECT * FROM (SELECT unnest(?) AS name, generate_subscripts(?, 1) AS i)",
                     [provinces, provinces])  # fmt: skip
        conn.execute("CREATE TEMP TABLE topics AS SELECT unnest(?) AS t, generate_subscripts(?, 1) - 1 AS i",
                     [TOPIC_ORDER, TOPIC_ORDER])  # fmt: skip
        conn.execute(
            """INSERT INTO plans (plan_id, province, province_legacy, plan_year, title, plan_number, imported_at)
               SELECT row_number() OVER (), p.name, p.name, y, 'Kế hoạch TTĐN năm ' || y, p.i || '/KH-UBND', now()
               FROM p, range(?, ?) r(y)""",
            [YEARS.start, YEARS.stop],
        )
        # tasks + 2 plan tasks per plan: the last two are never reported ("Chưa báo cáo").
        conn.execute(
            """INSERT INTO plan_tasks (plan_task_id, plan_id, task_code, task_title, topic, lead_units,
                   coordinating_units, due_kind, due_date)
               SELECT row_number() OVER (), pl.plan_id, 'II.' || k, 'Nhiệm vụ số ' || k, tp.t,
                   ['Đơn vị số ' || (k % ?)], [], 'date', make_date(pl.plan_year, 1 + k % 12, 28)
               FROM plans pl, range(? + 2) r(k) JOIN topics tp ON tp.i = k % 13""",
            [units, tasks],
        )
        conn.execute(
            """INSERT INTO submissions (submission_id, file_name, sha256, province, province_legacy, reporting_unit,
                   period_year, period_kind, period_index, plan_id, loaded_at, n_rows)
               SELECT row_number() OVER (ORDER BY pl.plan_year, q, pl.plan_id, u), 'bc.xlsx',
                   md5(pl.plan_id || '-' || u || '-' || q), pl.province, pl.province_legacy, 'Đơn vị số ' || u,
                   pl.plan_year, 'Q', q, pl.plan_id, now(), ?
               FROM plans pl, range(?) ru(u), range(1, 5) rq(q)""",
            [tasks, units],
        )
        conn.execute(
            """INSERT INTO report_tasks (submission_id, row_no, task_code, task_title, topic, lead_units,
                   coordinating_units, due_kind, due_date, status_reported, pct_done, completed_on,
                   result_text, difficulties, proposals, plan_task_id, match_score)
               SELECT s.submission_id, 10 + k, 'II.' || k, 'Nhiệm vụ số ' || k, tp.t, [s.reporting_unit], [],
                   CASE WHEN k % 10 = 0 THEN 'recurring' ELSE 'date' END,
                   CASE WHEN k % 10 = 0 THEN NULL ELSE make_date(s.period_year, 1 + k % 12, 28) END,
                   CASE h % 5 WHEN 0 THEN 'done' WHEN 1 THEN 'in_progress' WHEN 2 THEN 'not_started'
                        WHEN 3 THEN 'done' ELSE CASE WHEN h % 50 = 4 THEN 'suspended' END END,
                   (h % 101)::DOUBLE,
                   CASE WHEN h % 5 IN (0, 3) AND h % 7 <> 0
                        THEN make_date(s.period_year, 1 + k % 12, 1 + h % 28) + CAST(h % 40 AS INTEGER) END,
                   'Đã đăng tải ' || (h % 300) || ' tin, bài', CASE WHEN h % 9 = 0 THEN 'Thiếu kinh phí' END,
                   CASE WHEN h % 11 = 0 THEN 'Đề nghị bổ sung kinh phí' END, pt.plan_task_id, 1.0
               FROM submissions s, range(?) r(k)
               JOIN plan_tasks pt ON pt.plan_id = s.plan_id AND pt.task_code = 'II.' || k
               JOIN topics tp ON tp.i = k % 13,
               LATERAL (SELECT CAST(hash(s.submission_id, k) % 1000003 AS BIGINT) AS h)""",
            [tasks],
        )
        return conn.execute("SELECT count(*) FROM report_tasks").fetchone()[0]


def _script_timer() -> list[float]:
    """Record how long each script run takes in Streamlit's script thread (ms, appended per run)."""
    from streamlit.runtime.scriptrunner import script_runner

    times: list[float] = []
    run_script = script_runner.exec_func_with_error_handling

    def timed(func: Callable, ctx: object) -> object:
        def body() -> object:
            start = time.perf_counter()
            try:
                return func()
            finally:
                times.append((time.perf_counter() - start) * 1000)

        return run_script(body, ctx)

    script_runner.exec_func_with_error_handling = timed
    return times


def _as_on_the_server() -> None:
    """Make AppTest's reruns do what a running server's reruns do, no more.

    * Compiled page scripts are kept across runs (the server's one ``ScriptCache``); AppTest makes a
      new cache for every ``run()``, so each rerun would also time compiling app.py and the page.
    * The app's own ``st.navigation`` runs alone: a server switches off its legacy ``pages/``
      handling once ``st.navigation`` has run, while AppTest switches it back on for every
      ``run()``, which then also lists and registers every page of ``pages/`` a second time.

    Together 6–12 ms per rerun that no viewer waits for.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    init = PagesManager.__init__

    def init_as_after_navigation(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init_as_after_navigation


def _median_ms(fn: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter) -> float:
    times = []
    for _ in range(runs):
        start = clock()
        fn()
        times.append((clock() - start) * 1000)
    return statistics.median(times)


def page_queries(db, f) -> dict[str, Callable[[], object]]:
    """What each page asks DuckDB, called directly (the default view: the newest plan year, each
    province's latest period).

    The snapshot connection is reused, as reruns reuse it; nothing else is cached.
    """
    from queries import deadlines, overview, provinces, received, submissions, tasks, topics, units
    from queries.scope import describe_scope

    pages = {
        "1_Tong_quan": lambda conn: (describe_scope(conn, f), overview.kpis(conn, f), overview.trend_by_period(conn, f),
                                received.reports_received(conn, f), units.most_overdue(conn, f)),
        "2_Theo_don_vi": lambda conn: units.completion_by_unit(conn, f),
        "3_Theo_chu_de": lambda conn: topics.topic_views(conn, f),
        "4_Theo_thoi_han": lambda conn: (deadlines.overdue_tasks(conn, f), deadlines.due_within(conn, f, 14),
                                    deadlines.deadline_counts(conn, f)),
        "5_Theo_tinh": lambda conn: (provinces.compare_provinces(conn, f), provinces.province_names(conn)),
        "6_Nhiem_vu": lambda conn: (tasks.count_tasks(conn, f), tasks.task_table(conn, f, limit=1000)),
        "7_Tai_bao_cao": lambda conn: None,
        "8_Du_lieu": lambda conn: (submissions.submission_history(conn, f), submissions.load_attempts(conn),
                              received.reports_received(conn, f), submissions.unit_directory(conn, f)),
    }  # fmt: skip

    return {page: functools.partial(run, db.reader()) for page, run in pages.items()}


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kb / 1024


def measure(rows: int, runs: int, backend: str = "duckdb") -> dict:
    """Build a database of about ``rows`` rows in a temp dir and time every page on it."""
    with tempfile.TemporaryDirectory(prefix="ttdn-bench-") as tmp, _server(backend) as admin_url:
        path = Path(tmp) / "bench.duckdb"
        started = time.perf_counter()
        n_rows = build(path, rows)
        build_s = time.perf_counter() - started
        os.environ.update(
            {"TTDN_DB": str(path), "TTDN_DEMO": "0", "TTDN_ARCHIVE": str(Path(tmp) / "archive")}
        )
        extra = _to_postgres(path, admin_url) if admin_url else {}

        from streamlit.testing.v1 import AppTest

        from etl.accounts.roles import Role, User
        from etl.store.db import open_database
        from queries.filters import Filters
        from ui.auth import TEST_USER_KEY
        from ui.state import clear_cache

        direct = page_queries(
            open_database(), Filters(year=YEARS[-1], as_of=AS_OF)
        )  # the default: newest year
        script_ms = _script_timer()
        _as_on_the_server()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state[TEST_USER_KEY] = User("bench-admin", Role.ADMIN)  # every page, as tests sign in
        at.query_params["as_of"] = AS_OF.isoformat()
        at.run()
        pages = {}
        for page in PAGES:
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception, [e.value for e in at.exception]

            def cold(at=at) -> None:
                clear_cache()
                at.run()

            def script_median(run: Callable[[], object]) -> float:
                script_ms.clear()
                for _ in range(runs):
                    run()
                return statistics.median(script_ms)

            pages[page] = {
                "cold_ms": script_median(cold),
                "warm_ms": script_median(at.run),
                "queries_ms": _median_ms(direct[page], runs),
                "apptest_ms": _median_ms(cold, runs),
                # CPU time of the whole process (every thread, DuckDB's included): what the work costs
                # whatever else the machine runs, unlike the wall-clock figures above
                "cold_cpu_ms": _median_ms(cold, runs, time.process_time),
                "queries_cpu_ms": _median_ms(direct[page], runs, time.process_time),
            }
        return {"rows": n_rows, "build_s": build_s, "pages": pages, "rss_mb": rss_mb(), "backend": backend,
                "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **extra}  # fmt: skip


def _server(backend: str):
    """A throw-away PostgreSQL server for ``postgres`` (its superuser URL), else nothing."""
    import contextlib

    if backend != "postgres":
        return contextlib.nullcontext(None)
    from tests.pg_server import throwaway_postgres

    return throwaway_postgres()


def _to_postgres(path: Path, admin_url: str) -> dict:
    """Move the built file into a new database of the server; point the app at it; time the moves."""
    from etl.store.db import Database
    from etl.store.migrate import migrate
    from etl.store.postgres import PostgresDatabase
    from tests.pg_server import create_database

    url = create_database(admin_url)
    started = time.perf_counter()
    migrate(Database(path), url)  # includes one full pull (its check)
    migrate_s = time.perf_counter() - started
    os.environ["TTDN_DATABASE_URL"] = url
    one, other = PostgresDatabase(url, path=path), PostgresDatabase(url, path=path)
    started = time.perf_counter()
    one.reader()
    pull_s = time.perf_counter() - started
    other.reader()
    started = time.perf_counter()
    with one.writer() as conn:
        conn.execute(
            "INSERT INTO units (canonical_name, province, kind) VALUES ('Đơn vị thử', 'Hà Nội', 'x')"
        )
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    other.data_version(max_age=0)
    other.reader()
    catch_up_s = time.perf_counter() - started
    one.close()
    other.close()
    return {"migrate_s": migrate_s, "pull_s": pull_s, "write_s": write_s, "catch_up_s": catch_up_s}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--backend", nargs="+", choices=["duckdb", "postgres"], default=["duckdb", "postgres"]
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size, JSON out
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.runs, args.backend[0])))
        return 0
    results = []
    for rows in args.rows:
        for backend in args.backend:
            child = subprocess.run([sys.executable, __file__, "--one", str(rows), "--runs", str(args.runs),
                                    "--backend", backend], capture_output=True, text=True)  # fmt: skip
            if child.returncode:
                print(child.stderr[-3000:], file=sys.stderr)
                return child.returncode
            results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    header = "page".ljust(18) + "".join(
        f"{r['rows']:>10,} {r['backend']:<8}: cold / warm / queries / AppTest ms (CPU: cold / queries)"
        for r in results
    )
    print(header)
    for page in PAGES:
        cells = [r["pages"][page] for r in results]
        print(page.ljust(18) + "".join(
            f"{c['cold_ms']:>24.0f} / {c['warm_ms']:>4.0f} / {c['queries_ms']:>7.0f} / {c['apptest_ms']:>7.0f}"
            f"    ({c['cold_cpu_ms']:>4.0f} / {c['queries_cpu_ms']:>4.0f})"
            for c in cells))  # fmt: skip
    print(
        "RSS (MB)".ljust(18)
        + "".join(f"{r['rss_mb']:>24.0f} (peak {r['max_rss_mb']:.0f})".ljust(46) for r in results)
    )
    print("build (s)".ljust(18) + "".join(f"{r['build_s']:>24.1f}".ljust(46) for r in results))
    for key, label in (("migrate_s", "migrate (s)"), ("pull_s", "full pull (s)"), ("write_s", "small write (s)"),
                       ("catch_up_s", "other instance (s)")):  # fmt: skip
        print(
            label.ljust(18)
            + "".join((f"{r[key]:>24.1f}" if key in r else " " * 24).ljust(46) for r in results)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
