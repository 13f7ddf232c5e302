"""Annual foreign-information work plans (Kế hoạch TTĐN): read a plan document, list its tasks,
and build the spreadsheet each unit fills in to report on them.

- ``read_plan_text`` / ``parse_plan`` (``etl.plans.parse``): a .txt / .docx plan → ``Plan``;
- ``build_template`` / ``build_templates_zip`` (``etl.plans.template``): a ``Plan`` → .xlsx forms;
- ``is_group_unit`` (``etl.plans.units``): "Các sở, ban, ngành" and other collective unit phrases.

Each name is imported from its module on first use: the store imports ``etl.plans.model`` as the
server starts, which no longer loads openpyxl and python-docx (0.4 s) for pages that do not need them.
"""

from importlib import import_module

_MODULE_OF = {
    "Plan": "etl.plans.model",
    "PlanTask": "etl.plans.model",
    "build_template": "etl.plans.template",
    "build_templates_zip": "etl.plans.template",
    "is_group_unit": "etl.plans.units",
    "parse_plan": "etl.plans.parse",
    "read_plan_text": "etl.plans.parse",
}

__all__ = [
    "Plan",
    "PlanTask",
    "build_template",
    "build_templates_zip",
    "is_group_unit",
    "parse_plan",
    "read_plan_text",
]


def __getattr__(name: str):
    if name in _MODULE_OF:
        return getattr(import_module(_MODULE_OF[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
