"""`cnaikg coverage`: how complete data/ is: counts per type and sector, and the gaps (undated facts, missing listings, names, QIDs)."""

from __future__ import annotations

import argparse

from cnaikg.commands._common import add_data_option, add_format_option

NAME = "coverage"
HELP = "counts per category and type, and the gaps of the dataset (facts without since, missing listings, names, QIDs)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_data_option(p)
    p.add_argument("--show", type=int, default=10, metavar="N", help="ids listed per gap in the text report (default: 10; 0 for none)")
    p.add_argument("--gap", default=None, metavar="NAME",
                   help="print every id of one gap, one per line: since, listing, listing-date, board, name-zh, location, qid, no-facts")
    add_format_option(p)


GAPS = {
    "since": "facts_without_since",
    "listing": "listed_without_listing",
    "listing-date": "listings_without_date",
    "board": "listings_without_board",
    "name-zh": "chinese_without_name_zh",
    "location": "organisations_without_location",
    "qid": "organisations_without_qid",
    "no-facts": "entities_without_facts",
}


def run(args: argparse.Namespace) -> int:
    import sys

    from cnaikg.errors import DataError, KGError
    from cnaikg.graph.coverage import coverage, render
    from cnaikg.loaders.curated import read_dataset
    from cnaikg.output import emit

    ds = read_dataset(args.data)
    if ds.errors:
        raise DataError(ds.errors)
    cov = coverage(ds)
    if args.gap is not None:
        if args.gap not in GAPS:
            raise KGError(f"--gap {args.gap!r} is not a gap; use one of: {', '.join(GAPS)}")
        for item in getattr(cov, GAPS[args.gap]):
            print(item)
        return 0
    if args.format == "table":
        print(render(cov, show=args.show))
    else:
        emit(cov.summary_rows(), args.format, columns=["section", "item", "count", "share"])
    print(f"{cov.entities_total} entities, {cov.facts_total} facts, {100 * cov.since_share:.1f}% with since", file=sys.stderr)
    return 0
