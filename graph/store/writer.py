"""All the Cypher cnaikg writes or runs: schema, batched UNWIND/MERGE writes, counts, read-only guard.

One module serves every Bolt server: the bundled local endpoint (ArcadeDB) and a
user's Neo4j 5 or Aura database are loaded by the same ``GraphWriter``. Labels
and relationship types come only from the ontology (``schema_from_ontology``);
values always travel as parameters.

Model in the database
---------------------
- every entity is a node ``(:Entity:<TypeLabel> {id, type, name, ...})`` where
  ``TypeLabel`` is the PascalCase of the ontology's entity type (``state_fund``
  -> ``StateFund``); ``id`` is the curated slug, unique, the key of every MERGE.
- every fact is a relationship of its ontology type (``INVESTS_IN``) with its
  fact id as ``id`` and its provenance as flat properties: ``since``,
  ``until``, ``valid_from``/``valid_until`` (ISO days, until exclusive),
  ``confidence``, ``note``, ``known_since``, parallel lists ``source_ids``,
  ``source_urls``, ``source_publishers``, ``source_dates``, the same sources as a
  JSON string in ``sources_json``, and each declared property under its own name.
- a property whose value is unknown is absent (never an empty string).

Element ids are never used: ArcadeDB changes a node's element id when a label is
set, so every match is on ``id``.

>>> s = schema_from_ontology()
>>> s.node_label("state_fund"), s.rel_type("INVESTS_IN")
('StateFund', 'INVESTS_IN')
>>> is_write_query("MATCH (n) WHERE n.name = 'SET' RETURN n")
False
>>> write_clause("MATCH (n:Entity {id: $id}) DETACH DELETE n")
'DETACH'
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import time
from pathlib import Path
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Sequence

from cnaikg.errors import OntologyError, StoreError
from cnaikg.graph.dates import parse_date
from cnaikg.graph.ontology import Ontology, load_ontology

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.model import Entity, Fact

__all__ = [
    "BASE_LABEL",
    "GraphSchema",
    "schema_from_ontology",
    "node_rows",
    "relationship_rows",
    "GraphWriter",
    "PushReport",
    "is_write_query",
    "write_clause",
    "run_query",
    "QueryResult",
    "store_error",
    "connect",
    "Neo4jAdminExporter",
    "entity_properties",
    "fact_properties",
]

BASE_LABEL = "Entity"
CONSTRAINT_NAME = "cnaikg_entity_id"
#: relationship properties that carry provenance; a declared property may not reuse these names
PROVENANCE_KEYS = ("id", "since", "until", "valid_from", "valid_until", "confidence", "note", "known_since",
                   "source_ids", "source_urls", "source_publishers", "source_dates", "sources_json")
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)


@dataclass(frozen=True)
class GraphSchema:
    """Node labels and relationship types derived from the ontology, checked for collisions."""

    labels: Mapping[str, str]  # entity type -> PascalCase node label
    rel_types: tuple[str, ...]
    rel_properties: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def node_label(self, entity_type: str) -> str:
        """The node label of an entity type (OntologyError if the type is unknown)."""
        try:
            return self.labels[entity_type]
        except KeyError:
            raise OntologyError(f"unknown entity type {entity_type!r}; known: {', '.join(sorted(self.labels))}") from None

    def rel_type(self, relation: str) -> str:
        """The relationship type of an ontology relation (OntologyError if unknown)."""
        if relation not in self.rel_types:
            raise OntologyError(f"unknown relationship type {relation!r}; known: {', '.join(self.rel_types)}")
        return relation


def schema_from_ontology(onto: Ontology | None = None) -> GraphSchema:
    """Labels (``Entity`` + PascalCase type) and relationship types of ``onto``; raises on a collision.

    A name may not be both a node label and a relationship type (ArcadeDB forbids
    it, and it confuses readers), compared case-insensitively.

    >>> schema_from_ontology().labels["research_lab"]
    'ResearchLab'
    """
    onto = onto or load_ontology()
    labels = {t: _pascal(t) for t in sorted(onto.entity_types)}
    rels = tuple(sorted(onto.relation_types))
    problems = []
    names = [BASE_LABEL, *labels.values(), *rels]
    for n in names:
        if not _IDENT.match(n):
            problems.append(f"{n!r} is not a plain identifier usable as a Cypher label or type")
    folded: dict[str, str] = {}
    for n in names:
        k = n.lower()
        if k in folded:
            problems.append(f"{folded[k]!r} and {n!r} would be the same name in the database")
        folded[k] = n
    rel_props = {}
    for r in rels:
        props = tuple(sorted(onto.relation_types[r].properties))
        clash = sorted(set(props) & set(PROVENANCE_KEYS))
        if clash:
            problems.append(f"relation {r} declares properties {clash} that are reserved for provenance")
        rel_props[r] = props
    if problems:
        raise OntologyError("the ontology cannot be mapped to Cypher: " + "; ".join(problems) + "; rename the types in ontology.toml")
    return GraphSchema(labels, rels, rel_props)


# ----------------------------------------------------------------------------------- rows
def _clean(props: Mapping[str, Any]) -> dict[str, Any]:
    """Drop unknown values: None, empty strings and empty lists become absent properties."""
    return {k: v for k, v in props.items() if v is not None and v != "" and v != [] and v != ()}


def _day_after(d: _dt.date) -> _dt.date:
    return d + _dt.timedelta(days=1)


def _valid_until(until: str) -> str | None:
    """The first day on which a fact with this ``until`` no longer holds (see dates.valid_on)."""
    if not until:
        return None
    u = parse_date(until)
    return (u.start if u.precision == "day" else _day_after(u.end)).isoformat()


def entity_properties(e: "Entity") -> dict[str, Any]:
    """The flat property map of one entity node (lists for aliases, tickers and sources)."""
    props: dict[str, Any] = {
        "id": e.id, "type": e.type, "name": e.name, "name_zh": e.name_zh, "aliases": list(e.aliases),
        "category": e.category, "founded": e.founded, "tickers": e.tickers, "note": e.note,
        "source_ids": [s.id for s in e.sources], "source_urls": [s.url for s in e.sources],
        "source_publishers": [s.publisher for s in e.sources], "source_dates": [s.published for s in e.sources],
    }
    for k, v in sorted(e.identifiers.items()):
        if k != "tickers" and isinstance(v, (str, int, float, bool)):
            props.setdefault(k, v)
    return _clean(props)


def fact_properties(f: "Fact") -> dict[str, Any]:
    """The flat property map of one relationship: id, dates, provenance and declared properties."""
    props: dict[str, Any] = {}
    for k, v in sorted(f.properties.items()):
        props[k] = list(v) if isinstance(v, (list, tuple)) else v
    known = f.known_since
    props.update({
        "id": f.id, "since": f.since, "until": f.until,
        "valid_from": parse_date(f.since).start.isoformat() if f.since else None,
        "valid_until": _valid_until(f.until),
        "confidence": f.confidence, "note": f.note,
        "known_since": known.isoformat() if known else None,
        "source_ids": [s.id for s in f.sources], "source_urls": [s.url for s in f.sources],
        "source_publishers": [s.publisher for s in f.sources], "source_dates": [s.published for s in f.sources],
        "sources_json": json.dumps([s.to_dict() for s in f.sources], ensure_ascii=False, sort_keys=True) if f.sources else None,
    })
    return _clean(props)


def node_rows(kg: "KnowledgeGraph") -> dict[str, list[dict[str, Any]]]:
    """Entity rows grouped by entity type: ``{type: [{"id": ..., "props": {...}}, ...]}``, sorted by id.

    >>> from cnaikg.graph import build_graph
    >>> rows = node_rows(build_graph())
    >>> rows["company"][0]["props"]["type"]
    'company'
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for e in kg.entities():
        out.setdefault(e.type, []).append({"id": e.id, "props": entity_properties(e)})
    return out


