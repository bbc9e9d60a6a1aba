"""The affiliates rule as dated data, hand-checked: aggregates, chains, cycles, the 50% line and the suspension."""

from __future__ import annotations

import pytest

from scores_fixtures import src

IN_FORCE = "2025-10-15"  # between the rule's effective date (2025-09-29) and its suspension (2025-11-10)
SUSPENDED = "2026-01-15"


def owned(holdings, listed=("a", "b")):
    """A graph of companies: ``listed`` on the US Entity List since 2020, ``holdings`` = [(holder, held, percent)]."""
    from cnaikg.graph import Entity, Fact, KnowledgeGraph

    s = src("2020-01-01", "rules")
    ids = sorted({x for h in holdings for x in h[:2]} | set(listed))
    ents = [Entity(i, "company", i.upper()) for i in ids] + [Entity("us-entity-list", "sanctions_list", "US Entity List")]
    facts = [Fact.create(i, "ON_LIST", "us-entity-list", since="2020-01-01", sources=(s,)) for i in listed]
    facts += [Fact.create(h, "OWNS", c, since="2020-01-01", properties={"stake_pct": p}, sources=(s,)) for h, c, p in holdings]
    return KnowledgeGraph(ents, facts)


def exposure(kg, as_of=IN_FORCE):
    from cnaikg.queries.exposure import export_control_exposure

    return export_control_exposure(kg, as_of=as_of)


def reasons(kg, entity, as_of=IN_FORCE):
    from cnaikg.queries.arrays import graph_arrays
    from cnaikg.queries.exposure import affiliates_reasons

    ga = graph_arrays(kg, as_of=as_of)
    return affiliates_reasons(ga, ga.index[entity])


def test_the_rule_file_gives_the_dates_and_sources():
    from cnaikg.queries.rules import load_rules

    rule = load_rules()["affiliates"]
    assert rule.threshold == 0.5 and rule.lists == ("us-entity-list",)
    assert [(p.status, str(p.start), str(p.end) if p.end else None) for p in rule.periods] == [
        ("in_force", "2025-09-29", "2025-11-10"), ("suspended", "2025-11-10", "2026-11-10"), ("in_force", "2026-11-10", None)]
    assert all(s["url"].startswith("https://") for p in rule.periods for s in p.sources)
    assert [rule.on(d).status for d in ("2025-09-28", "2025-09-29", "2025-11-09", "2025-11-10", "2026-11-09", "2026-11-10")] == [
        "not_yet_in_force", "in_force", "in_force", "suspended", "suspended", "in_force"]


def test_a_bad_rule_file_is_refused_with_every_problem(tmp_path):
    from cnaikg.errors import DataError
    from cnaikg.queries.rules import load_rules

    bad = tmp_path / "rules.toml"
    bad.write_text('[rules.x]\nthreshold = 2\n[[rules.x.periods]]\nstatus = "maybe"\nfrom = "2025-13-01"\n')
    with pytest.raises(DataError) as err:
        load_rules(bad)
    text = str(err.value)
    assert "rules.x.threshold" in text and "bad dates" in text and "is not a status" in text


def test_two_listed_owners_in_the_aggregate():
    kg = owned([("a", "c", 30), ("b", "c", 25)])
    ex = exposure(kg)
    assert ex.loc["c", "affiliate_rule_covered"] and ex.loc["c", "affiliate_rule_stake"] == pytest.approx(0.55)
    assert ex.loc["c", "affiliate_rule_owners"] == "a|b"
    lines = reasons(kg, "c")
    assert "c covered: listed or covered parties hold 55.0% (>= 50%)" in lines[0]
    assert lines[1].startswith("  30.0% held by a (listed): a -[OWNS 2020-01-01..]-> c")
    assert lines[2].startswith("  25.0% held by b (listed): b -[OWNS 2020-01-01..]-> c")


def test_a_chain_of_sixty_percent_cascades_although_the_product_is_36_percent():
    kg = owned([("a", "z", 60), ("z", "w", 60)], listed=("a",))
    ex = exposure(kg)
    assert ex.loc["z", "affiliate_rule_covered"] and ex.loc["w", "affiliate_rule_covered"]
    assert ex.loc["w", "affiliate_rule_owners"] == "z" and ex.loc["w", "affiliate_rule_stake"] == pytest.approx(0.6)
    lines = reasons(kg, "w")
    assert lines[1].startswith("  60.0% held by z (covered): z -[OWNS 2020-01-01..]-> w")
    assert lines[2] == "    z is covered: listed or covered parties hold 60.0%"
    assert lines[3].startswith("      60.0% held by a (listed): a -[OWNS 2020-01-01..]-> z")


def test_a_chain_plus_an_aggregate():
    # a (listed) 60% of z; z (covered) 30% of w; b (listed) 20% of w: 50% in the aggregate
    kg = owned([("a", "z", 60), ("z", "w", 30), ("b", "w", 20)])
    ex = exposure(kg)
    assert ex.loc["w", "affiliate_rule_covered"] and ex.loc["w", "affiliate_rule_stake"] == pytest.approx(0.5)
    assert ex.loc["w", "affiliate_rule_owners"] == "z|b"
    terms = [line for line in reasons(kg, "w") if line.startswith("  ") and "held by" in line and not line.startswith("    ")]
    assert [t.split(" held by ")[0].strip() for t in terms] == ["30.0%", "20.0%"]


