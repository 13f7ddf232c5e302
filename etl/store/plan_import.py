"""Import a plan document into the database: read, parse, canonicalise units, save, relink reports."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, replace

import duckdb

from etl.errors import PlanError
from etl.plans.model import Plan, PlanTask
from etl.plans.parse import parse_plan, read_plan_text
from etl.plans.units import is_group_unit
from etl.store.db import Database
from etl.store.linking import save_plan
from etl.store.store import load_directory, seed_units
from etl.vocab.deadlines import DueKind, parse_deadline
from etl.vocab.topics import classify_topic
from etl.vocab.units import UnitDirectory, split_units


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
        return _save_one(conn, canonical_units(plan, load_directory(conn)), sha)


def save_plans_to_db(db: Database, plans: Iterable[Plan]) -> list[int]:
    """``save_plan_to_db`` for several plans in one writer session (one copy and publication of the
    database instead of one per plan: the demo's nine plans)."""
    with db.writer() as conn:
        seed_units(conn)
        return [_save_one(conn, canonical_units(plan, load_directory(conn)), None) for plan in plans]


def _save_one(conn: duckdb.DuckDBPyConnection, plan: Plan, sha: str | None) -> int:
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


EDIT_COLUMNS = {
    "code": "Mã",
    "title": "Nội dung nhiệm vụ",
    "section_title": "Thuộc mục",
    "topic": "Chủ đề",
    "lead_units": "Đơn vị chủ trì",
    "coordinating_units": "Đơn vị phối hợp",
    "due_text": "Thời hạn",
}
UNIT_SEPARATOR = "; "


def tasks_for_editing(plan: Plan) -> list[dict]:
    """The plan's tasks as rows of text a person can correct (units joined by '; ')."""
    return [
        {
            "code": t.code,
            "title": t.title,
            "section_title": t.section_title or "",
            "topic": t.topic,
            "lead_units": UNIT_SEPARATOR.join(t.lead_units),
            "coordinating_units": UNIT_SEPARATOR.join(t.coordinating_units),
            "due_text": t.due_text or "",
        }
        for t in plan.tasks
    ]


def plan_from_edits(plan: Plan, rows: list[dict]) -> Plan:
    """The plan with its tasks replaced by the corrected rows; deadlines and blank topics re-derived.

    Rows without a code or a title are dropped; a repeated code raises ``PlanError``.
    """
    tasks: list[PlanTask] = []
    seen: set[str] = set()
    for row in rows:
        code, title = _text(row.get("code")), _text(row.get("title"))
        if not code or not title:
            continue
        if code in seen:
            raise PlanError(f"Mã nhiệm vụ '{code}' bị lặp; mỗi nhiệm vụ cần một mã riêng (ví dụ II.4.a).")
        seen.add(code)
        section = _text(row.get("section_title")) or None
        deadline = parse_deadline(_text(row.get("due_text")) or None, plan.year)
        tasks.append(
            PlanTask(
                code=code,
                title=title,
                section_title=section,
                topic=_text(row.get("topic")) or classify_topic(title, section),
                lead_units=split_units(_text(row.get("lead_units"))),
                coordinating_units=split_units(_text(row.get("coordinating_units"))),
                due_text=deadline.text if deadline else None,
                due_kind=deadline.kind if deadline else DueKind.UNPARSED,
                due_date=deadline.due_date if deadline else None,
            )
        )
    if not tasks:
        raise PlanError(
            "Kế hoạch không còn nhiệm vụ nào sau khi sửa; cần ít nhất một dòng có mã và nội dung."
        )
    return replace(plan, tasks=tasks)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def load_plan(conn: duckdb.DuckDBPyConnection, plan_id: int) -> Plan:
    """A saved plan, rebuilt from the database (for templates)."""
    head = conn.execute(
        "SELECT title, plan_number, issued_on, province_legacy, province, plan_year, report_deadlines "
        "FROM plans WHERE plan_id = ?",
        [plan_id],
    ).fetchone()
    if head is None:
        raise PlanError(f"Không có kế hoạch mã {plan_id}.")
    rows = conn.execute(
        "SELECT task_code, task_title, section_title, topic, lead_units, coordinating_units, due_text, "
        "due_kind, due_date FROM plan_tasks WHERE plan_id = ? ORDER BY plan_task_id",
        [plan_id],
    ).fetchall()
    tasks = [
        PlanTask(c, t, s, tp or "", list(lu or []), list(cu or []), dt, DueKind(dk), dd)
        for c, t, s, tp, lu, cu, dt, dk, dd in rows
    ]
    title, number, issued, legacy, province, year, deadlines = head
    return Plan(
        title or "",
        number,
        issued,
        legacy,
        province,
        year,
        tasks=tasks,
        report_deadlines=list(deadlines or []),
    )


def saved_plans(conn: duckdb.DuckDBPyConnection) -> list[tuple[int, str]]:
    """(plan_id, label) of every saved plan, newest year first."""
    rows = conn.execute(
        "SELECT plan_id, province_legacy, plan_year, coalesce(plan_number, ''), "
        "(SELECT count(*) FROM plan_tasks t WHERE t.plan_id = p.plan_id) FROM plans p "
        "ORDER BY plan_year DESC, province_legacy"
    ).fetchall()
    return [
        (i, f"{prov} {year}{' – ' + num if num else ''} ({n} nhiệm vụ)") for i, prov, year, num, n in rows
    ]


def plan_units(plan: Plan) -> list[str]:
    """Units named as lead or coordinating in the plan, group phrases left out, in first-seen order."""
    out: list[str] = []
    for task in plan.tasks:
        for unit in task.lead_units + task.coordinating_units:
            if unit not in out and not is_group_unit(unit):
                out.append(unit)
    return out
