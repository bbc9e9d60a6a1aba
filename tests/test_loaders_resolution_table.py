"""The resolution table: 400+ names from real Chinese and international corporate naming, run through the resolver.

tests/data/resolution/entities.csv holds look-alike families (a listed company, its parent group,
its subsidiaries in brackets, city funds, fund phases); cases.csv says what each name must resolve to:
an entity id, NONE (must not merge with anything) or AMBIGUOUS (a generic name), and ``not`` names the
look-alike it must never merge with. The bar is zero wrong merges; recall is printed.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cnaikg.graph.model import Entity
from cnaikg.loaders.resolve import Judgement, Resolver

HERE = Path(__file__).parent / "data" / "resolution"


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def table_entities() -> list[Entity]:
    out = []
    with (HERE / "entities.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            ident: dict = {"tickers": [t for t in r["tickers"].split("|") if t]}
            if r["wikidata"]:
                ident["wikidata"] = r["wikidata"]
            out.append(Entity(r["id"], r["type"], r["name"], r["name_zh"], tuple(a for a in r["aliases"].split("|") if a), identifiers=ident))
    return out


def table_cases() -> list[dict[str, str]]:
    with (HERE / "cases.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(table_entities())


def test_the_table_is_large_and_hard():
    rows = table_cases()
    ids = {e.id for e in table_entities()}
    must_not = [r for r in rows if r["not"] or r["expected"] in ("NONE", "AMBIGUOUS")]
    assert len(rows) >= 300 and len(must_not) >= 100 and sum(_cjk(r["input"]) for r in must_not) >= 80
    for r in rows:
        assert r["expected"] in ids | {"NONE", "AMBIGUOUS"}, r
        assert not r["not"] or r["not"] in ids, r


def test_zero_wrong_merges_and_recall(resolver, capsys):
    rows = table_cases()
    wrong, missed, merged = [], [], 0
    should = [r for r in rows if r["expected"] not in ("NONE", "AMBIGUOUS")]
    for r in rows:
        m = resolver.resolve(r["input"])
        got = m.entity_id if m.resolved else m.status.upper() if m.status == "ambiguous" else "NONE"
        if m.resolved and got != r["expected"]:
            wrong.append(f"WRONG MERGE {r['input']!r} -> {got} by {m.method} (expected {r['expected']}: {r['note']})")
        elif r["expected"] == "AMBIGUOUS" and got != "AMBIGUOUS":
            missed.append(f"not ambiguous: {r['input']!r} is {got}: {m.why()}")
        elif got == r["expected"] and m.resolved:
            merged += 1
        elif r["expected"] not in ("NONE", "AMBIGUOUS"):
            missed.append(f"missed {r['input']!r}: {m.why()} (expected {r['expected']})")
    must_not = [r for r in rows if r["not"] or r["expected"] in ("NONE", "AMBIGUOUS")]
    recall = merged / len(should)
    with capsys.disabled():
        print(f"\nresolution table: {len(rows)} cases, {len(must_not)} must-not-merge "
              f"({sum(_cjk(r['input']) for r in must_not)} in Chinese), {len(wrong)} wrong merges, "
              f"recall {recall:.3f} ({merged}/{len(should)})")
        for line in wrong + missed:
            print("  " + line)
    assert wrong == [], "a wrong merge silently corrupts every downstream answer"
    assert recall >= 0.9


def test_a_review_candidate_is_shown_for_near_misses(resolver):
    m = resolver.resolve("Hua Hong Semiconductor (Shanghai) Limited")
    assert m.status == "unresolved" and m.candidates[0].id == "hua-hong" and m.candidates[0].method == "differs-in-place"
    m = resolver.resolve("Moore Thread")
    assert m.status == "unresolved" and (m.candidates[0].id, m.candidates[0].method) == ("moore-threads", "fuzzy")
    m = resolver.resolve("大基金")
    assert m.status == "ambiguous" and {c.id for c in m.candidates} == {"big-fund-i", "big-fund-ii", "big-fund-iii"}


def test_judgements_are_honoured():
    ents = table_entities()
    plain = Resolver(ents)
    assert not plain.resolve("Moore Thread").resolved
    judged = Resolver(ents, judgements=[Judgement("Moore Thread", "moore-threads", "same"),
                                        Judgement("China Mobile", "china-mobile-group", "not_same")])
    m = judged.resolve("Moore Thread")
    assert (m.entity_id, m.method) == ("moore-threads", "judgement")
    assert judged.resolve("China Mobile").entity_id != "china-mobile-group", "a not_same judgement removes an exact alias match too"
    assert judged.resolve("中国移动").entity_id == "china-mobile-group", "other names are untouched"


def test_a_recorded_judgement_is_honoured_by_the_next_load(tmp_path):
    from conftest import run_cli
    from loaders_fixtures import fixture_data_dir

    data = fixture_data_dir(tmp_path)
    rows = tmp_path / "h.csv"
    rows.write_text("investor,investee,stake_pct,date,source\nTencnet Holdings Ltd,Zhipu AI,3,2024-10,https://example.org/r\n", encoding="utf-8")
    out = tmp_path / "out"
    run_cli("load", "shareholdings", str(rows), "--data", str(data), "--out", str(out), check=True)
    assert "tencent" not in (out / "facts.csv").read_text(encoding="utf-8"), "a typo is a review candidate, never a fact"
    assert "fuzzy" in (out / "review.csv").read_text(encoding="utf-8")
    run_cli("resolve", "Tencnet Holdings Ltd", "--same", "tencent", "--data", str(data), "--note", "typo in the filing", check=True)
    assert "Tencnet Holdings Ltd,tencent,same,typo in the filing" in (data / "judgements.csv").read_text(encoding="utf-8")
    shown = run_cli("resolve", "Tencnet Holdings Ltd", "--data", str(data), "--format", "json")
    assert json.loads(shown.stdout)[0]["method"] == "judgement"
    run_cli("load", "shareholdings", str(rows), "--data", str(data), "--out", str(out), check=True)
    assert "tencent,OWNS,zhipu-ai" in (out / "facts.csv").read_text(encoding="utf-8")
    assert run_cli("validate", "--data", str(data)).returncode == 0
