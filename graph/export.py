"""Exporters of the graph to files: node-link JSON (the exchange format) and spreadsheet-safe CSV tables.

>>> import tempfile, json, pathlib
>>> from cnaikg.graph import build_graph
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in NodeLinkExporter().export(build_graph(), d / "graph.json")]
['graph.json']
>>> sorted(json.loads((d / "graph.json").read_text())["links"][0])
['confidence', 'key', 'properties', 'since', 'source', 'sources', 'target', 'type', 'until']
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cnaikg.io import write_csv_atomic, write_json_atomic

if TYPE_CHECKING:
    from cnaikg.context import BuildContext
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = ["NodeLinkExporter", "CsvExporter", "build_graph_json", "build_tables", "entity_rows", "fact_rows"]


class NodeLinkExporter:
    """networkx node-link JSON (out/graph.json): nodes with names and identifiers, links with dates and sources."""

    name = "graph-json"
    description = "networkx node-link JSON, the documented exchange format (out/graph.json)"
    suffix = ".json"

    def export(self, kg: "KnowledgeGraph", target: str | Path, **options: Any) -> list[Path]:
        """Write ``kg`` to ``target`` (a .json file) atomically; return the files written."""
        return [write_json_atomic(target, kg.to_node_link())]


ENTITY_TABLE = ("id", "type", "category", "name", "name_zh", "aliases", "tickers", "founded", "wikidata", "uscc", "lei")
FACT_TABLE = ("id", "subject", "relation", "object", "since", "until", "properties", "confidence", "source_urls", "source_publishers", "source_dates")


def entity_rows(kg: "KnowledgeGraph") -> list[list[Any]]:
    """One row per entity, columns ENTITY_TABLE, lists joined with |."""
    return [
        [e.id, e.type, e.category, e.name, e.name_zh, "|".join(e.aliases), "|".join(e.tickers), e.founded,
         e.identifiers.get("wikidata", ""), e.identifiers.get("uscc", ""), e.identifiers.get("lei", "")]
        for e in kg.entities()
    ]


def fact_rows(kg: "KnowledgeGraph") -> list[list[Any]]:
    """One row per fact, columns FACT_TABLE; properties as compact JSON, sources joined with |."""
    return [
        [f.id, f.subject, f.relation, f.object, f.since, f.until,
         json.dumps(dict(f.properties), ensure_ascii=False, sort_keys=True) if f.properties else "", f.confidence,
         "|".join(s.url for s in f.sources), "|".join(s.publisher for s in f.sources), "|".join(s.published for s in f.sources)]
        for f in kg.facts()
    ]


class CsvExporter:
    """Two spreadsheet-safe CSV tables in a folder: entities.csv and relationships.csv."""

    name = "csv"
    description = "entities.csv and relationships.csv for spreadsheets (formula cells neutralised)"
    suffix = ""

    def export(self, kg: "KnowledgeGraph", target: str | Path, **options: Any) -> list[Path]:
        """Write both tables into the folder ``target``; return the files written."""
        folder = Path(target)
        return [
            write_csv_atomic(folder / "entities.csv", ENTITY_TABLE, entity_rows(kg)),
            write_csv_atomic(folder / "relationships.csv", FACT_TABLE, fact_rows(kg)),
        ]


def build_graph_json(kg: "KnowledgeGraph", out: Path, ctx: "BuildContext") -> list[Path]:
    """Build step: out/graph.json."""
    return NodeLinkExporter().export(kg, out / "graph.json")


def build_tables(kg: "KnowledgeGraph", out: Path, ctx: "BuildContext") -> list[Path]:
    """Build step: out/entities.csv and out/relationships.csv."""
    return CsvExporter().export(kg, out)
