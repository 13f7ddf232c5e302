"""The unit directory page (Danh mục đơn vị): a province's staff see their units, add an alias that
the reader then uses, remove one they added; refusals say why; every change is audited."""

from __future__ import annotations

import io
import shutil

import pytest

from demo.catalog import PROVINCES
from demo.generate import build_report
from etl.accounts import audit
from etl.accounts.roles import Action, Role, User, can
from etl.model import Verdict
from etl.store.db import Database
from etl.store.load import IngestOptions, ingest_bytes, preview_bytes
from etl.store.postgres import PostgresDatabase
from etl.store.unit_aliases import DirectoryError, add_alias, list_units, remove_alias
from etl.vocab.periods import parse_period_code
from tests.conftest import make_app
from tests.fixture_db import BAO_TQ, NGV, TTTT
from ui.access import page_allowed

PAGE = "pages/13_Danh_muc_don_vi.py"
HY = "Hưng Yên"
STAFF_HY = User("cvhy", Role.PROVINCE_STAFF, HY)
ALIAS = "Phòng Đối ngoại tỉnh"


@pytest.fixture
def db_path(fixture_db_path, tmp_path, monkeypatch):
    path = tmp_path / "dir.duckdb"
    shutil.copy(fixture_db_path, path)
    monkeypatch.setenv("TTDN_ARCHIVE", str(tmp_path / "archive"))
    monkeypatch.setenv("TTDN_DB", str(path))  # the audit trail beside it
    monkeypatch.delenv("TTDN_ACCOUNTS_DB", raising=False)
    monkeypatch.delenv("TTDN_DATABASE_URL", raising=False)
    return path


def _report_by(unit: str) -> bytes:
    buffer = io.BytesIO()
    build_report(PROVINCES[0], unit, parse_period_code("2024-Q3")).save(buffer)  # Thái Bình
    return buffer.getvalue()


def _page(db_path, monkeypatch, user=STAFF_HY):
    at = make_app(db_path, monkeypatch, user=user).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _button(at, label):
    return next(b for b in at.button if b.proto.label == label)


def _directory(at) -> dict[str, str]:
    df = at.dataframe[0].value
    return dict(zip(df["canonical_name"], df["aliases"], strict=True))


def _alias_events() -> list[dict]:
    return list(reversed(audit.search(audit.AuditQuery(action="unit_alias_edit"))))


def test_province_staff_add_an_alias_that_the_reader_then_uses_and_remove_it(db_path, monkeypatch):
    unit_of = {u.canonical_name: u.unit_id for u in list_units(Database(db_path).reader())}
    before = preview_bytes("bc.xlsx", _report_by(ALIAS), IngestOptions(), Database(db_path))
    assert before.report.meta.reporting_unit != NGV  # not known yet

    at = _page(db_path, monkeypatch)
    assert at.title[0].value == "Danh mục đơn vị"
    assert at.selectbox(key="dir_province").options == ["Thái Bình (nay thuộc Hưng Yên)"]
    assert set(_directory(at)) == {NGV, TTTT}  # not Báo Tuyên Quang: another province
    assert "từ lúc thêm trở đi" in at.info[0].value  # what happens to reports already loaded

    at.selectbox(key="dir_unit").set_value(unit_of[NGV])
    at.text_input(key="dir_alias").input(f"  {ALIAS} ")
    _button(at, "Thêm tên gọi").click().run()
    assert not at.exception and not at.error
    assert ALIAS in at.success[0].value
    assert ALIAS in _directory(at)[NGV].split("; ")
    assert at.text_input(key="dir_alias").value == ""

    (result,) = ingest_bytes(Database(db_path), [("bc.xlsx", _report_by(ALIAS))], IngestOptions())
    assert result.verdict is Verdict.LOADED
    assert Database(db_path).reader().execute(
        "SELECT reporting_unit FROM submissions WHERE submission_id = ?", [result.submission_id]
    ).fetchone() == (NGV,)

    (added,) = _alias_events()
    assert (added["username"], added["result"], added["province"], added["unit"], added["object"]) == (
        "cvhy", "ok", HY, NGV, ALIAS
    )  # fmt: skip
    assert (
        '"before": ["Sở NgV"]' in added["details"] and f'"after": ["{ALIAS}", "Sở NgV"]' in added["details"]
    )

    at = _page(db_path, monkeypatch)
    assert at.selectbox(key="dir_remove").options == [f"{ALIAS} → {NGV}"]
    _button(at, "Bỏ tên gọi").click().run()
    assert not at.error and "Đã bỏ tên gọi" in at.success[0].value
    assert _directory(at)[NGV] == "Sở NgV"
    removed = _alias_events()[-1]
    assert removed["result"] == "ok" and '"op": "remove"' in removed["details"]
    assert (
        f'"before": ["{ALIAS}", "Sở NgV"]' in removed["details"]
        and '"after": ["Sở NgV"]' in removed["details"]
    )


