"""What the server does as it starts (ui/startup.py) and the page it serves (ui/page_shell.py): the first
visitor finds the overview's numbers computed and the demo data loaded once; the page is Vietnamese
from its first byte."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from streamlit import file_util
from streamlit.testing.v1 import AppTest

from ui import page_shell, startup, state
from ui.plotly_view import PLOTLY_SRC

ROOT = Path(__file__).resolve().parent.parent


def _computed_queries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the queries computed from now on (cache misses)."""
    computed: list[str] = []
    compute = state._compute

    def counting(db, cache_key, fn, args, kwargs):
        computed.append(fn.__qualname__)
        return compute(db, cache_key, fn, args, kwargs)

    monkeypatch.setattr(state, "_compute", counting)
    return computed


def test_after_the_warm_up_the_first_overview_computes_no_query(
    fixture_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "warm.duckdb"  # a database of its own: nobody cached its queries yet
    shutil.copy(fixture_db_path, db_path)
    monkeypatch.setenv("TTDN_DB", str(db_path))
    monkeypatch.setenv("TTDN_DEMO", "0")
    monkeypatch.setenv("TTDN_ANONYMOUS", "on")
    assert startup.start().result(timeout=60) > 0
    computed = _computed_queries(monkeypatch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [m.label for m in at.metric][:2] == ["Tỷ lệ hoàn thành", "Tổng số nhiệm vụ"]
    assert computed == []
    assert startup.start() is startup.start()  # once per process and database


def test_demo_data_loads_once_in_the_background(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTDN_DB", str(tmp_path / "demo.duckdb"))
    monkeypatch.setenv("TTDN_ARCHIVE", str(tmp_path / "archive"))
    monkeypatch.setenv("TTDN_DEMO", "1")
    loading = startup.demo_ready()
    assert startup.demo_ready() is loading
    assert loading.result(timeout=300) == 126
    assert startup.start().result(timeout=60) > 0  # the page asked first: the server's warm-up still runs
    conn = state.database().reader()
    assert conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 126


def test_without_demo_nothing_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTDN_DEMO", "0")
    assert startup.demo_ready().result(timeout=0) == 0


INDEX = Path(file_util.get_static_dir(), "index.html").read_bytes()


def test_the_served_page_is_vietnamese_and_fetches_the_charts_script_with_the_page() -> None:
    page = page_shell.rewrite_shell(INDEX).decode()
    assert '<html lang="vi">' in page and "<title>Theo dõi Kế hoạch TTĐN</title>" in page
    assert "Streamlit</title>" not in page and 'lang="en"' not in page
    head = page[: page.index("</head>")]
    assert f'<link rel="preload" as="script" href="{PLOTLY_SRC}">' in head
    assert f'window.ttdnPlotly("{PLOTLY_SRC}")' in head and "window.ttdnPlotly = " in head


def _through_sender(messages: list[dict]) -> list[dict]:
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    async def run() -> None:
        wrapped = page_shell.shell_sender(send)
        for message in messages:
            await wrapped(message)

    asyncio.run(run())
    return sent


def test_the_page_goes_out_whole_with_its_new_length_and_other_answers_unchanged() -> None:
    half = len(INDEX) // 2
    sent = _through_sender([
        {"type": "http.response.start", "status": 200,
         "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(INDEX)).encode())]},
        {"type": "http.response.body", "body": INDEX[:half], "more_body": True},
        {"type": "http.response.body", "body": INDEX[half:]},
    ])  # fmt: skip
    body = b"".join(m.get("body", b"") for m in sent[1:])
    assert body == page_shell.rewrite_shell(INDEX)
    assert dict(sent[0]["headers"])[b"content-length"] == str(len(body)).encode()
    not_modified = [{"type": "http.response.start", "status": 304, "headers": []},
                    {"type": "http.response.body", "body": b""}]  # fmt: skip
    assert _through_sender(not_modified) == not_modified
    gzip = [{"type": "http.response.start", "status": 200,
             "headers": [(b"content-type", b"text/html"), (b"content-encoding", b"gzip")]},
            {"type": "http.response.body", "body": b"\x1f\x8b..."}]  # fmt: skip
    assert _through_sender(gzip) == gzip
