"""The package's layer architecture, checked statically by parsing every module with ``ast``.

Layers, lowest first (a module may import only its own layer or a lower one):

0. foundation: the top-level modules listed in ``LAYERS``
1. rules: ``juro_privacy/rules/``
2. workbook: ``juro_privacy/workbook/``
3. topics: ``juro_privacy/topics/``; between topics only the lower topic's ``api`` module
   (or ``topics.metrics``) may be imported, see ``TOPIC_ORDER``
4. run: ``juro_privacy/run/``
5. shells: ``cli.py``, ``display.py``, ``charts.py``, ``__main__.py`` and ``juro_privacy/sample/``

Besides: no import cycle among module-level imports, no private name of one module used by
another, and no ``juro_privacy`` import inside a function (except in ``cli.py``, whose lazy
imports keep ``--help`` fast).

Each checker is a plain function of the package root, so that the tests at the end can run it
on small fake packages and show that it reports exactly the fault planted there.
"""

from __future__ import annotations

import ast
import textwrap
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "juro_privacy"
PACKAGE_ROOT = Path(__file__).resolve().parents[1] / PACKAGE

# Lowest layer first. An entry ending in "/" is a folder of the package (all of it, at any
# depth); any other entry is a top-level module file.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "foundation",
        (
            "__init__.py",
            "errors.py",
            "periods.py",
            "paths.py",
            "findings.py",
            "run_cache.py",
            "registry.py",
            "chart_style.py",
        ),
    ),
    ("rules", ("rules/",)),
    ("workbook", ("workbook/",)),
    ("topics", ("topics/",)),
    ("run", ("run/",)),
    ("shells", ("cli.py", "display.py", "charts.py", "__main__.py", "sample/")),
)

# Lowest topic first: a topic may use the api module of a lower topic, never of a higher one.
TOPIC_ORDER: tuple[str, ...] = (
    "flows",
    "register",
    "requests",
    "retention",
    "consent",
    "breaches",
    "complaints",
    "metrics",
    "dpia",
    "accountability",
)
TOPICS_BASE = f"{PACKAGE}.topics"  # topics/__init__.py: any topic may import it
TOPIC_API = "api"  # the one module of a topic that a higher topic may import

# Files allowed to import juro_privacy modules inside functions (relative to the package).
LAZY_IMPORTERS: tuple[str, ...] = ("cli.py",)


# --- reading the package -------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    """One parsed module of the package."""

    name: str  # dotted: juro_privacy.rules.transfers (a package is named by its folder)
    file: str  # for messages: juro_privacy/rules/transfers.py
    parts: tuple[str, ...]  # path inside the package: ("rules", "transfers.py")
    tree: ast.Module

    @property
    def is_package(self) -> bool:
        return self.parts[-1] == "__init__.py"


@dataclass(frozen=True)
class Import:
    """One imported juro_privacy module (an import statement can give several)."""

    importer: Module
    line: int
    target: str  # dotted name of the imported module, as resolved
    name: str | None  # for `from X import name`: the name as written, else None
    name_line: int  # line of that name (differs from `line` in a parenthesised import)
    function: str | None  # the enclosing function (Class.method), for an import inside one
    type_checking: bool  # under `if TYPE_CHECKING:`
    binds: tuple[str, str] | None  # (name, module) when the import binds a name to a module

    @property
    def at_import_time(self) -> bool:
        """Whether the import runs when its module is imported (what makes a cycle)."""
        return self.function is None and not self.type_checking


