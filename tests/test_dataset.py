"""The shipped dataset: big enough, every fact sourced, every id resolvable, tickers in their exchange's format."""

import re

import networkx as nx
import pytest

from cnaikg.loaders.curated import read_dataset

# every organisation named in the material this project started from, by id
REQUIRED = [
    "deepseek", "zhipu-ai", "moonshot-ai", "minimax", "sensetime", "alibaba", "tencent", "baidu", "huawei",
    "moore-threads", "metax", "cambricon", "smic", "montage-technology", "amec", "will-semi", "nvidia", "amd", "openai",
    "aramco-ventures", "cicc", "tsinghua", "national-ai-industry-investment-fund", "national-venture-capital-guidance-fund",
    "national-integrated-computing-network", "csi-300", "sp-500", "nasdaq-composite", "hang-seng-tech",
    "sse", "szse", "hkex", "nasdaq", "nyse", "kraneshares", "kweb", "rayliant", "china-amc", "ruffer", "ubs",
    "north-of-south", "cgs-international", "big-fund-i", "big-fund-ii", "big-fund-iii",
]


@pytest.fixture(scope="module")
def ds():
    return read_dataset()


def test_dataset_is_valid_and_large_enough(ds):
    assert ds.errors == []
    assert len(ds.entities) >= 150
    assert len(ds.facts) >= 300


def test_every_named_organisation_is_present(ds):
    missing = [i for i in REQUIRED if i not in ds.entities]
    assert missing == []


def test_every_fact_has_a_dated_source_and_a_confidence(ds):
    for f in ds.facts:
        assert f.sources, f.origin
        assert any(s.published for s in f.sources), f.origin
        for s in f.sources:
            assert re.match(r"^https?://", s.url) and s.publisher, f.origin
        assert f.confidence in ("high", "medium", "low")


def test_every_id_resolves_to_itself(kg):
    for e in kg.entities():
        assert kg.resolve(e.id) is e


def test_every_ticker_matches_its_exchange_format(ds):
    listed = [f for f in ds.facts if f.relation == "LISTED_ON"]
    assert len(listed) >= 30
    for f in listed:
        assert ds.ticker_formats[f.object].fullmatch(f.properties["ticker"]), f.origin


def test_known_listings_are_right(kg):
    """Tickers checked by hand against exchange notices (the material we started from had wrong ones)."""
    assert "688795.SS" in kg.entity("moore-threads").tickers
    assert "688802.SS" in kg.entity("metax").tickers
    assert {"0981.HK", "688981.SS"} <= set(kg.entity("smic").tickers)
    assert "688256.SS" in kg.entity("cambricon").tickers
    assert {"9988.HK", "BABA"} <= set(kg.entity("alibaba").tickers)


def test_the_graph_is_connected_in_a_useful_way(kg):
    """Apart from places, nearly everything hangs together in one component."""
    G = kg.G.subgraph([n for n, d in kg.G.nodes(data=True) if d["type"] != "place"]).to_undirected()
    giant = max(nx.connected_components(G), key=len)
    assert len(giant) / G.number_of_nodes() >= 0.9
    # state capital reaches the labs and the chipmakers
    assert nx.has_path(kg.G.to_undirected(), "big-fund-ii", "smic")
    assert nx.has_path(kg.G.to_undirected(), "national-ai-industry-investment-fund", "zhipu-ai")
