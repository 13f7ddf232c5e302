"""The balancer's recipe (``deploy/``): haproxy accepts it, as written and as ``scripts/serve-cluster``
writes it, and its upload cap never stops a file before the product can refuse it in Vietnamese."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from deploy.cluster import TEMPLATE, Instance, body_cap_bytes, haproxy_config, instances
from etl.settings import Limits
from tests.streamlit_server import ROOT, _free_port

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
needs_haproxy = pytest.mark.skipif(
    not Path(HAPROXY).exists(), reason="haproxy not installed (scripts/test does)"
)


@needs_haproxy
def test_haproxy_accepts_the_recipe_as_written_and_for_three_instances(tmp_path: Path) -> None:
    written = tmp_path / "three.cfg"
    written.write_text(haproxy_config(instances(3, 9501), "127.0.0.1:9080", tmp_path / "s.sock"))
    for config in (TEMPLATE, written):
        check = subprocess.run([HAPROXY, "-c", "-f", str(config)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    text = written.read_text()
    assert [line.split()[1:] for line in text.splitlines() if line.strip().startswith("server ")] == [
        [f"st{k}", f"127.0.0.1:{9500 + k}", "cookie", f"st{k}"] for k in (1, 2, 3)
    ]


def test_the_balancers_upload_cap_lets_every_file_reach_the_products_own_refusal() -> None:
    """Product limit (TTDN_MAX_FILE_MB, refused in Vietnamese) < Streamlit's cap < the balancer's cap."""
    streamlit_mib = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"][
        "maxUploadSize"
    ]
    assert Limits().max_file_bytes < streamlit_mib * 2**20 < body_cap_bytes(TEMPLATE.read_text())


@needs_haproxy
def test_a_body_over_the_balancers_cap_is_refused_in_vietnamese(tmp_path: Path) -> None:
    port = _free_port()
    config = tmp_path / "haproxy.cfg"  # no instance behind it: the cap is checked before one is chosen
    config.write_text(
        haproxy_config([Instance("st1", _free_port())], f"127.0.0.1:{port}", tmp_path / "s.sock")
    )
    proc = subprocess.Popen(
        [HAPROXY, "-db", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.putrequest("PUT", "/_stcore/upload_file/session/file")
        too_big = body_cap_bytes(config.read_text()) + 1
        connection.putheader("Content-Length", str(too_big))  # the body is never sent: refused on its size
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 413
        assert "Tệp quá lớn" in response.read().decode("utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@needs_haproxy
@pytest.mark.browser  # starts streamlit
def test_serve_cluster_serves_through_haproxy_and_stops_everything_on_sigterm(tmp_path: Path) -> None:
    port, first = _free_port(), _free_port()
    env = {**os.environ, "TTDN_DB": str(tmp_path / "ttdn.duckdb"), "TTDN_ARCHIVE": str(tmp_path / "archive"),
           "TTDN_DEMO": "0", "TTDN_ANONYMOUS": "on"}  # fmt: skip
    command = [sys.executable, "-m", "deploy.cluster", "--instances", "1", "--port", str(port),
               "--first-port", str(first)]  # fmt: skip
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        ready = next(line for line in proc.stdout if "Bảng điều khiển" in line)
        assert f"http://127.0.0.1:{port} (1 phiên bản, cổng {first})" in ready
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/_stcore/health")
        response = connection.getresponse()
        cookies = [c.split(";")[0] for c in response.headers.get_all("set-cookie", [])]
        assert response.status == 200 and "TTDN_INSTANCE=st1" in cookies  # the sticky cookie
        children = _children(proc.pid)
        assert len(children) == 2  # the instance and haproxy
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=40)
    assert proc.returncode == 0
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
