"""Interactive network views: one self-contained, offline, injection-safe HTML file per view (pyvis + vis-network).

pyvis builds the node and edge records; the page is rendered from cnaikg's own
template (graph/viz_page.html) with Jinja autoescaping, because pyvis 0.3.2's
template is rendered raw, switches to an ``innerHTML`` tooltip template when a
tooltip contains ``href`` and links Bootstrap from a CDN. Here:

- every string from the data reaches the page only as escaped JSON inside a
  ``<script type="application/json">`` block, or as autoescaped text;
- tooltips and the details panel are built from DOM text nodes (``textContent``),
  links only for http(s) URLs;
- vis-network ids are opaque (``n0``, ``e0``); entity ids never become markup;
- vis-network's JavaScript and CSS are inlined, nothing is fetched from any host;
- positions are computed in Python (seeded networkx layout) and physics is off,
  so a 2,000-node page is ready in about a second and never jiggles.

>>> from cnaikg.graph import build_graph
>>> html = network_html(build_graph(), focus="deepseek", hops=1)
>>> "<script src=" in html, "cdn.jsdelivr.net" in html, "bootstrap" in html
(False, False, False)
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import networkx as nx

from cnaikg.errors import KGError
from cnaikg.io import write_text_atomic
from cnaikg.progress import log

if TYPE_CHECKING:
    import pandas as pd

    from cnaikg.context import BuildContext
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = [
    "SEED_COMPANIES",
    "SIZE_BY",
    "NetworkView",
    "ViewError",
    "network_view",
    "network_html",
    "write_network_html",
    "node_scores",
    "layout_positions",
    "scoring_features",
    "build_viz",
    "render_template",
]

#: Companies that `cnaikg build` draws a focused view of (out/network-<id>.html); named in the README.
SEED_COMPANIES: tuple[str, ...] = ("deepseek", "moonshot-ai", "zhipu-ai", "minimax", "cambricon", "moore-threads", "smic", "alibaba")
#: Measures a node's size can follow; ``auto`` is policy proximity when scores exist, else degree.
SIZE_BY: tuple[str, ...] = ("auto", "policy_proximity", "pagerank", "degree")

MIN_SIZE, MAX_SIZE, BASE_SIZE = 8.0, 40.0, 10.0


class ViewError(KGError):
    """A view option is wrong (unknown size measure, hops below 0, nothing left to draw)."""


@dataclass
class NetworkView:
    """What one page draws: vis-network node and edge records, legend rows and a note on what was left out."""

    heading: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend_types: list[dict[str, Any]]
    legend_relations: list[dict[str, Any]]
    size_label: str
    notes: list[str] = field(default_factory=list)
    vis_ids: dict[str, str] = field(default_factory=dict)

    @property
    def number_of_nodes(self) -> int:
        """Nodes drawn."""
        return len(self.nodes)

    @property
    def number_of_edges(self) -> int:
        """Edges (facts) drawn."""
        return len(self.edges)

    def payload(self) -> dict[str, Any]:
        """The JSON the page script reads (ids, records, legend and the entity-id -> vis-id map)."""
        return {"nodes": self.nodes, "edges": self.edges, "ids": self.vis_ids}


# ------------------------------------------------------------------------------------------ scores
def scoring_features(kg: "KnowledgeGraph") -> "pd.DataFrame | None":
    """Company features from the scoring module (``cnaikg.queries.features``), or None when it is not installed.

    >>> from cnaikg.graph import build_graph
    >>> f = scoring_features(build_graph())
    >>> f is None or "policy_proximity" in f.columns
    True
    """
    try:
        from cnaikg.queries import features as mod  # type: ignore[attr-defined]
    except ImportError:
        return None
    fn = getattr(mod, "company_features", None) or getattr(mod, "features", None)
    return fn(kg) if callable(fn) else None


def _degree(kg: "KnowledgeGraph") -> dict[str, float]:
    return {n: float(d) for n, d in kg.G.degree()}


def _pagerank(kg: "KnowledgeGraph") -> dict[str, float]:
    simple = nx.DiGraph()
    simple.add_nodes_from(sorted(kg.G.nodes))
    simple.add_edges_from((u, v) for u, v in kg.G.edges())
    if simple.number_of_nodes() == 0:
        return {}
    return nx.pagerank(simple.to_undirected(as_view=False), tol=1e-10)


def node_scores(kg: "KnowledgeGraph", *, size_by: str = "auto", features: "pd.DataFrame | None" = None) -> tuple[dict[str, float], str]:
    """The value each node is sized by, and the measure's name.

    ``size_by`` is ``auto`` (policy proximity when ``features`` has it, else
    degree), ``degree``, ``pagerank`` (computed with networkx when ``features``
    lacks it) or any numeric column of ``features``. Entities without a value
    (e.g. non-companies for a company score) are absent from the result.

    >>> from cnaikg.graph import build_graph
    >>> scores, measure = node_scores(build_graph(), size_by="degree")
    >>> measure, scores["smic"] > 1
    ('degree', True)
    """
    if size_by == "auto":
        size_by = "policy_proximity" if features is not None and "policy_proximity" in features.columns else "degree"
    if size_by == "degree":
        return _degree(kg), "degree"
    if features is not None and size_by in features.columns:
        col = features[size_by]
        out = {}
        for eid, v in col.items():
            if eid in kg.G and v is not None and not (isinstance(v, float) and math.isnan(v)):
                out[str(eid)] = float(v)
        return out, size_by
    if size_by == "pagerank":
        return _pagerank(kg), "pagerank"
    known = ["auto", "degree", "pagerank"] + ([str(c) for c in features.columns] if features is not None else [])
    hint = "" if features is not None else " (policy scores need the scoring module: run `cnaikg build`, or use degree/pagerank)"
    raise ViewError(f"cannot size nodes by {size_by!r}; use one of {', '.join(known)}{hint}")


def _importance(kg: "KnowledgeGraph", scores: Mapping[str, float]) -> dict[str, float]:
    """A 0..1 rank of every node: its percentile by score when it has one, else by degree (so funds are not dropped first)."""
    deg = _degree(kg)

    def pct(values: Mapping[str, float]) -> dict[str, float]:
        order = sorted(values, key=lambda k: (values[k], k))
        n = max(len(order) - 1, 1)
        return {k: i / n for i, k in enumerate(order)}

    scored = pct({k: v for k, v in scores.items() if k in kg.G})
    by_degree = pct({k: v for k, v in deg.items() if k not in scored})
    return {**by_degree, **scored}


# ------------------------------------------------------------------------------------------ layout
def layout_positions(G: nx.Graph, *, seed: int = 7) -> dict[Any, tuple[int, int]]:
    """Integer canvas positions for every node: a seeded spring layout (same graph, same positions).

    Disconnected parts are laid out one by one: the largest at the centre,
    the small ones stacked in columns beside it, so islands do not fly off.

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

    def local(comp: list[Any]) -> tuple[dict[Any, tuple[float, float]], float]:
        n = len(comp)
        if n == 1:
            return {comp[0]: (0.0, 0.0)}, 25.0
        radius = 80.0 * math.sqrt(n) + 60.0
        sub = nx.Graph()  # a fresh graph in sorted order: subgraph views iterate a set, whose order changes per process
        sub.add_nodes_from(comp)
        sub.add_edges_from(sorted((u, v) if str(u) <= str(v) else (v, u) for u, v in U.subgraph(comp).edges()))
        raw = nx.spring_layout(sub, seed=seed, k=2.0 / math.sqrt(n), iterations=60 if n > 500 else 100)
        return {k: (float(v[0]) * radius, float(v[1]) * radius) for k, v in raw.items()}, radius

    # the largest part at the centre, the small ones stacked in columns to its right
    main, main_r = local(comps[0])
    for k, (x, y) in main.items():
        pos[k] = (int(round(x)), int(round(y)))
    gap = 50.0
    col_x, y, col_w = main_r + 2 * gap, -main_r, 0.0
    for comp in comps[1:]:
        loc, r = local(comp)
        if y + 2 * r > main_r and y > -main_r:
            col_x, y, col_w = col_x + col_w + gap, -main_r, 0.0
        for k, (x, yy) in loc.items():
            pos[k] = (int(round(col_x + r + x)), int(round(y + r + yy)))
        y += 2 * r + gap
        col_w = max(col_w, 2 * r)
    return pos


