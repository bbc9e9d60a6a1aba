"""cnaikg.graph: the in-memory model (ontology, entities, facts, point-in-time views) on networkx.

>>> from cnaikg.graph import build_graph
>>> kg = build_graph()
>>> kg.entity("moore-threads").type
'company'
"""

from cnaikg.graph.dates import PartialDate, parse_date, valid_on
from cnaikg.graph.kg import KnowledgeGraph, build_graph
from cnaikg.graph.model import Entity, Fact, Source, stable_id
from cnaikg.graph.ontology import Ontology, load_ontology

__all__ = ["KnowledgeGraph", "build_graph", "Entity", "Fact", "Source", "Ontology", "load_ontology", "PartialDate", "parse_date", "valid_on", "stable_id"]
