"""`cnaikg features`: the features table (one row per company, graph-derived columns) as of a date, to Parquet or CSV.

Every column is documented in the README ("Scores and features"); the table
is validated against its declared schema before it is written.
"""

from __future__ import annotations

import argparse
from typing import Any

from cnaikg.commands._common import add_as_of_option, add_data_option

NAME = "features"
HELP = "write the features table (policy proximity, ownership, centrality, exposure) as of a date"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_data_option(p)
    add_as_of_option(p)
    p.add_argument("--out", metavar="FILE", required=True, help="output file: .parquet or .csv (CSV cells starting with = + - @ are neutralised)")


def check_date(text: str | None, option: str = "--as-of") -> str | None:
    """Return ``text`` when it is a date (or None); a KGError saying how to write it otherwise."""
    from cnaikg.errors import KGError
    from cnaikg.graph.dates import DATE_HELP, is_date

    if text is not None and not is_date(text):
        raise KGError(f"{option} {text!r} is not a date; {DATE_HELP}")
    return text


def load_graph(args: argparse.Namespace) -> Any:
    """The validated graph of --data (progress on stderr)."""
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.progress import stage

    with stage("reading and validating data"):
        return KnowledgeGraph.from_dataset(args.data)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cnaikg.errors import KGError
    from cnaikg.progress import log, stage
    from cnaikg.queries.features import features, write_features

    as_of = check_date(args.as_of)
    out = Path(args.out)
    if out.suffix not in (".parquet", ".csv"):
        raise KGError(f"--out {args.out!r}: use a file name ending in .parquet or .csv")
    kg = load_graph(args)
    with stage(f"computing features{' as of ' + as_of if as_of else ''}"):
        df = features(kg, as_of=as_of)
    write_features(df, out)
    log(f"wrote {len(df)} companies x {len(df.columns)} columns to {out}")
    return 0
