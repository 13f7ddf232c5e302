"""The imports point one way, along the data's journey.

etl.vocab (the words) <- etl.ingest (reading a file) and etl.plans (reading a plan) <- etl.store
(the database and the write path) <- etl.cli; etl.accounts (users, sessions, audit) <- etl.cli; queries <- reports <- ui <- app.py and pages/.
The core modules (errors, model, settings) sit under everything.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CORE = {"etl", "etl.errors", "etl.model", "etl.settings"}
# package -> the packages it may import from (besides itself and the core).
ALLOWED: dict[str, set[str]] = {
    "etl.vocab": set(),
    "etl.ingest": {"etl.vocab"},
    "etl.plans": {"etl.vocab"},
    "etl.store": {"etl.vocab", "etl.ingest", "etl.plans"},
    "etl.accounts": {"etl.vocab"},
    "etl.cli": {"etl.vocab", "etl.ingest", "etl.plans", "etl.store", "etl.accounts"},
}
UI_FREE = ("etl", "queries", "display", "reports")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _package_of(module: str) -> str | None:
    return next((p for p in ALLOWED if module == p or module.startswith(p + ".")), None)


def test_etl_imports_point_along_the_journey():
    wrong = []
    for path in sorted((ROOT / "etl").rglob("*.py")):
        module = _module(path)
        own = _package_of(module)
        if own is None:
            continue
        for name in _imports(path):
            target = _package_of(name)
            if not name.startswith("etl") or name in CORE or target in (None, own):
                continue
            if target not in ALLOWED[own]:
                wrong.append(f"{module} imports {name}")
    assert wrong == []


def test_domain_packages_do_not_import_streamlit_or_the_ui():
    wrong = []
    for package in UI_FREE:
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in _imports(path):
                if name.split(".")[0] in ("streamlit", "ui", "pages"):
                    wrong.append(f"{_module(path)} imports {name}")
    assert wrong == []


def test_etl_root_holds_only_the_core_and_the_cli():
    loose = sorted(p.name for p in (ROOT / "etl").glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "cli.py", "errors.py", "model.py", "settings.py"]
