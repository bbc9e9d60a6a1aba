"""The graph as numpy edge columns and scipy sparse matrices: what every score computes on, at any scale.

The curated graph (a few hundred nodes) and a registry-scale graph (a million
nodes) go through the same code: ``GraphArrays.from_kg`` turns a
KnowledgeGraph into columns, a registry loader or the benchmark generator
builds the columns directly, never a multi-million-edge networkx object.

>>> from cnaikg.graph import build_graph
>>> ga = GraphArrays.from_kg(build_graph())
>>> ga.n == len(ga.ids) and len(ga.src) == len(ga.dst) == len(ga.rel)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp

from cnaikg.queries.state import StateConfig, load_state_actors

__all__ = ["GraphArrays", "graph_arrays"]


@dataclass
class GraphArrays:
    """Nodes and typed edges as columns.

    ``src[i] -rel_names[rel[i]]-> dst[i]`` is edge ``i``; ``stake[i]`` is its
    stake as a fraction (NaN when not given); ``facts[i]`` is the Fact behind
    it when built from a KnowledgeGraph. ``state_kind[v]`` is the index of
    node ``v``'s kind in ``kind_names`` or -1, ``state_weight[v]`` its weight.
    """

    ids: list[str]
    node_type: np.ndarray  # int16 codes into type_names
    type_names: list[str]
    src: np.ndarray  # int64
    dst: np.ndarray  # int64
    rel: np.ndarray  # int16 codes into rel_names
    rel_names: list[str]
    stake: np.ndarray  # float64 fraction, NaN when unknown
    state_kind: np.ndarray  # int16, -1 when not a state actor
    state_weight: np.ndarray  # float64, 0 when not a state actor
    kind_names: list[str]
    config: StateConfig
    facts: list[Any] | None = None
    symmetric: frozenset[str] = frozenset()
    as_of: Any = None  # the view's date (datetime.date), None for an undated graph: decides which rules are in force
    _index: dict[str, int] | None = field(default=None, repr=False)
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)  # keys: names or (name, ...) tuples

    # ---------------------------------------------------------------- construction
    @classmethod
    def from_kg(cls, kg: Any, *, config: StateConfig | None = None) -> "GraphArrays":
        """Columns of a KnowledgeGraph (nodes sorted by id, facts in the graph's stable order)."""
        cfg = config or load_state_actors()
        ents = kg.entities()
        ids = [e.id for e in ents]
        index = {i: k for k, i in enumerate(ids)}
        type_names = sorted(kg.ontology.entity_types)
        tcode = {t: k for k, t in enumerate(type_names)}
        rel_names = sorted(kg.ontology.relation_types)
        rcode = {r: k for k, r in enumerate(rel_names)}
        kind_names = list(cfg.kinds)
        kcode = {k: i for i, k in enumerate(kind_names)}
        skind = np.full(len(ids), -1, dtype=np.int16)
        sweight = np.zeros(len(ids))
        for k, e in enumerate(ents):
            a = cfg.actor_for(e.id, e.type, e.category)
            if a is not None:
                skind[k] = kcode[a.kind]
                sweight[k] = a.weight
        facts = kg.facts()
        stake = np.full(len(facts), np.nan)
        for i, f in enumerate(facts):
            v = f.properties.get("stake_pct")
            if v is not None:
                stake[i] = float(v) / 100.0
        return cls(
            ids=ids,
            node_type=np.array([tcode[e.type] for e in ents], dtype=np.int16),
            type_names=type_names,
            src=np.array([index[f.subject] for f in facts], dtype=np.int64),
            dst=np.array([index[f.object] for f in facts], dtype=np.int64),
            rel=np.array([rcode[f.relation] for f in facts], dtype=np.int16),
            rel_names=rel_names,
            stake=stake,
            state_kind=skind,
            state_weight=sweight,
            kind_names=kind_names,
            config=cfg,
            facts=facts,
            symmetric=frozenset(r for r in rel_names if kg.ontology.relation(r).symmetric),
            as_of=getattr(kg, "as_of_date", None),
            _index=index,
        )

    # ---------------------------------------------------------------- basics
    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.ids)

    @property
    def index(self) -> dict[str, int]:
        """Node id -> row number."""
        if self._index is None:
            self._index = {i: k for k, i in enumerate(self.ids)}
        return self._index

    def type_mask(self, *types: str) -> np.ndarray:
        """Boolean mask of nodes of the given entity types."""
        codes = [self.type_names.index(t) for t in types if t in self.type_names]
        return np.isin(self.node_type, codes)

    def rel_mask(self, *relations: str) -> np.ndarray:
        """Boolean mask of edges of the given relationship types."""
        codes = [self.rel_names.index(r) for r in relations if r in self.rel_names]
        return np.isin(self.rel, codes)

    def rel_weight(self) -> np.ndarray:
        """Per-edge weight from the config's relation_weights (0 for types not listed)."""
        if "rel_weight" not in self._cache:
            table = np.array([float(self.config.relation_weights.get(r, 0.0)) for r in self.rel_names])
            self._cache["rel_weight"] = table[self.rel] if len(self.rel) else np.zeros(0)
        return self._cache["rel_weight"]

    @property
    def is_state(self) -> np.ndarray:
        """Boolean mask of state actors."""
        return self.state_kind >= 0

    # ---------------------------------------------------------------- matrices
    def adjacency(self, *, weighted: bool = True, symmetric: bool = False) -> sp.csr_matrix:
        """n x n CSR of edges with positive relation weight; duplicates summed (or 1 when not weighted).

        ``symmetric`` adds every edge in both directions (ties count both ways).
        """
        key = f"adj-{weighted}-{symmetric}"
        if key not in self._cache:
            w = self.rel_weight()
            keep = w > 0
            s, d, w = self.src[keep], self.dst[keep], w[keep]
            if symmetric:
                s, d, w = np.concatenate([s, d]), np.concatenate([d, s]), np.concatenate([w, w])
            data = w if weighted else np.ones(len(s))
            A = sp.csr_matrix((data, (s, d)), shape=(self.n, self.n))
            A.sum_duplicates()
            if not weighted:
                A.data[:] = 1.0
            self._cache[key] = A
        return self._cache[key]

    def holdings(self) -> sp.csr_matrix:
        """W[h, c]: the fraction of ``c`` that ``h`` holds directly: the largest stake among the facts valid in the view.

        OWNS and INVESTS_IN read subject holds object; SUBSIDIARY_OF reads
        object holds subject. A fact without a stake counts ``default_stake``
        (or ``default_subsidiary_stake`` for SUBSIDIARY_OF). Taking the largest
        keeps every score monotone in the facts; a stake that was later reduced
        must be closed in the data (``until`` on the older fact) to stop counting.
        """
        if "holdings" not in self._cache:
            p = self.config.parameters
            fwd = self.rel_mask("OWNS", "INVESTS_IN")
            sub = self.rel_mask("SUBSIDIARY_OF")
            h = np.concatenate([self.src[fwd], self.dst[sub]])
            c = np.concatenate([self.dst[fwd], self.src[sub]])
            st = np.concatenate([np.where(np.isnan(self.stake[fwd]), float(p["default_stake"]), self.stake[fwd]),
                                 np.where(np.isnan(self.stake[sub]), float(p["default_subsidiary_stake"]), self.stake[sub])])
            keep = h != c
            h, c, st = h[keep], c[keep], np.clip(st[keep], 0.0, 1.0)
            # one value per (holder, held): the largest stake (order by pair then stake, keep the last of each pair)
            if len(h):
                order = np.lexsort((st, c, h))
                h, c, st = h[order], c[order], st[order]
                last = np.ones(len(h), dtype=bool)
                last[:-1] = (h[1:] != h[:-1]) | (c[1:] != c[:-1])
                h, c, st = h[last], c[last], st[last]
            self._cache["holdings"] = sp.csr_matrix((st, (h, c)), shape=(self.n, self.n))
        return self._cache["holdings"]

    def edges_of_kind(self, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(node, other end, edge index, direction: +1 out / -1 in) for every edge, both ends, optionally masked."""
        idx = np.arange(len(self.src)) if mask is None else np.flatnonzero(mask)
        node = np.concatenate([self.src[idx], self.dst[idx]])
        other = np.concatenate([self.dst[idx], self.src[idx]])
        eidx = np.concatenate([idx, idx])
        direction = np.concatenate([np.ones(len(idx), dtype=np.int8), -np.ones(len(idx), dtype=np.int8)])
        return node, other, eidx, direction


def graph_arrays(kg: Any, *, as_of: Any = None, config: StateConfig | None = None) -> GraphArrays:
    """GraphArrays of ``kg`` as of a date (``kg.as_of``), cached on the view object.

    >>> from cnaikg.graph import build_graph
    >>> graph_arrays(build_graph(), as_of="2015-01-01").n > 0
    True
    """
    view = kg.as_of(as_of) if as_of is not None else kg.current()
    cfg = config or load_state_actors()
    cache = view.__dict__.setdefault("_arrays_cache", {})
    key = id(cfg)
    if key not in cache:
        cache[key] = GraphArrays.from_kg(view, config=cfg)
    return cache[key]


def as_series_ids(ga: GraphArrays, values: np.ndarray, mask: np.ndarray | None = None) -> Any:
    """A pandas Series of ``values`` indexed by node id (restricted to ``mask``)."""
    import pandas as pd

    if mask is None:
        return pd.Series(values, index=pd.Index(ga.ids, name="id"))
    return pd.Series(values[mask], index=pd.Index(np.asarray(ga.ids, dtype=object)[mask], name="id"))


def companies(ga: GraphArrays) -> np.ndarray:
    """Mask of company nodes."""
    return ga.type_mask("company")


def kinds_present(ga: GraphArrays) -> Sequence[str]:
    """Kinds with at least one state actor in the graph."""
    present = set(np.unique(ga.state_kind[ga.state_kind >= 0]).tolist())
    return [k for i, k in enumerate(ga.kind_names) if i in present]
