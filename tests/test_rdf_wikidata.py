"""The Wikidata loader reads real wbgetentities / dump JSON, maps statements onto the ontology and reports what it cannot resolve."""

from __future__ import annotations

import gzip
import json

import pytest

from cnaikg import registry
from cnaikg.errors import LoaderError
from cnaikg.loaders.base import LoadResult
from cnaikg.loaders.wikidata import load_wikidata, read_wikidata_entities
from conftest import run_cli
from rdf_fixtures import WIKIDATA, rdf_data_dir, rdf_kg

EXPECTED = {
    ("acme-ai", "LOCATED_IN", "beijing", "", (("role", "headquarters"),), "medium"),
    ("holdco", "OWNS", "acme-ai", "2023-09-12", (("stake_pct", 15.0),), "medium"),
    ("state-fund-x", "OWNS", "fabco", "", (), "low"),
    ("fabco", "LISTED_ON", "sse", "", (("ticker", "688001.SS"),), "medium"),
    ("fabco", "OWNS", "toolco", "2019", (), "low"),
}


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    return rdf_kg(tmp_path_factory.mktemp("wd"))


def facts_of(result):
    return {(f.subject, f.relation, f.object, f.since, tuple(sorted(f.properties.items())), f.confidence) for f in result.facts}


@pytest.mark.parametrize("fixture", ["wbgetentities.json", "dump.json"])
def test_statements_map_onto_the_ontology(kg, fixture):
    result = load_wikidata(WIKIDATA / fixture, kg)
    assert isinstance(result, LoadResult)
    assert facts_of(result) == EXPECTED
    for f in result.facts:
        assert kg.ontology.relation(f.relation).allows(kg.entity(f.subject).type, kg.entity(f.object).type)
        assert f.sources, f"{f} has no source"


def test_references_become_sources_and_the_same_fact_from_two_items_is_merged(kg):
    result = load_wikidata(WIKIDATA / "wbgetentities.json", kg)
    owns = next(f for f in result.facts if f.subject == "holdco")
    assert [(s.url, s.publisher, s.published, s.title) for s in owns.sources] == [
        ("https://example.org/news/holdco-acme", "Example News", "2023-09-13", ""),          # P854 + P123 (label of Q900020) + P577
        ("https://example.org/filings/holdco-2023", "example.org", "2023-10-02", "HoldCo interim report 2023"),  # P1476 title
    ], "P127 on Acme AI and P1830 on HoldCo state the same fact: one fact, both references"
    hq = next(f for f in result.facts if f.relation == "LOCATED_IN")
    assert (hq.sources[0].url, hq.sources[0].published) == ("https://example.org/about/acme", "2025-01-10")  # P813 retrieved
    listing = next(f for f in result.facts if f.relation == "LISTED_ON")
    assert (listing.sources[0].url, listing.sources[0].publisher) == ("https://www.wikidata.org/wiki/Q900021", "SSE listing records")  # P248
    bare = next(f for f in result.facts if f.subject == "state-fund-x")
    assert (bare.sources[0].url, bare.sources[0].publisher, bare.sources[0].published) == (
        "https://www.wikidata.org/wiki/Q900003#P127", "Wikidata", "2025-01-15"), "no reference: the item page, dated by its last edit"


def test_unresolved_entities_are_reported_not_created(kg):
    result = load_wikidata(WIKIDATA / "wbgetentities.json", kg)
    assert result.entities == []
    unresolved = {u["qid"]: (u["role"], u["status"], u["candidates"]) for u in result.report.unresolved}
    assert unresolved == {
        "Q148": ("P17 of Q900001", "unresolved", []),             # China is not in this graph (and not in the file)
        "Q900007": ("P355 of Q900003", "unresolved", []),         # a subsidiary we do not know
        "Q900010": ("P112 of Q900001", "unresolved", []),         # a founder we do not know
        "Q900011": ("subject", "unresolved", []),                 # an item we do not know at all
        "Q900013": ("subject", "qid-conflict", ["acme-ai"]),      # named Acme, but acme-ai has another QID
        "Q900014": ("subject", "ambiguous", ["chipco", "holdco"]),
    }
    reasons = {(p.field, p.message) for p in result.report.skipped}
    assert ("Q900003 P414", "listing on Q900008 without a P249 ticker qualifier") in reasons
    assert ("Q900003 P749", "deprecated statement") in reasons
    assert any(field == "Q404404" and "missing" in msg for field, msg in reasons)
    assert result.resolved["Q900005"] == "holdco" and result.resolved["Q900001"] == "acme-ai"


def test_inception_and_instance_of_are_checked_against_the_data(kg):
    result = load_wikidata(WIKIDATA / "wbgetentities.json", kg)
    said = {a["entity"]: (a["wikidata"], a["data"]) for a in result.attributes}
    assert said == {"acme-ai": ("2023-07-17", "2023-07"), "fabco": ("2000", "2000-04-03"), "holdco": ("2011", "2012")}
    assert result.report.notes == [
        "Q900005 (holdco) is an instance of Q5 (person) on Wikidata but a company here",
        "holdco: founded 2012 here but 2011 on Wikidata Q900005; check the sources",
    ]


