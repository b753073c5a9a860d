"""The house stays as ``docs/architecture.md`` draws it: imports only point down, and never in a circle.

The rooms of ``zgwlib`` (lowest first): ``core`` (imports nothing else of
zgwlib), ``data`` and ``style`` (on core), the report packages (on core, data,
style and the reports they build on, declared below), ``publish`` (on core and
data, never a report), and ``cli`` and ``__init__`` on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "zgwlib"

#: The report packages, each named like its notebook.
REPORTS = {"maandrapportage", "opschoonactie", "evaluatie", "verkenning", "termijnbewaking", "archief", "borging"}

#: Reports that build on another report's figures (docs/architecture.md says why).
BUILDS_ON = {
    "evaluatie": {"maandrapportage", "opschoonactie"},  # compares the monthly figures and the cleanup before/after
    "verkenning": {"maandrapportage"},  # adoption per team uses the monthly report's per-zaak facts
    "termijnbewaking": {"maandrapportage"},  # the team of a zaak and the fast text lookups of its per-zaak facts
    # the effect of trainings and buddies on the monthly figures per team, with the evaluation's bootstrap; the
    # key-user agenda from the exploration's catalogue findings
    "borging": {"maandrapportage", "evaluatie", "verkenning"},
}


def room(module: str) -> str:
    """``zgwlib.data.zgw.api`` -> ``data``; ``zgwlib.style`` -> ``style``; ``zgwlib.cli`` -> ``cli``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def allowed(source: str) -> set[str]:
    """The rooms a module in room ``source`` may import from."""
    if source == "core":
        return {"core"}
    if source in ("data", "style"):
        return {"core", source}
    if source in REPORTS:
        return {"core", "data", "style", source} | BUILDS_ON.get(source, set())
    if source == "publish":
        return {"core", "data", "publish"}
    return {"core", "data", "style", "publish", *REPORTS, "cli", "__init__"}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    return ".".join(rel.parts).removesuffix(".__init__")


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """Every zgwlib module ``path`` imports: (module, line, at the top level of the file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body} | {id(c) for n in tree.body if isinstance(n, ast.If) for c in n.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import; write zgwlib.<room>.<module>"
            names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            if name.startswith("zgwlib."):
                found.append((name, node.lineno, id(node) in top))
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _existing(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_import_points_down_the_layers(module: str) -> None:
    source = room(module)
    wrong = [f"line {line}: {name} ({room(name)})" for name, line, _ in imports(MODULES[module])
             if room(name) not in allowed(source)]
    assert not wrong, f"{module} ({source}) imports upward or sideways: {'; '.join(wrong)}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if room(m) != "cli"))
def test_no_module_imports_zgwlib_inside_a_function(module: str) -> None:
    # An import inside a function is how a cycle hides; only the command line imports lazily (start-up speed).
    hidden = [f"line {line}: {name}" for name, line, top in imports(MODULES[module]) if not top]
    assert not hidden, f"{module} imports zgwlib inside a function: {'; '.join(hidden)}"


def test_the_modules_import_each_other_without_a_cycle() -> None:
    graph = {m: {t for name, _, _ in imports(p) if (t := _existing(name)) and t != m} for m, p in MODULES.items()}
    # A package's __init__ re-exporting its modules is not a cycle of the modules themselves.
    graph = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in graph.items()}
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for t in sorted(graph[m]):
            if state.get(t) == 1:
                cycles.append(" -> ".join(path[path.index(t):] + [t]) if t in path else f"{m} -> {t}")
            elif t not in state:
                visit(t, path + [t])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert not cycles, "import cycles: " + "; ".join(cycles)


def test_the_test_sees_every_room_of_the_package() -> None:
    rooms = {room(m) for m in MODULES}
    assert {"core", "data", "style", "publish", "cli", *REPORTS} <= rooms
