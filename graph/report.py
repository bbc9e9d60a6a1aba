"""The one-page report (out/report.html): counts, the network of the top companies, a sortable top-30 table and a scatter plot.

Self-contained and offline like the network views (same autoescaped templates,
vis-network inlined, no request to any host). The build date is taken from the
data (the newest source publication date), so identical data give a
byte-identical file. Uses the scoring step's ``ctx.results["features"]`` and
``ctx.results["explanations"]`` when present; without them it ranks by PageRank
and plots degree against PageRank, both computed here with networkx.

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
from cnaikg.graph.viz import NetworkView, _degree, _pagerank, network_view, render_template
from cnaikg.io import write_text_atomic

if TYPE_CHECKING:
    import pandas as pd

    from cnaikg.context import BuildContext
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = ["ReportRow", "ReportData", "report_data", "report_html", "write_report", "build_report", "main_explanation", "data_date"]

COMPANY = "company"  # the entity type the report ranks (scores are computed for companies)


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


def main_explanation(explanations: Any, entity_id: str) -> str:
    """The main reason a company scores what it scores, from whatever the scoring step left in ``ctx.results``.

    Accepts a mapping (id -> text, list of lines, dict or Explanation object),
    a pandas Series, or a DataFrame indexed by id (first text column).

    >>> main_explanation({"smic": ["state equity 0.9", "partners"]}, "smic")
    'state equity 0.9'
    >>> main_explanation(None, "smic")
    ''
    """
    if explanations is None:
        return ""
    value: Any = None
    try:
        import pandas as pd

        if isinstance(explanations, pd.DataFrame):
            if entity_id not in explanations.index:
                return ""
            row = explanations.loc[entity_id]
            if isinstance(row, pd.DataFrame):
                row = row.iloc[0]
            cols = [c for c in ("main", "explanation", "reason", "text") if c in row.index] or [c for c in row.index if isinstance(row[c], str)]
            return str(row[cols[0]]) if cols else ""
        if isinstance(explanations, pd.Series):
            value = explanations.get(entity_id)
    except ImportError:  # pragma: no cover
        pass
    if value is None and isinstance(explanations, Mapping):
        value = explanations.get(entity_id)
    return _first_line(value)


def _first_line(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip().splitlines()[0] if value.strip() else ""
    if isinstance(value, (list, tuple)):
        return _first_line(value[0]) if value else ""
    if isinstance(value, Mapping):
        for k in ("main", "explanation", "reason", "text", "lines"):
            if k in value:
                return _first_line(value[k])
        return ""
    comps = getattr(value, "components", None)
    if comps:
        c = comps[0]
        details = c.get("details") or []
        head = f"{str(c.get('component', '')).replace('_', ' ')} {float(c.get('value', 0)):.2f}"
        return f"{head}: {details[0]}" if details else head
    if comps is not None:
        return "no path to any state actor"
    return str(value)


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


def _scatter(rows: list[ReportRow], scored: bool, *, width: int = 900, height: int = 460, labels: int = 10) -> dict[str, Any]:
    """Point coordinates for the inline SVG scatter: x = PageRank, y = policy proximity (or degree without scores)."""
    pad_l, pad_r, pad_t, pad_b = 64, 190, 16, 48
    pts = [(r, r.pagerank, (r.policy_proximity if scored else float(r.degree))) for r in rows]
    pts = [(r, x, y) for r, x, y in pts if y is not None]
    xmax = max((x for _, x, _ in pts), default=1.0) or 1.0
    ymax = max((y for _, _, y in pts), default=1.0) or 1.0
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    out, placed = [], []
    for r, x, y in sorted(pts, key=lambda p: p[0].rank):
        cx, cy = round(pad_l + plot_w * x / xmax, 1), round(pad_t + plot_h * (1 - y / ymax), 1)
        label = r.rank <= labels and all(abs(cy - py) > 12 or abs(cx - px) > 150 for px, py in placed)
        if label:
            placed.append((cx, cy))
        out.append({"cx": cx, "cy": cy, "name": r.name if len(r.name) <= 28 else r.name[:27] + "…", "rank": r.rank, "label": label,
                    "tip": f"{r.name}: {'policy proximity' if scored else 'degree'} {y:.3g}, PageRank {x:.3g}"})
    ticks_x = [{"x": round(pad_l + plot_w * f, 1), "text": f"{xmax * f:.3g}"} for f in (0, 0.25, 0.5, 0.75, 1)]
    ticks_y = [{"y": round(pad_t + plot_h * (1 - f), 1), "text": f"{ymax * f:.3g}"} for f in (0, 0.25, 0.5, 0.75, 1)]
    out.reverse()  # best drawn last, on top
    return {"width": width, "height": height, "points": out, "ticks_x": ticks_x, "ticks_y": ticks_y,
            "left": pad_l, "right": width - pad_r, "top": pad_t, "bottom": height - pad_b,
            "x_label": "PageRank", "y_label": "policy proximity" if scored else "degree (number of facts)"}


def report_data(kg: "KnowledgeGraph", *, features: "pd.DataFrame | None" = None, explanations: Any = None, top: int = 30, network_top: int = 12, network_max_nodes: int = 90) -> ReportData:
    """Compute what the report shows: counts, the ranking of companies, the top-companies network and the scatter.

    >>> from cnaikg.graph import build_graph
    >>> d = report_data(build_graph(), top=5)
    >>> len(d.rows), d.scored
    (5, False)
    """
    onto = kg.ontology
    scored = features is not None and "policy_proximity" in features.columns
    pr = _pagerank(kg) if features is None or "pagerank" not in features.columns else {}
    deg = _degree(kg)
    rows = []
    for e in kg.entities(COMPANY):
        p = _feature(features, "pagerank", e.id)
        rows.append(ReportRow(0, e.id, e.name, e.name_zh, e.category, list(e.tickers), _feature(features, "policy_proximity", e.id),
                              p if p is not None else pr.get(e.id, 0.0), int(deg.get(e.id, 0)), main_explanation(explanations, e.id)))
    if scored:
        rows.sort(key=lambda r: (-(r.policy_proximity if r.policy_proximity is not None else -1.0), -r.pagerank, r.id))
    else:
        rows.sort(key=lambda r: (-r.pagerank, r.id))
    for i, r in enumerate(rows, 1):
        r.rank = i
    notes = [] if scored else ["Policy-proximity scores were not available to this build, so companies are ranked by PageRank "
                               "and the scatter plots degree against PageRank (both computed with networkx). "
                               "Run `cnaikg build` with the scoring step to see policy proximity."]
    counts = {"entities": kg.number_of_entities(), "facts": kg.number_of_facts(), "sources": len(kg.sources()), "companies": len(rows)}
    by_type = [(onto.entity_type(t).label, n) for t, n in sorted(kg.counts_by_type().items(), key=lambda x: (-x[1], x[0])) if n]
    by_rel = [(r, n) for r, n in sorted(kg.counts_by_relation().items(), key=lambda x: (-x[1], x[0])) if n]
    network = _top_network(kg, [r.id for r in rows[:network_top]], features, network_max_nodes)
    return ReportData(data_date(kg), counts, by_type, by_rel, rows[:top], scored, network, _scatter(rows, scored), notes)


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


def build_report(kg: "KnowledgeGraph", out: Path, ctx: "BuildContext") -> list[Path]:
    """Build step: out/report.html, using the scoring step's features and explanations when present."""
    return [write_report(kg, out / "report.html", features=ctx.results.get("features"), explanations=ctx.results.get("explanations"))]
