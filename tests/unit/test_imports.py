"""Imports of the assistant's own modules stand at the top of a module (CONTRIBUTING.md).

An import inside a function hides a dependency and can hide a cycle; the few that are
needed (an engine loaded only when chosen, a cycle that cannot be cut) say why in a
comment on the line above."""

import ast

from lokseva.settings import ROOT

# Modules other work is changing now; their imports move up with that work.
PENDING: set = set()


def _unexplained_imports(source: str, name: str):
    lines = source.splitlines()
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and node.module
                and node.module.split(".")[0] in ("lokseva", "actions")
            ):
                above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
                if not above.startswith("#") and "#" not in lines[node.lineno - 1]:
                    yield f"{name}:{node.lineno}: from {node.module} import ..."


def test_own_modules_are_imported_at_the_top_or_the_exception_says_why():
    files = [p for folder in ("lokseva", "actions") for p in sorted((ROOT / folder).rglob("*.py"))]
    assert len(files) > 100
    names = {path: str(path.relative_to(ROOT)) for path in files}
    found = [
        line
        for path, name in names.items()
        if name not in PENDING
        for line in _unexplained_imports(path.read_text(encoding="utf-8"), name)
    ]
    assert found == []


def test_the_check_sees_an_unexplained_import():
    source = (
        "from lokseva.text import fold\n\n"
        "def f():\n    from lokseva.money import format_rupees\n    return format_rupees\n\n"
        "async def g():\n    # needed lazily: a cycle\n    from lokseva.clock import IST\n    return IST\n"
    )
    assert list(_unexplained_imports(source, "probe.py")) == ["probe.py:4: from lokseva.money import ..."]
