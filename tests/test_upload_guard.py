"""The upload page under hostile files: refused in Vietnamese, the server's memory bounded, the next upload works."""

from __future__ import annotations

import io
import shutil
import tomllib
from pathlib import Path

import pytest

from demo.catalog import PROVINCES
from demo.generate import build_report
from etl.settings import Limits
from etl.vocab.periods import parse_period_code
from tests import hostile
from tests.conftest import ROOT, make_app
from tests.fixture_db import NGV
from tests.helpers import plain

PAGE = "pages/7_Tai_bao_cao.py"


# A server holds about 0.3 GB before any upload (the app, its imports, a replica of the fixture); the
# test process may hold more (what earlier tests left), so the upload's own growth is what is bounded:
# what the hostile files may add to a server's memory and keep it under 1 GB.
UPLOAD_GROWTH_LIMIT = 2**30 - 400 * 2**20


def peak_rss_reset() -> int:
    """Reset this process's peak RSS (VmHWM) so that what follows is measured alone; returns the RSS now."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status_bytes("VmRSS:")


def peak_rss() -> int:
    return _status_bytes("VmHWM:")


def _status_bytes(field: str) -> int:
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith(field))
    return int(line.split()[1]) * 1024


def good_report() -> bytes:
    buffer = io.BytesIO()
    build_report(PROVINCES[0], NGV, parse_period_code("2024-Q3")).save(buffer)
    return buffer.getvalue()


@pytest.fixture
def upload_page(fixture_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db_path = tmp_path / "upload.duckdb"
    shutil.copy(fixture_db_path, db_path)
    monkeypatch.setenv("TTDN_ARCHIVE", str(tmp_path / "archive"))
    at = make_app(db_path, monkeypatch).run()
    at.switch_page(PAGE).run()
    return at


def test_zip_bomb_panic_and_oversize_refused_in_vietnamese_memory_bounded_next_upload_works(
    upload_page,
) -> None:
    at = upload_page
    hostile_files = [
        ("bom.xlsx", hostile.zip_bomb(), "application/octet-stream"),
        ("hong.xls", hostile.panicking_xls(), "application/octet-stream"),
        ("to.csv", b"STT,Nhiem vu\n" + b"1,x\n" * (6 * 2**20), "text/csv"),  # 24 MB, over the 20 MB limit
    ]
    before = peak_rss_reset()
    at.file_uploader[0].set_value(hostile_files)
    at.run()
    assert not at.exception
    assert peak_rss() - before < UPLOAD_GROWTH_LIMIT, (before, peak_rss())
    text = " ".join(m.value for m in at.markdown)
    assert text.count("Bị từ chối — cần sửa rồi tải lại") == 3
    messages = [plain(e.value) for e in at.error]  # a file refused as a whole: one message each
    assert len(messages) == 3 and all(hostile.is_vietnamese_reason(m) for m in messages), messages
    assert any("zip bomb" in m for m in messages) and any("bị hỏng" in m for m in messages)
    assert any("Tệp quá lớn" in m and "vượt giới hạn 20 MB" in m for m in messages)
    assert list(at.download_button) == []  # nothing on a row to mark: no annotated copy
    codes = [c.value for c in at.caption if c.value.startswith("Mã từ chối")]
    assert sorted(code.split("`")[1] for code in codes) == ["parser failure", "too large", "zip bomb"]

    at.file_uploader[0].set_value([("tot.xlsx", good_report(), "application/octet-stream")])
    at.run()
    assert not at.exception
    assert "Đọc được — sẵn sàng nạp" in " ".join(m.value for m in at.markdown)


def test_the_page_states_the_products_own_size_limit(upload_page) -> None:
    assert any("Mỗi tệp tối đa 20 MB." in c.value for c in upload_page.caption)
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert (
        config["server"]["maxUploadSize"] * 2**20 > 2 * Limits().max_file_bytes
    )  # Streamlit's English never shows
