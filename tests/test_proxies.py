"""Which address the audit trail and the login throttle see behind reverse proxies (TTDN_TRUSTED_PROXIES)."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from ui.web import client_address


def _request(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return Request(
        {"type": "http", "method": "GET", "path": "/", "headers": headers, "client": (peer, 40000)}
    )


def test_by_default_only_this_machine_may_forward(monkeypatch):
    monkeypatch.delenv("TTDN_TRUSTED_PROXIES", raising=False)
    assert client_address(_request("127.0.0.1", "203.0.113.7")) == "203.0.113.7"
    assert client_address(_request("::1", "203.0.113.7")) == "203.0.113.7"
    # haproxy on another machine is not believed until it is listed: its own address is what is seen
    assert client_address(_request("10.0.0.5", "203.0.113.7")) == "10.0.0.5"
    # nor is a client that writes the header itself
    assert client_address(_request("198.51.100.9", "127.0.0.1")) == "198.51.100.9"


def test_a_listed_proxy_on_another_machine_gives_each_user_their_address(monkeypatch):
    monkeypatch.setenv("TTDN_TRUSTED_PROXIES", "127.0.0.1, ::1, 10.0.0.5")
    assert client_address(_request("10.0.0.5", "203.0.113.7")) == "203.0.113.7"
    assert client_address(_request("10.0.0.5", "203.0.113.8")) == "203.0.113.8"
    assert client_address(_request("10.0.0.6", "203.0.113.7")) == "10.0.0.6"  # not listed


def test_networks_and_the_right_most_untrusted_address(monkeypatch):
    monkeypatch.setenv("TTDN_TRUSTED_PROXIES", "10.0.0.0/29,fd00::/64")
    # client → proxy 10.0.0.2 → proxy 10.0.0.5 → app: the address the first proxy saw
    assert client_address(_request("10.0.0.5", "203.0.113.7, 10.0.0.2")) == "203.0.113.7"
    # a made-up address written by the client sits left of the real one and is never read
    assert client_address(_request("10.0.0.5", "1.2.3.4, 203.0.113.7, 10.0.0.2")) == "203.0.113.7"
    assert client_address(_request("fd00::1", "2001:db8::9")) == "2001:db8::9"
    assert client_address(_request("::ffff:10.0.0.3", "203.0.113.7")) == "203.0.113.7"
    assert client_address(_request("10.0.0.9", "203.0.113.7")) == "10.0.0.9"  # outside the /29
    # no header, or an empty one: the proxy's own address
    assert client_address(_request("10.0.0.5")) == "10.0.0.5"
    assert client_address(_request("10.0.0.5", " , ")) == "10.0.0.5"


def test_a_wrong_setting_is_named(monkeypatch):
    monkeypatch.setenv("TTDN_TRUSTED_PROXIES", "10.0.0.5,haproxy.local")
    with pytest.raises(ValueError, match="haproxy.local"):
        client_address(_request("10.0.0.5", "203.0.113.7"))


def test_a_failed_login_through_a_remote_proxy_is_audited_with_the_users_address(monkeypatch, tmp_path):
    from etl.accounts import audit, sessions

    monkeypatch.setenv("TTDN_DB", str(tmp_path / "ttdn.duckdb"))
    monkeypatch.delenv("TTDN_DATABASE_URL", raising=False)
    monkeypatch.delenv("TTDN_ACCOUNTS_DB", raising=False)
    monkeypatch.setenv("TTDN_TRUSTED_PROXIES", "10.0.0.5")
    for user_address in ("203.0.113.7", "203.0.113.8"):
        with pytest.raises(sessions.LoginRefused):
            sessions.login("khong-co", "sai-mat-khau", client_address(_request("10.0.0.5", user_address)))
    rows = audit.search(audit.AuditQuery(action="login"))
    assert sorted(row["address"] for row in rows) == ["203.0.113.7", "203.0.113.8"]
