"""cnaikg: an open-source, sourced knowledge graph of the Chinese AI ecosystem.

>>> import cnaikg
>>> kg = cnaikg.build_graph()
>>> kg.resolve("Moore Threads").id
'moore-threads'
"""

__version__ = "0.1.0"

from cnaikg.errors import AmbiguousEntityError, DataError, KGError, LoaderError, OntologyError, ResolutionError, StoreError, UnknownEntityError  # noqa: E402
from cnaikg.graph import Entity, Fact, KnowledgeGraph, Source, build_graph, load_ontology  # noqa: E402

__all__ = [
    "__version__", "build_graph", "KnowledgeGraph", "Entity", "Fact", "Source", "load_ontology",
    "KGError", "DataError", "OntologyError", "LoaderError", "ResolutionError", "AmbiguousEntityError", "UnknownEntityError", "StoreError",
]
