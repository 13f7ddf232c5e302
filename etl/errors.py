"""Typed errors and the problem records that carry what, where and how to fix.

Inside the library a bad file raises a ``ReportError`` subclass; the CLI and the
pages translate it at the edge. Row-level problems are collected as ``Problem``
records so that a refused file lists every problem at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in a file, located as a person sees it (Excel row, header text)."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"trang tính '{self.sheet}'" if self.sheet else "",
                f"dòng {self.row}" if self.row else "",
                f"cột '{self.column}'" if self.column else "",
                f"giá trị '{self.value}'" if self.value not in (None, "") else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class ReportError(Exception):
    """A file that cannot be loaded; ``problems`` lists every reason."""

    code = "report_error"

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or [Problem(message)]

    def __reduce__(self):  # pickled across the parsing child process: keep the problems
        return (type(self), (self.message, self.problems))


class UnreadableFile(ReportError):
    """Not a spreadsheet we can open (wrong format, corrupt, empty)."""

    code = "unreadable"


class EmptyFile(UnreadableFile):
    """No cell, or no task row, to read."""

    code = "empty"


class NotASpreadsheet(UnreadableFile):
    """Bytes that are not any spreadsheet format (text renamed to .xlsx, a picture, random data)."""

    code = "not a spreadsheet"


class EncryptedFile(UnreadableFile):
    """Password-protected workbook."""

    code = "encrypted"


class UnsafeFile(UnreadableFile):
    """A file that would exhaust memory or time if parsed (zip bomb, entity expansion, huge sheet)."""

    code = "unsafe"


class ZipBomb(UnsafeFile):
    """A package whose entries inflate far beyond the limits."""

    code = "zip bomb"


class TooLarge(UnsafeFile):
    """Over a bound of ``settings.Limits``: sheets, cells, rows, tasks or the length of one cell."""

    code = "too large"


class ParserFailure(UnreadableFile):
    """The parser failed on damaged content (an internal error, a panic, its process died)."""

    code = "parser failure"


class OutOfMemory(UnsafeFile):
    """Reading the file needed more memory than the parsing process is allowed."""

    code = "out of memory"


class TimedOut(UnsafeFile):
    """Reading the file took longer than the parsing process is allowed."""

    code = "timeout"


class MissingColumn(ReportError):
    """No recognisable task table: a required column is absent."""

    code = "missing required column"


@dataclass(frozen=True)
class MetaGuesses:
    """Best guesses for a report's province, unit and period, best first, to prefill a form.

    ``provinces``: names as the file would write them (before 2025, "Thừa Thiên Huế"); ``units``: unit
    names (canonical when the directory knows them); ``periods``: period codes ("2022-Q3", "2022-H1",
    "2022-9M", "2022"). Each value is accepted as is by the reader's options. A value the file does say
    comes alone; ``missing`` names what it does not say ("province", "unit", "period").
    """

    provinces: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


class MissingMetadata(ReportError):
    """Province, unit or period found neither in the title rows nor in the options.

    ``guesses`` carries what a person would propose (see ``etl.ingest.meta``).
    """

    code = "missing metadata"

    def __init__(
        self, message: str, problems: list[Problem] | None = None, guesses: MetaGuesses | None = None
    ):
        super().__init__(message, problems)
        self.guesses = guesses or MetaGuesses()

    def __reduce__(self):  # the guesses cross the parsing child's boundary too
        return (type(self), (self.message, self.problems, self.guesses))


class BadRows(ReportError):
    """Rows with impossible values; the whole file is refused."""

    code = "bad rows"


class PlanError(Exception):
    """A plan document that cannot be read or has no task."""


class AccountError(Exception):
    """An account operation refused (unknown user, weak password, bad role or scope); the message is
    Vietnamese and says what to do."""


class SubmissionError(Exception):
    """A change asked of a loaded report that cannot be made (unknown id, no reason, already so)."""


class BackupError(Exception):
    """A backup that cannot be made or restored (folder not empty, file missing or changed)."""
