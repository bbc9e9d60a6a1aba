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
    from cnaikg.graph.neo4j_writer import BASE_LABEL, schema_from_ontology
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
    from cnaikg.graph.neo4j_writer import schema_from_ontology
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
    ("match (n) detach delete n", "DETACH"),
    ("UNWIND [1] AS i CREATE (:X)", "CREATE"),
    ("MERGE (n:Entity {id: 'a'})", "MERGE"),
    ("MATCH (n) REMOVE n:Company", "REMOVE"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "LOAD"),
    ("MATCH (n) FOREACH (x IN [1] | SET n.y = x)", "FOREACH"),
    ("MATCH (n) WHERE n.name = 'SET' RETURN n", None),
    ("MATCH (n) RETURN n.`delete`, n.set // CREATE", None),
    ("MATCH (n) /* MERGE */ RETURN n.name AS \"REMOVE\"", None),
    ("MATCH (a)-[:SUPPLIES*1..3]->(b) RETURN b", None),
])
def test_write_clauses_are_recognised_and_values_are_not(query, clause):
    from cnaikg.graph.neo4j_writer import write_clause

    assert write_clause(query) == clause


def test_provenance_is_flattened_onto_relationships():
    from cnaikg.graph import build_graph
    from cnaikg.graph.neo4j_writer import relationship_rows

    tmp = Path(__import__("tempfile").mkdtemp()) / "data"
    shutil.copytree(FIXTURE, tmp)
    shutil.copy(Path(__file__).parents[1] / "data" / "ontology.toml", tmp / "ontology.toml")
    rows = {r["subject"] + ">" + r["object"]: r["props"] for r in relationship_rows(build_graph(tmp))["OWNS"]}
    p = rows["fund-2>chip-x"]
    assert p["since"] == "2019" and p["until"] == "2023-06" and p["valid_from"] == "2019-01-01" and p["valid_until"] == "2023-07-01"
    assert p["stake_pct"] == 4 and p["confidence"] == "medium" and p["source_ids"] == ["src-filing"]
    assert "note" in p and all(v not in ("", None, []) for v in p.values())


def test_export_neo4j_admin_through_the_registry(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    shutil.copy(Path(__file__).parents[1] / "data" / "ontology.toml", data / "ontology.toml")
    out = tmp_path / "import"
    proc = run_cli("export", "--data", str(data), "--format", "neo4j-admin", str(out), check=True)
    assert proc.stdout.split() == [str(out / "nodes.csv"), str(out / "relationships.csv"), str(out / "import.sh")]
    nodes = list(csv.DictReader((out / "nodes.csv").open(encoding="utf-8")))
    rels = list(csv.DictReader((out / "relationships.csv").open(encoding="utf-8")))
    assert len(nodes) == 16 and len(rels) == 24
    chip = next(n for n in nodes if n["id:ID"] == "chip-x")
    assert chip[":LABEL"] == "Entity;Company" and chip["tickers:string[]"] == "688001.SS"
    owns = next(r for r in rels if r[":TYPE"] == "OWNS")
    assert (owns[":START_ID"], owns[":END_ID"], owns["stake_pct:double"], owns["until"]) == ("fund-2", "chip-x", "4.0", "2023-06")
    assert "neo4j-admin database import full" in (out / "import.sh").read_text()
    # byte-identical for identical input
    first = (out / "relationships.csv").read_bytes()
    run_cli("export", "--data", str(data), "--format", "neo4j-admin", str(out), check=True)
    assert (out / "relationships.csv").read_bytes() == first


def test_export_lists_formats_and_names_an_unknown_one():
    proc = run_cli("export", "--list", "--format", "x")
    assert "neo4j-admin" in proc.stdout
    proc = run_cli("export", "--format", "nope", "somewhere")
    assert proc.returncode == 2 and "no exporter named 'nope'; known:" in proc.stderr
