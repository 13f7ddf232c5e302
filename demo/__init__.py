"""Demo data: report spreadsheets built from real plans, loaded through the real ingest."""

from __future__ import annotations

import tempfile
from pathlib import Path

from etl.db import Database
from etl.load import IngestOptions, ingest_paths
from etl.model import Verdict


def has_submissions(db: Database) -> bool:
    if not db.exists():
        return False
    with db.reader().cursor() as cursor:
        return bool(cursor.execute("SELECT count(*) FROM submissions").fetchone()[0])


def ensure_demo_data(db: Database, archive_dir: Path | None = None) -> int:
    """Load the demo reports when ``submissions`` is empty; return how many files were loaded (0 if none)."""
    if has_submissions(db):
        return 0
    from demo.generate import write_demo_reports

    with tempfile.TemporaryDirectory(prefix="ttdn-demo-") as tmp:
        paths = write_demo_reports(Path(tmp))
        results = ingest_paths(db, paths, IngestOptions(archive_dir=archive_dir))
    return sum(r.verdict is Verdict.LOADED for r in results)
