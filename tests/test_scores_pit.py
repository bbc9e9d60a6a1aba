"""Point in time: features as of D use only facts true on D and published by D; later facts change nothing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scores_fixtures import scores_dir, skg, src, with_facts  # noqa: F401  (fixtures)

D = "2021-06-30"
NODES = ["fund-a", "ministry-m", "tsinghua", "china-mobile", "prog-p", "holdco-b", "chip-c", "labco-d", "loner-e",
         "placeonly-f", "listed-x", "affil-y", "evil-z", "us-entity-list", "sse", "beijing"]


def test_a_fact_counts_only_once_true_and_published(skg):
    from cnaikg.queries.features import features

    before, after = features(skg, as_of="2022-06-01"), features(skg, as_of="2024-06-01")
    # fund-a's 8% of labco-d: valid from 2023-01, published 2023-02-01
    assert before.loc["labco-d", "direct_state_equity"] == 0.0
    assert after.loc["labco-d", "direct_state_equity"] == pytest.approx(0.08)
    # labco-d's Tsinghua tie: true since 2019 but published only 2024-03-01
    assert before.loc["labco-d", "state_lab_university_ties"] == 0.0
    assert features(skg, as_of="2024-02-29").loc["labco-d", "state_lab_university_ties"] == 0.0
    assert features(skg, as_of="2024-03-01").loc["labco-d", "state_lab_university_ties"] == pytest.approx(0.36)
    # the Entity List listing of listed-x (2020-12-18, published 2020-12-20)
    assert not features(skg, as_of="2020-12-19").loc["listed-x", "on_export_control_list"]
    assert features(skg, as_of="2020-12-20").loc["listed-x", "on_export_control_list"]


def test_the_same_inputs_and_date_give_identical_tables(skg, tmp_path):
    from cnaikg.queries.features import features, write_features

    a = write_features(features(skg, as_of=D), tmp_path / "a.csv").read_bytes()
    b = write_features(features(skg, as_of=D), tmp_path / "b.csv").read_bytes()
    assert a == b


late_fact = st.builds(
    lambda s, rel, o, stake, mode, days: (s, rel, o, stake, mode, days),
    st.sampled_from(NODES), st.sampled_from(["OWNS", "INVESTS_IN", "PARTNERS_WITH", "SUPPLIES", "AFFILIATED_WITH", "MEMBER_OF", "ON_LIST", "SUBSIDIARY_OF"]),
    st.sampled_from(NODES), st.one_of(st.none(), st.floats(0, 100)), st.sampled_from(["starts-later", "published-later", "both"]),
    st.integers(1, 3000),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=st.lists(late_fact, min_size=1, max_size=6))
def test_adding_facts_dated_after_d_changes_nothing_as_of_d(skg, facts):
    from cnaikg.graph import Fact
    from cnaikg.queries.features import features

    day = dt.date.fromisoformat(D)
    added = []
    for s, rel, o, stake, mode, days in facts:
        spec = skg.ontology.relation(rel)
        if s == o or not spec.allows(skg.entity(s).type, skg.entity(o).type):
            continue
        later = (day + dt.timedelta(days=days)).isoformat()
        since = later if mode in ("starts-later", "both") else "2015-01-01"
        published = later if mode in ("published-later", "both") else "2015-01-01"
        props = {"stake_pct": stake} if stake is not None and "stake_pct" in spec.properties else {}
        if rel == "ON_LIST":
            props = {}
        added.append(Fact.create(s, rel, o, since=since, properties=props, sources=(src(published, "late"),)))
    grown = with_facts(skg, *added)
    pd.testing.assert_frame_equal(features(skg, as_of=D), features(grown, as_of=D))
