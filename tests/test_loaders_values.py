"""One validator for every value: the number parser, dates, spreadsheet cells, and the load gate every loader passes."""

from __future__ import annotations

import datetime as _dt

import pytest

from cnaikg.graph.values import date_problem, parse_number
from cnaikg.io import spreadsheet_safe


@pytest.mark.parametrize("text,value", [("12.5", 12.5), ("12.5%", 12.5), ("1,234,567.5", 1234567.5), ("600000000.0", 6e8),
                                        ("-1.5", -1.5), ("+3", 3.0), ("1e3", 1000.0), (" 7 ", 7.0), (".5", 0.5)])
def test_numbers_people_write_are_read(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text,why", [("1_0", "underscores"), ("１０", "full-width"), ("٥", "non-ASCII"), ("12,5", "not a number"),
                                      ("1,23,456", "not a number"), ("nan", "not a number"), ("inf", "not a number"), ("1e400", "finite"),
                                      ("", "empty"), ("ten", "not a number"), ("1" * 100, "characters long")])
def test_numbers_that_are_refused_say_why(text, why):
    with pytest.raises(ValueError, match=why):
        parse_number(text)


@pytest.mark.parametrize("text,why", [("2024-13", "not a valid date"), ("2024-02-30", "not a valid date"), ("２０２４", "full-width"),
                                      ("٢٠٢٤", "non-ASCII"), ("2999", "in the future"), ("24-01-01", "not a date")])
def test_dates_are_real_calendar_dates_in_ascii_digits(text, why):
    assert why in date_problem(text, _dt.date(2026, 1, 1))


def test_the_ontology_uses_the_same_number_parser():
    from cnaikg.graph.ontology import load_ontology

    spec = load_ontology().relation("OWNS").properties["stake_pct"]
    with pytest.raises(ValueError, match="underscores"):
        spec.coerce("1_0")
    assert spec.coerce("12.5%") == 12.5


@pytest.mark.parametrize("cell,safe", [("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"),
                                       ("＝1+1", "'＝1+1"), ("＋1", "'＋1"), ("－x", "'－x"), ("＠x", "'＠x"), ("\tx", "'\tx"),
                                       ("\rx", "'\rx"), ("-1.5", "-1.5"), ("+3", "+3"), ("-1e-3", "-1e-3"), (-1.5, -1.5), (7, 7),
                                       ("Moore Threads", "Moore Threads"), ("-1.5x", "'-1.5x")])
def test_spreadsheet_cells_are_neutralised_and_numbers_stay_numbers(cell, safe):
    assert spreadsheet_safe(cell) == safe


def test_csv_output_keeps_negative_numbers(capsys):
    from cnaikg.output import emit

    emit([{"name": "=cmd", "score": -1.5, "w": "＝1"}], fmt="csv")
    assert capsys.readouterr().out.splitlines()[1] == "'=cmd,-1.5,'＝1"


def test_accept_twice_with_a_float_spelling_changes_nothing(tmp_path, mini):
    from cnaikg.loaders.accept import accept_review
    from cnaikg.loaders.curated import read_dataset

    review = tmp_path / "review.csv"
    review.write_text("decision,kind,subject,relation,object,properties,confidence,evidence,source_url,source_publisher,source_published\n"
                      "accept,candidate,state-fund-x,INVESTS_IN,acme-ai,amount=600000000.0; currency=CNY,low,e,https://example.org/r,Ex,2024-02-01\n",
                      encoding="utf-8")
    first = accept_review(review, mini)
    assert len(first.appended) == 1
    again = accept_review(review, mini)
    assert again.appended == [] and len(again.already_present) == 1
    assert read_dataset(mini).errors == []


def test_the_load_gate_refuses_bad_values_from_any_loader(tmp_path):
    from cnaikg.graph.model import Fact, Source
    from cnaikg.loaders.base import LoadReport, LoadResult, check_result
    from loaders_fixtures import fixture_graph

    kg = fixture_graph(tmp_path)
    s = Source("s", "https://example.org/x", "Ex", "2024-01-01")
    good = Fact.create("tencent", "OWNS", "zhipu-ai", since="2024-01", properties={"stake_pct": 3.0}, sources=(s,), origin="x.json:2")
    bad = [Fact.create("tencent", "OWNS", "zhipu-ai", since="2024-13", properties={"stake_pct": 3.0}, sources=(s,), origin="x.json:3"),
           Fact.create("tencent", "OWNS", "zhipu-ai", since="2024-01", properties={"stake_pct": 150.0}, sources=(s,), origin="x.json:4"),
           Fact.create("tencent", "OWNS", "zhipu-ai", since="2999", properties={"stake_pct": 1.0}, sources=(s,), origin="x.json:5"),
           Fact.create("tencent", "OWNS", "zhipu-ai", since="2024", properties={"weight_pct": 1.0}, sources=(s,), origin="x.json:6"),
           Fact.create("tsinghua", "LISTED_ON", "sse", properties={"ticker": "688001.SS"}, sources=(s,), origin="x.json:7")]
    res = check_result(LoadResult(facts=[good, *bad], report=LoadReport("toy", "x.json")), kg)
    assert list(res.facts) == [good]
    assert sorted({p.line for p in res.report.skipped}) == [3, 4, 5, 6, 7]
