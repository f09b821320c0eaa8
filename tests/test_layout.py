"""The house's one direction of dependency, read from the source with ``ast``:
the library (``assistant``) imports neither ``ingest`` nor ``evals``, nothing below ``app``
imports ``app``, and no package's modules import each other in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "assistant", "evals", "ingest", "kbcore")
FORBIDDEN = {
    "assistant": {"app", "ingest", "evals"},
    "ingest": {"app", "assistant", "evals"},
    "evals": {"app"},
    "kbcore": {"app", "assistant", "ingest", "evals"},
}


def _module(path: Path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function, as dotted names."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (only names that are modules of the tree)."""
    files = {_module(path): path for package in PACKAGES for path in (REPO / package).rglob("*.py")}
    return {
        module: {name for name in imports_of(path) if name in files} - {module}
        for module, path in files.items()
    }


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_only_what_lies_below_it(package: str) -> None:
    graph = import_graph()
    wrong = sorted(
        f"{module} -> {name}"
        for module, imported in graph.items()
        if module.split(".")[0] == package
        for name in imported
        if name.split(".")[0] in FORBIDDEN[package]
    )
    assert not wrong, wrong


def test_no_import_circle() -> None:
    graph = import_graph()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError(" -> ".join([*path[path.index(module) :], module]))
        if module in done:
            return
        for name in sorted(graph[module]):
            visit(name, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
