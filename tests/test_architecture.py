"""The import graph has no circles: between bot's subpackages, and between the modules of
services and of storage. The layer contracts themselves are import-linter's (pyproject.toml);
this file also covers the migration scripts, which are no package and so not in its graph."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]


Edges = Mapping[str, set[str]]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("bot", "services", "storage", "api", cache_dir=None)


def circles(nodes: Iterable[str], edges: Edges) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan's algorithm, iterative
    so a long chain of imports cannot hit the recursion limit)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = lowest[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            successor = next(successors, None)
            if successor is not None:
                if successor not in index:
                    index[successor] = lowest[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(edges.get(successor, ())))))
                elif successor in on_stack:
                    lowest[node] = min(lowest[node], index[successor])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                lowest[parent] = min(lowest[parent], lowest[node])
            if lowest[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_circles_finds_a_circle_and_only_the_circle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles("abcde", edges) == [["a", "b", "c"]]
    assert circles("abcde", {**edges, "c": set()}) == []


def _child_of(module: str, package: str) -> str | None:
    """The child of `package` that holds `module` (bot.handlers.staff.desk -> bot.handlers)."""
    if not module.startswith(package + "."):
        return None
    return ".".join(module.split(".")[: package.count(".") + 2])


def test_no_circles_between_the_subpackages_of_bot(graph: grimp.ImportGraph) -> None:
    edges: dict[str, set[str]] = {}
    for importer in graph.find_descendants("bot"):
        importer_child = _child_of(importer, "bot")
        for imported in graph.find_modules_directly_imported_by(importer):
            imported_child = _child_of(imported, "bot")
            if imported_child is None or imported_child == importer_child:
                continue
            assert importer_child is not None
            edges.setdefault(importer_child, set()).add(imported_child)
    assert circles(graph.find_children("bot"), edges) == []


@pytest.mark.parametrize("package", ["services", "storage", "api"])
def test_no_circles_between_modules(graph: grimp.ImportGraph, package: str) -> None:
    modules = graph.find_descendants(package) | {package}
    edges = {
        module: graph.find_modules_directly_imported_by(module) & modules for module in modules
    }
    assert circles(modules, edges) == []


def _top_level_imports(path: Path) -> set[str]:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module.split(".")[0])
    return imported


def test_migration_scripts_import_neither_the_bot_nor_the_services() -> None:
    # A migration that imports today's code changes what it does when that code changes.
    scripts = sorted((PROJECT_ROOT / "storage" / "migrations").rglob("*.py"))
    assert any(script.name == "env.py" for script in scripts)
    assert len(scripts) > 1
    offending = {
        str(script.relative_to(PROJECT_ROOT)): sorted(
            _top_level_imports(script) & {"bot", "services", "api", "aiogram", "aiogram_dialog"}
        )
        for script in scripts
    }
    assert {script: names for script, names in offending.items() if names} == {}
