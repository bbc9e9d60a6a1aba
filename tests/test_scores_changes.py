"""What changed between two dates, labelled; and the data checks behind the numbers: stake gaps and round sizes."""

from __future__ import annotations

import shutil

import pytest

from conftest import run_cli
from scores_fixtures import scores_dir, skg  # noqa: F401  (fixtures)


def test_became_true_and_became_known_are_told_apart(skg):
    from cnaikg.queries.changes import fact_changes, score_changes

    fc = fact_changes(skg, start="2022-06-30", end="2024-06-30").set_index("relation")
    assert fc.loc["INVESTS_IN", "change"] == "became true" and fc.loc["INVESTS_IN", "date"] == "2023-01"
    tie = fc.loc["AFFILIATED_WITH"]
    assert (tie.change, tie.date, tie.since, tie.published) == ("became known", "2024-03-01", "2019-01", "2024-03-01")
    labco = score_changes(skg, start="2022-06-30", end="2024-06-30").set_index("id").loc["labco-d"]
    assert [t.split(":")[0] for t in labco.became_known] == ["+ became known 2024-03-01 (true since 2019-01)"]
    assert [t.split(":")[0] for t in labco.became_true] == ["+ became true 2023-01"]


def test_an_ended_fact_is_labelled_ended(skg):
    from cnaikg.graph import Fact
    from cnaikg.queries.changes import fact_changes
    from scores_fixtures import src, with_facts

    grown = with_facts(skg, Fact.create("fund-a", "OWNS", "chip-c", since="2019-01", until="2023-05-01", properties={"stake_pct": 5}, sources=(src(),)))
    fc = fact_changes(grown, start="2022-06-30", end="2024-06-30")
    ended = fc[fc.change == "ended"]
    assert list(ended.date) == ["2023-05-01"] and list(ended.object) == ["chip-c"]


def data_with(tmp_path, scores_dir, rows):
    d = tmp_path / "data"
    shutil.copytree(scores_dir, d)
    with open(d / "relationships.csv", "a", encoding="utf-8") as fh:
        fh.write("".join(r + "\n" for r in rows))
    return d


def test_validate_warns_of_a_stake_that_ends_and_resumes_with_both_facts(tmp_path, scores_dir):
    d = data_with(tmp_path, scores_dir, ["fund-a,OWNS,chip-c,2019-01,2021-01-01,stake_pct=15.9,s-2019,high,",
                                         "fund-a,OWNS,chip-c,2021-04-12,,stake_pct=8.93,s-2023,high,"])
    out = run_cli("validate", "--data", str(d), "--warnings")
    assert out.returncode == 0  # a warning, not an error
    line = next(x for x in out.stdout.splitlines() if "resumes" in x)
    assert "fund-a's stake in chip-c ends on 2021-01-01" in line and "resumes on 2021-04-12" in line
    assert "relationships.csv:21" in line and "relationships.csv:22" in line and line.endswith("[warning]")


def test_the_shipped_data_has_no_stake_gap_and_smic_keeps_its_state_stake_through_2021():
    from cnaikg.graph import build_graph
    from cnaikg.loaders.curated import read_dataset
    from cnaikg.queries.features import features

    assert not [p for p in read_dataset().warnings if "resumes on" in p.message]
    kg = build_graph()
    # Big Fund I: 15.9% until 2021-01-01, 10.21% until 2021-04-12 (EEWorld), then 8.93%: no quarter without it
    stakes = {d: features(kg, as_of=d).loc["smic", "state_stake_central_fund"] for d in ("2021-06-30", "2021-09-30")}
    assert all(v >= 0.0893 for v in stakes.values())
    view = kg.as_of("2021-02-15", require_published=False)
    assert {f.properties.get("stake_pct") for f in view.facts_of("smic", "OWNS", "in") if f.subject == "big-fund-i"} == {10.21}


def test_validation_refuses_a_round_smaller_than_a_ticket_in_it(tmp_path, scores_dir):
    d = data_with(tmp_path, scores_dir, [
        "fund-a,INVESTS_IN,chip-c,2023-01,,round=Series D; amount=500; currency=USD,s-2023,high,",
        "holdco-b,INVESTS_IN,chip-c,2023-01,,round=Series D; round_amount=400; round_currency=USD,s-2023,high,"])
    out = run_cli("validate", "--data", str(d))
    assert out.returncode == 1
    assert "relationships.csv:22: properties: round_amount 400 USD is smaller than fund-a's own amount 500 USD in it" in out.stdout


def test_sums_use_the_investors_own_amounts_only(kg):
    from cnaikg.queries.amounts import invested_amounts

    sums = invested_amounts(kg).set_index(["investor", "currency"])
    # Prosperity7's USD 400m is the Zhipu round's size (FT): it is not its ticket, so it adds nothing
    assert ("prosperity7", "USD") not in sums.index
    zhipu = [f for f in kg.facts("INVESTS_IN") if f.subject == "prosperity7" and f.object == "zhipu-ai"][0]
    assert zhipu.properties["round_amount"] == 400_000_000 and "amount" not in zhipu.properties
    assert sums.loc[("big-fund-ii", "CNY"), "amount"] == pytest.approx(sum(
        float(f.properties["amount"]) for f in kg.facts("INVESTS_IN") if f.subject == "big-fund-ii" and f.properties.get("currency") == "CNY"
        and "amount" in f.properties))


def test_zhipus_2019_tsinghua_tie_is_known_in_the_window_not_new(kg):
    from cnaikg.queries.changes import fact_changes

    fc = fact_changes(kg, start="2022-01-01", end="2025-06-30")
    tie = fc[(fc.subject == "zhipu-ai") & (fc.relation == "AFFILIATED_WITH") & (fc.object == "tsinghua")]
    assert list(tie.change) == ["became known"] and list(tie.since) == ["2019"]
    assert (fc[fc.change == "became known"].since.fillna("") <= "2022-01-01").all()


def test_no_shipped_amount_is_a_round_size_by_its_own_note(kg):
    """A row whose note says the figure is the round's size must carry it as round_amount, never as the investor's amount."""
    import re

    says_round = re.compile(r"amount is the (size of|round|whole|total)|round size|consortium amount", re.I)
    wrong = [f.origin for f in kg.facts("INVESTS_IN")
             if "amount" in f.properties and "round_amount" not in f.properties and says_round.search(f.note or "")]
    assert wrong == []
