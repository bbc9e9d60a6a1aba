"""Investment amounts with one meaning, and the data checks of the analytics: round sizes and gaps in holdings.

On INVESTS_IN, ``amount`` (with ``currency``) is the investor's own ticket
and ``round_amount`` (with ``round_currency``) the whole round; sums use
``amount`` only. ``amount_problems`` refuses a round smaller than a ticket in
it; ``stake_gap_warnings`` flags a holding that ends and resumes later.

>>> from cnaikg.graph import build_graph
>>> sums = invested_amounts(build_graph())
>>> list(sums.columns)
['investor', 'currency', 'amount', 'investments']
"""

from __future__ import annotations

from typing import Any, Iterable

from cnaikg.errors import Problem

__all__ = ["invested_amounts", "amount_problems", "stake_gap_warnings"]

HOLDINGS = ("OWNS", "INVESTS_IN", "SUBSIDIARY_OF")


def invested_amounts(kg: Any, *, as_of: Any = None) -> "Any":
    """Total of each investor's own disclosed tickets (``amount``) by currency; round sizes are never added.

    Columns: investor, currency, amount (sum), investments (how many facts
    gave an amount), largest first.

    >>> from cnaikg.graph import Entity, Fact, KnowledgeGraph
    >>> ents = [Entity("p7", "fund", "P7"), Entity("lab", "company", "Lab")]
    >>> facts = [Fact.create("p7", "INVESTS_IN", "lab", properties={"round_amount": 4e8, "round_currency": "USD"})]
    >>> invested_amounts(KnowledgeGraph(ents, facts)).empty    # only the round is known: nothing to add up
    True
    """
    import pandas as pd

    view = kg.as_of(as_of) if as_of is not None else kg
    rows: dict[tuple[str, str], list[float]] = {}
    for f in view.facts("INVESTS_IN"):
        amount = f.properties.get("amount")
        if amount is None:
            continue
        rows.setdefault((f.subject, str(f.properties.get("currency", ""))), []).append(float(amount))
    out = pd.DataFrame([(i, c, sum(v), len(v)) for (i, c), v in rows.items()], columns=["investor", "currency", "amount", "investments"])
    return out.sort_values(["amount", "investor"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def _where(f: Any) -> tuple[str, int]:
    file, _, line = (f.origin or "").rpartition(":")
    return (file or "relationships", int(line) if line.isdigit() else 0)


def amount_problems(facts: Iterable[Any]) -> list[Problem]:
    """Errors: a round amount smaller than an investor's own amount in it (same fact, or same company, round and date).

    >>> from cnaikg.graph import Fact
    >>> bad = Fact.create("a", "INVESTS_IN", "c", since="2024", properties={"amount": 5e8, "currency": "USD",
    ...                   "round_amount": 4e8, "round_currency": "USD"}, origin="rel.csv:7")
    >>> print(amount_problems([bad])[0])
    rel.csv:7: properties: round_amount 400000000 USD is smaller than a's own amount 500000000 USD in it; \
round_amount is the whole round (all investors), amount the investor's ticket: swap or correct them
    """
    facts = [f for f in facts if f.relation == "INVESTS_IN"]
    problems: list[Problem] = []
    rounds: dict[tuple[str, str, str, str], list[Any]] = {}
    for f in facts:
        p = f.properties
        if p.get("round_amount") is not None:
            rounds.setdefault((f.object, str(p.get("round", "")), f.since, str(p.get("round_currency", ""))), []).append(f)
    for f in facts:
        p = f.properties
        if p.get("amount") is None:
            continue
        key = (f.object, str(p.get("round", "")), f.since, str(p.get("currency", "")))
        same = [f] if p.get("round_amount") is not None and p.get("round_currency") == p.get("currency") else []
        for g in same + [g for g in rounds.get(key, []) if g is not f]:
            ra, a = float(g.properties["round_amount"]), float(p["amount"])
            if ra < a:
                file, line = _where(g)
                other = "" if g is f else f" ({f.origin})"
                problems.append(Problem(file, line, "properties", f"round_amount {ra:.0f} {g.properties.get('round_currency', '')} is smaller than "
                                        f"{f.subject}'s own amount {a:.0f} {p.get('currency', '')} in it{other}",
                                        "round_amount is the whole round (all investors), amount the investor's ticket: swap or correct them"))
    return problems


def stake_gap_warnings(facts: Iterable[Any]) -> list[Problem]:
    """Warnings: a holder's stake in a company that ends and, after a gap no other fact covers, resumes.

    Between the two facts every as-of view loses the stake (a look-through
    share can drop and come back); the warning names both facts so the dates
    can be mended from a source.

    >>> from cnaikg.graph import Fact
    >>> a = Fact.create("fund", "OWNS", "co", since="2015", until="2021-01-01", properties={"stake_pct": 15.9}, origin="r.csv:3")
    >>> b = Fact.create("fund", "OWNS", "co", since="2021-04-12", properties={"stake_pct": 8.9}, origin="r.csv:9")
    >>> print(stake_gap_warnings([a, b])[0])
    r.csv:9: since: fund's stake in co ends on 2021-01-01 (r.csv:3, 15.9%) and resumes on 2021-04-12 (r.csv:9, 8.9%): \
no fact covers the gap; if the stake was held throughout, record it for the gap from a source (or align the dates) [warning]
    """
    from cnaikg.graph.dates import parse_date

    spans: dict[tuple[str, str], list[tuple[Any, Any, Any]]] = {}
    for f in facts:
        if f.relation not in HOLDINGS:
            continue
        holder, held = (f.object, f.subject) if f.relation == "SUBSIDIARY_OF" else (f.subject, f.object)
        start = parse_date(f.since).start if f.since else None
        end = parse_date(f.until).start if f.until else None
        spans.setdefault((holder, held), []).append((start, end, f))
    out: list[Problem] = []
    for (holder, held), rows in sorted(spans.items()):
        for s1, e1, f1 in rows:
            if e1 is None:
                continue
            later = [(s2, f2) for s2, e2, f2 in rows if s2 is not None and s2 > e1]
            covered = any((s is None or s <= e1) and (e is None or e > e1) for s, e, f in rows if f is not f1)
            if covered or not later:
                continue
            s2, f2 = min(later, key=lambda t: t[0])
            pct = lambda f: f" {f.properties['stake_pct']:g}%" if f.properties.get("stake_pct") is not None else ""  # noqa: E731
            file, line = _where(f2)
            out.append(Problem(file, line, "since", f"{holder}'s stake in {held} ends on {f1.until} ({f1.origin},{pct(f1)}) and resumes on "
                               f"{f2.since} ({f2.origin},{pct(f2)}): no fact covers the gap",
                               "if the stake was held throughout, record it for the gap from a source (or align the dates)", severity="warning"))
    return out
