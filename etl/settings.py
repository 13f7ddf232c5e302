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
        Setting("TTDN_ARCHIVE", "data/archive", "Folder where every loaded file is archived by hash."),
        Setting("TTDN_MAX_FILE_MB", "20", "Largest upload accepted, in MiB."),
        Setting("TTDN_MAX_UNZIPPED_MB", "200", "Largest total uncompressed size of an .xlsx/.ods, in MiB."),
        Setting("TTDN_MAX_ZIP_RATIO", "100", "Largest compression ratio of one zip entry (zip-bomb guard)."),
        Setting("TTDN_MAX_CELLS", "2000000", "Largest number of cells in one sheet."),
        Setting("TTDN_DUE_SOON_DAYS", "14", "Default window, in days, for the 'Sắp đến hạn' flag."),
        Setting(
            "TTDN_MIN_UNIT_TASKS",
            "3",
            "Units with fewer tasks are listed apart, not ranked by completion rate.",
        ),
        Setting("TTDN_DEMO", "1", "Load the demo data into an empty database when the app starts (1/0)."),
        Setting("TTDN_CHROMIUM", "/usr/bin/chromium", "Chromium used for chart images and browser tests."),
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
    """Guards applied before parsing an uploaded file."""

    max_file_bytes: int = field(default_factory=lambda: int(number("TTDN_MAX_FILE_MB") * 2**20))
    max_unzipped_bytes: int = field(default_factory=lambda: int(number("TTDN_MAX_UNZIPPED_MB") * 2**20))
    max_zip_ratio: float = field(default_factory=lambda: number("TTDN_MAX_ZIP_RATIO"))
    max_cells: int = field(default_factory=lambda: int(number("TTDN_MAX_CELLS")))