def test_an_alias_taken_by_another_unit_is_refused_with_the_units_name(db_path, monkeypatch):
    unit_of = {u.canonical_name: u.unit_id for u in list_units(Database(db_path).reader())}
    at = _page(db_path, monkeypatch)
    at.selectbox(key="dir_unit").set_value(unit_of[NGV])
    at.text_input(key="dir_alias").input("Sở TT & TT")  # another spelling of an alias of Sở TT&TT
    _button(at, "Thêm tên gọi").click().run()
    assert not at.exception and not at.success
    assert "đã dùng cho đơn vị khác" in at.error[0].value and TTTT in at.error[0].value
    assert _directory(at)[NGV] == "Sở NgV"
    (refused,) = _alias_events()
    assert refused["result"] == "refused" and "đã dùng cho đơn vị khác" in refused["details"]

    at.text_input(key="dir_alias").input("Sở Ngoại vụ").run()  # the unit's own name
    _button(at, "Thêm tên gọi").click().run()
    assert "đã có tên gọi" in at.error[0].value


def _allowed_for(user: User):
    return lambda province, unit: can(user, Action.MANAGE_UNITS, province, unit)


def test_a_unit_outside_the_users_province_is_refused_whatever_the_form_sent(db_path):
    db = Database(db_path)
    unit_of = {u.canonical_name: u.unit_id for u in list_units(db.reader())}
    with pytest.raises(DirectoryError, match="không thuộc phạm vi"):
        add_alias(db, unit_of[BAO_TQ], "Báo tỉnh", by="cvhy", allowed=_allowed_for(STAFF_HY))
    with pytest.raises(DirectoryError, match="không thuộc phạm vi"):
        add_alias(db, unit_of[NGV], "Phòng NV", by="ld", allowed=_allowed_for(User("ld", Role.LEADER, HY)))
    assert {u.canonical_name: u.aliases for u in list_units(db.reader())}[BAO_TQ] == ()


def test_only_aliases_a_person_added_can_be_removed_and_by_them_or_an_admin(db_path):
    db = Database(db_path)
    unit_of = {u.canonical_name: u.unit_id for u in list_units(db.reader())}
    allowed = _allowed_for(STAFF_HY)
    with pytest.raises(DirectoryError, match="danh mục gốc"):
        remove_alias(db, unit_of[NGV], "Sở NgV", by="cvhy", allowed=allowed)
    add_alias(db, unit_of[NGV], ALIAS, by="cvhy", allowed=allowed)
    with pytest.raises(DirectoryError, match="do tài khoản «cvhy» thêm"):
        remove_alias(
            db, unit_of[NGV], ALIAS, by="khac", allowed=_allowed_for(User("khac", Role.PROVINCE_STAFF, HY))
        )
    change = remove_alias(db, unit_of[NGV], ALIAS, by="quantri", allowed=lambda p, u: True, anyone=True)
    assert change.before == (ALIAS, "Sở NgV") and change.after == ("Sở NgV",)


@pytest.mark.parametrize("user", [User("ld", Role.LEADER, HY), User("cvdv", Role.UNIT_STAFF, HY, NGV)])
def test_leaders_and_unit_staff_do_not_get_the_page(db_path, monkeypatch, user):
    assert not page_allowed(user, "Danh_muc_don_vi")
    at = make_app(db_path, monkeypatch, user=user).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in their page list
        at.switch_page(PAGE)


def test_an_admin_chooses_among_every_province_and_user_text_stays_text(db_path, monkeypatch):
    at = _page(db_path, monkeypatch, user=User("quantri", Role.ADMIN))
    assert at.selectbox(key="dir_province").options == ["Thái Bình (nay thuộc Hưng Yên)", "Tuyên Quang"]
    at.selectbox(key="dir_province").set_value("Tuyên Quang").run()
    assert set(_directory(at)) == {BAO_TQ}
    hostile = "**Báo** [tỉnh](http://host.invalid) <b>x</b>"
    at.text_input(key="dir_alias").input(hostile)
    _button(at, "Thêm tên gọi").click().run()
    assert not at.error
    assert "\\*\\*Báo\\*\\*" in at.success[0].value and "[tỉnh](http" not in at.success[0].value
    assert hostile in _directory(at)[BAO_TQ].split("; ")  # stored as written


def test_an_alias_and_who_added_it_reach_another_instance_on_postgresql(db_path, pg_admin_url):
    """On the shared store an alias added through one instance is seen by another, which still knows
    who added it (only they may remove it)."""
    from etl.store.migrate import migrate
    from tests.pg_server import create_database
    from tests.stores import reopen

    url = create_database(pg_admin_url)
    migrate(Database(db_path), url)
    one = PostgresDatabase(url, path=db_path.with_name("pg.duckdb"))
    unit_of = {u.canonical_name: u.unit_id for u in list_units(one.reader())}
    add_alias(one, unit_of[NGV], ALIAS, by="cvhy", allowed=_allowed_for(STAFF_HY))
    other = reopen(one)
    assert ALIAS in {u.canonical_name: u.aliases for u in list_units(other.reader())}[NGV]
    with pytest.raises(DirectoryError, match="do tài khoản «cvhy» thêm"):
        remove_alias(
            other, unit_of[NGV], ALIAS, by="khac", allowed=_allowed_for(User("khac", Role.PROVINCE_STAFF, HY))
        )
    one.close()
    other.close()
