"""Workers forked from this process, each bounded like a sandbox child, for a batch of files.

A worker dies with its parent, leaves the objects it inherited to the parent's garbage collector, may
grow its address space by ``memory_bytes`` over what it inherited (RLIMIT_AS), has ``seconds`` per item
(a wall-clock deadline kept by the caller, RLIMIT_CPU as a backstop), and parses in its own process
(``sandbox.parse_here``): a job whose parser panics or runs out of memory is a refusal and the worker
leaves after it; a worker that dies or overruns is the refusal of its item alone and is replaced.
Forked, not started afresh: a worker starts at once with everything imported (forkserver and spawn would
import the caller's main script again); it only runs the readers and the parser, never a lock another
thread of the caller holds.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import gc
import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler

from etl.errors import ReportError
from etl.ingest import sandbox

JOBS_PER_WORKER = 2000  # a worker is replaced after this many items


@dataclass(frozen=True)
class Died:
    """A forked worker died during a job: its exit code (negative: the signal that killed it)."""

    exitcode: int | None

    def refusal(self, memory_bytes: int, seconds: float) -> ReportError | None:
        """The refusal a limit explains (time: SIGXCPU; memory: SIGKILL, SIGABRT), else None."""
        if self.exitcode in (-signal.SIGXCPU, -signal.SIGKILL, -signal.SIGABRT):
            return sandbox.died(self.exitcode, memory_bytes, seconds)
        return None


def _address_space() -> int:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[0]) * resource.getpagesize()


def _serve_forked(
    conn: Connection, others: list[Connection], memory_bytes: int, job: Callable, setup
) -> None:
    """A forked worker: dies with its parent, leaves the objects it inherited to the parent's garbage
    collector, may grow by ``memory_bytes``; then ``job(item)`` for each item until told to stop."""
    for other in others:  # the parent's ends of this and the other workers' pipes
        other.close()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    soft = _address_space() + memory_bytes  # what it inherited is shared with the parent, not new memory
    resource.setrlimit(
        resource.RLIMIT_AS, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard)
    )
    sandbox.parse_here(memory_bytes)
    null = os.open(os.devnull, os.O_WRONLY)  # a Rust panic prints English: the refusal says it instead
    os.dup2(null, 1)
    os.dup2(null, 2)
    faulthandler.disable()  # (pytest's) traceback dump on SIGABRT writes to a copy of the parent's stderr
    setup()
    while (message := _receive(conn)) is not None:
        item, seconds = message
        sandbox.limit_cpu(seconds)
        try:
            outcome = ("ok", job(item), sandbox.retiring())
        except ReportError as exc:
            outcome = ("refused", exc, sandbox.retiring())
        except MemoryError:
            outcome = ("refused", sandbox.out_of_memory(memory_bytes), True)
        except BaseException:  # noqa: BLE001 - as in a child: any failure is the file's refusal
            outcome = ("refused", sandbox.failure(), True)
        try:
            message = _dumps(outcome)
        except Exception:  # noqa: BLE001 - a result that does not pickle is a parser failure too
            outcome = ("refused", sandbox.failure(), True)
            message = _dumps(outcome)
        conn.send_bytes(message)
        if outcome[2]:
            return


def _dumps(outcome: tuple[str, object, bool]) -> bytes:
    """An outcome as sent: whether the worker leaves after it (one byte, read before the rest is
    unpickled, so the worker takes its next item meanwhile), then the status and value pickled."""
    status, value, retire = outcome
    return (b"\x01" if retire else b"\x00") + ForkingPickler.dumps((status, value))


def _receive(conn: Connection):
    try:
        return conn.recv()
    except (EOFError, OSError):  # the parent is gone or closed its end
        return None


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


class ForkedPool:
    """Up to ``size`` workers forked from this process, each bounded (``_serve_forked``) and running
    ``job`` on one item at a time (after ``setup()``); ``run`` may be called from several threads, at
    most ``size`` at once. A worker dies with the thread that forked it (Linux's parent-death signal):
    call ``run`` from threads that outlive the pool, such as a thread pool's."""

    def __init__(self, size: int, memory_bytes: int, job: Callable, setup: Callable[[], None]):
        self.memory_bytes, self.job, self.setup = memory_bytes, job, setup
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[_Forked] = []
        self._ends: list[Connection] = []  # this process's end of every worker's pipe
        self._lock = threading.Lock()

    def run(self, item, seconds: float) -> tuple[str, object]:
        """("ok", what ``job`` returned) | ("refused", ReportError) | ("died", ``Died``)."""
        with self._slots:
            return self._run(item, seconds)

    def _run(self, item, seconds: float) -> tuple[str, object]:
        worker = self._take()
        try:
            worker.conn.send((item, seconds))
            # the worker's exit wakes this as well as its answer: a worker that dies is not an overrun
            if not wait([worker.conn, worker.process.sentinel], seconds):
                worker.stop(kill=True)
                return "refused", sandbox.timed_out(seconds)
            if not worker.conn.poll():  # dead without a word
                return "died", Died(worker.stop())
            message = worker.conn.recv_bytes()
        except (EOFError, OSError):
            return "died", Died(worker.stop())
        except BaseException:  # KeyboardInterrupt while waiting: the worker goes with it
            worker.stop(kill=True)
            raise
        worker.jobs += 1
        if message[:1] == b"\x01" or worker.jobs >= JOBS_PER_WORKER:
            worker.stop()
        else:
            with self._lock:
                self._idle.append(worker)
        return ForkingPickler.loads(memoryview(message)[1:])  # the worker is free while this unpickles

    def _take(self) -> _Forked:
        with self._lock:  # also: no other worker's pipe is half made while this one forks
            if self._idle:
                return self._idle.pop()
            self._ends = [c for c in self._ends if not c.closed]
            context = multiprocessing.get_context("fork")
            ours, theirs = context.Pipe()
            self._ends.append(ours)
            args = (theirs, list(self._ends), self.memory_bytes, self.job, self.setup)
            process = context.Process(target=_serve_forked, args=args, daemon=True)
            process.start()
            theirs.close()  # before another worker forks, or it would keep this pipe open after we die
        return _Forked(process, ours)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()


@dataclass
class _Forked:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    jobs: int = 0

    def stop(self, kill: bool = False) -> int | None:
        """End the worker (asked to leave, else killed); returns its exit code."""
        if not kill:
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
        self.conn.close()
        self.process.join(0 if kill else 0.5)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        code = self.process.exitcode
        self.process.close()
        return code
