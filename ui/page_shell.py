"""The HTML page Streamlit serves at every page address, in Vietnamese and quicker to its first chart.

Streamlit's ``index.html`` says ``lang="en"`` and titles the tab "Streamlit" until the script's first
message arrives; the gate (``ui.web.AuthGate``) passes every page response through ``rewrite_shell``,
which makes them ``vi`` and the app's title. It also adds a hint for the charts (``ui.plotly_view``):
their plotly.js is fetched with the page and run as soon as the browser is idle after loading it, while
the server runs the page's script, instead of when the first chart arrives.
"""

from __future__ import annotations

import functools
import html
import json

from ui.plotly_view import LOADER, PLOTLY_SRC

TITLE = "Theo dõi Kế hoạch TTĐN"
# The browser window's height in CSS px, set by the page before it connects: the slides size their
# charts' type by it (plotly draws in pixels, CSS cannot scale it). Read by ``screen_height``.
SCREEN_COOKIE = "ttdn_screen_height"
_SCREEN_SCRIPT = (
    f'<script>(function () {{ function keep() {{ document.cookie = "{SCREEN_COOKIE}=" + innerHeight + '
    '"; path=/; SameSite=Lax"; } keep(); addEventListener("resize", keep); })();</script>'
)


def _plotly_hint() -> str:
    """Fetch the charts' plotly.js with the page, and run it once the page has loaded and the browser
    is idle (while the server runs the page's script), through the loader the charts use."""
    src = json.dumps(PLOTLY_SRC)
    load = f"() => window.ttdnPlotly({src})"
    return (
        f'<link rel="preload" as="script" href="{html.escape(PLOTLY_SRC)}">'
        f"<script>{LOADER.read_text(encoding='utf-8')}"
        'addEventListener("load", () => "requestIdleCallback" in window ? '
        f"requestIdleCallback({load}, {{timeout: 1000}}) : setTimeout({load}, 200));</script>"
    )


@functools.cache
def rewrite_shell(page: bytes) -> bytes:
    """Streamlit's ``index.html`` with ``lang="vi"``, the app's title, the window's height kept in a
    cookie (``SCREEN_COOKIE``) and the chart hint."""
    text = page.decode("utf-8")
    text = text.replace('<html lang="en">', '<html lang="vi">', 1)
    text = text.replace("<title>Streamlit</title>", f"<title>{html.escape(TITLE)}</title>", 1)
    text = text.replace("</head>", _SCREEN_SCRIPT + _plotly_hint() + "</head>", 1)
    return text.encode("utf-8")


def screen_height() -> int | None:
    """The height of the viewer's window when the page was opened (None when unknown: a test)."""
    import streamlit as st

    value = st.context.cookies.get(SCREEN_COOKIE)
    return int(value) if isinstance(value, str) and value.isdigit() and 0 < int(value) < 100_000 else None


def shell_scope(scope: dict) -> dict:
    """The page request without ``Accept-Encoding``: Streamlit's own gzip (inside the app) then leaves
    the small page as text for ``shell_sender`` to rewrite."""
    headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]
    return {**scope, "headers": headers}


def shell_sender(send):
    """Wrap an ASGI ``send`` of a page response: a complete, uncompressed 200 ``text/html`` answer goes
    out rewritten (with its new length); anything else (a redirect, a 304, gzip) as it is."""
    held: dict | None = None
    chunks: list[bytes] = []

    async def wrapped(message) -> None:
        nonlocal held
        if message["type"] == "http.response.start":
            headers = dict((k.lower(), v) for k, v in message.get("headers", []))
            html_page = headers.get(b"content-type", b"").startswith(b"text/html")
            if message.get("status") == 200 and html_page and b"content-encoding" not in headers:
                held = message
                return
        elif message["type"] == "http.response.body" and held is not None:
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = rewrite_shell(b"".join(chunks))
            headers = [(k, v) for k, v in held.get("headers", []) if k.lower() != b"content-length"]
            await send({**held, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await send(message)

    return wrapped
