"""`cnaikg explain COMPANY`: why a company scores what it scores, with every hop's relationship, dates and source."""

from __future__ import annotations

import argparse

from cnaikg.commands._common import add_as_of_option, add_data_option, add_format_option

NAME = "explain"
HELP = "explain a company's policy proximity: top components, paths to state actors, export-control exposure"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("company", help="id, name, Chinese name or ticker (e.g. deepseek, 0981.HK, 智谱)")
    add_data_option(p)
    add_as_of_option(p)
    p.add_argument("--top", type=int, default=3, metavar="N", help="how many components, details and paths to show (default: 3)")
    add_format_option(p)


def run(args: argparse.Namespace) -> int:
    from cnaikg.commands.features import check_date, load_graph
    from cnaikg.output import emit
    from cnaikg.queries.explain import explain

    as_of = check_date(args.as_of)
    kg = load_graph(args)
    ex = explain(kg, args.company, as_of=as_of, top=args.top)
    if args.format != "table":
        rows = [{"kind": "score", "item": "policy_proximity", "value": round(ex.score, 6), "detail": ""}]
        for c in ex.components[: args.top]:
            rows.append({"kind": "component", "item": c["component"], "value": round(c["contribution"], 6), "detail": " | ".join(c["details"][: args.top])})
        for p in ex.paths[: args.top]:
            rows.append({"kind": "path", "item": p.actor, "value": round(p.strength, 6), "detail": " ; ".join(map(str, p.hops))})
        for line in ex.exposure:
            rows.append({"kind": "exposure", "item": "", "value": None, "detail": line})
        emit(rows, args.format)
        return 0
    name = kg.entity(ex.id).name
    print(f"{name} ({ex.id}): policy proximity {ex.score:.3f}" + (f" as of {as_of}" if as_of else ""))
    if not ex.components:
        print("  no path to any state actor over weighted facts: every component is 0")
    else:
        print("\ntop components (value, weight, contribution to the score):")
        for c in ex.components[: args.top]:
            print(f"  {c['component']:<26} {c['value']:.3f}  x {c['weight']:.2f}  -> +{c['contribution']:.3f}")
            for d in c["details"][: args.top]:
                print(f"      {d}")
        print("\nstrongest paths to state actors:")
        for p in ex.paths[: args.top]:
            print(f"  {p.actor} ({p.kind}), strength {p.strength:.3f}")
            for h in p.hops:
                print(f"      {h}")
    if ex.exposure:
        print("\nexport-control exposure:")
        for line in ex.exposure:
            print(f"  {line}")
    return 0
