"""Read a rendering back with the real reader (the CLI's path) and score it field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from etl.errors import ReportError
from etl.ingest.meta import MetaOptions
from etl.ingest.parse import parse_workbook
from etl.ingest.readers import read_workbook
from etl.model import ParsedReport, ReportTask
from etl.vocab.units import UnitDirectory
from tests.metamorphic.layout import Layout, Rendered
from tests.metamorphic.render import build
from tests.metamorphic.truth import UNITS_CSV, ReportTruth
from tests.metamorphic.writers import to_bytes


@lru_cache(maxsize=1)
def directory() -> UnitDirectory:
    return UnitDirectory.from_csv(UNITS_CSV)


@dataclass
class Outcome:
    loaded: bool
    right: int = 0
    total: int = 0
    diffs: list[str] = field(default_factory=list)

    @property
    def perfect(self) -> bool:
        return self.loaded and self.right == self.total


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def task_fields(task: ReportTask) -> dict:
    """A read task in the sidecar's vocabulary."""
    return {
        "code": task.task_code,
        "stt": task.stt,
        "title_prefix": task.task_title[:40],
        "topic_section": task.section_title,
        "lead_units": list(task.lead_units),
        "coordinating_units": list(task.coordinating_units),
        "due_date": _iso(task.due_date),
        "due_text": task.due_text,
        "recurring": task.due_kind == "recurring",
        "status": task.status_reported,
        "percent": task.pct_done,
        "completed_on": _iso(task.completed_on),
        "source": {"sheet": task.sheet, "row": task.row_no},
        "difficulties": task.difficulties,
        "proposals": task.proposals,
        "due_date_original": _iso(task.due_date_original),
    }


def _meta(report: ParsedReport) -> tuple:
    m = report.meta
    return (m.province, m.province_legacy, m.reporting_unit, m.period_year, m.period_kind, m.period_index)


def _options(truth: ReportTruth, layout: Layout) -> MetaOptions:
    if not layout.needs_options:
        return MetaOptions()
    p = truth.period
    code = {"Q": f"{p['year']}-Q{p['index']}", "H": f"{p['year']}-H{p['index']}", "9M": f"{p['year']}-9M"}
    return MetaOptions(truth.province_legacy, truth.reporting_unit, code.get(p["kind"], str(p["year"])))


def read_back(truth: ReportTruth, layout: Layout) -> tuple[Rendered, Outcome]:
    """Render, read with ``read_workbook`` + ``parse_workbook``, compare with the rendering's truth."""
    rendered = build(truth, layout)
    data, name = to_bytes(rendered, layout, truth.name)
    try:
        report = parse_workbook(read_workbook(data, name), _options(truth, layout), directory())
    except ReportError as exc:
        detail = "; ".join(str(p) for p in exc.problems[:3])
        return rendered, Outcome(False, 0, _total(rendered), [f"refused: {exc} {detail}"])
    return rendered, score(rendered, report)


def _total(rendered: Rendered) -> int:
    """The fields scored: the metadata, every field of every task, and the number of tasks (a task read
    where there is none, a phantom, is as wrong as a field misread)."""
    return len(rendered.meta) + sum(len(t) for t in rendered.expected) + 1


def score(rendered: Rendered, report: ParsedReport) -> Outcome:
    outcome = Outcome(not report.errors, total=_total(rendered))
    outcome.diffs += [f"error: {p}" for p in report.errors[:5]]
    got = _meta(report)
    for i, (want, have) in enumerate(zip(rendered.meta, got, strict=True)):
        if want == have:
            outcome.right += 1
        else:
            outcome.diffs.append(f"meta[{i}]: want {want!r}, got {have!r}")
    read = [task_fields(t) for t in report.tasks]
    if len(read) == len(rendered.expected):
        outcome.right += 1
    else:
        outcome.diffs.append(f"{len(read)} tasks read, {len(rendered.expected)} expected")
    by_source = {(t["source"]["sheet"], t["source"]["row"]): t for t in read}
    for want in rendered.expected:
        have = by_source.get((want["source"]["sheet"], want["source"]["row"]), {})
        for key, value in want.items():
            if have.get(key) == value:
                outcome.right += 1
            else:
                outcome.diffs.append(
                    f"row {want['source']['row']} {key}: want {value!r}, got {have.get(key)!r}"
                )
    if not outcome.loaded:  # a refused file gives the dashboard nothing
        outcome.right = 0
    return outcome
