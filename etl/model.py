"""What the reader extracts from a report, and what a load returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from enum import StrEnum
from functools import cache
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


TASK_FIELDS = tuple(f.name for f in fields(ReportTask))
_task_fields = attrgetter(*TASK_FIELDS)


def task_arrow_type(name: str):
    """The Arrow type of a ``report_tasks`` column (``ReportTask``'s fields and the database's own)."""
    import pyarrow as pa

    if name.endswith("_units"):
        return pa.list_(pa.string())
    if name in ("submission_id", "row_no", "plan_task_id"):
        return pa.int32()
    if name in ("pct_done", "match_score"):
        return pa.float64()
    if name in ("due_date", "due_date_original", "completed_on"):
        return pa.date32()
    return pa.string()


_PACK_WHEN_SENT = False  # set in a bulk load's checking process (``send_tasks_packed``)


def warm_packing() -> None:
    """Make pyarrow's first conversion here (it imports pandas, ~0.3 s): called by a process before it
    forks checking processes, which then pack their first report without paying for it, and without
    importing anything under their memory limit."""
    pack_tasks([])


def send_tasks_packed() -> None:
    """From now on, a report pickled by this process sends its tasks as Arrow columns (a bulk load's
    checking process: its reports go to a loader that writes their columns as they are)."""
    global _PACK_WHEN_SENT
    _PACK_WHEN_SENT = True


@cache
def _task_schema():
    import pyarrow as pa

    return pa.schema([(name, task_arrow_type(name)) for name in TASK_FIELDS])


@cache
def _task_struct():
    import pyarrow as pa

    return pa.struct(list(_task_schema()))


def pack_tasks(tasks: list[ReportTask]) -> bytes | None:
    """The tasks as one Arrow record batch (an IPC stream, a column per field), or None when a value
    does not fit its column's type (they are then pickled one by one)."""
    import pyarrow as pa

    schema = _task_schema()
    try:  # one conversion of the rows as a struct array (a conversion per column costs more)
        rows = pa.array(list(map(_task_fields, tasks)), type=_task_struct())
    except (pa.ArrowException, TypeError, ValueError, OverflowError, UnicodeError):
        return None
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema) as writer:
        writer.write_batch(pa.RecordBatch.from_struct_array(rows))
    return sink.getvalue().to_pybytes()


def unpack_tasks(packed: bytes):
    """The Arrow table ``pack_tasks`` made (its buffers are ``packed``'s: nothing is copied)."""
    import pyarrow as pa

    return pa.ipc.open_stream(pa.py_buffer(packed)).read_all()


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

    # Sent from a bulk load's checking process (``send_tasks_packed``) with its tasks packed as Arrow
    # columns (``pack_tasks``): the load writes them to the database as they came (``task_table``), and
    # the ``ReportTask`` objects are made only if something reads ``tasks``. The load's main process
    # saved ~1 s of 1,000 files' unpickling and column building this way. Elsewhere (the upload's
    # parsing process, a copy) the tasks are pickled as objects.

    def __reduce__(self):
        state = dict(self.__dict__)
        if _PACK_WHEN_SENT and "tasks" in state and (packed := pack_tasks(state["tasks"])) is not None:
            del state["tasks"]
            state["_packed_tasks"] = packed
        return _rebuilt_report, (state,)

    def __getattr__(self, name: str):  # only for attributes not set: ``tasks`` of a report sent packed
        packed = self.__dict__.get("_packed_tasks")
        if name != "tasks" or packed is None:
            raise AttributeError(name)
        table = unpack_tasks(packed)
        rows = zip(*(table.column(f).to_pylist() for f in TASK_FIELDS), strict=True)
        self.tasks = [ReportTask(*row) for row in rows]
        del self.__dict__["_packed_tasks"]
        return self.tasks

    def task_table(self):
        """The tasks as an Arrow table with a column per ``ReportTask`` field (``TASK_FIELDS``); raises
        ``ValueError`` when a value does not fit its column."""
        packed = self.__dict__.get("_packed_tasks")
        if packed is None and (packed := pack_tasks(self.tasks)) is None:
            raise ValueError(f"the tasks of {self.file_name!r} do not fit their Arrow columns")
        return unpack_tasks(packed)


def _rebuilt_report(state: dict) -> ParsedReport:
    report = ParsedReport.__new__(ParsedReport)
    report.__dict__.update(state)
    return report


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
