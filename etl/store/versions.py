"""Which version of a report counts, and a person's say over it.

Several files may report the same unit and period (a corrected version, a re-send). The current one
is the **newest by the report's own date** ("ngày … tháng … năm …"), then by its number ("Số: 12/BC-…"),
then by load time: loading an older version after a newer one stores it, warns, and leaves the newer
one current. A person may make any version current again, or withdraw a wrongly loaded one with a
reason (the newest remaining version then counts). Every change is a ``submission_events`` row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pyarrow as pa

from etl.errors import Problem, SubmissionError
from etl.store.db import Database, insert_table

# (province_legacy, reporting_unit, period_year, period_kind, period_index): one report, many versions
ReportKey = tuple

_KEY_COLUMNS = "province_legacy, reporting_unit, period_year, period_kind, period_index"
_SAME_KEY = (
    "province_legacy = ? AND reporting_unit = ? AND period_year = ? AND period_kind = ? "
    "AND period_index IS NOT DISTINCT FROM ?"
)


@dataclass(frozen=True)
class Version:
    """What orders two versions of one report."""

    submission_id: int
    report_date: date | None
    report_number: int | None
    loaded_at: datetime


def is_newer(a: Version, b: Version) -> bool:
    """Whether ``a`` is a newer version than ``b``: by date, else by number, else by load order."""
    if a.report_date and b.report_date and a.report_date != b.report_date:
        return a.report_date > b.report_date
    if a.report_number is not None and b.report_number is not None and a.report_number != b.report_number:
        return a.report_number > b.report_number
    return (a.loaded_at, a.submission_id) > (b.loaded_at, b.submission_id)


def describe(version: Version, file_name: str) -> str:
    """'p02.xlsx (số 443, ngày 07/10/2022)' for messages."""
    parts = [f"số {version.report_number}" if version.report_number is not None else ""]
    parts.append(f"ngày {version.report_date:%d/%m/%Y}" if version.report_date else "")
    said = ", ".join(p for p in parts if p)
    return f"'{file_name}' ({said})" if said else f"'{file_name}'"


def current_versions(conn: duckdb.DuckDBPyConnection) -> dict[ReportKey, tuple[Version, str]]:
    """The current version of every report, with its file name."""
    rows = conn.execute(
        f"""SELECT {_KEY_COLUMNS}, submission_id, report_date, report_number, loaded_at, file_name
            FROM submissions WHERE superseded_by IS NULL AND withdrawn_at IS NULL"""
    ).fetchall()
    return {tuple(r[:5]): (Version(*r[5:9]), r[9]) for r in rows}


def current_version(conn: duckdb.DuckDBPyConnection, key: ReportKey) -> tuple[Version, str] | None:
    """The current version of one report, with its file name (None: no version counts)."""
    row = conn.execute(
        f"""SELECT submission_id, report_date, report_number, loaded_at, file_name FROM submissions
            WHERE {_SAME_KEY} AND superseded_by IS NULL AND withdrawn_at IS NULL""",
        list(key),
    ).fetchone()
    return (Version(*row[:4]), row[4]) if row else None


def older_warning(current: tuple[Version, str]) -> Problem:
    """The warning of a version loaded after a newer one (``describe`` of the current one)."""
    return Problem(
        f"Báo cáo này cũ hơn bản đang được tính {describe(*current)} (theo ngày, số báo cáo): được lưu vào "
        "lịch sử nhưng không thay thế bản đó. Nếu bản này mới đúng, chọn «Dùng bản này» ở trang Dữ liệu."
    )


_EVENT_SCHEMA = pa.schema(
    [("event_at", pa.timestamp("us")), ("submission_id", pa.int32()), ("action", pa.string()),
     ("other_id", pa.int32()), ("reason", pa.string())]
)  # fmt: skip


def record_events(conn: duckdb.DuckDBPyConnection, events: list[tuple]) -> None:
    """Append (event_at, submission_id, action, other_id, reason) rows, in one INSERT (a bulk load
    records an event per file: a statement per row cost more than the rest of the publish's SQL)."""
    if events:
        rows = [dict(zip(_EVENT_SCHEMA.names, event, strict=True)) for event in events]
        insert_table(conn, "submission_events", pa.Table.from_pylist(rows, schema=_EVENT_SCHEMA))


def withdraw(conn: duckdb.DuckDBPyConnection, submission_id: int, reason: str, now: datetime) -> int | None:
    """Withdraw a loaded report (caller holds the transaction); returns the version now current instead."""
    reason = (reason or "").strip()
    if not reason:
        raise SubmissionError('Cần ghi lý do rút báo cáo (ví dụ: --reason "nạp nhầm tệp của đơn vị khác").')
    key, withdrawn_at = _key_of(conn, submission_id)
    if withdrawn_at is not None:
        raise SubmissionError(f"Báo cáo mã {submission_id} đã được rút từ {withdrawn_at:%d/%m/%Y %H:%M}.")
    conn.execute(
        "UPDATE submissions SET withdrawn_at = ?, withdrawn_reason = ? WHERE submission_id = ?",
        [now, reason, submission_id],
    )
    record_events(conn, [(now, submission_id, "withdrawn", None, reason)])
    remaining = _versions(conn, key)
    if not remaining or _current_of(conn, key) is not None:
        return None
    newest = max(remaining, key=_Newest)
    _set_current(conn, key, newest.submission_id)
    record_events(
        conn, [(now, newest.submission_id, "made_current", submission_id, "báo cáo mới hơn bị rút")]
    )
    return newest.submission_id


def make_current(conn: duckdb.DuckDBPyConnection, submission_id: int, now: datetime) -> int | None:
    """Make a superseded or withdrawn version the current one (caller holds the transaction);
    returns the version it replaces."""
    key, withdrawn_at = _key_of(conn, submission_id)
    previous = _current_of(conn, key)
    if previous == submission_id:
        raise SubmissionError(f"Báo cáo mã {submission_id} đang là bản được tính; không cần khôi phục.")
    if withdrawn_at is not None:
        conn.execute(
            "UPDATE submissions SET withdrawn_at = NULL, withdrawn_reason = NULL WHERE submission_id = ?",
            [submission_id],
        )
    _set_current(conn, key, submission_id)
    record_events(conn, [(now, submission_id, "made_current", previous, None)])
    return previous


def _key_of(conn: duckdb.DuckDBPyConnection, submission_id: int) -> tuple[ReportKey, datetime | None]:
    row = conn.execute(
        f"SELECT {_KEY_COLUMNS}, withdrawn_at FROM submissions WHERE submission_id = ?", [submission_id]
    ).fetchone()
    if row is None:
        raise SubmissionError(
            f"Không có báo cáo mã {submission_id}. Xem cột «Mã» ở trang Dữ liệu hoặc lệnh "
            "'python -m etl submissions list'."
        )
    return tuple(row[:5]), row[5]


def _versions(conn: duckdb.DuckDBPyConnection, key: ReportKey) -> list[Version]:
    rows = conn.execute(
        f"""SELECT submission_id, report_date, report_number, loaded_at FROM submissions
            WHERE {_SAME_KEY} AND withdrawn_at IS NULL""",
        list(key),
    ).fetchall()
    return [Version(*r) for r in rows]


def _current_of(conn: duckdb.DuckDBPyConnection, key: ReportKey) -> int | None:
    row = conn.execute(
        f"SELECT submission_id FROM submissions WHERE {_SAME_KEY} AND superseded_by IS NULL AND withdrawn_at IS NULL",
        list(key),
    ).fetchone()
    return row[0] if row else None


def _set_current(conn: duckdb.DuckDBPyConnection, key: ReportKey, submission_id: int) -> None:
    """``submission_id`` current; every other version of the report superseded by it."""
    conn.execute(
        f"""UPDATE submissions SET superseded_by = CASE WHEN submission_id = ? THEN NULL ELSE ? END
            WHERE {_SAME_KEY}""",
        [submission_id, submission_id, *key],
    )


class _Newest:
    """Sort key: ``max(versions, key=_Newest)`` is the newest version."""

    def __init__(self, version: Version):
        self.version = version

    def __lt__(self, other: _Newest) -> bool:
        return is_newer(other.version, self.version)


def withdraw_submission(db: Database, submission_id: int, reason: str) -> int | None:
    """Withdraw a loaded report and publish; returns the version now current instead (None: none)."""
    with db.writer() as conn:
        return _in_transaction(conn, lambda: withdraw(conn, submission_id, reason, datetime.now()))


def make_submission_current(db: Database, submission_id: int) -> int | None:
    """Make a superseded or withdrawn version current and publish; returns the version it replaces."""
    with db.writer() as conn:
        return _in_transaction(conn, lambda: make_current(conn, submission_id, datetime.now()))


def _in_transaction(conn: duckdb.DuckDBPyConnection, change: Callable[[], int | None]) -> int | None:
    conn.begin()
    try:
        value = change()
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return value
