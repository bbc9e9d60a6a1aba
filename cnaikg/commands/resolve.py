"""Show what a name, ticker or identifier resolves to, and why (method and score), or its best candidates.

Examples:
  cnaikg resolve "中芯国际集成电路制造有限公司"
  cnaikg resolve 00981.HK BIDU.O "Big Fund III" --format json
"""

from __future__ import annotations

import argparse

from cnaikg.commands._common import add_data_option, add_format_option

NAME = "resolve"
HELP = "show what a name, ticker or identifier resolves to and why"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("names", nargs="+", metavar="NAME", help="names, tickers (688795.SS, 9888.HK, BIDU), QIDs, USCCs or LEIs")
    p.add_argument("--type", action="append", default=[], metavar="TYPE", help="only entities of this type (repeatable)")
    p.add_argument("--threshold", type=float, default=90.0, help="fuzzy score (0-100) from which a name is merged (default 90)")
    add_data_option(p)
    add_format_option(p)


def run(args: argparse.Namespace) -> int:
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.loaders.resolve import resolver_for
    from cnaikg.output import emit

    kg = KnowledgeGraph.from_dataset(args.data)
    for t in args.type:
        kg.ontology.entity_type(t)  # an unknown type is a clear error
    res = resolver_for(kg, threshold=args.threshold)
    rows = []
    for name in args.names:
        m = res.resolve(name, types=args.type or None)
        rows.append({"query": name, "status": m.status, "entity": m.entity_id or "",
                     "name": kg.entity(m.entity_id).name if m.entity_id else "", "method": m.method, "score": round(m.score, 1),
                     "candidates": "; ".join(str(c) for c in m.candidates if c.id != m.entity_id)})
    emit(rows, args.format, columns=["query", "status", "entity", "name", "method", "score", "candidates"])
    return 0 if all(r["status"] == "resolved" for r in rows) else 1
