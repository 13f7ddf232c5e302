"""``python -m etl users …``: no default password, the first admin from stdin, one-time passwords,
the audit trail to CSV; and viewing without login, on while the database holds only demo reports."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl.accounts import sessions
from etl.accounts.store import connect
from tests.conftest import ROOT
from tests.procs import cli_env, report_bytes


def _users(tmp: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", "users", *args], cwd=ROOT, env=cli_env(tmp), input=stdin,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_first_admin_one_time_passwords_and_the_audit_csv(
    accounts_backend, tmp_path: Path, monkeypatch
) -> None:
    weak = _users(tmp_path, "create-admin", "quantri", "--password-stdin", stdin="ngắn\n")
    assert weak.returncode == 1 and "ít nhất 10 ký tự" in weak.stderr
    made = _users(tmp_path, "create-admin", "quantri", stdin="Mật khẩu quản trị rất dài\n")
    assert made.returncode == 0, made.stderr
    where = "PostgreSQL postgresql://" if accounts_backend == "postgresql" else "tệp "
    assert f"Tài khoản lưu ở {where}" in made.stdout
    user = _users(tmp_path, "create-user", "lan", "--role", "chuyên viên đơn vị", "--province", "Thái Bình",
                  "--unit", "Sở Ngoại vụ")  # fmt: skip
    assert user.returncode == 0, user.stderr
    one_time = user.stdout.rsplit(": ", 1)[1].strip()
    listed = _users(tmp_path, "list").stdout
    assert "lan\tChuyên viên đơn vị\tHưng Yên / Sở Ngoại vụ [phải đổi mật khẩu]" in listed
    monkeypatch.setenv("TTDN_DB", str(tmp_path / "default.duckdb"))  # the CLI's accounts file
    lan, _ = sessions.login("lan", one_time, conn=connect())
    assert lan.must_change
    bad = _users(tmp_path, "set-role", "lan", "--role", "lãnh đạo", "--province", "Atlantis")
    assert bad.returncode == 1 and "Không có tỉnh, thành phố 'Atlantis'" in bad.stderr
    out = tmp_path / "nhat_ky.csv"
    assert _users(tmp_path, "audit", "--since", "2000-01-01", "--out", str(out)).returncode == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(r["action"], r["object"] or r["username"]) for r in rows] == [
        ("login", "lan"), ("user_create", "lan"), ("user_create", "quantri")
    ]  # fmt: skip
    assert rows[1]["username"].startswith("cli:")


def test_anonymous_viewing_only_while_the_reports_are_the_demos(
    fixture_db_path, tmp_path, monkeypatch
) -> None:
    from etl.store.db import Database
    from etl.store.load import DEMO_LOADER, IngestOptions, ingest_bytes
    from ui.access import anonymous_allowed

    db_path = tmp_path / "ttdn.duckdb"
    monkeypatch.setenv("TTDN_DB", str(db_path))
    monkeypatch.setenv("TTDN_ANONYMOUS", "demo")
    assert anonymous_allowed()  # nothing loaded yet: the demo is about to be
    demo = IngestOptions(archive_dir=tmp_path / "a", loaded_by=DEMO_LOADER)
    ingest_bytes(Database(db_path), [("demo.xlsx", report_bytes(2024, 2, 3))], demo)
    assert anonymous_allowed()
    real = IngestOptions(archive_dir=tmp_path / "a", loaded_by="lan")
    ingest_bytes(Database(db_path), [("that.xlsx", report_bytes(2024, 3, 3))], real)
    assert not anonymous_allowed()
    monkeypatch.setenv("TTDN_ANONYMOUS", "on")
    assert anonymous_allowed()
    monkeypatch.setenv("TTDN_ANONYMOUS", "off")
    shutil.copy(fixture_db_path, tmp_path / "other.duckdb")
    monkeypatch.setenv("TTDN_DB", str(tmp_path / "other.duckdb"))
    assert not anonymous_allowed()


@pytest.mark.parametrize("mode", ["demo", "off"])
def test_the_fixture_database_is_real_data(fixture_db_path, monkeypatch, mode) -> None:
    from ui.access import anonymous_allowed

    monkeypatch.setenv("TTDN_DB", str(fixture_db_path))
    monkeypatch.setenv("TTDN_ANONYMOUS", mode)
    assert not anonymous_allowed()
