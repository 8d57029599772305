"""The apps' imports run one way: down the layers written in docs/architecture.md.

Read from the source with `ast` (no import is executed), so a dependency cannot hide behind a
lazy import, and a new app cannot appear without a place in the layering.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
APPS = ROOT / "apps"
DOC = ROOT / "docs" / "architecture.md"
# Function-local imports of another app that docs/architecture.md explains ("Function-local imports").
ALLOWED_LOCAL = {("reports/catalogue.py", "sync_indicators")}


def read_layers() -> dict[str, int]:
    """{app: layer number, 0 = bottom} from the ```layers block of docs/architecture.md."""
    match = re.search(r"```layers\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert match, "docs/architecture.md has no ```layers block"
    rows = [line.strip() for line in match.group(1).splitlines() if line.strip()]
    layers: dict[str, int] = {}
    for number, row in enumerate(reversed(rows)):
        for app in (name.strip() for name in row.split("|")):
            assert app not in layers, f"{app} appears twice in the layering"
            layers[app] = number
    return layers


def app_names() -> set[str]:
    return {p.name for p in APPS.iterdir() if (p / "__init__.py").exists() and p.name != "tests"}


def source_files() -> list[Path]:
    return [p for p in APPS.rglob("*.py") if "tests" not in p.relative_to(APPS).parts
            and "migrations" not in p.relative_to(APPS).parts]


def imported_apps(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        modules = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        modules = [node.module]
        if node.module == "apps":  # from apps import serviceday
            modules = [f"apps.{alias.name}" for alias in node.names]
    else:
        return []
    return [m.split(".")[1] for m in modules if m.startswith("apps.") and len(m.split(".")) > 1]


class Imports:
    """Every import of another app in one file, with whether it sits inside a function."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rel = path.relative_to(APPS).as_posix()
        self.app = path.relative_to(APPS).parts[0]
        self.found: list[tuple[int, str, str | None]] = []  # (line, app imported, enclosing function)
        self._visit(ast.parse(path.read_text(encoding="utf-8")), None, None)

    def _visit(self, node: ast.AST, function: str | None, klass: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._visit(child, child.name if function is None else function, klass)
            elif isinstance(child, ast.ClassDef):
                self._visit(child, function, child.name)
            else:
                for target in imported_apps(child):
                    if target != self.app:
                        self.found.append((child.lineno, target, function))
                self._visit(child, function, klass)

    def local_allowed(self, function: str) -> bool:
        return (self.path.name == "apps.py" and function == "ready") or (self.rel, function) in ALLOWED_LOCAL


ALL = [Imports(p) for p in source_files()]


def test_every_app_has_a_layer():
    layers = read_layers()
    assert app_names() - set(layers) == set(), "apps missing from the ```layers block of docs/architecture.md"
    assert set(layers) - app_names() == set(), "the layering names apps that do not exist"


def test_imports_run_down_the_layers_only():
    layers = read_layers()
    wrong = [f"{f.rel}:{line} ({f.app}, layer {layers[f.app]}) imports {target} (layer {layers[target]})"
             for f in ALL for line, target, _ in f.found if layers[target] >= layers[f.app]]
    assert wrong == []


def test_no_function_hides_an_import_of_another_app():
    hidden = [f"{f.rel}:{line} in {function}() imports apps.{target}"
              for f in ALL for line, target, function in f.found if function and not f.local_allowed(function)]
    assert hidden == []


def test_growth_imports_no_app():
    offenders = [f"{p.relative_to(ROOT)}:{node.lineno}" for p in (ROOT / "growth").rglob("*.py")
                 for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))) if imported_apps(node)]
    assert offenders == []


@pytest.mark.parametrize("source, expected", [
    ("from apps.reports.jobs import mark_stale", ["reports"]),
    ("import apps.serviceday.models", ["serviceday"]),
    ("from apps import people", ["people"]),
    ("from .models import Visit", []),
    ("import growth", []),
])
def test_the_walk_sees_every_form_of_import(source, expected):
    assert imported_apps(ast.parse(source).body[0]) == expected


def test_the_walk_finds_an_upward_and_a_hidden_import(tmp_path, monkeypatch):
    """The check itself can fail: a file in `core` importing `reports` inside a function is caught twice."""
    app = tmp_path / "apps" / "core"
    app.mkdir(parents=True)
    (app / "bad.py").write_text("def f():\n    from apps.reports.jobs import mark_stale\n    return mark_stale\n")
    monkeypatch.setattr(f"{__name__}.APPS", tmp_path / "apps")
    found = Imports(app / "bad.py")
    layers = read_layers()
    assert found.found == [(2, "reports", "f")]
    assert layers["reports"] > layers["core"] and not found.local_allowed("f")
