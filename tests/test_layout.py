"""The layout holds: analysis packages import one way, and no modules import each other in a circle.

Imports are read with ast, at module level and inside functions alike.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("app.py", "views", "analysis", "data", "bench")
#: The analysis packages; each may import only those before it.
ANALYSIS_ORDER = ("i18n", "trends", "topics", "dashboard", "briefing", "watch")
#: The only modules of analysis outside its packages.
ANALYSIS_TOP = {"analysis", "analysis.__main__", "analysis.cli"}


def _module_name(path: Path) -> str:
    """The dotted module name of a source file (a package's for its __init__.py)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    """Every module of the project by name: the app, views, analysis, data and bench."""
    files = [
        path
        for source in SOURCES
        for path in ([ROOT / source] if source.endswith(".py") else (ROOT / source).rglob("*.py"))
    ]
    return {_module_name(path): path for path in sorted(files)}


def _imported_names(path: Path) -> Iterator[str]:
    """The dotted names a file imports: modules, and module.name for each `from module import name`."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


@cache
def _import_graph() -> dict[str, frozenset[str]]:
    """Each project module -> the project modules it imports (not itself)."""
    modules = _modules()
    return {
        name: frozenset(
            target for target in _imported_names(path) if target in modules and target != name
        )
        for name, path in modules.items()
    }


def _cycle_from(start: str, graph: dict[str, frozenset[str]], members: set[str]) -> list[str]:
    """One cycle through start among members, as the modules along it (start first and last)."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        here = queue.pop(0)
        for target in sorted(graph[here] & members):
            if target == start:
                return [*paths[here], start]
            if target not in paths:
                paths[target] = [*paths[here], target]
                queue.append(target)
    return []


def _strongly_connected(graph: dict[str, frozenset[str]]) -> list[set[str]]:
    """The groups of modules that reach each other (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
    return groups


def import_cycles(graph: dict[str, frozenset[str]]) -> list[str]:
    """One cycle of each group of modules that import each other, written 'a -> b -> a'."""
    return [
        " -> ".join(_cycle_from(min(group), graph, group))
        for group in _strongly_connected(graph)
        if len(group) > 1
    ]


def _analysis_package(module: str) -> str | None:
    """The analysis package a module belongs to (None outside analysis or at its top)."""
    parts = module.split(".")
    return parts[1] if parts[0] == "analysis" and module not in ANALYSIS_TOP else None


def test_the_cycle_finder_names_a_cycle():
    graph = {
        "a": frozenset({"b"}),
        "b": frozenset({"c"}),
        "c": frozenset({"a", "d"}),
        "d": frozenset(),
    }
    assert import_cycles(graph) == ["a -> b -> c -> a"]


def test_no_modules_import_each_other_in_a_circle():
    assert import_cycles(_import_graph()) == []


def test_analysis_is_its_packages_and_the_command_line():
    analysis = [name for name in _modules() if name.split(".")[0] == "analysis"]
    assert sorted({_analysis_package(name) for name in analysis} - {None}) == sorted(ANALYSIS_ORDER)
    assert {name for name in analysis if _analysis_package(name) is None} == ANALYSIS_TOP


def test_analysis_packages_import_only_the_packages_before_them():
    offenders = [
        f"{module} imports {target}"
        for module, targets in sorted(_import_graph().items())
        if (package := _analysis_package(module)) is not None
        for target in sorted(targets)
        if target.startswith("analysis")
        and (
            _analysis_package(target) is None
            or ANALYSIS_ORDER.index(_analysis_package(target)) > ANALYSIS_ORDER.index(package)
        )
    ]
    assert offenders == []


def test_analysis_package_inits_only_describe_the_package():
    for package in ANALYSIS_ORDER:
        tree = ast.parse((ROOT / "analysis" / package / "__init__.py").read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), package
        assert len(tree.body) == 1, f"analysis/{package}/__init__.py does more than describe"
