"""Annual foreign-information work plans (Kế hoạch TTĐN): read a plan document, list its tasks,
and build the spreadsheet each unit fills in to report on them.

- ``read_plan_text`` / ``parse_plan`` (``etl.plans.parse``): a .txt / .docx plan → ``Plan``;
- ``build_template`` / ``build_templates_zip`` (``etl.plans.template``): a ``Plan`` → .xlsx forms;
- ``is_group_unit`` (``etl.plans.units``): "Các sở, ban, ngành" and other collective unit phrases.
"""

from etl.plans.model import Plan, PlanTask
from etl.plans.parse import parse_plan, read_plan_text
from etl.plans.template import build_template, build_templates_zip
from etl.plans.units import is_group_unit

__all__ = [
    "Plan",
    "PlanTask",
    "build_template",
    "build_templates_zip",
    "is_group_unit",
    "parse_plan",
    "read_plan_text",
]
