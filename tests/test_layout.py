"""The shape of the code holds: each area imports only the areas below it, no module imports
or reads another's private names, SQL is written only in storage/, and no modules import each
other in a circle."""

from __future__ import annotations

import ast
import re
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


def test_no_module_reads_private_attributes_of_another() -> None:
    """`module._name` (or `imported_object._name`) reaches past another module's public face,
    as `from module import _name` does: use or add a public function instead."""
    reached = []
    for path in modules().values():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                imported.update(alias.asname or alias.name for alias in node.names)
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                continue
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in imported:
                reached.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {ast.unparse(node)}")
    assert not reached, reached


# A statement as SQLite reads it: upper-case keywords in SQL's order, at the start of a string
# or an f-string (English in messages is not written so: "Select the item", "update it").
_SQL = re.compile(
    r"^\s*(?:SELECT\b[\s\S]*\bFROM\b|SELECT\s+(?:\d|count\(|max\(|min\(|\*)|"
    r"INSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\b|UPDATE\s+\S+\s+SET\b|DELETE\s+FROM\b|"
    r"REPLACE\s+INTO\b|PRAGMA\s+\w|CREATE\s+(?:TEMP\s+|UNIQUE\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\b|"
    r"DROP\s+(?:TABLE|INDEX|TRIGGER|VIEW)\b|ALTER\s+TABLE\b|BEGIN(?:\s+[A-Z]+)?\s*$|"
    r"COMMIT\s*$|ROLLBACK\b|SAVEPOINT\s|VACUUM\b|ATTACH\s|WITH\s+\w+[\s\S]*\bAS\s*\()"
)


def sql_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string or f-string in a file that is an SQL statement."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if _SQL.search(str(text)):
            found.append((node.lineno, str(text)))
    return found


def test_sql_is_written_only_in_storage() -> None:
    outside = [
        f"{path.relative_to(PACKAGE)}:{line} {text[:60]!r}"
        for module, path in modules().items()
        if area(module) != "storage"
        for line, text in sql_literals(path)
    ]
    assert not outside, outside


def test_the_sql_finder_finds_sql_and_not_english(tmp_path: Path) -> None:
    """The check above cannot pass by finding nothing."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "a = 'SELECT id FROM jobs WHERE title = ?'\n"
        "b = f'UPDATE {table} SET notes = ?'\n"
        "c = 'INSERT INTO events (kind) VALUES (?)'\n"
        "d = 'DELETE FROM items WHERE id = ?'\n"
        "e = 'PRAGMA foreign_keys = ON'\n"
        "f = 'BEGIN IMMEDIATE'\n"
        "g = 'Select the items to propose'\n"
        "h = 'update the client first, then delete from the list'\n"
        "i = 'Deleted from the job: 2 items'\n",
        encoding="utf-8",
    )
    assert [line for line, _ in sql_literals(sample)] == [1, 2, 3, 4, 5, 6]
    assert sql_literals(PACKAGE / "storage" / "jobs.py"), "storage's own SQL is found"


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
