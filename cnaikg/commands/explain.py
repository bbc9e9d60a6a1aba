"""`cnaikg explain COMPANY`: why a company scores what it scores, with every hop's relationship, dates and source."""

from __future__ import annotations

import argparse

from cnaikg.commands._common import add_as_of_option, add_data_option, add_format_option

NAME = "explain"
HELP = "explain a company's policy proximity term by term, its export-control exposure (affiliates rule by date) and its control"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("company", help="id, name, Chinese name or ticker (e.g. deepseek, 0981.HK, 智谱)")
    add_data_option(p)
    add_as_of_option(p)
    p.add_argument("--top", type=int, default=3, metavar="N", help="how many terms to show per component before adding up the rest in one line (default: 3)")
    add_format_option(p)


def run(args: argparse.Namespace) -> int:
    from cnaikg.commands.features import check_date, load_graph
    from cnaikg.output import emit
    from cnaikg.queries.explain import explain, shown_terms

    as_of = check_date(args.as_of)
    kg = load_graph(args)
    ex = explain(kg, args.company, as_of=as_of, top=args.top)
    if args.format != "table":
        rows = [{"kind": "score", "item": "policy_proximity", "value": round(ex.score, 6), "detail": ""}]
        for c in ex.components:
            rows.append({"kind": "component", "item": c["component"], "value": round(c["contribution"], 6),
                         "detail": f"value {c['value']:.6f} x weight {c['weight']:g} / total weight"})
            for v, text in shown_terms(c["terms"], args.top):
                rows.append({"kind": "term", "item": c["component"], "value": round(v, 6), "detail": text})
        for line in ex.exposure:
            rows.append({"kind": "exposure", "item": "", "value": None, "detail": line})
        for line in ex.control:
            rows.append({"kind": "control", "item": "", "value": None, "detail": line})
        emit(rows, args.format)
        return 0
    name = kg.entity(ex.id).name
    print(f"{name} ({ex.id}): policy proximity {ex.score:.3f}" + (f" as of {as_of}" if as_of else ""))
    if not ex.components:
        print("  no path to any state actor over weighted facts: every component is 0")
    else:
        print("\ncomponents (value x weight / total weight = contribution; the contributions add up to the score,")
        print("and each component's terms add up to its value):")
        for c in ex.components:
            print(f"  {c['component']:<26} {c['value']:.3f}  x {c['weight']:.2f}  -> +{c['contribution']:.3f}")
            for v, text in shown_terms(c["terms"], args.top):
                print(f"      {v:+.4f}  {text}")
    if ex.exposure:
        print("\nexport-control exposure (not part of the score):")
        for line in ex.exposure:
            print(f"  {line}")
    if ex.control:
        print("\ncontrol (not part of the score):")
        for line in ex.control:
            print(f"  {line}")
    return 0
