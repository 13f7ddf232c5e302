"""Plotly figures to PNG through kaleido 1.x and the system Chromium, with no network access.

Kaleido drives Chromium (``TTDN_CHROMIUM``, default ``/usr/bin/chromium``) through choreographer.
Nothing is fetched: plotly.js comes from the installed plotly package and MathJax (which kaleido would
load from a CDN) is turned off. One browser renders every figure of a call, so a report pays the
browser's start-up (a few seconds) once.

>>> figures_to_png([go.Figure(go.Bar(y=[1, 2]))], width=400)[0][:8] == PNG_MAGIC  # doctest: +SKIP
True
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import plotly.graph_objects as go

from etl import settings
from reports.errors import ChromiumNotFound, ImageExportFailed

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DEFAULT_WIDTH = 1000  # px; a figure keeps its own layout height
DEFAULT_SCALE = 2.0  # device pixels per px: crisp when printed
TIMEOUT_S = 60


def chromium_path() -> Path:
    """The Chromium binary of ``TTDN_CHROMIUM``; ``ChromiumNotFound`` if it is not an executable file."""
    path = Path(settings.get("TTDN_CHROMIUM"))
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise ChromiumNotFound(
            f"Không tìm thấy trình duyệt Chromium tại '{path}' để vẽ ảnh biểu đồ. Cài gói Debian "
            "'chromium' (sudo apt-get install chromium fonts-noto-core) hoặc đặt biến môi trường "
            "TTDN_CHROMIUM là đường dẫn tới Chromium/Chrome."
        )
    return path


def figure_to_png(fig: go.Figure, width: int = DEFAULT_WIDTH, scale: float = DEFAULT_SCALE) -> bytes:
    """One figure as PNG bytes (starts a browser: prefer ``figures_to_png`` for several)."""
    return figures_to_png([fig], width=width, scale=scale)[0]


def figures_to_png(
    figs: Sequence[go.Figure], width: int = DEFAULT_WIDTH, scale: float = DEFAULT_SCALE
) -> list[bytes]:
    """Every figure as PNG bytes, in order, rendered by one headless Chromium."""
    if not figs:
        return []
    browser = chromium_path()
    specs = [
        {"format": "png", "width": width, "height": int(f.layout.height or 500), "scale": scale} for f in figs
    ]
    return _run(_render(list(figs), specs, browser))


async def _render(figs: list[go.Figure], specs: list[dict], browser: Path) -> list[bytes]:
    import kaleido  # imported here: a page that never exports does not pay for it
    from choreographer.errors import ChromeNotFoundError

    try:
        async with kaleido.Kaleido(n=1, timeout=TIMEOUT_S, mathjax=False, path=str(browser)) as k:
            images = [await k.calc_fig(fig, opts=spec) for fig, spec in zip(figs, specs, strict=True)]
    except ChromeNotFoundError as exc:
        raise ChromiumNotFound(f"Chromium tại '{browser}' không chạy được: {exc}") from exc
    except (TimeoutError, RuntimeError, OSError) as exc:
        raise ImageExportFailed(
            f"Không tạo được ảnh biểu đồ bằng Chromium ('{browser}'): {exc}. Thử lại; nếu vẫn lỗi, kiểm tra "
            "Chromium chạy được ở chế độ headless (chromium --headless --no-sandbox --dump-dom about:blank)."
        ) from exc
    for image in images:
        if not image.startswith(PNG_MAGIC):
            raise ImageExportFailed("Chromium trả về dữ liệu không phải ảnh PNG khi vẽ biểu đồ.")
    return images


def _run(coro):
    """Run a coroutine to completion, also from code that already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