def load_package(package_root: Path) -> dict[str, Module]:
    """Every module of the package under `package_root`, by dotted name."""
    modules: dict[str, Module] = {}
    for path in sorted(package_root.rglob("*.py")):
        parts = path.relative_to(package_root).parts
        dotted = [package_root.name, *parts[:-1]]
        if parts[-1] != "__init__.py":
            dotted.append(path.stem)
        name = ".".join(dotted)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        modules[name] = Module(name, "/".join((package_root.name, *parts)), parts, tree)
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_statements(
    node: ast.AST, scope: str = "", function: str | None = None, type_checking: bool = False
) -> Iterator[tuple[ast.Import | ast.ImportFrom, str | None, bool]]:
    """Every import statement under `node`, with its enclosing function and TYPE_CHECKING."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node, function, type_checking
        return
    if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        scope = f"{scope}.{node.name}" if scope else node.name
        if not isinstance(node, ast.ClassDef):
            function = scope
    if isinstance(node, ast.If) and _is_type_checking(node.test):
        for statement in node.body:
            yield from _import_statements(statement, scope, function, True)
        for statement in node.orelse:
            yield from _import_statements(statement, scope, function, type_checking)
        return
    for child in ast.iter_child_nodes(node):
        yield from _import_statements(child, scope, function, type_checking)


def _from_base(node: ast.ImportFrom, importer: Module) -> str | None:
    """The absolute dotted module of `from <base> import ...`, relative imports resolved."""
    if node.level == 0:
        return node.module
    package = importer.name.split(".") if importer.is_package else importer.name.split(".")[:-1]
    if node.level - 1 >= len(package):
        return None  # beyond the top of the package: Python refuses it too
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _in_package(dotted: str | None) -> bool:
    return dotted is not None and (dotted == PACKAGE or dotted.startswith(PACKAGE + "."))


def package_imports(modules: Mapping[str, Module]) -> list[Import]:
    """Every import of a juro_privacy module by a module of the package, in file order.

    `from X import n` imports the module X.n when that is a module of the package, else X.
    """
    found: list[Import] = []
    for module in modules.values():
        for node, function, type_checking in _import_statements(module.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if not _in_package(alias.name):
                        continue
                    # `import juro_privacy.a.b` binds juro_privacy; `... as x` binds x to a.b
                    binds = (alias.asname, alias.name) if alias.asname else (PACKAGE, PACKAGE)
                    found.append(
                        Import(
                            importer=module,
                            line=node.lineno,
                            target=alias.name,
                            name=None,
                            name_line=node.lineno,
                            function=function,
                            type_checking=type_checking,
                            binds=binds,
                        )
                    )
                continue
            base = _from_base(node, module)
            if base is None or not _in_package(base):
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                is_module = submodule in modules
                found.append(
                    Import(
                        importer=module,
                        line=node.lineno,
                        target=submodule if is_module else base,
                        name=alias.name,
                        name_line=alias.lineno,
                        function=function,
                        type_checking=type_checking,
                        binds=(alias.asname or alias.name, submodule) if is_module else None,
                    )
                )
    return found


def _unique(violations: Iterable[str]) -> list[str]:
    """`from X import a, b` is one import of X: one violation, not two."""
    return list(dict.fromkeys(violations))


def _fail(title: str, violations: list[str]) -> None:
    if violations:
        pytest.fail(f"{len(violations)} {title}:\n" + "\n".join(violations), pytrace=False)


# --- layers ----------------------------------------------------------------------------------


def layer_of(module: Module) -> int | None:
    """The index of the module's layer in LAYERS, or None for a module in no layer."""
    for index, (_, entries) in enumerate(LAYERS):
        for entry in entries:
            if entry.endswith("/"):
                if len(module.parts) > 1 and module.parts[0] == entry[:-1]:
                    return index
            elif module.parts == (entry,):
                return index
    return None


def _layer_label(index: int) -> str:
    return f"{LAYERS[index][0]} (layer {index})"


def unlayered_modules(package_root: Path) -> list[str]:
    """Every module that no entry of LAYERS covers."""
    return [
        f"{module.file} is in no layer: add it to LAYERS"
        for module in load_package(package_root).values()
        if layer_of(module) is None
    ]


def layer_violations(package_root: Path) -> list[str]:
    """Imports of a higher layer, or of a juro_privacy module that does not exist.

    Every import counts: under `if TYPE_CHECKING:` and inside functions too.
    """
    modules = load_package(package_root)
    violations: list[str] = []
    for imp in package_imports(modules):
        where = f"{imp.importer.file}:{imp.line}"
        if imp.target not in modules:
            violations.append(f"{where}: imports {imp.target}, which is no module of the package")
            continue
        own, other = layer_of(imp.importer), layer_of(modules[imp.target])
        if own is not None and other is not None and other > own:
            violations.append(
                f"{where}: {_layer_label(own)} imports {imp.target} of the higher layer "
                f"{_layer_label(other)}"
            )
    return _unique(violations)


# --- topics ----------------------------------------------------------------------------------


