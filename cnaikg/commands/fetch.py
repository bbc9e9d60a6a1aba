"""Download a public source into the local cache (conditional requests, retries, size limit, atomic switch; offline-tolerant).

SOURCE is one of (see `cnaikg fetch --list` and docs/keeping-current.md for URLs and licences):

  csl                      the US Consolidated Screening List CSV (trade.gov)
  opensanctions:DATASET    an OpenSanctions dataset as FollowTheMoney JSON lines (e.g. opensanctions:us_ofac_sdn)
  wikidata                 Wikidata entity JSON for every QID in the data folder
  wikidata:Q1,Q2           Wikidata entity JSON for the items given

The copy is kept under --cache-dir (default: $CNAIKG_FETCH_CACHE, $CNAIKG_CACHE/fetch,
$XDG_CACHE_HOME/cnaikg/fetch or ~/.cache/cnaikg/fetch). A second fetch asks the server
whether the copy changed (ETag / Last-Modified). When the source cannot be reached, the
last good copy is used and the date it was fetched is shown. For tests and mirrors,
CNAIKG_FETCH_BASE_URL (or --base-url) replaces the scheme and host of every source URL.

Examples:
  cnaikg fetch csl
  cnaikg fetch opensanctions:us_ofac_sdn --max-mb 200
  cnaikg load csl "$(cnaikg fetch csl --format csv | tail -1 | cut -d, -f2)"
"""

from __future__ import annotations

import argparse

from cnaikg.commands._common import add_data_option, add_format_option

NAME = "fetch"
HELP = "download a public source (CSL, OpenSanctions, Wikidata) into the local cache, safely and incrementally"

COLUMNS = ["source", "path", "status", "fetched_at", "bytes", "url", "message"]


def add_fetch_options(p: argparse.ArgumentParser) -> None:
    """Options shared by `cnaikg fetch` and `cnaikg update`."""
    p.add_argument("--cache-dir", metavar="DIR", default=None, help="cache folder (default: ~/.cache/cnaikg/fetch; see above)")
    p.add_argument("--base-url", metavar="URL", default=None, help="replace scheme and host of every source URL (tests, mirrors); "
                   "default: $CNAIKG_FETCH_BASE_URL")
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="per-request timeout (default 30)")
    p.add_argument("--retries", type=int, default=3, metavar="N", help="retries after a timeout, 429/5xx or truncated body (default 3)")
    p.add_argument("--backoff", type=float, default=1.0, metavar="SECONDS", help="first wait before a retry, doubled each time (default 1)")
    p.add_argument("--max-mb", type=float, default=2000.0, metavar="MB", help="refuse answers larger than this (default 2000)")


def fetch_options(args: argparse.Namespace) -> dict:
    """The keyword options of fetch_source from the parsed arguments."""
    if args.retries < 0 or args.retries > 10:
        from cnaikg.errors import KGError

        raise KGError(f"--retries {args.retries}: give 0 to 10")
    return {"cache_dir": args.cache_dir, "base_url": args.base_url, "timeout": args.timeout, "retries": args.retries,
            "backoff": args.backoff, "max_bytes": int(args.max_mb * 1e6)}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="csl, opensanctions:DATASET, wikidata or wikidata:Q1,Q2")
    p.add_argument("--list", action="store_true", help="list the sources with their URLs and licences, then exit")
    add_fetch_options(p)
    add_data_option(p)
    add_format_option(p)


def run(args: argparse.Namespace) -> int:
    import sys

    from cnaikg.loaders.fetch import describe_sources, fetch_source
    from cnaikg.output import emit

    if args.list or not args.sources:
        emit(describe_sources(), args.format, columns=["source", "loader", "url", "publisher", "licence"])
        return 0 if args.list else 2
    rows = []
    for name in args.sources:
        path, results = fetch_source(name, data=args.data, **fetch_options(args))
        for r in results:
            if r.status == "offline":
                print(f"fetch {name}: {r.message}", file=sys.stderr)
        status = "offline" if any(r.status == "offline" for r in results) else \
            "downloaded" if any(r.status == "downloaded" for r in results) else "not-modified"
        oldest = min((r.fetched_at for r in results), default="")
        rows.append({"source": name, "path": str(path), "status": status, "fetched_at": oldest, "bytes": path.stat().st_size,
                     "url": results[0].url if len(results) == 1 else f"{len(results)} requests", "message": "; ".join(r.message for r in results)[:200]})
        print(f"fetch {name}: {status}, {rows[-1]['bytes']:,} bytes, fetched {oldest} -> {path}", file=sys.stderr)
    emit(rows, args.format, columns=COLUMNS)
    return 0
