"""PostgreSQL as the store (``etl/store/postgres.py``): what another instance sees, writers queueing,
a failed write, row-level security, and moving a DuckDB install (``python -m etl migrate``)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import psycopg
import pytest

from etl.store.db import Database
from etl.store.migrate import MigrationError, migrate
from etl.store.postgres import PostgresDatabase
from tests.fixture_db import AS_OF, build_fixture_db
from tests.pg_server import create_database
from tests.procs import ROOT, cli_command, cli_env, json_lines, write_reports
from tests.stores import reopen, store_env

COUNT = "SELECT count(*) FROM v_task_progress"


@pytest.fixture
def pg(pg_admin_url: str, tmp_path: Path):
    db = PostgresDatabase(create_database(pg_admin_url), path=tmp_path / "local.duckdb")
    yield db
    db.close()


def _add_submission(db, sid: int, province: str, legacy: str) -> None:
    with db.writer() as conn:
        conn.execute(
            "INSERT INTO submissions (submission_id, file_name, sha256, province, province_legacy, reporting_unit,"
            " period_year, period_kind, period_index, loaded_at, n_rows) VALUES (?, ?, ?, ?, ?, 'Sở Ngoại vụ',"
            " 2024, 'Q', 3, ?, 1)",
            [sid, f"bc{sid}.xlsx", f"sha{sid}", province, legacy, datetime(2024, 10, 1)],
        )
        conn.execute(
            "INSERT INTO report_tasks (submission_id, row_no, task_title, due_kind, status_reported)"
            " VALUES (?, 10, 'Nhiệm vụ', 'none', 'done')",
            [sid],
        )


def test_a_load_in_one_instance_shows_in_another_within_seconds(pg: PostgresDatabase) -> None:
    other = reopen(pg)
    assert other.reader().execute(COUNT).fetchone()[0] == 0
    _add_submission(pg, 1, "Hưng Yên", "Thái Bình")
    assert pg.reader().execute(COUNT).fetchone()[0] == 1, "the writing instance sees its load at once"
    deadline = datetime.now().timestamp() + 10
    while other.reader().execute(COUNT).fetchone()[0] == 0:
        assert datetime.now().timestamp() < deadline, "the other instance never saw the load"
    assert other.version() == pg.version()
    other.close()


def test_two_cli_writers_at_once_both_load_every_file(pg: PostgresDatabase, tmp_path: Path) -> None:
    n_a = write_reports(tmp_path / "a", [(2022, 1, 5), (2022, 2, 6)])
    n_b = write_reports(tmp_path / "b", [(2023, 1, 7), (2023, 2, 8)])
    env = {**cli_env(tmp_path), **store_env(pg)}
    procs = [
        subprocess.Popen(
            cli_command(tmp_path / name, "--json"), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]  # fmt: skip
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    assert [r["verdict"] for out, _ in outputs for r in json_lines(out)] == ["loaded"] * 4
    conn = reopen(pg).reader()
    assert conn.execute("SELECT count(*) FROM report_tasks").fetchone()[0] == n_a + n_b
    assert sorted(r[0] for r in conn.execute("SELECT submission_id FROM submissions").fetchall()) == [
        1,
        2,
        3,
        4,
    ]


def test_a_writer_that_raises_changes_nothing(pg: PostgresDatabase) -> None:
    _add_submission(pg, 1, "Hưng Yên", "Thái Bình")
    version = pg.version()
    with pytest.raises(RuntimeError), pg.writer() as conn:
        conn.execute("UPDATE submissions SET withdrawn_at = now(), withdrawn_reason = 'thử'")
        raise RuntimeError("mid-batch failure")
    with psycopg.connect(pg.url) as conn:
        assert conn.execute("SELECT withdrawn_at FROM submissions").fetchall() == [(None,)]
        assert conn.execute("SELECT version FROM data_version").fetchone()[0] == version
    assert pg.reader().execute("SELECT count(*) FROM current_submissions").fetchone()[0] == 1


def test_readers_in_threads_see_whole_writes_only(pg: PostgresDatabase) -> None:
    seen: list[int] = []
    done = threading.Event()

    def read() -> None:
        reader = reopen(pg)
        while not done.is_set():
            seen.append(reader.reader().execute("SELECT count(*) FROM report_tasks").fetchone()[0])
        reader.close()

    thread = threading.Thread(target=read)
    thread.start()
    for sid in range(1, 6):
        _add_submission(pg, sid, "Hưng Yên", "Thái Bình")
    done.set()
    thread.join()
    assert all(a <= b for a, b in zip(seen, seen[1:], strict=False)), "counts must only grow"
    assert pg.reader().execute("SELECT count(*) FROM report_tasks").fetchone()[0] == 5


# -- row-level security ----------------------------------------------------------------------------------


def _province_conn(url: str, province: str) -> psycopg.Connection:
    return PostgresDatabase(url, province=province).connect()


def test_a_province_connection_reads_only_its_rows(fixture_pg: PostgresDatabase) -> None:
    with _province_conn(fixture_pg.url, "Tuyên Quang") as conn:
        assert conn.execute("SELECT DISTINCT province FROM submissions").fetchall() == [("Tuyên Quang",)]
        assert conn.execute("SELECT count(*) FROM report_tasks").fetchone()[0] == 7
        assert conn.execute("SELECT count(*) FROM plans").fetchone()[0] == 0  # the plan is Hưng Yên's
        assert (
            conn.execute("SELECT count(*) FROM v_task_progress WHERE province <> 'Tuyên Quang'").fetchone()[0]
            == 0
        )
    with _province_conn(fixture_pg.url, "*") as conn:  # a national role
        assert conn.execute("SELECT count(*) FROM report_tasks").fetchone()[0] == 26


def test_a_province_connection_cannot_write_another_provinces_rows(fixture_pg: PostgresDatabase) -> None:
    with _province_conn(fixture_pg.url, "Tuyên Quang") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO submissions (submission_id, file_name, sha256, province, province_legacy,"
                " reporting_unit, period_year, period_kind, loaded_at, n_rows)"
                " VALUES (99, 'x.xlsx', 'x', 'Hưng Yên', 'Thái Bình', 'Sở Ngoại vụ', 2024, 'Y', now(), 0)"
            )
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # a row of Hưng Yên's submission 2
            conn.execute(
                "INSERT INTO report_tasks (submission_id, row_no, task_title, due_kind) VALUES (2, 99, 'x', 'none')"
            )
        conn.rollback()
        assert conn.execute("UPDATE submissions SET n_rows = 0 WHERE province = 'Hưng Yên'").rowcount == 0
        assert conn.execute("DELETE FROM report_tasks WHERE submission_id = 2").rowcount == 0
        conn.rollback()


# Per table: the rows of a province's own (Tuyên Quang, formerly also Hà Giang) and another's (Hưng Yên,
# formerly Thái Bình), written by the national writer as the load path does; the key that tells them apart.
_PROVINCE_TABLES = {
    "load_log": "file_name",
    "file_columns": "sha256",
    "column_overrides": "reporting_unit",
    "submission_events": "submission_id",
    "units": "canonical_name",
    "unit_aliases": "alias",
}


def _two_provinces(pg: PostgresDatabase) -> None:
    """Submission 1 of Hưng Yên (Thái Bình's report), 2 of Tuyên Quang (Hà Giang's), and for each a load,
    a refused and a duplicate file, the file's columns, a column correction, an event, a unit and its alias."""
    _add_submission(pg, 1, "Hưng Yên", "Thái Bình")
    _add_submission(pg, 2, "Tuyên Quang", "Hà Giang")
    at = datetime(2024, 10, 1)
    with pg.writer() as conn:
        for sid, legacy, unit in ((1, "Thái Bình", "Sở A"), (2, "Hà Giang", "Sở B")):
            conn.executemany(
                "INSERT INTO load_log (attempted_at, file_name, sha256, verdict, submission_id) VALUES (?, ?, ?, ?, ?)",
                [(at, f"bc{sid}.xlsx", f"sha{sid}", "loaded", sid),
                 (at, f"bc{sid}_ban_sao.xlsx", f"sha{sid}", "duplicate", None)],
            )  # fmt: skip
            conn.execute("INSERT INTO file_columns VALUES (?, ?, 'fp', '[]')", [at, f"sha{sid}"])
            conn.execute(
                "INSERT INTO column_overrides VALUES (?, ?, 'fp', 2, 'status', 'Tình trạng', ?)",
                [legacy, unit, at],
            )
            conn.execute("INSERT INTO submission_events VALUES (?, ?, 'loaded', NULL, NULL)", [at, sid])
            unit_id = conn.execute(
                "INSERT INTO units (canonical_name, province) VALUES (?, ?) RETURNING unit_id", [unit, legacy]
            ).fetchone()[0]
            conn.execute("INSERT INTO unit_aliases VALUES (?, ?)", [unit_id, f"{unit} cũ"])
        conn.execute(
            "INSERT INTO load_log (attempted_at, file_name, sha256, verdict) VALUES (?, 'loi.xlsx', 'bad', 'rejected')",
            [at],
        )