def topic_of(module: Module) -> str | None:
    """The topic of a module under topics/: its first folder, or the stem of a flat module.

    None for a module outside topics/ and for the topics base (topics/__init__.py).
    """
    if module.parts[0] != "topics" or len(module.parts) < 2 or module.name == TOPICS_BASE:
        return None
    return module.parts[1].removesuffix(".py")


def topic_violations(package_root: Path) -> list[str]:
    """A topic imports another topic only if that one is lower, and then only its api module.

    `topics.metrics` has no api module: a higher topic imports it as it is.
    """
    modules = load_package(package_root)
    violations = [
        f"{module.file}: topic {topic} is not in TOPIC_ORDER: add it there"
        for module in modules.values()
        if (topic := topic_of(module)) is not None and topic not in TOPIC_ORDER
    ]
    for imp in package_imports(modules):
        if not imp.target.startswith(TOPICS_BASE + ".") or imp.target not in modules:
            continue
        target = modules[imp.target]
        own, other = topic_of(imp.importer), topic_of(target)
        where = f"{imp.importer.file}:{imp.line}"
        if imp.importer.name == TOPICS_BASE:
            violations.append(f"{where}: the topics base imports topic {other} ({imp.target})")
            continue
        if own is None or other is None or own == other:
            continue  # outside topics/, or within one topic
        if own not in TOPIC_ORDER or other not in TOPIC_ORDER:
            continue  # reported above
        if TOPIC_ORDER.index(other) > TOPIC_ORDER.index(own):
            violations.append(
                f"{where}: topic {own} imports {imp.target} of topic {other}, which is higher "
                "in TOPIC_ORDER"
            )
        elif other != "metrics" and imp.target != f"{TOPICS_BASE}.{other}.{TOPIC_API}":
            violations.append(
                f"{where}: topic {own} imports {imp.target}; from topic {other} only "
                f"{TOPICS_BASE}.{other}.{TOPIC_API} may be imported"
            )
    return _unique(violations)


# --- cycles ----------------------------------------------------------------------------------


def strongly_connected(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of `graph`, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, set())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def _shortest_cycle(start: str, graph: Mapping[str, set[str]], within: set[str]) -> list[str]:
    """The shortest path start -> ... -> start inside `within` (which must hold a cycle)."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for successor in sorted(graph.get(node, set()) & within):
            if successor == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if successor not in came_from:
                came_from[successor] = node
                queue.append(successor)
    raise AssertionError(f"no cycle through {start}")


def cycle_violations(package_root: Path) -> list[str]:
    """Every import cycle among module-level imports, one violation per strongly connected set.

    Imports under `if TYPE_CHECKING:` and inside functions do not run at import time, so they
    make no cycle. An import of juro_privacy.a.b is an edge to that module only (not to the
    package juro_privacy.a); cycles through __init__ modules are reported like any other.
    """
    modules = load_package(package_root)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    edges: dict[tuple[str, str], str] = {}  # first import making each edge, as file:line
    for imp in package_imports(modules):
        if imp.at_import_time and imp.target in modules:
            graph[imp.importer.name].add(imp.target)
            edges.setdefault((imp.importer.name, imp.target), f"{imp.importer.file}:{imp.line}")
    violations: list[str] = []
    for component in sorted(strongly_connected(graph)):
        start = component[0]
        if len(component) == 1:
            if start in graph[start]:
                violations.append(f"{edges[(start, start)]}: {start} imports itself")
            continue
        members = set(component)
        cycle = _shortest_cycle(start, graph, members)
        inside = sorted(
            f"    {where} imports {target}"
            for (source, target), where in edges.items()
            if source in members and target in members
        )
        violations.append(
            f"{edges[(cycle[0], cycle[1])]}: import cycle {' -> '.join(cycle)}; "
            f"{len(component)} modules import each other: {', '.join(component)}; "
            "the imports among them:\n" + "\n".join(inside)
        )
    return violations


# --- private names ---------------------------------------------------------------------------


def is_private(name: str) -> bool:
    """`_x` or `__x`, but not a dunder such as `__version__`."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _dotted(node: ast.expr) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"]; None for anything that is not a plain dotted name."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute) and (head := _dotted(node.value)) is not None:
        return [*head, node.attr]
    return None


