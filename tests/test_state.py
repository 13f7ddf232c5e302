"""The query cache of the pages: results per database version, queries started early, never run twice."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from etl.store.db import Database
from ui import state

RUNS: list[tuple[str, int]] = []  # (thread name, argument) of every run of the queries below


def count_submissions(conn, plus: int) -> int:
    RUNS.append((threading.current_thread().name, plus))
    return conn.execute("SELECT count(*) + ? FROM submissions", [plus]).fetchone()[0]


def failing(conn, plus: int) -> int:
    RUNS.append((threading.current_thread().name, plus))
    raise ValueError(f"hỏng {plus}")


RELEASE = threading.Event()


def slow_count(conn, plus: int) -> int:
    RUNS.append((threading.current_thread().name, plus))
    assert RELEASE.wait(10)
    return conn.execute("SELECT count(*) + ? FROM submissions", [plus]).fetchone()[0]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    path = tmp_path / "state.duckdb"
    monkeypatch.setenv("TTDN_DB", str(path))
    database = Database(path)
    with database.writer():
        pass
    RUNS.clear()
    RELEASE.clear()
    state.clear_cache()
    yield database
    RELEASE.set()
    state.clear_cache()
    database.close()


def _add_submission(db: Database, submission_id: int) -> None:
    with db.writer() as conn:
        conn.execute(
            """INSERT INTO submissions (submission_id, file_name, sha256, province, province_legacy,
                   reporting_unit, period_year, period_kind, period_index, loaded_at, n_rows)
               VALUES (?, 'bc.xlsx', ?, 'Hưng Yên', 'Thái Bình', 'Sở Ngoại vụ', 2024, 'Q', 1, now(), 0)""",
            [submission_id, f"sha-{submission_id}"],
        )


def test_a_prefetched_query_runs_once_on_a_worker_and_the_page_gets_its_result(db: Database) -> None:
    state.prefetch((count_submissions, 40), (count_submissions, 2))
    assert state.query(count_submissions, 40) == 40
    assert state.query(count_submissions, 2) == 2
    assert state.query(count_submissions, 2) == 2  # cached
    assert sorted(plus for _, plus in RUNS) == [2, 40]  # each once
    assert all(name.startswith("ttdn-query") for name, _ in RUNS)  # on the workers, not the page


def test_a_cached_or_running_query_is_not_started_again(db: Database) -> None:
    assert state.query(count_submissions, 1) == 1
    state.prefetch((count_submissions, 1))
    assert [plus for _, plus in RUNS] == [1]


def test_an_error_of_a_prefetched_query_reaches_the_page_and_is_not_kept(db: Database) -> None:
    state.prefetch((failing, 7))
    with pytest.raises(ValueError, match="hỏng 7"):
        state.query(failing, 7)
    with pytest.raises(ValueError, match="hỏng 7"):
        state.query(failing, 7)
    assert [plus for _, plus in RUNS] == [7, 7]  # tried again, not served from the cache


def test_two_viewers_asking_at_once_share_one_run(db: Database) -> None:
    results: list[int] = []
    viewers = [threading.Thread(target=lambda: results.append(state.query(slow_count, 5))) for _ in range(3)]
    for viewer in viewers:
        viewer.start()
    while not RUNS:  # the first viewer is running the query; the others wait for it
        threading.Event().wait(0.01)
    threading.Event().wait(0.1)
    RELEASE.set()
    for viewer in viewers:
        viewer.join(10)
    assert results == [5, 5, 5]
    assert [plus for _, plus in RUNS] == [5]


def test_a_new_database_version_is_queried_afresh(db: Database) -> None:
    state.prefetch((count_submissions, 0))
    assert state.query(count_submissions, 0) == 0
    _add_submission(db, 1)
    state.prefetch((count_submissions, 0))
    assert state.query(count_submissions, 0) == 1  # the new file, not the cached figure
    assert [plus for _, plus in RUNS] == [0, 0]