# ------------------------------------------------------------------------------------------ selection
def _split_names(values: "str | Iterable[str] | None") -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = values.split(",")
    return [v.strip() for v in values if v and v.strip()]


def _select(kg: "KnowledgeGraph", *, focus: str | None, hops: int, types: Sequence[str], relations: Sequence[str]) -> tuple["KnowledgeGraph", str | None, dict[str, int]]:
    from cnaikg.graph.kg import KnowledgeGraph

    onto = kg.ontology
    for t in types:
        onto.entity_type(t)
    rels = [r.upper() for r in relations]
    for r in rels:
        onto.relation(r)
    focus_id = kg.resolve(focus).id if focus else None
    if hops < 0:
        raise ViewError(f"--hops must be 0 or more, not {hops}")
    ents = [e for e in kg.entities() if not types or e.type in types or e.id == focus_id]
    keep = {e.id for e in ents}
    facts = [f for f in kg.facts() if f.subject in keep and f.object in keep and (not rels or f.relation in rels)]
    if rels:  # a relation filter asks for that network: drop entities it leaves unconnected
        touched = {f.subject for f in facts} | {f.object for f in facts} | ({focus_id} if focus_id else set())
        ents = [e for e in ents if e.id in touched]
    view = KnowledgeGraph(ents, facts, onto, as_of=kg.as_of_date)
    dist: dict[str, int] = {}
    if focus_id:
        dist = dict(nx.single_source_shortest_path_length(view.G.to_undirected(as_view=True), focus_id, cutoff=hops))
        view = view.subgraph(dist)
    return view, focus_id, dist