def test_a_province_connection_reads_none_of_another_provinces_rows_in_any_table(
    pg: PostgresDatabase,
) -> None:
    _two_provinces(pg)
    own = {
        "load_log": {"bc2.xlsx", "bc2_ban_sao.xlsx"},
        "file_columns": {"sha2"},
        "column_overrides": {"Sở B"},
        "submission_events": {2},
        "units": {"Sở B"},
        "unit_aliases": {"Sở B cũ"},
    }
    with _province_conn(pg.url, "Tuyên Quang") as conn:
        seen = {
            t: {r[0] for r in conn.execute(f"SELECT {k} FROM {t}").fetchall()}
            for t, k in _PROVINCE_TABLES.items()
        }
    assert seen == own
    with _province_conn(pg.url, "*") as conn:  # national: every row, the refused file too
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _PROVINCE_TABLES}
    assert counts == {"load_log": 5, "file_columns": 2, "column_overrides": 2, "submission_events": 2,
                      "units": 2, "unit_aliases": 2}  # fmt: skip
    scoped = PostgresDatabase(pg.url, province="Tuyên Quang", path=pg.path)  # the replica a viewer reads
    assert scoped.reader().execute("SELECT file_name FROM load_log ORDER BY 1").fetchall() == [
        ("bc2.xlsx",),
        ("bc2_ban_sao.xlsx",),
    ]
    scoped.close()


