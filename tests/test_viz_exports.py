"""GraphML and GEXF exports, read back with networkx's readers: every entity, fact and attribute survives the round trip."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from cnaikg import registry
from viz_fixtures import HOSTILE_NAME, HOSTILE_ZH, hostile_graph

READERS = {
    "graphml": lambda p: nx.read_graphml(p, force_multigraph=True, edge_key_type=str),
    "gexf": lambda p: nx.read_gexf(p),
}


def expected_nodes(kg) -> dict[str, dict[str, str]]:
    """What each node must carry, written from the model (not from the exporter's own helper)."""
    out = {}
    for e in kg.entities():
        d = {"type": e.type, "name": e.name, "label": e.name, "name_zh": e.name_zh, "aliases": "|".join(e.aliases), "category": e.category,
             "founded": e.founded, "tickers": "|".join(e.tickers), "source_urls": "|".join(s.url for s in e.sources),
             "source_dates": "|".join(s.published for s in e.sources)}
        out[e.id] = {k: v for k, v in d.items() if v}
    return out


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_round_trip_through_networkx_keeps_every_attribute(kg, tmp_path, fmt):
    exporter = registry.get("exporter", fmt)()
    path = exporter.export(kg, tmp_path / f"graph.{fmt}")[0]
    G = READERS[fmt](path)
    assert sorted(G.nodes) == sorted(kg.G.nodes)
    want = expected_nodes(kg)
    for nid, attrs in want.items():
        got = G.nodes[nid]
        for k, v in attrs.items():
            assert got.get(k) == v, (fmt, nid, k)
    edges = {k: d for _, _, k, d in G.edges(keys=True, data=True)}
    facts = kg.facts()
    assert sorted(edges) == sorted(f.id for f in facts), "one edge per fact, keyed by the fact id"
    for f in facts:
        d = edges[f.id]
        assert d["relation"] == f.relation and d.get("since", "") == f.since and d.get("until", "") == f.until and d["confidence"] == f.confidence
        assert d.get("known_since", "") == (f.known_since.isoformat() if f.known_since else "")
        assert json.loads(d.get("properties", "{}")) == json.loads(json.dumps(dict(f.properties), default=str))
        assert d.get("source_urls", "").split("|") == [s.url for s in f.sources] or not f.sources
    ends = {(u, v, k) for u, v, k in G.edges(keys=True)}
    assert all((f.subject, f.object, f.id) in ends for f in facts), "direction kept: subject -> object"


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_hostile_text_round_trips_as_text(tmp_path, fmt):
    path = registry.get("exporter", fmt)().export(hostile_graph(), tmp_path / f"h.{fmt}")[0]
    raw = path.read_text(encoding="utf-8")
    assert "<script>" not in raw and "<img" not in raw
    G = READERS[fmt](path)
    assert G.nodes["evil-corp"]["name"] == HOSTILE_NAME and G.nodes["evil-corp"]["name_zh"] == HOSTILE_ZH


def test_export_command_writes_both_formats_byte_identically(tmp_path, mini, capsys):
    from cnaikg.cli import main

    for fmt in ("graphml", "gexf"):
        for name in ("a", "b"):
            assert main(["export", "--format", fmt, str(tmp_path / f"{name}.{fmt}"), "--data", str(mini)]) == 0
        assert (tmp_path / f"a.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes()
    capsys.readouterr()
    assert main(["export", "--format", "graphml", str(tmp_path / "x.xml")]) == 2
    err = capsys.readouterr().err
    assert "does not end in .graphml" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.xml").exists()
    assert main(["export", "--list"]) == 0
    listed = capsys.readouterr().out
    assert "graphml" in listed and "gexf" in listed