def test_a_cross_holding_among_uncovered_companies_does_not_cover_itself():
    # a (listed) 40% of b; b 60% of c; c 20% of b: b stays at 40%, so neither is covered
    kg = owned([("a", "b", 40), ("b", "c", 60), ("c", "b", 20)], listed=("a",))
    ex = exposure(kg)
    assert not ex.loc["b", "affiliate_rule_covered"] and not ex.loc["c", "affiliate_rule_covered"]
    assert ex.loc["b", "affiliate_rule_stake"] == pytest.approx(0.4)
    # the same cycle once b is covered: c follows, and the cycle back into b changes nothing
    kg = owned([("a", "b", 50), ("b", "c", 60), ("c", "b", 20)], listed=("a",))
    ex = exposure(kg)
    assert ex.loc["b", "affiliate_rule_covered"] and ex.loc["c", "affiliate_rule_covered"]
    lines = reasons(kg, "b")
    assert "c" not in [line.split(" held by ")[1].split(" ")[0] for line in lines[1:] if " held by " in line]


def test_just_below_fifty_percent_is_not_covered_and_says_so():
    kg = owned([("a", "c", 30), ("b", "c", 19.9)])
    ex = exposure(kg)
    assert not ex.loc["c", "affiliate_rule_covered"] and ex.loc["c", "affiliate_rule_stake"] == pytest.approx(0.499)
    assert reasons(kg, "c") == ["affiliates rule: BIS Affiliates Rule (Entity List 50 percent rule) in force on 2025-10-15 (since 2025-09-29); "
                                "c not covered: listed or covered parties hold 49.9% (< 50%); holders: a 30.0%, b 19.9%"]


def test_the_rule_applies_only_while_in_force():
    kg = owned([("a", "c", 30), ("b", "c", 25)])
    before, during, suspended, back = (exposure(kg, d) for d in ("2025-09-28", IN_FORCE, SUSPENDED, "2026-11-10"))
    assert [bool(x.loc["c", "affiliate_rule_covered"]) for x in (before, during, suspended, back)] == [False, True, False, True]
    assert [bool(x.loc["c", "affiliate_rule_in_force"]) for x in (before, during, suspended, back)] == [False, True, False, True]
    assert suspended.loc["c", "affiliate_rule_owners"] == "" and suspended.loc["c", "affiliate_rule_stake"] == pytest.approx(0.55)
    first = reasons(kg, "c", SUSPENDED)[0]
    assert "suspended on 2026-01-15 (2025-11-10..2026-11-09): not applied; c would be covered" in first
    assert "not yet in force on 2025-09-28 (effective 2025-09-29): not applied" in reasons(kg, "c", "2025-09-28")[0]


def test_the_features_table_and_explain_carry_the_rule(tmp_path):
    from cnaikg.queries.explain import explain
    from cnaikg.queries.features import features

    kg = owned([("a", "c", 30), ("b", "c", 25)])
    assert bool(features(kg, as_of=IN_FORCE).loc["c", "affiliate_rule_covered"])
    assert not features(kg, as_of=SUSPENDED).loc["c", "affiliate_rule_covered"]
    assert any("suspended" in line for line in explain(kg, "c", as_of=SUSPENDED).exposure)


def test_the_shipped_data_covers_huaweis_subsidiary_only_while_the_rule_is_in_force(kg):
    during, suspended = exposure(kg, IN_FORCE), exposure(kg, SUSPENDED)
    assert during.loc["hisilicon", "affiliate_rule_covered"] and "huawei" in during.loc["hisilicon", "affiliate_rule_owners"]
    assert not suspended.loc["hisilicon", "affiliate_rule_covered"]


def reference_coverage(listed, holdings, threshold=0.5):
    """An independent, plain-Python reading of the rule: repeat until nothing changes."""
    stakes = {}
    for h, c, p in holdings:
        if h != c:
            stakes[(h, c)] = max(stakes.get((h, c), 0.0), p / 100.0)
    covered = set()
    changed = True
    while changed:
        changed = False
        for c in {c for _, c in stakes} - set(listed) - covered:
            if sum(v for (h, cc), v in stakes.items() if cc == c and (h in listed or h in covered)) >= threshold - 1e-9:
                covered.add(c)
                changed = True
    return covered


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(holdings=st.lists(st.tuples(st.sampled_from("abcdefg"), st.sampled_from("abcdefg"), st.integers(1, 100)), max_size=14),
       listed=st.sets(st.sampled_from("abcdefg"), max_size=3))
def test_coverage_equals_an_independent_fixed_point_on_random_ownership(holdings, listed):
    holdings = [h for h in holdings if h[0] != h[1]]
    kg = owned(holdings, listed=tuple(sorted(listed)))
    ex = exposure(kg)
    got = {i for i in ex.index if ex.loc[i, "affiliate_rule_covered"]}
    assert got == reference_coverage(listed, holdings)
