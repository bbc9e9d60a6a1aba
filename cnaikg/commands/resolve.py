"""Show what a name, ticker or identifier resolves to, how (method and score), or its candidates for review; record judgements.

Only identifiers, tickers with their exchange, exact names and aliases, and
names equal after dropping legal forms merge. A name that differs in a place,
a number or phase, a unit (Group, Holdings, 集团) or a bracketed part, and
every fuzzy look-alike, is listed as a candidate, never merged. A generic name
that fits several entities (Big Fund, 大基金) is ambiguous.

A decision can be recorded in DATA/judgements.csv and is honoured by every
later load: --same ID says the name is that entity, --not-same ID that it never is.

Examples:
  cnaikg resolve "中芯国际集成电路制造有限公司"
  cnaikg resolve 00981.HK BIDU.O "Big Fund III" --format json
  cnaikg resolve "Hua Hong Semiconductor (Wuxi) Limited" --not-same hua-hong --data data
"""

from __future__ import annotations

import argparse

from cnaikg.commands._common import add_data_option, add_format_option

NAME = "resolve"
HELP = "show what a name, ticker or identifier resolves to and why, or its candidates; record same/not-same judgements"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("names", nargs="+", metavar="NAME", help="names, tickers (688795.SS, 9888.HK, BIDU), QIDs, USCCs or LEIs")
    p.add_argument("--type", action="append", default=[], metavar="TYPE", help="only entities of this type (repeatable)")
    p.add_argument("--threshold", type=float, default=75.0,
                   help="lowest fuzzy score (0-100) of a look-alike listed as a candidate (default 75); fuzzy matches never merge")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--same", metavar="ID", help="record that each NAME is the entity ID (data/judgements.csv)")
    g.add_argument("--not-same", metavar="ID", help="record that each NAME is never the entity ID")
    p.add_argument("--note", default="", help="why (with --same / --not-same)")
    add_data_option(p)
    add_format_option(p)


def _record(args: argparse.Namespace, kg: object) -> int:
    import csv
    import datetime as _dt
    import io
    import sys
    from pathlib import Path

    from cnaikg.errors import LoaderError
    from cnaikg.loaders.accept import commit_files
    from cnaikg.loaders.resolve import JUDGEMENT_COLUMNS, JUDGEMENTS_FILE, read_judgements
    from cnaikg.paths import data_dir

    entity = args.same or args.not_same
    if entity not in kg:  # type: ignore[operator]
        raise LoaderError(f"unknown entity id {entity!r}; use the id shown by `cnaikg resolve NAME`")
    root = Path(args.data) if args.data else data_dir()
    path = root / JUDGEMENTS_FILE
    existing = read_judgements(path) if path.is_file() else []
    verdict = "same" if args.same else "not_same"
    old = path.read_bytes() if path.is_file() else b""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    if not old.strip():
        w.writerow(JUDGEMENT_COLUMNS)
    added = 0
    for name in args.names:
        if any(j.name == name and j.entity == entity and j.judgement == verdict for j in existing):
            continue
        w.writerow([name, entity, verdict, args.note, "cnaikg resolve", _dt.date.today().isoformat()])
        added += 1
    prefix = old if not old or old.endswith(b"\n") else old + b"\n"
    commit_files(root, {path: prefix + buf.getvalue().encode("utf-8")})
    print(f"resolve: {added} judgement(s) recorded in {path} ({verdict} {entity})", file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.loaders.resolve import Resolver
    from cnaikg.output import emit

    kg = KnowledgeGraph.from_dataset(args.data)
    for t in args.type:
        kg.ontology.entity_type(t)  # an unknown type is a clear error
    if args.same or args.not_same:
        return _record(args, kg)
    res = Resolver.from_graph(kg, review_threshold=args.threshold)
    rows = []
    for name in args.names:
        m = res.resolve(name, types=args.type or None)
        rows.append({"query": name, "status": m.status, "entity": m.entity_id or "",
                     "name": kg.entity(m.entity_id).name if m.entity_id else "", "method": m.method, "score": round(m.score, 1),
                     "candidates": "; ".join(str(c) for c in m.candidates if c.id != m.entity_id)})
    emit(rows, args.format, columns=["query", "status", "entity", "name", "method", "score", "candidates"])
    return 0 if all(r["status"] == "resolved" for r in rows) else 1
