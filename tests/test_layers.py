"""Imports run one way: app -> analysis -> data, and streamlit lives only in the app layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", ["data", "analysis"])
def test_no_streamlit_below_the_app(layer):
    offenders = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / layer).rglob("*.py"))
        if "streamlit" in _imported_modules(p)
    ]
    assert offenders == []


def test_data_never_imports_analysis_or_the_app():
    offenders = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "data").rglob("*.py"))
        if _imported_modules(p) & {"analysis", "app", "views"}
    ]
    assert offenders == []


def test_analysis_never_imports_the_app():
    offenders = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "analysis").rglob("*.py"))
        if _imported_modules(p) & {"app", "views"}
    ]
    assert offenders == []