def test_rows_stored_before_the_policies_get_their_province_on_first_use(pg: PostgresDatabase) -> None:
    _two_provinces(pg)
    with _province_conn(pg.url, "*") as conn:  # as a database of the previous schema holds them
        for table in _PROVINCE_TABLES:
            conn.execute(
                f"UPDATE {table} SET {'province_current' if table == 'units' else 'province'} = NULL"
            )
    with _province_conn(pg.url, "Tuyên Quang") as conn:
        assert conn.execute("SELECT count(*) FROM load_log").fetchone()[0] == 0
    PostgresDatabase(pg.url).upgrade()  # what an instance does when it starts
    with _province_conn(pg.url, "Tuyên Quang") as conn:
        seen = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _PROVINCE_TABLES}
    assert seen == {"load_log": 2, "file_columns": 1, "column_overrides": 1, "submission_events": 1,
                    "units": 1, "unit_aliases": 1}  # fmt: skip


@pytest.mark.parametrize(
    "insert",
    [
        "INSERT INTO load_log (attempted_at, file_name, sha256, verdict, submission_id) VALUES (now(), 'x', 'sha1', 'loaded', 1)",
        "INSERT INTO load_log (attempted_at, file_name, sha256, verdict) VALUES (now(), 'x', 'khac', 'rejected')",
        "INSERT INTO file_columns VALUES (now(), 'sha1', 'fp', '[]')",
        "INSERT INTO column_overrides VALUES ('Thái Bình', 'Sở C', 'fp', 1, 'status', NULL, now())",
        "INSERT INTO submission_events VALUES (now(), 1, 'withdrawn', NULL, 'x')",
        "INSERT INTO units (unit_id, canonical_name, province) VALUES (99, 'Sở C', 'Thái Bình')",
        "INSERT INTO unit_aliases VALUES ({unit_a}, 'bí danh')",
    ],
)
def test_a_province_connection_cannot_insert_another_provinces_row(pg: PostgresDatabase, insert: str) -> None:
    _two_provinces(pg)
    with _province_conn(pg.url, "*") as conn:  # national: may (rolled back)
        insert = insert.format(
            unit_a=conn.execute("SELECT unit_id FROM units WHERE canonical_name = 'Sở A'").fetchone()[0]
        )
        assert conn.execute(insert).rowcount == 1
        conn.rollback()
    with _province_conn(pg.url, "Tuyên Quang") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(insert)


