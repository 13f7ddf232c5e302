"""The login routes and the gate in front of every page, added to Streamlit's server by ``server.py``.

A Streamlit script cannot set a cookie, so logging in happens here, in plain HTTP: ``/auth/login``
(a form; POST checks the password and sets the session cookie, HttpOnly and SameSite=Lax),
``/auth/password`` (change a one-time password), ``/auth/logout`` (revoke, clear the cookie). The
gate (``AuthGate``) looks at every page request: nobody logged in (and no anonymous viewing) goes
to the login with the page and its filters as ``next``; a page outside the user's role is refused
with 403 and audited. Page responses are ``Cache-Control: no-store``: after a logout the back
button asks the server again, and gets the login.
"""

from __future__ import annotations

import functools
import html
import ipaddress
from urllib.parse import quote, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from etl import settings
from etl.accounts import audit, sessions, users
from etl.accounts.audit import Event
from etl.accounts.passwords import verify_password
from etl.accounts.roles import User
from etl.errors import AccountError
from ui.access import page_allowed, viewer
from ui.navigation import legacy_url_path, page_files, url_path
from ui.page_shell import shell_scope, shell_sender

AUTH = "/auth"
EXTRA_PAGES = ("nhat-ky",)


@functools.lru_cache(maxsize=8)
def _networks(value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """``TTDN_TRUSTED_PROXIES`` parsed: addresses and CIDR networks, comma-separated."""
    networks = []
    for item in value.split(","):
        if item.strip():
            try:
                networks.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError:
                raise ValueError(
                    f"TTDN_TRUSTED_PROXIES: {item.strip()!r} không phải địa chỉ IP hay mạng CIDR"
                ) from None
    return tuple(networks)


def trusted_proxies() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return _networks(settings.get("TTDN_TRUSTED_PROXIES"))


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in networks)


def forwarded_address(peer: str | None, forwarded: str | None, networks=None) -> str | None:
    """The client's address: the peer, unless it is a trusted proxy (``TTDN_TRUSTED_PROXIES``); then
    the right-most address of ``X-Forwarded-For`` that is not a trusted proxy (every proxy appends the
    address it saw, so the entries left of it may be made up by the client and are never read)."""
    networks = trusted_proxies() if networks is None else networks
    if peer is None or not forwarded or not _trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop[:64]
    return hops[0][:64] if hops else peer


def client_address(request: Request) -> str | None:
    """The client's address; behind trusted reverse proxies, the one they forward."""
    host = request.client.host if request.client else None
    return forwarded_address(host, request.headers.get("x-forwarded-for"))


def safe_next(target: str | None) -> str:
    """Only a path of this site (never "//other.host" or "https://…")."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


def _page_of(path: str) -> str | None:
    """The page's url_path for a page request ("" for the default page), None for anything else."""
    first = path.strip("/").split("/", 1)[0]
    if first == "":
        return ""
    known = {u for p in page_files() for u in (url_path(p), legacy_url_path(p))} | set(EXTRA_PAGES)
    return first if first in known and "/" not in path.strip("/") else None


