"""The house a newcomer reads: modules grouped by layer, short functions, no import cycles, a test per module."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dashboard"
MAX_FUNCTION_LINES = 60
LAYERS = {"model": set(), "views": {"model"}, "web": {"model", "views"}}  # a layer imports only those below


def modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PACKAGE.rglob("*.py")):
        parts = list(p.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that `name` imports, anywhere in the file (inside functions too)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for block in ast.walk(tree):  # imports for type checkers only are no dependency at run time
        if isinstance(block, ast.If) and getattr(block.test, "id", "") == "TYPE_CHECKING":
            block.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rsplit(".", 1)[0]
            target = (f"{base}.{node.module}" if node.module else base) if node.level else node.module or ""
            for alias in node.names:
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


def test_no_function_is_longer_than_sixty_lines():
    long = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name}: {lines} lines")
    assert long == []


def test_there_are_no_import_cycles():
    g = graph()
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(g[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"
    for n in sorted(g):
        if n not in state:
            visit(n, [n])
    assert cycles == []


def test_the_cycle_finder_finds_a_cycle(tmp_path, monkeypatch):
    (tmp_path / "dashboard").mkdir()
    (tmp_path / "dashboard" / "__init__.py").write_text("")
    (tmp_path / "dashboard" / "a.py").write_text("from . import b\n")
    (tmp_path / "dashboard" / "b.py").write_text("def f():\n    from .a import x\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "dashboard")
    g = graph()
    assert g["dashboard.a"] == {"dashboard.b"} and g["dashboard.b"] == {"dashboard.a"}


def test_a_layer_imports_only_the_layers_below_it():
    wrong = []
    for name, deps in graph().items():
        parts = name.split(".")
        if len(parts) < 2 or parts[1] not in LAYERS:
            continue
        for d in deps:
            dp = d.split(".")
            if len(dp) > 1 and dp[1] in LAYERS and dp[1] != parts[1] and dp[1] not in LAYERS[parts[1]]:
                wrong.append(f"{name} -> {d}")
    assert wrong == []


def test_each_module_has_a_test_file_named_for_it():
    """tests/ mirrors dashboard/: dashboard/model/query.py is tested in tests/model/test_query.py."""
    missing = []
    for name, path in modules().items():
        rel = path.relative_to(PACKAGE)
        if path.name in ("__init__.py", "__main__.py") and path.parent != PACKAGE / "views" / "charts":
            continue
        stem = "registry" if path.name == "__init__.py" else rel.stem
        test = ROOT / "tests" / rel.parent / f"test_{stem}.py"
        if not test.exists():
            missing.append(str(test.relative_to(ROOT)))
    assert missing == []
