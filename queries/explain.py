"""Why a company scores what it scores: the components that contribute most and the best paths to state actors.

Every hop of a path names the fact behind it: relationship, direction,
validity dates and the source (publisher, publication date, URL).

>>> from cnaikg.graph import build_graph
>>> ex = explain(build_graph(), "smic")
>>> ex.score > 0 and ex.paths[0].hops[0].relation in build_graph().ontology.relation_types
True
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnaikg.queries.arrays import GraphArrays, graph_arrays

__all__ = ["Hop", "StatePath", "Explanation", "explain", "explain_arrays", "best_state_paths", "describe_fact", "explanation_lines"]


@dataclass(frozen=True)
class Hop:
    """One fact on a path, read from ``start`` to ``end`` (``forward`` is False when the fact points the other way)."""

    start: str
    end: str
    relation: str
    forward: bool
    since: str
    until: str
    sources: tuple[str, ...]
    fact_id: str = ""
    symmetric: bool = False

    def __str__(self) -> str:
        dates = f" {self.since or '?'}..{self.until}" if (self.since or self.until) else ""
        arrow = f"-[{self.relation}{dates}]-" if self.symmetric else (f"-[{self.relation}{dates}]->" if self.forward else f"<-[{self.relation}{dates}]-")
        more = f" +{len(self.sources) - 1} more" if len(self.sources) > 1 else ""
        src = f" (source: {self.sources[0]}{more})" if self.sources else ""
        return f"{self.start} {arrow} {self.end}{src}"


@dataclass(frozen=True)
class StatePath:
    """A path from a company to a state actor with its strength (actor weight x product of hop weights)."""

    actor: str
    kind: str
    strength: float
    hops: tuple[Hop, ...]

    def __str__(self) -> str:
        return f"to {self.actor} ({self.kind}, strength {self.strength:.3f}): " + " ; ".join(map(str, self.hops))


@dataclass
class Explanation:
    """Score, components (name, value, weight, contribution, details) best first, and best paths."""

    id: str
    score: float
    components: list[dict[str, Any]] = field(default_factory=list)
    paths: list[StatePath] = field(default_factory=list)
    exposure: list[str] = field(default_factory=list)
    as_of: str = ""
    control: list[str] = field(default_factory=list)


def _source_text(f: Any) -> tuple[str, ...]:
    return tuple(f"{s.publisher} {s.published} {s.url}".strip() for s in sorted(f.sources, key=lambda s: (s.published, s.id)))


def describe_fact(ga: GraphArrays, edge: int | None, fact: Any = None) -> str:
    """A fact as text: subject -[RELATION since..until]-> object (source: publisher date url)."""
    f = fact if fact is not None else (ga.facts[edge] if ga.facts is not None and edge is not None else None)
    if f is None:
        return f"{ga.ids[int(ga.src[edge])]} -[{ga.rel_names[int(ga.rel[edge])]}]-> {ga.ids[int(ga.dst[edge])]}" if edge is not None else "?"
    return str(Hop(f.subject, f.object, f.relation, True, f.since, f.until, _source_text(f), f.id, f.relation in ga.symmetric))


def best_state_paths(ga: GraphArrays, node: int, *, k: int = 3, max_hops: int | None = None) -> list[StatePath]:
    """The ``k`` strongest paths from ``node`` to distinct state actors over weighted facts (both directions).

    Strength = actor weight x product over hops of (decay x relation weight),
    the quantity the diffusion component spreads; found by Dijkstra on -log.
    """
    decay = float(ga.config.parameters["diffusion_decay"])
    max_hops = int(ga.config.parameters.get("diffusion_hops", 4)) if max_hops is None else max_hops
    w = ga.rel_weight()
    adj = ga._cache.get("adjlist")
    if adj is None:
        adj = [[] for _ in range(ga.n)]
        for i in np.flatnonzero((w > 0) & (ga.src != ga.dst)):
            a, b = int(ga.src[i]), int(ga.dst[i])
            adj[a].append((b, int(i), True))
            adj[b].append((a, int(i), False))
        ga._cache["adjlist"] = adj
    dist = {node: 0.0}
    prev: dict[int, tuple[int, int, bool]] = {}
    heap = [(0.0, node, 0)]
    found: list[tuple[float, int]] = []
    while heap:
        dcur, v, h = heapq.heappop(heap)
        if dcur > dist.get(v, math.inf):
            continue
        if v != node and ga.state_kind[v] >= 0:
            found.append((dcur - math.log(ga.state_weight[v]) if ga.state_weight[v] > 0 else math.inf, v))
            continue  # a path stops at the first state actor
        if h >= max_hops:
            continue
        for u, e, fwd in sorted(adj[v], key=lambda t: (-w[t[1]], t[0], t[1])):
            nd = dcur - math.log(decay * w[e])
            if nd < dist.get(u, math.inf) - 1e-15:
                dist[u] = nd
                prev[u] = (v, e, fwd)
                heapq.heappush(heap, (nd, u, h + 1))
    found.sort(key=lambda t: (t[0], ga.ids[t[1]]))
    out = []
    for cost, actor in found[:k]:
        hops = []
        v = actor
        while v != node:
            u, e, fwd = prev[v]
            f = ga.facts[e] if ga.facts is not None else None
            hops.append(Hop(ga.ids[u], ga.ids[v], ga.rel_names[int(ga.rel[e])], fwd, f.since if f else "", f.until if f else "", _source_text(f) if f else (), f.id if f else "", ga.rel_names[int(ga.rel[e])] in ga.symmetric))
            v = u
        out.append(StatePath(ga.ids[actor], ga.kind_names[int(ga.state_kind[actor])], math.exp(-cost), tuple(reversed(hops))))
    return out


def component_terms(ga: GraphArrays, node: int, name: str, selected: np.ndarray | None = None) -> list[tuple[float, str]]:
    """The counted terms of one component for ``node``, strongest first: they add up to the component's value.

    >>> from cnaikg.graph import build_graph
    >>> ga = graph_arrays(build_graph())
    >>> from cnaikg.queries.proximity import proximity_arrays
    >>> _, comps = proximity_arrays(ga)
    >>> node = ga.index["smic"]
    >>> bool(abs(sum(v for v, _ in component_terms(ga, node, "direct_state_equity")) - comps["direct_state_equity"][node]) < 1e-9)
    True
    """
    from cnaikg.queries.proximity import COMPONENTS

    comp = next(c for c in COMPONENTS if c.name == name)
    sel = ga.is_state if selected is None else selected
    return comp.terms(ga, sel, node) if comp.terms is not None else []


def explain_arrays(ga: GraphArrays, node: int, *, top: int = 3, score: float | None = None, comps: dict[str, np.ndarray] | None = None) -> Explanation:
    """Explanation of row ``node`` of ``ga`` (pass precomputed ``score``/``comps`` arrays to save work).

    Each component row has ``terms`` [(value, text)] that add up to its
    ``value``; contributions (weight x value / total weight) add up to the score.
    """
    from cnaikg.queries.exposure import exposure_reasons
    from cnaikg.queries.ownership import control_explanation
    from cnaikg.queries.proximity import COMPONENTS, proximity_arrays

    if comps is None:
        s, comps = proximity_arrays(ga)
        score = float(s[node])
    weights = ga.config.proximity_weights
    total = sum(float(weights[c.name]) for c in COMPONENTS)
    rows: list[dict[str, Any]] = []
    for c in COMPONENTS:
        v = float(comps[c.name][node])
        if v > 0:
            terms = component_terms(ga, node, c.name)
            rows.append({"component": c.name, "value": v, "weight": float(weights[c.name]), "contribution": float(weights[c.name]) * v / total,
                         "terms": terms, "details": [t for _, t in terms]})
    rows.sort(key=lambda r: (-r["contribution"], r["component"]))
    paths = best_state_paths(ga, node, k=top) if rows else []
    ex = Explanation(ga.ids[node], float(score or 0.0), rows, paths, exposure_reasons(ga, node) if ga.facts is not None else [])
    ex.control = control_explanation(ga, node) if ga.facts is not None else []
    return ex


def explain(kg: Any, company: str, *, as_of: Any = None, top: int = 3) -> Explanation:
    """Explain the policy proximity of ``company`` (id, name or ticker) as of a date.

    >>> from cnaikg.graph import build_graph
    >>> e = explain(build_graph(), "deepseek")
    >>> e.id
    'deepseek'
    """
    ent = kg.resolve(company) if company not in kg else kg.entity(company)
    ga = graph_arrays(kg, as_of=as_of)
    if ent.id not in ga.index:
        from cnaikg.errors import UnknownEntityError

        raise UnknownEntityError(f"{ent.id!r} did not exist yet as of {as_of} (founded {ent.founded}); pick a later --as-of")
    ex = explain_arrays(ga, ga.index[ent.id], top=top)
    ex.as_of = str(as_of) if as_of is not None else ""
    return ex


def shown_terms(terms: list[tuple[float, str]], top: int) -> list[tuple[float, str]]:
    """The first ``top`` terms, then one line adding up the rest, so that what is shown still sums to the value.

    >>> shown_terms([(0.5, "a"), (0.2, "b"), (0.1, "c")], 1)
    [(0.5, 'a'), (0.30000000000000004, '2 more terms')]
    """
    if len(terms) <= top + 1:
        return list(terms)
    rest = terms[top:]
    return [*terms[:top], (sum(v for v, _ in rest), f"{len(rest)} more terms")]


def explanation_lines(ex: Explanation, *, top: int = 3) -> list[str]:
    """Short lines, top first: each component with its contribution and its strongest counted term.

    Every line is a term of the score: the contributions of all components add
    up to the score, and each component's terms to its value.
    """
    if not ex.components:
        return ["no path to any state actor"]
    lines = []
    for r in ex.components[:top]:
        first = r["terms"][0] if r["terms"] else None
        why = f": {first[1]}" if first else ""
        more = f" (+{len(r['terms']) - 1} more terms)" if len(r["terms"]) > 1 else ""
        lines.append(f"{r['component']} {r['value']:.2f} (+{r['contribution']:.3f}){why}{more}")
    return lines
