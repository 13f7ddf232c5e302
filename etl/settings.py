"""Settings, declared once with a default and one line of help; environment variables override.

Paths are resolved from the project root, never from the working directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def get(self) -> str:
        return os.environ.get(self.name, self.default)


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("TTDN_DB", "data/ttdn.duckdb", "DuckDB database file (relative to the project root)."),
        Setting(
            "TTDN_DATABASE_URL",
            "",
            "postgresql://… : the report data and the accounts in PostgreSQL instead of the local files (empty: the files).",
        ),
        Setting("TTDN_ARCHIVE", "data/archive", "Folder where every loaded file is archived by hash."),
        Setting("TTDN_MAX_FILE_MB", "20", "Largest upload accepted, in MiB."),
        Setting("TTDN_MAX_UNZIPPED_MB", "200", "Largest total uncompressed size of an .xlsx/.ods, in MiB."),
        Setting("TTDN_MAX_ZIP_RATIO", "100", "Largest compression ratio of one zip entry (zip-bomb guard)."),
        Setting("TTDN_MAX_CELLS", "2000000", "Largest number of cells in one sheet."),
        Setting(
            "TTDN_MAX_TOTAL_CELLS", "4000000", "Largest number of cells in all sheets of one file together."
        ),
        Setting("TTDN_MAX_SHEETS", "250", "Largest number of sheets in one workbook."),
        Setting("TTDN_MAX_ROWS", "50000", "Largest number of rows in all sheets of one file together."),
        Setting("TTDN_MAX_TASKS", "5000", "Largest number of task rows in one report."),
        Setting(
            "TTDN_MAX_CELL_CHARS", "32767", "Longest text in one cell, in characters (Excel's own limit)."
        ),
        Setting(
            "TTDN_PARSE_MEMORY_MB",
            "1024",
            "Memory (address space) allowed to the process that reads a file, in MiB.",
        ),
        Setting("TTDN_PARSE_SECONDS", "60", "Time allowed to read and check one file, in seconds."),
        Setting(
            "TTDN_INGEST_WORKERS",
            "",
            "Processes checking files side by side in a bulk load (empty: one per core, at most 4).",
        ),
        Setting("TTDN_DUE_SOON_DAYS", "14", "Default window, in days, for the 'Sắp đến hạn' flag."),
        Setting(
            "TTDN_MIN_UNIT_TASKS",
            "3",
            "Units with fewer tasks are listed apart, not ranked by completion rate.",
        ),
        Setting("TTDN_DEMO", "1", "Load the demo data into an empty database when the app starts (1/0)."),
        Setting(
            "TTDN_ACCOUNTS_DB",
            "accounts.sqlite",
            "SQLite file of accounts, sessions and the audit trail; relative: beside the DuckDB file; "
            "a postgresql:// URL: in that database instead.",
        ),
        Setting(
            "TTDN_ANONYMOUS",
            "demo",
            "Viewing without login: 'demo' while the database holds only demo data, 'on' always, 'off' never.",
        ),
        Setting("TTDN_SESSION_IDLE_MIN", "60", "A session ends after this many minutes without activity."),
        Setting("TTDN_SESSION_MAX_HOURS", "12", "A session ends this many hours after login, active or not."),
        Setting(
            "TTDN_LOGIN_MAX_FAILURES",
            "5",
            "Failed logins for one name before logins are refused for a while.",
        ),
        Setting("TTDN_LOGIN_LOCK_MIN", "15", "Minutes during which a throttled name cannot log in."),
        Setting(
            "TTDN_COOKIE_SECURE", "0", "1: the session cookie is sent over HTTPS only (behind a TLS proxy)."
        ),
        Setting("TTDN_CHROMIUM", "/usr/bin/chromium", "Chromium used for chart images and browser tests."),
        Setting(
            "TTDN_TRUSTED_PROXIES",
            "127.0.0.1,::1",
            "Reverse proxies whose X-Forwarded-For is believed: addresses or CIDR networks, comma-separated.",
        ),
    )
}


def get(name: str) -> str:
    return SETTINGS[name].get()


def path(name: str) -> Path:
    value = Path(get(name))
    return value if value.is_absolute() else ROOT / value


def number(name: str) -> float:
    return float(get(name))


@dataclass
class Limits:
    """Bounds on everything a file can make us do: size, cells, sheets, rows, tasks, memory, time."""

    max_file_bytes: int = field(default_factory=lambda: int(number("TTDN_MAX_FILE_MB") * 2**20))
    max_unzipped_bytes: int = field(default_factory=lambda: int(number("TTDN_MAX_UNZIPPED_MB") * 2**20))
    max_zip_ratio: float = field(default_factory=lambda: number("TTDN_MAX_ZIP_RATIO"))
    max_cells: int = field(default_factory=lambda: int(number("TTDN_MAX_CELLS")))
    max_total_cells: int = field(default_factory=lambda: int(number("TTDN_MAX_TOTAL_CELLS")))
    max_sheets: int = field(default_factory=lambda: int(number("TTDN_MAX_SHEETS")))
    max_rows: int = field(default_factory=lambda: int(number("TTDN_MAX_ROWS")))
    max_tasks: int = field(default_factory=lambda: int(number("TTDN_MAX_TASKS")))
    max_cell_chars: int = field(default_factory=lambda: int(number("TTDN_MAX_CELL_CHARS")))
    parse_memory_bytes: int = field(default_factory=lambda: int(number("TTDN_PARSE_MEMORY_MB") * 2**20))
    parse_seconds: float = field(default_factory=lambda: number("TTDN_PARSE_SECONDS"))
