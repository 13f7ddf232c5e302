"""A report's truth, loaded from an accepted sample's ``.expected.json``.

The truth is what a correct reader extracts: metadata and, per task, the fields a sidecar lists.
The generator renders this truth in many layouts; the test reads each rendering back and compares.
Task titles are known only by their first 40 characters: a title of exactly 40 characters is
given a tail, so that the printed prefix stays the same.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
UNITS_CSV = SAMPLES / "units.csv"
TITLE_TAIL = " theo kế hoạch của tỉnh"
COMPARED = (
    "code",
    "stt",
    "title_prefix",
    "topic_section",
    "lead_units",
    "coordinating_units",
    "due_date",
    "due_text",
    "recurring",
    "status",
    "percent",
    "completed_on",
    "difficulties",
    "proposals",
    "due_date_original",
)


@dataclass
class TaskTruth:
    """One task: ``section`` (roman) / ``number`` / ``sub`` rebuild the hierarchy the code names."""

    fields: dict
    title: str
    section: str | None
    number: str | None
    sub: str | None
    decimal_sub: bool = False

    @property
    def parent_key(self) -> tuple[str | None, str | None] | None:
        return (self.section, self.number) if self.sub else None


@dataclass
class ReportTruth:
    name: str
    province: str
    province_legacy: str
    reporting_unit: str
    period: dict
    tasks: list[TaskTruth]
    follow_up: bool  # difficulties / proposals / extension columns
    extra: dict = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.period["year"]

    def copy(self) -> ReportTruth:
        return copy.deepcopy(self)

    def expected_meta(self) -> tuple:
        p = self.period
        return (self.province, self.province_legacy, self.reporting_unit, p["year"], p["kind"], p["index"])


def _task(raw: dict) -> TaskTruth:
    parts = raw["code"].split(".")
    section = parts[0] if parts and parts[0].isupper() and parts[0].isalpha() else None
    rest = parts[1:] if section else parts
    number = rest[0] if rest else None
    sub = rest[1] if len(rest) > 1 else None
    prefix = raw["title_prefix"]
    title = prefix + TITLE_TAIL if len(prefix) >= 40 else prefix
    fields = {k: raw.get(k) for k in COMPARED if k in raw}
    return TaskTruth(fields, title, section, number, sub, decimal_sub=bool(sub and sub.isdigit()))


def load_truth(sidecar: Path) -> ReportTruth:
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    tasks = [_task(t) for t in data["tasks"]]
    return ReportTruth(
        name=data["file"].split(".")[0],
        province=data["province"],
        province_legacy=data["province_legacy"],
        reporting_unit=data["reporting_unit"],
        period=data["period"],
        tasks=tasks,
        follow_up="difficulties" in data["tasks"][0],
    )


def accepted_truths() -> list[ReportTruth]:
    """The truth of every accepted sample, in file order."""
    found = []
    for sidecar in sorted(SAMPLES.glob("*.expected.json")):
        if json.loads(sidecar.read_text(encoding="utf-8"))["verdict"] == "accept":
            found.append(load_truth(sidecar))
    return found
