"""The package's layering, read with :mod:`ast` from every import statement in ``cnnexplorer/**.py``
(those inside functions and ``if TYPE_CHECKING:`` too).

- ``cnnexplorer.core`` never imports Qt (PySide6, shiboken6, pyqtgraph) nor ``cnnexplorer.gui``.
- A GUI room (``gui/<room>/``) imports only ``gui/common``, its own files and ``core``; ``gui/common`` is
  the bottom and imports no other room; ``gui/shell`` is the top and may import every room.
- ``bench`` and the top-level entry points (``app``, ``train``, ``__main__``) may import anything, and so
  may a module's ``if __name__ == "__main__":`` block (it runs only when that module is the program).
- No import cycle between modules, ``__main__`` blocks included: the module graph has no strongly
  connected component of two or more modules (Tarjan's algorithm).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cnnexplorer

PACKAGE = "cnnexplorer"
ROOT = Path(cnnexplorer.__file__).parent
QT_PACKAGES = ("PySide6", "shiboken6", "pyqtgraph")
GUI_BOTTOM, GUI_TOP = "common", "shell"


Graph = dict[str, set[str]]  # module → every name it imports (outside packages too)


def module_name(path: Path) -> str:
    parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_main_block(node: ast.stmt) -> bool:
    """``if __name__ == "__main__":`` at module level."""
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def imported_names(name: str, source: str, is_package: bool, modules: set[str], main_blocks: bool) -> set[str]:
    """Every module ``name`` imports anywhere in ``source``. A name inside the package resolves to the
    most specific module it names (``from a import b`` is ``a.b`` when ``b`` is a module)."""
    tree = ast.parse(source)
    statements = [node for node in tree.body if main_blocks or not is_main_block(node)]
    found: set[str] = set()
    for node in (inner for statement in statements for inner in ast.walk(statement)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = name.split(".")
                kept = len(anchor) - (node.level - 1 if is_package else node.level)
                base = ".".join(anchor[:kept] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules else base)
    found.discard(name)
    return found


def import_graph(main_blocks: bool) -> Graph:
    paths = {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}
    return {name: imported_names(name, path.read_text(encoding="utf-8"), path.name == "__init__.py", set(paths),
                                 main_blocks)
            for name, path in paths.items()}


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def gui_room(name: str) -> str | None:
    """The room a GUI module lives in (``cnnexplorer.gui.models.x`` → ``models``); None outside a room."""
    parts = name.split(".")
    return parts[2] if len(parts) >= 4 and parts[:2] == [PACKAGE, "gui"] else None


def crossing(importer: str, target: str) -> str | None:
    """Why ``importer`` may not import ``target``, or None when it may."""
    if target == PACKAGE:  # the package's own __init__ (its version) sits under everything
        return None
    if within(importer, f"{PACKAGE}.core"):
        if any(within(target, qt) for qt in QT_PACKAGES) or within(target, f"{PACKAGE}.gui"):
            return "core imports no Qt and no GUI"
        return None
    room = gui_room(importer)
    if room is None or not within(target, PACKAGE):
        return None
    if room == GUI_TOP:
        return None if within(target, f"{PACKAGE}.gui") or within(target, f"{PACKAGE}.core") else \
            "gui/shell imports only the GUI and core"
    allowed = (f"{PACKAGE}.core", f"{PACKAGE}.gui.{GUI_BOTTOM}", f"{PACKAGE}.gui.{room}")
    return None if any(within(target, prefix) for prefix in allowed) else \
        f"gui/{room} imports only gui/common, its own files and core"


def layering_violations(graph: Graph) -> dict[str, str]:
    """"importer -> target" → the rule it breaks."""
    found = {}
    for importer, targets in graph.items():
        for target in targets:
            rule = crossing(importer, target)
            if rule is not None:
                found[f"{importer} -> {target}"] = rule
    return found


def strongly_connected(graph: Graph) -> list[list[str]]:
    """Tarjan's strongly connected components of the package's own modules, iterative (a long chain
    cannot overflow the stack); only those of two or more modules, each sorted."""
    edges = {node: sorted(t for t in targets if t in graph) for node, targets in graph.items()}
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, 0)]  # (module, next edge to follow)
        while work:
            node, next_edge = work.pop()
            if next_edge == 0:
                index[node] = lowlink[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            for position in range(next_edge, len(edges[node])):
                target = edges[node][position]
                if target not in index:
                    work += [(node, position + 1), (target, 0)]
                    break
                if target in on_stack:
                    lowlink[node] = min(lowlink[node], index[target])
            else:  # every edge followed: ``node`` is done
                if lowlink[node] == index[node]:
                    component = []
                    while not component or component[-1] != node:
                        component.append(stack.pop())
                        on_stack.discard(component[-1])
                    if len(component) > 1:
                        components.append(sorted(component))
                if work:
                    parent = work[-1][0]
                    lowlink[parent] = min(lowlink[parent], lowlink[node])
    return sorted(components)


@pytest.fixture(scope="module")
def layered() -> Graph:
    return import_graph(main_blocks=False)


@pytest.fixture(scope="module")
def everything() -> Graph:
    return import_graph(main_blocks=True)


def test_every_import_follows_the_layering(layered):
    crossings = layering_violations(layered)
    assert crossings == {}, "\n".join(f"{line}: {rule}" for line, rule in sorted(crossings.items()))


def test_no_module_imports_itself_round_a_loop(everything):
    cycles = strongly_connected(everything)
    assert cycles == [], "\n".join(" <-> ".join(cycle) for cycle in cycles)


def test_the_graph_sees_imports_inside_functions_and_main_blocks(layered, everything):
    app = layered[f"{PACKAGE}.app"]  # it imports the main window only when the GUI starts
    assert f"{PACKAGE}.gui.shell.main_window" in app and "PySide6.QtWidgets" in app
    attribution = f"{PACKAGE}.gui.models.attribution_dock"
    assert f"{PACKAGE}.gui.shell.standalone" in everything[attribution] - layered[attribution]


def test_the_checks_catch_what_they_forbid():
    core, common, source, shell, bench = (f"{PACKAGE}.{m}" for m in (
        "core.a", "gui.common.x", "gui.source.y", "gui.shell.z", "bench.b"))
    text = ("from .x import thing\nimport PySide6.QtCore\ndef later():\n    from cnnexplorer.gui import shell\n"
            "if __name__ == '__main__':\n    import cnnexplorer.bench.b\n")
    modules = {core, common, source, shell, bench, f"{PACKAGE}.gui.shell"}
    importer = f"{PACKAGE}.gui.common.w"
    assert imported_names(importer, text, False, modules, main_blocks=True) == {
        common, "PySide6.QtCore", f"{PACKAGE}.gui.shell", bench}
    assert imported_names(importer, text, False, modules, main_blocks=False) == {
        common, "PySide6.QtCore", f"{PACKAGE}.gui.shell"}
    toy = {core: {"PySide6.QtCore", common}, common: {source}, source: {common, f"{PACKAGE}.core.b"},
           shell: {source, bench}, bench: {shell}}
    assert sorted(layering_violations(toy)) == [
        f"{core} -> PySide6.QtCore", f"{core} -> {common}", f"{common} -> {source}", f"{shell} -> {bench}"]
    assert strongly_connected(toy) == [sorted([bench, shell]), sorted([common, source])]
