"""Two app instances over one store behind haproxy on loopback (``deploy/haproxy.cfg`` as
``scripts/serve-cluster`` writes it), driven by Chromium through the balancer: reports uploaded from
several browsers at once are each loaded exactly once, the browsers stick to their instance and land
on both, and a page already open on either instance shows the new figures after a reload.

Per backend in ``BACKENDS``: the extra environment both instances get (the store they share).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from deploy.cluster import COOKIE, Instance, haproxy_config
from etl.accounts import sessions
from tests.browser_login import PASSWORD
from tests.fixture_db import AS_OF
from tests.procs import report_bytes
from tests.streamlit_server import ARGS, CHROMIUM, ROOT, _free_port, running_server, wait_for_page

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def _postgres(request: pytest.FixtureRequest) -> dict[str, str]:
    """A new database of the throw-away PostgreSQL server holding the fixture data (``etl migrate``);
    the accounts and sessions live there too."""
    from etl.store.db import Database
    from etl.store.migrate import migrate

    url = request.getfixturevalue("pg_url")
    source = Database(request.getfixturevalue("fixture_db_path"))
    try:
        assert migrate(source, url).equal
    finally:
        source.close()
    return {"TTDN_DATABASE_URL": url}


# The store both instances share, as the extra environment they get (the DuckDB file of TTDN_DB is
# set by tests/streamlit_server.py; with TTDN_DATABASE_URL the report data and accounts are there).
BACKENDS: dict[str, Callable[[pytest.FixtureRequest], dict[str, str]]] = {
    "duckdb": lambda request: {},
    "postgresql": _postgres,
}
# Three Thái Bình units' reports of Quý III/2024 (none in the fixture database), one per browser.
UPLOADS = {
    "bc_so_van_hoa_q3.xlsx": "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    "bc_bao_thai_binh_q3.xlsx": "BÁO THÁI BÌNH",
    "bc_dai_phat_thanh_q3.xlsx": "ĐÀI PHÁT THANH VÀ TRUYỀN HÌNH THÁI BÌNH",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILES_SHOWN = re.compile(r"^(\d+) tệp")  # the Dữ liệu page's count of loaded files

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"),
    pytest.mark.skipif(not Path(HAPROXY).exists(), reason="haproxy not installed (scripts/test installs it)"),
]


@dataclass
class Cluster:
    url: str  # the balancer
    instances: list[Instance]
    env: dict[str, str]  # what both instances were given over the defaults
    db_path: Path
    stats_socket: Path


@contextlib.contextmanager
def running_haproxy(instances: list[Instance], folder: Path) -> Iterator[tuple[str, Path]]:
    """haproxy on a free loopback port in front of ``instances`` (config written into ``folder`` from the
    repo's template), once it reports every instance up; yields its URL and stats socket."""
    port, stats = _free_port(), folder / "haproxy.sock"
    config = folder / "haproxy.cfg"
    config.write_text(haproxy_config(instances, f"127.0.0.1:{port}", stats), encoding="utf-8")
    with (folder / "haproxy.log").open("w") as log:
        proc = subprocess.Popen([HAPROXY, "-db", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while _server_states(stats) != dict.fromkeys((i.name for i in instances), "UP"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"haproxy not ready: {(folder / 'haproxy.log').read_text()}")
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}", stats
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def _stats(stats_socket: Path) -> list[dict[str, str]]:
    """haproxy's ``show stat`` (one row per frontend, server and backend)."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(stats_socket))
        sock.sendall(b"show stat\n")
        data = b"".join(iter(lambda: sock.recv(65536), b""))
    header, *rows = data.decode().lstrip("# ").splitlines()
    return [dict(zip(header.split(","), row.split(","), strict=False)) for row in rows if row]


def _server_states(stats_socket: Path) -> dict[str, str]:
    try:
        rows = _stats(stats_socket)
    except OSError:
        return {}
    return {r["svname"]: r["status"] for r in rows if r["svname"] not in ("FRONTEND", "BACKEND")}


@pytest.fixture(params=list(BACKENDS))
def cluster(request, fixture_db_path: Path, tmp_path: Path) -> Iterator[Cluster]:
    """Two ``streamlit run server.py`` over one store (a copy of the fixture database) and one archive,
    haproxy in front."""
    env = BACKENDS[request.param](request)
    db_path = tmp_path / "ttdn.duckdb"
    shutil.copy(fixture_db_path, db_path)
    with contextlib.ExitStack() as stack:
        instances = []
        for name in ("st1", "st2"):
            url = stack.enter_context(
                running_server(db_path, tmp_path / "archive", tmp_path / f"{name}.log", "server.py", env)
            )
            instances.append(Instance(name, urlsplit(url).port))
        url, stats = stack.enter_context(running_haproxy(instances, tmp_path))
        yield Cluster(url, instances, env, db_path, stats)


@pytest.fixture
def chromium(cluster: Cluster):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _open(browser, url: str, cookies: list[dict]):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(cookies)
    page = context.new_page()
    page.goto(url)
    wait_for_page(page)
    dialog = page.locator('[role="dialog"]:visible')  # "Page not found" over the right page: streamlit#9992
    if dialog.count():
        page.keyboard.press("Escape")
    return page


def _instance_of(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == COOKIE)


def _files_shown(page) -> int:
    return int(FILES_SHOWN.match(page.get_by_text(FILES_SHOWN).inner_text()).group(1))


def _in_store(cluster: Cluster, code: str) -> str:
    """What ``code`` prints, run in a process with the instances' environment (their store, their accounts)."""
    env = {**os.environ, "TTDN_DB": str(cluster.db_path), "TTDN_DEMO": "0", **cluster.env}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def _store_rows(cluster: Cluster) -> dict[str, list]:
    """The submissions and load attempts as the app reads them."""
    return json.loads(
        _in_store(
            cluster,
            """import json
from queries import submissions
from queries.filters import Filters
from ui.state import query
history = query(submissions.submission_history, Filters(), 10_000)
attempts = query(submissions.load_attempts, None, 10_000)
print(json.dumps({"submissions": history["file_name"].tolist(),
                  "attempts": attempts[["file_name", "verdict"]].values.tolist()}))""",
        )
    )


def _admin_cookie(cluster: Cluster) -> dict:
    """The session cookie of an admin, the session opened in the accounts the instances use."""
    token = _in_store(
        cluster,
        f"""from etl.accounts import sessions, users
from etl.accounts.roles import Role
if users.find_row("test-admin") is None:
    users.create_user("test-admin", {PASSWORD!r}, Role.ADMIN, by="test")
print(sessions.login("test-admin", {PASSWORD!r})[1])""",
    ).strip()
    return {"name": sessions.COOKIE, "value": token, "url": cluster.url, "httpOnly": True, "sameSite": "Lax"}


def test_uploads_from_three_browsers_at_once_load_once_and_both_instances_show_them(
    cluster: Cluster, chromium
) -> None:
    before = _store_rows(cluster)
    # A page open on each instance before the uploads (its figures cached in that process).
    data_page = f"{cluster.url}/Du_lieu?as_of={AS_OF.isoformat()}"
    viewers = {
        i.name: _open(chromium, data_page, [{"name": COOKIE, "value": i.name, "url": cluster.url}])
        for i in cluster.instances
    }
    shown = {name: _files_shown(page) for name, page in viewers.items()}
    assert len(set(shown.values())) == 1, shown

    # Three people on the upload page through the balancer, each with a report of their own.
    login = _admin_cookie(cluster)
    uploaders = {name: _open(chromium, f"{cluster.url}/Tai_bao_cao", [login]) for name in UPLOADS}
    assert {_instance_of(page) for page in uploaders.values()} == {"st1", "st2"}  # both instances serve
    for name, page in uploaders.items():
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": name, "mimeType": XLSX, "buffer": report_bytes(2024, 3, 4, unit=UPLOADS[name])}]
        )
    for page in uploaders.values():  # previewed, and the page idle (a click during a rerun may be lost)
        page.get_by_role("button", name="Xác nhận nạp 1 tệp hợp lệ").wait_for(timeout=60_000)
        wait_for_page(page)
    for page in uploaders.values():  # confirmed at the same time, before any load has finished
        page.get_by_role("button", name="Xác nhận nạp 1 tệp hợp lệ").click(no_wait_after=True)
    for name, page in uploaders.items():
        _wait_loaded(cluster, page, name)
        assert _instance_of(page) in ("st1", "st2")  # still the instance it started on: the cookie held

    # Each file loaded exactly once: one submission, one "loaded" attempt, nothing else.
    after = _store_rows(cluster)
    assert sorted(set(after["submissions"]) - set(before["submissions"])) == sorted(UPLOADS)
    assert len(after["submissions"]) == len(before["submissions"]) + len(UPLOADS)
    new_attempts = after["attempts"][: len(after["attempts"]) - len(before["attempts"])]
    assert sorted(map(tuple, new_attempts)) == sorted((name, "loaded") for name in UPLOADS)

    # The page open on each instance shows the three new files after a reload, within a few seconds,
    # whichever instance loaded them.
    for name, page in viewers.items():
        deadline = time.monotonic() + 5
        while True:
            page.reload()
            wait_for_page(page)
            if _files_shown(page) == shown[name] + len(UPLOADS) or time.monotonic() > deadline:
                break
        assert (_files_shown(page), _instance_of(page)) == (shown[name] + len(UPLOADS), name)
    hits = {
        r["svname"]: int(r["stot"]) for r in _stats(cluster.stats_socket) if r["svname"] in ("st1", "st2")
    }
    assert all(n > 0 for n in hits.values()), hits


def _wait_loaded(cluster: Cluster, page, name: str) -> None:
    """Wait for the page to say ``name`` was loaded; on a timeout, fail with what the page and the
    instances' logs say (three loads queue on one writer: allow for a busy machine)."""
    try:
        page.get_by_text(f"{name}: Đã nạp (4 nhiệm vụ)").wait_for(timeout=120_000)
    except Exception as exc:  # noqa: BLE001 - the diagnosis is the point
        folder = cluster.stats_socket.parent
        logs = {log.name: log.read_text(errors="replace")[-3000:] for log in sorted(folder.glob("*.log"))}
        raise AssertionError(
            f"{name} not loaded: {exc}\npage: {page.inner_text('body')[-2000:]}\n{logs}"
        ) from exc
