"""`cnaikg sparql` and the canned SPARQL queries: expected rows on a small dataset, parity with the Python API."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cnaikg.errors import KGError, RegistryError, StoreError
from cnaikg.queries.sparql_queries import bind_params, canned_queries, canned_query, rdf_store, run_canned, sparql
from conftest import run_cli
from rdf_fixtures import rdf_data_dir, rdf_kg, shipped_kg


@pytest.fixture(scope="module")
def fixture_kg(tmp_path_factory):
    return rdf_kg(tmp_path_factory.mktemp("rdf"))


@pytest.fixture(scope="module")
def store(fixture_kg):
    return rdf_store(fixture_kg)


def test_at_least_six_canned_queries_each_with_a_title_and_description():
    qs = canned_queries()
    assert len(qs) >= 6
    assert {"supply-chain", "funders", "state-fund-connection", "export-control", "as-of"} <= set(qs)
    for q in qs.values():
        assert q.title and q.description, f"{q.path}: give it # title: and # description: lines"


def test_supply_chain_walks_up_every_tier_with_each_source(store):
    rows = run_canned(store, "supply-chain", params={"company": "acme-ai"})
    pairs = sorted({(r["supplier"], r["customer"]) for r in rows})
    assert pairs == [("ent:chipco", "ent:acme-ai"), ("ent:fabco", "ent:chipco"), ("ent:toolco", "ent:fabco")]
    fab = [r for r in rows if r["supplier"] == "ent:fabco"]
    assert len(fab) == 2 and {r["until"] for r in fab} == {"2023-06"}, "one row per source of the statement"


def test_funders_of_model_labs(store):
    rows = run_canned(store, "funders")
    assert [(r["lab"], r["funder"], r["funder_type"], r["relation"], r["amount"], r["currency"], r["sources"]) for r in rows] == [
        ("ent:acme-ai", "ent:holdco", "company", "INVESTS_IN", 50000000, "USD", 1)]


def test_shortest_connection_to_a_state_fund(store):
    rows = run_canned(store, "state-fund-connection")
    assert {r["entity"]: r["distance"] for r in rows} == {"ent:fabco": 1, "ent:holdco": 1, "ent:acme-ai": 2}
    assert {r["via_fund"] for r in rows} == {"State Fund X"}


def test_entities_on_an_export_control_list_with_the_source_that_says_so(store):
    (row,) = run_canned(store, "export-control")
    assert row["entity"] == "ent:fabco" and row["list"] == "ent:us-entity-list"
    assert (row["date_added"], row["citation"], row["publisher"]) == ("2020-12-18", "85 FR 83416", "Federal Register")
    (backed,) = run_canned(store, "state-backed-on-list")
    assert (backed["entity"], backed["fund"]) == ("ent:fabco", "ent:state-fund-x")


@pytest.mark.parametrize("day", ["2016-04-30", "2021-01-01", "2023-06-30", "2023-07-01", "2024-06-01"])
def test_as_of_matches_the_python_point_in_time_view(fixture_kg, store, day):
    rows = run_canned(store, "as-of", params={"asOf": day})
    got = sorted((r["subject"][4:], r["relation"], r["object"][4:]) for r in rows)
    expected = sorted((f.subject, f.relation, f.object) for f in fixture_kg.as_of(day).facts())
    assert got == expected


def test_listings_and_provenance(store):
    (listing,) = run_canned(store, "listings")
    assert (listing["ticker"], listing["name_zh"], listing["board"]) == ("688999.SS", "芯片公司", "STAR Market")
    rows = run_canned(store, "provenance", params={"entity": "acme-ai"})
    assert sorted(r["relation"] for r in rows) == ["INVESTS_IN", "LOCATED_IN", "PARTNERS_WITH", "SUPPLIES"]


@pytest.mark.parametrize("name", sorted(canned_queries()))
def test_rdflib_engine_gives_the_same_rows_as_oxigraph(fixture_kg, name):
    a = run_canned(rdf_store(fixture_kg, engine="oxigraph"), name)
    b = run_canned(rdf_store(fixture_kg, engine="rdflib"), name)
    key = lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False)  # noqa: E731
    assert sorted(a, key=key) == sorted(b, key=key)


def test_parameters_are_checked_not_pasted(store):
    q = canned_query("supply-chain")
    with pytest.raises(KGError, match="not an entity id"):
        bind_params(q, {"company": "x } . ?s ?p ?o {"})
    with pytest.raises(KGError, match="its parameters: company"):
        bind_params(q, {"firm": "smic"})
    with pytest.raises(RegistryError, match="known: as-of"):
        canned_query("nope")
    with pytest.raises(StoreError, match="SPARQL query failed"):
        sparql(store, "SELECT ?x WHERE { ?x")


def test_cli_canned_query_as_csv_and_json(tmp_path):
    data = rdf_data_dir(tmp_path)
    out = run_cli("sparql", "--name", "export-control", "--format", "csv", "--data", str(data), check=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["entity"] for r in rows] == ["ent:fabco"]
    out = run_cli("sparql", "--name", "as-of", "--param", "asOf=2017-01-01", "--format", "json", "--full-iris", "--data", str(data), check=True).stdout
    assert {(r["subject"], r["relation"]) for r in json.loads(out)} == {
        ("https://w3id.org/cnaikg/entity/state-fund-x", "INVESTS_IN"), ("https://w3id.org/cnaikg/entity/state-fund-x", "OWNS")}


def test_cli_own_query_with_predeclared_prefixes_and_chinese_labels(tmp_path):
    data = rdf_data_dir(tmp_path)
    q = 'SELECT ?e ?zh WHERE { ?e cnaikg:category "model_lab" ; rdfs:label ?zh FILTER(lang(?zh) = "zh") }'
    out = run_cli("sparql", q, "--format", "json", "--data", str(data), check=True).stdout
    assert json.loads(out) == [{"e": "ent:acme-ai", "zh": "艾克米智能"}]


def test_cli_queries_an_exported_file(tmp_path):
    data = rdf_data_dir(tmp_path)
    ttl = tmp_path / "graph.ttl"
    run_cli("export", "--format", "turtle", str(ttl), "--data", str(data), check=True)
    out = run_cli("sparql", "--rdf", str(ttl), "--name", "listings", "--format", "csv", check=True).stdout
    assert "688999.SS" in out


def test_cli_list_and_errors(tmp_path):
    listing = run_cli("sparql", "--list", check=True).stdout
    assert "supply-chain" in listing and "company=huawei (entity)" in listing
    bad = run_cli("sparql", "SELECT ?x WHERE { ?x", "--data", str(rdf_data_dir(tmp_path)))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "SPARQL query failed" in bad.stderr
    assert "at 1:" in bad.stderr, "the error position counts from the user's first line, not from the predeclared prefixes"
    none = run_cli("sparql")
    assert none.returncode == 2 and "give exactly one of" in none.stderr


def test_cli_user_mistakes_are_one_line_and_entities_may_be_named_by_ticker():
    """A bad date or an unknown entity is one line on stderr and exit 2, never a traceback or a silent empty answer."""
    for args, message in [(["--as-of", "2024-13-01", "SELECT * { ?s ?p ?o } LIMIT 1"], "--as-of: '2024-13-01' is not a valid date"),
                          (["--name", "provenance", "--param", "entity=nobody-at-all"], "--param entity=nobody-at-all: nothing matches"),
                          (["--name", "nope"], "no canned SPARQL query named 'nope'")]:
        bad = run_cli("sparql", *args)
        lines = [ln for ln in bad.stderr.splitlines() if "error" in ln]
        assert bad.returncode == 2 and "Traceback" not in bad.stderr and len(lines) == 1 and message in lines[0], bad.stderr
    by_ticker = run_cli("sparql", "--name", "supply-chain", "--param", "company=0981.HK", "--format", "csv", check=True).stdout
    by_id = run_cli("sparql", "--name", "supply-chain", "--param", "company=smic", "--format", "csv", check=True).stdout
    assert by_ticker == by_id and len(by_id.splitlines()) > 1


def test_canned_queries_on_the_shipped_graph():
    store = rdf_store(shipped_kg())
    listed = {(r["entity"], r["list"]) for r in run_canned(store, "export-control")}
    assert ("ent:smic", "ent:us-entity-list") in listed
    near = {r["entity"]: r["distance"] for r in run_canned(store, "state-fund-connection")}
    assert near.get("ent:smic") == 1, "the Big Fund invests in SMIC directly"
    for name in canned_queries():
        run_canned(store, name)  # every canned query runs on the real graph


@pytest.mark.parametrize("day", ["2023-06-30", "2023-07-01"])
def test_as_of_leaves_out_entities_not_yet_founded_like_the_python_view(day):
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.model import Entity, Fact, Source

    s = Source("s", "https://example.org/s", "Example", "2020-01-01")
    kg = KnowledgeGraph([Entity("fund", "fund", "Fund", founded="2019"), Entity("newco", "company", "NewCo", founded="2023-07")],
                        [Fact.create("fund", "INVESTS_IN", "newco", since="2020", sources=(s,))])
    rows = run_canned(rdf_store(kg), "as-of", params={"asOf": day})
    assert len(rows) == kg.as_of(day).number_of_facts() == (0 if day == "2023-06-30" else 1)
