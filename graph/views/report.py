"""The one-page report (out/report.html): counts, the network of the top companies, a sortable top-30 table and a scatter plot.

Self-contained and offline like the explorer pages (same autoescaped
templates, vis-network inlined, no request to any host). The build date is
taken from the data (the newest source publication date), so identical data
give a byte-identical file.

The ranking is the one `cnaikg build` prints (:func:`cnaikg.queries.ranking.ranked_companies`:
companies that are not state actors themselves, by policy proximity); the
report computes the features itself when the build did not pass them. Each
row's explanation is written for a reader: the main reason, then the facts of
the strongest path to a state actor with their relation, counterpart, dates
and source.

>>> from cnaikg.graph import build_graph
>>> html = report_html(build_graph())
>>> "<table" in html and "<svg" in html and "<script src=" not in html
True
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from cnaikg.graph.dates import parse_date
from cnaikg.graph.views.viz import NetworkView, _degree, network_view, render_template, scoring_features
from cnaikg.io import write_text_atomic

if TYPE_CHECKING:
    import pandas as pd

    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.model import Fact

__all__ = ["ReportRow", "ReportData", "report_data", "report_html", "write_report", "build_report", "reader_explanation", "data_date", "SCATTER_LABELS"]

#: How many of the best-ranked companies the scatter plot names (the page says so, and shows exactly that many).
SCATTER_LABELS = 10
#: Words for the proximity components (cnaikg.queries.proximity.COMPONENTS); unknown names are shown with spaces.
_COMPONENT_WORDS = {
    "direct_state_equity": "a state shareholder",
    "lookthrough_state_equity": "state ownership through a chain of holdings",
    "state_lab_university_ties": "ties to state universities and labs",
    "state_partnerships": "partnerships with state bodies",
    "soe_customers_suppliers": "state-owned customers or suppliers",
    "state_programmes": "state programmes",
    "state_diffusion": "a short path to a state actor",
}


@dataclass
class ReportRow:
    """One company of the ranking."""

    rank: int
    id: str
    name: str
    name_zh: str
    category: str
    tickers: list[str]
    policy_proximity: float | None
    pagerank: float
    degree: int
    explanation: str
    evidence: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ReportData:
    """Everything the report shows, computed before rendering."""

    date: str
    counts: dict[str, int]
    by_type: list[tuple[str, int]]
    by_relation: list[tuple[str, int]]
    rows: list[ReportRow]
    scored: bool
    network: NetworkView
    scatter: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    definition: str = ""


def data_date(kg: "KnowledgeGraph") -> str:
    """The newest publication date among the graph's sources, as written in the data ('' when there is none).

    Partial dates compare by their first day, so '2025-11-03' is newer than '2025'.

    >>> from cnaikg.graph import build_graph
    >>> len(data_date(build_graph())) >= 4
    True
    """
    best, text = None, ""
    for s in kg.sources():
        if not s.published:
            continue
        try:
            end = parse_date(s.published).start
        except ValueError:
            continue
        if best is None or end > best:
            best, text = end, s.published
    return text


def _safe_url(url: str) -> str:
    return url if url.startswith(("https://", "http://")) else ""


def _phrase(relation: str) -> str:
    """A relation as a verb phrase: INVESTS_IN -> 'invests in', SUBSIDIARY_OF -> 'is subsidiary of'."""
    words = relation.lower().replace("_", " ")
    if words.startswith("founded"):
        return "was " + words
    return words if words.split()[0].endswith("s") else "is " + words


def _hop_text(kg: "KnowledgeGraph", f: "Fact") -> tuple[str, dict[str, str]]:
    """One fact in words with its dates, and its earliest source as a (label, url) record."""
    stake = f.properties.get("stake_pct")
    what = f"{kg.entity(f.subject).name} {_phrase(f.relation)} {kg.entity(f.object).name}" + (f" ({float(stake):g}%)" if stake is not None else "")
    when = f"{f.since} to {f.until}" if f.since and f.until else (f"since {f.since}" if f.since else (f"until {f.until}" if f.until else "date not stated"))
    srcs = sorted(f.sources, key=lambda s: (s.published, s.id))
    src = {"label": f"{srcs[0].publisher}, {srcs[0].published}" if srcs else "no source", "url": _safe_url(srcs[0].url) if srcs else ""}
    return f"{what} ({when})", src


def reader_explanation(kg: "KnowledgeGraph", explanation: Any) -> tuple[str, list[dict[str, str]]]:
    """The main reason a company scores what it scores, in words, and the sources of the facts it cites.

    ``explanation`` is a :class:`cnaikg.queries.explain.Explanation`; the text
    names the main component, then each fact of the strongest path to a state
    actor: who, the relation, the counterpart, the dates; the sources come back
    as records (label, http(s) url) for the page to link.

    >>> from cnaikg.graph import build_graph
    >>> from cnaikg.queries.explain import explain
    >>> kg = build_graph()
    >>> text, sources = reader_explanation(kg, explain(kg, "zhipu-ai"))
    >>> text.startswith("Mainly ") and "Zhipu AI" in text and bool(sources)
    True
    """
    comps = getattr(explanation, "components", None) or []
    if not comps:
        return "No tie to any state actor in the graph.", []
    facts = {f.id: f for f in kg.facts()}
    main = str(comps[0].get("component", ""))
    text = "Mainly " + _COMPONENT_WORDS.get(main, main.replace("_", " "))
    paths = getattr(explanation, "paths", None) or []
    hops, sources = [], []
    if paths:
        for hop in paths[0].hops:
            f = facts.get(hop.fact_id)
            if f is None:
                continue
            words, src = _hop_text(kg, f)
            hops.append(words)
            sources.append(src)
        actor = kg.entity(paths[0].actor).name if paths[0].actor in kg else paths[0].actor
        text += f": {'; '.join(hops)}" if hops else ""
        text += f" \u2014 {len(paths[0].hops)} steps to {actor}." if len(paths[0].hops) > 1 else "."
    else:
        text += "."
    return text, sources


def _feature(features: "pd.DataFrame | None", col: str, eid: str) -> float | None:
    if features is None or col not in features.columns or eid not in features.index:
        return None
    v = features.at[eid, col]
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _top_network(kg: "KnowledgeGraph", top_ids: list[str], features: "pd.DataFrame | None", max_nodes: int) -> NetworkView:
    """The top companies, the facts among them and the entities that connect two or more of them."""
    top = set(top_ids)
    shared: Counter[str] = Counter()
    for eid in top_ids:
        for n in {f.object if f.subject == eid else f.subject for f in kg.facts_of(eid)}:
            if n not in top:
                shared[n] += 1
    keep = top | {n for n, c in shared.items() if c >= 2}
    return network_view(kg.subgraph(keep), features=features, max_nodes=max_nodes,
                        heading=f"The top {len(top_ids)} companies and the entities that connect them")


def _scatter(rows: list[ReportRow], *, width: int = 900, height: int = 460, labels: int = SCATTER_LABELS) -> dict[str, Any]:
    """Point coordinates for the inline SVG scatter (x = PageRank, y = policy proximity); exactly ``labels`` points named.

    Each of the best ``labels`` companies gets its name beside it, at the first
    of twenty candidate spots (right or left, nearer first) inside the plot that
    overlaps no name already placed; if none is free, the first spot inside the
    plot is used, so the promise of that many names always holds.
    """
    pad_l, pad_r, pad_t, pad_b = 64, 190, 16, 48
    pts = [(r, r.pagerank, r.policy_proximity) for r in rows if r.policy_proximity is not None]
    xmax = max((x for _, x, _ in pts), default=1.0) or 1.0
    ymax = max((y for _, _, y in pts), default=1.0) or 1.0
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    out: list[dict[str, Any]] = []
    placed: list[tuple[float, float, float, float]] = []
    for r, x, y in sorted(pts, key=lambda p: p[0].rank):
        cx, cy = round(pad_l + plot_w * x / xmax, 1), round(pad_t + plot_h * (1 - y / ymax), 1)
        name = r.name if len(r.name) <= 28 else r.name[:27] + "\u2026"
        point: dict[str, Any] = {"cx": cx, "cy": cy, "name": name, "rank": r.rank, "label": r.rank <= labels,
                                 "tip": f"{r.name}: policy proximity {y:.3g}, PageRank {x:.3g}"}
        if point["label"]:
            w = 6.2 * len(name) + 4
            spots = [(8 if side == "start" else -8, dy, side) for dy in (4, -9, 17, -22, 30, -35, 43, -48, 56, -61) for side in ("start", "end")]

            def box_at(spot: tuple[int, int, str]) -> tuple[float, float, float, float]:
                dx, dy, side = spot
                x0 = cx + dx if side == "start" else cx + dx - w
                return (x0, cy + dy - 11, x0 + w, cy + dy + 3)

            def inside(b: tuple[float, float, float, float]) -> bool:
                return b[0] >= pad_l + 2 and b[2] <= width - 2 and b[1] >= 0 and b[3] <= pad_t + plot_h

            def free(b: tuple[float, float, float, float]) -> bool:
                return not any(b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3] for o in placed)

            spot = next((sp for sp in spots if inside(box_at(sp)) and free(box_at(sp))), None) \
                or next((sp for sp in spots if inside(box_at(sp))), spots[0])
            anchor = spot[2]
            box = box_at(spot)
            placed.append(box)
            point.update(lx=round(box[0] if anchor == "start" else box[2], 1), ly=round(box[3] - 3, 1), anchor=anchor,
                         leader=spot[1] not in (4, -9))  # a label moved away from its dot gets a thin line to it
        out.append(point)
    ticks_x = [{"x": round(pad_l + plot_w * f, 1), "text": f"{xmax * f:.3g}"} for f in (0, 0.25, 0.5, 0.75, 1)]
    ticks_y = [{"y": round(pad_t + plot_h * (1 - f), 1), "text": f"{ymax * f:.3g}"} for f in (0, 0.25, 0.5, 0.75, 1)]
    out.reverse()  # best drawn last, on top
    return {"width": width, "height": height, "points": out, "ticks_x": ticks_x, "ticks_y": ticks_y, "labels": min(labels, len(pts)),
            "left": pad_l, "right": width - pad_r, "top": pad_t, "bottom": height - pad_b,
            "x_label": "PageRank", "y_label": "policy proximity"}


def report_data(kg: "KnowledgeGraph", *, features: "pd.DataFrame | None" = None, top: int = 30, network_top: int = 12, network_max_nodes: int = 90) -> ReportData:
    """Compute what the report shows: counts, the ranking of companies, the top-companies network and the scatter.

    ``features`` is the scoring step's table (computed here when not given);
    the ranking is :func:`cnaikg.queries.ranking.ranked_companies`, the one
    `cnaikg build` prints.

    >>> from cnaikg.graph import build_graph
    >>> d = report_data(build_graph(), top=5)
    >>> len(d.rows), d.scored, d.rows[0].rank
    (5, True, 1)
    """
    from cnaikg.queries.arrays import graph_arrays
    from cnaikg.queries.explain import explain_arrays
    from cnaikg.queries.ranking import COMPANY_DEFINITION, ranked_companies

    onto = kg.ontology
    if features is None:
        features = scoring_features(kg)
    if features is None:  # pragma: no cover - the scoring modules ship with cnaikg
        raise RuntimeError("the report needs cnaikg.queries (policy proximity); reinstall cnaikg")
    ranked = ranked_companies(features)
    deg = _degree(kg)
    ga = graph_arrays(kg)
    rows = []
    for i, (cid, rec) in enumerate(ranked.iterrows(), 1):
        e = kg.entity(str(cid))
        text, evidence = "", list[dict[str, str]]()
        if i <= top:
            text, evidence = reader_explanation(kg, explain_arrays(ga, ga.index[str(cid)], top=1)) if str(cid) in ga.index else ("", [])
        rows.append(ReportRow(i, e.id, e.name, e.name_zh, e.category, list(e.tickers), _feature(features, "policy_proximity", e.id),
                              _feature(features, "pagerank", e.id) or 0.0, int(deg.get(e.id, 0)), text, evidence))
    counts = {"entities": kg.number_of_entities(), "facts": kg.number_of_facts(), "sources": len(kg.sources()), "companies": len(rows)}
    by_type = [(onto.entity_type(t).label, n) for t, n in sorted(kg.counts_by_type().items(), key=lambda x: (-x[1], x[0])) if n]
    by_rel = [(r, n) for r, n in sorted(kg.counts_by_relation().items(), key=lambda x: (-x[1], x[0])) if n]
    network = _top_network(kg, [r.id for r in rows[:network_top]], features, network_max_nodes)
    return ReportData(data_date(kg), counts, by_type, by_rel, rows[:top], True, network, _scatter(rows), [], COMPANY_DEFINITION)


def report_html(kg: "KnowledgeGraph", **options: Any) -> str:
    """The report page as a string; ``options`` as for :func:`report_data`.

    >>> from cnaikg.graph import build_graph
    >>> report_html(build_graph()).count("<tr") > 10
    True
    """
    d = report_data(kg, **options)
    return render_template("report_page.html", report=d, view=d.network, title="cnaikg report: the Chinese AI ecosystem")


def write_report(kg: "KnowledgeGraph", path: str | Path, **options: Any) -> Path:
    """Write the report to ``path`` atomically; return the path.

    >>> import tempfile, pathlib
    >>> from cnaikg.graph import build_graph
    >>> write_report(build_graph(), pathlib.Path(tempfile.mkdtemp()) / "report.html").name
    'report.html'
    """
    return write_text_atomic(path, report_html(kg, **options))


def build_report(kg: "KnowledgeGraph", out: Path, ctx: Any) -> list[Path]:
    """Build step: out/report.html, using the scoring step's features when present."""
    return [write_report(kg, out / "report.html", features=ctx.results.get("features"))]