def relationship_rows(kg: "KnowledgeGraph") -> dict[str, list[dict[str, Any]]]:
    """Fact rows grouped by relationship type: ``{REL: [{"id", "subject", "object", "props"}]}``."""
    out: dict[str, list[dict[str, Any]]] = {}
    for f in kg.facts():
        out.setdefault(f.relation, []).append({"id": f.id, "subject": f.subject, "object": f.object, "props": fact_properties(f)})
    return out


def _batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


# ----------------------------------------------------------------------------------- Cypher text
def _q_constraint() -> str:
    return f"CREATE CONSTRAINT {CONSTRAINT_NAME} IF NOT EXISTS FOR (n:{BASE_LABEL}) REQUIRE n.id IS UNIQUE"


def _q_drop_retyped(label: str) -> str:
    # an entity whose type changed since the last push: remove the old node so MERGE can recreate it
    return f"UNWIND $ids AS id MATCH (n:{BASE_LABEL} {{id: id}}) WHERE NOT n:{label} DETACH DELETE n"


def _q_merge_nodes(label: str) -> str:
    return f"UNWIND $rows AS row MERGE (n:{BASE_LABEL}:{label} {{id: row.id}}) SET n = row.props"


def _q_merge_rels(rel: str) -> str:
    return (f"UNWIND $rows AS row MATCH (a:{BASE_LABEL} {{id: row.subject}}) MATCH (b:{BASE_LABEL} {{id: row.object}}) "
            f"MERGE (a)-[r:{rel} {{id: row.id}}]->(b) SET r = row.props")


