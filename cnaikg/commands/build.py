"""Load and validate data/, build the graph, write out/ and print what the graph holds.

Writes out/graph.json (node-link exchange format), out/entities.csv and
out/relationships.csv, and whatever later build steps register.
Identical inputs give byte-identical outputs. The files are written into a
staging folder beside --out and switched into place at the end: --out holds the
previous complete set or the new one, never a mix (an interrupt or a full disk
leaves the previous set).
"""

from __future__ import annotations

import argparse

from cnaikg.commands._common import add_data_option

NAME = "build"
HELP = "build the graph from data/ into out/ and print a summary"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_data_option(p)
    p.add_argument("--out", metavar="DIR", default="out", help="output folder (default: out)")
    p.add_argument("--top", type=int, default=10, metavar="N", help="how many best-connected entities to print (default: 10)")
    p.add_argument("--steps", metavar="A,B", default=None,
                   help="only these build steps, comma-separated (default: every registered step, e.g. graph-json,tables,features)")


def run(args: argparse.Namespace) -> int:
    from cnaikg.build import run_build

    steps = [x.strip() for x in args.steps.split(",") if x.strip()] if args.steps else None
    ctx = run_build(args.data, args.out, steps=steps)
    kg = ctx.kg
    print(f"cnaikg graph: {kg.number_of_entities()} entities, {kg.number_of_facts()} facts, {len(kg.sources())} sources")
    print("\nentities by type:")
    for t, n in kg.counts_by_type().items():
        print(f"  {t:<16} {n:>5}")
    print("\nfacts by relationship:")
    for r, n in kg.counts_by_relation().items():
        print(f"  {r:<16} {n:>5}")
    print(f"\nbest-connected entities (facts touching them):")
    for e, d in kg.best_connected(args.top):
        print(f"  {d:>4}  {e.id:<32} {e.name}")
    for line in ctx.results.get("summary_lines", []):
        print(line)
    print(f"\nwrote {len(ctx.written)} files to {ctx.out}/ in {ctx.timings['total']:.2f} s")
    return 0
