"""The one registry of loaders, exporters and build steps, each registered by name and imported lazily.

Modelled on rdflib's plugin registry: the command line and the build ask the
registry by name and never branch on a format. A duplicate name is an error,
not a silent overwrite.

>>> "graph-json" in names("exporter")
True
>>> try:
...     get("exporter", "nope")
... except RegistryError as err:
...     print(str(err).split(";")[0])
no exporter named 'nope'
"""

from __future__ import annotations

import importlib
from typing import Any

from cnaikg.errors import RegistryError

__all__ = ["register", "get", "names", "describe", "KINDS"]

KINDS = ("loader", "exporter", "build_step")
_ENTRIES: dict[str, dict[str, tuple[str, str]]] = {k: {} for k in KINDS}
_LOADED: dict[tuple[str, str], Any] = {}


def register(kind: str, name: str, module: str, attr: str) -> None:
    """Declare that ``module.attr`` is the ``kind`` called ``name`` (imported only when first used)."""
    if kind not in _ENTRIES:
        raise RegistryError(f"unknown plugin kind {kind!r}; known: {', '.join(KINDS)}")
    if name in _ENTRIES[kind] and _ENTRIES[kind][name] != (module, attr):
        raise RegistryError(f"{kind} {name!r} is already registered as {':'.join(_ENTRIES[kind][name])}")
    _ENTRIES[kind][name] = (module, attr)


def get(kind: str, name: str) -> Any:
    """The object registered as ``kind``/``name``, imported on first use."""
    try:
        module, attr = _ENTRIES[kind][name]
    except KeyError:
        known = ", ".join(sorted(_ENTRIES.get(kind, {}))) or "none"
        raise RegistryError(f"no {kind} named {name!r}; known: {known}") from None
    key = (kind, name)
    if key not in _LOADED:
        try:
            _LOADED[key] = getattr(importlib.import_module(module), attr)
        except ImportError as exc:
            raise RegistryError(f"{kind} {name!r} needs a package that is not installed ({exc.name}); run `pip install cnaikg` with its dependencies") from exc
    return _LOADED[key]


def names(kind: str) -> list[str]:
    """Registered names of one kind, sorted (build steps keep registration order)."""
    if kind == "build_step":
        return list(_ENTRIES[kind])
    return sorted(_ENTRIES[kind])


def describe(kind: str) -> list[tuple[str, str]]:
    """(name, one-line description) for every plugin of ``kind``."""
    out = []
    for n in names(kind):
        obj = get(kind, n)
        doc = getattr(obj, "description", "") or (obj.__doc__ or "").strip().splitlines()[0]
        out.append((n, doc))
    return out


# ---------------------------------------------------------------------------------------------
# Registrations: the one place that lists what exists. Keep each kind sorted by name,
# except build steps, which run in the order written here.
# ---------------------------------------------------------------------------------------------

# loaders: turn a source into entities and facts
register("loader", "csl", "cnaikg.loaders.sanctions", "CslLoader")
register("loader", "curated", "cnaikg.loaders.curated", "CuratedLoader")
register("loader", "holdings", "cnaikg.loaders.holdings", "HoldingsLoader")
register("loader", "news", "cnaikg.loaders.news", "NewsLoader")
register("loader", "opensanctions", "cnaikg.loaders.sanctions", "OpenSanctionsLoader")
register("loader", "shareholdings", "cnaikg.loaders.shareholdings", "ShareholdingsLoader")
register("loader", "wikidata", "cnaikg.loaders.wikidata", "WikidataLoader")

# exporters: write a graph to a target
register("exporter", "csv", "cnaikg.graph.export", "CsvExporter")
register("exporter", "graph-json", "cnaikg.graph.export", "NodeLinkExporter")
register("exporter", "neo4j-admin", "cnaikg.graph.store.exporters", "Neo4jAdminExporter")
register("exporter", "cypher", "cnaikg.graph.store.exporters", "CypherScriptExporter")
register("exporter", "jsonld", "cnaikg.graph.rdf", "JsonLdExporter")
register("exporter", "ntriples", "cnaikg.graph.rdf", "NTriplesExporter")
register("exporter", "turtle", "cnaikg.graph.rdf", "TurtleExporter")

# build steps: what `cnaikg build` writes to out/, in order
register("build_step", "graph-json", "cnaikg.graph.export", "build_graph_json")
register("build_step", "tables", "cnaikg.graph.export", "build_tables")
register("build_step", "features", "cnaikg.queries.features", "build_features")
register("build_step", "rdf", "cnaikg.graph.rdf", "build_rdf")
register("build_step", "viz", "cnaikg.graph.viz", "build_viz")
register("build_step", "report", "cnaikg.graph.report", "build_report")
