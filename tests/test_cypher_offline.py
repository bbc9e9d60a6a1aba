"""The Cypher area without a server: canned-query files, the ontology-to-Cypher mapping, the read-only guard, neo4j-admin export."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from conftest import run_cli

FIXTURE = Path(__file__).parent / "data" / "cypher"


def test_at_least_twelve_canned_queries_each_with_description_params_and_use():
    from cnaikg.queries.cypher_queries import load_queries

    qs = load_queries()
    assert len(qs) >= 12
    for q in qs.values():
        assert q.description and q.use, q.name
        for p in q.params:
            assert p.description, f"{q.name}: ${p.name} has no description"


def test_canned_queries_use_only_labels_and_types_of_the_ontology():
    from cnaikg.graph.store.writer import BASE_LABEL, schema_from_ontology
    from cnaikg.queries.cypher_queries import load_queries

    schema = schema_from_ontology()
    known = {BASE_LABEL, *schema.labels.values(), *schema.rel_types}
    for q in load_queries().values():
        text = re.sub(r"'[^']*'", "", q.text)
        used = set(re.findall(r"[(\[|:]\s*:?([A-Z][A-Za-z_]+)\b(?=[\s{)\]*|:])", text))
        used = {u for u in used if re.search(rf"[:|]\s*{u}\b", text)}
        assert used <= known, f"{q.name} uses {sorted(used - known)}"


def test_canned_queries_are_portable_cypher():
    from cnaikg.queries.cypher_queries import load_queries

    for q in load_queries().values():
        assert not re.search(r"\b(apoc|gds|algo|vector)\.", q.text), q.name  # no vendor procedures


def test_a_parameter_from_the_command_line_is_typed_and_checked():
    from cnaikg.errors import KGError
    from cnaikg.queries.cypher_queries import get_query

    q = get_query("supply-chain")
    assert q.bind({"company": "smic"}) == {"company": "smic", "hops": 3}
    with pytest.raises(KGError, match="needs --param company"):
        q.bind({})
    with pytest.raises(KGError, match="not a integer"):
        q.bind({"company": "smic", "hops": "three"})
    with pytest.raises(KGError, match="no parameter colour"):
        q.bind({"company": "smic", "colour": "red"})
    with pytest.raises(KGError, match="no canned query named 'nope'; known: changes-between"):
        get_query("nope")


def test_a_query_file_using_an_undeclared_parameter_is_rejected(tmp_path):
    from cnaikg.errors import KGError
    from cnaikg.queries.cypher_queries import parse_query

    f = tmp_path / "bad.cypher"
    f.write_text("// description: bad\nMATCH (n:Entity {id: $id}) RETURN n\n")
    with pytest.raises(KGError, match=r"uses \$id but declares no"):
        parse_query(f)


def test_labels_come_from_the_ontology_and_collisions_are_refused():
    from dataclasses import replace

    from cnaikg.errors import OntologyError
    from cnaikg.graph.store.writer import schema_from_ontology
    from cnaikg.graph.ontology import load_ontology

    onto = load_ontology()
    schema = schema_from_ontology(onto)
    assert set(schema.labels) == set(onto.entity_types) and set(schema.rel_types) == set(onto.relation_types)
    assert schema.node_label("government_body") == "GovernmentBody"
    clashing = replace(onto, entity_types={**onto.entity_types, "entity": onto.entity_types["company"]})
    with pytest.raises(OntologyError, match="'Entity' and 'Entity'"):
        schema_from_ontology(clashing)


@pytest.mark.parametrize("query, clause", [
    ("MATCH (n) SET n.x = 1", "SET"),
    ("match (n) detach delete n", "DETACH DELETE"),
    ("UNWIND [1] AS i CREATE (:X)", "CREATE"),
    ("MERGE (n:Entity {id: 'a'})", "MERGE"),
    ("MATCH (n) REMOVE n:Company", "REMOVE"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "LOAD CSV"),
    ("MATCH (n) FOREACH (x IN [1] | SET n.y = x)", "FOREACH"),
    ("INSERT (:Evil)", "INSERT"),
    ("WITH 1 AS a // x\rLOAD CSV FROM 'f' AS row RETURN row", "LOAD CSV"),
    ("WITH 1 AS a // x\u2028CREATE (n)", "CREATE"),
    ("MATCH (n) WHERE n.name = 'SET' RETURN n", None),
    ("MATCH (n) RETURN n.`delete`, n.set // CREATE", None),
    ("MATCH (n) /* MERGE */ RETURN n.name AS \"REMOVE\"", None),
    ("MATCH (a)-[:SUPPLIES*1..3]->(b) RETURN b", None),
    ("MATCH (start)-[r]->(stop) RETURN start.id AS set, stop.id AS load", None),
    ("WITH 1 AS set, 2 AS load, 3 AS create RETURN set + load + create AS delete", None),
    ("MATCH (n) RETURN {set: 1, load: 2, create: 3, remove: 4} AS m", None),
    ("UNWIND ['CREATE (x)', \"SET y\"] AS start RETURN start", None),
    ("MATCH (create)-[:SUPPLIES]->(merge) RETURN create, merge", None),
])
def test_the_write_hint_finds_write_clauses_and_never_a_read(query, clause):
    from cnaikg.graph.store.writer import write_clause

    assert write_clause(query) == clause


def test_shortest_path_with_a_where_on_the_path_is_detected():
    from cnaikg.graph.store.writer import shortest_path_with_where

    assert shortest_path_with_where("MATCH p = shortestPath((a:Entity {id:'x'})-[*..6]-(b:Entity {id:'y'})) "
                                    "WHERE none(n IN nodes(p) WHERE n.id = 'beijing') RETURN length(p)")
    assert shortest_path_with_where("MATCH p = allShortestPaths((a)-[*]-(b)) WHERE all(r IN relationships(p) WHERE type(r) <> 'X') RETURN p")
    assert not shortest_path_with_where("MATCH p = shortestPath((a)-[*]-(b)) RETURN [n IN nodes(p) | n.id]")
    assert not shortest_path_with_where("MATCH p = (a)-[*..3]-(b) WHERE none(n IN nodes(p) WHERE n.id = 'x') RETURN p")


def test_a_web_address_is_not_a_bolt_uri():
    from cnaikg.errors import StoreError
    from cnaikg.graph.store.writer import check_bolt_uri

    for uri in ("http://localhost:7474", "https://xxxx.databases.neo4j.io/browser/"):
        with pytest.raises(StoreError, match=r"bolt://.*7687"):
            check_bolt_uri(uri)
    check_bolt_uri("neo4j+s://xxxx.databases.neo4j.io")


def test_partial_dates_are_typed_with_their_precision():
    import datetime as dt

    from cnaikg.graph import build_graph
    from cnaikg.graph.store.writer import relationship_rows

    tmp = Path(__import__("tempfile").mkdtemp()) / "data"
    shutil.copytree(FIXTURE, tmp)
    shutil.copy(Path(__file__).parents[1] / "data" / "ontology.toml", tmp / "ontology.toml")
    rows = {r["subject"] + ">" + r["object"]: r["props"] for r in relationship_rows(build_graph(tmp))["OWNS"]}
    p = rows["fund-2>chip-x"]
    assert (p["since"], p["since_precision"], p["until"], p["until_precision"]) == (dt.date(2019, 1, 1), "year", dt.date(2023, 6, 1), "month")
    assert p["valid_from"] == dt.date(2019, 1, 1) and p["valid_until"] == dt.date(2023, 7, 1)  # held through June 2023
    assert p["stake_pct"] == 4 and p["confidence"] == "medium" and p["source_ids"] == ["src-filing"]
    assert isinstance(p["known_since"], dt.date)
    assert all(v not in ("", None, []) for v in p.values())


def test_date_parameters_accept_partial_dates():
    import datetime as dt

    from cnaikg.queries.cypher_queries import get_query

    q = get_query("changes-between")
    assert q.bind({"from": "2024", "to": "2024"}) == {"from": dt.date(2024, 1, 1), "to": dt.date(2024, 12, 31)}
    assert get_query("valid-on").bind({"id": "smic", "date": "2021"})["date"] == dt.date(2021, 1, 1)


def test_the_labels_table_in_the_docs_is_generated_from_the_label_function():
    from cnaikg.graph.store.writer import labels_table, schema_from_ontology

    docs = (Path(__file__).parents[1] / "docs" / "cypher.md").read_text(encoding="utf-8")
    block = docs.split("<!-- BEGIN generated: labels -->\n", 1)[1].split("<!-- END generated: labels -->", 1)[0]
    assert block == labels_table()
    labels = schema_from_ontology().labels
    assert labels["etf"] == "ETF" and labels["program"] == "Program" and labels["state_fund"] == "StateFund"
