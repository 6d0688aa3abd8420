"""The shape of the code, read with ``ast``: no import cycles inside model/, narrow doors, one way down.

Three rules of DESIGN §4, checked on the source (nothing is imported):

- no circles among model/'s files, nor among its packages, counting imports inside functions
  too (an import moved into a function to dodge a cycle is still an edge);
- nothing outside a package imports its private (``_``-prefixed) modules or names;
- model/ imports nothing from the layers above it (ui/, pages/, cli.py, app.py) nor from
  Streamlit or Altair.

How an import becomes an edge: ``import a.b`` and ``from a.b import name`` point at module
``a.b``; ``from a import b`` points at ``a.b`` when ``b`` is a module of its own (else at ``a``'s
``__init__``). Python runs a package's ``__init__`` before any module inside it, but that is
not counted as an edge (the package is always initialised first; counting it would make every
package ``__init__`` that re-exports its modules look like a circle).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "model"
# Code of the project (the test checks each of these files' imports of private modules).
PROJECT = ("model", "ui", "pages", "benchmarks", "tests", "cli.py", "app.py")
ABOVE_THE_MODEL = {"ui", "pages", "cli", "app", "streamlit", "altair", "benchmarks", "tests"}


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name of the file
    target: str  # dotted module (or package) it imports
    name: str | None  # the name taken from it (``from target import name``), else None
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def project_files() -> Iterator[Path]:
    for entry in PROJECT:
        path = ROOT / entry
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(p for p in path.rglob("*.py") if ".venv" not in p.parts)


def known_modules() -> set[str]:
    return {module_name(p) for p in project_files()}


def imports_of(path: Path, me: str | None = None) -> list[Import]:
    """Every import statement of a file, at any depth, with relative imports made absolute
    (``me``: the file's dotted module name, by default from its place in the project)."""
    me = module_name(path) if me is None else me
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                      ast.Lambda))
            if isinstance(child, ast.Import):
                out.extend(Import(me, a.name, None, child.lineno, in_function)
                           for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                out.extend(Import(me, target, a.name, child.lineno, in_function)
                           for a in child.names)
            visit(child, inner)

    visit(tree, False)
    return out


def edge_target(imp: Import, modules: set[str]) -> str | None:
    """The project module an import points at (see the module docstring), or None."""
    if imp.name is not None and f"{imp.target}.{imp.name}" in modules:
        return f"{imp.target}.{imp.name}"
    return imp.target if imp.target in modules else None


def model_graph() -> dict[str, dict[str, list[Import]]]:
    """importer → imported → the import statements behind the edge, for model/'s files."""
    modules = {module_name(p) for p in MODEL.rglob("*.py")}
    graph: dict[str, dict[str, list[Import]]] = {m: {} for m in modules}
    for path in MODEL.rglob("*.py"):
        for imp in imports_of(path):
            target = edge_target(imp, modules)
            if target is not None and target != imp.importer:
                graph[imp.importer].setdefault(target, []).append(imp)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components with more than one node (each holds at least one cycle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def one_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """A shortest cycle through the component's first node (for the failure message)."""
    inside = set(component)
    start = component[0]
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph.get(v, set()) & inside):
                if w == start:
                    return paths[v] + [start]
                if w not in paths:
                    paths[w] = paths[v] + [w]
                    nxt.append(w)
        frontier = nxt
    return component


def package_of(module: str) -> str:
    """model.x.y → model.x: the top-level package (or module) of model/ that holds it."""
    return ".".join(module.split(".")[:2])


def describe(graph: dict[str, dict[str, list[Import]]], cycle: list[str]) -> str:
    steps = []
    for a, b in zip(cycle, cycle[1:], strict=False):
        imps = graph.get(a, {}).get(b, [])
        lines = sorted({(i.line, i.in_function) for i in imps})[:2]
        where = ", ".join(f"line {n}{' (inside a function)' if inside else ''}"
                          for n, inside in lines)
        steps.append(f"{a} → {b}" + (f" [{where}]" if where else ""))
    return "; ".join(steps)


# --- the tests ----------------------------------------------------------------------------------


def test_no_import_cycle_among_model_files():
    graph = model_graph()
    edges = {a: set(bs) for a, bs in graph.items()}
    cycles = strongly_connected(edges)
    assert not cycles, "import cycles inside model/ (fix them; never move an import into a " \
        "function to hide one):\n" + "\n".join(
            describe(graph, one_cycle(edges, c)) for c in cycles)


def test_no_import_cycle_among_model_packages():
    graph = model_graph()
    packages: dict[str, set[str]] = {}
    behind: dict[str, dict[str, list[Import]]] = {}
    for a, targets in graph.items():
        for b, imps in targets.items():
            pa, pb = package_of(a), package_of(b)
            if pa != pb and "model" not in (pa, pb):  # model/__init__ is the front door only
                packages.setdefault(pa, set()).add(pb)
                behind.setdefault(pa, {}).setdefault(pb, []).extend(imps)
    cycles = strongly_connected(packages)
    messages = []
    for c in cycles:
        cycle = one_cycle(packages, c)
        messages.append(" → ".join(cycle) + "  via " + "; ".join(
            f"{i.importer} line {i.line}" for a, b in zip(cycle, cycle[1:], strict=False)
            for i in behind[a][b][:1]))
    assert not cycles, "packages of model/ import each other in a circle:\n" + "\n".join(
        messages)


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(graph) == [["a", "b", "c"]]
    assert one_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_imports_inside_functions_are_edges(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("import os\n\ndef f():\n    from .store import db\n")
    found = [(i.target, i.name, i.in_function) for i in imports_of(source, "model.m")]
    assert found == [("os", None, False), ("model.store", "db", True)]


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_owner(dotted: str) -> str | None:
    """The package that owns a private module: the part before its first ``_`` component."""
    parts = dotted.split(".")
    for i, part in enumerate(parts):
        if is_private(part):
            return ".".join(parts[:i])
    return None


def private_reach(imp: Import, modules: set[str], packages: set[str]) -> tuple[str, str] | None:
    """What private thing an import reaches and the package that owns it, or None: a private
    module (``model.analysis._ranges``), or a private name of a module (``_seed`` of
    ``ui.widgets``, owned by ``ui``)."""
    target = edge_target(imp, modules) or imp.target
    owner = private_owner(target)
    if owner is not None:
        return target, owner
    if imp.name and is_private(imp.name) and imp.target in modules:
        holder = imp.target if imp.target in packages else imp.target.rpartition(".")[0]
        return f"{imp.target}.{imp.name}", holder
    return None


def may_reach_inside(importer: str, path: Path, owner: str) -> bool:
    """Code inside the package; or a test that mirrors it (tests/model/analysis/… tests
    model.analysis, tests/model/test_simulation.py tests model.simulation)."""
    if importer == owner or importer.startswith(owner + "."):
        return True
    rel = path.relative_to(ROOT).parts
    if rel[0] != "tests" or not path.name.startswith("test_"):
        return False
    folder = ".".join(rel[1:-1])
    named = ".".join([*rel[1:-1], path.stem.removeprefix("test_")])
    return owner in (folder, named)


def test_nothing_outside_a_package_imports_its_private_modules():
    modules = known_modules()
    packages = {module_name(p) for p in project_files() if p.name == "__init__.py"}
    offences = []
    for path in project_files():
        for imp in imports_of(path):
            reach = private_reach(imp, modules, packages)
            if reach is not None and not may_reach_inside(imp.importer, path, reach[1]):
                offences.append(f"{path.relative_to(ROOT)}:{imp.line} imports {reach[0]} "
                                f"(private to {reach[1] or 'its module'})")
    assert not offences, "private modules or names used from outside their package; import " \
        "from the package's door instead:\n" + "\n".join(sorted(set(offences)))


def test_the_private_rule_sees_modules_and_names():
    modules = {"model.analysis", "model.analysis._ranges", "ui", "ui.widgets"}
    packages = {"model.analysis", "ui"}
    imp = Import("pages.x", "model.analysis", "_ranges", 1, False)
    assert private_reach(imp, modules, packages) == ("model.analysis._ranges", "model.analysis")
    imp = Import("pages.x", "ui.widgets", "_seed", 1, False)
    assert private_reach(imp, modules, packages) == ("ui.widgets._seed", "ui")
    assert private_reach(Import("pages.x", "ui.widgets", "seed", 1, False), modules,
                         packages) is None
    tests = ROOT / "tests" / "model" / "analysis" / "test_x.py"
    assert may_reach_inside("tests.model.analysis.test_x", tests, "model.analysis")
    assert not may_reach_inside("ui.charts", ROOT / "ui" / "charts.py", "model.analysis")


def test_model_imports_nothing_from_the_layers_above_it():
    offences = [f"{p.relative_to(ROOT)}:{i.line} imports {i.target}"
                for p in MODEL.rglob("*.py") for i in imports_of(p)
                if i.target.split(".")[0] in ABOVE_THE_MODEL]
    assert not offences, "model/ must stay pure (no UI, no front doors):\n" + "\n".join(offences)
