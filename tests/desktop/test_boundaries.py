"""The desktop never imports the server: one direction of dependency (DESIGN.md)."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.support import REPO_ROOT

CHECK = """
import sys
import desktop.app, desktop.demo, desktop.demo_window, desktop.views.main_window
server = sorted(m for m in sys.modules
                if m == "api" or m.startswith(("api.", "litestar", "piccolo", "asyncpg")))
print(",".join(server))
"""


def test_desktop_modules_do_not_import_the_server():
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def desktop_import_graph() -> dict[str, set[str]]:
    """Module → the desktop modules it imports, anywhere in its body (function-level
    imports included: they are cycles put off, not removed); ``TYPE_CHECKING``
    blocks excluded, since they never run."""
    root = REPO_ROOT / "desktop"
    modules = {
        ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__"): path
        for path in root.rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for inner in ast.walk(node)
        }
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.add(node.module)
                targets.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def test_desktop_modules_import_each_other_without_cycles():
    graph = desktop_import_graph()
    assert {"desktop.app", "desktop.demo", "desktop.client.http"} <= graph.keys()
    done: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:  # depth first, each module once
        for target in sorted(graph[module]):
            if target in path:
                cycles.append([*path[path.index(target) :], target])
            elif target not in done:
                visit(target, [*path, target])
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    assert cycles == []
