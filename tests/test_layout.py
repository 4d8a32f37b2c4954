"""The shape of the code holds: each area imports only the areas below it, no module imports
another's private names, and no modules import each other in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "shopcli"
# From the ground up: an area may import itself and those before it, never one after it.
AREAS = [
    "core", "storage", "documents", "people", "work", "proposing", "delivering", "billing",
    "data", "cli",
]  # fmt: skip


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("shopcli", *parts)).removesuffix(".__init__")
        found[name] = path
    return found


def imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names taken, line) for every `import`/`from … import` of shopcli, anywhere."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("shopcli"):
            found.append((node.module, [alias.name for alias in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("shopcli"):
                    found.append((alias.name, [], node.lineno))
    return found


def area(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in AREAS else None


def test_every_module_is_in_an_area() -> None:
    loose = [m for m in modules() if area(m) is None and m not in ("shopcli", "shopcli.__main__")]
    assert not loose, f"put these in an area package: {loose}"


def test_no_area_imports_an_area_above_it() -> None:
    upward = []
    for module, path in modules().items():
        mine = area(module)
        if mine is None:
            continue
        for target, names, line in imports(path):
            targets = [target] if area(target) else [f"{target}.{n}" for n in names]
            for full in targets:
                theirs = area(full)
                if theirs and AREAS.index(theirs) > AREAS.index(mine):
                    upward.append(f"{path.relative_to(PACKAGE)}:{line} imports {full}")
    assert not upward, upward


def test_no_module_imports_private_names_of_another() -> None:
    taken = [
        f"{path.relative_to(PACKAGE)}:{line} takes {name} from {target}"
        for module, path in modules().items()
        for target, names, line in imports(path)
        for name in names
        if name.startswith("_") and not name.startswith("__") and target != module
    ]
    assert not taken, taken


def test_no_import_circles_between_modules() -> None:
    known = modules()
    graph: dict[str, set[str]] = {}
    for module, path in known.items():
        edges = set()
        for target, names, _ in imports(path):
            submodules = [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
            edges.update(submodules)
            # `from pkg import name` runs pkg/__init__ for a name it defines, not for a module.
            if target in known and (len(submodules) < len(names) or not names):
                edges.add(target)
        edges.discard(module)
        graph[module] = edges
    # Tarjan-free: a depth-first search that reports the first circle it meets.
    state: dict[str, int] = {}
    trail: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        trail.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*trail[trail.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        state[node] = 2
        trail.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            circle = visit(node)
            assert circle is None, " -> ".join(circle)
