"""Exports for Neo4j, read back the way the consuming tools read them.

- neo4j-admin: the CSV files are parsed by a reader written from Neo4j 5's documented
  header rules for `neo4j-admin database import full` (``name:type`` columns, ``:ID``,
  ``:LABEL`` split by the array delimiter the generated command passes, empty field =
  no property, RFC 4180 quoting) and must equal the graph, typed values included.
- cypher: the script runs on a fresh database of the real bundled server, as
  cypher-shell would run it, and the database must then hold exactly the graph.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from conftest import run_cli

FIXTURE = Path(__file__).parent / "data" / "cypher"

# --------------------------------------------------------------------------- a reader written from Neo4j's documentation
_SCALARS = {
    "int": int, "long": int, "short": int, "byte": int,
    "float": float, "double": float,
    "boolean": lambda v: {"true": True, "false": False}[v.lower()],
    "string": str, "char": str,
    "date": dt.date.fromisoformat,
}


def _convert(raw: str, kind: str, array_delimiter: str):
    if kind.endswith("[]"):
        return [_SCALARS[kind[:-2]](v) for v in raw.split(array_delimiter)]
    return _SCALARS[kind](raw)


def read_admin_import(folder: Path):
    """Nodes and relationships as neo4j-admin would create them from nodes.csv/relationships.csv and import.sh."""
    script = (folder / "import.sh").read_text()
    array_delimiter = re.search(r"--array-delimiter='(.)'", script).group(1)
    delimiter = re.search(r"--delimiter='(.)'", script).group(1) if "--delimiter=" in script else ","
    assert "--nodes=nodes.csv" in script and "--relationships=relationships.csv" in script

    def rows(path):
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
            header = next(reader)
            fields = []
            for h in header:
                name, _, kind = h.rpartition(":") if ":" in h else (h, "", "string")
                fields.append((name, kind or "string"))
            for line in reader:
                assert len(line) == len(fields), f"{path.name}: a row with {len(line)} fields for {len(fields)} columns"
                yield fields, line

    nodes, ids = [], set()
    for fields, line in rows(folder / "nodes.csv"):
        node = {"labels": [], "props": {}}
        for (name, kind), raw in zip(fields, line):
            if kind == "ID":
                node["id"] = raw
                if name:
                    node["props"][name] = raw  # a named :ID column is also stored as a property
            elif kind == "LABEL":
                node["labels"] = [x for x in raw.split(array_delimiter) if x]
            elif kind == "IGNORE" or raw == "":
                continue
            else:
                node["props"][name] = _convert(raw, kind, array_delimiter)
        assert node["id"] not in ids, f"duplicate node id {node['id']}"
        ids.add(node["id"])
        nodes.append(node)
    rels = []
    for fields, line in rows(folder / "relationships.csv"):
        rel = {"props": {}}
        for (name, kind), raw in zip(fields, line):
            if kind in ("START_ID", "END_ID", "TYPE"):
                rel[{"START_ID": "subject", "END_ID": "object", "TYPE": "type"}[kind]] = raw
            elif raw != "":
                rel["props"][name] = _convert(raw, kind, array_delimiter)
        assert rel["subject"] in ids and rel["object"] in ids, "a relationship to a node that is not imported"
        rel["id"] = rel["props"]["id"]
        rels.append(rel)
    return nodes, rels


def _data(tmp_path: Path) -> Path:
    from cnaikg.paths import data_dir

    d = tmp_path / "data"
    shutil.copytree(FIXTURE, d)
    shutil.copy(data_dir() / "ontology.toml", d / "ontology.toml")
    return d


def test_neo4j_admin_files_read_back_by_the_documented_rules_equal_the_graph(kg, tmp_path):
    from cnaikg.graph.store.exporters import Neo4jAdminExporter
    from cnaikg.graph.store.writer import content_hash, graph_content_hash

    Neo4jAdminExporter().export(kg, tmp_path)
    nodes, rels = read_admin_import(tmp_path)
    assert len(nodes) == kg.number_of_entities() and len(rels) == kg.number_of_facts()
    assert content_hash(nodes, rels) == graph_content_hash(kg)
    smic = next(n for n in nodes if n["id"] == "smic")
    assert sorted(smic["labels"]) == ["Company", "Entity"]
    etf = [n for n in nodes if "ETF" in n["labels"]]
    assert etf and all(n["props"]["type"] == "etf" for n in etf)


def test_neo4j_admin_header_is_typed_and_the_label_column_uses_the_passed_delimiter(tmp_path):
    data = _data(tmp_path)
    out = tmp_path / "import"
    proc = run_cli("export", "--data", str(data), "--format", "neo4j-admin", str(out), check=True)
    assert proc.stdout.split() == [str(out / "nodes.csv"), str(out / "relationships.csv"), str(out / "import.sh")]
    header = (out / "nodes.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:2] == ["id:ID", ":LABEL"] and "tickers:string[]" in header and "founded:date" in header
    rel_header = (out / "relationships.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert rel_header[:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert {"since:date", "valid_until:date", "known_since:date", "stake_pct:double", "source_urls:string[]"} <= set(rel_header)
    nodes = list(csv.DictReader((out / "nodes.csv").open(encoding="utf-8")))
    chip = next(n for n in nodes if n["id:ID"] == "chip-x")
    assert chip[":LABEL"] == "Entity|Company" and chip["tickers:string[]"] == "688001.SS"
    assert "--array-delimiter='|'" in (out / "import.sh").read_text()
    first = (out / "relationships.csv").read_bytes()
    run_cli("export", "--data", str(data), "--format", "neo4j-admin", str(out), check=True)
    assert (out / "relationships.csv").read_bytes() == first  # byte-identical for identical input


def test_export_lists_formats_and_names_an_unknown_one():
    proc = run_cli("export", "--list", "--format", "x")
    assert "neo4j-admin" in proc.stdout and "cypher" in proc.stdout
    proc = run_cli("export", "--format", "nope", "somewhere")
    assert proc.returncode == 2 and "no exporter named 'nope'; known:" in proc.stderr


@pytest.mark.bolt
def test_the_cypher_script_loads_a_fresh_database_into_exactly_the_graph(kg, curated_server, tmp_path):
    from cnaikg.graph.store.exporters import CypherScriptExporter, run_cypher_script
    from cnaikg.graph.store.writer import database_content_hash, graph_content_hash

    path = CypherScriptExporter().export(kg, tmp_path, batch_size=1000)[0]
    text = path.read_text(encoding="utf-8")
    assert text.count(":param rows =>") >= 10 and "UNWIND $rows AS row CREATE" in text
    drv = curated_server.write_driver()
    with drv.session(database=curated_server.work_database) as s:
        s.run("MATCH (n) DETACH DELETE n").consume()
    run_cypher_script(drv, text, database=curated_server.work_database)
    assert database_content_hash(drv, database=curated_server.work_database) == graph_content_hash(kg)
    with drv.session(database=curated_server.work_database) as s:
        s.run("MATCH (n) DETACH DELETE n").consume()
