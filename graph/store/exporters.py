"""Exporters to Neo4j: `neo4j-admin database import full` CSV files, and a cypher-shell script of UNWIND batches.

Both write what ``GraphWriter`` writes (same labels, types, typed properties), so
a graph imported either way answers the canned queries the same.

>>> import tempfile
>>> from cnaikg.graph import build_graph
>>> files = Neo4jAdminExporter().export(build_graph(), tempfile.mkdtemp())
>>> [f.name for f in files]
['nodes.csv', 'relationships.csv', 'import.sh']
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from cnaikg.errors import StoreError
from cnaikg.graph.store.writer import (BASE_LABEL, _q_constraint, _q_create_nodes, _q_create_rels, node_rows,
                                       relationship_rows, schema_from_ontology)

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = ["Neo4jAdminExporter", "CypherScriptExporter", "ARRAY_DELIMITER", "cypher_literal", "run_cypher_script"]

#: the array delimiter import.sh passes (--array-delimiter); it also splits the :LABEL column
ARRAY_DELIMITER = "|"


# ----------------------------------------------------------------------------------- neo4j-admin
def _admin_type(values: list[Any]) -> str:
    """The import header type of a column from its values: date, boolean, long, double, string or string[]."""
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return "string"
    if kinds <= {list}:
        inner = {type(x) for v in values if v for x in v}
        return "date[]" if inner and inner <= {_dt.date} else "string[]"
    if kinds <= {_dt.date}:
        return "date"
    if kinds <= {bool}:
        return "boolean"
    if kinds <= {int, float}:
        return "double" if float in kinds else "long"
    return "string"


def _admin_cell(value: Any, kind: str, where: str) -> Any:
    if value is None:
        return ""  # an empty, unquoted field: no property
    if kind.endswith("[]"):
        items = [v.isoformat() if isinstance(v, _dt.date) else str(v) for v in value]
        for v in items:
            if ARRAY_DELIMITER in v:
                raise StoreError(f"{where}: value {v!r} contains the array delimiter {ARRAY_DELIMITER!r}; remove it from the data")
        return ARRAY_DELIMITER.join(items)
    if kind == "date":
        return value.isoformat()
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "string" and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and not math.isfinite(value):
        raise StoreError(f"{where}: {value!r} is not a finite number; fix the data")
    return value


def _admin_table(rows: list[dict[str, Any]], fixed: list[tuple[str, str]], what: str) -> tuple[list[str], list[list[Any]]]:
    keys = sorted({k for r in rows for k in r["props"]})
    kinds = {k: _admin_type([r["props"].get(k) for r in rows]) for k in keys}
    header = [h for h, _ in fixed] + [k if kinds[k] == "string" else f"{k}:{kinds[k]}" for k in keys]
    body = [[r[src] for _, src in fixed] + [_admin_cell(r["props"].get(k), kinds[k], f"{what} {r.get('id') or r.get('start')}, {k}")
                                            for k in keys] for r in rows]
    return header, body


class Neo4jAdminExporter:
    """nodes.csv and relationships.csv in Neo4j 5's `neo4j-admin database import full` format, with import.sh.

    Headers follow the documented rules: ``id:ID`` (also stored as the property
    ``id``), ``:LABEL`` holding ``Entity|Company`` split by the same delimiter
    that import.sh passes as ``--array-delimiter='|'``, ``:START_ID``,
    ``:END_ID``, ``:TYPE``, and typed columns (``since:date``,
    ``stake_pct:double``, ``tickers:string[]``). An empty field is an absent
    property; fields are quoted with ``"`` (doubled inside), and may hold line
    breaks (``--multiline-fields=true``).
    """

    name = "neo4j-admin"
    description = "nodes.csv and relationships.csv for `neo4j-admin database import full` (typed columns), with import.sh"
    suffix = ""

    def export(self, kg: "KnowledgeGraph", target: str | Path, **options: Any) -> list[Path]:
        """Write nodes.csv, relationships.csv and import.sh into the folder ``target``; return the files written.

        >>> import tempfile
        >>> from cnaikg.graph import build_graph
        >>> files = Neo4jAdminExporter().export(build_graph(), tempfile.mkdtemp())
        >>> files[0].read_text().splitlines()[0].startswith("id:ID,:LABEL,")
        True
        """
        from cnaikg.io import write_csv_atomic, write_text_atomic

        folder = Path(target)
        schema = schema_from_ontology(kg.ontology)
        nodes = []
        for etype, rows in sorted(node_rows(kg).items()):
            label = ARRAY_DELIMITER.join([BASE_LABEL, schema.node_label(etype)])
            nodes += [{"id": r["id"], "labels": label, "props": {k: v for k, v in r["props"].items() if k != "id"}} for r in rows]
        nodes.sort(key=lambda r: r["id"])
        rels = [{"start": r["subject"], "end": r["object"], "type": rel, "props": r["props"]}
                for rel, rows in sorted(relationship_rows(kg).items()) for r in rows]
        rels.sort(key=lambda r: r["props"]["id"])
        nh, nb = _admin_table(nodes, [("id:ID", "id"), (":LABEL", "labels")], "entity")
        rh, rb = _admin_table(rels, [(":START_ID", "start"), (":END_ID", "end"), (":TYPE", "type")], "relationship")
        script = (
            "#!/bin/sh\n"
            "# Bulk-load this folder into an empty Neo4j 5 database (stop the database first).\n"
            "# Usage: sh import.sh [DATABASE]   (default: neo4j)\n"
            "set -e\n"
            "cd \"$(dirname \"$0\")\"\n"
            "neo4j-admin database import full \"${1:-neo4j}\" --overwrite-destination \\\n"
            "  --nodes=nodes.csv --relationships=relationships.csv \\\n"
            f"  --delimiter=',' --array-delimiter='{ARRAY_DELIMITER}' --quote='\"' --multiline-fields=true\n"
            "# then start the database and, in cypher-shell:\n"
            f"#   {_q_constraint()};\n"
        )
        return [
            write_csv_atomic(folder / "nodes.csv", nh, nb, safe=False),
            write_csv_atomic(folder / "relationships.csv", rh, rb, safe=False),
            write_text_atomic(folder / "import.sh", script),
        ]


# ----------------------------------------------------------------------------------- cypher-shell script
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def cypher_literal(value: Any) -> str:
    """A Cypher literal for a value: strings single-quoted with escapes, DATE as ``date('...')``, lists and maps.

    Everything is on one line (line breaks are escaped), so a script is split safely at ``;`` line ends.

    >>> cypher_literal({"a": "O'Brien\\n", "since": _dt.date(2024, 1, 2), "n": [1, 2.5, True, None]})
    "{a: 'O\\\\'Brien\\\\n', since: date('2024-01-02'), n: [1, 2.5, true, null]}"
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise StoreError(f"{value!r} cannot be written as a Cypher number; fix the data")
        return repr(value)
    if isinstance(value, _dt.datetime):
        return f"datetime('{value.isoformat()}')"
    if isinstance(value, _dt.date):
        return f"date('{value.isoformat()}')"
    if isinstance(value, str):
        out = []
        for ch in value:
            if ch == "\\":
                out.append("\\\\")
            elif ch == "'":
                out.append("\\'")
            elif ch == "\n":
                out.append("\\n")
            elif ch == "\r":
                out.append("\\r")
            elif ch == "\t":
                out.append("\\t")
            elif ord(ch) < 0x20 or ch in "\u0085\u2028\u2029":
                out.append(f"\\u{ord(ch):04x}")
            else:
                out.append(ch)
        return "'" + "".join(out) + "'"
    if isinstance(value, Mapping):
        parts = []
        for k, v in value.items():
            key = k if _KEY.match(k) else "`" + k.replace("`", "``") + "`"
            parts.append(f"{key}: {cypher_literal(v)}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    raise StoreError(f"cannot write {type(value).__name__} {value!r} as Cypher")


def _script_lines(kg: "KnowledgeGraph", batch_size: int) -> Iterator[str]:
    schema = schema_from_ontology(kg.ontology)
    yield "// cnaikg graph as a cypher-shell script: parameterised UNWIND batches into an EMPTY database."
    yield f"// {kg.number_of_entities()} nodes, {kg.number_of_facts()} relationships. Run: cypher-shell -f graph.cypher"
    yield f"{_q_constraint()};"
    for etype, rows in sorted(node_rows(kg).items()):
        q = _q_create_nodes(schema.node_label(etype))
        for i in range(0, len(rows), batch_size):
            yield f":param rows => {cypher_literal([{'props': r['props']} for r in rows[i:i + batch_size]])}"
            yield f"{q};"
    for rel, rows in sorted(relationship_rows(kg).items()):
        q = _q_create_rels(schema.rel_type(rel))
        for i in range(0, len(rows), batch_size):
            batch = [{"subject": r["subject"], "object": r["object"], "props": r["props"]} for r in rows[i:i + batch_size]]
            yield f":param rows => {cypher_literal(batch)}"
            yield f"{q};"


class CypherScriptExporter:
    """A cypher-shell script (``graph.cypher``): ``:param rows => [...]`` then ``UNWIND $rows AS row CREATE ...``, in batches."""

    name = "cypher"
    description = "graph.cypher: a cypher-shell script of parameterised UNWIND batches (load into an empty Neo4j database)"
    suffix = ".cypher"

    def export(self, kg: "KnowledgeGraph", target: str | Path, *, batch_size: int = 500, **options: Any) -> list[Path]:
        """Write the script to ``target`` (a file, or a folder that receives graph.cypher); return the file written.

        >>> import tempfile, pathlib
        >>> from cnaikg.graph import build_graph
        >>> f = CypherScriptExporter().export(build_graph(), tempfile.mkdtemp())[0]
        >>> f.name, f.read_text().count(":param rows =>") > 10
        ('graph.cypher', True)
        """
        from cnaikg.io import write_text_atomic

        path = Path(target)
        if path.is_dir() or not path.suffix:
            path = path / "graph.cypher"
        return [write_text_atomic(path, "\n".join(_script_lines(kg, max(1, batch_size))) + "\n")]


def run_cypher_script(driver: Any, text: str, *, database: str | None = None) -> int:
    """Run a script as cypher-shell does (``:param name => expr`` evaluated by the server, ``;``-ended statements).

    Returns the number of statements run. Used by the round-trip tests, and handy
    where cypher-shell is not installed. A statement the server does not support
    (``CREATE CONSTRAINT`` on the bundled server) is skipped with its error counted out.
    """
    from neo4j.exceptions import Neo4jError

    params: dict[str, Any] = {}
    n = 0
    with driver.session(database=database) as s:
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            if line.startswith(":param "):
                name, _, expr = line[len(":param "):].partition("=>")
                params[name.strip()] = s.run(f"RETURN {expr.strip()} AS v").single()["v"]
                continue
            statement = line.rstrip(";")
            try:
                s.run(statement, params).consume()
                n += 1
            except Neo4jError:
                if not statement.startswith("CREATE CONSTRAINT"):
                    raise
    return n
