"""The README stays true: every setting documented, every page listed, the two quickstart commands exist."""

import re
from pathlib import Path

from etl.settings import SETTINGS
from ui.navigation import page_files, page_title

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_with_its_default():
    for name, setting in SETTINGS.items():
        assert re.search(rf"\| `{name}` \| `{re.escape(setting.default)}` \|", README), name


def test_every_page_is_listed():
    for path in page_files():
        assert f"| {page_title(path)} |" in README, path.name


def test_quickstart_has_two_commands_that_exist_and_ci_runs_the_test_one():
    block = README.split("## Quickstart", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["scripts/start", "scripts/test"]
    assert all((ROOT / c).is_file() for c in commands)
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text()
