"""News extraction evaluation: precision and recall per relation type, mention recall and false claims, on real articles.

The articles (tests/data/news_eval/articles/, verbatim excerpts of published pages with
URL, publisher and date) are annotated by hand in tests/data/news_eval/gold.json:
the graph entities each article names, the true statements it makes between two of
them, and the false claims it makes. ``dev`` articles were used while developing
loaders/news.py; ``holdout`` articles were not looked at until measuring.

Scoring: a predicted row (any kind: candidate, known or conflict) counts by its
(subject, relation, object); PARTNERS_WITH is symmetric; LOCATED_IN counts only with
role=headquarters. A prediction that matches a false claim is not a false positive
(it was read correctly); the false claim counts as *flagged* when a ``conflict`` row
names the same (subject, relation, object). Mention recall counts (article, entity)
pairs found anywhere in the article.

Run:  python benchmarks/news_eval.py [--split dev|holdout|all] [--format table|json] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "data" / "news_eval"
SCORED = ("INVESTS_IN", "SUPPLIES", "PARTNERS_WITH", "LISTED_ON", "LOCATED_IN", "DEVELOPS", "FOUNDED_BY", "AFFILIATED_WITH")
SYMMETRIC = {"PARTNERS_WITH"}


def _key(s: str, rel: str, o: str) -> tuple[str, str, str]:
    return (min(s, o), rel, max(s, o)) if rel in SYMMETRIC else (s, rel, o)


def _parse(triple: str) -> tuple[str, str, str]:
    s, rel, o = triple.split()
    return _key(s, rel, o)


def evaluate(split: str = "all", kg: Any = None) -> dict[str, Any]:
    """Run the news loader over the evaluation articles and score it; returns a JSON-ready dict of counts and errors."""
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.loaders.news import find_mentions, load_news, split_sentences, read_article

    kg = kg or KnowledgeGraph.from_dataset()
    gold = json.loads((EVAL / "gold.json").read_text(encoding="utf-8"))["articles"]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    mentions = {"found": 0, "total": 0}
    claims = {"flagged": 0, "total": 0, "in_graph": 0}
    errors: list[str] = []
    for name, ann in sorted(gold.items()):
        if split != "all" and ann["split"] != split:
            continue
        path = EVAL / "articles" / f"{name}.txt"
        res = load_news(path, kg=kg)
        art = read_article(path)
        seen = {m.entity_id for _, s in split_sentences(art.body) for m in find_mentions(kg, s)}
        seen |= {k[len("mentions_"):] for k in res.report.counts if k.startswith("mentions_")}
        for eid in ann["mentions"]:
            mentions["total"] += 1
            if eid in seen:
                mentions["found"] += 1
            else:
                errors.append(f"{name}: mention missed: {eid}")
        predicted: dict[tuple[str, str, str], dict[str, Any]] = {}
        for r in res.review:
            if r["relation"] not in SCORED:
                continue
            if r["relation"] == "LOCATED_IN" and "role=headquarters" not in r["properties"]:
                continue
            k = _key(r["subject"], r["relation"], r["object"])
            if k not in predicted or r["kind"] == "conflict":
                predicted[k] = r
        truth = {_parse(t) for t in ann["relations"]}
        false = {_parse(c["claim"]) for c in ann.get("false_claims", [])}
        for k in truth:
            if k in predicted:
                counts[k[1]]["tp"] += 1
            else:
                counts[k[1]]["fn"] += 1
                errors.append(f"{name}: missed: {' '.join(k)}")
        for k, r in predicted.items():
            if k not in truth and k not in false:
                counts[k[1]]["fp"] += 1
                errors.append(f"{name}: wrong: {' '.join(k)} ({r['kind']}, {r['method']}): {r['evidence'][:140]}")
        for c in ann.get("false_claims", []):
            k = _parse(c["claim"])
            claims["total"] += 1
            if k[0] in kg:
                claims["in_graph"] += 1
            if k in predicted and predicted[k]["kind"] == "conflict":
                claims["flagged"] += 1
            else:
                errors.append(f"{name}: false claim not flagged: {c['claim']} ({c['why'][:80]})")
    total = {"tp": sum(c["tp"] for c in counts.values()), "fp": sum(c["fp"] for c in counts.values()),
             "fn": sum(c["fn"] for c in counts.values())}
    return {"split": split, "relations": {k: dict(v) for k, v in sorted(counts.items())}, "total": total, "mentions": mentions,
            "false_claims": claims, "errors": errors}


def _pr(c: dict[str, int]) -> tuple[float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return p, r


def summary(result: dict[str, Any]) -> dict[str, float]:
    """Headline figures: mention recall, relation precision and recall (micro), false claims flagged (share)."""
    p, r = _pr(result["total"])
    m = result["mentions"]
    fc = result["false_claims"]
    return {"mention_recall": m["found"] / m["total"] if m["total"] else 1.0, "relation_precision": p, "relation_recall": r,
            "false_claims_flagged": fc["flagged"] / fc["total"] if fc["total"] else 1.0}


def render(result: dict[str, Any]) -> str:
    """A plain-text table of one evaluation."""
    lines = [f"split: {result['split']}", f"{'relation':<16} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}"]
    for rel, c in [*result["relations"].items(), ("ALL", result["total"])]:
        p, r = _pr(c)
        lines.append(f"{rel:<16} {c['tp']:>4} {c['fp']:>4} {c['fn']:>4} {p:>9.0%} {r:>7.0%}")
    s = summary(result)
    m, fc = result["mentions"], result["false_claims"]
    lines.append(f"mention recall: {m['found']}/{m['total']} = {s['mention_recall']:.0%}")
    lines.append(f"false claims flagged as conflicts: {fc['flagged']}/{fc['total']} (subject in the graph: {fc['in_graph']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "holdout", "all"), default=None, help="which articles (default: dev, holdout and all)")
    ap.add_argument("--format", choices=("table", "json"), default="table")
    ap.add_argument("--show-errors", action="store_true", help="list every miss, wrong row and unflagged false claim")
    args = ap.parse_args(argv)
    from cnaikg.graph.kg import KnowledgeGraph

    kg = KnowledgeGraph.from_dataset()
    splits = [args.split] if args.split else ["dev", "holdout", "all"]
    results = [evaluate(s, kg) for s in splits]
    if args.format == "json":
        print(json.dumps([dict(r, summary=summary(r)) for r in results], indent=1, ensure_ascii=False))
        return 0
    for r in results:
        print(render(r))
        if args.show_errors:
            print("\n".join("  " + e for e in r["errors"]))
        print()
    return 0


def run(size: str = "quick") -> list:
    """The benchmark contract (benchmarks/common.py): the headline figures of the held-out articles (no reference library)."""
    from common import Row

    from cnaikg.graph.kg import KnowledgeGraph

    s = summary(evaluate("holdout", KnowledgeGraph.from_dataset()))
    return [Row(f"news extraction, holdout articles: {name.replace('_', ' ')}", value * 100, "%", lower_is_better=False)
            for name, value in s.items()]


if __name__ == "__main__":
    sys.exit(main())
