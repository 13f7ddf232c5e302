"""The demo plans: one per province and year, with the tasks the demo reports are about.

Saved before the reports are loaded, so each report row is linked to its plan task and plan tasks
nobody reported on show up as "Chưa báo cáo".
"""

from __future__ import annotations

from datetime import date

from demo.catalog import PROVINCES, DemoProvince, plan_tasks
from demo.simulate import deadline, rng_for
from etl.plans.model import Plan, PlanTask
from etl.vocab.deadlines import parse_deadline
from etl.vocab.periods import parse_period_code
from etl.vocab.provinces import resolve_province
from etl.vocab.topics import classify_topic

EACH_UNIT = "Các sở, ban, ngành"  # the plan's wording for a task every unit does for itself


def build_plan(province: DemoProvince, year: int, number: int) -> Plan:
    """The plan of ``province`` for ``year``, its tasks numbered section by section."""
    tasks: list[PlanTask] = []
    counters: dict[str, int] = {}
    for task in plan_tasks(province.plan):
        counters[task.section] = counters.get(task.section, 0) + 1
        title = task.title.replace("{P}", province.name).replace("{Y}", str(year))
        section_title = task.section_title.replace("{P}", province.name)
        text, _ = deadline(task.due, year, rng_for("plan", province.name, title, year))
        parsed = parse_deadline(text, year)
        leads = [EACH_UNIT] if task.lead == ("*",) else [province.unit_name(u, year) for u in task.lead]
        tasks.append(
            PlanTask(
                code=f"{task.section}.{counters[task.section]}", title=title, section_title=section_title,
                topic=classify_topic(title, section_title), lead_units=leads,
                coordinating_units=[province.unit_name(u, year) for u in task.coord],
                due_text=text, due_kind=parsed.kind, due_date=parsed.due_date,
            )
        )  # fmt: skip
    current = resolve_province(province.name)
    sections = list(dict.fromkeys((t.code.split(".")[0], t.section_title) for t in tasks))
    return Plan(
        title=f"Kế hoạch thông tin đối ngoại năm {year}", number=f"{number}/KH-UBND",
        issued_on=date(year, 1, 15), province_legacy=province.name,
        province=current.name if current else province.name, year=year, sections=sections, tasks=tasks,
        report_deadlines=[f"Trước ngày 10 của tháng cuối quý năm {year}"],
    )  # fmt: skip


def demo_plans() -> list[Plan]:
    """One plan per demo province and year it reports on."""
    plans = []
    for province in PROVINCES:
        years = sorted({parse_period_code(code).year for code in province.periods})
        for year in years:
            number = rng_for("plan-number", province.name, year).randint(10, 250)
            plans.append(build_plan(province, year, number))
    return plans
