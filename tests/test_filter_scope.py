"""The sidebar's choices for a viewer clamped to a province: only what their province has."""

from __future__ import annotations

import io
import shutil

from demo.catalog import PROVINCES
from demo.generate import build_report
from etl.accounts.roles import Role, User
from etl.model import Verdict
from etl.store.db import Database
from etl.store.load import IngestOptions, ingest_bytes
from etl.vocab.periods import parse_period_code
from queries import options
from tests.conftest import make_app
from tests.fixture_db import NGV

HY, TQ = "Hưng Yên", "Tuyên Quang"


def _with_a_2023_report_of_hung_yen(fixture_db_path, tmp_path):
    """The fixture plus a 2023 report of Thái Bình (now Hưng Yên): a plan year Tuyên Quang has not."""
    db_path = tmp_path / "years.duckdb"
    shutil.copy(fixture_db_path, db_path)
    buffer = io.BytesIO()
    build_report(PROVINCES[0], NGV, parse_period_code("2023-Q4")).save(buffer)
    (result,) = ingest_bytes(
        Database(db_path), [("bc_2023.xlsx", buffer.getvalue())], IngestOptions(archive_dir=tmp_path / "a")
    )
    assert result.verdict is Verdict.LOADED
    return db_path


def test_a_province_users_year_and_topic_choices_are_their_provinces_own(
    fixture_db_path, tmp_path, monkeypatch
):
    db_path = _with_a_2023_report_of_hung_yen(fixture_db_path, tmp_path)
    reader = Database(db_path).reader()
    everyone, tq = options.choices(reader), options.choices(reader, TQ)
    assert 2023 in everyone.years and 2023 not in tq.years  # the data differ, so the test can tell
    assert set(tq.topics) < set(everyone.topics)
    tq_years = {
        y
        for (y,) in reader.execute(
            "SELECT DISTINCT period_year FROM submissions WHERE province = ?", [TQ]
        ).fetchall()
    }

    at = make_app(db_path, monkeypatch, user=User("cvtq", Role.PROVINCE_STAFF, TQ), year="2023").run()
    assert not at.exception
    year_box, topic_box = at.selectbox(key="year"), at.selectbox(key="topic")
    years_offered = {int(label) for label in year_box.options if label.isdigit()}
    assert years_offered == tq_years and 2023 not in years_offered
    assert year_box.value != 2023  # a year from the URL outside the province falls back to its newest
    assert [label for label in topic_box.options[1:]] == tq.topics
    assert "Khác" in everyone.topics and "Khác" not in topic_box.options

    admin = make_app(db_path, monkeypatch).run()
    assert "2023" in admin.selectbox(key="year").options
    assert "Khác" in admin.selectbox(key="topic").options
