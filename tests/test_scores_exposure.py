"""Export-control exposure: on a list, listed suppliers and customers, the 50% affiliates rule, each with its cause."""

from __future__ import annotations

import pytest

from scores_fixtures import scores_dir, skg, src, with_facts  # noqa: F401  (fixtures)


def test_listing_suppliers_and_the_affiliates_rule(skg):
    from cnaikg.queries.exposure import export_control_exposure

    ex = export_control_exposure(skg, as_of="2025-10-15")  # the affiliates rule was in force
    assert ex.loc["listed-x", "on_export_control_list"] and ex.loc["listed-x", "export_lists"] == "us-entity-list"
    assert ex.loc["chip-c", "listed_suppliers"] == 1 and ex.loc["chip-c", "listed_customers"] == 0
    assert ex.loc["listed-x", "listed_customers"] == 0
    # listed-x owns 60% of affil-y: the affiliates rule covers it
    assert ex.loc["affil-y", "affiliate_rule_covered"] and ex.loc["affil-y", "affiliate_rule_owners"] == "listed-x"
    assert ex.loc["affil-y", "affiliate_rule_stake"] == pytest.approx(0.6)
    assert not ex.loc["chip-c", "affiliate_rule_covered"]


def test_the_rule_cascades_through_covered_entities_with_their_full_stake(skg):
    from cnaikg.graph import Entity, Fact, KnowledgeGraph
    from cnaikg.queries.exposure import export_control_exposure

    s = src()
    base = [*skg.entities(), Entity("sub-1", "company", "Sub 1"), Entity("sub-2", "company", "Sub 2")]
    facts = [*skg.facts(),
             Fact.create("affil-y", "OWNS", "sub-1", properties={"stake_pct": 90}, sources=(s,)),
             Fact.create("affil-y", "OWNS", "sub-2", properties={"stake_pct": 49}, sources=(s,))]
    ex = export_control_exposure(KnowledgeGraph(base, facts, skg.ontology), as_of="2025-10-15")
    # affil-y is covered, so its own 90% counts in full (OFAC FAQ 401), not 0.6 x 0.9
    assert ex.loc["sub-1", "affiliate_rule_covered"] and ex.loc["sub-1", "affiliate_rule_stake"] == pytest.approx(0.9)
    assert not ex.loc["sub-2", "affiliate_rule_covered"] and ex.loc["sub-2", "affiliate_rule_stake"] == pytest.approx(0.49)


def test_explain_gives_the_path_that_causes_each_exposure(skg):
    from cnaikg.queries.explain import explain

    lines = explain(skg, "affil-y", as_of="2025-10-15").exposure
    assert lines == ["affiliates rule: BIS Affiliates Rule (Entity List 50 percent rule) in force on 2025-10-15 (since 2025-09-29); "
                     "affil-y covered: listed or covered parties hold 60.0% (>= 50%) directly or through covered entities",
                     "  60.0% held by listed-x (listed): listed-x -[OWNS 2015..]-> affil-y (source: Example Filings 2018-06-01 https://example.org/2018/fund-a)"]
    # the fixture's data date (2024) is before the rule: it is not applied, and the explanation says so
    assert explain(skg, "affil-y").exposure[0].startswith(
        "affiliates rule: BIS Affiliates Rule (Entity List 50 percent rule) not yet in force on 2024-03-01 (effective 2025-09-29): not applied; affil-y would be covered")
    chip = explain(skg, "chip-c").exposure
    assert chip[0].startswith("listed supplier listed-x: listed-x -[SUPPLIES 2018..]-> chip-c (source: Example Filings 2018-06-01")
    assert explain(skg, "listed-x").exposure[0].startswith("on us-entity-list: listed-x -[ON_LIST 2020-12-18..]-> us-entity-list (source: Example Exchange 2020-12-20")


def test_the_shipped_dataset_has_smic_on_the_entity_list(kg):
    from cnaikg.queries.exposure import export_control_exposure

    ex = export_control_exposure(kg)
    assert ex.loc["smic", "on_export_control_list"] and "us-entity-list" in ex.loc["smic", "export_lists"]