def test_dump_lines_are_numbered_and_compressed_dumps_are_read(tmp_path):
    gz = tmp_path / "dump.json.gz"
    with gzip.open(gz, "wb") as fh:
        fh.write((WIKIDATA / "dump.json").read_bytes())
    lines = [n for n, _ in read_wikidata_entities(gz)]
    assert lines[:3] == [2, 3, 4]
    broken = tmp_path / "broken.json"
    broken.write_text("[\n{\"id\": \"Q1\"},\n{not json\n]\n", encoding="utf-8")
    with pytest.raises(LoaderError, match=r"broken.json:3: not valid JSON"):
        list(read_wikidata_entities(broken))
    err = tmp_path / "error.json"
    err.write_text(json.dumps({"error": {"code": "no-such-entity", "info": "Could not find an entity with the ID \"Q0\"."}}), encoding="utf-8")
    with pytest.raises(LoaderError, match="the Wikidata API returned an error"):
        list(read_wikidata_entities(err))


def test_registered_and_usable_from_cnaikg_load(tmp_path):
    assert "wikidata" in registry.names("loader")
    data = rdf_data_dir(tmp_path)
    out = tmp_path / "load"
    run_cli("load", "wikidata", str(WIKIDATA / "wbgetentities.json"), "--data", str(data), "--out", str(out), check=True)
    facts = (out / "facts.csv").read_text(encoding="utf-8")
    assert "fabco,LISTED_ON,sse,,,ticker=688001.SS," in facts
    unresolved = (out / "unresolved.csv").read_text(encoding="utf-8")
    assert "ChipCo (Q900014),subject,ambiguous" in unresolved
    report = json.loads((out / "load_report.json").read_text(encoding="utf-8"))
    assert report["facts"] == 4 and report["already_known"] == 1 and report["entities_created"] == 0  # one fact the data holds: corroboration


def test_loaded_facts_export_to_rdf_with_their_wikidata_sources(kg, tmp_path):
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.rdf import kg_from_rdf, kg_to_rdf, statements_without_source

    result = load_wikidata(WIKIDATA / "wbgetentities.json", kg)
    merged = KnowledgeGraph(kg.entities(), [*kg.facts(), *[f for f in result.facts if f.id not in {g.id for g in kg.facts()}]], kg.ontology)
    g = kg_to_rdf(merged)
    assert statements_without_source(g) == []
    back = kg_from_rdf(g)
    assert any(s.url == "https://example.org/news/holdco-acme" for f in back.facts("OWNS") for s in f.sources)


def _item(qid, label, claims):
    return {"type": "item", "id": qid, "labels": {"en": {"language": "en", "value": label}}, "modified": "2025-02-01T00:00:00Z", "claims": claims}


def _stmt(pid, target, quals=None, rank="normal"):
    def snak(p, v):
        if isinstance(v, tuple):  # (time, precision)
            return {"snaktype": "value", "property": p, "datatype": "time",
                    "datavalue": {"type": "time", "value": {"time": v[0], "precision": v[1], "timezone": 0, "before": 0, "after": 0,
                                                            "calendarmodel": "http://www.wikidata.org/entity/Q1985727"}}}
        if v.startswith("Q"):
            return {"snaktype": "value", "property": p, "datatype": "wikibase-item",
                    "datavalue": {"type": "wikibase-entityid", "value": {"entity-type": "item", "numeric-id": int(v[1:]), "id": v}}}
        return {"snaktype": "value", "property": p, "datatype": "string", "datavalue": {"type": "string", "value": v}}
    out = {"type": "statement", "rank": rank, "mainsnak": snak(pid, target)}
    if quals:
        out["qualifiers"] = {p: [snak(p, v)] for p, v in quals.items()}
    return out


def test_tickers_get_the_exchange_suffix_and_bad_intervals_are_refused():
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.model import Entity
    from cnaikg.loaders.wikidata import load_wikidata_entities
    from cnaikg.paths import data_dir

    kg = KnowledgeGraph([Entity("fab", "company", "Fab", identifiers={"wikidata": "Q1"}), Entity("hkex", "exchange", "HKEX", identifiers={"wikidata": "Q2"}),
                         Entity("prc", "place", "China", identifiers={"wikidata": "Q3"}), Entity("bj", "place", "Beijing", identifiers={"wikidata": "Q4"})], [])
    items = [
        _item("Q1", "Fab", {"P414": [_stmt("P414", "Q2", {"P249": "981"})],
                            "P17": [_stmt("P17", "Q3", {"P580": ("+2020-00-00T00:00:00Z", 9), "P582": ("+2019-05-01T00:00:00Z", 11)})]}),
        _item("Q4", "Beijing", {"P17": [_stmt("P17", "Q3")]}),
    ]
    result = load_wikidata_entities(items, kg, data=data_dir())
    assert {(f.subject, f.relation, f.object, tuple(f.properties.items())) for f in result.facts} == {
        ("fab", "LISTED_ON", "hkex", (("ticker", "0981.HK"),)),      # 981 on hkex -> 0981.HK (ticker_formats.csv)
        ("bj", "LOCATED_IN", "prc", (("role", "part_of"),)),        # a place in a country is part of it
    }
    assert [p.message for p in result.report.skipped] == ["end time 2019-05-01 is before start time 2020"]
