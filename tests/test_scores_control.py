"""Ultimate controllers on hand-built graphs: the top of the majority chain, no majority, ties, cycles, groups."""

from __future__ import annotations

import pytest

from scores_fixtures import src


def held(holdings, types=None):
    """A graph of companies from [(holder, held, percent)]; ``types`` gives other entity types by id."""
    from cnaikg.graph import Entity, Fact, KnowledgeGraph

    s = src("2020-01-01", "control")
    types = types or {}
    ids = sorted({x for h in holdings for x in h[:2]})
    ents = [Entity(i, types.get(i, ("company", ""))[0], i.upper(), category=types.get(i, ("company", ""))[1]) for i in ids]
    facts = [Fact.create(h, "OWNS", c, since="2020-01-01", properties={"stake_pct": p}, sources=(s,)) for h, c, p in holdings]
    return KnowledgeGraph(ents, facts)


def table(kg):
    from cnaikg.queries.features import features

    return features(kg)[["ultimate_controller", "ultimate_controller_chain", "ultimate_controller_stake", "control_status"]]


def why(kg, entity):
    from cnaikg.queries.arrays import graph_arrays
    from cnaikg.queries.ownership import control_explanation

    ga = graph_arrays(kg)
    return control_explanation(ga, ga.index[entity])


def test_the_top_of_the_majority_chain_not_one_level_below():
    # A holds a majority of B, B of C and of D: C's and D's controller is A, not B
    kg = held([("a", "b", 60), ("b", "c", 70), ("b", "d", 80)])
    t = table(kg)
    assert t.loc["c", "ultimate_controller"] == "a" and t.loc["d", "ultimate_controller"] == "a"
    assert t.loc["c", "ultimate_controller_chain"] == "a > b > c"
    assert t.loc["c", "ultimate_controller_stake"] == pytest.approx(0.42)  # its economic interest: 60% x 70%
    assert t.loc["a", "control_status"] == "no majority holder" and t.loc["a", "ultimate_controller"] == ""
    lines = why(kg, "c")
    assert lines[0] == "control of c: ultimate controller a, top of the chain a > b > c; its effective stake in c is 42.0%"
    assert lines[1].startswith("  a holds 60.0% of b: a -[OWNS 2020-01-01..]-> b")
    assert lines[2].startswith("  b holds 70.0% of c: b -[OWNS 2020-01-01..]-> c")


def test_no_majority_holder_is_said():
    kg = held([("a", "c", 45), ("b", "c", 40)])
    assert table(kg).loc["c", "control_status"] == "no majority holder"
    assert why(kg, "c") == ["control of c: no majority holder (nobody holds more than 50%, alone or with what it controls); largest holder a with 45.0%"]


def test_a_fifty_fifty_tie_has_no_controller():
    kg = held([("a", "c", 50), ("b", "c", 50)])
    t = table(kg)
    assert t.loc["c", "control_status"] == "tie" and t.loc["c", "ultimate_controller"] == ""
    assert why(kg, "c") == ["control of c: no majority holder: a tie at 50.0% between a and b"]


def test_a_full_cross_holding_makes_nobody_ultimate_controller_at_100_percent():
    # x and y hold 100% of each other; y holds 60% of z: the majority chain of z runs into the cycle
    kg = held([("x", "y", 100), ("y", "x", 100), ("y", "z", 60)])
    t = table(kg)
    assert (t.ultimate_controller == "").all() and (t.ultimate_controller_stake == 0).all()
    assert set(t.control_status) == {"cycle"}
    assert why(kg, "z")[0].startswith("control of z: no ultimate controller: its chain of majority holders runs into a cycle (")


def test_a_controller_with_its_subsidiaries_together():
    # p holds 100% of s1 and s2; s1 and s2 hold 30% each of t: p controls t with what it controls
    kg = held([("p", "s1", 100), ("p", "s2", 100), ("s1", "t", 30), ("s2", "t", 30), ("q", "t", 40)])
    t = table(kg)
    assert t.loc["t", "ultimate_controller"] == "p" and t.loc["t", "ultimate_controller_chain"] == "p > t"
    assert t.loc["t", "ultimate_controller_stake"] == pytest.approx(0.6)
    assert why(kg, "t")[1] == "  p controls t with what it controls: s1 30.0% + s2 30.0% = 60.0%"


def test_a_state_controller_is_flagged():
    from cnaikg.queries.features import features

    kg = held([("fund", "b", 60), ("b", "c", 70)], types={"fund": ("state_fund", "central")})
    df = features(kg)
    assert df.loc["c", "ultimate_controller"] == "fund" and bool(df.loc["c", "ultimate_controller_is_state"])


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def reference_controllers(stakes):
    """An independent, plain-Python reading of the definition: direct majorities, then holders grouped under their top."""
    nodes = {x for k in stakes for x in k}

    def direct(c):
        up = {h: p for (h, cc), p in stakes.items() if cc == c and p > 50}
        return sorted(up, key=lambda h: (-up[h], h))[0] if up else None

    def walk(c, parent):
        seen, u = {c}, c
        while parent.get(u) is not None:
            u = parent[u]
            if u in seen:
                return "cycle"
            seen.add(u)
        return u if u != c else None

    parent = {c: direct(c) for c in nodes}
    grouped = dict(parent)
    while True:  # group holders under their top, again while new controllers appear
        tops = {c: walk(c, grouped) for c in nodes}
        found = {}
        for c in nodes:
            if grouped[c] is not None:
                continue
            sums = {}
            for (h, cc), p in stakes.items():
                if cc != c:
                    continue
                g = tops[h] if tops[h] not in (None, "cycle") else (h if grouped[h] is None else None)
                if g is not None and g != c:
                    sums[g] = sums.get(g, 0) + p
            big = {g: v for g, v in sums.items() if v > 50}
            if big:
                found[c] = sorted(big, key=lambda g: (-big[g], g))[0]
        if not found:
            break
        grouped.update(found)
    final = {c: walk(c, grouped) for c in nodes}
    return {c: ("" if t in (None, "cycle") else t) for c, t in final.items()}


@settings(max_examples=40, deadline=None)
@given(holdings=st.lists(st.tuples(st.sampled_from("abcdefgh"), st.sampled_from("abcdefgh"), st.integers(1, 100)), max_size=12))
def test_controllers_match_an_independent_reading_on_random_ownership(holdings):
    from cnaikg.queries.arrays import graph_arrays
    from cnaikg.queries.ownership import control

    stakes = {}
    for h, c, p in holdings:
        if h != c:
            stakes[(h, c)] = max(stakes.get((h, c), 0), p)
    if not stakes:
        return
    ga = graph_arrays(held([(h, c, p) for (h, c), p in stakes.items()]))
    ctl = control(ga)
    got = {ga.ids[i]: (ga.ids[int(t)] if t >= 0 else "") for i, t in enumerate(ctl.top)}
    assert got == reference_controllers(stakes), stakes
