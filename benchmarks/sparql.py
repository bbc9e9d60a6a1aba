"""Benchmark of the RDF export and of every canned SPARQL query on the full graph: rdflib vs oxrdflib vs pyoxigraph.

One command, one run:

    .venv/bin/python benchmarks/sparql.py                 # shipped dataset, 5 runs per query, 60 s budget per query
    .venv/bin/python benchmarks/sparql.py --runs 9 --budget 20 --data path/to/data
    .venv/bin/python benchmarks/run.py --only sparql        # the same figures in the table of `make bench`

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
sys.path.insert(0, str(Path(__file__).resolve().parent))


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


#: per size: runs per query and engine, seconds one run may take, and whether rdflib's own engine is timed
SIZES = {"tiny": (1, 2.0, False), "quick": (3, 10.0, True), "full": (5, 60.0, True)}
#: our target for a canned query through the engine cnaikg uses: an interactive answer
QUERY_TARGET_MS = 1000.0


def measure(kg, *, runs: int, budget: float, with_rdflib: bool = True) -> dict:
    """Export timings and, per canned query, the median seconds of each engine (None when over ``budget``) and its row count."""
    import pyoxigraph

    from cnaikg.graph.rdf import kg_to_rdf, serialize_rdf
    from cnaikg.graph.rdf.ontology import ontology_graph
    from cnaikg.queries.sparql_queries import bind_params, canned_queries, to_oxigraph

    old = signal.signal(signal.SIGALRM, _alarm)
    try:
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
        engines = {
            "rdflib": lambda q: len(list(g.query(q))),
            "oxrdflib": lambda q: len(list(og.query(q))),
            "pyoxigraph": lambda q: len(list(store.query(q))),
        }
        if not with_rdflib:
            del engines["rdflib"]
        queries = {}
        for name, cq in canned_queries().items():
            text = bind_params(cq)
            cells, rows = {}, set()
            for eng, run_q in engines.items():
                log(f"{name}: {eng} ...")
                med, n = timed(lambda: run_q(text), runs if eng != "rdflib" else max(1, min(runs, 3)), budget)
                cells[eng] = med
                if med is not None:
                    rows.add(n)
            if len(rows) > 1:
                raise SystemExit(f"{name}: engines disagree on the row count: {rows}")
            queries[name] = (cells, rows.pop() if rows else None)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return {"entities": kg.number_of_entities(), "facts": kg.number_of_facts(), "triples_data": n_data, "triples_all": len(g),
            "build": t_build, "serialise": ser, "load_oxrdflib": t_ox, "load_pyoxigraph": t_py, "queries": queries,
            "engines": list(engines)}


def run(size: str = "quick") -> list:
    """The benchmark contract (benchmarks/common.py): export time and each canned query, oxrdflib (used) vs the fastest other engine."""
    from common import Row, at_most

    runs, budget, with_rdflib = SIZES[size]
    kg = full_graph(None)
    m = measure(kg, runs=runs, budget=budget, with_rdflib=with_rdflib)
    shape = f"{m['entities']} entities, {m['facts']} facts, {m['triples_all']:,} triples"
    rows = [Row(f"RDF export: build + Turtle ({shape})", m["build"] + m["serialise"]["turtle"][0], "s", target=at_most(5, "s")),
            Row("load the triples into oxrdflib (used by cnaikg sparql)", m["load_oxrdflib"], "s", best="pyoxigraph", best_value=m["load_pyoxigraph"])]
    for name, (cells, n) in sorted(m["queries"].items()):
        ours = cells.get("oxrdflib")
        refs = {e: v for e, v in cells.items() if e != "oxrdflib" and v is not None}
        best = min(refs, key=lambda e: refs[e]) if refs else ""
        over = [e for e, v in cells.items() if v is None]
        note = f"{n} rows" + (f"; {', '.join(over)} over the {budget:g} s budget" if over else "")
        rows.append(Row(f"SPARQL {name} via oxrdflib", (ours if ours is not None else float("nan")) * 1000, "ms",
                        best=best, best_value=refs[best] * 1000 if best else None,
                        target=at_most(QUERY_TARGET_MS, "ms"), note=note))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None, help="data folder (default: the shipped dataset)")
    ap.add_argument("--runs", type=int, default=5, help="runs per query and engine (median reported)")
    ap.add_argument("--budget", type=float, default=60.0, help="seconds one run of one query may take before it is abandoned")
    args = ap.parse_args()

    kg = full_graph(args.data)
    log(f"graph: {kg.number_of_entities()} entities, {kg.number_of_facts()} facts")
    m = measure(kg, runs=args.runs, budget=args.budget)
    ser = m["serialise"]
    print(f"## RDF export ({m['entities']} entities, {m['facts']} facts)\n")
    print(f"- triples: {m['triples_data']} (graph) + {m['triples_all'] - m['triples_data']} (ontology) = {m['triples_all']}")
    print(f"- build the rdflib graph: {m['build']:.3f} s")
    for fmt, (secs, size) in ser.items():
        print(f"- serialise {fmt}: {secs:.3f} s ({size / 1e6:.2f} MB)")
    print(f"- export total (build + Turtle, what `cnaikg export --format turtle` and the rdf build step do): {m['build'] + ser['turtle'][0]:.3f} s")
    print(f"- load into oxrdflib: {m['load_oxrdflib']:.3f} s; into pyoxigraph: {m['load_pyoxigraph']:.3f} s\n")
    print("## Canned SPARQL queries: median of", args.runs, "runs (ratio to the fastest engine)\n")
    print("| query | rows | " + " | ".join(m["engines"]) + " |")
    print("|---|---|" + "---|" * len(m["engines"]))
    for name, (cells, n) in m["queries"].items():
        best = min(v for v in cells.values() if v is not None)
        fmt = [f"{v * 1000:.1f} ms ({v / best:.1f}x)" if v is not None else f"> {args.budget:.0f} s" for v in cells.values()]
        print(f"| {name} | {n if n is not None else '?'} | " + " | ".join(fmt) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
