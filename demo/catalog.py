"""What the demo reports cover: provinces (old and current names), their units and periods, the tasks.

Task texts come from two real plans (see ``data/README.md``); provinces mix names from before the
2025 reorganisation (Thái Bình, Phú Yên, Hà Giang, Thừa Thiên Huế) and current ones (Tuyên Quang, Huế).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")

TTTT = "Sở Thông tin và Truyền thông"
KHDT = "Sở Kế hoạch và Đầu tư"
VHTTDL = "Sở Văn hóa, Thể thao và Du lịch"
# From 1 March 2025 foreign information moved to the culture sector and planning merged into finance.
RENAMES_2025 = {TTTT: VHTTDL, KHDT: "Sở Tài chính"}


@dataclass(frozen=True)
class PlanTask:
    plan: str
    section: str
    section_title: str
    title: str
    due: str  # month:6 | quarter:3 | half:1 | year | date:10/4 | recurring | on_demand
    lead: tuple[str, ...]  # ("*",) = each reporting unit for itself
    coord: tuple[str, ...]


@dataclass(frozen=True)
class DemoProvince:
    name: str  # as the reports write it
    code: str  # file-name prefix
    header: str  # issuing body line, e.g. "UBND TỈNH THÁI BÌNH"
    plan: str
    units: tuple[str, ...]
    periods: tuple[str, ...]
    renames: dict[str, str] = field(default_factory=dict)  # plan unit → unit of this province
    not_reported: tuple[tuple[str, str], ...] = ()  # (unit, period) left out: "chưa báo cáo"

    def unit_name(self, plan_unit: str, year: int) -> str:
        name = plan_unit.replace("{P}", self.name)
        name = self.renames.get(name, name)
        return RENAMES_2025.get(name, name) if year >= 2025 else name

    def units_in(self, year: int) -> list[str]:
        return list(dict.fromkeys(self.unit_name(u, year) for u in self.units))


PROVINCES: tuple[DemoProvince, ...] = (
    DemoProvince(
        "Thái Bình", "TB", "UBND TỈNH THÁI BÌNH", "thai_binh",
        (TTTT, "Sở Ngoại vụ", KHDT, VHTTDL, "Sở Công Thương", "Báo {P}", "Sở Tài chính"),
        ("2023-Q4", "2024-Q2", "2024-Q3", "2024-Q4"),
        not_reported=(("Báo Thái Bình", "2024-Q4"),),
    ),
    DemoProvince(
        "Phú Yên", "PY", "UBND TỈNH PHÚ YÊN", "thai_binh",
        (TTTT, "Sở Ngoại vụ", VHTTDL, "Sở Công Thương", "Báo {P}"),
        ("2024-Q2", "2024-Q3", "2024-Q4"),
    ),
    DemoProvince(
        "Hà Giang", "HG", "UBND TỈNH HÀ GIANG", "thai_binh",
        (TTTT, "Sở Ngoại vụ", VHTTDL, "Báo {P}"),
        ("2024-Q2", "2024-Q3", "2024-Q4"),
        not_reported=(("Sở Ngoại vụ", "2024-Q4"),),
    ),
    DemoProvince(
        "Tuyên Quang", "TQ", "UBND TỈNH TUYÊN QUANG", "thai_binh",
        (TTTT, "Sở Ngoại vụ", VHTTDL, "Sở Công Thương", "Báo {P}", KHDT),
        ("2023-Q4", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q2"),
    ),
    DemoProvince(
        "Thừa Thiên Huế", "TTH", "UBND TỈNH THỪA THIÊN HUẾ", "hue",
        (TTTT, "Sở Ngoại vụ", "Sở Du lịch", "Công an tỉnh", "Đài Phát thanh và Truyền hình {P}", "Sở Công Thương",
         KHDT, "Sở Tài chính", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"),
        ("2024-Q2", "2024-Q3", "2024-Q4"),
    ),
    DemoProvince(
        "Huế", "HUE", "UBND THÀNH PHỐ HUẾ", "hue",
        (TTTT, "Sở Ngoại vụ", "Sở Du lịch", "Công an tỉnh", "Đài Phát thanh và Truyền hình {P}", "Sở Công Thương",
         "Sở Tài chính", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"),
        ("2025-Q1", "2025-Q2"),
        renames={TTTT: "Sở Văn hóa và Thể thao", "Công an tỉnh": "Công an thành phố",
                 "Bộ Chỉ huy Bộ đội Biên phòng tỉnh": "Bộ Chỉ huy Bộ đội Biên phòng thành phố"},
    ),
)  # fmt: skip

# A unit that re-sent a corrected report (the first one is superseded), and a file sent twice.
RESENT = ("Thái Bình", TTTT, "2024-Q3")
SENT_TWICE = ("Tuyên Quang", "Báo Tuyên Quang", "2024-Q2")


def _units(cell: str) -> tuple[str, ...]:
    return tuple(u.strip() for u in cell.split(";") if u.strip())


def plan_tasks(plan: str) -> list[PlanTask]:
    """The tasks of one demo plan, in plan order."""
    return list(_plan_tasks(plan))


@cache  # read once: each demo report looks its unit's tasks up in it
def _plan_tasks(plan: str) -> tuple[PlanTask, ...]:
    with (DATA / "plan_tasks.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["plan"] == plan]
    return tuple(
        PlanTask(
            r["plan"],
            r["section"],
            r["section_title"],
            r["title"],
            r["due"],
            _units(r["lead"]),
            _units(r["coord"]),
        )
        for r in rows
    )
