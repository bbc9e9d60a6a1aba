"""Screening lists (CSL CSV, OpenSanctions FtM JSON lines) and ETF holdings, loaded the way an analyst would."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cnaikg import registry
from cnaikg.errors import LoaderError
from cnaikg.loaders.base import Loader, LoadResult
from cnaikg.loaders.holdings import load_holdings
from cnaikg.loaders.sanctions import CSL_COLUMNS, load_csl, load_opensanctions
from conftest import run_cli
from loaders_fixtures import LOADERS, fixture_data_dir, fixture_graph

TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def fkg(tmp_path_factory):
    return fixture_graph(tmp_path_factory.mktemp("fx"))


def test_every_registered_source_loader_keeps_the_contract():
    for name in ("csl", "holdings", "opensanctions", "shareholdings"):
        cls = registry.get("loader", name)
        assert issubclass(cls, Loader) and cls.name == name and cls.description


def test_the_contract_is_checked_when_a_loader_class_is_defined():
    with pytest.raises(TypeError, match="implement load"):
        type("NoLoad", (Loader,), {"name": "no-load", "description": "x"})
    with pytest.raises(TypeError, match="keyword-only"):
        type("Positional", (Loader,), {"name": "pos", "description": "x", "load": lambda self, source, kg: LoadResult()})


def test_csl_in_its_published_layout_gives_on_list_facts(fkg):
    header = (LOADERS / "sanctions" / "consolidated.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(CSL_COLUMNS)
    res = load_csl(LOADERS / "sanctions" / "consolidated.csv", kg=fkg, today=TODAY)
    got = {f.subject: dict(f.properties) for f in res.facts}
    assert got["smic"] == {"programme": "EAR", "date_added": "2020-12-22", "citation": "85 FR 83416 12/22/2020"}
    assert set(got) == {"smic", "zhipu-ai"}, "the Zhipu entry resolves through its registered name"
    (inspur,) = [r for r in res.review if r["kind"] == "conflict"]
    assert "inspur-group" in inspur["conflict"] and "inspur" in inspur["conflict"], "Inspur Group and its alias 浪潮信息 are two entities: review"
    skipped = {p.line: (p.field, p.message) for p in res.report.skipped}
    assert skipped[8] == ("name", "looks like a spreadsheet formula")
    assert skipped[9][0] == "start_date" and "'16 May 2019' is not a date" in skipped[9][1]
    assert skipped[10][0] == "start_date" and "future" in skipped[10][1]
    assert res.report.counts["skipped_vessels_aircraft"] == 1
    assert any("Specially Designated Nationals" in n for n in res.report.notes)


def test_opensanctions_ftm_lines_use_identifiers_and_aliases_and_review_near_misses(fkg):
    res = load_opensanctions(LOADERS / "sanctions" / "opensanctions.ftm.json", kg=fkg, list="us-entity-list", today=TODAY)
    assert {f.subject: f.note.split(" by ")[1].split(" ")[0] for f in res.facts} == {"smic": "name", "baidu": "wikidata", "tencent": "name"}
    (near,) = res.review
    assert near["kind"] == "near-miss" and near["subject"] == "hua-hong", "a Hua Hong subsidiary is shown, not merged"
    lines = {p.line: p.field for p in res.report.skipped}
    assert lines == {4: "", 6: "schema", 7: "datasets", 8: "datasets", 9: "schema"}, \
        "truncated line, non-entity, an NS-CMIC and a 1260H entry (never forced onto the Entity List), an unknown schema"
    assert "tencent" in {f.subject for f in res.facts}, "a name given as a string (not a list) is one value, not lost"


def test_opensanctions_finds_the_list_from_the_dataset_name_or_refuses_an_unknown_one(fkg, tmp_path):
    res = load_opensanctions(LOADERS / "sanctions" / "opensanctions.ftm.json", kg=fkg, today=TODAY)
    assert {f.subject for f in res.facts} == {"smic", "baidu", "tencent"}
    notes = " ".join(res.report.notes)
    assert "us_dod_chinese_milcorps (list dod-1260h-list" in notes and "xx_made_up_list" in notes, "unknown lists are reported, not dropped"
    p = tmp_path / "other.json"
    p.write_text(json.dumps({"id": "x", "schema": "Company", "properties": {"name": ["SMIC"]}, "datasets": ["gb_hmt_sanctions"]}) + "\n")
    res = load_opensanctions(p, kg=fkg, today=TODAY)
    assert res.facts == [] and res.report.counts["skipped_list_not_in_graph"] == 1
    with pytest.raises(LoaderError, match="not a sanctions_list"):
        load_opensanctions(LOADERS / "sanctions" / "opensanctions.ftm.json", kg=fkg, list="nope")


def test_csl_broken_files(fkg, tmp_path):
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(LoaderError, match="empty.csv: the file is empty"):
        load_csl(tmp_path / "empty.csv", kg=fkg)
    (tmp_path / "old.csv").write_text("Name,Source List\nSMIC,Entity List\n")
    with pytest.raises(LoaderError, match=r"old.csv:1: missing column\(s\) source, type, programs, name"):
        load_csl(tmp_path / "old.csv", kg=fkg)
    (tmp_path / "big.csv").write_text(",".join(CSL_COLUMNS) + "\n" + ",".join(
        {"source": "Entity List (EL) - Bureau of Industry and Security", "type": "Entity", "name": "X" * 10_000_000}.get(c, "") for c in CSL_COLUMNS) + "\n")
    res = load_csl(tmp_path / "big.csv", kg=fkg)
    assert res.report.skipped[0].line == 2 and "not a name" in res.report.skipped[0].message


def test_etf_holdings_become_holds_with_weight_and_as_of(fkg):
    res = load_holdings(LOADERS / "holdings" / "KWEB_holdings.csv", kg=fkg, url="https://kraneshares.com/kweb/", today=TODAY)
    got = {f.object: (f.subject, f.properties["weight_pct"], f.properties["as_of"]) for f in res.facts}
    assert got == {"alibaba": ("kweb", 10.52, "2025-01-31"), "tencent": ("kweb", 9.87, "2025-01-31"), "baidu": ("kweb", 4.1, "2025-01-31")}
    (conflict,) = res.review
    assert conflict["object"] == "smic" and "TENCENT MUSIC" in conflict["conflict"], "a ticker that belongs to another company is flagged"
    assert [u["name"] for u in res.report.unresolved] == ["NETEASE INC"]
    reasons = {p.line: p.field for p in res.report.skipped}
    assert reasons == {5: "ticker", 7: "name", 8: "weight", 9: "date", 10: "ticker"}


def test_holdings_broken_files(fkg):
    with pytest.raises(LoaderError, match="the file is empty"):
        load_holdings(LOADERS / "holdings" / "empty.csv", kg=fkg, fund="kweb")
    with pytest.raises(LoaderError, match=r"no-weight.csv:1: missing column\(s\) weight"):
        load_holdings(LOADERS / "holdings" / "no-weight.csv", kg=fkg, fund="kweb")
    with pytest.raises(LoaderError, match="pass --option fund=ID"):
        load_holdings(LOADERS / "holdings" / "no-weight.csv", kg=fkg)


def test_cli_loads_a_screening_list_and_writes_the_review_file(tmp_path):
    data = fixture_data_dir(tmp_path)
    out = tmp_path / "out"
    proc = run_cli("load", "opensanctions", str(LOADERS / "sanctions" / "opensanctions.ftm.json"), "--data", str(data),
                   "--out", str(out), "-o", "list=us-entity-list", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert "rows for review" in proc.stderr
    review = (out / "review.csv").read_text(encoding="utf-8")
    assert "near-miss,hua-hong" in review
    assert json.loads((out / "load_report.json").read_text())["facts"] == 3
