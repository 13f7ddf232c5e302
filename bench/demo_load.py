"""The demo load of a first start, step by step: what the server's background thread does before the
overview can draw its first chart (``demo.ensure_demo_data`` on an empty database).

    python bench/demo_load.py [--runs 5]

Each run in a fresh process (imports are part of a first start), alternating two kinds of run:

* ``steps``: each step alone, one after another: the imports, building the plans, saving them
  (``save_plans_to_db``), writing the 127 report files (``write_demo_reports``), loading them
  (``ingest_paths``);
* ``load``: ``ensure_demo_data`` as the server calls it, imports included (the steps may overlap
  there: the files are written by a forked process while the plans are saved).

Prints the median and the minimum of each figure, wall clock and CPU (this process and its children:
on a machine other work keeps busy the wall clock swings with it, CPU much less).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEPS = ("imports", "plans", "save plans", "write reports", "ingest", "total")


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class _Timer:
    def __init__(self) -> None:
        self.figures: dict[str, tuple[float, float]] = {}
        self.began = (time.perf_counter(), _cpu())

    def step(self, name: str, fn, *args):
        wall, cpu = time.perf_counter(), _cpu()
        value = fn(*args)
        self.figures[name] = (time.perf_counter() - wall, _cpu() - cpu)
        return value

    def total(self) -> dict[str, tuple[float, float]]:
        self.figures["total"] = (time.perf_counter() - self.began[0], _cpu() - self.began[1])
        return self.figures


def _steps(folder: Path) -> dict[str, tuple[float, float]]:
    timer = _Timer()

    def imports():
        from demo.generate import write_demo_reports
        from demo.plans import demo_plans
        from etl.store.db import Database
        from etl.store.load import DEMO_LOADER, IngestOptions, ingest_paths
        from etl.store.plan_import import save_plans_to_db

        return (
            write_demo_reports,
            demo_plans,
            Database,
            DEMO_LOADER,
            IngestOptions,
            ingest_paths,
            save_plans_to_db,
        )

    write, plans, database, loader, options, ingest, save = timer.step("imports", imports)
    db = database(folder / "demo.duckdb")
    built = timer.step("plans", plans)
    timer.step("save plans", save, db, built)
    paths = timer.step("write reports", write, folder / "reports")
    results = timer.step(
        "ingest", ingest, db, paths, options(archive_dir=folder / "archive", loaded_by=loader)
    )
    assert sum(str(r.verdict) == "loaded" for r in results) == 126
    return timer.total()


def _load(folder: Path) -> dict[str, tuple[float, float]]:
    timer = _Timer()

    def load():
        from demo import ensure_demo_data
        from etl.store.db import Database

        return ensure_demo_data(Database(folder / "demo.duckdb"), folder / "archive")

    assert timer.step("load", load) == 126
    return timer.total()


def _child(kind: str) -> None:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="ttdn-demo-bench-") as tmp:
        print(json.dumps((_steps if kind == "steps" else _load)(Path(tmp))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each kind (fresh processes)")
    parser.add_argument("--child", choices=("steps", "load"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    runs: dict[str, list[dict[str, tuple[float, float]]]] = {"steps": [], "load": []}
    for _ in range(args.runs):
        for kind in runs:
            out = subprocess.run(
                [sys.executable, __file__, "--child", kind],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
            runs[kind].append(json.loads(out.stdout))
    print(f"{args.runs} runs each; seconds, median (min)    wall               CPU")
    for kind, names in (("steps", STEPS), ("load", ("total",))):
        for name in names:
            walls = [r[name][0] for r in runs[kind]]
            cpus = [r[name][1] for r in runs[kind]]
            label = f"{kind}: {name}" if kind == "steps" else "ensure_demo_data, as the server runs it"
            print(
                f"{label:<44}{statistics.median(walls):>6.2f} ({min(walls):.2f})"
                f"{statistics.median(cpus):>9.2f} ({min(cpus):.2f})"
            )


if __name__ == "__main__":
    main()
