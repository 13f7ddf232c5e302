"""How each column was understood, a person's corrections, and their memory per unit and header shape."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.cli import main as cli_main
from etl.errors import MissingColumn
from etl.ingest.column_map import ColumnChoices, describe, fingerprint
from etl.ingest.meta import MetaOptions
from etl.ingest.parse import parse_workbook
from etl.ingest.readers import read_workbook
from etl.model import Verdict
from etl.store.columns import file_columns, remembered_columns
from etl.store.db import Database
from etl.store.load import IngestOptions, ingest_bytes, preview_bytes
from etl.vocab.units import UNITS_CSV, UnitDirectory
from tests.helpers import TITLE, make_workbook
from tests.stores import reopen

# "Cơ quan cùng làm" names the coordinating units in words the reader does not know.
HEADER = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Cơ quan cùng làm", "Thời gian hoàn thành",
          "Tình trạng", "Kinh phí"]  # fmt: skip
COORD = 3  # offset of "Cơ quan cùng làm"


def _rows(n: int, shift: int = 0) -> list[list[object]]:
    task = [None, None, "Sở Ngoại vụ", "Sở Thông tin và Truyền thông", "30/9/2022", "Đang thực hiện", None]
    return [[None] * shift + [i, f"Nhiệm vụ số {i}", *task[2:6], 10 * i] for i in range(1, n + 1)]


def _file(n: int = 2, unit: str = "SỞ NGOẠI VỤ", shift: int = 0) -> bytes:
    title = [row if i != 1 else [unit] for i, row in enumerate(TITLE)]
    return make_workbook(_rows(n, shift), title=title, header=[None] * shift + HEADER)


def _parse(data: bytes, choices: ColumnChoices | None = None):
    wb = read_workbook(data, "bao_cao.xlsx")
    return parse_workbook(wb, MetaOptions(), UnitDirectory.from_csv(UNITS_CSV), choices)


def test_fingerprint_ignores_case_diacritics_and_position_but_not_a_renamed_column() -> None:
    base = fingerprint(["", "STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", ""])
    assert fingerprint(["STT", "NỘI DUNG NHIỆM VỤ", "Don vi chu tri"]) == base
    assert fingerprint(["STT", "Nội dung nhiệm vụ", "Đơn vị thực hiện"]) != base
    assert fingerprint(["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Ghi chú"]) != base


def test_every_column_is_described_in_plain_vietnamese_with_its_first_values() -> None:
    report = _parse(_file())
    said = [describe(u) for u in report.column_map]
    assert said[2] == "Cột C «Đơn vị chủ trì» → Đơn vị chủ trì"
    assert said[3] == "Cột D «Cơ quan cùng làm» → bỏ qua"
    assert said[6] == "Cột G «Kinh phí» → bỏ qua"
    assert report.column_map[1].samples == ("Nhiệm vụ số 1", "Nhiệm vụ số 2")
    assert report.tasks[0].coordinating_units == []


def test_a_chosen_column_is_read_and_takes_its_field_from_the_column_that_had_it() -> None:
    report = _parse(_file(), ColumnChoices(chosen={COORD: "coordinating_units", 6: "stt"}))
    assert report.tasks[0].coordinating_units == ["Sở Thông tin và Truyền thông"]
    assert report.tasks[1].stt == "20"  # "Kinh phí" now holds the STT
    uses = {u.letter: (u.used, u.source) for u in report.column_map}
    assert uses["D"] == ("coordinating_units", "chosen")
    assert uses["A"] == ("", "chosen")  # lost STT to column G


def test_a_correction_that_leaves_no_task_text_column_refuses_the_file_saying_so() -> None:
    with pytest.raises(MissingColumn, match="Nội dung nhiệm vụ"):
        _parse(_file(), ColumnChoices(chosen={1: ""}))


def test_a_correction_loaded_is_remembered_for_the_unit_and_applied_to_its_next_file(
    tmp_path: Path, make_store
) -> None:
    db = make_store("db")
    options = IngestOptions(archive_dir=tmp_path / "archive", chosen_columns={COORD: "coordinating_units"})
    fingerprint = preview_bytes("q3.xlsx", _file(2), options).report.header_fingerprint
    (first,) = ingest_bytes(db, [("q3.xlsx", _file(2), options)])
    assert first.verdict is Verdict.LOADED
    conn = db.reader()
    assert remembered_columns(conn) == {
        ("Thái Bình", "Sở Ngoại vụ", fingerprint): {COORD: "coordinating_units"}
    }
    stored = [
        (c["letter"], c["header"], c["used"], c["auto"], c["source"])
        for c in file_columns(conn, first.sha256)
    ]
    assert stored[3] == ("D", "Cơ quan cùng làm", "coordinating_units", "", "chosen")
    assert stored[6] == ("G", "Kinh phí", "", "", "auto")

    moved = preview_bytes("q3_moi.xlsx", _file(3, shift=2), IngestOptions(), db)  # same unit, table moved
    assert moved.report.tasks[0].coordinating_units == ["Sở Thông tin và Truyền thông"]
    assert "Đã dùng cách hiểu cột đã lưu" in moved.warnings[0].message
    assert "Cột F «Cơ quan cùng làm» → Đơn vị phối hợp" in moved.warnings[0].message

    other = preview_bytes("khac.xlsx", _file(2, unit="SỞ THÔNG TIN VÀ TRUYỀN THÔNG"), IngestOptions(), db)
    assert other.report.tasks[0].coordinating_units == []  # another unit: its own reading


def test_the_cli_applies_a_remembered_correction_and_says_so(tmp_path: Path, capsys, monkeypatch) -> None:
    db_path = tmp_path / "db.duckdb"
    monkeypatch.setenv("TTDN_ARCHIVE", str(tmp_path / "archive"))
    options = IngestOptions(chosen_columns={COORD: "coordinating_units"})
    ingest_bytes(Database(db_path), [("q3.xlsx", _file(2), options)])
    path = tmp_path / "q3_lan2.xlsx"
    path.write_bytes(_file(4))
    assert cli_main(["ingest", str(path), "--db", str(db_path)]) == 0
    assert "Cảnh báo: Đã dùng cách hiểu cột đã lưu" in capsys.readouterr().out
    conn = Database(db_path).reader()
    leads = conn.execute(
        "SELECT coordinating_units FROM report_tasks t JOIN submissions s USING (submission_id) "
        "WHERE s.file_name = 'q3_lan2.xlsx' ORDER BY row_no"
    ).fetchall()
    assert [r[0] for r in leads] == [["Sở Thông tin và Truyền thông"]] * 4


def test_choosing_the_readers_own_reading_again_forgets_the_correction(tmp_path: Path, make_store) -> None:
    db = make_store("db")
    first = IngestOptions(archive_dir=tmp_path / "a", chosen_columns={COORD: "coordinating_units"})
    again = IngestOptions(archive_dir=tmp_path / "a", chosen_columns={COORD: ""})
    ingest_bytes(db, [("q3.xlsx", _file(2), first), ("q3_b.xlsx", _file(3), again)])
    assert remembered_columns(db.reader()) == {}
    # remembered by one load, forgotten by a later one: what another process opens forgets it too
    ingest_bytes(db, [("q3_c.xlsx", _file(4), first)])
    assert remembered_columns(reopen(db).reader()) != {}
    ingest_bytes(db, [("q3_d.xlsx", _file(5), again)])
    assert remembered_columns(reopen(db).reader()) == {}


def test_a_file_from_before_column_memory_is_read_then_upgraded(tmp_path: Path) -> None:
    db = Database(tmp_path / "old.duckdb")
    with db.writer():
        pass
    with duckdb.connect(str(db.path)) as conn:  # as an older version left it
        conn.execute("DROP TABLE file_columns; DROP TABLE column_overrides")
        conn.execute("UPDATE schema_info SET schema_version = 'older'")
    old = Database(db.path)
    assert preview_bytes("q3.xlsx", _file(), IngestOptions(), old).verdict is Verdict.PREVIEWED
    assert old.upgrade() is True
    assert remembered_columns(Database(db.path).reader()) == {}
