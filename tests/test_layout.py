"""The architecture's import rules, checked on the source with ast (docs/design.md, "Layers and import rules").

Layers, bottom up:

* **base** (``cnaikg.errors``, ``io``, ``paths``, ``progress``, ``registry``, ``context``): usable by every layer,
  importing nothing of cnaikg but other base modules;
* **model** (``cnaikg.graph`` core: ontology, model, dates, names, values, kg, export, coverage): base only;
* **loaders** (``cnaikg.loaders``) and **queries** (``cnaikg.queries``): base, model, and each other;
* **sinks** (``cnaikg.graph.rdf``, ``cnaikg.graph.store``, ``cnaikg.graph.views``): anything below, but not each other;
* **command line** (``cnaikg.cli``, ``cnaikg.commands``, ``cnaikg.build``, ``cnaikg.output``, ``cnaikg.docs``): anything.

The package root ``cnaikg`` (``__version__``, ``build_graph``) may be imported by loaders, queries and sinks.

Every import statement counts, including ones inside functions and under ``if TYPE_CHECKING:`` (a type-only
dependency is still a dependency). A rule broken on purpose must be listed in ``ALLOWED`` with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

#: package name -> folder (the mapping of pyproject.toml)
FOLDERS = {"cnaikg": REPO / "cnaikg", "cnaikg.graph": REPO / "graph", "cnaikg.loaders": REPO / "loaders", "cnaikg.queries": REPO / "queries"}

BASE = {"cnaikg.errors", "cnaikg.io", "cnaikg.paths", "cnaikg.progress", "cnaikg.registry", "cnaikg.context"}
COMMAND_LINE = ("cnaikg.cli", "cnaikg.commands", "cnaikg.build", "cnaikg.output", "cnaikg.docs", "cnaikg.__main__")
#: the sink subpackages of graph/, each independent of the others (the flat names are where they lived before the move)
SINKS = {
    "rdf": ("cnaikg.graph.rdf",),
    "store": ("cnaikg.graph.store", "cnaikg.graph.bolt", "cnaikg.graph.neo4j_writer"),
    "views": ("cnaikg.graph.views", "cnaikg.graph.viz", "cnaikg.graph.report"),
}
#: the model: everything in graph/ that is not a sink
MODEL = ("cnaikg.graph.__init__", "cnaikg.graph.ontology", "cnaikg.graph.model", "cnaikg.graph.dates", "cnaikg.graph.names",
         "cnaikg.graph.values", "cnaikg.graph.kg", "cnaikg.graph.export", "cnaikg.graph.coverage")

#: (importer, imported) pairs that break a rule on purpose, with the reason
ALLOWED = {
    ("cnaikg.graph.kg", "cnaikg.loaders.curated"):
        "build_graph() and KnowledgeGraph.from_dataset() read the curated dataset: the model's convenience "
        "constructor, imported inside the function so the model module itself does not load the loader",
}


def _modules() -> dict[str, Path]:
    """Every module of the package: dotted name -> file (``pkg.__init__`` for a package's own file)."""
    mods: dict[str, Path] = {}
    for pkg, folder in FOLDERS.items():
        for path in sorted(folder.rglob("*.py")):
            rel = path.relative_to(folder).with_suffix("")
            if pkg == "cnaikg" and rel.parts[0] in ("graph", "loaders", "queries"):
                continue
            if any(p.startswith(".") or p in ("tests", "__pycache__") for p in rel.parts):
                continue
            mods[".".join((pkg, *rel.parts))] = path
    return mods


MODULES = _modules()


def _known(name: str) -> bool:
    return name in MODULES or f"{name}.__init__" in MODULES


def imports_of(path: Path, module: str) -> set[str]:
    """The cnaikg modules imported anywhere in ``path`` (absolute names; ``from pkg import mod`` resolved to pkg.mod)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module.rsplit(".", 1)[0] if not module.endswith(".__init__") else module[: -len(".__init__")]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            for a in node.names:
                found.add(f"{base}.{a.name}" if _known(f"{base}.{a.name}") else base)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return {n for n in found if n == "cnaikg" or n.startswith("cnaikg.")}


def _in(name: str, prefixes: tuple[str, ...] | set[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def layer(name: str) -> str:
    """The layer of a module: base, model, loaders, queries, sink:<name>, command-line, api or unknown."""
    name = name.removesuffix(".__init__")
    if name in BASE:
        return "base"
    if name == "cnaikg":
        return "api"
    if _in(name, COMMAND_LINE):
        return "command-line"
    for sink, prefixes in SINKS.items():
        if _in(name, prefixes):
            return f"sink:{sink}"
    if name == "cnaikg.graph" or name in MODEL:
        return "model"
    if _in(name, ("cnaikg.loaders",)):
        return "loaders"
    if _in(name, ("cnaikg.queries",)):
        return "queries"
    return "unknown"


#: which layers each layer may import (besides itself)
MAY_IMPORT = {
    "base": {"base"},
    "model": {"base", "model"},
    "loaders": {"base", "model", "loaders", "queries", "api"},
    "queries": {"base", "model", "loaders", "queries", "sink:rdf", "api"},  # canned SPARQL runs over the RDF export
    "sink:rdf": {"base", "model", "loaders", "queries", "sink:rdf", "api"},
    "sink:store": {"base", "model", "loaders", "queries", "sink:store", "api"},
    "sink:views": {"base", "model", "loaders", "queries", "sink:views", "api"},
}


def _shown(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def violations() -> list[str]:
    """Every import that breaks a rule, as 'file: importer (layer) imports imported (layer)'."""
    out = []
    for module, path in sorted(MODULES.items()):
        own = layer(module)
        if own not in MAY_IMPORT:
            continue
        for imported in sorted(imports_of(path, module)):
            theirs = layer(imported)
            if theirs in MAY_IMPORT[own] or (module.removesuffix(".__init__"), imported) in ALLOWED:
                continue
            out.append(f"{_shown(path)}: {module} ({own}) imports {imported} ({theirs})")
    return out


def test_every_module_has_a_layer():
    """A new module must be placed: a new flat module in graph/ is either model (MODEL) or belongs in a sink subpackage."""
    unplaced = [f"{p.relative_to(REPO)} ({m})" for m, p in MODULES.items() if layer(m) == "unknown"]
    assert not unplaced, "modules outside every layer (add them to MODEL or a sink in tests/test_layout.py and docs/design.md): " + ", ".join(unplaced)


def test_nothing_below_the_command_line_imports_commands_build_or_cli():
    bad = [v for v in violations() if "(command-line)" in v]
    assert not bad, "graph/, loaders/ and queries/ may not import the command line (cnaikg.cli, cnaikg.commands, cnaikg.build, cnaikg.output, cnaikg.docs):\n" + "\n".join(bad)


def test_every_layer_imports_only_what_it_may():
    bad = violations()
    assert not bad, "import rules broken (docs/design.md, 'Layers and import rules'):\n" + "\n".join(bad)


def test_base_modules_import_only_base_modules():
    for m in BASE:
        path = MODULES[m]
        assert {layer(i) for i in imports_of(path, m)} <= {"base"}, f"{path.relative_to(REPO)} is a base module and may only import other base modules"


def test_allowed_exceptions_are_still_needed():
    """An exception that no longer happens is removed from ALLOWED (so the list stays true)."""
    for (importer, imported), reason in ALLOWED.items():
        assert imported in imports_of(MODULES[importer], importer), f"{importer} no longer imports {imported}: drop it from ALLOWED"


@pytest.mark.parametrize("source, expected", [
    ("from cnaikg.build import BuildContext", {"cnaikg.build"}),
    ("from cnaikg import build", {"cnaikg.build"}),
    ("import cnaikg.commands.viz as v", {"cnaikg.commands.viz"}),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cnaikg.cli import main", {"cnaikg.cli"}),
    ("def f():\n    from ..loaders import curated", {"cnaikg.loaders.curated"}),
    ("import importlib\nimportlib.import_module('cnaikg.commands.build')", {"cnaikg.commands.build"}),
])
def test_the_checker_sees_every_kind_of_import(tmp_path, source, expected):
    f = tmp_path / "m.py"
    f.write_text(source)
    assert imports_of(f, "cnaikg.graph.m") == expected


def test_a_model_module_importing_a_sink_is_reported(tmp_path, monkeypatch):
    f = tmp_path / "bad.py"
    f.write_text("from cnaikg.graph.rdf import kg_to_rdf\nfrom cnaikg.build import run_build\n")
    monkeypatch.setitem(MODULES, "cnaikg.graph.names", f)
    found = [v for v in violations() if v.startswith(str(f))]
    assert any("imports cnaikg.graph.rdf (sink:rdf)" in v for v in found) and any("imports cnaikg.build (command-line)" in v for v in found)


def test_every_registered_plugin_imports_and_lives_below_the_command_line():
    """The registry names plugins by string: each must import, and none may live in the command-line layer."""
    from cnaikg import registry

    for kind in registry.KINDS:
        for name in registry.names(kind):
            obj = registry.get(kind, name)
            assert layer(obj.__module__) not in ("command-line", "unknown"), f"{kind} {name!r} lives in {obj.__module__}"
