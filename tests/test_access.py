"""Scope through the pages (AppTest): URL filters clamped to the viewer's province, uploads judged on
the file's own title, audited, the load log saying who loaded; the pages each role may open."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.accounts import audit
from etl.accounts.roles import GUEST, Role, User
from etl.model import Verdict
from etl.store.db import Database
from etl.store.load import IngestOptions, ingest_bytes
from queries import overview
from queries.filters import Filters
from tests.conftest import make_app
from tests.fixture_db import AS_OF, NGV, TTTT
from tests.helpers import plain
from tests.test_pages import _good_report, _metrics
from ui.access import page_allowed
from ui.navigation import page_files, url_path

HY, TQ = "Hưng Yên", "Tuyên Quang"
LEADER_TQ = User("ldtq", Role.LEADER, TQ)


def test_a_url_with_another_provinces_filter_shows_only_the_users_province(
    fixture_db_path, fixture_conn, monkeypatch
):
    at = make_app(fixture_db_path, monkeypatch, user=LEADER_TQ, province=HY).run()
    assert not at.exception
    assert at.selectbox(key="province").value == TQ
    mine = overview.kpis(fixture_conn, Filters(province=TQ, as_of=AS_OF))
    everyone = overview.kpis(fixture_conn, Filters(as_of=AS_OF))
    assert 0 < mine.n_tasks < everyone.n_tasks
    assert _metrics(at)["Tổng số nhiệm vụ"][0] == str(mine.n_tasks)


def test_the_scope_holds_in_the_queries_whatever_the_other_filters_say(fixture_conn):
    # old names of Hưng Yên, asked for by a viewer clamped to Tuyên Quang: nothing
    stolen = Filters(province="Thái Bình", province_mode="legacy", as_of=AS_OF, scope_province=TQ)
    assert overview.kpis(fixture_conn, stolen).n_tasks == 0


PAGES = {url_path(p) for p in page_files()}
RESTRICTED = {"Tai_bao_cao": {Role.ADMIN, Role.PROVINCE_STAFF, Role.UNIT_STAFF},
              "Ke_hoach": {Role.ADMIN, Role.PROVINCE_STAFF}, "Nhat_ky": {Role.ADMIN},
              "Danh_muc_don_vi": {Role.ADMIN, Role.PROVINCE_STAFF}}  # fmt: skip


@pytest.mark.parametrize(
    "user",
    [User("a", Role.ADMIN), User("b", Role.LEADER), LEADER_TQ, User("c", Role.PROVINCE_STAFF, HY),
     User("d", Role.UNIT_STAFF, HY, NGV), GUEST],
    ids=lambda u: u.role.value,
)  # fmt: skip
def test_pages_built_from_the_role(user: User) -> None:
    assert set(RESTRICTED) <= PAGES
    allowed = {p for p in PAGES if page_allowed(user, p)}
    assert allowed == {p for p in PAGES if user.role in RESTRICTED.get(p, set(Role))}


def _upload_as(user: User, db_path: Path, monkeypatch, data: bytes):
    at = make_app(db_path, monkeypatch, user=user).run()
    at.switch_page("pages/7_Tai_bao_cao.py").run()
    at.file_uploader[0].set_value([("bao_cao.xlsx", data, "application/octet-stream")])
    return at.run()


def test_unit_staff_cannot_load_another_units_report(
    accounts_backend, fixture_db_path, tmp_path, monkeypatch
) -> None:
    db_path = tmp_path / "upload.duckdb"
    shutil.copy(fixture_db_path, db_path)
    monkeypatch.setenv("TTDN_ARCHIVE", str(tmp_path / "archive"))
    report = _good_report()  # its title: Sở Ngoại vụ, Thái Bình (now Hưng Yên)

    at = _upload_as(User("tttt", Role.UNIT_STAFF, HY, TTTT), db_path, monkeypatch, report)
    assert not at.exception
    assert any("chỉ được nạp báo cáo của đơn vị «Sở Thông tin và Truyền thông»" in e.value for e in at.error)
    assert next(b for b in at.button if "tệp" in b.proto.label).proto.disabled
    refused = audit.search(audit.AuditQuery(action="upload_refuse"))
    assert [(r["username"], r["result"], r["unit"]) for r in refused] == [("tttt", "refused", NGV)]

    at = _upload_as(User("ngv", Role.UNIT_STAFF, HY, NGV), db_path, monkeypatch, report)
    assert not at.error
    next(b for b in at.button if b.proto.label.startswith("Xác nhận nạp 1 tệp")).click().run()
    assert plain([s.value for s in at.success][0]).startswith("bao_cao.xlsx: Đã nạp")
    actions = [(r["action"], r["username"]) for r in audit.search(audit.AuditQuery(username="ngv"))]
    assert actions == [("upload_confirm", "ngv"), ("upload_preview", "ngv")]
    confirm = audit.search(audit.AuditQuery(action="upload_confirm"))[0]
    assert '"sha256": "' in confirm["details"] and confirm["province"] == HY
    reader = Database(db_path).reader()
    assert reader.execute("SELECT loaded_by FROM load_log ORDER BY attempted_at DESC LIMIT 1").fetchone() == (
        "ngv",
    )


def test_scope_is_checked_again_when_the_file_is_written(fixture_db_path, tmp_path) -> None:
    db_path = tmp_path / "w.duckdb"
    shutil.copy(fixture_db_path, db_path)
    options = IngestOptions(
        archive_dir=tmp_path / "a", loaded_by="tttt", accept=lambda r: "không phải đơn vị của bạn"
    )
    (result,) = ingest_bytes(Database(db_path), [("bc.xlsx", _good_report())], options)
    assert result.verdict is Verdict.REJECTED and result.reason == "out of scope"
    assert [p.message for p in result.errors] == ["không phải đơn vị của bạn"]
    reader = Database(db_path).reader()
    assert reader.execute("SELECT count(*) FROM submissions").fetchone() == (6,)
    assert reader.execute(
        "SELECT verdict, loaded_by FROM load_log WHERE file_name = 'bc.xlsx'"
    ).fetchall() == [("rejected", "tttt")]


def _save_plan_as(user: User, db_path: Path, monkeypatch):
    from tests.test_plans_parse import SMALL_PLAN  # Tuyên Quang, 2022

    at = make_app(db_path, monkeypatch, user=user).run()
    at.switch_page("pages/11_Ke_hoach.py").run()
    at.text_area(key="plan_text").input(SMALL_PLAN).run()
    next(b for b in at.button if b.proto.label == "Đọc kế hoạch").click().run()
    next(b for b in at.button if b.proto.label == "Lưu kế hoạch").click().run()
    assert not at.exception
    return at


def test_plans_are_saved_in_the_users_province_only_and_audited(
    accounts_backend, fixture_db_path, tmp_path, monkeypatch
) -> None:
    db_path = tmp_path / "plans.duckdb"
    shutil.copy(fixture_db_path, db_path)
    at = _save_plan_as(User("cvhy", Role.PROVINCE_STAFF, HY), db_path, monkeypatch)
    assert [plain(e.value) for e in at.error] == [
        "Kế hoạch này của tỉnh Tuyên Quang; tài khoản của bạn chỉ quản lý kế hoạch thuộc phạm vi Hưng Yên."
    ]
    denied = audit.search(audit.AuditQuery(username="cvhy"))
    assert [(r["action"], r["result"], r["province"]) for r in denied] == [("access_denied", "denied", TQ)]
    at = _save_plan_as(User("cvtq", Role.PROVINCE_STAFF, TQ), db_path, monkeypatch)
    assert at.success and not at.error
    _save_plan_as(User("cvtq", Role.PROVINCE_STAFF, TQ), db_path, monkeypatch)  # the same plan again: an edit
    rows = audit.search(audit.AuditQuery(username="cvtq"))
    assert [(r["action"], r["province"]) for r in rows] == [("plan_edit", TQ), ("plan_import", TQ)]
    assert '"before": {"plan_id": ' in rows[0]["details"] and '"after": {"plan_id": ' in rows[0]["details"]
    assert '"before": null' in rows[1]["details"]


def test_the_audit_page_reads_the_trail_from_either_store(
    accounts_backend, fixture_db_path, tmp_path, monkeypatch
) -> None:
    if accounts_backend == "sqlite":
        monkeypatch.setenv("TTDN_ACCOUNTS_DB", str(tmp_path / "accounts.sqlite"))
    audit.record(audit.Event.LOGIN, "failed", username="lan", address="10.0.0.7")
    audit.record(audit.Event.EXPORT_DOWNLOAD, username="qt", object="nhiem_vu.xlsx")
    at = make_app(fixture_db_path, monkeypatch).run()
    at.switch_page("pages/12_Nhat_ky.py").run()
    assert not at.exception and "2 dòng" in [c.value for c in at.caption]
    shown = at.dataframe[0].value
    assert shown[["username", "result", "object"]].values.tolist() == [
        ["qt", "ok", "nhiem_vu.xlsx"], ["lan", "failed", "—"]
    ]  # fmt: skip
    assert shown["at"].str.endswith("+00:00").all()  # UTC, written the same by both stores
    at.text_input(key="audit_user").input("LAN").run()
    assert at.dataframe[0].value["address"].tolist() == ["10.0.0.7"]
