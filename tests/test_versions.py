"""Which version of a report counts (``etl.store.versions``): by the report's own date and number,
a warning for an older one loaded late, and a person's say (make current, withdraw) from the CLI and
the Dữ liệu page, every change kept in the history."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from etl.cli import main as cli_main
from etl.store.batch import ingest_items
from etl.store.db import Database
from etl.store.load import IngestOptions, preview_bytes
from etl.store.versions import Version, is_newer
from tests.conftest import make_app
from tests.helpers import make_workbook, plain
from tests.stores import store_env


def _report(day: int | None, number: int | None, status: str) -> bytes:
    """Sở Ngoại vụ Thái Bình's Quý III/2022 report, signed on 'day' October with 'number'."""
    ref = [f"Số: {number}/BC-SNgV" if number else None, None, None]
    ref.append(f"Thái Bình, ngày {day:02d} tháng 10 năm 2022" if day else None)
    title = [
        ["UBND TỈNH THÁI BÌNH", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["SỞ NGOẠI VỤ", None, None, "Độc lập - Tự do - Hạnh phúc"],
        ref,
        ["KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2022"],
        ["Quý III năm 2022"],
        [],
    ]
    rows = [
        [
            1,
            "Tổ chức hội nghị thông tin đối ngoại",
            "Sở Ngoại vụ",
            None,
            "Quý III/2022",
            "x",
            0 if status == "Chưa thực hiện" else 50,  # a percent agreeing with the status: no warning
            status,
            None,
        ]
    ]
    return make_workbook(rows, title=title)


def _load(db: Database, tmp_path: Path, *files: tuple[str, bytes]):
    return ingest_items(db, list(files), IngestOptions(archive_dir=tmp_path / "a"))


def _states(db: Database) -> dict[str, str]:
    rows = (
        db.reader()
        .execute(
            """SELECT file_name, CASE WHEN withdrawn_at IS NOT NULL THEN 'withdrawn'
                  WHEN superseded_by IS NULL THEN 'current' ELSE 'superseded' END FROM submissions"""
        )
        .fetchall()
    )
    return dict(rows)


def _current_status(db: Database) -> list[str]:
    return [r[0] for r in db.reader().execute("SELECT status_reported FROM v_task_progress").fetchall()]


def test_newer_is_the_report_date_then_its_number_then_the_load_time() -> None:
    t1, t2 = datetime(2022, 10, 1), datetime(2022, 10, 2)
    assert is_newer(Version(1, date(2022, 10, 20), 5, t1), Version(2, date(2022, 10, 5), 30, t2))
    assert is_newer(Version(1, date(2022, 10, 5), 30, t1), Version(2, date(2022, 10, 5), 12, t2))
    assert is_newer(Version(1, None, 30, t1), Version(2, date(2022, 10, 5), 12, t2))  # no date to compare
    assert is_newer(Version(2, None, None, t2), Version(1, None, None, t1))
    assert not is_newer(Version(1, date(2022, 10, 5), 12, t2), Version(2, date(2022, 10, 5), 12, t2))


def test_an_older_report_loaded_after_a_newer_one_is_kept_but_does_not_count(
    tmp_path: Path, make_store
) -> None:
    db = make_store("x")
    (new,) = _load(db, tmp_path, ("moi.xlsx", _report(20, 30, "Đang thực hiện")))
    assert not new.warnings
    (old,) = _load(db, tmp_path, ("cu.xlsx", _report(5, 12, "Chưa thực hiện")))
    assert str(old.verdict) == "loaded"
    assert "cũ hơn bản đang được tính 'moi.xlsx' (số 30, ngày 20/10/2022)" in old.warnings[-1].message
    assert _states(db) == {"moi.xlsx": "current", "cu.xlsx": "superseded"}
    assert _current_status(db) == ["in_progress"]
    # the same two loaded in date order: the newer one supersedes, no warning
    db2 = make_store("y")
    results = _load(
        db2,
        tmp_path,
        ("cu.xlsx", _report(5, 12, "Chưa thực hiện")),
        ("moi.xlsx", _report(20, 30, "Đang thực hiện")),
    )
    assert [r.warnings for r in results] == [[], []]
    assert _states(db2) == {"moi.xlsx": "current", "cu.xlsx": "superseded"}


def test_withdraw_and_restore_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture, make_store, monkeypatch
) -> None:
    db = make_store("x")
    _load(
        db,
        tmp_path,
        ("cu.xlsx", _report(5, 12, "Chưa thực hiện")),
        ("moi.xlsx", _report(20, 30, "Đang thực hiện")),
    )
    ids = dict(db.reader().execute("SELECT file_name, submission_id FROM submissions").fetchall())
    args = ["--db", str(db.path)] if isinstance(db, Database) else []
    for name, value in store_env(db).items():  # PostgreSQL: the CLI finds it in TTDN_DATABASE_URL
        monkeypatch.setenv(name, value)
    assert cli_main(["submissions", "withdraw", str(ids["moi.xlsx"]), "--reason", "nạp nhầm kỳ", *args]) == 0
    assert f"Bản được tính thay: mã {ids['cu.xlsx']}" in capsys.readouterr().out
    assert _states(db) == {"moi.xlsx": "withdrawn", "cu.xlsx": "current"}
    assert _current_status(db) == ["not_started"]  # the withdrawn one said in_progress
    # no reason, unknown id, already withdrawn: refused with a Vietnamese reason and exit 1
    assert cli_main(["submissions", "withdraw", str(ids["cu.xlsx"]), "--reason", " ", *args]) == 1
    assert cli_main(["submissions", "withdraw", "999", "--reason", "x", *args]) == 1
    assert cli_main(["submissions", "withdraw", str(ids["moi.xlsx"]), "--reason", "x", *args]) == 1
    err = capsys.readouterr().err
    assert "Cần ghi lý do" in err and "Không có báo cáo mã 999" in err and "đã được rút" in err
    assert cli_main(["submissions", "restore", str(ids["moi.xlsx"]), *args]) == 0
    assert _states(db) == {"moi.xlsx": "current", "cu.xlsx": "superseded"}
    assert cli_main(["submissions", "list", *args]) == 0
    assert (
        "moi.xlsx  (Sở Ngoại vụ, 2022-Q3, số 30, ngày 20/10/2022) — đang được tính" in capsys.readouterr().out
    )
    events = db.reader().execute("SELECT action FROM submission_events ORDER BY event_at, action").fetchall()
    assert [e[0] for e in events] == [
        "loaded",
        "loaded",
        "superseded",
        "made_current",
        "withdrawn",
        "made_current",
    ]


