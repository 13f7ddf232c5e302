"""Demo data: report spreadsheets built from real plans, loaded through the real ingest."""

from __future__ import annotations

import tempfile
from pathlib import Path

from etl.store.db import Database


def has_submissions(db: Database) -> bool:
    if not db.exists():
        return False
    return bool(db.reader().execute("SELECT count(*) FROM submissions").fetchone()[0])


def ensure_demo_data(db: Database, archive_dir: Path | None = None) -> int:
    """When ``submissions`` is empty, save the demo plans and load the demo reports (through the real
    ingest); return how many report files were loaded (0 if the database already had reports, or
    another process loaded them meanwhile: the demo reports are built afresh each time, so a second
    load would not be seen as duplicates and would count every report twice)."""
    if has_submissions(db):
        return 0
    with db.exclusive("demo"):  # one loader across processes, threads and (PostgreSQL) machines
        return 0 if has_submissions(db) else _load_demo(db, archive_dir)


def _load_demo(db: Database, archive_dir: Path | None) -> int:
    # The ingest (openpyxl, the plan parser, the sandbox) only when there is something to load: a
    # restart on a loaded database does not pay for it.
    from demo.generate import write_demo_reports
    from demo.plans import demo_plans
    from etl.model import Verdict
    from etl.store.load import DEMO_LOADER, IngestOptions, ingest_paths
    from etl.store.plan_import import save_plans_to_db

    save_plans_to_db(db, demo_plans())
    with tempfile.TemporaryDirectory(prefix="ttdn-demo-") as tmp:
        paths = write_demo_reports(Path(tmp))
        results = ingest_paths(db, paths, IngestOptions(archive_dir=archive_dir, loaded_by=DEMO_LOADER))
    return sum(r.verdict is Verdict.LOADED for r in results)
