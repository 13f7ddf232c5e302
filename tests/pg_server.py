"""A throw-away PostgreSQL server for the tests: Debian's server binaries, ``initdb`` into a temporary
folder, a random loopback port, stopped (and the folder removed) at the end.

``scripts/test`` installs Debian's ``postgresql`` package; nothing here downloads anything. Run as root
(CI), the cluster belongs to the ``postgres`` system user, since PostgreSQL refuses to run as root.

Two kinds of role are made: the superuser ``postgres`` (creates databases) and, per database,
a login role that owns it and is *not* a superuser, because a superuser bypasses row-level security.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def server_binaries() -> Path:
    """The newest ``/usr/lib/postgresql/<version>/bin`` with ``initdb`` and ``postgres``."""
    found = sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin") if Path(p, "postgres").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not found:
        raise RuntimeError(
            "PostgreSQL server binaries not found under /usr/lib/postgresql (scripts/test installs "
            "Debian's postgresql package)"
        )
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(owner: str | None, command: list[str], **kwargs) -> subprocess.CompletedProcess:
    if owner is not None:
        command = ["runuser", "-u", owner, "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a private PostgreSQL cluster; yields the superuser's URL (``postgresql://postgres@…``)."""
    bindir = server_binaries()
    owner = "postgres" if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp(prefix="ttdn-pg-"))
    data, sockets = base / "data", base / "sock"
    sockets.mkdir()
    if owner is not None:
        user = pwd.getpwnam(owner)
        for path in (base, sockets):
            os.chown(path, user.pw_uid, user.pw_gid)
    port = _free_port()
    try:
        _as_owner(
            owner,
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sockets} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
            "-c shared_buffers=256MB"
        )
        _as_owner(
            owner,
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(base / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
        )
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        yield url
    finally:
        with contextlib.suppress(Exception):
            _as_owner(owner, [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(base, ignore_errors=True)


def create_database(admin_url: str, name: str | None = None) -> str:
    """A new empty database owned by a new non-superuser login role; returns that role's URL."""
    import psycopg

    name = name or f"ttdn_{secrets.token_hex(4)}"
    role = f"{name}_owner"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN CREATEROLE')
        conn.execute(f'CREATE DATABASE "{name}" OWNER "{role}"')
    host_part = admin_url.split("@", 1)[1].rsplit("/", 1)[0]
    return f"postgresql://{role}@{host_part}/{name}"


def wait_ready(url: str, timeout: float = 30) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