def _q_prune_nodes() -> str:
    return f"MATCH (n:{BASE_LABEL}) WHERE NOT n.id IN $ids DETACH DELETE n"


def _q_prune_rels(rel: str) -> str:
    return f"MATCH (:{BASE_LABEL})-[r:{rel}]->(:{BASE_LABEL}) WHERE NOT r.id IN $ids DELETE r"


def _q_count_nodes(label: str) -> str:
    return f"MATCH (n:{label}) RETURN count(n) AS n"


def _q_count_rels(rel: str) -> str:
    return f"MATCH (:{BASE_LABEL})-[r:{rel}]->(:{BASE_LABEL}) RETURN count(r) AS n"


Q_NODE_PROPS = f"MATCH (n:{BASE_LABEL}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id"
Q_REL_PROPS = (f"MATCH (a:{BASE_LABEL})-[r]->(b:{BASE_LABEL}) RETURN r.id AS id, type(r) AS type, a.id AS subject, "
               "b.id AS object, properties(r) AS props ORDER BY id")


# ----------------------------------------------------------------------------------- errors
def store_error(exc: BaseException, *, uri: str = "", action: str = "run the query") -> StoreError:
    """Turn a neo4j driver exception into a one-line StoreError that says what to do.

    >>> str(store_error(ValueError("boom"), action="push"))
    'could not push: boom'
    """
    from neo4j import exceptions as nx

    msg = getattr(exc, "message", None) or str(exc)
    msg = str(msg).splitlines()[0] if msg else type(exc).__name__
    code = getattr(exc, "code", "") or ""
    where = f" at {uri}" if uri else ""
    if isinstance(exc, nx.AuthError) or "Unauthorized" in code:
        return StoreError(f"the server{where} refused the user name or password; check --user and the password environment variable")
    if isinstance(exc, nx.ServiceUnavailable):
        return StoreError(f"cannot reach a Bolt server{where} ({msg}); check the URI and that the server is running")
    if isinstance(exc, nx.CypherSyntaxError) or code.endswith("SyntaxError"):
        return StoreError(f"syntax error in the query: {msg}; fix the Cypher and retry")
    if code.endswith("ParameterMissing"):
        return StoreError(f"{msg}; pass it with --param NAME=VALUE")
    if code.endswith("DatabaseNotFound"):
        return StoreError(f"{msg}; check --database")
    if "TransactionTimedOut" in code or "Timeout" in code:
        return StoreError(f"the query was stopped by the server's timeout ({msg}); narrow it or raise --timeout")
    return StoreError(f"could not {action}: {msg}")


# ----------------------------------------------------------------------------------- writer
@dataclass
class PushReport:
    """What a push did: rows sent per label/type, counts found afterwards, seconds taken."""

    nodes_sent: int = 0
    relationships_sent: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def relationships_per_second(self) -> float:
        """Relationships sent per second of the whole push."""
        return self.relationships_sent / self.seconds if self.seconds else 0.0


