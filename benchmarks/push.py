"""Benchmark of the Cypher area on the bundled local Bolt server; one command, numbers on stdout, progress on stderr.

Measures: the local server's start time, the time to load the curated graph,
the median latency of every canned query (on the shipped curated data), and push
throughput (relationships per second) of a synthetic graph of >= 100,000
relationships at several batch sizes, with each batch size's ratio to the best.

    .venv/bin/python benchmarks/push.py [--relationships 100000] [--entities 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time


def synthetic_graph(n_entities: int, n_relationships: int, seed: int = 7):
    """A reproducible graph of companies and funds with sourced SUPPLIES / INVESTS_IN / PARTNERS_WITH facts."""
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.model import Entity, Fact, Source

    rng = random.Random(seed)
    sources = [Source(f"s-{i}", f"https://example.org/doc/{i}", f"Publisher {i % 17}", f"20{10 + i % 14}-0{1 + i % 9}-1{i % 9}") for i in range(200)]
    ents = [Entity(f"c-{i}", "company" if i % 10 else "fund", f"Company {i}", name_zh=f"公司{i}", category="other" if i % 10 else "venture",
                   aliases=(f"C{i}",), sources=(sources[i % 200],)) for i in range(n_entities)]
    facts: list = []
    seen: set = set()
    rels = ("SUPPLIES", "INVESTS_IN", "PARTNERS_WITH")
    while len(facts) < n_relationships:
        a, b = rng.randrange(n_entities), rng.randrange(n_entities)
        rel = rels[rng.randrange(3)]
        if a == b or (a, b, rel) in seen:
            continue
        seen.add((a, b, rel))
        props = {"goods": "chips"} if rel == "SUPPLIES" else ({"amount": rng.randrange(1, 10**9), "currency": "CNY"} if rel == "INVESTS_IN" else {"scope": "R&D"})
        facts.append(Fact.create(f"c-{a}", rel, f"c-{b}", since=f"20{10 + rng.randrange(14)}", properties=props,
                                 sources=(sources[rng.randrange(200)], sources[rng.randrange(200)]), confidence="medium"))
    return KnowledgeGraph(ents, facts)


def run(size: str = "quick") -> list:
    """The rows of `make bench`: push throughput into the local server (1,000 + 10,000 quick; 10,000 + 100,000 full)."""
    from common import Row, Skip, at_least, at_most

    from cnaikg.graph import build_graph
    from cnaikg.graph.store.server import LocalServer
    from cnaikg.graph.store.writer import GraphWriter

    if size == "tiny":
        raise Skip("starts the bundled server (JVM): quick and full only")
    n_ent, n_rel = (10_000, 100_000) if size == "full" else (1_000, 10_000)
    kg, big = build_graph(), synthetic_graph(n_ent, n_rel)
    srv = LocalServer(kg, cache_dir=tempfile.mkdtemp(prefix="cnaikg-bench-"), databases=("cnaikg", "push")).start()
    try:
        rep = GraphWriter(srv.write_driver(), database="push", ontology=big.ontology, batch_size=5000).push(big)
    finally:
        srv.stop()
    return [
        Row("push: curated graph load inside the local server", srv.load_seconds, "s", target=at_most(1, "s")),
        Row(f"push: {n_ent:,} nodes + {n_rel:,} relationships, batch 5000", rep.relationships_per_second, "relationships/s",
            lower_is_better=False, target=at_least(5000, "relationships/s")),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--relationships", type=int, default=100_000)
    ap.add_argument("--entities", type=int, default=10_000)
    ap.add_argument("--batch-sizes", default="1000,5000", help="comma-separated batch sizes to compare")
    ap.add_argument("--repeat", type=int, default=5, help="runs per canned query (median reported)")
    args = ap.parse_args(argv)

    from cnaikg.graph import build_graph
    from cnaikg.graph.store.server import LocalServer
    from cnaikg.graph.store.writer import GraphWriter
    from cnaikg.loaders.curated import read_dataset
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.queries.cypher_queries import load_queries

    try:
        kg = build_graph()
    except Exception:  # the shipped data may be mid-edit: keep its valid rows
        ds = read_dataset()
        kg = KnowledgeGraph(ds.entities.values(), ds.facts, ds.ontology)
    cache = tempfile.mkdtemp(prefix="cnaikg-bench-")
    batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    dbs = ("cnaikg", *[f"push{b}" for b in batch_sizes])
    print(f"curated graph: {kg.number_of_entities()} entities, {kg.number_of_facts()} relationships", file=sys.stderr)

    t0 = time.perf_counter()
    srv = LocalServer(kg, cache_dir=cache, databases=dbs).start()
    start_s = time.perf_counter() - t0
    try:
        print(f"local server cold start with load and content-hash check: {start_s:.2f} s")
        print(f"curated graph load ({kg.number_of_entities()} nodes, {kg.number_of_facts()} relationships) "
              f"inside the server: {srv.load_seconds:.2f} s  (target < 1 s, ratio {srv.load_seconds / 1.0:.1f}x)")

        # canned queries on the curated data, with parameters from their own examples
        examples = {"company": "smic", "fund": "big-fund-ii", "fund_a": "big-fund-i", "fund_b": "big-fund-ii", "list": "us-entity-list",
                    "from": "2023-01-01", "to": "2024-12-31", "a": "alibaba", "b": "tencent", "id": "deepseek", "date": "2024-01-01",
                    "subject": "smic", "object": "us-entity-list"}
        print("\ncanned query latency on the curated data, server side (median of %d runs):" % args.repeat)
        medians = []
        for q in load_queries().values():
            params = q.bind({p.name: examples[p.name] for p in q.params if p.required})
            if q.name == "shortest-path":
                params = q.bind({"from": "deepseek", "to": "smic"})
            times, n = [], 0
            for _ in range(args.repeat):
                t = time.perf_counter()
                n = len(srv.run(q.text, params).rows)
                times.append(time.perf_counter() - t)
            med = statistics.median(times) * 1000
            medians.append(med)
            print(f"  {q.name:<16} {med:8.1f} ms  ({n} rows)")
        print(f"  {'all (median)':<16} {statistics.median(medians):8.1f} ms")

        big = synthetic_graph(args.entities, args.relationships)
        print(f"\npush of a synthetic graph: {big.number_of_entities()} nodes, {big.number_of_facts()} relationships", file=sys.stderr)
        results = {}
        for b in batch_sizes:
            print(f"pushing with batch size {b} ...", file=sys.stderr)
            w = GraphWriter(srv.write_driver(), database=f"push{b}", ontology=big.ontology, batch_size=b)
            rep = w.push(big)
            assert rep.counts["Entity"] == big.number_of_entities()
            results[b] = rep
        best = max(r.relationships_per_second for r in results.values())
        print(f"\npush throughput into an empty database (CREATE path), {big.number_of_facts()} relationships + "
              f"{big.number_of_entities()} nodes (ratio to best; target 5,000 relationships/s):")
        for b, rep in results.items():
            print(f"  batch {b:>6}: {rep.seconds:7.1f} s  {rep.relationships_per_second:8.0f} relationships/s  ({rep.relationships_per_second / best:.2f}x best, "
                  f"{rep.relationships_per_second / 5000:.2f}x target)")
    finally:
        srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
