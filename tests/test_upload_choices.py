"""The upload page asks what a file does not say, shows how each column was understood, and lets a
person correct a column; the correction is remembered for the unit's next file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.model import FileResult, ReportMeta, Verdict
from etl.store.db import Database
from tests.conftest import make_app
from tests.helpers import make_workbook, plain
from ui.file_choices import file_id as _file_id
from ui.meta_form import guess
from ui.upload import Upload

# "Cơ quan cùng làm" names the coordinating units in words the reader does not know.
HEADER = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Cơ quan cùng làm", "Thời gian hoàn thành",
          "Tình trạng", "Kinh phí"]  # fmt: skip
TITLE = [
    ["UBND TỈNH THÁI BÌNH"],
    ["SỞ NGOẠI VỤ"],
    ["KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI"],
    ["Quý III năm 2024"],
    [],
]
TTTT = "Sở Thông tin và Truyền thông"


def _report(n: int, title: list[list[object]] = TITLE) -> bytes:
    rows = [
        [i, f"Nhiệm vụ thử số {i}", "Sở Ngoại vụ", TTTT, "30/9/2024", "Đang thực hiện", 5 * i]
        for i in range(1, n + 1)
    ]
    return make_workbook(rows, title=title, header=HEADER)


@pytest.fixture
def page(fixture_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db_path = tmp_path / "upload.duckdb"
    shutil.copy(fixture_db_path, db_path)
    monkeypatch.setenv("TTDN_ARCHIVE", str(tmp_path / "archive"))

    def upload(*files: tuple[str, bytes]):
        at = make_app(db_path, monkeypatch).run()
        at.switch_page("pages/7_Tai_bao_cao.py").run()
        at.file_uploader[0].set_value([(name, data, "application/octet-stream") for name, data in files])
        return at.run()

    upload.db = Database(db_path)
    return upload


def file_id(name: str, data: bytes) -> str:
    return _file_id(Upload(name, data))


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _text(at) -> str:
    return plain(" ".join(m.value for m in at.markdown))


def _confirm(at) -> None:
    next(b for b in at.button if b.proto.label.startswith("Xác nhận nạp")).click().run()
    _ok(at)


def _button(at, label: str):
    return next(b for b in at.button if b.proto.label == label)


def test_a_file_without_its_province_asks_for_it_and_loads_after_the_choice(page) -> None:
    data = _report(3, title=TITLE[1:])
    at = page(("khong_tinh.xlsx", data))
    _ok(at)
    assert "Bị từ chối — cần sửa rồi tải lại" in _text(at)
    assert [i.value for i in at.info][0].startswith("Chưa nạp được vì tệp không ghi rõ thông tin dưới đây")
    assert not at.error  # nothing to fix in the file: the page asks instead
    at.selectbox(key=f"meta_province_{file_id('khong_tinh.xlsx', data)}").set_value("Thái Bình").run()
    _button(at, "Đọc lại tệp với thông tin này").click().run()
    _ok(at)
    assert "Đọc được — sẵn sàng nạp" in _text(at)
    assert "Sở Ngoại vụ — Thái Bình (nay: Hưng Yên) — Quý III/2024 — 3 nhiệm vụ" in _text(at)
    _confirm(at)
    assert [plain(s.value) for s in at.success] == ["khong_tinh.xlsx: Đã nạp (3 nhiệm vụ)"]
    sql = "SELECT province_legacy, reporting_unit, n_rows FROM submissions WHERE file_name = ?"
    row = page.db.reader().execute(sql, ["khong_tinh.xlsx"]).fetchone()
    assert row == ("Thái Bình", "Sở Ngoại vụ", 3)


def _columns(at):
    return next(d.value for d in at.dataframe if "Cách hiểu" in d.value.columns)


def test_a_reassigned_column_loads_and_is_applied_to_the_units_next_file(page) -> None:
    data = _report(2)
    at = page(("q3.xlsx", data))
    _ok(at)
    columns = _columns(at)
    assert list(columns["Cách hiểu"])[3] == "Cột D «Cơ quan cùng làm» → bỏ qua"
    assert list(columns["Dòng đầu 1"])[3] == TTTT
    at.selectbox(key=f"col_{file_id('q3.xlsx', data)}_3").set_value("coordinating_units").run()
    _ok(at)
    columns = _columns(at)
    assert list(columns["Cách hiểu"])[3] == "Cột D «Cơ quan cùng làm» → Đơn vị phối hợp"
    assert list(columns["Nguồn"])[3] == "vừa chọn"
    tasks = next(d.value for d in at.dataframe if "coordinating_units_text" in d.value.columns)
    assert list(tasks["coordinating_units_text"]) == [TTTT, TTTT]
    _confirm(at)
    conn = page.db.reader()
    stored = conn.execute(
        "SELECT t.coordinating_units FROM report_tasks t JOIN submissions s USING (submission_id) "
        "WHERE s.file_name = 'q3.xlsx'"
    ).fetchall()
    assert stored == [([TTTT],), ([TTTT],)]

    after = page(("q3_bo_sung.xlsx", _report(4)))
    _ok(after)
    assert any("lần tải trước của đơn vị này" in i.value for i in after.info)
    columns = _columns(after)
    assert list(columns["Nguồn"])[3] == "đã lưu từ lần sửa trước"
    tasks = next(d.value for d in after.dataframe if "coordinating_units_text" in d.value.columns)
    assert list(tasks["coordinating_units_text"]) == [TTTT] * 4


def test_a_choice_that_leaves_no_task_column_can_be_undone(page) -> None:
    data = _report(2)
    at = page(("q3.xlsx", data))
    at.selectbox(key=f"col_{file_id('q3.xlsx', data)}_1").set_value("").run()
    _ok(at)
    assert "Bị từ chối — cần sửa rồi tải lại" in _text(at)
    _button(at, "Trở lại cách đọc cột tự động").click().run()
    _ok(at)
    assert "Đọc được — sẵn sàng nạp" in _text(at)


def test_header_text_from_a_file_is_shown_as_written_never_as_markdown(page) -> None:
    header = [*HEADER[:-1], "**Kinh phí** [xem](http://x.vn) :red[!]"]
    rows = [[1, "Nhiệm vụ", "Sở Ngoại vụ", TTTT, "30/9/2024", "Đang thực hiện", 5]]
    data = make_workbook(rows, title=TITLE, header=header)
    at = page(("a.xlsx", data), ("b.xlsx", data))  # the same bytes twice: each file its own widgets
    _ok(at)
    assert list(_columns(at)["Cách hiểu"])[6] == f"Cột G «{header[-1]}» → bỏ qua"
    assert f"Cột G «{header[-1]}»" in [t.value for t in at.text]  # st.text: no Markdown
    assert at.selectbox(key=f"col_{file_id('a.xlsx', data)}_6").label == "Cột G"
    assert at.selectbox(key=f"col_{file_id('b.xlsx', data)}_6").value == ""


def test_the_readers_guesses_prefill_the_questions_whatever_their_shape() -> None:
    as_meta = FileResult(
        "a.xlsx", Verdict.REJECTED, guesses=ReportMeta("Hưng Yên", "Thái Bình", "Sở Ngoại vụ", 2022, "Q", 3)
    )
    assert guess(as_meta, "province_legacy", "province") == "Thái Bình"
    assert (guess(as_meta, "unit", "reporting_unit"), guess(as_meta, "period")) == ("Sở Ngoại vụ", "2022-Q3")
    as_dict = FileResult("a.xlsx", Verdict.REJECTED, guesses={"province": "Phú Yên", "period": "2022"})
    assert (guess(as_dict, "province_legacy", "province"), guess(as_dict, "unit"), guess(as_dict, "period")) == (
        "Phú Yên", None, "2022",
    )  # fmt: skip
    assert guess(FileResult("a.xlsx", Verdict.REJECTED), "period") is None


def test_a_refusal_caused_by_a_misread_column_is_fixed_in_the_preview(page) -> None:
    # what was done sits under "Tiến độ" (read as percent), the status under "Kinh phí" (read as nothing)
    header = [*HEADER[:5], "Tiến độ", "Kinh phí"]
    rows = [
        [i, f"Nhiệm vụ {i}", "Sở Ngoại vụ", TTTT, "30/9/2024", "Đúng kế hoạch", "Đang thực hiện"]
        for i in (1, 2)
    ]
    data = make_workbook(rows, title=TITLE, header=header)
    at = page(("tien_do.xlsx", data))
    _ok(at)
    assert "Bị từ chối — cần sửa rồi tải lại" in _text(at)
    assert list(_columns(at)["Cách hiểu"])[5] == "Cột F «Tiến độ» → Tiến độ (%)"
    at.selectbox(key=f"col_{file_id('tien_do.xlsx', data)}_5").set_value("result_text").run()
    at.selectbox(key=f"col_{file_id('tien_do.xlsx', data)}_6").set_value("status").run()
    _ok(at)
    assert "Đọc được — sẵn sàng nạp" in _text(at)
    tasks = next(d.value for d in at.dataframe if "status" in d.value.columns)
    assert list(tasks["status"]) == ["Đang thực hiện", "Đang thực hiện"]