class GraphWriter:
    """Loads a KnowledgeGraph into any Bolt server with batched ``UNWIND $rows ... MERGE`` on ``id``.

    Idempotent: pushing the same graph twice changes nothing, and a push that was
    interrupted completes when rerun (every statement is a MERGE keyed on ids).

    >>> from cnaikg.graph.bolt import LocalServer          # doctest: +SKIP
    >>> with LocalServer() as srv:                         # doctest: +SKIP
    ...     GraphWriter(srv.driver(), database=srv.database).push(kg)
    """

    def __init__(self, driver: Any, *, database: str | None = None, ontology: Ontology | None = None, batch_size: int = 1000):
        self.driver = driver
        self.database = database
        self.schema = schema_from_ontology(ontology)
        self.batch_size = max(1, int(batch_size))

    def _run(self, query: str, **params: Any) -> Any:
        with self.driver.session(database=self.database) as s:
            return s.execute_write(lambda tx: tx.run(query, **params).consume())

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        with self.driver.session(database=self.database) as s:
            return s.execute_read(lambda tx: tx.run(query, **params).data())

    def ensure_schema(self) -> bool:
        """Create the uniqueness constraint on ``Entity.id`` if the server supports it; True if it exists."""
        from neo4j.exceptions import Neo4jError

        try:
            self._run(_q_constraint())
            return True
        except Neo4jError:
            return False

    def push(self, kg: "KnowledgeGraph", *, prune: bool = False, show_progress: bool = True) -> PushReport:
        """Write every entity, then every fact, of ``kg``; with ``prune`` delete what is no longer in ``kg``."""
        from neo4j.exceptions import DriverError, Neo4jError

        from cnaikg.progress import log

        t0 = time.perf_counter()
        report = PushReport()
        nodes = node_rows(kg)
        rels = relationship_rows(kg)
        n_total = sum(map(len, nodes.values())) + sum(map(len, rels.values()))
        done, last = 0, t0

        def tick(n: int, what: str) -> None:
            nonlocal done, last
            done += n
            now = time.perf_counter()
            if show_progress and now - last >= 1.0:
                last = now
                log(f"push: {done}/{n_total} {what} ({100 * done / max(n_total, 1):.0f}%), {now - t0:.1f} s")

        try:
            self.ensure_schema()
            for etype, rows in sorted(nodes.items()):
                label = self.schema.node_label(etype)
                for batch in _batches(rows, self.batch_size):
                    self._run(_q_drop_retyped(label), ids=[r["id"] for r in batch])
                    self._run(_q_merge_nodes(label), rows=list(batch))
                    report.nodes_sent += len(batch)
                    tick(len(batch), "rows")
            for rel, rows in sorted(rels.items()):
                q = _q_merge_rels(self.schema.rel_type(rel))
                for batch in _batches(rows, self.batch_size):
                    self._run(q, rows=list(batch))
                    report.relationships_sent += len(batch)
                    tick(len(batch), "rows")
            if prune:
                self._run(_q_prune_nodes(), ids=[e.id for e in kg.entities()])
                for rel in self.schema.rel_types:
                    self._run(_q_prune_rels(rel), ids=[r["id"] for r in rels.get(rel, [])])
        except (Neo4jError, DriverError) as exc:
            raise store_error(exc, action="push the graph") from exc
        report.seconds = time.perf_counter() - t0
        report.counts = self.counts()
        if show_progress and report.seconds >= 1.0:
            log(f"push: {report.nodes_sent} nodes and {report.relationships_sent} relationships in {report.seconds:.1f} s")
        return report

    def counts(self) -> dict[str, int]:
        """Number of nodes per label and relationships per type, for every ontology name (and ``Entity``)."""
        out = {BASE_LABEL: self._read(_q_count_nodes(BASE_LABEL))[0]["n"]}
        for etype in sorted(self.schema.labels):
            label = self.schema.labels[etype]
            out[label] = self._read(_q_count_nodes(label))[0]["n"]
        for rel in self.schema.rel_types:
            out[rel] = self._read(_q_count_rels(rel))[0]["n"]
        return out

    def snapshot(self) -> dict[str, Any]:
        """Every node and relationship written by cnaikg with its properties, keyed by id (for comparisons)."""
        nodes = {r["id"]: {"labels": sorted(r["labels"]), "props": r["props"]} for r in self._read(Q_NODE_PROPS)}
        rels = {r["id"]: {k: r[k] for k in ("type", "subject", "object", "props")} for r in self._read(Q_REL_PROPS)}
        return {"nodes": nodes, "relationships": rels}


# ----------------------------------------------------------------------------------- read-only guard
_WRITE_CLAUSES = ("CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "FOREACH", "LOAD", "ALTER",
                  "GRANT", "DENY", "REVOKE", "RENAME", "START", "STOP", "TERMINATE")
_STRIP = re.compile(r"""
    //[^\n]*            # line comment
  | /\*.*?\*/          # block comment
  | '(?:\\.|[^'\\])*'  # single-quoted string
  | "(?:\\.|[^"\\])*"  # double-quoted string
  | `(?:``|[^`])*`     # backticked name
""", re.S | re.X)
_CLAUSE = re.compile(r"(?<![\w.:$])(" + "|".join(_WRITE_CLAUSES) + r")(?![\w])", re.I)
_WRITE_PROC = re.compile(r"\bCALL\s+(apoc\.(create|merge|refactor|periodic|nodes\.delete|load)|db\.(create|index\.fulltext\.create|drop))", re.I)