def test_a_province_scoped_replica_holds_that_province_only(fixture_pg: PostgresDatabase) -> None:
    scoped = PostgresDatabase(fixture_pg.url, province="Tuyên Quang", path=fixture_pg.path)
    conn = scoped.reader()
    assert conn.execute("SELECT DISTINCT province FROM v_task_progress").fetchall() == [("Tuyên Quang",)]
    with pytest.raises(PermissionError), scoped.writer():
        pass
    scoped.close()


# -- the data contract in PostgreSQL ---------------------------------------------------------------------

CONTRACT_COLUMNS = (
    "submission_id, province, reporting_unit, period_year, period_kind, period_index, row_no, task_code, "
    "task_title, lead_unit, due_date, status_class, due_soon, plan_task_id"
)


@pytest.mark.parametrize("view", ["v_task_progress", "v_task_progress_all", "v_plan_coverage"])
def test_the_documented_views_in_postgresql_equal_duckdbs(fixture_pg: PostgresDatabase, view: str) -> None:
    order = f"ORDER BY {CONTRACT_COLUMNS}"
    duck = fixture_pg.reader().execute(f"SELECT {CONTRACT_COLUMNS} FROM {view} {order}").fetchall()
    with psycopg.connect(fixture_pg.url) as conn:
        pg_rows = conn.execute(f"SELECT {CONTRACT_COLUMNS} FROM {view} {order}").fetchall()
    assert len(duck) > 20
    assert pg_rows == duck


# -- migrate ---------------------------------------------------------------------------------------------


def test_migrate_copies_an_install_and_the_counts_agree(pg_admin_url: str, tmp_path: Path, capsys) -> None:
    from etl.cli import main

    source = build_fixture_db(tmp_path / "old.duckdb")
    url = create_database(pg_admin_url)
    assert main(["migrate", "--db", str(source.path), "--to", url]) == 0
    out = capsys.readouterr().out
    assert "report_tasks: 26 → 26" in out
    assert "Hưng Yên: nhiệm vụ / hoàn thành / quá hạn" in out and "KHÁC" not in out
    moved = PostgresDatabase(url, path=tmp_path / "local.duckdb")
    from queries import overview
    from queries.filters import Filters

    assert overview.kpis(moved.reader(), Filters(as_of=AS_OF)) == overview.kpis(
        source.reader(), Filters(as_of=AS_OF)
    )
    archived = moved.reader().execute("SELECT archive_path FROM submissions ORDER BY 1").fetchall()
    assert archived == source.reader().execute("SELECT archive_path FROM submissions ORDER BY 1").fetchall()
    moved.close()


def test_migrate_refuses_a_target_with_data(fixture_pg: PostgresDatabase, tmp_path: Path) -> None:
    source = build_fixture_db(tmp_path / "old.duckdb")
    with pytest.raises(MigrationError, match="đã có dữ liệu"):
        migrate(Database(source.path), fixture_pg.url)