def test_the_data_page_withdraws_a_report_and_makes_another_current(
    fixture_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "page.duckdb"
    shutil.copy(fixture_db_path, db_path)
    at = make_app(db_path, monkeypatch).run()
    at.switch_page("pages/8_Du_lieu.py").run()
    assert not at.exception
    at.selectbox(key="version_pick").set_value(3)  # the fixture's Quý III report that superseded submission 6
    at.radio(key="version_action").set_value("Rút báo cáo")
    at.text_input(key="version_reason").input("nạp nhầm tệp")
    at.button(key="version_go").click().run()
    assert not at.exception and not at.error
    assert "Đã rút báo cáo mã 3. Bản được tính thay: mã 6." in [s.value for s in at.success]
    history = next(d.value for d in at.dataframe if "state_label" in d.value.columns).set_index(
        "submission_id"
    )
    assert history.loc[3, "state_label"] == "Đã rút" and history.loc[3, "withdrawn_reason"] == "nạp nhầm tệp"
    assert history.loc[6, "state_label"] == "Đã nạp"
    events = next(d.value for d in at.dataframe if "action_label" in d.value.columns)
    assert sorted(events["action_label"][:2]) == ["Bị rút", "Được chọn làm bản được tính"]
    # withdrawing without a reason is refused in Vietnamese, nothing changes
    at.selectbox(key="version_pick").set_value(6)
    at.radio(key="version_action").set_value("Rút báo cáo")
    at.text_input(key="version_reason").input("")
    at.button(key="version_go").click().run()
    assert [e.value for e in at.error] and "Cần ghi lý do" in at.error[0].value
    at.radio(key="version_action").set_value("Dùng bản này")
    at.selectbox(key="version_pick").set_value(3)
    at.button(key="version_go").click().run()
    assert "Báo cáo mã 3 là bản được tính. Thay cho mã 6." in [s.value for s in at.success]


def test_only_who_may_load_a_units_reports_withdraws_them_and_it_is_audited(
    fixture_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl.accounts import audit
    from etl.accounts.roles import GUEST, Role, User

    db_path = tmp_path / "page.duckdb"
    shutil.copy(fixture_db_path, db_path)
    monkeypatch.setenv("TTDN_ACCOUNTS_DB", str(tmp_path / "accounts.sqlite"))
    at = make_app(db_path, monkeypatch, user=GUEST).run()
    at.switch_page("pages/8_Du_lieu.py").run()
    assert not at.exception and [s for s in at.selectbox if s.key == "version_pick"] == []  # viewers: no form
    staff = User("tttt", Role.UNIT_STAFF, "Hưng Yên", "Sở Thông tin và Truyền thông")  # 3 is Sở Ngoại vụ
    at = make_app(db_path, monkeypatch, user=staff).run()
    at.switch_page("pages/8_Du_lieu.py").run()
    at.selectbox(key="version_pick").set_value(3)
    at.radio(key="version_action").set_value("Rút báo cáo")
    at.text_input(key="version_reason").input("thử")
    at.button(key="version_go").click().run()
    assert "nằm ngoài phạm vi tài khoản của bạn" in plain(at.error[0].value)
    assert (
        next(d.value for d in at.dataframe if "state_label" in d.value.columns)
        .set_index("submission_id")
        .loc[3, "state_label"]
        != "Đã rút"
    )
    denied = audit.search(audit.AuditQuery(action="access_denied"))
    assert denied and denied[0]["object"] == "submission 3" and denied[0]["username"] == "tttt"


def test_the_upload_preview_says_a_newer_version_already_counts(tmp_path: Path, make_store) -> None:
    db = make_store("x")
    _load(db, tmp_path, ("moi.xlsx", _report(20, 30, "Đang thực hiện")))
    older = preview_bytes("cu.xlsx", _report(5, 12, "Chưa thực hiện"), IngestOptions(), db)
    assert str(older.verdict) == "previewed" and older.older_than == "'moi.xlsx' (số 30, ngày 20/10/2022)"
    assert "cũ hơn bản đang được tính" in older.warnings[-1].message
    newer = preview_bytes("moi2.xlsx", _report(25, 31, "Đang thực hiện"), IngestOptions(), db)
    assert newer.older_than is None and not newer.warnings
