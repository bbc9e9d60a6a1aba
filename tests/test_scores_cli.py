"""The scores commands as a user runs them: features, explain, screen, changes, and what `cnaikg build` adds."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import run_cli
from scores_fixtures import scores_dir  # noqa: F401  (fixture)

FUNDAMENTALS = Path(__file__).parent / "data" / "fundamentals_synthetic" / "fundamentals.csv"


def test_features_to_csv_is_keyed_by_id_with_tickers_and_spreadsheet_safe(scores_dir, tmp_path):
    out = tmp_path / "f.csv"
    proc = run_cli("features", "--data", str(scores_dir), "--as-of", "2024-06-30", "--out", str(out), check=True)
    assert "wrote 9 companies" in proc.stderr and proc.stdout == ""
    rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["chip-c"]["tickers"] == "688001.SS"
    assert rows["evil-z"]["name"] == "'=HYPERLINK(evil)"  # neutralised for spreadsheets
    assert float(rows["loner-e"]["policy_proximity"]) == 0.0
    # byte-identical on a second run
    again = tmp_path / "g.csv"
    run_cli("features", "--data", str(scores_dir), "--as-of", "2024-06-30", "--out", str(again), check=True)
    assert out.read_bytes() == again.read_bytes()


def test_features_to_parquet_round_trips(scores_dir, tmp_path):
    out = tmp_path / "f.parquet"
    run_cli("features", "--data", str(scores_dir), "--out", str(out), check=True)
    df = pd.read_parquet(out)
    assert df.index.name == "id" and "policy_proximity" in df.columns and "pagerank" in df.columns
    assert df.loc["holdco-b", "state_stake_lookthrough"] == pytest.approx(0.5 / 0.96)


def test_features_refuses_bad_dates_and_formats_in_one_line(scores_dir, tmp_path):
    bad = run_cli("features", "--data", str(scores_dir), "--as-of", "30/06/2024", "--out", str(tmp_path / "f.csv"))
    assert bad.returncode == 2 and "is not a date; write YYYY" in bad.stderr and "Traceback" not in bad.stderr
    bad = run_cli("features", "--data", str(scores_dir), "--out", str(tmp_path / "f.xlsx"))
    assert bad.returncode == 2 and ".parquet or .csv" in bad.stderr


def test_explain_prints_components_terms_and_exposure_with_sources(scores_dir):
    out = run_cli("explain", "Chip C", "--data", str(scores_dir), "--top", "5", check=True).stdout
    assert out.startswith("Chip C (chip-c): policy proximity 0.")
    assert "lookthrough_state_equity" in out
    assert "fund-a -[OWNS 2018-01..]-> holdco-b (source: Example Filings 2018-06-01 https://example.org/2018/fund-a)" in out
    assert "listed supplier listed-x: listed-x -[SUPPLIES 2018..]-> chip-c" in out
    js = json.loads(run_cli("explain", "chip-c", "--data", str(scores_dir), "--format", "json", check=True).stdout)
    assert js[0]["kind"] == "score" and {r["kind"] for r in js} >= {"component", "term", "exposure", "control"}
    # every term is counted: the components' contributions add up to the score, the terms to each component's value
    comps = [r for r in js if r["kind"] == "component"]
    assert sum(r["value"] for r in comps) == pytest.approx(js[0]["value"], abs=1e-5)
    none = run_cli("explain", "loner-e", "--data", str(scores_dir), check=True).stdout
    assert "no path to any state actor" in none
    missing = run_cli("explain", "Chip Q", "--data", str(scores_dir))
    assert missing.returncode == 2 and "nothing matches 'Chip Q'" in missing.stderr


def test_screen_uses_the_latest_valuation_on_or_before_the_date(scores_dir):
    args = ["screen", "--data", str(scores_dir), "--fundamentals", str(FUNDAMENTALS), "--format", "json"]
    early = json.loads(run_cli(*args, "--as-of", "2021-06-30", check=True).stdout)
    assert [r["id"] for r in early] == ["chip-c"]  # labco-d's Tsinghua tie was not public yet
    r = early[0]
    assert (r["ticker"], r["forward_pe"], r["fundamentals_as_of"], r["graph_as_of"]) == ("688001.SS", 12.0, "2021-03-31", "2021-06-30")
    assert "state lab/university ties" in r["reasons"] and "forward P/E 12" in r["reasons"]
    # a year later chip-c's forward P/E is 20: it fails; --max-forward-pe is an option
    assert json.loads(run_cli(*args, "--as-of", "2022-06-30", check=True).stdout) == []
    later = json.loads(run_cli(*args, "--as-of", "2022-06-30", "--max-forward-pe", "25", check=True).stdout)
    assert [r["id"] for r in later] == ["chip-c"]
    everyone = json.loads(run_cli(*args, "--as-of", "2021-06-30", "--all", check=True).stdout)
    failing = {r["id"]: r["reasons"] for r in everyone if not r["passed"]}
    assert "no tie to a state lab, university or fund" in failing["labco-d"]


def test_screen_without_fundamentals_says_how_to_provide_them(scores_dir, tmp_path):
    bad = run_cli("screen", "--data", str(scores_dir), "--fundamentals", str(tmp_path / "none.csv"))
    assert bad.returncode == 2 and "--fundamentals FILE.csv with columns ticker,as_of,forward_pe" in bad.stderr
    broken = tmp_path / "broken.csv"
    broken.write_text("ticker,as_of,forward_pe,ev_sales,market_cap,currency,source\n688001.SS,2021-13-01,abc,-1,,cny,nowhere\n")
    bad = run_cli("screen", "--data", str(scores_dir), "--fundamentals", str(broken))
    assert bad.returncode == 2
    for field in ("as_of", "forward_pe", "ev_sales", "currency", "source"):
        assert f"broken.csv:2: {field}:" in bad.stderr  # every problem at once


def test_changes_lists_the_movers_and_the_facts_that_moved_them(scores_dir):
    out = run_cli("changes", "--data", str(scores_dir), "--from", "2022-06-30", "--to", "2024-06-30", check=True).stdout
    first = out.splitlines()[0]
    assert first.startswith("labco-d (LabCo D): policy_proximity 0.")
    assert "+ became true 2023-01: fund-a -[INVESTS_IN 2023-01..]-> labco-d" in out
    # true since 2019, first published on 2024-03-01: known in the window, not a new tie
    assert "+ became known 2024-03-01 (true since 2019-01): labco-d -[AFFILIATED_WITH 2019-01..]-> tsinghua" in out
    bad = run_cli("changes", "--data", str(scores_dir), "--from", "2024-01-01", "--to", "2023-01-01")
    assert bad.returncode == 2 and "swap them" in bad.stderr


def test_build_writes_the_features_and_prints_the_top_companies(scores_dir, tmp_path):
    proc = run_cli("build", "--data", str(scores_dir), "--out", str(tmp_path / "out"), check=True)
    assert (tmp_path / "out" / "features.parquet").is_file() and (tmp_path / "out" / "features.csv").is_file()
    assert json.loads((tmp_path / "out" / "features.csv.json").read_text())["schema_version"] == "2"  # metadata beside the CSV
    head = "top companies by policy proximity (companies that are not state actors themselves):"
    assert head in proc.stdout
    listed = [line.split()[1] for line in proc.stdout.split(head)[1].splitlines()[1:] if line.startswith("  ")]
    # labco-d's SOE partnership, programme, Tsinghua tie and fund-a's 8% (0.289) edge out holdco-b's 52% held by fund-a (0.275)
    assert listed[:2] == ["labco-d", "holdco-b"]
    assert "china-mobile" not in listed  # an SOE is a state actor itself
    assert listed.index("loner-e") > listed.index("chip-c")


def test_the_build_step_shares_the_table_and_explanations(scores_dir, tmp_path):
    from cnaikg.build import run_build

    ctx = run_build(scores_dir, tmp_path / "out", quiet=True, steps=["features"])
    df, ex = ctx.results["features"], ctx.results["explanations"]
    assert df.index.name == "id" and {"policy_proximity", "pagerank"} <= set(df.columns)
    assert set(ex) == set(df.index) and ex["loner-e"] == ["no path to any state actor"]
    assert all(isinstance(line, str) for lines in ex.values() for line in lines)
    assert any("OWNS" in line for line in ex["holdco-b"])


def test_the_tables_of_docs_scores_md_are_the_generated_ones():
    from cnaikg.queries.features import render_scores_doc, scores_doc_path

    text = scores_doc_path().read_text(encoding="utf-8")
    assert render_scores_doc(text) == text, "docs/scores.md is stale: run `python -m cnaikg.queries.features`"