def private_name_violations(package_root: Path) -> list[str]:
    """`from juro_privacy.m import _x`, and `alias._x` where alias is an imported package module."""
    modules = load_package(package_root)
    imports = package_imports(modules)
    violations: list[str] = []
    for imp in imports:
        if imp.name is not None and is_private(imp.name) and imp.target != imp.importer.name:
            violations.append(
                f"{imp.importer.file}:{imp.name_line}: imports {imp.name}, a private name of "
                f"{imp.target}"
            )
    for module in modules.values():
        # names that the module's imports bind to package modules (anywhere in the file)
        aliases = dict(imp.binds for imp in imports if imp.importer is module and imp.binds)
        if not aliases:
            continue
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Attribute) or not is_private(node.attr):
                continue
            chain = _dotted(node.value)
            if chain is None or chain[0] not in aliases:
                continue
            owner = ".".join([aliases[chain[0]], *chain[1:]])
            if owner in modules and owner != module.name:
                violations.append(
                    f"{module.file}:{node.lineno}: uses {'.'.join([*chain, node.attr])}, a "
                    f"private name of {owner}"
                )
    return sorted(violations, key=_file_line_key)


def _file_line_key(violation: str) -> tuple[str, int]:
    file, line, _ = violation.split(":", 2)
    return file, int(line)


# --- imports inside functions ----------------------------------------------------------------


def function_import_violations(
    package_root: Path, allowed: tuple[str, ...] = LAZY_IMPORTERS
) -> list[str]:
    """juro_privacy imports inside a function body, outside the files in `allowed`.

    Third-party imports inside functions are fine: they keep heavy libraries lazy.
    """
    modules = load_package(package_root)
    return _unique(
        f"{imp.importer.file}:{imp.line}: imports {imp.target} inside {imp.function}(): "
        "import it at the top of the module"
        for imp in package_imports(modules)
        if imp.function is not None and "/".join(imp.importer.parts) not in allowed
    )


# --- the real package ------------------------------------------------------------------------


def test_every_module_is_in_a_layer() -> None:
    _fail("modules in no layer", unlayered_modules(PACKAGE_ROOT))


def test_modules_import_only_their_own_layer_or_lower() -> None:
    _fail("imports of a higher layer or of no module", layer_violations(PACKAGE_ROOT))


def test_topics_import_only_the_api_of_lower_topics() -> None:
    _fail("imports between topics against TOPIC_ORDER", topic_violations(PACKAGE_ROOT))


def test_no_import_cycles() -> None:
    _fail("import cycles", cycle_violations(PACKAGE_ROOT))


def test_no_private_names_across_modules() -> None:
    _fail("private names used across modules", private_name_violations(PACKAGE_ROOT))


def test_no_package_imports_inside_functions() -> None:
    _fail("juro_privacy imports inside functions", function_import_violations(PACKAGE_ROOT))


# --- the checkers themselves, on fake packages -----------------------------------------------

# A small package that follows every rule, with the allowed cases each checker must accept.
CLEAN: dict[str, str] = {
    "__init__.py": '__version__ = "0.1.0"\n',
    "errors.py": "class WorkbookError(Exception):\n    pass\n",
    "cli.py": """\
        import click


        def main() -> None:
            from juro_privacy.run import orchestrate  # lazy: allowed in cli.py only

            orchestrate.run()
        """,
    "rules/transfers.py": """\
        from juro_privacy import __version__
        from juro_privacy.errors import WorkbookError


        def check() -> None:
            import pandas  # third-party, lazy: fine

            raise WorkbookError(__version__, pandas)
        """,
    "rules/deadlines/reference.py": """\
        from typing import TYPE_CHECKING

        from ..transfers import check

        if TYPE_CHECKING:
            from juro_privacy.rules.deadlines.calendars import Calendar  # no cycle at run time
        """,
    "rules/deadlines/calendars.py": """\
        from juro_privacy.rules.deadlines import reference

        Calendar = reference.check
        """,
    "workbook/load.py": "from juro_privacy.rules import transfers\n\ncheck = transfers.check\n",
    "topics/flows/api.py": "from juro_privacy.topics.flows.analysis import flows\n",
    "topics/flows/analysis.py": """\
        from juro_privacy.topics import flows as _base
        from juro_privacy.workbook import load


        def flows() -> object:
            return load.check, _base
        """,
    "topics/register/analysis.py": """\
        import collections

        import juro_privacy.topics.flows.api
        from juro_privacy.topics.flows import api as flows_api

        Row = collections.namedtuple("Row", "a b")
        ROW = Row(1, 2)._replace(a=3)  # a private-looking name, but not of a package module
        FLOWS = (flows_api.flows, juro_privacy.topics.flows.api.flows)
        """,
    "topics/metrics.py": "import juro_privacy.topics\n",
    "topics/dpia/screening.py": """\
        from juro_privacy.topics import metrics
        from juro_privacy.topics.register.api import register
        """,
    "topics/register/api.py": "from juro_privacy.topics.register.analysis import ROW as register\n",
    "run/orchestrate.py": """\
        from juro_privacy.topics.dpia import screening
        from juro_privacy.topics.flows.analysis import flows


        def run() -> None:
            screening.metrics, flows()
        """,
    "sample/company.py": "from juro_privacy.cli import main\n",
}


