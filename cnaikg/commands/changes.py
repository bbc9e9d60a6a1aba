"""`cnaikg changes --from DATE --to DATE`: the companies whose scores moved most, and the facts that moved them.

Each fact is labelled: "became true" (its validity starts in the window),
"became known" (true earlier, first published in the window) or "ended".
"""

from __future__ import annotations

import argparse

from cnaikg.commands._common import add_data_option, add_format_option

NAME = "changes"
HELP = "companies whose policy proximity (or another feature) moved most between two dates, and why"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_data_option(p)
    p.add_argument("--from", dest="start", metavar="DATE", required=True, help="earlier date (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", metavar="DATE", required=True, help="later date (YYYY-MM-DD)")
    p.add_argument("--column", default="policy_proximity", help="features column to compare (default: policy_proximity)")
    p.add_argument("--top", type=int, default=10, metavar="N", help="how many companies (default: 10)")
    add_format_option(p)


def run(args: argparse.Namespace) -> int:
    from cnaikg.commands.features import check_date, load_graph
    from cnaikg.errors import KGError
    from cnaikg.graph.dates import to_date
    from cnaikg.output import emit
    from cnaikg.queries.changes import score_changes

    check_date(args.start, "--from")
    check_date(args.end, "--to")
    if to_date(args.start) > to_date(args.end):
        raise KGError(f"--from {args.start} is after --to {args.end}; swap them")
    kg = load_graph(args)
    df = score_changes(kg, start=args.start, end=args.end, column=args.column, top=args.top)
    if args.format != "table":
        emit(df.to_dict("records"), args.format)
        return 0
    if df.empty:
        print(f"no company's {args.column} moved between {args.start} and {args.end}")
    for r in df.itertuples():
        print(f"{r.id} ({r.name}): {args.column} {r.before:.3f} -> {r.after:.3f} ({r.delta:+.3f})")
        for f in r.facts:
            print(f"    {f}")
    if not df.empty and any(len(k) for k in df.became_known):
        print("\n'became known' facts were already true at --from by their own dates: the move is news to the data, not a change in the company's ties")
    return 0
