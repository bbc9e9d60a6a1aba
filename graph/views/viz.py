"""The explorer: one self-contained, offline, injection-safe HTML page per network view (vis-network from pyvis).

Each page embeds the whole graph it was asked for (after ``--types`` and
``--relations``) as one escaped JSON block and opens on a small, readable part
of it; the page script then does the rest without any request:

- **opening view**: a neighbourhood page opens on the entities within
  ``hops`` facts of the focus (closest first, then by importance); the
  whole-graph page opens on the ``START_NODES`` most important entities that
  have at least one fact on the page's date. *Importance* is PageRank over the
  embedded graph (facts as undirected links, networkx defaults), ties by id;
- **focus and neighbourhood**: a click or a find highlights the entity and its
  neighbours and dims the rest; labels are thinned by importance so that none
  overlap at the current zoom, the others show on hover;
- **expand and collapse**: a double-click adds a node's neighbours from the
  embedded graph; "Collapse" goes back to the opening view, "Show all" draws
  everything that exists on the page's date;
- **paths**: every shortest path between two entities (any name, Chinese
  name, alias or ticker), optionally through chosen relationship types only,
  each hop with its dates and sources;
- **time**: a date slider re-draws the view as of a date with exactly the
  rules of ``KnowledgeGraph.as_of`` (since <= D < until, partial dates as in
  :mod:`cnaikg.graph.dates`, a fact known from its earliest source's
  publication, entities from their founding);
- **ownership tree**: for a company, its owners through chains with direct and
  effective stakes and the affiliates-rule status (from
  :mod:`cnaikg.queries.ownership` and :mod:`cnaikg.queries.exposure`);
- **downloads**: the current view as GraphML and as a Cypher query that
  returns it from the Neo4j/Bolt store.

Safety: every string from the data reaches the page only as escaped JSON in a
``<script type="application/json">`` block or as autoescaped text; the script
builds text with ``textContent`` and makes links only of http(s) URLs; the
Content-Security-Policy is ``default-src 'none'``; nothing is fetched.

>>> from cnaikg.graph import build_graph
>>> html = network_html(build_graph(), focus="deepseek", hops=1, ownership=False)
>>> "<script src=" in html, "cdn.jsdelivr.net" in html, "bootstrap" in html
(False, False, False)
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import networkx as nx

from cnaikg.errors import KGError
from cnaikg.graph.dates import parse_date, to_date
from cnaikg.io import write_text_atomic
from cnaikg.progress import log

if TYPE_CHECKING:
    import pandas as pd

    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.model import Fact

__all__ = [
    "SEED_COMPANIES",
    "SIZE_BY",
    "START_NODES",
    "NetworkView",
    "ViewError",
    "network_view",
    "check_view_options",
    "network_html",
    "write_network_html",
    "node_scores",
    "numeric_measures",
    "importance_ranks",
    "start_entities",
    "fact_window",
    "layout_positions",
    "scoring_features",
    "ownership_trees",
    "build_viz",
    "render_template",
]

#: Companies that `cnaikg build` draws a focused view of (out/network-<id>.html).
SEED_COMPANIES: tuple[str, ...] = ("deepseek", "moonshot-ai", "zhipu-ai", "minimax", "cambricon", "moore-threads", "smic", "alibaba")
#: Measures a node's size can follow besides numeric feature columns; ``auto`` is policy proximity when scores exist, else degree.
SIZE_BY: tuple[str, ...] = ("auto", "policy_proximity", "pagerank", "degree")
#: How many entities the whole-graph page opens on (the most important ones with a fact on the page's date).
START_NODES = 60

MIN_SIZE, MAX_SIZE, BASE_SIZE, FOCUS_SIZE = 8.0, 40.0, 10.0, 46.0
_OWNERSHIP = ("OWNS", "INVESTS_IN", "SUBSIDIARY_OF")


class ViewError(KGError):
    """A view option is wrong (unknown size measure, hops below 0, nothing left to draw)."""


@dataclass
class NetworkView:
    """What one page holds: every embedded node and edge record, the opening view, legend rows and notes."""

    heading: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend_types: list[dict[str, Any]]
    legend_relations: list[dict[str, Any]]
    size_label: str
    notes: list[str] = field(default_factory=list)
    vis_ids: dict[str, str] = field(default_factory=dict)
    start: list[str] = field(default_factory=list)
    start_edges: list[str] = field(default_factory=list)
    rule: dict[str, Any] = field(default_factory=dict)
    trees: dict[str, Any] = field(default_factory=dict)
    dates: list[str] = field(default_factory=list)

    @property
    def number_of_nodes(self) -> int:
        """Entities drawn when the page opens."""
        return len(self.start)

    @property
    def number_of_edges(self) -> int:
        """Facts drawn when the page opens."""
        return len(self.start_edges)

    @property
    def embedded_nodes(self) -> int:
        """Entities embedded in the page (reachable by expanding)."""
        return len(self.nodes)

    @property
    def embedded_edges(self) -> int:
        """Facts embedded in the page."""
        return len(self.edges)

    def payload(self) -> dict[str, Any]:
        """The JSON the page script reads: records, opening view, rule, slider dates, ownership trees."""
        return {"nodes": self.nodes, "edges": self.edges, "ids": self.vis_ids, "start": self.start, "rule": self.rule,
                "dates": self.dates, "trees": self.trees}


# ------------------------------------------------------------------------------------------ scores
def scoring_features(kg: "KnowledgeGraph") -> "pd.DataFrame | None":
    """Company features from the scoring module (``cnaikg.queries.features``), or None when it is not installed.

    >>> from cnaikg.graph import build_graph
    >>> f = scoring_features(build_graph())
    >>> f is None or "policy_proximity" in f.columns
    True
    """
    try:
        from cnaikg.queries import features as mod
    except ImportError:  # pragma: no cover
        return None
    fn = getattr(mod, "company_features", None) or getattr(mod, "features", None)
    return fn(kg) if callable(fn) else None


def _degree(kg: "KnowledgeGraph") -> dict[str, float]:
    return {n: float(d) for n, d in kg.G.degree()}


def _pagerank(kg: "KnowledgeGraph") -> dict[str, float]:
    simple = nx.Graph()
    simple.add_nodes_from(sorted(kg.G.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in kg.G.edges() if u != v))
    if simple.number_of_nodes() == 0:
        return {}
    return nx.pagerank(simple, tol=1e-10, max_iter=2000)


def numeric_measures(features: "pd.DataFrame | None") -> list[str]:
    """Names a node's size can follow: degree, pagerank and every numeric (not boolean) column of ``features``.

    >>> numeric_measures(None)
    ['auto', 'degree', 'pagerank']
    """
    out = ["auto", "degree", "pagerank"]
    if features is not None:
        import pandas as pd

        for c in features.columns:
            s = features[c]
            if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s) and str(c) not in out:
                out.append(str(c))
    return out


def node_scores(kg: "KnowledgeGraph", *, size_by: str = "auto", features: "pd.DataFrame | None" = None) -> tuple[dict[str, float], str]:
    """The value each node is sized by, and the measure's name.

    ``size_by`` is ``auto`` (policy proximity when ``features`` has it, else
    degree), ``degree``, ``pagerank`` (computed with networkx when ``features``
    lacks it) or any numeric column of ``features``; a text or boolean column
    is refused with the list of numeric ones.

    >>> from cnaikg.graph import build_graph
    >>> scores, measure = node_scores(build_graph(), size_by="degree")
    >>> measure, scores["smic"] > 1
    ('degree', True)
    """
    if size_by == "auto":
        size_by = "policy_proximity" if features is not None and "policy_proximity" in features.columns else "degree"
    if size_by == "degree":
        return _degree(kg), "degree"
    numeric = numeric_measures(features)
    if features is not None and size_by in features.columns:
        if size_by not in numeric:
            raise ViewError(f"cannot size nodes by {size_by!r}: it is not a numeric column; use one of {', '.join(numeric)}")
        out = {}
        for eid, v in features[size_by].items():
            if eid in kg.G and v is not None and not (isinstance(v, float) and math.isnan(v)):
                out[str(eid)] = float(v)
        return out, size_by
    if size_by == "pagerank":
        return _pagerank(kg), "pagerank"
    hint = "" if features is not None else " (policy scores need the scoring module: use degree or pagerank)"
    raise ViewError(f"cannot size nodes by {size_by!r}; use one of {', '.join(numeric)}{hint}")


def importance_ranks(kg: "KnowledgeGraph") -> dict[str, int]:
    """Rank of every entity by importance (0 = most important): PageRank over facts as undirected links (to 12 decimals), ties by id.

    The one rule the explorer uses to choose the opening view, thin labels and
    cut ``--max-nodes``.

    >>> from cnaikg.graph import build_graph
    >>> r = importance_ranks(build_graph())
    >>> min(r.values()), r["smic"] < r["deepseek"] + 1000
    (0, True)
    """
    cache = kg.__dict__.setdefault("_views_cache", {})  # the graph never changes once built
    if "ranks" in cache:
        return cache["ranks"]
    pr = _pagerank(kg)  # rounded: equal PageRanks (symmetric positions) differ only by float noise, and then the id decides
    order = sorted(kg.G.nodes, key=lambda k: (-round(pr.get(k, 0.0), 12), k))
    cache["ranks"] = {k: i for i, k in enumerate(order)}
    return cache["ranks"]


# ------------------------------------------------------------------------------------------ time
def fact_window(f: "Fact") -> tuple[str | None, str | None, str | None]:
    """(valid from, valid until exclusive, known from) of a fact as ISO days, the rules of ``kg.as_of`` made explicit.

    A fact holds on day D when ``from <= D < until`` and is public when
    ``known <= D``; None means unbounded (known None: never public).
    A partial ``until`` (2024 or 2024-05) ends after its period.

    >>> from cnaikg.graph.model import Fact, Source
    >>> f = Fact.create("a", "OWNS", "b", since="2020-03", until="2024", sources=(Source("s", "u", "p", "2021"),))
    >>> fact_window(f)
    ('2020-03-01', '2025-01-01', '2021-12-31')
    """
    vf = parse_date(f.since).start.isoformat() if f.since else None
    vt = None
    if f.until:
        u = parse_date(f.until)
        vt = (u.start if u.precision == "day" else u.end + _dt.timedelta(days=1)).isoformat()
    kn = f.known_since.isoformat() if f.known_since is not None else None
    return vf, vt, kn


def _day(value: "str | _dt.date | None") -> str | None:
    return None if value is None else to_date(value).isoformat()


def start_entities(kg: "KnowledgeGraph", ranks: Mapping[str, int], *, date: "str | _dt.date | None" = None, focus: str | None = None,
                   hops: int = 1, cap: int | None = None) -> list[str]:
    """The entities a page opens on (the page script applies the same rule when the date moves).

    With ``focus``: the entities within ``hops`` facts of it in the graph as of
    ``date``, closest first then by rank. Without: the entities with at least
    one fact as of ``date`` (all existing ones if none has a fact), by rank.
    At most ``cap`` of them (None: all).

    >>> from cnaikg.graph import build_graph
    >>> kg = build_graph()
    >>> start_entities(kg, importance_ranks(kg), focus="deepseek", hops=1)[0]
    'deepseek'
    """
    view = kg.as_of(date) if date is not None else kg
    if focus is not None:
        if focus not in view.G:
            return []
        dist = nx.single_source_shortest_path_length(view.G.to_undirected(as_view=True), focus, cutoff=hops)
        order = sorted(dist, key=lambda k: (dist[k], ranks.get(k, 0), k))
    else:
        linked = [k for k in view.G.nodes if view.G.degree(k) > 0] or list(view.G.nodes)
        order = sorted(linked, key=lambda k: (ranks.get(k, 0), k))
    return order[:cap] if cap is not None else order


# ------------------------------------------------------------------------------------------ layout
#: Parts larger than this are laid out by the sampled force layout below (networkx's spring layout is quadratic).
EXACT_LAYOUT_MAX = 800


def sampled_force_layout(nodes: Sequence[Any], edges: Iterable[tuple[Any, Any]], *, seed: int = 7, iterations: int = 80, sample: int = 48) -> dict[Any, tuple[float, float]]:
    """Fruchterman-Reingold positions in [-1, 1] with repulsion estimated from ``sample`` random nodes per node and step.

    O((n * sample + m) * iterations) instead of O(n^2 * iterations): a 10,000-node graph takes about a second.
    Seeded, so the same graph gives the same positions.

    >>> pos = sampled_force_layout(list(range(4)), [(0, 1), (1, 2), (2, 3)])
    >>> len(pos), all(-1.0 <= c <= 1.0 for xy in pos.values() for c in xy)
    (4, True)
    """
    import numpy as np

    n = len(nodes)
    if n == 0:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    pairs = np.array([(index[a], index[b]) for a, b in edges if a != b], dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, size=(n, 2))
    k = 1.0 / math.sqrt(n)
    s = max(1, min(n - 1, sample))
    temp = 0.1
    cool = temp / (iterations + 1)
    for _ in range(iterations):
        other = rng.integers(0, n, size=(n, s))
        delta = pos[:, None, :] - pos[other]
        d2 = np.maximum((delta ** 2).sum(axis=-1), 1e-6)
        disp = (delta * (k * k / d2)[..., None]).sum(axis=1) * (n / s)
        if len(pairs):
            dv = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            dist = np.sqrt((dv ** 2).sum(axis=1))[:, None]
            pull = dv * dist / k
            np.add.at(disp, pairs[:, 0], -pull)
            np.add.at(disp, pairs[:, 1], pull)
        length = np.maximum(np.sqrt((disp ** 2).sum(axis=1)), 1e-9)[:, None]
        pos += disp / length * np.minimum(length, temp)
        temp -= cool
    pos -= pos.mean(axis=0)
    scale = np.abs(pos).max() or 1.0
    pos /= scale
    return {v: (float(pos[i, 0]), float(pos[i, 1])) for i, v in enumerate(nodes)}


def layout_positions(G: nx.Graph, *, seed: int = 7, fixed: Mapping[Any, tuple[float, float]] | None = None) -> dict[Any, tuple[int, int]]:
    """Integer canvas positions for every node: a seeded spring layout (same graph, same positions).

    Disconnected parts are laid out one by one: the largest at the centre,
    the small ones stacked in columns beside it, so islands do not fly off.
    With ``fixed`` (positions of some nodes, e.g. a laid-out neighbourhood),
    the other nodes of the largest part are placed around them.

    >>> pos = layout_positions(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2] and pos == layout_positions(nx.path_graph(3))
    True
    """
    U = nx.Graph()
    U.add_nodes_from(sorted(G.nodes, key=str))
    U.add_edges_from(sorted(((u, v) for u, v in G.edges() if u != v), key=lambda e: (str(e[0]), str(e[1]))))
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(U)), key=lambda c: (-len(c), str(c[0])))
    pos: dict[Any, tuple[int, int]] = {}
    if not comps:
        return pos
    fixed = dict(fixed or {})
    if fixed:  # the part holding the fixed nodes goes in the middle
        comps.sort(key=lambda c: (not any(k in fixed for k in c), -len(c), str(c[0])))

    def local(comp: list[Any], pinned: Mapping[Any, tuple[float, float]]) -> tuple[dict[Any, tuple[float, float]], float]:
        n = len(comp)
        if n == 1:
            only = comp[0]
            return {only: pinned.get(only, (0.0, 0.0))}, 25.0
        radius = 80.0 * math.sqrt(n) + 60.0
        sub = nx.Graph()  # a fresh graph in sorted order: subgraph views iterate a set, whose order changes per process
        sub.add_nodes_from(comp)
        sub.add_edges_from(sorted((u, v) if str(u) <= str(v) else (v, u) for u, v in U.subgraph(comp).edges()))
        iters = 100 if n <= 500 else (50 if n <= 3000 else 25)
        pins = {k: v for k, v in pinned.items() if k in sub}
        if pins and n > EXACT_LAYOUT_MAX:  # large: lay out the whole part, then move it so that the pinned centre sits at 0
            raw = sampled_force_layout(list(sub.nodes), list(sub.edges), seed=seed)
            out = {k: (float(v[0]) * radius, float(v[1]) * radius) for k, v in raw.items()}
            shift = max(math.hypot(x, y) for x, y in pins.values()) * 1.3 + 100.0
            out = {k: (x * (1 + shift / radius), y * (1 + shift / radius)) for k, (x, y) in out.items()}
            out.update(pins)
            return out, radius + shift
        if pins:
            inner = max(max(abs(x), abs(y)) for x, y in pins.values()) or 1.0
            scale = max(radius, inner * 1.6)
            init = {k: (x / scale, y / scale) for k, (x, y) in pins.items()}
            raw = nx.spring_layout(sub, seed=seed, k=2.0 / math.sqrt(n), iterations=iters, pos=init, fixed=list(init))
            return {k: (float(v[0]) * scale, float(v[1]) * scale) for k, v in raw.items()}, scale
        if n > EXACT_LAYOUT_MAX:
            raw = sampled_force_layout(list(sub.nodes), list(sub.edges), seed=seed)
        else:
            raw = nx.spring_layout(sub, seed=seed, k=2.0 / math.sqrt(n), iterations=iters)
        return {k: (float(v[0]) * radius, float(v[1]) * radius) for k, v in raw.items()}, radius

    main, main_r = local(comps[0], fixed)
    for k, (x, y) in main.items():
        pos[k] = (int(round(x)), int(round(y)))
    gap = 50.0
    col_x, y, col_w = main_r + 2 * gap, -main_r, 0.0
    for comp in comps[1:]:
        loc, r = local(comp, {})
        if y + 2 * r > main_r and y > -main_r:
            col_x, y, col_w = col_x + col_w + gap, -main_r, 0.0
        for k, (x, yy) in loc.items():
            pos[k] = (int(round(col_x + r + x)), int(round(y + r + yy)))
        y += 2 * r + gap
        col_w = max(col_w, 2 * r)
    return pos


def _global_positions(kg: "KnowledgeGraph", seed: int) -> dict[str, tuple[int, int]]:
    """The layout of the whole embedded graph, computed once per graph and seed."""
    cache = kg.__dict__.setdefault("_views_cache", {})
    if ("layout", seed) not in cache:
        cache[("layout", seed)] = layout_positions(kg.G, seed=seed)
    return cache[("layout", seed)]


def _positions(kg: "KnowledgeGraph", focus_id: str | None, start: Sequence[str], seed: int) -> dict[str, tuple[int, int]]:
    """Positions of every embedded entity.

    A page lays its opening entities out on their own (the focus, if any, at
    the centre); every other entity keeps its place in the whole graph's
    layout (seen from the focus or the opening entities' centre), pushed
    outward beyond them, so expanding adds nodes around the view without moving it.
    """
    whole = _global_positions(kg, seed)
    if len(start) == kg.number_of_entities():
        return whole
    inner = layout_positions(kg.G.subgraph(start), seed=seed)
    fx: float
    fy: float
    gx: float
    gy: float
    if focus_id:
        fx, fy = (float(c) for c in inner[focus_id])
        gx, gy = (float(c) for c in whole[focus_id])
    else:  # the opening entities' centre, here and in the whole layout
        fx, fy = (sum(p[i] for p in inner.values()) / len(inner) for i in (0, 1))
        gx, gy = (sum(whole[k][i] for k in start) / len(start) for i in (0, 1))
    out: dict[str, tuple[int, int]] = {k: (int(round(x - fx)), int(round(y - fy))) for k, (x, y) in inner.items()}
    radius = max((math.hypot(x, y) for x, y in out.values()), default=0.0) + 120.0
    for k, (x, y) in whole.items():
        if k in out:
            continue
        dx, dy = float(x) - gx, float(y) - gy
        r = math.hypot(dx, dy)
        if r == 0:
            dx, dy, r = 1.0, 0.0, 1.0
        out[k] = (int(round(dx * (1 + radius / r))), int(round(dy * (1 + radius / r))))
    return out


# ------------------------------------------------------------------------------------------ selection
def _split_names(values: "str | Iterable[str] | None") -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = values.split(",")
    return [v.strip() for v in values if v and v.strip()]


def _select(kg: "KnowledgeGraph", *, focus: str | None, types: Sequence[str], relations: Sequence[str]) -> tuple["KnowledgeGraph", str | None]:
    """The graph a page embeds: entities of ``types`` (and the focus), facts of ``relations`` among them."""
    from cnaikg.graph.kg import KnowledgeGraph

    onto = kg.ontology
    for t in types:
        onto.entity_type(t)
    rels = [r.upper() for r in relations]
    for r in rels:
        onto.relation(r)
    focus_id = kg.resolve(focus).id if focus else None
    if not types and not rels:
        return kg, focus_id
    ents = [e for e in kg.entities() if not types or e.type in types or e.id == focus_id]
    keep = {e.id for e in ents}
    facts = [f for f in kg.facts() if f.subject in keep and f.object in keep and (not rels or f.relation in rels)]
    if rels:  # a relation filter asks for that network: drop entities it leaves unconnected
        touched = {f.subject for f in facts} | {f.object for f in facts} | ({focus_id} if focus_id else set())
        ents = [e for e in ents if e.id in touched]
    return KnowledgeGraph(ents, facts, onto, as_of=kg.as_of_date), focus_id


# ------------------------------------------------------------------------------------------ ownership
def _pct(v: float) -> str:
    return f"{v * 100:.4g}%"


def ownership_trees(kg: "KnowledgeGraph", *, as_of: "str | _dt.date | None" = None, max_depth: int = 6, max_nodes: int = 60) -> dict[str, dict[str, Any]]:
    """For every company with at least one holder: its owners through chains, as nested dicts, and its affiliates-rule status.

    Direct stakes are the holdings matrix of :mod:`cnaikg.queries.arrays`
    (stated stake, or the documented default when a fact gives none),
    effective stakes come from :func:`cnaikg.queries.ownership.look_through_ownership`,
    the fact behind each holding from :func:`cnaikg.queries.ownership.ownership_paths`
    and the affiliates rule from :func:`cnaikg.queries.exposure.export_control_exposure`.
    Computed as of ``as_of`` (default: the data date, as the scores).

    >>> from cnaikg.graph import build_graph
    >>> t = ownership_trees(build_graph())["smic"]
    >>> t["id"], bool(t["owners"]), "affiliates" in t
    ('smic', True, True)
    """
    cache = kg.__dict__.setdefault("_views_cache", {})
    key = ("trees", _day(as_of) if as_of else None, max_depth, max_nodes)
    if key not in cache:
        cache[key] = _ownership_trees(kg, as_of=as_of, max_depth=max_depth, max_nodes=max_nodes)
    return cache[key]


def _ownership_trees(kg: "KnowledgeGraph", *, as_of: "str | _dt.date | None", max_depth: int, max_nodes: int) -> dict[str, dict[str, Any]]:
    try:
        from cnaikg.queries.arrays import graph_arrays
        from cnaikg.queries.exposure import export_control_exposure
        from cnaikg.queries.ownership import look_through_ownership, ownership_paths
    except ImportError:  # pragma: no cover
        return {}
    ga = graph_arrays(kg, as_of=as_of)
    view = kg.as_of(as_of) if as_of is not None else kg.current()
    W = ga.holdings().tocsc()
    holders_of: dict[int, list[tuple[int, float]]] = {}
    for c in range(ga.n):
        lo, hi = W.indptr[c], W.indptr[c + 1]
        if hi > lo:
            holders_of[c] = sorted(((int(h), float(s)) for h, s in zip(W.indices[lo:hi], W.data[lo:hi])), key=lambda t: (-t[1], ga.ids[t[0]]))
    if not holders_of:
        return {}
    all_holders = sorted({ga.ids[h] for hs in holders_of.values() for h, _ in hs})
    eff_df = look_through_ownership(kg, as_of=as_of, holders=all_holders)
    eff = {(h, e): float(v) for h, e, v in zip(eff_df["holder"], eff_df["entity"], eff_df["effective"])}
    exposure = export_control_exposure(kg, as_of=as_of)
    when = view.as_of_date.isoformat() if view.as_of_date else ""
    fact_cache: dict[tuple[int, int], Any] = {}

    def fact(h: int, c: int) -> Any:
        if (h, c) not in fact_cache:
            paths = ownership_paths(ga, h, c, k=1, max_hops=1)
            fact_cache[(h, c)] = paths[0].facts[0] if paths and paths[0].facts else None
        return fact_cache[(h, c)]

    trees: dict[str, dict[str, Any]] = {}
    companies = {k for k in kg.G.nodes if kg.G.nodes[k]["type"] == "company"}
    for c, _ in sorted(holders_of.items()):
        root = ga.ids[c]
        if root not in companies:
            continue
        count = [0]

        def owners(node: int, chain: tuple[int, ...], depth: int) -> list[dict[str, Any]]:
            out = []
            for h, stake in holders_of.get(node, []):
                if h in chain or count[0] >= max_nodes:
                    continue
                count[0] += 1
                f = fact(h, node)
                stated = bool(f is not None and f.properties.get("stake_pct") is not None)
                out.append({"id": ga.ids[h], "direct": _pct(stake), "stated": stated, "effective": _pct(eff.get((ga.ids[h], root), 0.0)),
                            "fact": f.id if f is not None else "", "relation": f.relation if f is not None else "",
                            "owners": owners(h, chain + (h,), depth + 1) if depth < max_depth else []})
            return out

        status: dict[str, Any] = {"covered": False, "in_force": True, "would": False, "owner": "", "stake": "", "lists": ""}
        if root in exposure.index:
            row = exposure.loc[root]
            covered, in_force = bool(row["affiliate_rule_covered"]), bool(row["affiliate_rule_in_force"])
            would = not in_force and float(row["affiliate_rule_stake"]) >= 0.5  # the ownership test alone, on a date the rule was not in force
            status = {"covered": covered, "in_force": in_force, "would": would,
                      "owner": str(row["affiliate_rule_owners"]).split("|")[0],  # the largest listed or covered holder
                      "stake": _pct(float(row["affiliate_rule_stake"])) if covered or would else "",
                      "lists": str(row["export_lists"])}
        trees[root] = {"id": root, "as_of": when, "owners": owners(c, (c,), 1), "affiliates": status}
    return trees


def _tree_records(tree: Mapping[str, Any], vis: Mapping[str, str], fact_vis: Mapping[str, str], names: Mapping[str, str]) -> dict[str, Any]:
    """A tree with entity ids replaced by vis ids and names, facts by edge ids (ids never reach the page as markup)."""
    def conv(n: Mapping[str, Any]) -> dict[str, Any]:
        return {"n": vis.get(n["id"], ""), "name": names.get(n["id"], n["id"]), "direct": n["direct"], "stated": n["stated"],
                "effective": n["effective"], "edge": fact_vis.get(n["fact"], ""), "relation": n["relation"], "owners": [conv(o) for o in n["owners"]]}

    a = tree["affiliates"]
    return {"as_of": tree["as_of"], "owners": [conv(o) for o in tree["owners"]],
            "affiliates": {"covered": a["covered"], "in_force": a.get("in_force", True), "would": a.get("would", False),
                           "owner": names.get(a["owner"], a["owner"]), "owner_n": vis.get(a["owner"], ""),
                           "stake": a["stake"], "lists": [names.get(x, x) for x in a["lists"].split("|") if x]}}


# ------------------------------------------------------------------------------------------ records
_HEX = re.compile(r"^#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?$")


def _color(value: str) -> str:
    """A hex colour from the ontology, or grey when it is not one (colours reach a style attribute)."""
    return value if _HEX.match(value or "") else "#999999"


def _fmt_score(v: float) -> str:
    return f"{v:.4g}" if isinstance(v, float) and not float(v).is_integer() else str(int(v))


def _sources(items: Iterable[Any]) -> list[dict[str, str]]:
    return [{"url": s.url, "publisher": s.publisher, "published": s.published, "title": getattr(s, "title", "")} for s in items]


def check_view_options(kg: "KnowledgeGraph", *, focus: str | None = None, hops: int = 1, as_of: "str | None" = None,
                       types: "str | Iterable[str] | None" = None, relations: "str | Iterable[str] | None" = None,
                       max_nodes: int | None = None, size_by: str = "auto") -> str | None:
    """Check a view's options before any work; raise ViewError (or the ontology's error) naming the fix. Returns the as-of day.

    ``size_by`` is checked against the declared feature schema, so a text
    column is refused without computing any score.

    >>> from cnaikg.graph import build_graph
    >>> try:
    ...     check_view_options(build_graph(), size_by="name")
    ... except ViewError as err:
    ...     print(str(err)[:58])
    cannot size nodes by 'name': it is not a numeric column; u
    """
    from cnaikg.graph.dates import DATE_HELP

    if hops < 0:
        raise ViewError(f"--hops must be 0 or more, not {hops}")
    if max_nodes is not None and max_nodes < 1:
        raise ViewError(f"--max-nodes must be at least 1, not {max_nodes}")
    try:
        day = _day(as_of) if as_of else None
    except ValueError:
        raise ViewError(f"--as-of {as_of!r} is not a date; {DATE_HELP}") from None
    for t in _split_names(types):
        kg.ontology.entity_type(t)
    for r in _split_names(relations):
        kg.ontology.relation(r.upper())
    if focus:
        kg.resolve(focus)
    if size_by not in ("auto", "degree", "pagerank"):
        try:
            from cnaikg.queries.features import feature_schema
        except ImportError:  # pragma: no cover
            return day
        schema = feature_schema()
        numeric = ["auto", "degree", "pagerank"] + [c.name for c in schema if c.dtype in ("float", "int") and c.name != "pagerank"]
        if size_by in {c.name for c in schema} and size_by not in numeric:
            raise ViewError(f"cannot size nodes by {size_by!r}: it is not a numeric column; use one of {', '.join(numeric)}")
        if size_by not in numeric:
            raise ViewError(f"cannot size nodes by {size_by!r}; use one of {', '.join(numeric)}")
    return day


def network_view(
    kg: "KnowledgeGraph",
    *,
    focus: str | None = None,
    hops: int = 1,
    as_of: str | None = None,
    types: "str | Iterable[str] | None" = None,
    relations: "str | Iterable[str] | None" = None,
    max_nodes: int | None = None,
    size_by: str = "auto",
    features: "pd.DataFrame | None" = None,
    heading: str | None = None,
    seed: int = 7,
    ownership: bool = True,
) -> NetworkView:
    """Select, score and lay out what one page holds and opens on.

    Parameters
    ----------
    kg : KnowledgeGraph
    focus : str, optional
        Id, name, alias or ticker of the entity whose neighbourhood the page opens on.
    hops : int
        Radius of that neighbourhood.
    as_of : str, optional
        The page opens as of this date (the slider can move it; the page embeds every dated fact).
    types, relations : list or comma-separated str, optional
        Entity types / relationship types to embed (ontology names).
    max_nodes : int, optional
        Open on at most this many entities (default: all of a neighbourhood, ``START_NODES`` of the whole graph).
    size_by : str
        ``auto`` (policy proximity when ``features`` has it, else degree), ``degree``, ``pagerank`` or a numeric feature column.
    features : pandas.DataFrame, optional
        Company features indexed by entity id (the scoring step's ``ctx.results["features"]``).
    ownership : bool
        Embed the ownership trees (needs the scoring modules).

    >>> from cnaikg.graph import build_graph
    >>> v = network_view(build_graph(), focus="smic", hops=1, max_nodes=10, ownership=False)
    >>> v.number_of_nodes <= 10 and v.vis_ids["smic"] == "n0" and v.embedded_nodes > 10
    True
    """
    date = check_view_options(kg, focus=focus, hops=hops, as_of=as_of, types=types, relations=relations, max_nodes=max_nodes,
                              size_by="auto")  # node_scores checks size_by against the features given
    base, focus_id = _select(kg, focus=focus, types=_split_names(types), relations=_split_names(relations))
    scored_on = base.as_of(date) if date else base
    scores, measure = node_scores(scored_on, size_by=size_by, features=features)
    ranks = importance_ranks(base)
    cap = max_nodes if max_nodes is not None else (None if focus_id else START_NODES)
    start = start_entities(base, ranks, date=date, focus=focus_id, hops=hops, cap=cap)
    if not start:
        if focus_id:
            raise ViewError(f"nothing to draw: {base.entity(focus_id).name} did not exist yet on {date}; pick a later --as-of")
        raise ViewError("nothing to draw: the filters leave no entity; loosen --types/--relations/--as-of")
    onto = base.ontology
    deg = _degree(base)
    vals = [scores[k] for k in base.G.nodes if k in scores]
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 0.0)

    def size(k: str) -> float:
        if k == focus_id:
            return FOCUS_SIZE
        if k not in scores:
            return BASE_SIZE
        t = 0.5 if hi == lo else (scores[k] - lo) / (hi - lo)
        return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(max(t, 0.0)), 2)

    order = sorted(base.G.nodes, key=lambda k: (k != focus_id, k))
    vis_ids = {k: f"n{i}" for i, k in enumerate(order)}
    pos = _positions(base, focus_id, start, seed)

    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    feat_cols = [c for c in ("policy_proximity", "pagerank") if features is not None and c in features.columns]
    for k in order:
        e = base.entity(k)
        et = onto.entity_type(e.type)
        score_rows = [[measure, _fmt_score(scores[k])]] if k in scores else []
        if measure != "degree":
            score_rows.append(["facts", str(int(deg.get(k, 0)))])
        for c in feat_cols:
            if c != measure and features is not None and k in features.index:
                v = features.at[k, c]
                if v is not None and not (isinstance(v, float) and math.isnan(v)):
                    score_rows.append([c, _fmt_score(float(v))])
        tip = {
            "kind": "node", "id": e.id, "name": e.name, "name_zh": e.name_zh, "type": et.label, "category": e.category,
            "tickers": list(e.tickers), "aliases": list(e.aliases), "founded": e.founded, "scores": score_rows,
            "sources": _sources(e.sources),
        }
        search = sorted({s for s in (e.id, e.name, e.name_zh, *e.aliases, *e.tickers, *(t.split(".")[0] for t in e.tickers)) if s})
        x, y = pos[k]
        extra: dict[str, Any] = {"borderWidth": 5, "color": {"background": _color(et.color), "border": "#c0392b"}} if k == focus_id else {"color": _color(et.color)}
        net.add_node(vis_ids[k], label=e.name, shape=et.shape, size=size(k), x=x, y=y, etype=e.type, tip=tip, search=search,
                     rank=ranks[k], born=_day(e.founded) if e.founded else None, **extra)
    pair_count: Counter[frozenset[str]] = Counter()
    pair_seen: dict[frozenset[str], int] = defaultdict(int)
    facts = base.facts()
    for f in facts:
        pair_count[frozenset((f.subject, f.object))] += 1
    fact_vis = {f.id: f"e{i}" for i, f in enumerate(facts)}
    for i, f in enumerate(facts):
        rt = onto.relation(f.relation)
        pair = frozenset((f.subject, f.object))
        j = pair_seen[pair]
        pair_seen[pair] += 1
        smooth: Any = {"enabled": True, "type": "curvedCW", "roundness": round(0.15 * (j + 1), 2)} if pair_count[pair] > 1 else False
        vf, vt, kn = fact_window(f)
        tip = {
            "kind": "edge", "id": f.id, "relation": f.relation, "from": base.entity(f.subject).name, "to": base.entity(f.object).name,
            "since": f.since, "until": f.until, "confidence": f.confidence,
            "properties": [[str(pk), str(pv)] for pk, pv in sorted(f.properties.items())], "sources": _sources(f.sources),
            "description": rt.description,
        }
        net.add_edge(vis_ids[f.subject], vis_ids[f.object], id=fact_vis[f.id], color=_color(rt.color), rel=f.relation, tip=tip,
                     smooth=smooth, vf=vf, vt=vt, kn=kn, **({"arrows": ""} if rt.symmetric else {}))
    nodes, edges, *_ = net.get_network_data()

    start_set = set(start)
    open_view = base.as_of(date) if date else base
    start_edges = [fact_vis[f.id] for f in open_view.facts() if f.subject in start_set and f.object in start_set]
    type_counts = Counter(base.G.nodes[k]["type"] for k in base.G.nodes)
    rel_counts = Counter(f.relation for f in facts)
    legend_types = [{"name": t, "label": et.label, "color": _color(et.color), "shape": et.shape, "count": type_counts[t], "description": et.description}
                    for t, et in onto.entity_types.items() if type_counts[t]]
    legend_relations = [{"name": r, "color": _color(rt.color), "count": rel_counts[r], "description": rt.description, "symmetric": rt.symmetric}
                        for r, rt in onto.relation_types.items() if rel_counts[r]]
    if heading is None:
        heading = f"Neighbourhood of {base.entity(focus_id).name} ({hops} hop{'s' if hops != 1 else ''})" if focus_id else "The Chinese AI ecosystem: whole graph"
        if date:
            heading += f", as of {date}"
    size_label = {"degree": "number of facts (degree)", "pagerank": "PageRank", "policy_proximity": "policy proximity"}.get(measure, measure)
    if measure not in ("degree", "pagerank") and len(scores) < base.number_of_entities():
        size_label += f" (entities without a {measure} value drawn at base size)"
    notes = []
    total = open_view.number_of_entities()
    if len(start) < total:
        why = (f"the entities within {hops} hop{'s' if hops != 1 else ''} of {base.entity(focus_id).name}" + (f", at most {cap}, closest first" if cap else "")) if focus_id \
            else f"the {len(start)} most important entities (highest PageRank) with at least one fact"
        notes.append(f"Opened on {len(start):,} of {total:,} entities: {why}. Double-click a node to add its neighbours, "
                     f"\u201cShow all\u201d draws everything, \u201cCollapse\u201d comes back here.")
    dates = sorted({d for ed in edges for d in (ed["vf"], ed["vt"], ed["kn"]) if d} | {n["born"] for n in nodes if n.get("born")})
    trees: dict[str, Any] = {}
    if ownership:
        names = {k: base.entity(k).name for k in base.G.nodes}
        for eid, t in ownership_trees(base, as_of=date).items():
            if eid in vis_ids:
                trees[vis_ids[eid]] = _tree_records(t, vis_ids, fact_vis, names)
    rule = {"focus": vis_ids[focus_id] if focus_id else None, "hops": hops, "cap": cap, "date": date}
    return NetworkView(heading, nodes, edges, legend_types, legend_relations, size_label, notes, vis_ids,
                       [vis_ids[k] for k in start], start_edges, rule, trees, dates)


# ------------------------------------------------------------------------------------------ rendering
_TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS as shipped inside pyvis, checked safe to inline."""
    import pyvis

    root = Path(pyvis.__file__).parent / "templates" / "lib"
    dirs = sorted(root.glob("vis-9.1.2")) or sorted(root.glob("vis-*"), key=lambda p: [int(x) if x.isdigit() else 0 for x in p.name[4:].split(".")])
    if not dirs:
        raise KGError(f"pyvis ships no vis-network library under {root}; reinstall pyvis (`pip install 'pyvis>=0.3.2'`)")
    js = (dirs[-1] / "vis-network.min.js").read_text(encoding="utf-8")
    css = (dirs[-1] / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():
        raise KGError(f"{dirs[-1]} contains a closing tag and cannot be inlined safely; pin pyvis to 0.3.2")
    return js, css


@lru_cache(maxsize=1)
def _explorer_js() -> str:
    js = (_TEMPLATES / "explorer.js").read_text(encoding="utf-8")
    if "</script" in js.lower():  # pragma: no cover
        raise KGError("explorer.js contains a closing script tag and cannot be inlined")
    return js


@lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(str(_TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_template(name: str, **context: Any) -> str:
    """Render one of cnaikg's page templates with autoescaping on, vis-network and the explorer script inlined.

    >>> "<script>" in render_template("viz_page.html", view=network_view(__import__("cnaikg").build_graph(), focus="smic", ownership=False), title="t")
    True
    """
    from markupsafe import Markup

    js, css = _vis_assets()
    return _environment().get_template(name).render(vis_js=Markup(js), vis_css=Markup(css), explorer_js=Markup(_explorer_js()), **context)


def network_html(kg: "KnowledgeGraph", **options: Any) -> str:
    """The whole page of a network view as a string; ``options`` as for :func:`network_view`.

    >>> from cnaikg.graph import build_graph
    >>> network_html(build_graph(), focus="alibaba", ownership=False).startswith("<!DOCTYPE html>")
    True
    """
    view = network_view(kg, **options)
    return render_template("viz_page.html", view=view, title=view.heading)


def write_network_html(kg: "KnowledgeGraph", path: str | Path, **options: Any) -> NetworkView:
    """Write a network view to ``path`` atomically (byte-identical for identical input); return what was drawn.

    >>> import tempfile, pathlib
    >>> from cnaikg.graph import build_graph
    >>> v = write_network_html(build_graph(), pathlib.Path(tempfile.mkdtemp()) / "smic.html", focus="smic", ownership=False)
    >>> v.number_of_nodes > 1
    True
    """
    p = Path(path)
    if p.suffix.lower() not in (".html", ".htm"):
        raise ViewError(f"{p} does not end in .html; name the output e.g. network.html")
    view = network_view(kg, **options)
    write_text_atomic(p, render_template("viz_page.html", view=view, title=view.heading))
    return view


def build_viz(kg: "KnowledgeGraph", out: Path, ctx: Any) -> list[Path]:
    """Build step: out/network.html (whole graph) and out/network-<id>.html for each seed company present."""
    features = ctx.results.get("features")
    written = [out / "network.html"]
    write_network_html(kg, written[0], features=features)
    for seed in SEED_COMPANIES:
        if seed not in kg:
            log(f"viz: seed company {seed!r} is not in the graph; no focused view written")
            continue
        p = out / f"network-{seed}.html"
        write_network_html(kg, p, focus=seed, hops=2, max_nodes=150, features=features)
        written.append(p)
    return written
