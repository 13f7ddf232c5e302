"""Read an uploaded file in a child process bounded in memory and time.

``read_report`` runs the guards, the reader and the parser in a worker process whose address space
is capped (``Limits.parse_memory_bytes``, RLIMIT_AS) and which has ``Limits.parse_seconds`` per file
(a wall-clock deadline, and RLIMIT_CPU as a backstop). Whatever happens there — an exception, a Rust
panic, MemoryError, the process killed — the caller gets the ``ParsedReport`` or a ``ReportError``
with a Vietnamese reason and its machine code; nothing a file does reaches the server or the CLI.
``annotated_copy`` builds the "file back with an error column" the same way, from what the guarded
reader read.

Workers are separate Python processes (``python -c``: no fork of a threaded server, no re-import
of the caller's main script), reused from a small pool, so a file costs one round trip, not a process
start. Calls are thread-safe and each takes its own worker, at most ``MAX_WORKERS`` at once (so the
memory all children can take is bounded as well): a batch reads files in parallel with
``read_reports``.

A batch checks files in ``etl.ingest.forked`` workers instead: each is forked from the caller and is
itself the bounded process (its address space may grow by ``parse_memory_bytes`` over what it inherited,
each file has ``parse_seconds``), so ``read_report`` called there parses in that process (one
process per file, not two); a worker that dies or runs out of time refuses its file alone and is
replaced.
"""

from __future__ import annotations

import atexit
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection

from etl.errors import OutOfMemory, ParserFailure, Problem, ReportError, TimedOut, TooLarge
from etl.ingest.bounds import check_file_size, mb, num
from etl.ingest.column_map import ColumnChoices
from etl.ingest.guards import RESAVE
from etl.ingest.meta import MetaOptions
from etl.ingest.parse import parse_workbook
from etl.ingest.readers import read_workbook
from etl.model import ParsedReport
from etl.settings import ROOT, Limits
from etl.vocab.units import UnitDirectory

JOBS_PER_WORKER = 500  # a worker is replaced after this many files (memory it kept stays bounded)
MAX_WORKERS = max(2, os.cpu_count() or 2)  # children busy at once (so their memory is bounded too)
_WORKER_CODE = "import sys; from etl.ingest.sandbox import serve; serve(int(sys.argv[1]), int(sys.argv[2]))"


def read_report(
    data: bytes,
    file_name: str,
    options: MetaOptions,
    directory: UnitDirectory,
    limits: Limits | None = None,
    columns: ColumnChoices | None = None,
) -> ParsedReport:
    """Check, read and parse one file in a bounded child process; raises ``ReportError`` when refused.
    ``columns``: the remembered and chosen column corrections (``parse_workbook``).

    ``directory`` is sent to a worker once and kept there while the caller passes the same object
    (it is never changed after it is built; a new directory is a new object).
    """
    limits = limits or Limits()
    check_file_size(data, limits)  # before the bytes travel to the child
    args = (data, file_name, options, directory, limits, columns)
    if _bounded_here:  # this process is a forked batch worker, bounded itself: no second child
        return _here("report", args)
    return _run("report", args, limits, directory)


def read_reports(
    items: Iterable[tuple[str, bytes]],
    options: MetaOptions,
    directory: UnitDirectory,
    limits: Limits | None = None,
    workers: int = 2,
) -> Iterator[tuple[str, ParsedReport | ReportError]]:
    """(file name, report or refusal) of each item, in order, read by ``workers`` children at once.

    At most ``2 × workers`` files are in flight, so a long batch never holds all its bytes.
    """
    limits = limits or Limits()

    def read(item: tuple[str, bytes]) -> tuple[str, ParsedReport | ReportError]:
        try:
            return item[0], read_report(item[1], item[0], options, directory, limits)
        except ReportError as exc:
            return item[0], exc

    with ThreadPoolExecutor(max(1, workers), thread_name_prefix="ttdn-read") as pool:
        pending: deque[Future] = deque()
        for item in items:
            pending.append(pool.submit(read, item))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def annotated_copy(
    data: bytes,
    file_name: str,
    errors: list[Problem],
    warnings: list[Problem],
    report_sheet: str | None = None,
    header_row: int | None = None,
    limits: Limits | None = None,
) -> bytes:
    """The .xlsx sent back with an error column (``annotate.annotated_workbook``), built in the child
    from what the guarded reader reads; a file it refuses comes back as the list of problems alone."""
    limits = limits or Limits()
    try:
        return _run("annotate", (data, file_name, errors, warnings, report_sheet, header_row, limits), limits)
    except ReportError:
        from etl.ingest.annotate import annotated_workbook  # openpyxl (and numpy): only when needed

        return annotated_workbook(None, errors, warnings)


