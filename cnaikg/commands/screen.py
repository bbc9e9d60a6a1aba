"""`cnaikg screen`: policy alignment + proven partnerships + valuation discipline, ranked, with reasons and data dates.

Valuations come from a fundamentals CSV (ticker, as_of, forward_pe,
ev_sales, market_cap, currency, source); the screen uses each ticker's latest
row on or before --as-of.
"""

from __future__ import annotations

import argparse

from cnaikg.commands._common import add_as_of_option, add_data_option, add_format_option

NAME = "screen"
HELP = "screen companies: ties to state labs and funds, proven partnerships, forward P/E and EV/Sales limits"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_data_option(p)
    add_as_of_option(p)
    p.add_argument("--fundamentals", metavar="FILE", default=None, help="fundamentals CSV file or folder (default: data/fundamentals/)")
    p.add_argument("--max-forward-pe", type=float, default=15.0, metavar="X", help="forward P/E must be above 0 and below X (default: 15)")
    p.add_argument("--max-ev-sales", type=float, default=5.0, metavar="X", help="EV/Sales must be below X (default: 5)")
    p.add_argument("--min-proximity", type=float, default=0.1, metavar="X", help="policy proximity must be at least X (default: 0.1)")
    p.add_argument("--min-partnerships", type=int, default=1, metavar="N", help="at least N partners or customers (default: 1)")
    p.add_argument("--all", action="store_true", help="also list listed companies that fail, with the reasons")
    add_format_option(p)


def run(args: argparse.Namespace) -> int:
    from cnaikg.commands.features import check_date, load_graph
    from cnaikg.loaders.fundamentals import load_fundamentals
    from cnaikg.output import emit
    from cnaikg.progress import log
    from cnaikg.queries.screen import screen

    as_of = check_date(args.as_of)
    fundamentals = load_fundamentals(args.fundamentals)
    kg = load_graph(args)
    df = screen(kg, fundamentals, as_of=as_of, max_forward_pe=args.max_forward_pe, max_ev_sales=args.max_ev_sales,
                min_proximity=args.min_proximity, min_partnerships=args.min_partnerships, include_failing=args.all)
    cols = ["rank", "id", "ticker", "passed", "policy_proximity", "forward_pe", "ev_sales", "fundamentals_as_of", "reasons"] if args.format == "table" else list(df.columns)
    emit(df.to_dict("records"), args.format, columns=cols)
    log(f"{int(df.passed.sum())} companies pass (forward P/E < {args.max_forward_pe:g}, EV/Sales < {args.max_ev_sales:g}, proximity >= {args.min_proximity:g})")
    return 0
