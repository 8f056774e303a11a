"""The engine is pure: every module of ``trackside.core`` imports the standard library only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import trackside.core

CORE = Path(trackside.core.__file__).parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_core_imports_only_the_standard_library_and_itself() -> None:
    modules = sorted(CORE.glob("*.py"))
    assert len(modules) >= 8
    bad = {
        f"{path.name}: {name}"
        for path in modules
        for name in _imports(path)
        if name.split(".")[0] not in sys.stdlib_module_names
        and name != "__future__"
        and not name.startswith("trackside.core")
    }
    assert not bad, bad