def _cut(kg: "KnowledgeGraph", max_nodes: int | None, importance: Mapping[str, float], dist: Mapping[str, int], focus_id: str | None, measure: str) -> tuple["KnowledgeGraph", list[str]]:
    n = kg.number_of_entities()
    if not max_nodes or n <= max_nodes:
        return kg, []
    if max_nodes < 1:
        raise ViewError(f"--max-nodes must be at least 1, not {max_nodes}")
    order = sorted(kg.G.nodes, key=lambda k: (k != focus_id, dist.get(k, 0), -importance.get(k, 0.0), k))
    kept = order[:max_nodes]
    dropped = order[max_nodes:]
    small = kg.subgraph(kept)
    by_type = Counter(kg.G.nodes[k]["type"] for k in dropped)
    labels = ", ".join(f"{c} {kg.ontology.entity_type(t).label.lower()}" for t, c in sorted(by_type.items(), key=lambda x: (-x[1], x[0])))
    how = "farthest from the focus, then " if focus_id else ""
    note = (f"Showing {len(kept):,} of {n:,} entities (--max-nodes {max_nodes}): left out {len(dropped):,} entities "
            f"({labels}) and {kg.number_of_facts() - small.number_of_facts():,} facts touching them, {how}smallest by {measure} first.")
    return small, [note]


# ------------------------------------------------------------------------------------------ records
_HEX = __import__("re").compile(r"^#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?$")


def _color(value: str) -> str:
    """A hex colour from the ontology, or grey when it is not one (colours reach a style attribute)."""
    return value if _HEX.match(value or "") else "#999999"


def _fmt_score(v: float) -> str:
    return f"{v:.4g}" if isinstance(v, float) and not float(v).is_integer() else str(int(v))


