"""Plans in the database, and report rows linked to plan tasks.

A report row is matched to a task of its province's plan for the report's year: by code
when the code exists in the plan and the titles agree, otherwise by title similarity
(tasks the reporting unit leads or coordinates first). The match and its confidence
(0–1) are stored on the row; rows that match nothing stay as unplanned tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa
from rapidfuzz import fuzz

from etl.plans.model import Plan
from etl.store.db import insert_table, registered
from etl.vocab.text import key

CODE_AGREES = 75  # title similarity (0-100) needed to trust an equal code
TITLE_MATCHES = 80  # title similarity needed to match without the code


@dataclass(frozen=True)
class _Candidate:
    plan_task_id: int
    code: str
    title_key: str
    units: frozenset[str]


def save_plan(conn: duckdb.DuckDBPyConnection, plan: Plan, source_sha256: str | None = None) -> int:
    """Insert or update a plan and its tasks (same province, year and number = same plan)."""
    found = conn.execute(
        "SELECT plan_id FROM plans WHERE province_legacy = ? AND plan_year = ? AND plan_number IS NOT DISTINCT FROM ?",
        [plan.province_legacy, plan.year, plan.number],
    ).fetchone()
    values = [
        plan.province,
        plan.province_legacy,
        plan.year,
        plan.title,
        plan.number,
        plan.issued_on,
        plan.report_deadlines,
        source_sha256,
        datetime.now(),
    ]
    if found:
        plan_id = found[0]
        conn.execute(
            """UPDATE plans SET province = ?, province_legacy = ?, plan_year = ?, title = ?, plan_number = ?,
               issued_on = ?, report_deadlines = ?, source_sha256 = ?, imported_at = ? WHERE plan_id = ?""",
            [*values, plan_id],
        )
    else:
        (plan_id,) = conn.execute(
            """INSERT INTO plans (province, province_legacy, plan_year, title, plan_number, issued_on,
               report_deadlines, source_sha256, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               RETURNING plan_id""",
            values,
        ).fetchone()
    _save_tasks(conn, plan_id, plan)
    relink_plan(conn, plan_id)
    return plan_id


def _save_tasks(conn: duckdb.DuckDBPyConnection, plan_id: int, plan: Plan) -> None:
    """Insert or update the plan's tasks in one statement (Arrow rows, not a statement per task); a code
    written twice keeps its first place and its last text, as one upsert per task would."""
    tasks = list({t.code: t for t in plan.tasks}.values())
    codes = [t.code for t in tasks]
    rows = pa.table(
        {
            "plan_id": pa.array([plan_id] * len(tasks), pa.int32()),
            "task_code": pa.array(codes, pa.string()),
            "task_title": pa.array([t.title for t in tasks], pa.string()),
            "section_title": pa.array([t.section_title for t in tasks], pa.string()),
            "topic": pa.array([t.topic for t in tasks], pa.string()),
            "lead_units": pa.array([t.lead_units for t in tasks], pa.list_(pa.string())),
            "coordinating_units": pa.array([t.coordinating_units for t in tasks], pa.list_(pa.string())),
            "due_text": pa.array([t.due_text for t in tasks], pa.string()),
            "due_kind": pa.array([str(t.due_kind) for t in tasks], pa.string()),
            "due_date": pa.array([t.due_date for t in tasks], pa.date32()),
        }
    )
    insert_table(
        conn,
        "plan_tasks",
        rows,
        on_conflict="""ON CONFLICT (plan_id, task_code) DO UPDATE SET task_title = excluded.task_title,
            section_title = excluded.section_title, topic = excluded.topic, lead_units = excluded.lead_units,
            coordinating_units = excluded.coordinating_units, due_text = excluded.due_text,
            due_kind = excluded.due_kind, due_date = excluded.due_date""",
    )
    conn.execute(
        "UPDATE report_tasks SET plan_task_id = NULL, match_score = NULL WHERE plan_task_id IN "
        "(SELECT plan_task_id FROM plan_tasks WHERE plan_id = ? AND NOT list_contains(?, task_code))",
        [plan_id, codes],
    )
    conn.execute(
        "DELETE FROM plan_tasks WHERE plan_id = ? AND NOT list_contains(?, task_code)", [plan_id, codes]
    )


def _candidates(conn: duckdb.DuckDBPyConnection, plan_id: int) -> list[_Candidate]:
    rows = conn.execute(
        "SELECT plan_task_id, task_code, task_title, lead_units || coordinating_units FROM plan_tasks "
        "WHERE plan_id = ?",
        [plan_id],
    ).fetchall()
    return [_Candidate(i, c, key(t), frozenset(key(u) for u in units or [])) for i, c, t, units in rows]


def title_similarity(a: str, b: str) -> float:
    """0–100: mean of rapidfuzz's token-set ratio (a report shortens the plan's text) and partial
    ratio (the words must also come in the same order), so sharing a few common words is not enough."""
    return (fuzz.token_set_ratio(a, b) + fuzz.partial_ratio(a, b)) / 2


def best_match(
    candidates: list[_Candidate], code: str | None, title: str, unit: str
) -> tuple[int, float] | None:
    """(plan_task_id, confidence 0–1) for one report row, or None when nothing is close enough.

    Titles are compared with ``title_similarity``; an equal code or the reporting unit among the
    task's units adds a little to the ranking.
    """
    title_key = key(title)
    unit_key = key(unit)
    best: tuple[float, float, _Candidate] | None = None
    for c in candidates:
        similarity = title_similarity(title_key, c.title_key)
        score = similarity + (8 if code and c.code == code else 0) + (3 if unit_key in c.units else 0)
        if best is None or score > best[0]:
            best = (score, similarity, c)
    if best is None:
        return None
    score, similarity, c = best
    if code and c.code == code and similarity >= CODE_AGREES:
        return c.plan_task_id, 1.0
    if similarity >= TITLE_MATCHES:
        return c.plan_task_id, round(similarity / 100, 3)
    return None


def link_submission(conn: duckdb.DuckDBPyConnection, submission_id: int) -> int:
    """Link one submission's rows to its plan; returns how many rows matched a plan task."""
    row = conn.execute(
        """SELECT p.plan_id, s.reporting_unit FROM submissions s
           JOIN plans p ON p.province_legacy = s.province_legacy AND p.plan_year = s.period_year
           WHERE s.submission_id = ? ORDER BY p.imported_at DESC LIMIT 1""",
        [submission_id],
    ).fetchone()
    if row is None:
        return 0  # no plan for this province and year yet: the row stays unplanned
    conn.execute("UPDATE submissions SET plan_id = ? WHERE submission_id = ?", [row[0], submission_id])
    candidates = _candidates(conn, row[0])
    tasks = conn.execute(
        "SELECT row_no, task_code, task_title FROM report_tasks WHERE submission_id = ?", [submission_id]
    ).fetchall()
    hits = [(row_no, best_match(candidates, code, title, row[1])) for row_no, code, title in tasks]
    links = pa.table(
        {
            "row_no": pa.array([r for r, _ in hits], pa.int32()),
            "plan_task_id": pa.array([h[0] if h else None for _, h in hits], pa.int32()),
            "match_score": pa.array([h[1] if h else None for _, h in hits], pa.float64()),
        }
    )
    with registered(conn, "_links", links):
        conn.execute(
            """UPDATE report_tasks t SET plan_task_id = l.plan_task_id, match_score = l.match_score
               FROM _links l WHERE t.submission_id = ? AND t.row_no = l.row_no""",
            [submission_id],
        )
    return sum(1 for _, h in hits if h)


def relink_plan(conn: duckdb.DuckDBPyConnection, plan_id: int) -> None:
    """Link every submission of the plan's province and year (after a plan import or edit)."""
    ids = conn.execute(
        """SELECT s.submission_id FROM submissions s JOIN plans p
           ON p.province_legacy = s.province_legacy AND p.plan_year = s.period_year WHERE p.plan_id = ?""",
        [plan_id],
    ).fetchall()
    for (submission_id,) in ids:
        link_submission(conn, submission_id)