def test_a_province_viewers_pages_read_a_replica_of_their_province_only(
    fixture_pg: PostgresDatabase, fixture_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl.accounts.roles import Role, User
    from tests.conftest import make_app

    leader = User("lanh-dao-tq", Role.LEADER, province="Tuyên Quang")
    shown = {}
    for name, where in (("duckdb", fixture_db_path), ("postgres", fixture_pg)):
        at = make_app(where, monkeypatch, user=leader).run()
        assert not at.exception, [e.value for e in at.exception]
        shown[name] = {m.label: m.value for m in at.metric}
    assert shown["postgres"] == shown["duckdb"]
    assert 0 < int(shown["postgres"]["Tổng số nhiệm vụ"]) < 22  # the whole fixture counts 22
    from ui import state

    scoped = state.database().scoped("Tuyên Quang").reader()
    assert scoped.execute("SELECT DISTINCT province FROM submissions").fetchall() == [("Tuyên Quang",)]


def test_backup_of_a_postgresql_store_points_to_pg_dump(
    pg: PostgresDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from etl.cli import main

    for name, value in store_env(pg).items():
        monkeypatch.setenv(name, value)
    assert main(["backup", str(tmp_path / "sao-luu")]) == 1
    assert "pg_dump" in capsys.readouterr().err
    assert not (tmp_path / "sao-luu").exists()


def test_the_apps_readers_keep_their_replica_while_a_newer_one_is_pulled(pg: PostgresDatabase) -> None:
    app_view = reopen(pg)
    app_view.background = True
    assert app_view.reader().execute(COUNT).fetchone()[0] == 0
    before = app_view.version()
    _add_submission(pg, 1, "Hưng Yên", "Thái Bình")
    app_view._checked_at = 0.0  # as after CHECK_SECONDS
    assert app_view.reader().execute(COUNT).fetchone()[0] in (0, 1)  # no wait: the old replica, or the new
    deadline = datetime.now().timestamp() + 20
    while app_view.version() == before:
        assert datetime.now().timestamp() < deadline, "the pull in the background never landed"
        app_view._checked_at = 0.0
    assert app_view.reader().execute(COUNT).fetchone()[0] == 1
    app_view.close()


def test_migrate_moves_the_accounts_beside_the_file(
    pg_admin_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The accounts file of the migrated install (TTDN_ACCOUNTS_DB beside ``--db``) goes along: its users
    are in PostgreSQL afterwards, and the CLI says how many moved."""
    from etl.accounts.roles import Role
    from etl.accounts.store import connect
    from etl.accounts.users import create_user
    from etl.cli import main

    monkeypatch.setenv("TTDN_ACCOUNTS_DB", "tk.sqlite")
    source = build_fixture_db(tmp_path / "old.duckdb")
    sqlite = connect(tmp_path / "tk.sqlite")
    create_user("lanh-dao", "mật khẩu đủ dài 123", Role.LEADER, conn=sqlite, by="test")
    url = create_database(pg_admin_url)
    assert main(["migrate", "--db", str(source.path), "--to", url]) == 0
    assert "Tài khoản đã chuyển: 1 người dùng" in capsys.readouterr().out
    (name,) = connect(url).execute("SELECT username FROM users").fetchone()
    assert name == "lanh-dao"


def test_an_unreachable_server_is_said_in_vietnamese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from etl.cli import main
    from tests.pg_server import _free_port

    url = f"postgresql://ttdn@127.0.0.1:{_free_port()}/ttdn"  # nobody listens there
    monkeypatch.setenv("TTDN_DATABASE_URL", url)
    monkeypatch.setenv("TTDN_DB", str(tmp_path / "x.duckdb"))
    assert main(["submissions", "list"]) == 1
    err = capsys.readouterr().err
    assert "Không kết nối được máy chủ cơ sở dữ liệu PostgreSQL (127.0.0.1:" in err and "Traceback" not in err


# -- one holder across processes and machines -------------------------------------------------------------


def test_exclusive_lets_one_holder_of_a_name_at_a_time(make_store) -> None:
    """``db.exclusive(name)`` on each backend: a second holder of the same name (another handle, as another
    instance) waits until the first lets go; another name does not wait."""
    db = make_store()
    other = reopen(db)
    order: list[str] = []
    held = threading.Event()

    def hold() -> None:
        with db.exclusive("demo"):
            held.set()
            with other.exclusive("something else"):
                order.append("other name while held")
            time.sleep(0.5)
            order.append("first let go")

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    with other.exclusive("demo"):
        order.append("second holder")
    thread.join()
    other.close()
    assert order == ["other name while held", "first let go", "second holder"]


def test_two_instances_starting_on_one_empty_postgresql_database_load_the_demo_once(
    pg: PostgresDatabase, tmp_path: Path
) -> None:
    """Two processes at once (app instances on two machines share only the database server): the
    numbers are the demo's, not twice the demo's."""
    load = (
        "import sys; from pathlib import Path; from demo import ensure_demo_data;"
        " from etl.store.postgres import PostgresDatabase;"
        " print(ensure_demo_data(PostgresDatabase(sys.argv[1], path=Path(sys.argv[2])), Path(sys.argv[3])))"
    )
    for n in (1, 2):  # each machine's local folder
        (tmp_path / f"m{n}").mkdir()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", load, pg.url, str(tmp_path / f"m{n}" / "local.duckdb"), str(tmp_path / "archive")],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for n in (1, 2)
    ]  # fmt: skip
    outputs = [proc.communicate(timeout=300) for proc in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    assert sorted(int(out) for out, _ in outputs) == [0, 126]
    assert pg.reader().execute("SELECT count(*) FROM submissions").fetchone()[0] == 126


# -- the write cost ----------------------------------------------------------------------------------------


def test_the_write_path_updates_only_the_report_row_columns_a_write_compares() -> None:
    """A write sends PostgreSQL the report rows added and those whose ``REPORT_ROW_UPDATES`` changed; an
    ``UPDATE report_tasks SET`` of another column in etl/ would be lost, so it must be added there."""
    import re

    from etl.store.postgres import REPORT_ROW_UPDATES

    statement = re.compile(r"UPDATE report_tasks(?:\s+\w+)?\s+SET\s+(.*?)\s+(?:FROM|WHERE)\b", re.S)
    found = {}
    for path in (ROOT / "etl").rglob("*.py"):
        for assignments in statement.findall(path.read_text(encoding="utf-8")):
            found[path.name] = found.get(path.name, set()) | set(re.findall(r"(\w+)\s*=(?!=)", assignments))
    assert found.keys() >= {"db.py", "linking.py"}, found  # the judgement and plan linking
    assert set().union(*found.values()) <= set(REPORT_ROW_UPDATES), found


def test_a_write_sends_only_the_rows_it_added_or_changed(pg: PostgresDatabase) -> None:
    _add_submission(pg, 1, "Hưng Yên", "Thái Bình")
    _add_submission(pg, 2, "Tuyên Quang", "Hà Giang")
    with psycopg.connect(pg.url) as conn:
        before = dict(conn.execute("SELECT submission_id, written_version FROM report_tasks").fetchall())
    with pg.writer() as conn:  # a later link of a stored row, and a new submission
        conn.execute("UPDATE report_tasks SET plan_task_id = 7, match_score = 0.9 WHERE submission_id = 1")
    _add_submission(pg, 3, "Hưng Yên", "Thái Bình")
    with psycopg.connect(pg.url) as conn:
        after = dict(conn.execute("SELECT submission_id, written_version FROM report_tasks").fetchall())
        linked = conn.execute(
            "SELECT plan_task_id, match_score FROM report_tasks WHERE submission_id = 1"
        ).fetchall()
    assert linked == [(7, 0.9)]
    assert after[2] == before[2], "a row nobody changed is not written again"
    assert after[1] > before[1] and after[3] > after[1]
    other = reopen(pg)  # another instance pulls the changed row
    assert other.reader().execute(
        "SELECT plan_task_id FROM report_tasks WHERE submission_id = 1"
    ).fetchall() == [(7,)]
    other.close()


def test_the_report_cli_on_postgresql_writes_the_files_appendix(
    fixture_pg: PostgresDatabase,
    fixture_db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys,
) -> None:
    """``python -m reports`` with ``TTDN_DATABASE_URL``: the same appendix rows as from the DuckDB file."""
    from openpyxl import load_workbook

    from reports.cli import main

    args = [
        "--province",
        "Hưng Yên",
        "--period",
        "2024-Q3",
        "--as-of",
        AS_OF.isoformat(),
        "--date",
        "2024-10-16",
    ]
    assert main([*args, "--db", str(fixture_db_path), "--out", str(tmp_path / "file")]) == 0
    for name, value in store_env(fixture_pg).items():
        monkeypatch.setenv(name, value)
    assert main([*args, "--out", str(tmp_path / "pg")]) == 0
    assert "Đã lập báo cáo Hưng Yên" in capsys.readouterr().out

    def rows(folder: str) -> list[tuple]:
        sheet = load_workbook(tmp_path / folder / "phu_luc_ttdn_hung_yen_2024-Q3.xlsx")["Nhiệm vụ"]
        return list(sheet.iter_rows(values_only=True))

    assert len(rows("pg")) > 3
    assert rows("pg") == rows("file")
    assert (tmp_path / "pg" / "bao_cao_ttdn_hung_yen_2024-Q3.docx").stat().st_size > 0


def test_a_machine_with_only_the_database_url_loads_files(pg_admin_url: str, tmp_path: Path) -> None:
    """On PostgreSQL the local folder (of ``TTDN_DB``: the pending-archive journal) need not exist yet."""
    from etl.store.load import IngestOptions, ingest_paths

    n = write_reports(tmp_path / "in", [(2022, 1, 4)])
    db = PostgresDatabase(create_database(pg_admin_url), path=tmp_path / "not-yet" / "local.duckdb")
    results = ingest_paths(db, [tmp_path / "in"], IngestOptions(archive_dir=tmp_path / "archive"))
    assert [r.verdict.value for r in results] == ["loaded"]
    assert reopen(db).reader().execute("SELECT count(*) FROM report_tasks").fetchone()[0] == n
    db.close()
