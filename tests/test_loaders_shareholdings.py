"""Registry shareholdings: a user loads a registry export with `cnaikg load shareholdings` and reads the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cnaikg.errors import LoaderError
from cnaikg.loaders.shareholdings import load_shareholdings
from conftest import run_cli
from loaders_fixtures import LOADERS, fixture_data_dir, fixture_graph

DATA = LOADERS / "shareholdings"


@pytest.fixture(scope="module")
def fkg(tmp_path_factory):
    return fixture_graph(tmp_path_factory.mktemp("fx"))


@pytest.fixture(scope="module")
def fdata(tmp_path_factory):
    return fixture_data_dir(tmp_path_factory.mktemp("fxd"))


def test_registry_rows_become_owns_facts_with_stakes(fkg):
    res = load_shareholdings(DATA / "good.csv", kg=fkg)
    got = sorted((f.subject, f.relation, f.object, f.properties["stake_pct"], f.since) for f in res.facts)
    assert got == [("alibaba", "OWNS", "zhipu-ai", 12.5, "2023-10"), ("big-fund-ii", "OWNS", "smic", 5.2, "2024-06-30"),
                   ("inspur-group", "OWNS", "inspur", 36.2, "2023"), ("tencent", "OWNS", "zhipu-ai", 3.0, "2023-10")]
    f = next(f for f in res.facts if f.subject == "big-fund-ii")
    assert f.sources[0].url == "https://example.org/registry/smic" and f.origin.endswith("good.csv:2")
    # the Chinese spelling of the same row is the same fact, reported and not loaded twice
    assert any("same fact as line 2" in p.message for p in res.report.skipped)
    assert any("same entity" in p.message and p.line == 8 for p in res.report.skipped)


def test_names_that_do_not_resolve_are_reported_not_invented(fkg):
    res = load_shareholdings(DATA / "good.csv", kg=fkg)
    un = {u["name"]: u for u in res.report.unresolved}
    assert un["Ningbo Unknown Capital Partnership"]["status"] == "unresolved"
    # "Group" tells the parent from the listed company: INSPUR GROUP CO LTD is Inspur Group, not Inspur
    assert "INSPUR GROUP CO LTD" not in un
    # a generic name that fits several funds is ambiguous and lists them
    assert un["大基金"]["status"] == "ambiguous"
    assert len(un["大基金"]["candidates"]) == 2
    assert res.entities == []


def test_new_entities_only_with_the_explicit_flag_and_never_for_ambiguous_names(fkg):
    res = load_shareholdings(DATA / "good.csv", kg=fkg, create_entities=True)
    assert [e.name for e in res.entities] == ["Ningbo Unknown Capital Partnership"]
    assert res.entities[0].id.startswith("e-")
    again = load_shareholdings(DATA / "good.csv", kg=fkg, create_entities=True)
    assert again.entities[0].id == res.entities[0].id, "ids are stable hashes, not random"
    assert [u["name"] for u in res.report.unresolved] == ["大基金"]
    assert any(f.subject == res.entities[0].id and f.object == "moore-threads" for f in res.facts)


def test_bad_values_are_skipped_with_line_field_and_reason(fkg):
    res = load_shareholdings(DATA / "bad-values.csv", kg=fkg, today=__import__("datetime").date(2025, 1, 1))
    by_line = {p.line: (p.field, p.message) for p in res.report.skipped}
    assert by_line[2] == ("stake_pct", "150 is outside 0 to 100; write a percentage such as 12.5")
    assert by_line[3] == ("stake_pct", "-3 is outside 0 to 100; write a percentage such as 12.5")
    assert by_line[4][0] == "stake_pct" and "not a number" in by_line[4][1]
    assert by_line[5][0] == "date" and "future" in by_line[5][1]
    assert by_line[6][0] == "date" and "not a date" in by_line[6][1]
    assert by_line[7][0] == "date" and "2024-02-30" in by_line[7][1]
    assert by_line[8] == ("source", "empty")
    assert by_line[9] == ("investor", "looks like a spreadsheet formula")
    assert by_line[10] == ("investor", "contains HTML markup")
    assert by_line[11] == ("investee", "contains HTML markup")
    assert by_line[13] == ("investor", "duplicate of line 12")
    assert res.report.rows_loaded == 1 and len(res.facts) == 1


@pytest.mark.parametrize("name,message", [
    ("empty.csv", "empty.csv: the file is empty"),
    ("header-only.csv", None),
    ("gbk.csv", "gbk.csv:3: not valid UTF-8"),
    ("renamed-column.csv", "renamed-column.csv:1: missing column(s) investor, stake_pct"),
    ("missing-column.csv", "missing-column.csv:1: missing column(s) stake_pct"),
    ("too-many-cells.csv", "too-many-cells.csv:3: malformed CSV"),
])
def test_broken_files_give_one_clear_error_naming_file_and_line(fkg, name, message):
    if message is None:
        assert len(load_shareholdings(DATA / name, kg=fkg).facts) == 0
        return
    with pytest.raises(LoaderError) as exc:
        load_shareholdings(DATA / name, kg=fkg)
    assert message in str(exc.value)


def test_bom_and_truncated_rows(fkg):
    assert len(load_shareholdings(DATA / "bom.csv", kg=fkg).facts) == 1
    res = load_shareholdings(DATA / "truncated.csv", kg=fkg)
    assert [(p.line, p.field) for p in res.report.skipped] == [(3, "date")]


def test_a_10_mb_name_is_skipped_not_crashed(fkg, tmp_path):
    p = tmp_path / "huge.csv"
    p.write_text("investor,investee,stake_pct,date,source\n" + "A" * 10_000_000 + ",SMIC,5,2024,https://example.org/r\n"
                 "Big Fund II,SMIC,5.2,2024,https://example.org/r\n", encoding="utf-8")
    res = load_shareholdings(p, kg=fkg)
    assert res.report.skipped[0].line == 2 and "not a name" in res.report.skipped[0].message
    assert len(res.facts) == 1


def test_parquet_input(fkg, tmp_path):
    import pandas as pd

    p = tmp_path / "h.parquet"
    pd.DataFrame({"investor": ["Big Fund II"], "investee": ["688981.SS"], "stake_pct": [5.2], "date": ["2024-06"],
                  "source": ["https://example.org/r"]}).to_parquet(p)
    (f,) = load_shareholdings(p, kg=fkg).facts
    assert (f.subject, f.object, f.properties["stake_pct"]) == ("big-fund-ii", "smic", 5.2)


def test_cli_writes_every_file_and_nothing_on_failure(fdata, tmp_path):
    out = tmp_path / "out"
    proc = run_cli("load", "shareholdings", str(DATA / "good.csv"), "--data", str(fdata), "--out", str(out), "--option", "create_entities")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "entities.csv", "facts.csv", "known.csv", "load_report.json", "review.csv", "sources.csv", "unresolved.csv"]
    assert "big-fund-ii,OWNS,smic,2024-06-30,,stake_pct=5.2," in (out / "facts.csv").read_text()
    report = json.loads((out / "load_report.json").read_text())
    assert report["rows_read"] == 8 and report["entities_created"] == 1
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = run_cli("load", "shareholdings", str(DATA / "gbk.csv"), "--data", str(fdata), "--out", str(out))
    assert bad.returncode == 2 and "gbk.csv:3: not valid UTF-8" in bad.stderr and "Traceback" not in bad.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "a failed load leaves the previous output untouched"
    fresh = tmp_path / "fresh"
    run_cli("load", "shareholdings", str(DATA / "empty.csv"), "--data", str(fdata), "--out", str(fresh))
    assert not fresh.exists(), "no partial output"


def test_cli_refuses_unknown_options_and_kinds(fdata, tmp_path):
    proc = run_cli("load", "shareholdings", str(DATA / "good.csv"), "--data", str(fdata), "--option", "nope=1")
    assert proc.returncode == 2 and "has no option 'nope=1'" in proc.stderr and "create_entities" in proc.stderr
    proc = run_cli("load", "nosuch", "x.csv")
    assert proc.returncode == 2 and "no loader named 'nosuch'" in proc.stderr and "shareholdings" in proc.stderr
