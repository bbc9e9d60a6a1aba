"""Shared fixtures of the loader tests: the fixture graph (tests/data/loaders/graph) and helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

LOADERS = Path(__file__).parent / "data" / "loaders"
GRAPH = LOADERS / "graph"


def fixture_data_dir(tmp: Path) -> Path:
    """A copy of the fixture dataset with the shipped ontology, in ``tmp``."""
    from cnaikg.paths import data_dir

    d = tmp / "graph"
    shutil.copytree(GRAPH, d)
    shutil.copy(data_dir() / "ontology.toml", d / "ontology.toml")
    return d


def fixture_graph(tmp: Path):
    """The KnowledgeGraph of the fixture dataset."""
    from cnaikg.graph.kg import KnowledgeGraph

    return KnowledgeGraph.from_dataset(fixture_data_dir(tmp))
