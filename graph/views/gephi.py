"""GraphML and GEXF exporters: the graph for Gephi, yEd, Cytoscape or any networkx reader, with every attribute.

Nodes are entity ids with ``label`` (the English name), ``type``,
``type_label``, ``name``, ``name_zh``, ``aliases``, ``category``,
``founded``, ``tickers``, identifiers (``wikidata``, ``uscc``, ``lei``) and
their sources (``source_urls``, ``source_publishers``, ``source_dates``,
joined with ``|`` in the same order). Edges are keyed by fact id with
``relation``, ``since``, ``until``, ``known_since``, ``confidence``,
``properties`` (the declared properties as compact JSON) and the same three
source columns. Empty values are left out. The explorer's "GraphML" download
writes the same keys for the view on screen.

>>> import tempfile, pathlib, networkx as nx
>>> from cnaikg.graph import build_graph
>>> p = GraphMLExporter().export(build_graph(), pathlib.Path(tempfile.mkdtemp()) / "g.graphml")[0]
>>> nx.read_graphml(p, force_multigraph=True, edge_key_type=str).nodes["smic"]["name_zh"]
'中芯国际集成电路制造有限公司'
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from cnaikg.errors import KGError
from cnaikg.io import atomic_path

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = ["NODE_ATTRIBUTES", "EDGE_ATTRIBUTES", "exchange_graph", "GraphMLExporter", "GexfExporter"]

NODE_ATTRIBUTES = ("label", "type", "type_label", "name", "name_zh", "aliases", "category", "founded", "tickers", "wikidata", "uscc", "lei",
                   "source_urls", "source_publishers", "source_dates")
EDGE_ATTRIBUTES = ("relation", "since", "until", "known_since", "confidence", "properties", "source_urls", "source_publishers", "source_dates")
# characters XML 1.0 cannot carry at all (GraphML and GEXF are XML): dropped, everything else is escaped by the writer
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def _sources(items: Any) -> dict[str, str]:
    items = list(items)
    return {"source_urls": "|".join(s.url for s in items), "source_publishers": "|".join(s.publisher for s in items),
            "source_dates": "|".join(s.published for s in items)}


def exchange_graph(kg: "KnowledgeGraph") -> nx.MultiDiGraph:
    """A networkx MultiDiGraph of ``kg`` with flat string attributes only (what GraphML and GEXF can carry).

    >>> from cnaikg.graph import build_graph
    >>> G = exchange_graph(build_graph())
    >>> G.nodes["deepseek"]["type"], sorted(G.nodes["deepseek"]) == sorted(set(G.nodes["deepseek"]))
    ('company', True)
    """
    onto = kg.ontology
    G = nx.MultiDiGraph(name="cnaikg")
    for e in kg.entities():
        attrs = {"label": e.name, "type": e.type, "type_label": onto.entity_type(e.type).label, "name": e.name, "name_zh": e.name_zh,
                 "aliases": "|".join(e.aliases), "category": e.category, "founded": e.founded, "tickers": "|".join(e.tickers),
                 **{k: str(e.identifiers.get(k, "") or "") for k in ("wikidata", "uscc", "lei")}, **_sources(e.sources)}
        G.add_node(_text(e.id), **{k: _text(v) for k, v in attrs.items() if v})
    for f in kg.facts():
        attrs = {"relation": f.relation, "since": f.since, "until": f.until,
                 "known_since": f.known_since.isoformat() if f.known_since else "", "confidence": f.confidence,
                 "properties": json.dumps(dict(f.properties), ensure_ascii=False, sort_keys=True) if f.properties else "", **_sources(f.sources)}
        G.add_edge(_text(f.subject), _text(f.object), key=_text(f.id), id=_text(f.id), **{k: _text(v) for k, v in attrs.items() if v})
    return G


class _XmlExporter:
    name = ""
    description = ""
    suffix = ""

    def _write(self, G: nx.MultiDiGraph, path: Path, kg: "KnowledgeGraph") -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def export(self, kg: "KnowledgeGraph", target: str | Path, **options: Any) -> list[Path]:
        """Write ``kg`` to ``target`` (a file ending in the format's suffix) atomically; return the files written."""
        path = Path(target)
        if path.suffix.lower() != self.suffix:
            raise KGError(f"{path} does not end in {self.suffix}; name the {self.name} file e.g. out/graph{self.suffix}")
        G = exchange_graph(kg)
        with atomic_path(path, self.suffix) as tmp:
            self._write(G, Path(tmp), kg)
        return [path]


class GraphMLExporter(_XmlExporter):
    """GraphML (yEd, Gephi, Cytoscape, networkx): entities and facts with every attribute as text."""

    name = "graphml"
    description = "GraphML for Gephi, yEd, Cytoscape and networkx: every attribute, names in both languages, dates, sources"
    suffix = ".graphml"

    def _write(self, G: nx.MultiDiGraph, path: Path, kg: "KnowledgeGraph") -> None:
        G2 = nx.MultiDiGraph(G)
        for _, _, d in G2.edges(data=True):
            d.pop("id", None)  # the edge key is written as the GraphML edge id
        nx.write_graphml(G2, path, encoding="utf-8", prettyprint=True, named_key_ids=True)


class GexfExporter(_XmlExporter):
    """GEXF 1.2 (Gephi's own format): entities and facts with every attribute as text."""

    name = "gexf"
    description = "GEXF 1.2 for Gephi: every attribute, names in both languages, dates, sources"
    suffix = ".gexf"

    def _write(self, G: nx.MultiDiGraph, path: Path, kg: "KnowledgeGraph") -> None:
        # the file's date is the data's date, not today's: identical data give identical bytes
        day = kg.data_date().isoformat()
        lines = (re.sub(r'lastmodifieddate="[0-9-]+"', f'lastmodifieddate="{day}"', line, count=1) for line in nx.generate_gexf(G, encoding="utf-8", prettyprint=True, version="1.2draft"))
        path.write_text("<?xml version='1.0' encoding='utf-8'?>\n" + "\n".join(lines) + "\n", encoding="utf-8")
