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


class MissingColumn(ReportError):
    """No recognisable task table: a required column is absent."""

    code = "missing required column"


class MissingMetadata(ReportError):
    """Province, unit or period found neither in the title rows nor in the options."""

    code = "missing metadata"


class BadRows(ReportError):
    """Rows with impossible values; the whole file is refused."""

    code = "bad rows"


class PlanError(Exception):
    """A plan document that cannot be read or has no task."""


class SubmissionError(Exception):
    """A change asked of a loaded report that cannot be made (unknown id, no reason, already so)."""


class BackupError(Exception):
    """A backup that cannot be made or restored (folder not empty, file missing or changed)."""
