"""KnowledgeGraph: a typed wrapper over a networkx MultiDiGraph of entities and sourced facts.

Nodes are entity ids with the Entity under the ``entity`` attribute; edges are
keyed by fact id with the Fact under ``fact``. Views (``as_of``, ``subgraph``)
return new KnowledgeGraph objects; nothing mutates the graph once built.

>>> kg = KnowledgeGraph.from_dataset()
>>> kg.resolve("9988.HK").id == kg.resolve("阿里巴巴").id == kg.resolve("Alibaba Group").id == "alibaba"
True
>>> old = kg.as_of("2015-01-01")
>>> old.number_of_facts() < kg.number_of_facts()
True
"""

from __future__ import annotations

import datetime as _dt
import difflib
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import networkx as nx

from cnaikg.errors import AmbiguousEntityError, UnknownEntityError
from cnaikg.graph.dates import to_date, valid_on
from cnaikg.graph.model import Entity, Fact, Source
from cnaikg.graph.names import fold, key_text, name_key
from cnaikg.graph.ontology import Ontology, load_ontology

__all__ = ["KnowledgeGraph", "build_graph"]


class KnowledgeGraph:
    """Entities and facts of the Chinese AI ecosystem, with point-in-time views.

    Parameters
    ----------
    entities : iterable of Entity
    facts : iterable of Fact
        Every fact's subject and object must be among ``entities``.
    ontology : Ontology, optional
        Defaults to the shipped ontology.
    """

    def __init__(self, entities: Iterable[Entity], facts: Iterable[Fact], ontology: Ontology | None = None, *, as_of: _dt.date | None = None):
        self.ontology = ontology or load_ontology()
        self.as_of_date = as_of
        G = nx.MultiDiGraph()
        for e in entities:
            G.add_node(e.id, entity=e, type=e.type)
        for f in facts:
            if f.subject not in G or f.object not in G:
                missing = f.subject if f.subject not in G else f.object
                raise UnknownEntityError(f"fact {f.id} ({f.origin or f.relation}) names unknown entity {missing!r}")
            G.add_edge(f.subject, f.object, key=f.id, fact=f, type=f.relation)
        self.G = G
        self._index: dict[str, set[str]] | None = None
        self._views: dict[tuple[_dt.date, bool], "KnowledgeGraph"] = {}

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_dataset(cls, data: "str | Path | Any | None" = None) -> "KnowledgeGraph":
        """Build from a data folder (default: the shipped dataset) or a loaded Dataset; raises DataError on bad data."""
        from cnaikg.loaders.curated import Dataset, load_curated

        ds = data if isinstance(data, Dataset) else load_curated(data)
        return cls(ds.entities.values(), ds.facts, ds.ontology)

    # ------------------------------------------------------------------ entities
    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.G

    def __len__(self) -> int:
        return self.G.number_of_nodes()

    def __repr__(self) -> str:
        when = f" as of {self.as_of_date}" if self.as_of_date else ""
        return f"<KnowledgeGraph {self.G.number_of_nodes()} entities, {self.G.number_of_edges()} facts{when}>"

    def entity(self, entity_id: str) -> Entity:
        """The entity with this id; UnknownEntityError (with suggestions) otherwise.

        >>> KnowledgeGraph.from_dataset().entity("deepseek").name
        'DeepSeek'
        """
        try:
            return self.G.nodes[entity_id]["entity"]
        except KeyError:
            close = difflib.get_close_matches(entity_id, list(self.G.nodes), n=5)
            hint = f"; did you mean {', '.join(close)}?" if close else "; try kg.resolve(name)"
            raise UnknownEntityError(f"no entity with id {entity_id!r}{hint}") from None

    def entities(self, type: str | None = None) -> list[Entity]:
        """All entities, or those of one type, sorted by id."""
        if type is not None:
            self.ontology.entity_type(type)
        return [d["entity"] for n, d in sorted(self.G.nodes(data=True)) if type is None or d["type"] == type]

    def number_of_entities(self) -> int:
        """How many entities the graph holds."""
        return self.G.number_of_nodes()

    # ------------------------------------------------------------------ facts
    def facts(self, relation: str | None = None) -> list[Fact]:
        """All facts, or those of one relationship type, in a stable order (subject, relation, object, id)."""
        if relation is not None:
            self.ontology.relation(relation)
        fs = [d["fact"] for _, _, d in self.G.edges(data=True) if relation is None or d["type"] == relation]
        return sorted(fs, key=lambda f: (f.subject, f.relation, f.object, f.id))

    def number_of_facts(self) -> int:
        """How many facts the graph holds."""
        return self.G.number_of_edges()

    def facts_of(self, entity_id: str, relation: str | None = None, direction: str = "both") -> list[Fact]:
        """Facts touching ``entity_id``: ``direction`` is 'out', 'in' or 'both'."""
        self.entity(entity_id)
        out: list[Fact] = []
        if direction in ("out", "both"):
            out += [d["fact"] for _, _, d in self.G.out_edges(entity_id, data=True)]
        if direction in ("in", "both"):
            out += [d["fact"] for _, _, d in self.G.in_edges(entity_id, data=True)]
        if direction not in ("out", "in", "both"):
            raise ValueError("direction must be 'out', 'in' or 'both'")
        return sorted((f for f in out if relation is None or f.relation == relation), key=lambda f: (f.relation, f.subject, f.object, f.id))

    def neighbors(self, entity_id: str, relation: str | None = None, direction: str = "both") -> list[Entity]:
        """Entities one fact away from ``entity_id`` (optionally through one relation type), sorted by id.

        >>> kg = KnowledgeGraph.from_dataset()
        >>> "smic" in [e.id for e in kg.neighbors("big-fund-ii", "INVESTS_IN", "out")]
        True
        """
        ids = {f.object if f.subject == entity_id else f.subject for f in self.facts_of(entity_id, relation, direction)}
        return [self.entity(i) for i in sorted(ids)]

    def sources(self) -> list[Source]:
        """Every source cited by a fact or entity, sorted by id."""
        seen: dict[str, Source] = {}
        for f in self.facts():
            for s in f.sources:
                seen[s.id] = s
        for e in self.entities():
            for s in e.sources:
                seen[s.id] = s
        return [seen[k] for k in sorted(seen)]

    # ------------------------------------------------------------------ views
    def as_of(self, date: "str | _dt.date", *, require_published: bool = True) -> "KnowledgeGraph":
        """The graph as it stood on ``date``: facts valid then (since <= date < until) and, by default, public then.

        A fact is public on ``date`` when its earliest source was published on
        or before it; pass ``require_published=False`` for validity alone.
        Entities founded after ``date`` are left out.

        >>> kg = KnowledgeGraph.from_dataset()
        >>> kg.as_of("2010-01-01").number_of_facts() <= kg.as_of("2020-01-01").number_of_facts()
        True
        """
        day = to_date(date)
        key = (day, require_published)
        if key not in self._views:  # the graph never changes, so a view per date can be kept
            self._views[key] = self._view_on(day, require_published)
        return self._views[key]

    def _view_on(self, day: _dt.date, require_published: bool) -> "KnowledgeGraph":
        ents = [e for e in self.entities() if not e.founded or to_date(e.founded) <= day]
        keep = {e.id for e in ents}
        facts = [
            f
            for f in self.facts()
            if f.subject in keep
            and f.object in keep
            and valid_on(f.since or None, f.until or None, day)
            and (not require_published or (f.known_since is not None and f.known_since <= day))
        ]
        return KnowledgeGraph(ents, facts, self.ontology, as_of=day)

    def data_date(self) -> _dt.date:
        """The date the data speaks for: the newest publication date among its sources (end of a partial date).

        It is what "now" means for scores when no date is given, so the same
        data always gives the same answer, whatever day it is run.

        >>> KnowledgeGraph.from_dataset().data_date().year >= 2025
        True
        """
        days = [s.known_from for s in self.sources() if s.published]
        return max(days) if days else _dt.date.today()

    def current(self) -> "KnowledgeGraph":
        """The graph as of its data date: facts still valid then (ended stakes and listings left out).

        A view made by ``as_of`` is already current for its own date and is returned as it is.
        """
        if self.as_of_date is not None:
            return self
        return self.as_of(self.data_date())

    def subgraph(self, entity_ids: Iterable[str]) -> "KnowledgeGraph":
        """The entities named and the facts among them."""
        keep = set(entity_ids)
        ents = [e for e in self.entities() if e.id in keep]
        facts = [f for f in self.facts() if f.subject in keep and f.object in keep]
        return KnowledgeGraph(ents, facts, self.ontology, as_of=self.as_of_date)

    def neighborhood(self, entity_id: str, hops: int = 1) -> "KnowledgeGraph":
        """Entities within ``hops`` facts of ``entity_id`` (either direction), as a subgraph."""
        self.entity(entity_id)
        seen = nx.single_source_shortest_path_length(self.G.to_undirected(as_view=True), entity_id, cutoff=hops)
        return self.subgraph(seen)

    # ------------------------------------------------------------------ summaries
    def counts_by_type(self) -> dict[str, int]:
        """Number of entities per entity type, for every type of the ontology."""
        c = Counter(d["type"] for _, d in self.G.nodes(data=True))
        return {t: c.get(t, 0) for t in sorted(self.ontology.entity_types)}

    def counts_by_relation(self) -> dict[str, int]:
        """Number of facts per relationship type, for every type of the ontology."""
        c = Counter(d["type"] for _, _, d in self.G.edges(data=True))
        return {r: c.get(r, 0) for r in sorted(self.ontology.relation_types)}

    def best_connected(self, n: int = 10, *, exclude_types: tuple[str, ...] = ("place",)) -> list[tuple[Entity, int]]:
        """The ``n`` entities with most facts (ties broken by id), leaving out ``exclude_types``."""
        deg = [(self.entity(nid), d) for nid, d in self.G.degree() if self.G.nodes[nid]["type"] not in exclude_types]
        deg.sort(key=lambda x: (-x[1], x[0].id))
        return deg[:n]

    def summary(self) -> dict[str, Any]:
        """Counts by entity and relation type, and the totals."""
        return {
            "entities": self.number_of_entities(),
            "facts": self.number_of_facts(),
            "sources": len(self.sources()),
            "entities_by_type": self.counts_by_type(),
            "facts_by_relation": self.counts_by_relation(),
        }

    # ------------------------------------------------------------------ resolution
    def _keys(self, e: Entity) -> Iterator[str]:
        yield e.id
        for n in e.all_names:
            yield fold(n)
            yield key_text(name_key(n))  # places, phases, units and brackets must agree (cnaikg.graph.names.name_key)
        for k in ("wikidata", "uscc", "lei"):
            if e.identifiers.get(k):
                yield fold(str(e.identifiers[k]))
        for t in e.tickers:
            yield fold(t)
            base = t.split(".")[0]
            yield fold(base)
            if base.isdigit():
                yield base.lstrip("0")

    def _lookup(self) -> dict[str, set[str]]:
        if self._index is None:
            idx: dict[str, set[str]] = {}
            for e in self.entities():
                for k in self._keys(e):
                    if k:
                        idx.setdefault(k, set()).add(e.id)
            self._index = idx
        return self._index

    def candidates(self, text: str) -> list[str]:
        """Ids of every entity whose id, name, alias, ticker or identifier matches ``text`` (after normalisation)."""
        idx = self._lookup()
        t = text.strip()
        if t in self.G:
            return [t]
        for key in (fold(t), key_text(name_key(t)), t.split(".")[0].lstrip("0") if t.split(".")[0].isdigit() else None):
            if key and key in idx:
                return sorted(idx[key])
        return []

    def resolve(self, text: str) -> Entity:
        """The one entity that ``text`` names: id, English or Chinese name, alias, ticker, QID, USCC or LEI.

        Raises AmbiguousEntityError listing the candidates when several match,
        UnknownEntityError with the closest names when none does.

        >>> kg = KnowledgeGraph.from_dataset()
        >>> kg.resolve("0981.HK").id
        'smic'
        """
        found = self.candidates(text)
        if len(found) == 1:
            return self.entity(found[0])
        if len(found) > 1:
            listing = "; ".join(f"{i} ({self.entity(i).name}, {self.entity(i).type})" for i in found)
            raise AmbiguousEntityError(f"{text!r} matches {len(found)} entities: {listing}; use one of the ids", found)
        names = {n: e.id for e in self.entities() for n in e.all_names}
        close = difflib.get_close_matches(text, list(names), n=5, cutoff=0.6)
        hint = "; closest: " + ", ".join(f"{n} ({names[n]})" for n in close) if close else ""
        raise UnknownEntityError(f"nothing matches {text!r}{hint}")

    # ------------------------------------------------------------------ exchange format
    def to_node_link(self) -> dict[str, Any]:
        """networkx node-link data in the documented exchange format of out/graph.json (stable order)."""
        nodes = []
        for e in self.entities():
            ident = {k: v for k, v in e.identifiers.items() if k != "tickers"}
            ident["tickers"] = e.tickers
            nodes.append(
                {
                    "id": e.id,
                    "type": e.type,
                    "name": e.name,
                    "name_zh": e.name_zh or None,
                    "aliases": list(e.aliases),
                    "category": e.category or None,
                    "founded": e.founded or None,
                    "identifiers": ident,
                    "sources": [{"url": s.url, "publisher": s.publisher, "published": s.published} for s in e.sources],
                }
            )
        links = [f.to_link() for f in self.facts()]
        return {"directed": True, "multigraph": True, "graph": {"name": "cnaikg", "ontology_version": self.ontology.meta.get("version")}, "nodes": nodes, "links": links}


def build_graph(data: "str | Path | None" = None) -> KnowledgeGraph:
    """Load, validate and build the graph from a data folder (default: the shipped dataset).

    >>> build_graph().number_of_facts() >= 300
    True
    """
    return KnowledgeGraph.from_dataset(data)
