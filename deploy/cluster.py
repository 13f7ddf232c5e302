"""Several dashboard instances behind haproxy on this machine (``scripts/serve-cluster``).

``haproxy_config`` writes ``deploy/haproxy.cfg`` for given instances: the same file with its listening
address, one ``server`` line per instance and the stats socket replaced, everything else (sticky
cookie, timeouts, health check, upload cap) as written there. ``main`` starts N ``streamlit run
server.py`` (the command of ``scripts/start``), each on its own port, waits until each answers its
health check, then runs haproxy in front of them until Ctrl+C or until one of them stops.

Every instance gets this process's environment: the store is chosen there (``TTDN_DB`` today; a
database server's URL when the app reads one), so it is the same for all of them.

>>> print(haproxy_config([Instance("st1", 9001)], "127.0.0.1:9000", Path("/tmp/s.sock")).count("server st1"))
1
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("haproxy.cfg")
COOKIE = "TTDN_INSTANCE"  # haproxy's sticky cookie (``cookie`` in haproxy.cfg); its value names the instance
HEALTH = "/_stcore/health"
_BODY_CAP = re.compile(r"req\.hdr_val\(content-length\) gt (\d+)")


@dataclass(frozen=True)
class Instance:
    """One ``streamlit run server.py``: haproxy's server name (also its cookie value) and its port."""

    name: str
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def instances(count: int, first_port: int) -> list[Instance]:
    """``st1`` on ``first_port``, ``st2`` on the next port, …"""
    return [Instance(f"st{k + 1}", first_port + k) for k in range(count)]


def haproxy_config(servers: list[Instance], bind: str, stats_socket: Path, template: Path = TEMPLATE) -> str:
    """``template`` with ``bind``, the ``server`` lines of ``servers`` and ``stats_socket`` (mode 600)."""
    out: list[str] = []
    found = {"bind": 0, "server": 0, "stats socket": 0}
    for line in template.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text.startswith("bind "):
            found["bind"] += 1
            out.append(f"    bind {bind}")
        elif text.startswith("stats socket "):
            found["stats socket"] += 1
            out.append(f"    stats socket {stats_socket} mode 600 level operator")
        elif text.startswith("server "):
            if not found["server"]:  # the first server line stands for them all
                out += [f"    server {s.name} 127.0.0.1:{s.port} cookie {s.name}" for s in servers]
            found["server"] += 1
        else:
            out.append(line)
    if found["bind"] != 1 or found["stats socket"] != 1 or not found["server"]:
        raise ValueError(f"{template}: expected one bind, one stats socket and server lines, found {found}")
    return "\n".join(out) + "\n"


def body_cap_bytes(config: str) -> int:
    """The largest request body haproxy lets through (its ``content-length`` deny rule)."""
    match = _BODY_CAP.search(config)
    if match is None:
        raise ValueError("no content-length cap in the haproxy config")
    return int(match.group(1))


def instance_command(port: int) -> list[str]:
    """``streamlit run server.py`` on ``port`` (as ``scripts/start`` runs it), without a browser."""
    return [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
            "--server.headless", "true"]  # fmt: skip


def healthy(instance: Instance, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(instance.url + HEALTH, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def wait_healthy(servers: list[Instance], procs: list[subprocess.Popen], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    waiting = list(servers)
    while waiting:
        if any(p.poll() is not None for p in procs):
            raise RuntimeError("Một phiên bản ứng dụng đã dừng khi đang khởi động (xem nhật ký ở trên).")
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"Phiên bản {', '.join(s.name for s in waiting)} không sẵn sàng sau {seconds:.0f} giây."
            )
        waiting = [s for s in waiting if not healthy(s)]
        time.sleep(0.5)


def wait_listening(port: int, proc: subprocess.Popen, seconds: float = 30) -> None:
    """Until something accepts connections on 127.0.0.1:``port`` (haproxy, once it has bound)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"haproxy không nhận kết nối ở cổng {port} (xem nhật ký ở trên)."
                ) from None
            time.sleep(0.1)


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scripts/serve-cluster",
        description="Chạy thử nhiều phiên bản ứng dụng sau haproxy trên máy này (deploy/haproxy.cfg).",
    )
    parser.add_argument("--instances", type=int, default=2, help="số phiên bản streamlit (mặc định 2)")
    parser.add_argument(
        "--port", type=int, default=8080, help="cổng của haproxy trên 127.0.0.1 (mặc định 8080)"
    )
    parser.add_argument(
        "--first-port", type=int, default=8501, help="cổng của phiên bản đầu tiên (mặc định 8501)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.instances < 1:
        _parser().error("--instances phải từ 1 trở lên")
    haproxy = shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)
    if haproxy is None:
        print("Không tìm thấy haproxy: cài bằng `sudo apt-get install haproxy`.", file=sys.stderr)
        return 2
    servers = instances(args.instances, args.first_port)
    procs: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, _interrupt)  # stopped by systemd or kill: stop the children too
    with tempfile.TemporaryDirectory(prefix="ttdn-cluster-") as tmp:
        config = Path(tmp) / "haproxy.cfg"
        config.write_text(haproxy_config(servers, f"127.0.0.1:{args.port}", Path(tmp) / "stats.sock"))
        subprocess.run([haproxy, "-c", "-q", "-f", str(config)], check=True)
        try:
            procs += [subprocess.Popen(instance_command(s.port), cwd=ROOT, env=os.environ) for s in servers]
            wait_healthy(servers, procs)
            procs.append(subprocess.Popen([haproxy, "-db", "-f", str(config)], cwd=tmp))
            wait_listening(args.port, procs[-1])
            ports = ", ".join(str(s.port) for s in servers)
            print(f"Bảng điều khiển: http://127.0.0.1:{args.port} ({len(servers)} phiên bản, cổng {ports}). "
                  "Ctrl+C để dừng.", flush=True)  # fmt: skip
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
            print("Một tiến trình đã dừng (xem nhật ký ở trên): dừng tất cả.", file=sys.stderr)
            return 1
        except RuntimeError as error:
            print(error, file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 0
        finally:
            for proc in reversed(procs):  # haproxy first, then the instances
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


if __name__ == "__main__":
    sys.exit(main())