def write_clause(query: str) -> str | None:
    """The first clause of ``query`` that writes (CREATE, MERGE, SET, DELETE, ...), or None.

    Comments, string literals and backticked names are ignored, so a value such as
    ``'SET'`` or a property ``n.set`` does not count.

    >>> write_clause("MATCH (n) SET n.x = 1") , write_clause("MATCH (n) RETURN n.`delete` // DELETE")
    ('SET', None)
    """
    text = _STRIP.sub(" ", query)
    m = _CLAUSE.search(text)
    if m:
        return m.group(1).upper()
    p = _WRITE_PROC.search(text)
    return "CALL " + p.group(1) if p else None


def is_write_query(query: str) -> bool:
    """True when ``query`` contains a clause that writes (see ``write_clause``)."""
    return write_clause(query) is not None


@dataclass
class QueryResult:
    """Rows (list of dicts, JSON-ready), their column names and how long the query took."""

    columns: list[str]
    rows: list[dict[str, Any]]
    seconds: float
    counters: dict[str, int] = field(default_factory=dict)


def _plain(value: Any) -> Any:
    """Driver values (nodes, relationships, paths, temporal types) as JSON-ready Python values."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        start = value.start_node.get("id") if value.start_node is not None else None
        end = value.end_node.get("id") if value.end_node is not None else None
        return {"type": value.type, "start": start, "end": end, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"nodes": [_plain(n) for n in value.nodes], "relationships": [_plain(r) for r in value.relationships]}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def run_query(driver: Any, query: str, params: Mapping[str, Any] | None = None, *, database: str | None = None,
              write: bool = False, timeout: float | None = None) -> QueryResult:
    """Run one Cypher query and return its rows; read-only unless ``write``.

    Read-only is enforced twice: a query containing a write clause is refused
    before it is sent, and the query runs in an explicit read transaction that is
    rolled back if the server reports any update (ArcadeDB ignores Bolt's read
    access mode). ``timeout`` is passed to the server as the transaction timeout
    (Neo4j honours it; for the bundled server see ``LocalServer.query_timeout``).

    >>> from cnaikg.graph.bolt import LocalServer                        # doctest: +SKIP
    >>> with LocalServer(kg) as srv:                                      # doctest: +SKIP
    ...     run_query(srv.driver(), "MATCH (n:Entity {id: $id}) RETURN n.name AS name", {"id": "smic"}).rows
    [{'name': 'SMIC'}]
    """
    from neo4j.exceptions import DriverError, Neo4jError

    if not write:
        clause = write_clause(query)
        if clause:
            raise StoreError(f"this query writes ({clause}) and cnaikg cypher is read-only by default; "
                             "add --write if you mean to change the database")
    t0 = time.perf_counter()
    try:
        with driver.session(database=database, default_access_mode="WRITE" if write else "READ") as session:
            tx = session.begin_transaction(timeout=timeout) if timeout else session.begin_transaction()
            try:
                result = tx.run(query, dict(params or {}))
                keys = list(result.keys())
                rows = [{k: _plain(rec[k]) for k in keys} for rec in result]
                summary = result.consume()
                counters = {k: v for k, v in vars(summary.counters).items() if isinstance(v, int) and not isinstance(v, bool) and v}
                if not write and summary.counters.contains_updates:
                    tx.rollback()
                    raise StoreError("this query changed the database and was rolled back: cnaikg cypher is read-only by default; "
                                     "add --write if you mean to change the database")
                tx.commit()
            finally:
                if not tx.closed():
                    tx.close()
    except (Neo4jError, DriverError) as exc:
        raise store_error(exc) from exc
    return QueryResult(keys, rows, time.perf_counter() - t0, counters)


# ----------------------------------------------------------------------------------- connections
def connect(uri: str, user: str, password: str | None, *, database: str | None = None) -> Any:
    """A verified neo4j driver for ``uri``; StoreError with what to do on a refused connection or wrong password.

    >>> connect("bolt://127.0.0.1:1", "neo4j", "x")
    Traceback (most recent call last):
    ...
    cnaikg.errors.StoreError: cannot reach a Bolt server at bolt://127.0.0.1:1 (...); check the URI and that the server is running
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import ConfigurationError, DriverError, Neo4jError

    try:
        driver = GraphDatabase.driver(uri, auth=(user, password or ""))
    except (ConfigurationError, ValueError) as exc:
        raise StoreError(f"{uri!r} is not a Bolt URI ({exc}); write e.g. bolt://localhost:7687 or neo4j+s://xxxx.databases.neo4j.io") from None
    try:
        driver.verify_connectivity()
    except (Neo4jError, DriverError, OSError) as exc:
        driver.close()
        err = store_error(exc, uri=uri)
        if "cannot reach" in str(err):
            err = StoreError(f"cannot reach a Bolt server at {uri} (...); check the URI and that the server is running")
        raise err from None
    return driver


