"""How one task of one unit progresses through a year, drawn once (fixed seed) and then reported
consistently in every period: a task done in Quý II is still done, with the same date, in Quý III."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from etl.vocab.periods import ROMAN_OF

SEED = "ttdn-demo-v1"

# Outcome of a dated task over its year, with its weight.
OUTCOMES = (("on_time", 36), ("late", 14), ("undated", 6), ("open", 20), ("stalled", 8), ("suspended", 7),
            ("extended", 9))  # fmt: skip

DIFFICULTIES = (
    "Kinh phí thực hiện chưa được bố trí kịp thời",
    "Thiếu cán bộ có trình độ ngoại ngữ để biên tập nội dung thông tin đối ngoại",
    "Chưa nhận được hướng dẫn chuyên môn của Trung ương",
    "Ảnh hưởng của việc sắp xếp tổ chức bộ máy, nhân sự thay đổi",
    "Đơn vị phối hợp chưa cung cấp đủ thông tin, tư liệu",
)
PROPOSALS = (
    "Đề nghị Ủy ban nhân dân tỉnh bổ sung kinh phí thực hiện",
    "Đề nghị tổ chức tập huấn nghiệp vụ cho cán bộ làm công tác thông tin đối ngoại",
    "Đề nghị các đơn vị phối hợp cung cấp thông tin đúng thời hạn",
)
RESULTS = (
    "Đã đăng tải {n} tin, bài trên Cổng Thông tin điện tử tỉnh",
    "Đã tổ chức {k} hội nghị với {m} đại biểu tham dự",
    "Đã xây dựng {k} phóng sự, phát trên kênh truyền hình đối ngoại",
    "Đã ban hành văn bản hướng dẫn; {k} đơn vị triển khai",
    "Đã phát hành {m} ấn phẩm giới thiệu tiềm năng của tỉnh",
)
IN_PROGRESS_RESULTS = (
    "Đang xây dựng dự thảo, lấy ý kiến các đơn vị",
    "Đã thực hiện {k} chuyên mục, {n} tin, bài; tiếp tục triển khai",
    "Đang phối hợp với các đơn vị liên quan triển khai theo kế hoạch",
)


def rng_for(*parts: object) -> random.Random:
    return random.Random("|".join([SEED, *map(str, parts)]))


def _last_day(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def deadline(spec: str, year: int, rng: random.Random) -> tuple[str, date | None]:
    """The deadline text a report prints and its due date, for a ``plan_tasks.csv`` form."""
    kind, _, arg = spec.partition(":")
    if kind == "month":
        m = int(arg)
        return rng.choice((f"Tháng {m}/{year}", f"Tháng {m} năm {year}")), _last_day(year, m)
    if kind == "quarter":
        q = int(arg)
        return f"Quý {ROMAN_OF[q]}/{year}", _last_day(year, 3 * q)
    if kind == "half":
        return f"6 tháng đầu năm {year}", date(year, 6, 30)
    if kind == "year":
        return rng.choice((f"Năm {year}", f"Trong năm {year}")), date(year, 12, 31)
    if kind == "date":
        d, m = map(int, arg.split("/"))
        return f"Trước ngày {d}/{m}/{year}", date(year, m, d)
    if kind == "recurring":
        return rng.choice(("Thường xuyên", "Định kỳ")), None
    return rng.choice(("Khi có yêu cầu", "Theo chỉ đạo")), None


@dataclass(frozen=True)
class Trajectory:
    """A task's year: when it started, was done, was suspended; its (extended) deadline."""

    outcome: str
    due: date | None
    start: date
    done_on: date | None = None
    suspend_from: date | None = None
    extension: date | None = None
    undated: bool = False


def draw(rng: random.Random, spec: str, due: date | None, year: int) -> Trajectory:
    jan = date(year, 1, 2)
    if spec == "recurring":
        done = date(year, 12, 20) if rng.random() < 0.3 else None
        return Trajectory("recurring", None, jan, done_on=done)
    if spec == "on_demand":
        done = jan + timedelta(days=rng.randint(40, 300)) if rng.random() < 0.5 else None
        return Trajectory("on_demand", None, jan, done_on=done)
    assert due is not None
    outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
    start = max(jan, due - timedelta(days=rng.randint(45, 150)))
    if outcome in ("on_time", "undated"):
        done = max(start + timedelta(days=7), due - timedelta(days=rng.randint(0, 30)))
        return Trajectory(outcome, due, start, done_on=done, undated=outcome == "undated")
    if outcome == "late":
        return Trajectory(
            outcome, due, start, done_on=min(date(year, 12, 28), due + timedelta(days=rng.randint(8, 75)))
        )
    if outcome == "suspended":
        return Trajectory(outcome, due, start, suspend_from=start + timedelta(days=rng.randint(20, 60)))
    if outcome == "extended":
        extension = min(date(year, 12, 31), due + timedelta(days=rng.randint(45, 90)))
        done = extension - timedelta(days=rng.randint(3, 20)) if rng.random() < 0.5 else None
        return Trajectory(outcome, due, start, done_on=done, extension=extension)
    return Trajectory(outcome, due, start)


@dataclass(frozen=True)
class ReportedRow:
    """What a unit writes for a task at the end of one period."""

    status: str
    pct: int
    completed_on: date | None
    extension: date | None
    result: str | None
    difficulties: str | None
    proposals: str | None


def report(t: Trajectory, period_end: date, rng: random.Random) -> ReportedRow:
    """The row of the report written at ``period_end`` (as of that day)."""
    fill = {"n": rng.randint(12, 240), "k": rng.randint(2, 15), "m": rng.randint(80, 600)}
    extension = t.extension if t.extension and t.due and period_end >= t.due - timedelta(days=30) else None
    if t.done_on and t.done_on <= period_end:
        word = rng.choice(("Đã hoàn thành", "Hoàn thành"))
        return ReportedRow(word, 100, None if t.undated else t.done_on, extension,
                           rng.choice(RESULTS).format(**fill), None, None)  # fmt: skip
    if t.outcome == "suspended" and t.suspend_from and t.suspend_from <= period_end:
        return ReportedRow(rng.choice(("Tạm dừng", "Đề nghị điều chỉnh")), rng.choice((20, 30, 40)), None, None,
                           "Tạm dừng triển khai", rng.choice(DIFFICULTIES), rng.choice(PROPOSALS))  # fmt: skip
    if t.outcome == "on_demand":
        return ReportedRow("Chưa thực hiện", 0, None, None, "Chưa phát sinh yêu cầu trong kỳ", None, None)
    if t.outcome == "stalled" or period_end < t.start:
        late = t.due is not None and period_end > t.due
        return ReportedRow(rng.choice(("Chưa thực hiện", "Chưa triển khai")), 0, None, None, None,
                           rng.choice(DIFFICULTIES) if late else None, rng.choice(PROPOSALS) if late else None)  # fmt: skip
    target = t.extension or t.due or date(period_end.year, 12, 31)
    span = max(1, (target - t.start).days)
    pct = int(min(90, max(10, round(85 * (period_end - t.start).days / span / 5) * 5)))
    behind = t.due is not None and period_end > t.due
    proposal = (
        f"Đề nghị gia hạn đến ngày {extension:%d/%m/%Y}"
        if extension
        else (rng.choice(PROPOSALS) if behind else None)
    )
    return ReportedRow(rng.choice(("Đang thực hiện", "Đang triển khai")), pct, None, extension,
                       rng.choice(IN_PROGRESS_RESULTS).format(**fill),
                       rng.choice(DIFFICULTIES) if behind or extension else None, proposal)  # fmt: skip