# --- in the child ------------------------------------------------------------------------------


def _job_report(
    data: bytes,
    file_name: str,
    options: MetaOptions,
    directory: UnitDirectory,
    limits: Limits,
    columns: ColumnChoices | None = None,
) -> ParsedReport:
    report = parse_workbook(read_workbook(data, file_name, limits), options, directory, columns)
    if len(report.tasks) > limits.max_tasks:
        raise TooLarge(
            f"Tệp '{file_name}' có {num(len(report.tasks))} dòng nhiệm vụ, vượt giới hạn {num(limits.max_tasks)} "
            "nhiệm vụ cho một báo cáo. Hãy kiểm tra đây đúng là báo cáo tiến độ của một đơn vị, hoặc tách "
            "thành nhiều tệp rồi tải lên lại."
        )
    return report


def _job_annotate(data, file_name, errors, warnings, report_sheet, header_row, limits: Limits) -> bytes:
    from etl.ingest.annotate import annotated_workbook  # openpyxl (and numpy): a worker starts without them

    try:
        book = read_workbook(data, file_name, limits)
    except ReportError:
        book = None
    return annotated_workbook(book, errors, warnings, report_sheet, header_row)


_JOBS: dict[str, Callable] = {"report": _job_report, "annotate": _job_annotate}


def serve(fd: int, memory_bytes: int) -> None:
    """The worker's loop on socket ``fd``: one job in, one ("ok" | "refused", value, retire) out,
    until the parent closes its end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    conn = Connection(fd)
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    resource.setrlimit(
        resource.RLIMIT_AS,
        (memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard), hard),
    )
    directory = None
    while True:
        try:
            name, args, seconds = conn.recv()
        except (EOFError, OSError):
            return
        limit_cpu(seconds)
        if name == "report":
            directory = args[3] if args[3] is not None else directory
            args = (*args[:3], directory, *args[4:])
        outcome = _outcome(name, args)
        try:
            conn.send(outcome)
        except Exception:  # noqa: BLE001 - a result that does not pickle is a parser failure too
            conn.send(("refused", failure(), True))
        if outcome[2]:
            return


def _outcome(name: str, args: tuple) -> tuple[str, object, bool]:
    try:
        return "ok", _JOBS[name](*args), False
    except ReportError as exc:
        return "refused", exc, False
    except MemoryError:
        return "refused", out_of_memory(_memory_budget or resource.getrlimit(resource.RLIMIT_AS)[0]), True
    except BaseException:  # noqa: BLE001 - any bug or Rust panic in a parser is a refusal of the file
        return "refused", failure(), True


def limit_cpu(seconds: float) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + 2 * seconds + 1)
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard == resource.RLIM_INFINITY or soft < hard:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


# --- in a forked batch worker (``etl.ingest.forked``): the job runs here ---------------------------

_bounded_here = False  # set in a forked worker: ``read_report`` parses in this process
_memory_budget = 0  # in a forked worker: what its address space may grow by (for the refusal's text)
_retire = False  # in a forked worker: a parser failed badly (panic, MemoryError); leave after this job


def parse_here(memory_budget: int) -> None:
    """This process (a forked batch worker, ``etl.ingest.forked``) is bounded itself: ``read_report``
    runs its job here, a refusal for running out of memory naming ``memory_budget``."""
    global _bounded_here, _memory_budget
    _bounded_here, _memory_budget = True, memory_budget


def retiring() -> bool:
    """Whether a job of this process failed badly (a panic, MemoryError): it should leave."""
    return _retire


def _here(name: str, args: tuple):
    """A job in this (bounded) process, failures mapped as in a child: a panic or MemoryError is the
    file's refusal, and the worker leaves after the job (its state may be damaged)."""
    global _retire
    status, value, retire = _outcome(name, args)
    _retire = _retire or retire
    if status == "ok":
        return value
    raise value