def _session_user(request: Request) -> User | None:
    return sessions.session_user(request.cookies.get(sessions.COOKIE))


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>
<style>body{{font-family:system-ui,"Segoe UI",Roboto,sans-serif;background:#f5f7fa;margin:0}}
main{{max-width:26rem;margin:8vh auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}}
h1{{font-size:1.4rem;margin-top:0}} label{{display:block;margin:.8rem 0 .2rem}}
input{{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}}
button{{margin-top:1.2rem;padding:.6rem 1.2rem;font-size:1rem;background:#1565c0;color:#fff;border:0;border-radius:4px}}
.error{{color:#b71c1c;background:#fdecea;padding:.6rem;border-radius:4px}} .note{{color:#1b5e20}}</style>
</head><body><main>{body}</main></body></html>""",
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


def _login_form(next_path: str, *, error: str = "", note: str = "", username: str = "", status: int = 200):
    message = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    message += f'<p class="note">{html.escape(note)}</p>' if note else ""
    return _page(
        "Đăng nhập",
        f"""<h1>Theo dõi Kế hoạch TTĐN — Đăng nhập</h1>{message}
<form method="post" action="{AUTH}/login">
<input type="hidden" name="next" value="{html.escape(next_path)}">
<label for="username">Tên đăng nhập</label><input id="username" name="username" autocomplete="username" required autofocus value="{html.escape(username)}">
<label for="password">Mật khẩu</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Đăng nhập</button></form>""",
        status,
    )


def _password_form(next_path: str, *, error: str = "", status: int = 200) -> HTMLResponse:
    message = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return _page(
        "Đổi mật khẩu",
        f"""<h1>Đổi mật khẩu</h1>{message}
<form method="post" action="{AUTH}/password"><input type="hidden" name="next" value="{html.escape(next_path)}">
<label for="current">Mật khẩu hiện tại (hoặc mật khẩu dùng một lần)</label><input id="current" name="current" type="password" autocomplete="current-password" required>
<label for="new">Mật khẩu mới (ít nhất 10 ký tự)</label><input id="new" name="new" type="password" autocomplete="new-password" required>
<label for="repeat">Nhập lại mật khẩu mới</label><input id="repeat" name="repeat" type="password" autocomplete="new-password" required>
<button type="submit">Đổi mật khẩu</button></form>""",
        status,
    )


def _same_origin(request: Request) -> bool:
    """A form POST from a page of this site (the Origin header, when the browser sends one)."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


def _set_cookie(response: Response, token: str) -> None:
    response.set_cookie(sessions.COOKIE, token, httponly=True, samesite="lax", path="/",
                        secure=settings.get("TTDN_COOKIE_SECURE") == "1")  # fmt: skip


async def login(request: Request) -> Response:
    if request.method == "GET":
        note = "Bạn đã đăng xuất." if request.query_params.get("bye") else ""
        return _login_form(safe_next(request.query_params.get("next")), note=note)
    form = await request.form()
    next_path, username = safe_next(str(form.get("next", ""))), str(form.get("username", ""))
    if not _same_origin(request):
        return _login_form(next_path, error="Yêu cầu không đến từ trang của hệ thống.", status=403)
    try:
        user, token = await run_in_threadpool(
            sessions.login, username, str(form.get("password", "")), client_address(request)
        )
    except sessions.LoginRefused as refused:
        return _login_form(next_path, error=str(refused), username=username, status=401)
    target = f"{AUTH}/password?next={quote(next_path)}" if user.must_change else next_path
    response = RedirectResponse(target, status_code=303)
    _set_cookie(response, token)
    return response


async def change_password(request: Request) -> Response:
    user = await run_in_threadpool(_session_user, request)
    next_path = safe_next(request.query_params.get("next"))
    if user is None:
        return RedirectResponse(f"{AUTH}/login?next={quote(next_path)}", status_code=303)
    if request.method == "GET":
        return _password_form(next_path)
    form = await request.form()
    next_path = safe_next(str(form.get("next", "")))
    if not _same_origin(request):
        return _password_form(next_path, error="Yêu cầu không đến từ trang của hệ thống.", status=403)
    error = await run_in_threadpool(_change, user, form, client_address(request))
    if error:
        return _password_form(next_path, error=error, status=400)
    return RedirectResponse(next_path, status_code=303)


def _change(user: User, form, address: str | None) -> str:
    """Change the password; the message to show when it cannot be done ("" when done)."""
    row = users.find_row(user.username)
    if not verify_password(row["password_hash"] if row else None, str(form.get("current", ""))):
        audit.record(Event.PASSWORD_CHANGE, "failed", user=user, address=address, object=user.username)
        return "Mật khẩu hiện tại không đúng."
    if str(form.get("new", "")) != str(form.get("repeat", "")):
        return "Hai lần nhập mật khẩu mới không giống nhau."
    if str(form.get("new", "")) == str(form.get("current", "")):
        return "Mật khẩu mới phải khác mật khẩu cũ."
    try:
        users.change_password(user, str(form.get("new", "")), address=address)
    except AccountError as exc:
        return str(exc)
    return ""


async def logout(request: Request) -> Response:
    """Revoke the session and clear the cookie (a GET from another site does nothing)."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return RedirectResponse("/", status_code=303)
    token = request.cookies.get(sessions.COOKIE)
    await run_in_threadpool(sessions.logout, token, client_address(request))
    response = RedirectResponse(f"{AUTH}/login?bye=1", status_code=303)
    response.delete_cookie(sessions.COOKIE, path="/")
    return response


ROUTES = [
    Route(f"{AUTH}/login", login, methods=["GET", "POST"]),
    Route(f"{AUTH}/password", change_password, methods=["GET", "POST"]),
    Route(f"{AUTH}/logout", logout, methods=["GET", "POST"]),
]


class AuthGate:
    """ASGI middleware: who may load which page (see the module's docstring)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        page = (
            _page_of(scope["path"])
            if scope["type"] == "http" and scope["method"] in ("GET", "HEAD")
            else None
        )
        if page is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = await run_in_threadpool(_refusal, request, page)
        if refusal is not None:
            await refusal(scope, receive, send)
            return

        async def no_store(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                message["headers"] = [*headers, (b"cache-control", b"no-store")]
            await send(message)

        # The page itself (Streamlit's index.html) in Vietnamese, with the charts' hint (ui/page_shell.py).
        if scope["method"] == "GET":
            await self.app(shell_scope(scope), receive, shell_sender(no_store))
        else:
            await self.app(scope, receive, no_store)


def _refusal(request: Request, page: str) -> Response | None:
    """None when the page may load; else the redirect to the login, or the 403 page."""
    user = _session_user(request)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if user is not None and user.must_change:
        return RedirectResponse(f"{AUTH}/password?next={quote(here)}", status_code=303)
    who = viewer(user)
    if who is not None and page_allowed(who, page):
        return None
    if user is None:
        return RedirectResponse(f"{AUTH}/login?next={quote(here)}", status_code=303)
    audit.record(Event.ACCESS_DENIED, "denied", user=user, address=client_address(request), object=f"/{page}")
    return _page(
        "Không có quyền",
        """<h1>Không có quyền truy cập</h1><p class="error" role="alert">Tài khoản của bạn không được mở trang
này. Nếu cần, hãy đề nghị quản trị hệ thống cấp quyền.</p><p><a href="/">Về trang Tổng quan</a></p>""",
        403,
    )
