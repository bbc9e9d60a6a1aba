"""Shared fixtures of the scores tests: a small hand-checkable dataset (tests/data/scores) and helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).parent
SCORES = HERE / "data" / "scores"


def make_scores_dir(tmp_path: Path) -> Path:
    """A data folder in tmp_path: the scores fixture plus the shipped ontology."""
    from cnaikg.paths import data_dir

    d = tmp_path / "scores-data"
    shutil.copytree(SCORES, d)
    shutil.copy(data_dir() / "ontology.toml", d / "ontology.toml")
    return d


@pytest.fixture(scope="module")
def scores_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scores fixture dataset, copied once per module."""
    return make_scores_dir(tmp_path_factory.mktemp("scores"))


@pytest.fixture(scope="module")
def skg(scores_dir: Path):
    """The knowledge graph of the scores fixture."""
    from cnaikg.graph import build_graph

    return build_graph(scores_dir)


def with_facts(kg, *facts):
    """A copy of ``kg`` with ``facts`` added (a one-line way to grow a graph in a test)."""
    from cnaikg.graph import KnowledgeGraph

    return KnowledgeGraph(kg.entities(), [*kg.facts(), *facts], kg.ontology)


def src(published: str = "2019-06-01", name: str = "t"):
    """A test source published on ``published``."""
    from cnaikg.graph import Source

    return Source(f"src-{name}-{published}", f"https://example.org/{name}/{published}", "Test Wire", published)
