"""Canned Cypher queries on the shipped curated dataset, in the real bundled Bolt server, cross-checked with the graph.

The fixture-based tests pin exact rows on a small dataset; these check that the
same queries give the answers the networkx graph gives on the real data.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.bolt


@pytest.fixture(scope="module")
def curated(kg, curated_server):
    """The shipped graph and the session's real local server serving it."""
    return kg, curated_server


def run(srv, name, **params):
    from cnaikg.queries.cypher_queries import get_query

    q = get_query(name)
    return srv.run(q.text, q.bind(params)).rows


def test_listings_match_every_listed_on_fact(curated):
    kg, srv = curated
    rows = run(srv, "listings")
    got = {(r["exchange"], r["ticker"], r["entity"]) for r in rows}
    want = {(f.object, f.properties["ticker"], f.subject) for f in kg.facts("LISTED_ON")}
    assert got == want
    assert ("sse", "688795.SS", "moore-threads") in got and ("hkex", "0981.HK", "smic") in got


def test_export_control_lists_the_entity_list_with_its_supply_ties(curated):
    kg, srv = curated
    rows = run(srv, "export-control", list="us-entity-list")
    got = {r["entity"] for r in rows}
    assert got == {f.subject for f in kg.facts("ON_LIST") if f.object == "us-entity-list"}
    assert {"zhipu-ai", "smic", "moore-threads"} <= got
    for r in rows:
        customers = {f.object for f in kg.facts_of(r["entity"], "SUPPLIES", "out")}
        assert set(r["customers"]) == customers, r["entity"]


def test_a_state_fund_portfolio_and_the_funders_of_smic(curated):
    kg, srv = curated
    portfolio = {r["company"] for r in run(srv, "fund-portfolio", fund="big-fund-ii")}
    assert portfolio == {f.object for f in kg.facts_of("big-fund-ii", direction="out") if f.relation in ("INVESTS_IN", "OWNS", "HOLDS")}
    funders = {r["funder"] for r in run(srv, "funders", company="smic", hops=1)}
    assert funders == {f.subject for f in kg.facts_of("smic", direction="in") if f.relation in ("INVESTS_IN", "OWNS", "FUNDS")}
    assert "big-fund-i" in funders


def test_the_shortest_path_limit_is_still_there_and_the_rewrite_finds_the_path(curated):
    """ArcadeDB filters a shortestPath by WHERE after the search; the documented rewrite gives Neo4j's answer (3)."""
    from cnaikg.graph.store.writer import shortest_path_with_where

    kg, srv = curated
    limited = ("MATCH (a:Entity {id: 'moonshot-ai'}), (b:Entity {id: 'smic'}) MATCH p = shortestPath((a)-[*..8]-(b)) "
               "WHERE none(n IN nodes(p) WHERE n.id = 'beijing') RETURN length(p) AS hops")
    rewrite = ("MATCH p = (a:Entity {id: 'moonshot-ai'})-[*..3]-(b:Entity {id: 'smic'}) "
               "WHERE none(n IN nodes(p) WHERE n.id = 'beijing') RETURN length(p) AS hops ORDER BY hops LIMIT 1")
    assert shortest_path_with_where(limited) and not shortest_path_with_where(rewrite)
    assert srv.run(rewrite).rows == [{"hops": 3}]
    # when a newer arcadedb-embedded fixes this, this line fails: then drop the warning and the docs section
    assert srv.run(limited).rows == []
