"""Append the review rows an analyst marked decision=accept to the curated data, re-validate, and write all or nothing.

A review file comes from `cnaikg load` (review.csv). Fill its `decision`
column with accept or reject (empty = undecided), correct cells if needed,
then run this command. Accepted rows go to DIR/relationships/news.csv and
their articles to DIR/sources/news.csv (created with headers when absent).
The whole folder is validated on a temporary copy first; when it would not
validate, nothing is written and every error is shown. Rows of kind
`conflict` contradict the curated data and need --force. Accepted rows of kind
`known` corroborate a curated fact: the article is added to that row's sources.

Examples:
  cnaikg load news article.txt --out out/news
  cnaikg accept out/news/review.csv --data data
  cnaikg accept out/news/review.csv --data data --force     # also the accepted conflicts
"""

from __future__ import annotations

import argparse

from cnaikg.commands._common import add_data_option, add_format_option

NAME = "accept"
HELP = "append review rows marked decision=accept to the curated data (validated; all or nothing)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("review", metavar="REVIEW.csv", help="a review file written by `cnaikg load` with the decision column filled in")
    p.add_argument("--force", action="store_true", help="also accept rows of kind conflict (they contradict the curated data)")
    add_data_option(p)
    add_format_option(p)


def run(args: argparse.Namespace) -> int:
    import sys

    from cnaikg.loaders.accept import accept_review
    from cnaikg.output import emit

    res = accept_review(args.review, args.data, force=args.force)
    for line in res.already_present + res.corroborated:
        print(line, file=sys.stderr)
    where = " and ".join(str(p) for p in res.written) or "nothing written"
    print(f"accept: {len(res.appended)} rows appended, {len(res.corroborated)} known facts now cite the article, "
          f"{len(res.already_present)} already present, {len(res.sources_added)} sources added, "
          f"{res.rejected} rejected, {res.undecided} undecided -> {where}", file=sys.stderr)
    emit(res.appended, args.format, columns=["subject", "relation", "object", "since", "until", "properties", "sources", "confidence"])
    return 0