def _sources(items: Iterable[Any]) -> list[dict[str, str]]:
    return [{"url": s.url, "publisher": s.publisher, "published": s.published, "title": getattr(s, "title", "")} for s in items]


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
) -> NetworkView:
    """Select, score and lay out what one page draws.

    Parameters
    ----------
    kg : KnowledgeGraph
    focus : str, optional
        Id, name, alias or ticker of the entity whose neighbourhood to draw.
    hops : int
        Radius of the neighbourhood around ``focus``.
    as_of : str, optional
        Draw the graph as it stood on this date (``kg.as_of``).
    types, relations : list or comma-separated str, optional
        Entity types / relationship types to draw (ontology names).
    max_nodes : int, optional
        Keep at most this many entities, largest by score (or degree) first; the page says what was left out.
    size_by : str
        ``auto`` (policy proximity when ``features`` has it, else degree), ``degree``, ``pagerank`` or a feature column.
    features : pandas.DataFrame, optional
        Company features indexed by entity id (the scoring step's ``ctx.results["features"]``).

    >>> from cnaikg.graph import build_graph
    >>> v = network_view(build_graph(), focus="smic", hops=1, max_nodes=10)
    >>> v.number_of_nodes <= 10 and v.vis_ids["smic"] == "n0"
    True
    """
    if as_of:
        kg = kg.as_of(as_of)
    type_list, rel_list = _split_names(types), _split_names(relations)
    view, focus_id, dist = _select(kg, focus=focus, hops=hops, types=type_list, relations=rel_list)
    scores, measure = node_scores(view, size_by=size_by, features=features)
    view, notes = _cut(view, max_nodes, _importance(view, scores), dist, focus_id, measure)
    if view.number_of_entities() == 0:
        raise ViewError("nothing to draw: the filters leave no entity; loosen --types/--relations/--as-of")
    onto = view.ontology
    deg = _degree(view)

    # sizes: sqrt-scaled between MIN_SIZE and MAX_SIZE over the drawn nodes with a value
    vals = [scores[k] for k in view.G.nodes if k in scores]
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 0.0)

    def size(k: str) -> float:
        if k not in scores:
            return BASE_SIZE
        t = 0.5 if hi == lo else (scores[k] - lo) / (hi - lo)
        return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(max(t, 0.0)), 2)

    order = sorted(view.G.nodes, key=lambda k: (k != focus_id, k))
    vis_ids = {k: f"n{i}" for i, k in enumerate(order)}
    pos = layout_positions(view.G, seed=seed)
    if focus_id:  # centre the page on the focus
        fx, fy = pos[focus_id]
        pos = {k: (x - fx, y - fy) for k, (x, y) in pos.items()}

    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    feat_cols = [c for c in ("policy_proximity", "pagerank") if features is not None and c in features.columns]
    for k in order:
        e = view.entity(k)
        et = onto.entity_type(e.type)
        score_rows = [[measure, _fmt_score(scores[k])]] if k in scores else []
        if measure != "degree":
            score_rows.append(["facts drawn", str(int(deg.get(k, 0)))])
        for c in feat_cols:
            if c != measure and k in features.index:  # type: ignore[union-attr]
                v = features.at[k, c]  # type: ignore[union-attr]
                if v is not None and not (isinstance(v, float) and math.isnan(v)):
                    score_rows.append([c, _fmt_score(float(v))])
        tip = {
            "kind": "node", "id": e.id, "name": e.name, "name_zh": e.name_zh, "type": et.label, "category": e.category,
            "tickers": list(e.tickers), "aliases": list(e.aliases), "founded": e.founded, "scores": score_rows,
            "sources": _sources(e.sources),
        }
        search = sorted({s for s in (e.id, e.name, e.name_zh, *e.aliases, *e.tickers, *(t.split(".")[0] for t in e.tickers)) if s})
        x, y = pos[k]
        net.add_node(vis_ids[k], label=e.name, shape=et.shape, color=_color(et.color), size=size(k), x=x, y=y,
                     etype=e.type, tip=tip, search=search)
    pair_count: Counter[frozenset[str]] = Counter()
    pair_seen: dict[frozenset[str], int] = defaultdict(int)
    facts = view.facts()
    for f in facts:
        pair_count[frozenset((f.subject, f.object))] += 1
    for i, f in enumerate(facts):
        rt = onto.relation(f.relation)
        pair = frozenset((f.subject, f.object))
        j = pair_seen[pair]
        pair_seen[pair] += 1
        smooth: Any = {"enabled": True, "type": "curvedCW", "roundness": round(0.15 * (j + 1), 2)} if pair_count[pair] > 1 else False
        tip = {
            "kind": "edge", "relation": f.relation, "from": view.entity(f.subject).name, "to": view.entity(f.object).name,
            "since": f.since, "until": f.until, "confidence": f.confidence,
            "properties": [[str(pk), str(pv)] for pk, pv in sorted(f.properties.items())], "sources": _sources(f.sources),
            "description": rt.description,
        }
        net.add_edge(vis_ids[f.subject], vis_ids[f.object], id=f"e{i}", color=_color(rt.color), rel=f.relation, tip=tip,
                     smooth=smooth, **({"arrows": ""} if rt.symmetric else {}))
    nodes, edges, *_ = net.get_network_data()

    type_counts = Counter(view.G.nodes[k]["type"] for k in view.G.nodes)
    rel_counts = Counter(f.relation for f in facts)
    legend_types = [{"name": t, "label": et.label, "color": _color(et.color), "shape": et.shape, "count": type_counts[t], "description": et.description}
                    for t, et in onto.entity_types.items() if type_counts[t]]
    legend_relations = [{"name": r, "color": _color(rt.color), "count": rel_counts[r], "description": rt.description, "symmetric": rt.symmetric}
                        for r, rt in onto.relation_types.items() if rel_counts[r]]
    if heading is None:
        heading = f"Neighbourhood of {view.entity(focus_id).name} ({hops} hop{'s' if hops != 1 else ''})" if focus_id else "The Chinese AI ecosystem: whole graph"
        if kg.as_of_date:
            heading += f", as of {kg.as_of_date.isoformat()}"
    size_label = {"degree": "number of facts (degree)", "pagerank": "PageRank", "policy_proximity": "policy proximity"}.get(measure, measure)
    if measure not in ("degree", "pagerank") and len(scores) < view.number_of_entities():
        size_label += f" (entities without a {measure} value drawn at base size)"
    return NetworkView(heading, nodes, edges, legend_types, legend_relations, size_label, notes, vis_ids)


