"""The command line as a user meets it: help everywhere, build writes the exchange format, byte-identical rebuilds."""

import json

import networkx as nx

from cnaikg.cli import make_parser
from conftest import run_cli


def test_every_subcommand_has_help():
    sub = next(a for a in make_parser()._actions if a.dest == "command")
    assert {"build", "validate"} <= set(sub.choices)
    for name in sub.choices:
        proc = run_cli(name, "--help")
        assert proc.returncode == 0 and "usage: cnaikg " + name in proc.stdout


def test_build_prints_counts_and_best_connected(tmp_path):
    proc = run_cli("build", "--out", str(tmp_path / "out"), check=True)
    assert "entities by type:" in proc.stdout and "best-connected entities" in proc.stdout
    assert "reading and validating data" in proc.stderr  # progress goes to stderr, results to stdout


def test_graph_json_is_the_documented_exchange_format(tmp_path):
    run_cli("build", "--out", str(tmp_path), check=True)
    data = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    node = next(n for n in data["nodes"] if n["id"] == "smic")
    assert {"id", "type", "name", "name_zh", "aliases", "identifiers"} <= set(node)
    assert isinstance(node["aliases"], list) and "0981.HK" in node["identifiers"]["tickers"]
    link = data["links"][0]
    assert {"source", "target", "type", "since", "until", "properties", "sources", "confidence"} <= set(link)
    assert link["type"].isupper() and {"url", "publisher", "published"} <= set(link["sources"][0])
    G = nx.node_link_graph(data, edges="links")
    assert G.is_multigraph() and G.number_of_edges() == len(data["links"])


def test_identical_inputs_give_byte_identical_outputs(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    run_cli("build", "--out", str(a), check=True)
    run_cli("build", "--out", str(b), check=True)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files, "build wrote nothing"
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_spreadsheet_tables_neutralise_formulas(tmp_path, mini):
    ent = mini / "entities.csv"
    ent.write_text(ent.read_text(encoding="utf-8").replace("Acme AI,艾克米智能", '"=HYPERLINK(""http://x"")",艾克米智能'), encoding="utf-8")
    run_cli("build", "--data", str(mini), "--out", str(tmp_path / "out"), check=True)
    text = (tmp_path / "out" / "entities.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_python_dash_m_and_unknown_command():
    proc = run_cli("no-such-command")
    assert proc.returncode == 2 and "invalid choice" in proc.stderr
