"""Exporting the graph as Turtle, JSON-LD and N-Triples, and reading it back: same entities, facts, properties, sources."""

from __future__ import annotations


import pytest
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal
from rdflib.namespace import PROV

from cnaikg import registry
from cnaikg.errors import LoaderError
from cnaikg.graph.rdf.ontology import SCHEMA, WD, rdf_namespaces, relation_iri
from cnaikg.graph.rdf import kg_from_rdf, kg_to_rdf, read_rdf, statements_without_source
from conftest import run_cli
from rdf_fixtures import comparable, rdf_data_dir, rdf_kg, shipped_kg

RDF_EXPORTERS = [n for n in registry.names("exporter") if getattr(registry.get("exporter", n), "rdf_format", None)]


def test_the_three_rdf_formats_are_registered_exporters():
    assert {"turtle", "jsonld", "ntriples"} <= set(RDF_EXPORTERS)


@pytest.mark.parametrize("fmt", RDF_EXPORTERS)
def test_cnaikg_export_writes_rdf_that_reads_back_to_the_same_graph(tmp_path, fmt):
    data = rdf_data_dir(tmp_path)
    target = tmp_path / f"graph{registry.get('exporter', fmt).suffix}"
    run_cli("export", "--format", fmt, str(target), "--data", str(data), check=True)
    back = kg_from_rdf(target)
    from cnaikg.graph.kg import KnowledgeGraph

    original = KnowledgeGraph.from_dataset(data)
    assert comparable(back) == comparable(original)
    fabco = back.entity("fabco")
    assert fabco.note.startswith('a note with "quotes", a comma and a line\nbreak')
    supply = next(f for f in back.facts("SUPPLIES") if f.subject == "fabco")
    assert (supply.since, supply.until, supply.confidence) == ("2018", "2023-06", "high")
    assert sorted(s.url for s in supply.sources) == ["https://example.org/news/acme-chipco", "https://example.org/trade/fabco?id=1&lang=en"]
    stake = next(f for f in back.facts("INVESTS_IN") if f.subject == "state-fund-x").properties
    assert stake == {"round": "Series B", "amount": 100000000, "currency": "CNY", "stake_pct": 12.5}


@pytest.mark.parametrize("fmt", RDF_EXPORTERS)
def test_exports_are_byte_identical_across_runs(tmp_path, fmt):
    data = rdf_data_dir(tmp_path)
    suffix = registry.get("exporter", fmt).suffix
    a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    run_cli("export", "--format", fmt, str(a), "--data", str(data), check=True)
    run_cli("export", "--format", fmt, str(b), "--data", str(data), check=True, env={"PYTHONHASHSEED": "7"})
    assert a.read_bytes() == b.read_bytes()


def test_labels_carry_language_tags_and_identifiers_are_literals(tmp_path):
    kg = rdf_kg(tmp_path)
    g = kg_to_rdf(kg)
    ns = rdf_namespaces(kg.ontology)
    acme, chipco, fabco, toolco = (ns.entity[x] for x in ("acme-ai", "chipco", "fabco", "toolco"))
    assert set(g.objects(acme, RDFS.label)) == {Literal("Acme AI", lang="en"), Literal("艾克米智能", lang="zh")}
    assert set(g.objects(toolco, RDFS.label)) == {Literal("ToolCo Equipment", lang="en")}
    assert set(g.objects(acme, SCHEMA.alternateName)) == {Literal("Acme"), Literal("ACME Intelligence")}
    assert (acme, OWL.sameAs, WD.Q900001) in g and (acme, ns.ont.wikidataId, Literal("Q900001")) in g
    assert (chipco, ns.ont.tickerSymbol, Literal("688999.SS")) in g
    assert (chipco, ns.ont.lei, Literal("5493001KJTIIGC8Y1R12")) in g
    assert (fabco, ns.ont.uscc, Literal("913100007109362418")) in g
    assert not list(g.objects(chipco, OWL.sameAs)), "no owl:sameAs without a verified QID"
    assert (fabco, SCHEMA.foundingDate, Literal("2000-04-03", datatype=XSD.date)) in g
    assert (chipco, SCHEMA.foundingDate, Literal("2015", datatype=XSD.gYear)) in g


def test_each_fact_is_a_direct_triple_and_a_sourced_statement_node(tmp_path):
    kg = rdf_kg(tmp_path)
    g = kg_to_rdf(kg)
    ns = rdf_namespaces(kg.ontology)
    statements = set(g.subjects(RDF.type, ns.ont.Statement))
    assert len(statements) == kg.number_of_facts() == 11
    assert statements_without_source(g) == []
    for f in kg.facts():
        st = ns.statement[f.id]
        s, p, o = g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)
        assert (s, p, o) == (ns.entity[f.subject], relation_iri(ns, f.relation), ns.entity[f.object])
        assert (s, p, o) in g, f"direct triple missing for {f.id}"
        assert {str(x) for x in g.objects(st, PROV.wasDerivedFrom)} == {str(ns.source[x.id]) for x in f.sources}
    ended = next(ns.statement[f.id] for f in kg.facts("SUPPLIES") if f.subject == "fabco")
    assert g.value(ended, ns.ont.since) == Literal("2018", datatype=XSD.gYear)
    assert g.value(ended, ns.ont.until) == Literal("2023-06", datatype=XSD.gYearMonth)
    assert g.value(ended, ns.ont.validFrom) == Literal("2018-01-01", datatype=XSD.date)
    assert g.value(ended, ns.ont.validUntil) == Literal("2023-07-01", datatype=XSD.date)
    assert g.value(ended, ns.ont.knownSince) == Literal("2019-05-20", datatype=XSD.date)
    assert g.value(ended, ns.ont.confidence) == Literal("high")
    src = ns.source["src-d"]
    assert g.value(src, SCHEMA.publisher) == Literal("Federal Register")
    assert g.value(src, SCHEMA.datePublished) == Literal("2020-12-18", datatype=XSD.date)