# ------------------------------------------------------------------------------------------ rendering
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
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(str(Path(__file__).parent)), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_template(name: str, **context: Any) -> str:
    """Render one of cnaikg's page templates with autoescaping on, vis-network inlined as ``vis_js``/``vis_css``.

    >>> "<script>" in render_template("viz_page.html", view=network_view(__import__("cnaikg").build_graph(), focus="smic"), title="t")
    True
    """
    from markupsafe import Markup

    js, css = _vis_assets()
    return _environment().get_template(name).render(vis_js=Markup(js), vis_css=Markup(css), **context)


def network_html(kg: "KnowledgeGraph", **options: Any) -> str:
    """The whole page of a network view as a string; ``options`` as for :func:`network_view`.

    >>> from cnaikg.graph import build_graph
    >>> network_html(build_graph(), focus="alibaba").startswith("<!DOCTYPE html>")
    True
    """
    view = network_view(kg, **options)
    return render_template("viz_page.html", view=view, title=view.heading)


def write_network_html(kg: "KnowledgeGraph", path: str | Path, **options: Any) -> NetworkView:
    """Write a network view to ``path`` atomically (byte-identical for identical input); return what was drawn.

    >>> import tempfile, pathlib
    >>> from cnaikg.graph import build_graph
    >>> v = write_network_html(build_graph(), pathlib.Path(tempfile.mkdtemp()) / "smic.html", focus="smic")
    >>> v.number_of_nodes > 1
    True
    """
    p = Path(path)
    if p.suffix.lower() not in (".html", ".htm"):
        raise ViewError(f"{p} does not end in .html; name the output e.g. network.html")
    view = network_view(kg, **options)
    write_text_atomic(p, render_template("viz_page.html", view=view, title=view.heading))
    return view


def build_viz(kg: "KnowledgeGraph", out: Path, ctx: "BuildContext") -> list[Path]:
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
