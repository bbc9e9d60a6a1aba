"""Look-through ownership, hand-checked: chains, a cross-holding cycle, ultimate controllers, the top paths."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from scores_fixtures import scores_dir, skg  # noqa: F401  (fixtures)


def test_a_chain_multiplies_stakes_and_a_cycle_is_walked_round(skg):
    from cnaikg.queries.ownership import look_through_ownership

    # fund-a holds 50% of holdco-b; holdco-b 40% of chip-c; chip-c 10% of holdco-b (a cycle)
    df = look_through_ownership(skg, holders=["fund-a"]).set_index("entity")
    # fund-a in holdco-b: 0.5 + 0.5*0.4*0.1 + 0.5*(0.4*0.1)^2 + ... = 0.5 / (1 - 0.04)
    assert df.loc["holdco-b", "effective"] == pytest.approx(0.5 / 0.96, abs=1e-9)
    assert df.loc["holdco-b", "direct"] == pytest.approx(0.5)
    # fund-a in chip-c: 0.4 times that
    assert df.loc["chip-c", "effective"] == pytest.approx(0.4 * 0.5 / 0.96, abs=1e-9)
    assert df.loc["chip-c", "direct"] == 0.0


def test_the_features_table_carries_the_same_stakes_and_the_controller(skg):
    from cnaikg.queries.features import features

    df = features(skg)
    assert df.loc["holdco-b", "state_stake_lookthrough"] == pytest.approx(0.5 / 0.96)
    assert df.loc["chip-c", "state_stake_central_fund"] == pytest.approx(0.2 / 0.96)
    assert df.loc["holdco-b", "state_stake_direct"] == pytest.approx(0.5)
    # fund-a holds exactly 50% of holdco-b directly: not a majority (the cycle's 52% effective is economic interest, not votes)
    assert df.loc["holdco-b", "ultimate_controller"] == "" and df.loc["holdco-b", "control_status"] == "no majority holder"
    assert df.loc["affil-y", "ultimate_controller"] == "listed-x" and df.loc["affil-y", "control_status"] == "controlled"
    assert df.loc["chip-c", "ultimate_controller"] == ""  # nobody holds more than 50%


def test_the_top_of_a_control_chain_is_the_ultimate_controller():
    from cnaikg.graph import Entity, Fact, KnowledgeGraph
    from cnaikg.queries.features import features
    from scores_fixtures import src

    s = src()
    ents = [Entity("top", "company", "Top"), Entity("mid", "company", "Mid"), Entity("leaf", "company", "Leaf")]
    facts = [Fact.create("top", "OWNS", "mid", properties={"stake_pct": 100}, sources=(s,)),
             Fact.create("mid", "OWNS", "leaf", properties={"stake_pct": 70}, sources=(s,))]
    df = features(KnowledgeGraph(ents, facts))
    # both top (70% effective) and mid (70%) exceed 50% in leaf; top is not controlled by anyone: it is the ultimate
    assert df.loc["leaf", "ultimate_controller"] == "top"
    assert df.loc["leaf", "ultimate_controller_stake"] == pytest.approx(0.7)
    assert df.loc["mid", "ultimate_controller"] == "top"


def test_the_series_converges_on_a_degenerate_full_cross_holding():
    from cnaikg.queries.ownership import effective_ownership_matrix

    # A and B hold 100% of each other: the series never shrinks; it stops at max_depth, capped at 1
    W = sp.csr_matrix(([1.0, 1.0], ([0, 1], [1, 0])), shape=(2, 2))
    E = effective_ownership_matrix(W, max_depth=20).toarray()
    assert np.all(E <= 1.0) and E[0, 1] == 1.0


def test_matches_the_closed_form_on_a_random_cross_holding_network():
    from cnaikg.queries.ownership import effective_ownership_matrix

    rng = np.random.default_rng(0)
    M = rng.random((30, 30)) * (rng.random((30, 30)) < 0.15)
    np.fill_diagonal(M, 0)
    M = M / np.maximum(M.sum(axis=0), 1.0) * 0.9  # holders of each company hold at most 90%
    closed = M @ np.linalg.inv(np.eye(30) - M)
    E = effective_ownership_matrix(sp.csr_matrix(M), tolerance=1e-14, max_depth=500).toarray()
    assert np.abs(np.minimum(closed, 1) - E).max() < 1e-9


def test_the_top_paths_are_kept_best_first_with_their_facts(skg):
    from cnaikg.queries.arrays import graph_arrays
    from cnaikg.queries.ownership import ownership_paths

    ga = graph_arrays(skg)
    paths = ownership_paths(ga, ga.index["fund-a"], ga.index["chip-c"], k=3)
    assert paths[0].nodes == ("fund-a", "holdco-b", "chip-c")
    assert paths[0].stake == pytest.approx(0.2)
    assert [f.relation for f in paths[0].facts] == ["OWNS", "OWNS"]
    assert paths[0].facts[0].sources[0].url == "https://example.org/2018/fund-a"


def test_explain_shows_the_lookthrough_chain_with_dates_and_source(skg):
    from cnaikg.queries.explain import explain

    ex = explain(skg, "chip-c")
    look = next(c for c in ex.components if c["component"] == "lookthrough_state_equity")
    assert look["value"] == pytest.approx(0.2 / 0.96)
    text = look["details"][0]
    assert text.startswith("fund-a holds 20.8%")
    assert "fund-a -[OWNS 2018-01..]-> holdco-b (source: Example Filings 2018-06-01 https://example.org/2018/fund-a)" in text
    assert "holdco-b -[OWNS 2019-01..]-> chip-c" in text


def test_several_facts_about_one_holding_count_once_at_the_largest_valid_stake():
    from cnaikg.graph import Entity, Fact, KnowledgeGraph
    from cnaikg.queries.features import features
    from scores_fixtures import src

    s = src("2015-01-01")
    ents = [Entity("fund", "state_fund", "Fund", category="central"), Entity("co", "company", "Co")]
    facts = [Fact.create("fund", "INVESTS_IN", "co", since="2015", until="2021-04-12", properties={"stake_pct": 15.9}, sources=(s,)),
             Fact.create("fund", "OWNS", "co", since="2021-04-12", properties={"stake_pct": 8.93}, sources=(s,)),
             Fact.create("fund", "INVESTS_IN", "co", since="2016", properties={"round": "B"}, sources=(s,))]  # no stake: 5% assumed
    kg = KnowledgeGraph(ents, facts)
    assert features(kg, as_of="2020-06-30").loc["co", "state_stake_direct"] == pytest.approx(0.159)  # not 0.159 + 0.05
    # the 2015 round is closed by its until: the 2021 filing's 8.93% is what counts after it
    assert features(kg, as_of="2022-06-30").loc["co", "state_stake_direct"] == pytest.approx(0.0893)


def test_look_through_keeps_the_top_paths_best_first(skg):
    from cnaikg.queries.ownership import look_through_ownership

    df = look_through_ownership(skg, holders=["fund-a"], paths=2).set_index("entity")
    # paths are simple chains: the cycle adds to the effective stake (52.1%) but is not listed as a chain
    assert df.loc["holdco-b", "top_paths"] == ["fund-a > holdco-b (50.0%)"]
    assert df.loc["chip-c", "top_paths"][0] == "fund-a > holdco-b > chip-c (20.0%)"