def test_iris_are_built_from_slugs_fact_ids_and_source_ids(tmp_path):
    kg = rdf_kg(tmp_path)
    g = kg_to_rdf(kg)
    subjects = {str(s) for s in g.subjects()}
    assert "https://w3id.org/cnaikg/entity/acme-ai" in subjects
    assert "https://w3id.org/cnaikg/source/src-a" in subjects
    assert {f"https://w3id.org/cnaikg/statement/{f.id}" for f in kg.facts()} <= subjects
    assert not any(isinstance(term, BNode) for triple in g for term in triple), "no blank nodes: every node has a stable IRI"


def test_the_build_writes_out_graph_ttl(tmp_path):
    from cnaikg.build import run_build

    ctx = run_build(rdf_data_dir(tmp_path), tmp_path / "out", quiet=True, steps=["rdf"])
    ttl = tmp_path / "out" / "graph.ttl"
    assert ctx.written == [ttl] and ctx.results["rdf_triples"] == len(Graph().parse(ttl, format="turtle"))


def test_the_shipped_graph_round_trips(tmp_path):
    kg = shipped_kg()
    g = kg_to_rdf(kg)
    assert statements_without_source(g) == []
    back = kg_from_rdf(g)
    assert comparable(back) == comparable(kg)
    assert back.entity("smic").identifiers.get("tickers") == kg.entity("smic").identifiers.get("tickers")


def test_reading_something_that_is_not_rdf_says_what_is_wrong(tmp_path):
    bad = tmp_path / "graph.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(LoaderError, match="not valid turtle"):
        read_rdf(bad)
    with pytest.raises(LoaderError, match="cannot tell the RDF format"):
        read_rdf(tmp_path / "graph.xlsx")
    with pytest.raises(LoaderError, match="no such file"):
        read_rdf(tmp_path / "missing.ttl")


# --------------------------------------------------------------------------- property-based round trip

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00") | st.sampled_from(['"', "\\", "\n", "中", "@", "<", ">"]),
                min_size=1, max_size=20).map(str.strip).filter(bool)
_slug = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
_date = st.sampled_from(["", "1999", "2020-02", "2024-02-29", "2023-12-31"])


@st.composite
def small_graphs(draw):
    """Random entities and facts that obey the ontology, with hostile names, notes and property values."""
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.model import Entity, Fact, Source
    from cnaikg.graph.ontology import load_ontology

    onto = load_ontology()
    ids = draw(st.lists(_slug, min_size=2, max_size=6, unique=True))
    types = {i: draw(st.sampled_from(sorted(onto.entity_types))) for i in ids}
    sources = [Source(f"s-{k}", f"https://example.org/{k}?q={draw(st.integers(0, 9))}&x=\"y\"", draw(_text), draw(_date) or "2024", draw(_text))
               for k in range(3)]
    ents = [Entity(i, types[i], draw(_text), draw(st.one_of(st.just(""), _text)), tuple(draw(st.lists(_text, max_size=3, unique=True))),
                   draw(st.sampled_from(("",) + onto.entity_types[types[i]].categories)), draw(_date),
                   {"wikidata": f"Q{draw(st.integers(1, 10**8))}"} if draw(st.booleans()) else {},
                   tuple(draw(st.lists(st.sampled_from(sources), max_size=2, unique=True))), draw(st.one_of(st.just(""), _text)))
            for i in ids]
    facts = []
    for _ in range(draw(st.integers(0, 8))):
        s, o = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        rels = [r for r, spec in onto.relation_types.items() if types[s] in spec.domain and types[o] in spec.range]
        if not rels:
            continue
        rel = onto.relation(draw(st.sampled_from(rels)))
        props = {}
        for name, spec in rel.properties.items():
            if not (spec.required or draw(st.booleans())):
                continue
            props[name] = {"number": draw(st.one_of(st.integers(0, 10**12), st.floats(0, 1e6, allow_nan=False).map(lambda x: round(x, 3)))),
                           "percent": draw(st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2))),
                           "date": draw(_date) or "2021", "enum": draw(st.sampled_from(spec.values or ("x",))),
                           "boolean": draw(st.booleans())}.get(spec.type, draw(_text))
            if spec.type == "number" and isinstance(props[name], float) and props[name].is_integer():
                props[name] = int(props[name])
        facts.append(Fact.create(s, rel.name, o, since=draw(_date), properties=props, sources=(draw(st.sampled_from(sources)),),
                                 confidence=draw(st.sampled_from(["high", "medium", "low"])), note=draw(st.one_of(st.just(""), _text))))
    return KnowledgeGraph(ents, list({f.id: f for f in facts}.values()), onto)


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kg=small_graphs())
def test_any_graph_round_trips_through_every_rdf_syntax(fmt, kg):
    from cnaikg.graph.rdf import serialize_rdf

    text = serialize_rdf(kg_to_rdf(kg), fmt, ns=rdf_namespaces(kg.ontology))
    back = kg_from_rdf(Graph().parse(data=text.decode("utf-8"), format=fmt))
    assert comparable(back) == comparable(kg)
