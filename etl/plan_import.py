"""Import a plan document into the database: read, parse, canonicalise units, save, relink reports."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, replace

from etl.db import Database
from etl.linking import save_plan
from etl.plans.model import Plan
from etl.plans.parse import parse_plan, read_plan_text
from etl.store import load_directory, seed_units
from etl.units import UnitDirectory


def canonical_units(plan: Plan, directory: UnitDirectory) -> Plan:
    """The plan with each task's unit names mapped through the unit directory (unknown names kept)."""
    tasks = []
    for task in plan.tasks:
        lead = _canonical(task.lead_units, directory, plan.province_legacy)
        coord = _canonical(task.coordinating_units, directory, plan.province_legacy)
        tasks.append(replace(task, lead_units=lead, coordinating_units=coord))
    return replace(plan, tasks=tasks)


def _canonical(names: list[str], directory: UnitDirectory, province: str) -> list[str]:
    out: list[str] = []
    for name in names:
        canonical = directory.match(name, province) or name
        if canonical not in out:
            out.append(canonical)
    return out


def read_plan(data: bytes, file_name: str, province: str | None = None, year: int | None = None) -> Plan:
    """Parse a plan document (.txt, .docx) without saving it; raises ``PlanError``."""
    return parse_plan(read_plan_text(data, file_name), province, year)


def save_plan_to_db(db: Database, plan: Plan, source: bytes | None = None) -> int:
    """Save (insert or update) a reviewed plan and relink the reports of its province and year."""
    sha = hashlib.sha256(source).hexdigest() if source is not None else None
    with db.writer() as conn:
        seed_units(conn)
        plan = canonical_units(plan, load_directory(conn))
        conn.begin()
        try:
            plan_id = save_plan(conn, plan, sha)
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
    return plan_id


def plan_to_json(plan: Plan, plan_id: int | None = None) -> dict:
    data = asdict(plan)
    data["plan_id"] = plan_id
    return data
