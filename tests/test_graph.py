"""The graph API as an analyst uses it: look up, resolve, walk, and view as of a date."""

import pytest

from cnaikg.errors import AmbiguousEntityError, UnknownEntityError
from cnaikg.graph import KnowledgeGraph
from cnaikg.loaders.curated import load_curated


@pytest.fixture
def mini_kg(mini):
    return KnowledgeGraph.from_dataset(load_curated(mini))


def test_resolution_by_ticker_chinese_and_english_name(kg):
    assert kg.resolve("9988.HK") is kg.resolve("阿里巴巴") is kg.resolve("Alibaba Group") is kg.entity("alibaba")
    assert kg.resolve("0981.HK").id == "smic"
    assert kg.resolve("688981").id == "smic"
    assert kg.resolve("moore threads").id == "moore-threads"


def test_ambiguous_input_lists_the_candidates(mini_kg):
    with pytest.raises(AmbiguousEntityError) as err:
        mini_kg.resolve("Acme")
    assert err.value.candidates == ["acme-ai", "state-fund-x"]
    assert "acme-ai (Acme AI, company)" in str(err.value)


def test_unknown_input_suggests_close_names(mini_kg):
    with pytest.raises(UnknownEntityError, match="closest: ChipCo"):
        mini_kg.resolve("ChipCoo")


def test_entities_facts_and_neighbours(mini_kg):
    assert [e.id for e in mini_kg.entities("company")] == ["acme-ai", "chipco"]
    assert [f.relation for f in mini_kg.facts_of("chipco", direction="in")] == ["INVESTS_IN", "OWNS"]
    assert [e.id for e in mini_kg.neighbors("chipco", "SUPPLIES", "out")] == ["acme-ai"]
    fact = mini_kg.facts("INVESTS_IN")[0]
    assert fact.properties == {"round": "Series B", "amount": 100000000, "currency": "CNY", "stake_pct": 12.5}
    assert mini_kg.entity("chipco").tickers == ["688999.SS"]


def test_as_of_keeps_only_facts_valid_and_published_then(mini_kg):
    # 2016-03: the investment happened, but its source (published 2016-04) was not out yet
    assert mini_kg.as_of("2016-03-15").facts("INVESTS_IN") == []
    assert len(mini_kg.as_of("2016-05-01").facts("INVESTS_IN")) == 1
    assert len(mini_kg.as_of("2016-05-01", require_published=False).facts("INVESTS_IN")) == 1
    # the OWNS stake ended in 2019-12-31 (exclusive)
    assert len(mini_kg.as_of("2019-12-30").facts("OWNS")) == 1
    assert mini_kg.as_of("2019-12-31").facts("OWNS") == []
    # Acme AI was founded in 2023-07: not in a 2020 view
    assert "acme-ai" not in mini_kg.as_of("2020-01-01")
    assert "acme-ai" in mini_kg.as_of("2024-07-01")


def test_summary_counts_every_type(mini_kg):
    s = mini_kg.summary()
    assert s["entities"] == 5 and s["facts"] == 5
    assert s["entities_by_type"]["company"] == 2
    assert s["facts_by_relation"]["HOLDS"] == 0  # every ontology type is listed, even when empty


def test_the_current_view_is_as_of_the_data_date(mini_kg):
    """Without a date, scores use the graph as of its newest source: ended stakes no longer count."""
    assert mini_kg.data_date().isoformat() == "2024-06-01"
    now = mini_kg.current()
    assert now.facts("OWNS") == []  # the 20% stake ended on 2019-12-31
    assert len(now.facts("INVESTS_IN")) == 1
    assert now.current() is now and mini_kg.as_of("2024-06-01") is now  # views are kept, not rebuilt


def test_scores_without_a_date_ignore_ended_stakes(mini_kg):
    """State Fund X held 20% of ChipCo until 2019 and 12.5% after its 2016 round: today only the 12.5% counts."""
    from cnaikg.queries.features import features

    now, then = features(mini_kg), features(mini_kg, as_of="2018-01-01")
    assert then.loc["chipco", "state_stake_direct"] == 0.20
    assert now.loc["chipco", "state_stake_direct"] == 0.125
