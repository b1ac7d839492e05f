"""The house rules of ARCHITECTURE.md, checked on the source: arrows between apps point one
way, no import hides inside a function to dodge a cycle, no app looks another up by name."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = sorted(p.parent.name for p in ROOT.glob("*/apps.py"))

# Who may import whom (ARCHITECTURE.md draws it). A new app must be placed here.
LAYERS = {
    "neighbourhoods": 0,
    "residents": 1,
    "jobs": 1,
    "audit": 2,
    "organisations": 3,
    "places": 4,
    "conversations": 5,
    "network": 6,
    "ownership": 7,
    "outcomes": 8,
    "search": 9,
    "maps": 9,
    "exchange": 9,
    "me": 10,
    "operators": 10,
    "api": 10,
}


def _source_files(app: str):
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" not in path.parts:
            yield path


def _imports(path: Path):
    """(imported app, line, inside a function?) for every absolute import of another app."""
    tree = ast.parse(path.read_text())

    def walk(node, in_function: bool, type_only: bool):
        for child in ast.iter_child_nodes(node):
            only = type_only or (
                isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)
            )
            if isinstance(child, ast.Import | ast.ImportFrom):
                names = (
                    [child.module or ""]
                    if isinstance(child, ast.ImportFrom) and not child.level
                    else [a.name for a in child.names]
                    if isinstance(child, ast.Import)
                    else []
                )
                for name in names:
                    top = name.split(".")[0]
                    if top in APPS and not only:
                        yield top, child.lineno, in_function
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from walk(child, inner, only)

    yield from walk(tree, False, False)


def _graph() -> dict[str, dict[str, list[str]]]:
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for app in APPS:
        for path in _source_files(app):
            for target, line, _inside in _imports(path):
                if target != app:
                    graph[app][target].append(f"{path.relative_to(ROOT)}:{line}")
    return graph


def test_every_app_has_a_layer():
    assert sorted(LAYERS) == APPS


def test_imports_between_apps_point_down_only():
    wrong = [
        f"{app} imports {target} ({', '.join(where[:3])})"
        for app, targets in _graph().items()
        for target, where in targets.items()
        if LAYERS[target] >= LAYERS[app]
    ]
    assert wrong == []


def test_no_cycle_between_apps():
    graph = {app: set(targets) for app, targets in _graph().items()}
    seen: set[str] = set()

    def visit(app: str, path: list[str]) -> list[str] | None:
        if app in path:
            return [*path[path.index(app) :], app]
        if app in seen:
            return None
        seen.add(app)
        for target in graph.get(app, ()):
            cycle = visit(target, [*path, app])
            if cycle:
                return cycle
        return None

    cycles = [c for app in APPS if (c := visit(app, []))]
    assert cycles == []


def test_no_import_of_another_app_hides_inside_a_function():
    hidden = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for app in APPS
        for path in _source_files(app)
        if path.name != "apps.py"  # AppConfig.ready() is where Django wants them
        for target, line, inside in _imports(path)
        if inside and target != app
    ]
    assert hidden == []


def test_no_app_looks_another_up_by_name():
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for app in APPS
        for path in _source_files(app)
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and ast.unparse(node.func).endswith("get_model")
        and node.args
        and isinstance(node.args[0], ast.Constant)  # a literal app label: import it instead
    ]
    assert found == []
