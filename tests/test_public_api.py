"""Only Textual's public API: no `obj._name` reaches into a library's private parts.

A private name of ours is one some module of ours defines (a `def _x`, a `self._x = `,
a module-level `_X`); any other `something._name` in src/ or tests/ belongs to a
library, and a library release may change it without notice.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = sorted((ROOT / "src").rglob("*.py")) + sorted((ROOT / "tests").rglob("*.py"))

# Private names of the standard library that are documented or have no public twin.
ALLOWED = {
    "_exit": "os._exit is documented: leave at once after a signal, skipping cleanup",
    "_actions": "argparse lists its arguments nowhere else (the help test walks them)",
    "_SubParsersAction": "argparse's subcommand action has no public name",
    "_replace": "a NamedTuple's documented copy-with-changes",
    "_asdict": "a NamedTuple's documented conversion",
}


def _defined_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[-1])
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return {name for name in names if name.startswith("_")}


def _private_reaches(tree: ast.AST) -> list[tuple[int, str]]:
    return [
        (node.lineno, node.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]


def test_no_code_of_ours_reaches_a_library_s_private_names() -> None:
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in CODE}
    ours: set[str] = set().union(*(_defined_names(tree) for tree in trees.values()))
    foreign = [
        f"{path.relative_to(ROOT)}:{line}: .{name}"
        for path, tree in trees.items()
        for line, name in _private_reaches(tree)
        if name not in ours and name not in ALLOWED
    ]
    assert foreign == [], "private names of a library:\n" + "\n".join(foreign)


def test_the_check_finds_a_private_reach() -> None:
    tree = ast.parse("app._their_cache.clear()\nself._mine = 1\nself._mine += 1\n")
    assert _defined_names(tree) == {"_mine"}
    assert sorted(name for _, name in _private_reaches(tree)) == [
        "_mine",
        "_mine",
        "_their_cache",
    ]
