"""Fetch sources and load them, then write one review folder: what is new, what changed, what conflicts with the data.

For each SOURCE (as in `cnaikg fetch`): download it into the cache (or use the last good
copy when offline, saying so), run its registered loader against the curated graph, and
sort every loaded fact:

  new.csv        facts the curated data does not have (decide with `cnaikg accept out/update/new.csv`)
  changed.csv    facts the data has between the same two entities, with other properties or dates
                 (the `curated` column shows the data's side)
  conflicts.csv  rows a loader flagged as contradicting the data (both sides shown)
  review.csv     near-misses: names that almost matched an entity (never merged)
  known.csv      facts the data already has (counted; the source can be cited as corroboration)
  update_report.json  per source: URL, status (downloaded / not-modified / offline), fetched date, counts

All files use the review columns of `cnaikg load` and are computed before any is written.

Examples:
  cnaikg update csl opensanctions:us_ofac_sdn --out out/update
  CNAIKG_FETCH_BASE_URL=http://127.0.0.1:8765 cnaikg update csl      # against a local mirror
"""

from __future__ import annotations

import argparse
from typing import Any

from cnaikg.commands._common import add_data_option, add_format_option
from cnaikg.commands.fetch import add_fetch_options, fetch_options

NAME = "update"
HELP = "fetch + load the chosen sources and write one review folder (new, changed, conflicts with the data)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="csl, opensanctions:DATASET, wikidata or wikidata:Q1,Q2")
    p.add_argument("--out", metavar="DIR", default="out/update", help="review folder (default: out/update)")
    add_fetch_options(p)
    add_data_option(p)
    add_format_option(p)


def run(args: argparse.Namespace) -> int:
    import sys

    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.loaders.fetch import update_sources, write_review_folder
    from cnaikg.output import emit

    kg = KnowledgeGraph.from_dataset(args.data)
    outcome = update_sources(args.sources, kg=kg, data=args.data, **fetch_options(args))
    for line in outcome.messages:
        print(line, file=sys.stderr)
    paths = write_review_folder(outcome, args.out)
    rows: list[dict[str, Any]] = [{"file": str(p), "rows": outcome.count(p.name)} for p in paths]
    print(f"update: {outcome.summary()} -> {args.out}", file=sys.stderr)
    emit(rows, args.format, columns=["file", "rows"])
    return 0
