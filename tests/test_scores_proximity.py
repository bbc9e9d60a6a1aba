"""Policy proximity: hand-checked components, zero without a path, monotone in ties, deterministic, explained."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scores_fixtures import scores_dir, skg, src, with_facts  # noqa: F401  (fixtures)

STATE = ["fund-a", "ministry-m", "tsinghua", "china-mobile", "prog-p"]
COMPANIES = ["holdco-b", "chip-c", "labco-d", "loner-e", "placeonly-f", "listed-x", "affil-y", "evil-z"]


def test_each_component_matches_its_hand_computed_value(skg):
    from cnaikg.queries.proximity import proximity_components

    c = proximity_components(skg)
    # a tie's strength is actor weight x relation weight (data/state_actors.toml)
    assert c.loc["labco-d", "state_commercial_ties"] == pytest.approx(0.7 * 0.7)  # SOE (0.7) x PARTNERS_WITH (0.7)
    assert c.loc["labco-d", "state_programmes"] == pytest.approx(0.5 * 0.6)  # programme (0.5) x MEMBER_OF (0.6)
    assert c.loc["chip-c", "state_lab_university_ties"] == pytest.approx(0.6 * 0.6)  # university (0.6) x AFFILIATED_WITH (0.6)
    assert c.loc["chip-c", "state_commercial_ties"] == pytest.approx(0.7 * 0.6)  # SOE customer x SUPPLIES (0.6)
    assert c.loc["holdco-b", "direct_state_equity"] == pytest.approx(0.5)


def test_the_score_is_the_weighted_mean_of_the_components(skg):
    from cnaikg.queries.proximity import COMPONENTS, policy_proximity, proximity_components
    from cnaikg.queries.state import load_state_actors

    w = load_state_actors().proximity_weights
    c = proximity_components(skg)
    expected = sum(w[k.name] * c[k.name] for k in COMPONENTS) / sum(w.values())
    assert (policy_proximity(skg) - expected).abs().max() < 1e-12


def test_a_company_with_no_path_to_a_state_actor_scores_zero(skg):
    from cnaikg.queries.proximity import policy_proximity

    pp = policy_proximity(skg)
    assert pp["loner-e"] == 0.0
    # placeonly-f shares a city with a ministry, but LOCATED_IN carries weight 0: no path, no score
    assert pp["placeonly-f"] == 0.0
    assert pp["holdco-b"] > 0 and pp["chip-c"] > 0 and pp["labco-d"] > 0
    assert pp.between(0, 1).all()


def test_the_score_is_deterministic(skg, scores_dir):
    from cnaikg.graph import build_graph
    from cnaikg.queries.features import features

    a = features(skg)
    b = features(build_graph(scores_dir))
    assert a.equals(b)


def test_weights_can_be_overridden_and_unknown_names_are_refused(skg):
    from cnaikg.errors import DataError
    from cnaikg.queries.proximity import policy_proximity

    only_equity = policy_proximity(skg, weights={k: 0.0 for k in ["lookthrough_state_equity", "state_lab_university_ties",
                                                                    "state_commercial_ties", "state_programmes", "state_diffusion"]})
    assert only_equity["holdco-b"] == pytest.approx(0.5) and only_equity["chip-c"] == 0.0
    with pytest.raises(DataError, match="not a policy-proximity component"):
        policy_proximity(skg, weights={"charisma": 1.0})


def test_the_breakdown_by_kind_counts_only_that_kind(skg):
    from cnaikg.queries.features import features

    df = features(skg)
    assert df.loc["labco-d", "proximity_programme"] > 0
    assert df.loc["holdco-b", "proximity_central_fund"] > 0
    # the programme reaches holdco-b only by diffusion over four hops: far weaker than its own state owner
    assert 0.0 <= df.loc["holdco-b", "proximity_programme"] < 0.1 * df.loc["holdco-b", "proximity_central_fund"]
    assert df.loc["loner-e"].filter(like="proximity_").max() == 0.0
    assert (df.filter(like="proximity_").max(axis=1) <= 1.0).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(company=st.sampled_from(COMPANIES), actor=st.sampled_from(STATE),
       relation=st.sampled_from(["PARTNERS_WITH", "SUPPLIES", "INVESTS_IN", "OWNS", "AFFILIATED_WITH", "MEMBER_OF"]),
       stake=st.one_of(st.none(), st.floats(0, 100)))
def test_adding_a_tie_to_a_state_actor_never_lowers_any_score(skg, company, actor, relation, stake):
    from cnaikg.graph import Fact
    from cnaikg.queries.proximity import policy_proximity, proximity_components

    onto = skg.ontology.relation(relation)
    ctype, atype = skg.entity(company).type, skg.entity(actor).type
    if onto.allows(ctype, atype):
        subj, obj = company, actor
    elif onto.allows(atype, ctype):
        subj, obj = actor, company
    else:
        return  # the ontology forbids this tie
    props = {"stake_pct": stake} if stake is not None and "stake_pct" in onto.properties else {}
    grown = with_facts(skg, Fact.create(subj, relation, obj, since="2019-01", properties=props, sources=(src(),)))
    before, after = policy_proximity(skg), policy_proximity(grown)
    assert (after - before).min() >= -1e-9, (after - before).idxmin()
    cb, ca = proximity_components(skg), proximity_components(grown)
    assert ((ca - cb).min() >= -1e-9).all()
    assert after[company] >= before[company]


def test_the_shipped_dataset_scores_state_backed_companies_above_zero(kg):
    from cnaikg.queries.proximity import policy_proximity

    pp = policy_proximity(kg)
    assert pp["smic"] > 0.1  # the Big Fund holds part of SMIC
    assert pp.between(0, 1).all()


def test_explanations_name_the_components_and_their_counted_terms(skg):
    from cnaikg.queries.explain import explain, explanation_lines

    ex = explain(skg, "labco-d")
    contrib = [c["contribution"] for c in ex.components]
    assert contrib == sorted(contrib, reverse=True)  # top first
    part = next(c for c in ex.components if c["component"] == "state_commercial_ties")
    assert part["value"] == pytest.approx(0.49) and part["contribution"] == pytest.approx(0.49 * 0.20)
    # PARTNERS_WITH is symmetric: the hop is shown without an arrow head
    assert part["details"] == [
        "china-mobile -[PARTNERS_WITH 2019-01..]- labco-d (source: Example News 2019-06-01 https://example.org/2019/chip-c); "
        "tie strength 0.70 (weight of china-mobile) x 0.70 (PARTNERS_WITH) = 0.490"]
    assert part["terms"][0][0] == pytest.approx(0.49)
    prog = next(c for c in ex.components if c["component"] == "state_programmes")
    assert prog["details"][0].startswith("labco-d -[MEMBER_OF 2019-01..]-> prog-p (source: Example News 2019-06-01")
    # today the strongest path is fund-a's 2023 investment: weight 1.0 x decay 0.3 x INVESTS_IN 0.9
    assert (ex.paths[0].actor, ex.paths[0].strength) == ("fund-a", pytest.approx(0.27))
    assert str(ex.paths[0].hops[0]) == "labco-d <-[INVESTS_IN 2023-01..]- fund-a (source: Example News 2023-02-01 https://example.org/2023/labco-d)"
    # as of mid-2022 that investment did not exist: one hop to the SOE, 0.7 x 0.3 x PARTNERS_WITH 0.7
    p = explain(skg, "labco-d", as_of="2022-06-01").paths[0]
    assert p.actor == "china-mobile" and p.strength == pytest.approx(0.7 * 0.3 * 0.7)
    assert (p.hops[0].relation, p.hops[0].since, p.hops[0].end) == ("PARTNERS_WITH", "2019-01", "china-mobile")
    assert p.hops[0].sources == ("Example News 2019-06-01 https://example.org/2019/chip-c",)
    lines = explanation_lines(ex)
    assert lines[0].startswith(ex.components[0]["component"])
    assert any(line.startswith("state_commercial_ties 0.49 (+0.098): china-mobile -[PARTNERS_WITH") for line in lines)
    # every line is a counted term: no path line that the score does not count
    assert not any(line.startswith("path ") for line in lines)
    assert explanation_lines(explain(skg, "loner-e")) == ["no path to any state actor"]


def test_a_two_hop_path_reads_through_the_intermediate(skg):
    from cnaikg.queries.explain import explain

    ex = explain(skg, "evil-z")  # evil-z <- labco-d -> china-mobile
    p = next(p for p in ex.paths if p.actor == "china-mobile")
    assert [(h.start, h.relation, h.end, h.forward) for h in p.hops] == [
        ("evil-z", "SUPPLIES", "labco-d", False), ("labco-d", "PARTNERS_WITH", "china-mobile", False)]
    assert str(p.hops[1]).startswith("labco-d -[PARTNERS_WITH 2019-01..]- china-mobile")
    assert str(p.hops[0]) == "evil-z <-[SUPPLIES 2019-01..]- labco-d (source: Example News 2019-06-01 https://example.org/2019/chip-c)"


def test_the_batched_breakdown_equals_scoring_each_kind_alone(skg):
    from cnaikg.queries.arrays import graph_arrays
    from cnaikg.queries.proximity import proximity_all, proximity_arrays

    ga = graph_arrays(skg)
    score, comps, by_kind = proximity_all(ga)
    assert abs(score - proximity_arrays(ga)[0]).max() < 1e-12
    for kind in ga.kind_names:
        assert abs(by_kind[kind] - proximity_arrays(ga, kind=kind)[0]).max() < 1e-12, kind


def test_every_component_explains_itself_with_its_fact(skg):
    from cnaikg.queries.explain import explain

    chip = {c["component"]: c for c in explain(skg, "chip-c", top=5).components}
    assert chip["state_lab_university_ties"]["details"] == [
        "chip-c -[AFFILIATED_WITH 2019-01..]-> tsinghua (source: Example News 2019-06-01 https://example.org/2019/chip-c); "
        "tie strength 0.60 (weight of tsinghua) x 0.60 (AFFILIATED_WITH) = 0.360"]
    assert chip["state_commercial_ties"]["details"] == [
        "chip-c -[SUPPLIES 2019-01..]-> china-mobile (source: Example News 2019-06-01 https://example.org/2019/chip-c); "
        "tie strength 0.70 (weight of china-mobile) x 0.60 (SUPPLIES) = 0.420"]
    hold = {c["component"]: c for c in explain(skg, "holdco-b").components}
    assert hold["direct_state_equity"]["details"] == [
        "fund-a holds 50.0% x weight 1.00: fund-a -[OWNS 2018-01..]-> holdco-b (source: Example Filings 2018-06-01 https://example.org/2018/fund-a)"]
    # the cycle adds to fund-a's direct 50%: the look-through term is the effective 52.1%, with its strongest chain named as such
    assert hold["lookthrough_state_equity"]["details"][0].startswith(
        "fund-a holds 52.1% effectively x weight 1.00 (strongest chain 50.0%; other chains or cross-holdings add the rest): fund-a -[OWNS 2018-01..]-> holdco-b")