def make_package(tmp_path: Path, extra: Mapping[str, str] | None = None) -> Path:
    """Write CLEAN (updated with `extra`) as tmp_path/juro_privacy, with every __init__.py."""
    root = tmp_path / PACKAGE
    for file, text in {**CLEAN, **(extra or {})}.items():
        path = root / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        (folder / "__init__.py").touch()
    return root


CHECKERS = {
    "unlayered": unlayered_modules,
    "layers": layer_violations,
    "topics": topic_violations,
    "cycles": cycle_violations,
    "private": private_name_violations,
    "functions": function_import_violations,
}


def test_clean_fake_package_has_no_violation(tmp_path: Path) -> None:
    root = make_package(tmp_path)
    found = {name: check(root) for name, check in CHECKERS.items()}
    assert found == {name: [] for name in CHECKERS}


def test_fake_import_of_a_higher_layer_is_reported(tmp_path: Path) -> None:
    root = make_package(
        tmp_path,
        {
            "rules/x.py": """\
                from juro_privacy.errors import WorkbookError

                from juro_privacy.topics.flows.api import flows, flows_for
                """,
            "rules/y.py": """\
                from typing import TYPE_CHECKING

                if TYPE_CHECKING:
                    from juro_privacy import cli
                """,
            "rules/deadlines/z.py": "from ...run import orchestrate as _run\n",
        },
    )
    assert layer_violations(root) == [
        "juro_privacy/rules/deadlines/z.py:1: rules (layer 1) imports juro_privacy.run.orchestrate "
        "of the higher layer run (layer 4)",
        "juro_privacy/rules/x.py:3: rules (layer 1) imports juro_privacy.topics.flows.api of "
        "the higher layer topics (layer 3)",
        "juro_privacy/rules/y.py:4: rules (layer 1) imports juro_privacy.cli of the higher layer "
        "shells (layer 5)",
    ]
    assert cycle_violations(root) == []


def test_fake_import_of_no_module_is_reported(tmp_path: Path) -> None:
    root = make_package(tmp_path, {"workbook/config.py": "import juro_privacy.calendars\n"})
    assert layer_violations(root) == [
        "juro_privacy/workbook/config.py:1: imports juro_privacy.calendars, which is no module "
        "of the package"
    ]


def test_fake_module_in_no_layer_is_reported(tmp_path: Path) -> None:
    root = make_package(tmp_path, {"x.py": "", "extras/y.py": ""})
    assert unlayered_modules(root) == [
        "juro_privacy/extras/__init__.py is in no layer: add it to LAYERS",
        "juro_privacy/extras/y.py is in no layer: add it to LAYERS",
        "juro_privacy/x.py is in no layer: add it to LAYERS",
    ]


