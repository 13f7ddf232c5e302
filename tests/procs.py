"""Run the ingest CLI in a child process, and build small report files for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import make_workbook

ROOT = Path(__file__).resolve().parent.parent
ROMAN = ("I", "II", "III", "IV")


def cli_env(tmp: Path) -> dict[str, str]:
    """The environment of a CLI child: archive and default database inside ``tmp``, never the project's."""
    return {**os.environ, "TTDN_ARCHIVE": str(tmp / "archive"), "TTDN_DB": str(tmp / "default.duckdb")}


def cli_command(*args: object) -> list[str]:
    return [sys.executable, "-m", "etl", "ingest", *map(str, args)]


def run_cli(tmp: Path, *args: object, timeout: float = 60) -> subprocess.CompletedProcess:
    """``python -m etl ingest ARGS`` from the project root; output captured as text."""
    return subprocess.run(
        cli_command(*args), cwd=ROOT, env=cli_env(tmp), capture_output=True, text=True, timeout=timeout
    )


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def report_bytes(year: int, quarter: int, n_tasks: int, unit: str = "SỞ NGOẠI VỤ") -> bytes:
    """A Thái Bình quarterly report of ``unit`` with ``n_tasks`` task rows (one period, one unit)."""
    title = [
        ["UBND TỈNH THÁI BÌNH", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        [unit, None, None, "Độc lập - Tự do - Hạnh phúc"],
        [f"KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM {year}"],
        [f"Quý {ROMAN[quarter - 1]} năm {year}"],
        [],
    ]
    rows = [
        [k + 1, f"Nhiệm vụ thông tin đối ngoại số {k + 1} quý {quarter}/{year}", "Sở Ngoại vụ",
         "Sở Thông tin và Truyền thông", f"Quý {ROMAN[quarter - 1]}/{year}", "Đang triển khai",
         10 * (k % 10), "Đang thực hiện", None]
        for k in range(n_tasks)
    ]  # fmt: skip
    return make_workbook(rows, title=title)


def write_reports(folder: Path, specs: list[tuple[int, int, int]]) -> int:
    """Write one report per (year, quarter, n_tasks) into ``folder``; returns the total task count."""
    folder.mkdir(parents=True, exist_ok=True)
    for year, quarter, n_tasks in specs:
        (folder / f"bc_{year}_q{quarter}.xlsx").write_bytes(report_bytes(year, quarter, n_tasks))
    return sum(n for _, _, n in specs)
