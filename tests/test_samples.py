"""Every sample report against its .expected.json, field by field, through the real load path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.model import Verdict
from etl.store.db import Database
from etl.store.load import IngestOptions, ingest_bytes

SAMPLES = Path(__file__).parent / "data" / "samples"
EXPECTED = sorted(SAMPLES.glob("*.expected.json"))
TABLES = ("submissions", "report_tasks")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _counts(db: Database) -> dict[str, int]:
    conn = db.reader()
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def _ingest(db: Database, name: str, tmp_path: Path):
    options = IngestOptions(archive_dir=tmp_path / "archive")
    return ingest_bytes(db, [(name, (SAMPLES / name).read_bytes())], options)[0]


def _row_as_expected(row: dict, expected: dict) -> dict:
    actual = {
        "code": row["task_code"],
        "stt": row["stt"],
        "title_prefix": row["task_title"][:40],
        "topic_section": row["section_title"],
        "lead_units": list(row["lead_units"] or []),
        "coordinating_units": list(row["coordinating_units"] or []),
        "due_date": row["due_date"].isoformat() if row["due_date"] else None,
        "due_text": row["due_text"],
        "recurring": row["due_kind"] == "recurring",
        "status": row["status_reported"],
        "percent": row["percent"],
        "completed_on": row["completed_on"].isoformat() if row["completed_on"] else None,
        "source": {"sheet": row["sheet"], "row": row["row_no"]},
        "difficulties": row["difficulties"],
        "proposals": row["proposals"],
        "due_date_original": row["due_date_original"].isoformat() if row["due_date_original"] else None,
    }
    return {k: actual[k] for k in expected}


def _db_rows(db: Database, submission_id: int) -> list[dict]:
    cur = db.reader().execute(
        """SELECT t.*, t.pct_done AS percent FROM report_tasks t WHERE submission_id = ? ORDER BY row_no""",
        [submission_id],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


@pytest.mark.parametrize("sidecar", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_sample(sidecar: Path, tmp_path: Path) -> None:
    expected = _load(sidecar)
    db = Database(tmp_path / "t.duckdb")
    if expected["verdict"] == "duplicate":
        first = _ingest(db, expected["duplicate_of"], tmp_path)
        assert first.verdict is Verdict.LOADED
    before = _counts(db)
    result = _ingest(db, expected["file"], tmp_path)
    verdict = expected["verdict"]
    if verdict == "accept":
        assert result.verdict is Verdict.LOADED, [str(p) for p in result.errors]
        sub = (
            db.reader()
            .execute(
                "SELECT province, province_legacy, reporting_unit, period_year, period_kind, period_index "
                "FROM submissions WHERE submission_id = ?",
                [result.submission_id],
            )
            .fetchone()
        )
        period = expected["period"]
        assert sub == (
            expected["province"],
            expected["province_legacy"],
            expected["reporting_unit"],
            period["year"],
            period["kind"],
            period["index"],
        )
        rows = _db_rows(db, result.submission_id)
        assert len(rows) == len(expected["tasks"])
        for row, task in zip(rows, expected["tasks"], strict=True):
            assert _row_as_expected(row, task) == task
        return
    assert _counts(db) == before, "a refused file must leave the database unchanged"
    if verdict == "duplicate":
        assert result.verdict is Verdict.DUPLICATE
        assert result.duplicate_of == expected["duplicate_of"]
        return
    assert result.verdict is Verdict.REJECTED
    messages = " ".join(p.message for p in result.errors).lower()
    assert messages and all(p.message for p in result.errors)
    if verdict == "reject":
        assert result.reason in [k.lower() for k in expected["reason_keywords"]], (result.reason, messages)
        return
    bad = {(p.sheet, p.row, p.column, p.value) for p in result.errors}
    assert bad == {(b["sheet"], b["row"], b["column"], b["value"]) for b in expected["bad_rows"]}
    good = [
        _row_as_expected({**vars(t), "percent": t.pct_done}, e)
        for t, e in zip(result.report.tasks, expected["tasks"], strict=True)
    ]
    assert good == expected["tasks"]
