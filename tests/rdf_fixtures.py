"""Shared fixtures of the RDF/SPARQL/Wikidata tests: a small curated dataset (tests/data/rdf) and structural comparison."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from conftest import HERE, make_data_dir

RDF_DATA = HERE / "data" / "rdf"
WIKIDATA = HERE / "data" / "wikidata"


def rdf_data_dir(tmp_path: Path) -> Path:
    """A data folder with the shipped ontology and the RDF fixture dataset (10 entities, 11 facts, 4 sources)."""
    return make_data_dir(tmp_path, RDF_DATA)


def rdf_kg(tmp_path: Path):
    """The KnowledgeGraph of the RDF fixture dataset."""
    from cnaikg.graph.kg import KnowledgeGraph

    return KnowledgeGraph.from_dataset(rdf_data_dir(tmp_path))


def shipped_kg():
    """The shipped graph; while data researchers are editing it, the rows that validate (robust facts only)."""
    from cnaikg.errors import DataError
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.loaders.curated import read_dataset

    try:
        return KnowledgeGraph.from_dataset()
    except DataError:
        ds = read_dataset()
        facts = [f for f in ds.facts if f.subject in ds.entities and f.object in ds.entities]
        return KnowledgeGraph(ds.entities.values(), facts, ds.ontology)


def comparable(kg) -> tuple[list, list]:
    """Entities and facts with what RDF does not order (aliases, sources) sorted and the file:line origin dropped."""
    def srcs(xs):
        return tuple(sorted(set(xs), key=lambda s: s.id))

    ents = [dataclasses.replace(e, origin="", aliases=tuple(sorted(e.aliases)), sources=srcs(e.sources)) for e in kg.entities()]
    facts = [dataclasses.replace(f, origin="", sources=srcs(f.sources)) for f in kg.facts()]
    return ents, facts
