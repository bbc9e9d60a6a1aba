"""`cnaikg features`: the features table (one row per company) as of a date, or a panel over many dates, to Parquet or CSV.

Every column is documented in docs/scores.md; the table is validated against
its declared schema before it is written, and carries its metadata (dates,
data date, dataset hash, cnaikg and schema versions, rules in force).
"""

from __future__ import annotations

import argparse
from typing import Any

from cnaikg.commands._common import add_data_option

NAME = "features"
HELP = "write the features table (policy proximity, ownership, centrality, exposure) as of a date"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_data_option(p)
    p.add_argument("--as-of", metavar="DATE", action="append", default=None,
                   help="date of the table (YYYY-MM-DD); repeat it for a panel with one block of rows per date (default: the data's date)")
    p.add_argument("--from", dest="start", metavar="DATE", default=None, help="panel: first date of a range (with --to and --every)")
    p.add_argument("--to", dest="end", metavar="DATE", default=None, help="panel: last date of the range")
    p.add_argument("--every", choices=("month", "quarter", "year"), default=None, help="panel: one date at the end of every month, quarter or year in the range")
    p.add_argument("--out", metavar="FILE", required=True, help="output file: .parquet or .csv (CSV cells starting with = + - @ are neutralised; "
                   "metadata in the Parquet file or in FILE.csv.json)")


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


def panel_dates_of(args: argparse.Namespace) -> list[str]:
    """The dates asked for: every --as-of, then the --from/--to/--every range; sorted, without repeats."""
    from cnaikg.errors import KGError
    from cnaikg.graph.dates import to_date
    from cnaikg.queries.features import panel_dates

    dates = [check_date(d) or "" for d in (args.as_of or [])]
    ranged = (args.start, args.end, args.every)
    if any(ranged):
        if not all(ranged):
            raise KGError("a panel range needs all three of --from DATE --to DATE --every quarter|month|year")
        check_date(args.start, "--from")
        check_date(args.end, "--to")
        if to_date(args.start) > to_date(args.end):
            raise KGError(f"--from {args.start} is after --to {args.end}; swap them")
        dates += panel_dates(args.start, args.end, args.every)
    return sorted(set(dates), key=lambda d: to_date(d))


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cnaikg.errors import KGError
    from cnaikg.progress import log, stage
    from cnaikg.queries.features import features, features_metadata, features_panel, write_features
    from cnaikg.queries.rules import load_rules

    dates = panel_dates_of(args)
    out = Path(args.out)
    if out.suffix not in (".parquet", ".csv"):
        raise KGError(f"--out {args.out!r}: use a file name ending in .parquet or .csv")
    kg = load_graph(args)
    rule = load_rules()["affiliates"]
    if len(dates) <= 1:
        as_of = dates[0] if dates else None
        with stage(f"computing features{' as of ' + as_of if as_of else ''}"):
            df = features(kg, as_of=as_of)
        write_features(df, out, features_metadata(kg, [as_of]))
        log(rule.on(as_of or kg.data_date()).text())
        log(f"wrote {len(df)} companies x {len(df.columns)} columns to {out}")
        return 0
    with stage(f"computing a panel of {len(dates)} dates ({dates[0]} .. {dates[-1]})"):
        panel = features_panel(kg, dates)
    write_features(panel, out, features_metadata(kg, list(dates)))
    applied = [d for d in dates if rule.on(d).in_force]
    log(f"{rule.name}: applied on {len(applied)} of {len(dates)} dates (in force on those dates only)")
    log(f"wrote {len(panel)} rows ({len(dates)} dates) x {len(panel.columns)} columns to {out}")
    return 0
