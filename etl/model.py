"""What the reader extracts from a report, and what a load returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from enum import StrEnum
from operator import attrgetter

from etl.errors import MetaGuesses, Problem


class Verdict(StrEnum):
    LOADED = "loaded"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    PREVIEWED = "previewed"  # read and checked, nothing written (upload page before confirming)


@dataclass
class ReportTask:
    """One task row of a progress report, normalised. Field names follow ``report_tasks``."""

    row_no: int
    sheet: str
    task_title: str
    task_code: str | None = None
    stt: str | None = None
    section_title: str | None = None
    topic: str | None = None
    lead_units: list[str] = field(default_factory=list)
    coordinating_units: list[str] = field(default_factory=list)
    due_text: str | None = None
    due_kind: str = "unparsed"
    due_date: date | None = None
    due_date_original: date | None = None
    status_reported: str | None = None
    pct_done: float | None = None
    completed_on: date | None = None
    result_text: str | None = None
    difficulties: str | None = None
    proposals: str | None = None
    note: str | None = None

    def __reduce__(self):
        """Pickled as its field values in order (a bulk load sends every task from a checking process:
        a tuple pickles and unpickles faster than the instance's dictionary)."""
        return ReportTask, _task_fields(self)


_task_fields = attrgetter(*(f.name for f in fields(ReportTask)))


@dataclass
class ReportMeta:
    """Who reports, where and for which period."""

    province: str | None = None  # current (post-2025) province
    province_legacy: str | None = None  # province as the file names it
    reporting_unit: str | None = None
    period_year: int | None = None
    period_kind: str | None = None  # Q | H | 9M | Y
    period_index: int | None = None
    report_date: date | None = None  # the report's own "ngày … tháng … năm …" (which version is newer)
    report_number: int | None = None  # the N of its "Số: N/BC-…"


@dataclass(frozen=True)
class ColumnUse:
    """How one column of the report table was understood.

    ``used`` and ``auto`` are a field name (``ReportTask`` / ``report_tasks`` column), ``mark:<status>``
    for an x-mark status column, or "" for a column that is ignored; ``auto`` is what the reader made of
    the header by itself. ``source``: auto | remembered (a correction saved for this unit and header
    shape) | chosen (picked on the upload page for this file).
    """

    offset: int  # position from the table's first header column (0-based)
    letter: str  # spreadsheet column as printed ("D")
    header: str  # header text as printed (parent – child for two-row headers)
    used: str
    auto: str
    source: str = "auto"
    samples: tuple[str, ...] = ()  # the column's first values under the header


@dataclass
class ParsedReport:
    """A report as read, before loading: metadata, tasks, and every problem found."""

    file_name: str
    sheet: str
    header_row: int
    columns: dict[str, str]  # field -> header text as printed
    meta: ReportMeta
    tasks: list[ReportTask]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)  # Excel rows with errors
    column_map: list[ColumnUse] = field(default_factory=list)  # every column of the table, in order
    header_fingerprint: str | None = None  # the header's shape (``etl.ingest.column_map.fingerprint``)


@dataclass
class FileResult:
    """The outcome of ingesting (or previewing) one file."""

    file: str
    verdict: Verdict
    sha256: str | None = None
    submission_id: int | None = None
    rows: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    report: ParsedReport | None = None
    duplicate_of: str | None = None
    reason: str | None = None  # machine code of a refusal: "empty", "encrypted", "zip bomb", ...
    guesses: MetaGuesses | None = None  # "missing metadata": what to propose (etl.ingest.meta)
    older_than: str | None = None  # loaded, but this newer version of the report still counts
    loaded_by: str | None = None  # who asked for the load (load_log.loaded_by)
    remember_columns: bool = False  # read with a person's column choices: remember them when loaded

    def to_json(self) -> dict:
        """The CLI's ``--json`` object."""
        return {
            "file": self.file,
            "verdict": str(self.verdict),
            "submission_id": self.submission_id,
            "rows": self.rows,
            "reason": self.reason,
            "older_than": self.older_than,
            "errors": [_problem_json(p) for p in self.errors],
            "warnings": [_problem_json(p) for p in self.warnings],
        }


def _problem_json(problem: Problem) -> dict:
    data = asdict(problem)
    return {k: data[k] for k in ("sheet", "row", "column", "value", "message")}
