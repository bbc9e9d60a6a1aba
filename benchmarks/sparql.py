"""Benchmark of the RDF export and of every canned SPARQL query on the full graph: rdflib vs oxrdflib vs pyoxigraph.

One command, one run:

    .venv/bin/python benchmarks/sparql.py                 # shipped dataset, 5 runs per query, 60 s budget per query
    .venv/bin/python benchmarks/sparql.py --runs 9 --budget 20 --data path/to/data

Measures: triple count of the exported graph (with and without the ontology),
time to build the RDF graph and to serialise Turtle / N-Triples / JSON-LD,
time to load each store, and the median time of each canned query
(queries/sparql/*.rq) in three engines: rdflib's own SPARQL engine over its
memory store, the Oxigraph store behind the rdflib API (oxrdflib, what
`cnaikg sparql` uses) and pyoxigraph directly (the floor). A query that needs
more than --budget seconds in one run is reported as "> budget". Ratios are
each engine's median / the fastest engine's median in this run. Every engine
must return the same number of rows (checked). Results: a Markdown table on
stdout; progress on stderr.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class Budget(Exception):
    pass


def _alarm(*_: object) -> None:
    raise Budget()


def full_graph(data: str | None):
    """The graph of --data; when the shipped data is mid-edit and invalid, the rows that validate (said on stderr)."""
    from cnaikg.errors import DataError
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.loaders.curated import read_dataset

    try:
        return KnowledgeGraph.from_dataset(data)
    except DataError as exc:
        log(f"note: the dataset has {len(exc.problems)} errors; benchmarking the rows that validate")
        ds = read_dataset(data)
        return KnowledgeGraph(ds.entities.values(), [f for f in ds.facts if f.subject in ds.entities and f.object in ds.entities], ds.ontology)


def timed(fn, runs: int, budget: float) -> tuple[float | None, int]:
    """Median seconds of ``runs`` calls of fn() (None when one exceeds ``budget``) and the row count it returned."""
    ts, n = [], -1
    for _ in range(runs):
        signal.setitimer(signal.ITIMER_REAL, budget)
        t = time.perf_counter()
        try:
            n = fn()
        except Budget:
            return None, n
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None, help="data folder (default: the shipped dataset)")
    ap.add_argument("--runs", type=int, default=5, help="runs per query and engine (median reported)")
    ap.add_argument("--budget", type=float, default=60.0, help="seconds one run of one query may take before it is abandoned")
    args = ap.parse_args()
    signal.signal(signal.SIGALRM, _alarm)

    import pyoxigraph

    from cnaikg.graph.rdf.ontology import ontology_graph
    from cnaikg.graph.rdf import kg_to_rdf, serialize_rdf
    from cnaikg.queries.sparql_queries import bind_params, canned_queries, to_oxigraph

    kg = full_graph(args.data)
    log(f"graph: {kg.number_of_entities()} entities, {kg.number_of_facts()} facts")
    t = time.perf_counter()
    g = kg_to_rdf(kg)
    t_build = time.perf_counter() - t
    ser = {}
    for fmt in ("turtle", "nt", "json-ld"):
        t = time.perf_counter()
        size = len(serialize_rdf(g, fmt))
        ser[fmt] = (time.perf_counter() - t, size)
    n_data = len(g)
    g += ontology_graph(kg.ontology)
    nt = serialize_rdf(g, "nt")
    t = time.perf_counter()
    og = to_oxigraph(g)
    t_ox = time.perf_counter() - t
    t = time.perf_counter()
    store = pyoxigraph.Store()
    store.bulk_load(nt, pyoxigraph.RdfFormat.N_TRIPLES)
    t_py = time.perf_counter() - t

    print(f"## RDF export ({kg.number_of_entities()} entities, {kg.number_of_facts()} facts)\n")
    print(f"- triples: {n_data} (graph) + {len(g) - n_data} (ontology) = {len(g)}")
    print(f"- build the rdflib graph: {t_build:.3f} s")
    for fmt, (secs, size) in ser.items():
        print(f"- serialise {fmt}: {secs:.3f} s ({size / 1e6:.2f} MB)")
    print(f"- export total (build + Turtle, what `cnaikg export --format turtle` and the rdf build step do): {t_build + ser['turtle'][0]:.3f} s")
    print(f"- load into oxrdflib: {t_ox:.3f} s; into pyoxigraph: {t_py:.3f} s\n")

    engines = {
        "rdflib": lambda q: len(list(g.query(q))),
        "oxrdflib": lambda q: len(list(og.query(q))),
        "pyoxigraph": lambda q: len(list(store.query(q))),
    }
    print("## Canned SPARQL queries: median of", args.runs, "runs (ratio to the fastest engine)\n")
    print("| query | rows | " + " | ".join(engines) + " |")
    print("|---|---|" + "---|" * len(engines))
    for name, cq in canned_queries().items():
        text = bind_params(cq)
        cells, rows = {}, set()
        for eng, run in engines.items():
            log(f"{name}: {eng} ...")
            med, n = timed(lambda: run(text), args.runs if eng != "rdflib" else max(1, min(args.runs, 3)), args.budget)
            cells[eng] = med
            if med is not None:
                rows.add(n)
        if len(rows) > 1:
            raise SystemExit(f"{name}: engines disagree on the row count: {rows}")
        best = min(v for v in cells.values() if v is not None)
        fmt = [f"{v * 1000:.1f} ms ({v / best:.1f}x)" if v is not None else f"> {args.budget:.0f} s" for v in cells.values()]
        print(f"| {name} | {rows.pop() if rows else '?'} | " + " | ".join(fmt) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