# ----------------------------------------------------------------------------------- neo4j-admin export
_ADMIN_ARRAY_DELIMITER = "|"


def _admin_type(values: list[Any]) -> str:
    kinds = {type(v) for v in values if v is not None}
    if kinds and kinds <= {list}:
        return "string[]"
    if kinds and kinds <= {bool}:
        return "boolean"
    if kinds and kinds <= {int, float}:
        return "double" if float in kinds else "long"
    return "string"


def _admin_cell(value: Any, kind: str) -> Any:
    if value is None:
        return ""
    if kind == "string[]":
        for v in value:
            if _ADMIN_ARRAY_DELIMITER in str(v):
                raise StoreError(f"value {v!r} contains the array delimiter {_ADMIN_ARRAY_DELIMITER!r}; remove it from the data")
        return _ADMIN_ARRAY_DELIMITER.join(map(str, value))
    if kind == "boolean":
        return "true" if value else "false"
    return value


def _admin_table(rows: list[dict[str, Any]], fixed: list[tuple[str, str]]) -> tuple[list[str], list[list[Any]]]:
    keys = sorted({k for r in rows for k in r["props"]})
    kinds = {k: _admin_type([r["props"].get(k) for r in rows]) for k in keys}
    header = [h for h, _ in fixed] + [k if kinds[k] == "string" else f"{k}:{kinds[k]}" for k in keys]
    body = [[r[src] for _, src in fixed] + [_admin_cell(r["props"].get(k), kinds[k]) for k in keys] for r in rows]
    return header, body


class Neo4jAdminExporter:
    """Node and relationship CSV files in the header format of `neo4j-admin database import`, plus import.sh."""

    name = "neo4j-admin"
    description = "nodes.csv and relationships.csv for `neo4j-admin database import full` (bulk loads), with import.sh"
    suffix = ""

    def export(self, kg: "KnowledgeGraph", target: str | Path, **options: Any) -> list[Path]:
        """Write nodes.csv, relationships.csv and import.sh into the folder ``target``; return the files written.

        >>> import tempfile
        >>> from cnaikg.graph import build_graph
        >>> files = Neo4jAdminExporter().export(build_graph(), tempfile.mkdtemp())
        >>> [f.name for f in files]
        ['nodes.csv', 'relationships.csv', 'import.sh']
        >>> files[0].read_text().splitlines()[0].startswith("id:ID,:LABEL,")
        True
        """
        from cnaikg.io import write_csv_atomic, write_text_atomic

        folder = Path(target)
        schema = schema_from_ontology(kg.ontology)
        nodes = [{"id": e.id, "labels": f"{BASE_LABEL};{schema.node_label(e.type)}", "props": {k: v for k, v in entity_properties(e).items() if k != "id"}}
                 for e in kg.entities()]
        rels = [{"start": f.subject, "end": f.object, "type": schema.rel_type(f.relation), "props": fact_properties(f)} for f in kg.facts()]
        nh, nb = _admin_table(nodes, [("id:ID", "id"), (":LABEL", "labels")])
        rh, rb = _admin_table(rels, [(":START_ID", "start"), (":END_ID", "end"), (":TYPE", "type")])
        script = (
            "#!/bin/sh\n"
            "# Bulk-load this folder into an empty Neo4j 5 database (stop the database first).\n"
            "# Usage: sh import.sh [DATABASE]   (default: neo4j)\n"
            "cd \"$(dirname \"$0\")\"\n"
            "neo4j-admin database import full \"${1:-neo4j}\" --overwrite-destination \\\n"
            "  --nodes=nodes.csv --relationships=relationships.csv \\\n"
            f"  --array-delimiter='{_ADMIN_ARRAY_DELIMITER}' --multiline-fields=true\n"
            "# then, in cypher-shell:\n"
            f"#   {_q_constraint()};\n"
        )
        return [
            write_csv_atomic(folder / "nodes.csv", nh, nb, safe=False),
            write_csv_atomic(folder / "relationships.csv", rh, rb, safe=False),
            write_text_atomic(folder / "import.sh", script),
        ]
