"""cnaikg.graph.rdf: the graph as RDF (statement nodes with PROV-O sources) and the ontology as OWL.

A sink beside the model, the way rdflib keeps its plugins apart from its core:
:mod:`cnaikg.graph.rdf.convert` turns a KnowledgeGraph into an rdflib Graph and
back and holds the Turtle / JSON-LD / N-Triples exporters;
:mod:`cnaikg.graph.rdf.ontology` renders data/ontology.toml as OWL/RDFS
(``python -m cnaikg.graph.rdf.ontology`` regenerates data/ontology.ttl).
Importing this package imports rdflib.

>>> from cnaikg.graph.rdf import kg_to_rdf
>>> from cnaikg.graph import build_graph
>>> len(kg_to_rdf(build_graph())) > 1000
True
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cnaikg.graph.rdf.convert import (
        JsonLdExporter,
        NTriplesExporter,
        RdfExporter,
        TurtleExporter,
        build_rdf,
        date_literal,
        kg_from_rdf,
        kg_to_rdf,
        read_rdf,
        serialize_rdf,
        statements_without_source,
    )
    from cnaikg.graph.rdf.ontology import ontology_graph, ontology_turtle, rdf_namespaces, write_ontology_ttl

_ONTOLOGY_NAMES = {"ontology_graph", "ontology_turtle", "rdf_namespaces", "write_ontology_ttl"}

__all__ = [
    "kg_to_rdf",
    "kg_from_rdf",
    "read_rdf",
    "serialize_rdf",
    "date_literal",
    "statements_without_source",
    "build_rdf",
    "RdfExporter",
    "TurtleExporter",
    "JsonLdExporter",
    "NTriplesExporter",
    "ontology_graph",
    "ontology_turtle",
    "rdf_namespaces",
    "write_ontology_ttl",
]


def __getattr__(name: str) -> Any:
    """Import the submodule that holds ``name`` on first use (so ``python -m cnaikg.graph.rdf.ontology`` runs clean)."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module = importlib.import_module("cnaikg.graph.rdf.ontology" if name in _ONTOLOGY_NAMES else "cnaikg.graph.rdf.convert")
    return getattr(module, name)
