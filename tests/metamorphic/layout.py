"""The layout description a rendering follows, and the grid it is drawn on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
CSV_FORMATS = ("csv_utf8", "csv_bom", "csv_1258_semicolon", "csv_1258_comma")
LABELS = {
    "stt": "STT",
    "title": "Nội dung nhiệm vụ",
    "lead": "Đơn vị chủ trì",
    "coord": "Đơn vị phối hợp",
    "due": "Thời gian hoàn thành",
    "ext": "Thời hạn điều chỉnh",
    "result": "Kết quả thực hiện",
    "percent": "Tiến độ (%)",
    "status": "Tình trạng",
    "completed": "Ngày hoàn thành",
    "difficulties": "Khó khăn, vướng mắc",
    "proposals": "Đề xuất, kiến nghị",
    "note": "Ghi chú",
    "budget": "Kinh phí (triệu đồng)",
    "person": "Người phụ trách",
    "phone": "Số điện thoại",
    "blank": "",
}
STATUS_WORDS = {
    "done": "Đã hoàn thành",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa thực hiện",
    "suspended": "Tạm dừng",
}
MARK_LABELS = {
    "done": "Hoàn thành",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa thực hiện",
    "suspended": "Tạm dừng",
}


class Incompatible(Exception):
    """The layout asks for something the format cannot hold (merged cells in a CSV)."""


@dataclass
class Layout:
    """How to print a truth. Every transformation sets some of these knobs."""

    fmt: str = "xlsx"
    top: int = 0
    left: int = 0
    header_block: str = "standard"  # standard | none | letter | spelled | party | district | summary
    title_variant: int = 0
    labels: dict[str, str] = field(default_factory=lambda: dict(LABELS))
    label_styles: list[Callable[[str], str]] = field(default_factory=list)
    label_numbers: bool = False  # "Nội dung nhiệm vụ (2)"
    unit_group: bool = False
    result_group: bool = False
    extension_sub: bool = False
    marks: tuple[str, ...] | None = None
    mark_symbol: object = "x"
    marks_grouped: bool = True  # under a "Tình trạng thực hiện" group, or as plain columns
    marks_label: str = "Tình trạng thực hiện"  # the group label over x-mark columns
    due_date_style: str = "date"  # how a deadline typed as a date cell is printed: date | datetime
    number_row: str | None = None  # int | text | parens: a row 1, 2, 3 … under the header
    shuffle: int | None = None  # seed of a column shuffle
    extras: tuple[str, ...] = ()
    section_style: str = "stt"  # stt | stt_dot | merged | in_title
    number_suffix: str = ""  # "1." printed as text
    form_label: tuple[str, str] | None = None  # (text, "left" | "right") above the issuing block
    merge_down: bool = False
    two_row_tasks: bool = False  # every third task over two rows, all but its result cell merged down
    spacers: bool = False
    total_row: bool = False
    footer: str = "signature"  # signature | noi_nhan_stt | phone
    unit_styles: list[Callable[[str], str]] = field(default_factory=list)
    unit_sep: str = "; "  # any separator, or "bullets" / "va"
    status_words: dict[str, str] = field(default_factory=lambda: dict(STATUS_WORDS))
    status_style: Callable[[str], str] | None = None
    blank_status: bool = False
    percent_style: str = "number"  # number | fraction | text | text_space | comma
    date_style: str = "date"  # date | datetime | slash | dot | dash | words
    per_unit_sheets: bool = False
    block_on_every_sheet: bool = True
    header_merges: bool = True
    stale_sheets: bool = False
    visible_copy: bool = False
    needs_options: bool = False  # the file does not say who / when: the caller gives it

    @property
    def csv(self) -> bool:
        return self.fmt in CSV_FORMATS


@dataclass
class Grid:
    name: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    fmts: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    state: str = "visible"  # visible | hidden | veryHidden

    def put(self, r: int, c: int, value: object, fmt: str | None = None) -> None:
        if value is None or value == "":
            return
        self.cells[(r, c)] = value
        if fmt:
            self.fmts[(r, c)] = fmt

    @property
    def height(self) -> int:
        return 1 + max((r for r, _ in self.cells), default=-1)


@dataclass
class Rendered:
    grids: list[Grid]
    expected: list[dict]  # per task: compared fields + source
    meta: tuple