# --- in the parent ------------------------------------------------------------------------------


@dataclass
class _Worker:
    process: subprocess.Popen
    conn: Connection
    memory_bytes: int
    jobs: int = 0
    directory: UnitDirectory | None = None  # the last directory sent (the child keeps it)

    @classmethod
    def start(cls, memory_bytes: int) -> _Worker:
        parent, child = socket.socketpair()
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        process = subprocess.Popen(
            [sys.executable, "-c", _WORKER_CODE, str(child.fileno()), str(memory_bytes)],
            pass_fds=(child.fileno(),),
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # a Rust panic prints English to stderr: the refusal says it instead
        )
        child.close()
        return cls(process, Connection(parent.detach()), memory_bytes)

    def alive(self) -> bool:
        return self.process.poll() is None

    def call(self, name: str, args: tuple, seconds: float) -> tuple[str, object, bool]:
        self.jobs += 1
        try:
            self.conn.send((name, args, seconds))
            if not self.conn.poll(seconds):
                self.stop()
                return "refused", timed_out(seconds), True
            return self.conn.recv()
        except (EOFError, OSError):
            self.stop()
            return "refused", died(self.process.returncode, self.memory_bytes, seconds), True

    def stop(self) -> None:
        self.conn.close()
        try:
            self.process.wait(0.5)  # it exits by itself once its end of the socket closes
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_lock = threading.Lock()
_idle: list[_Worker] = []
_slots = threading.BoundedSemaphore(MAX_WORKERS)


def _run(name: str, args: tuple, limits: Limits, directory: UnitDirectory | None = None):
    with _slots:  # a caller beyond MAX_WORKERS waits for a free child
        worker = _take(limits.parse_memory_bytes)
        if name == "report" and directory is not None and worker.directory is directory:
            args = (*args[:3], None, *args[4:])  # the child still holds this directory
        try:
            status, value, retire = worker.call(name, args, limits.parse_seconds)
        except BaseException:  # KeyboardInterrupt while waiting: the worker goes with it
            worker.stop()
            raise
        worker.directory = directory if name == "report" else worker.directory
        _give_back(worker, retire)
    if status == "ok":
        return value
    raise value


def _give_back(worker: _Worker, retire: bool) -> None:
    with _lock:
        keep = not retire and worker.jobs < JOBS_PER_WORKER and len(_idle) < MAX_WORKERS
        if keep:
            _idle.append(worker)
    if not keep:
        worker.stop()


def _take(memory_bytes: int) -> _Worker:
    with _lock:
        for i, worker in enumerate(_idle):
            if worker.memory_bytes == memory_bytes and worker.alive():
                return _idle.pop(i)
    return _Worker.start(memory_bytes)


@atexit.register
def shutdown() -> None:
    """Stop the idle workers (they also exit by themselves when this process goes)."""
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.stop()


# --- refusals -----------------------------------------------------------------------------------


def failure() -> ParserFailure:
    return ParserFailure(
        "Tệp bị hỏng: trình đọc bảng tính không đọc được nội dung tệp (cấu trúc bên trong không hợp lệ). "
        + RESAVE
    )


def out_of_memory(memory_bytes: int) -> OutOfMemory:
    return OutOfMemory(
        f"Tệp cần quá nhiều bộ nhớ để đọc (vượt giới hạn {mb(memory_bytes)} MB): tệp bất thường "
        "hoặc quá lớn. Hãy xoá các trang tính, dòng, cột thừa (kể cả ô chỉ có định dạng) hoặc tách báo cáo "
        "rồi tải lên lại."
    )


def timed_out(seconds: float) -> TimedOut:
    duration = f"{seconds:g}".replace(".", ",")
    return TimedOut(
        f"Đọc tệp mất quá {duration} giây nên đã dừng: tệp bất thường hoặc quá lớn. Hãy xoá các trang "
        "tính, dòng, cột thừa hoặc tách báo cáo thành nhiều tệp rồi tải lên lại."
    )


def died(exitcode: int | None, memory_bytes: int, seconds: float) -> ReportError:
    if exitcode == -signal.SIGXCPU:
        return timed_out(seconds)
    if exitcode in (-signal.SIGKILL, -signal.SIGABRT):  # the kernel's OOM killer, a failed Rust allocation
        return out_of_memory(memory_bytes)
    return failure()
