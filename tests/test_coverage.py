"""`cnaikg coverage` as an analyst meets it: its numbers agree with an independent count of the CSV files,
and a hand-worked toy dataset gives exactly the gaps a person would list."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from cnaikg.graph.coverage import CHIP_UNITS, coverage, sector_of
from cnaikg.loaders.curated import read_dataset
from cnaikg.paths import data_dir
from conftest import MINI, run_cli


def _rows(folder: Path, stem: str) -> list[dict[str, str]]:
    """Every row of data/<stem>.csv and data/<stem>/*.csv, read with the csv module only (no cnaikg code)."""
    files = ([folder / f"{stem}.csv"] if (folder / f"{stem}.csv").is_file() else []) + sorted((folder / stem).glob("*.csv"))
    out: list[dict[str, str]] = []
    for f in files:
        with open(f, newline="", encoding="utf-8") as fh:
            out += [{k: (v or "").strip() for k, v in r.items() if k} for r in csv.DictReader(fh)]
    return out


@pytest.fixture(scope="module")
def shipped():
    ds = read_dataset()
    return ds, coverage(ds)


def test_totals_and_types_match_a_plain_csv_count(shipped):
    ds, cov = shipped
    ents, facts, srcs = (_rows(data_dir(), s) for s in ("entities", "relationships", "sources"))
    assert cov.entities_total == len(ents) and cov.facts_total == len(facts) and cov.sources_total == len(srcs)
    assert cov.entities_by_type == dict(Counter(e["type"] for e in ents))
    assert cov.facts_by_relation == dict(Counter(f["relation"] for f in facts))
    assert cov.since_by_relation == dict(Counter(f["relation"] for f in facts if f["since"]))
    assert len(cov.facts_without_since) == sum(1 for f in facts if not f["since"])
    assert sum(cov.entities_by_sector.values()) == len(ents)


def test_gaps_match_a_plain_csv_count(shipped):
    ds, cov = shipped
    ents, facts, srcs = (_rows(data_dir(), s) for s in ("entities", "relationships", "sources"))
    used = {f["subject"] for f in facts} | {f["object"] for f in facts}
    assert cov.entities_without_facts == sorted(e["id"] for e in ents if e["id"] not in used)
    assert cov.sources_by_kind == dict(Counter(s.get("kind") or "(none)" for s in srcs))
    orgs = {"company", "state_fund", "fund", "government_body", "university", "research_lab", "exchange"}
    assert cov.organisations_without_qid == sorted(e["id"] for e in ents if e["type"] in orgs and not e["wikidata"])
    assert cov.identifiers["wikidata"] == sum(1 for e in ents if e["wikidata"])
    listings = [f for f in facts if f["relation"] == "LISTED_ON"]
    assert len(cov.listings_without_date) == sum(1 for f in listings if "listing_date=" not in f["properties"])
    listed = {f["subject"] for f in listings}
    assert not set(cov.listed_without_listing) & listed


def test_a_toy_dataset_gives_the_hand_worked_report(tmp_path):
    """Two cities in China, one in the US: the Chinese company without a Chinese name is the one gap."""
    d = tmp_path / "data"
    d.mkdir()
    shutil.copy(data_dir() / "ontology.toml", d / "ontology.toml")
    shutil.copy(MINI / "ticker_formats.csv", d / "ticker_formats.csv")
    (d / "sources.csv").write_text(
        "id,url,publisher,published,title,kind\n"
        "s1,https://example.org/a,Example Exchange,2024-01-02,Filing,primary\n"
        "s2,https://example.org/b,Example News,2024-02-03,Story,news\n"
        "s3,https://example.org/c,Example Wiki,,Page,\n", encoding="utf-8")
    (d / "entities.csv").write_text(
        "id,type,name,name_zh,aliases,category,founded,wikidata,uscc,lei,sources,note\n"
        "bigco,company,BigCo,大公司,,platform,,Q1,,,,\n"
        "chipunit,company,ChipUnit,,,chip_design,,,,,,\n"
        "usco,company,USCo,,,chip_design,,,,,,\n"
        "lonely,company,Lonely,,,other,,,,,,\n"
        "idx,index,Some Index,,,,,,,,,\n"
        "sse,exchange,Shanghai Stock Exchange,上海证券交易所,,,,,,,,\n"
        "china,place,China,中国,,country,,,,,,\n"
        "usa,place,USA,,,country,,,,,,\n"
        "city,place,City,城,,city,,,,,,\n"
        "town,place,Town,,,city,,,,,,\n", encoding="utf-8")
    (d / "relationships.csv").write_text(
        "subject,relation,object,since,until,properties,sources,confidence,note\n"
        "chipunit,SUBSIDIARY_OF,bigco,2020,,,s1,high,\n"
        "bigco,LOCATED_IN,city,,,role=headquarters,s2,high,\n"
        "chipunit,LOCATED_IN,city,2020,,role=headquarters,s2,high,\n"
        "usco,LOCATED_IN,town,2019,,role=headquarters,s2,high,\n"
        "city,LOCATED_IN,china,,,role=part_of,s1,high,\n"
        "town,LOCATED_IN,usa,,,role=part_of,s1,high,\n"
        "bigco,LISTED_ON,sse,2021-05-06,,ticker=600001.SS; board=Main Board; listing_date=2021-05-06,s1,high,\n"
        "usco,MEMBER_OF,idx,2022,,,s2,medium,\n", encoding="utf-8")
    ds = read_dataset(d)
    assert ds.errors == []
    cov = coverage(ds)
    assert cov.entities_by_sector[CHIP_UNITS] == 1 and sector_of(ds.entities["usco"]) == "AI accelerator, GPU and CPU designers"
    assert cov.chinese_organisations == ["bigco", "chipunit"]  # usco is in the US; sse and lonely have no location
    assert cov.chinese_without_name_zh == ["chipunit"]
    assert cov.organisations_without_location == ["lonely", "sse"]
    assert cov.organisations_without_qid == ["chipunit", "lonely", "sse", "usco"]
    assert cov.listed_companies == ["bigco", "usco"] and cov.listed_without_listing == ["usco"]
    assert cov.listings_without_date == [] and cov.listings_without_board == []
    assert cov.facts_without_since == ["bigco LOCATED_IN city", "city LOCATED_IN china", "town LOCATED_IN usa"]
    assert cov.entities_without_facts == ["lonely"]
    assert cov.sources_by_kind == {"(none)": 1, "news": 1, "primary": 1}
    assert round(cov.since_share, 3) == round(5 / 8, 3)


def test_the_command_prints_the_same_numbers_as_json_and_text():
    ds = read_dataset()
    cov = coverage(ds)
    proc = run_cli("coverage", "--format", "json", check=True)
    rows = json.loads(proc.stdout)
    got = {(r["section"], r["item"]): r["count"] for r in rows}
    assert got[("total", "facts")] == cov.facts_total
    assert got[("gaps", "facts without since")] == len(cov.facts_without_since)
    assert got[("facts by relation", "LISTED_ON")] == cov.facts_by_relation["LISTED_ON"]
    text = run_cli("coverage", "--show", "0", check=True).stdout
    assert f"facts without since: {len(cov.facts_without_since)} of {cov.facts_total}" in text
    assert "Platforms' chip units" in text and "Sources by kind:" in text
    listed = run_cli("coverage", "--gap", "no-facts", check=True).stdout.split()
    assert listed == cov.entities_without_facts
    bad = run_cli("coverage", "--gap", "nope")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "use one of" in bad.stderr