def test_fake_import_between_topics_is_reported(tmp_path: Path) -> None:
    root = make_package(
        tmp_path,
        {
            "topics/flows/analysis.py": """\
                from juro_privacy.workbook import load

                from juro_privacy.topics.register.analysis import ROW
                """,
            "topics/dpia/evidence.py": "import juro_privacy.topics.flows.analysis\n",
            "topics/consent/analysis.py": "from juro_privacy.topics import metrics\n",
            "topics/wellbeing/analysis.py": "",
            "topics/__init__.py": "from . import flows\n",
        },
    )
    assert topic_violations(root) == [
        "juro_privacy/topics/wellbeing/__init__.py: topic wellbeing is not in TOPIC_ORDER: "
        "add it there",
        "juro_privacy/topics/wellbeing/analysis.py: topic wellbeing is not in TOPIC_ORDER: "
        "add it there",
        "juro_privacy/topics/__init__.py:1: the topics base imports topic flows "
        "(juro_privacy.topics.flows)",
        "juro_privacy/topics/consent/analysis.py:1: topic consent imports "
        "juro_privacy.topics.metrics of topic metrics, which is higher in TOPIC_ORDER",
        "juro_privacy/topics/dpia/evidence.py:1: topic dpia imports "
        "juro_privacy.topics.flows.analysis; from topic flows only juro_privacy.topics.flows.api "
        "may be imported",
        "juro_privacy/topics/flows/analysis.py:3: topic flows imports "
        "juro_privacy.topics.register.analysis of topic register, which is higher in TOPIC_ORDER",
    ]


def test_fake_import_cycle_is_reported(tmp_path: Path) -> None:
    root = make_package(
        tmp_path,
        {
            "rules/a.py": "import os\nfrom juro_privacy.rules import b\n",
            "rules/b.py": "from juro_privacy.rules.a import os\n",
            "rules/self.py": "import juro_privacy.rules.self\n",
        },
    )
    assert cycle_violations(root) == [
        "juro_privacy/rules/a.py:2: import cycle juro_privacy.rules.a -> juro_privacy.rules.b -> "
        "juro_privacy.rules.a; 2 modules import each other: juro_privacy.rules.a, "
        "juro_privacy.rules.b; the imports among them:\n"
        "    juro_privacy/rules/a.py:2 imports juro_privacy.rules.b\n"
        "    juro_privacy/rules/b.py:1 imports juro_privacy.rules.a",
        "juro_privacy/rules/self.py:1: juro_privacy.rules.self imports itself",
    ]


def test_fake_cycle_through_an_init_module_is_reported(tmp_path: Path) -> None:
    root = make_package(
        tmp_path,
        {
            "topics/requests/__init__.py": "from .counts import count\n",
            "topics/requests/counts.py": "from juro_privacy.topics.requests import SETTINGS\n",
        },
    )
    violations = cycle_violations(root)
    assert [v.split(": ", 1)[0] for v in violations] == [
        "juro_privacy/topics/requests/__init__.py:1"
    ]
    assert "juro_privacy.topics.requests -> juro_privacy.topics.requests.counts" in violations[0]


def test_fake_private_names_are_reported(tmp_path: Path) -> None:
    root = make_package(
        tmp_path,
        {
            "rules/y.py": "_z = 1\n\n\ndef _helper() -> None:\n    pass\n",
            "rules/x.py": """\
                from juro_privacy.rules.y import (
                    _z,
                )
                """,
            "workbook/schemas.py": """\
                import juro_privacy.rules.y
                from juro_privacy.rules import y as rr

                rr._helper()
                juro_privacy.rules.y._z
                """,
        },
    )
    assert private_name_violations(root) == [
        "juro_privacy/rules/x.py:2: imports _z, a private name of juro_privacy.rules.y",
        "juro_privacy/workbook/schemas.py:4: uses rr._helper, a private name of "
        "juro_privacy.rules.y",
        "juro_privacy/workbook/schemas.py:5: uses juro_privacy.rules.y._z, a private name of "
        "juro_privacy.rules.y",
    ]


def test_fake_import_inside_a_function_is_reported(tmp_path: Path) -> None:
    root = make_package(
        tmp_path,
        {
            "rules/risk_scales.py": """\
                import json


                class Scale:
                    def load(self) -> None:
                        import yaml

                        from juro_privacy.errors import InputError, WorkbookError

                        json, yaml, InputError, WorkbookError
                """
        },
    )
    assert function_import_violations(root) == [
        "juro_privacy/rules/risk_scales.py:8: imports juro_privacy.errors inside Scale.load(): "
        "import it at the top of the module"
    ]
    assert len(function_import_violations(root, allowed=())) == 2  # with cli.py's lazy import
