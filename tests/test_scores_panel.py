"""The features panel for backtests: one long table over many dates, equal to the single-date tables, with no look-ahead."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from conftest import run_cli
from scores_fixtures import scores_dir, skg  # noqa: F401  (fixtures)

DATES = ["2019-12-31", "2021-06-30", "2023-12-31", "2024-06-30"]


def test_the_panel_equals_the_single_date_tables_row_for_row(skg):
    from cnaikg.queries.features import features, features_panel

    panel = features_panel(skg, DATES)
    assert list(panel.columns[:2]) == ["as_of", "id"]
    for d in DATES:
        block = panel[panel.as_of == d].drop(columns="as_of").set_index("id")
        pd.testing.assert_frame_equal(block, features(skg, as_of=d), check_names=True)


def test_no_value_at_a_date_depends_on_a_fact_published_after_it(kg):
    """On the shipped data: the panel at D equals the panel of a graph cut to the facts published by D."""
    from cnaikg.graph import KnowledgeGraph
    from cnaikg.graph.dates import to_date
    from cnaikg.queries.features import features_panel

    dates = ["2020-12-31", "2022-06-30", "2024-12-31"]
    panel = features_panel(kg, dates)
    for d in dates:
        day = to_date(d)
        cut = KnowledgeGraph(kg.entities(), [f for f in kg.facts() if f.known_since is not None and f.known_since <= day], kg.ontology)
        later = len(kg.facts()) - len(cut.facts())
        assert later > 0, d  # the check means something: facts published after D exist
        mine = panel[panel.as_of == d].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, features_panel(cut, [d]).reset_index(drop=True))


def test_panel_dates_are_period_ends_in_the_range():
    from cnaikg.errors import KGError
    from cnaikg.queries.features import panel_dates

    assert len(panel_dates("2018-01-01", "2025-06-30", "quarter")) == 30
    assert panel_dates("2024-01-15", "2024-04-30", "month") == ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]
    with pytest.raises(KGError, match="use month, quarter or year"):
        panel_dates("2024-01-01", "2024-12-31", "week")


def test_every_features_file_carries_its_metadata(skg, tmp_path):
    from cnaikg import __version__
    from cnaikg.queries.features import (FEATURES_SCHEMA_VERSION, dataset_hash, features, features_metadata, read_features_metadata,
                                         write_features)
    from scores_fixtures import src, with_facts

    meta = features_metadata(skg, DATES)
    assert meta["as_of"] == DATES and meta["data_date"] == "2024-03-01"
    assert meta["cnaikg_version"] == __version__ and meta["schema_version"] == FEATURES_SCHEMA_VERSION
    assert meta["rules"]["affiliates"] == {d: "not_yet_in_force" for d in DATES}
    df = features(skg, as_of=DATES[-1])
    for name in ("f.parquet", "f.csv"):
        write_features(df, tmp_path / name, meta)
        assert read_features_metadata(tmp_path / name) == meta
    assert json.loads((tmp_path / "f.csv.json").read_text())["dataset_sha256"] == dataset_hash(skg)
    # the hash is of the content: one more fact changes it, the same data gives the same hash
    from cnaikg.graph import Fact

    grown = with_facts(skg, Fact.create("chip-c", "SUPPLIES", "labco-d", since="2019-01", sources=(src(),)))
    assert dataset_hash(grown) != dataset_hash(skg) and dataset_hash(skg) == meta["dataset_sha256"]


def test_the_command_writes_a_panel_with_as_of_first(scores_dir, tmp_path):
    out = tmp_path / "panel.csv"
    done = run_cli("features", "--data", str(scores_dir), "--from", "2021-01-01", "--to", "2022-12-31", "--every", "quarter",
                   "--as-of", "2024-06-30", "--out", str(out), check=True)
    assert "8 dates" not in done.stderr and "9 dates" in done.stderr
    panel = pd.read_csv(out)
    assert list(panel.columns[:2]) == ["as_of", "id"]
    assert sorted(set(panel.as_of))[0] == "2021-03-31" and sorted(set(panel.as_of))[-1] == "2024-06-30"
    meta = json.loads((tmp_path / "panel.csv.json").read_text())
    assert len(meta["as_of"]) == 9 and len(meta["dataset_sha256"]) == 64
    pq = tmp_path / "panel.parquet"
    run_cli("features", "--data", str(scores_dir), "--as-of", "2021-06-30", "--as-of", "2019-12-31", "--out", str(pq), check=True)
    back = pd.read_parquet(pq)
    assert list(back.as_of.unique()) == ["2019-12-31", "2021-06-30"]
    bad = run_cli("features", "--data", str(scores_dir), "--from", "2021-01-01", "--out", str(out))
    assert bad.returncode == 2 and "needs all three of --from DATE --to DATE --every" in bad.stderr
