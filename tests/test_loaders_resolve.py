"""Entity resolution: the table of hard cases, precision and recall, and `cnaikg resolve`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cnaikg.loaders.resolve import Resolver, parse_ticker
from loaders_fixtures import fixture_data_dir, fixture_graph

CASES = Path(__file__).parent / "data" / "resolution_cases.csv"


@pytest.fixture(scope="module")
def fkg(tmp_path_factory):
    return fixture_graph(tmp_path_factory.mktemp("fixture"))


@pytest.fixture(scope="module")
def resolver(fkg):
    return Resolver.from_graph(fkg)


def _cases():
    with CASES.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_case_table_is_large_and_hard():
    rows = _cases()
    assert len(rows) >= 60
    assert sum(r["expected"] == "NONE" for r in rows) >= 15, "near misses that must not merge"
    assert any(r["expected"] == "AMBIGUOUS" for r in rows)
    assert sum(any("\u4e00" <= ch <= "\u9fff" for ch in r["input"]) for r in rows) >= 20, "Chinese names"


def test_resolution_table_precision_and_recall(resolver, capsys):
    """Precision: of the names we merged, how many went to the right entity. Recall: of the names that should merge, how many did."""
    rows = _cases()
    tp = fp = fn = tn = 0
    wrong = []
    for r in rows:
        m = resolver.resolve(r["input"])
        got = m.entity_id if m.resolved else ("AMBIGUOUS" if m.status == "ambiguous" else "NONE")
        should_merge = r["expected"] not in ("NONE", "AMBIGUOUS")
        if m.resolved:
            if got == r["expected"]:
                tp += 1
            else:
                fp += 1
                wrong.append(f"WRONG MERGE {r['input']!r}: got {got} by {m.method} {m.score}, expected {r['expected']} ({r['note']})")
        else:
            if should_merge:
                fn += 1
                wrong.append(f"MISSED {r['input']!r}: {m.why()} (expected {r['expected']}: {r['note']})")
            else:
                tn += 1
                if got != r["expected"]:
                    wrong.append(f"note: {r['input']!r} is {got}, table says {r['expected']}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    with capsys.disabled():
        print(f"\nresolution table: {len(rows)} cases, precision {precision:.3f}, recall {recall:.3f} "
              f"(tp {tp}, fp {fp}, fn {fn}, tn {tn})")
        for w in wrong:
            print("  " + w)
    assert fp == 0, "a wrong merge silently corrupts every downstream score"
    assert precision == 1.0 and recall >= 0.95


def test_every_match_says_how_it_was_made(resolver):
    m = resolver.resolve("Moore Thread")
    assert m.entity_id is None and (m.candidates[0].id, m.candidates[0].method) == ("moore-threads", "fuzzy"), "fuzzy: review only"
    assert 90 <= m.candidates[0].score < 100
    assert resolver.resolve("688795.SS").method == "ticker"
    assert resolver.resolve("Q14772").method == "wikidata"
    assert resolver.resolve("摩尔线程").method == "alias"
    assert resolver.resolve("Moore Threads Tech Co.").method == "normalized-name"


def test_ambiguous_names_are_never_merged_and_list_their_candidates(resolver):
    m = resolver.resolve("Big Fund")
    assert m.status == "ambiguous" and m.entity_id is None
    assert {c.id for c in m.candidates} == {"big-fund-i", "big-fund-ii"}


def test_unresolved_names_carry_their_best_candidates(resolver):
    m = resolver.resolve("Big Fund III")
    assert m.status == "unresolved"
    assert "big-fund-ii" in [c.id for c in m.candidates], "the near miss is shown for review"


def test_types_limit_the_candidates(resolver):
    assert resolver.resolve("Tsinghua University", types=["company"]).status == "unresolved"
    assert resolver.resolve("Tsinghua University", types=["university"]).entity_id == "tsinghua"


@pytest.mark.parametrize("text,expected", [
    ("688795.SS", ("688795", "SS")), ("688795.sh", ("688795", "SS")), ("SZ000063", ("63", "SZ")),
    ("HKEX:9888", ("9888", "HK")), ("BABA US", ("BABA", "US")), ("DeepSeek", None), ("Q42", ("Q", "")[:0] or None),
])
def test_ticker_spellings(text, expected):
    if text == "Q42":
        assert parse_ticker(text) is None
    else:
        assert parse_ticker(text) == expected


def test_the_reported_cases_on_the_shipped_dataset(kg):
    """Issue 10's repro cases, on the shipped data: nothing merged by similarity, generic names ambiguous, Chinese names resolve."""
    from cnaikg.loaders.resolve import resolver_for

    res = resolver_for(kg)
    for name in ("Shanghai Integrated Circuit Industry Investment Fund", "Beijing Integrated Circuit Industry Investment Fund",
                 "上海集成电路产业投资基金", "The National Integrated Circuit Industry Investment Fund Phase II"):
        m = res.resolve(name)
        assert not (m.resolved and (m.entity_id or "").startswith("big-fund")), (name, m.why())
        assert m.entity_id != "big-fund-i", name
    for name in ("Big Fund", "大基金"):
        m = res.resolve(name)
        assert m.status == "ambiguous" and {"big-fund-i", "big-fund-ii", "big-fund-iii"} <= {c.id for c in m.candidates}
    assert res.resolve("Hua Hong Semiconductor (Wuxi) Limited").entity_id != "hua-hong"
    assert res.resolve("China Mobile Limited").entity_id != "china-mobile"
    assert res.resolve("华虹半导体").entity_id == "hua-hong" and res.resolve("百度").entity_id == "baidu"
