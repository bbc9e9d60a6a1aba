"""All the Cypher cnaikg writes or runs: labels, typed rows, batched UNWIND writes, counts, content hash, friendly guard.

One module serves every Bolt server: the bundled local endpoint (ArcadeDB) and a
user's Neo4j 5 or Aura database are loaded by the same ``GraphWriter``. Labels
and relationship types come only from the ontology (``schema_from_ontology``);
values always travel as parameters.

Model in the database
---------------------
- every entity is a node ``(:Entity:<TypeLabel> {id, type, name, ...})`` where
  ``TypeLabel`` comes from ``node_label`` (the PascalCase of the ontology's
  entity type, ``state_fund`` -> ``StateFund``, with a part that the ontology's
  display label writes in capitals kept so: ``etf`` -> ``ETF``); ``id`` is the
  curated slug, unique, the key of every MERGE.
- every fact is a relationship of its ontology type (``INVESTS_IN``) with its
  fact id as ``id`` and its provenance as flat properties: ``since``,
  ``until`` (Cypher DATE values: the first day of the period the data gives,
  with ``since_precision``/``until_precision`` = 'year', 'month' or 'day'),
  ``valid_from``/``valid_until`` (DATE, until exclusive: the first day on which
  the fact no longer holds, exactly as ``kg.as_of`` reads it), ``known_since``
  (DATE: publication of its earliest source), ``confidence``, ``note``, parallel lists ``source_ids``,
  ``source_urls``, ``source_publishers``, ``source_dates``, the same sources as a
  JSON string in ``sources_json``, and each declared property under its own name.
- an entity that data/state_actors.toml makes a Chinese state actor carries its
  kind in ``state_actor`` ('central_fund', 'ministry', 'soe', ...); others have none.
- a property whose value is unknown is absent (never an empty string).

Element ids are never used: ArcadeDB changes a node's element id when a label is
set, so every match is on ``id``.

>>> s = schema_from_ontology()
>>> s.node_label("state_fund"), s.node_label("etf"), s.rel_type("INVESTS_IN")
('StateFund', 'ETF', 'INVESTS_IN')
>>> is_write_query("MATCH (n) WHERE n.name = 'SET' RETURN n")
False
>>> write_clause("MATCH (n:Entity {id: $id}) DETACH DELETE n")
'DETACH DELETE'
"""

from __future__ import annotations

import datetime as _dt
import hashlib
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
    "check_bolt_uri",
    "entity_properties",
    "node_label",
    "labels_table",
    "content_hash",
    "graph_content_hash",
    "database_content_hash",
    "expected_content",
    "canonical_value",
    "shortest_path_with_where",
    "fact_properties",
]

BASE_LABEL = "Entity"
CONSTRAINT_NAME = "cnaikg_entity_id"
#: relationship properties that carry provenance; a declared property may not reuse these names
PROVENANCE_KEYS = ("id", "since", "until", "valid_from", "valid_until", "confidence", "note", "known_since",
                   "since_precision", "until_precision", "source_ids", "source_urls", "source_publishers",
                   "source_dates", "sources_json")
#: entity properties stored as Cypher DATE values (with a ``<name>_precision`` companion)
ENTITY_DATE_KEYS = ("founded",)
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def node_label(entity_type: str, display_label: str = "") -> str:
    """The Cypher label of an entity type: PascalCase of its name, keeping parts the ontology writes in capitals.

    This is the one function that makes labels; ``schema_from_ontology``, the
    exporters and the labels table of docs/cypher.md all use it.

    >>> node_label("state_fund", "State fund"), node_label("etf", "ETF"), node_label("program", "Programme")
    ('StateFund', 'ETF', 'Program')
    """
    capitals = {w for w in re.findall(r"[A-Za-z]+", display_label) if w.isupper() and len(w) > 1}
    return "".join(part.upper() if part.upper() in capitals else part[:1].upper() + part[1:]
                   for part in entity_type.split("_") if part)


def labels_table(onto: Ontology | None = None) -> str:
    """The Markdown table of entity types and their Cypher labels (pasted into docs/cypher.md).

    >>> "| `etf` | `ETF` |" in labels_table()
    True
    """
    onto = onto or load_ontology()
    schema = schema_from_ontology(onto)
    lines = ["| entity type | Cypher label (every node is also `:Entity`) | what it is |", "|---|---|---|"]
    for t in sorted(onto.entity_types):
        lines.append(f"| `{t}` | `{schema.node_label(t)}` | {onto.entity_types[t].description} |")
    lines += ["", "| relationship type | properties (typed) |", "|---|---|"]
    for r in schema.rel_types:
        props = onto.relation_types[r].properties
        lines.append(f"| `{r}` | " + ", ".join(f"`{k}` ({'DATE' if v.type == 'date' else v.type})" for k, v in sorted(props.items())) + " |")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class GraphSchema:
    """Node labels and relationship types derived from the ontology, checked for collisions."""

    labels: Mapping[str, str]  # entity type -> node label
    rel_types: tuple[str, ...]
    rel_properties: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    date_properties: frozenset[str] = frozenset()

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
    """Labels (``Entity`` + ``node_label`` of the type) and relationship types of ``onto``; raises on a collision.

    A name may not be both a node label and a relationship type (ArcadeDB forbids
    it, and it confuses readers), compared case-insensitively.

    >>> schema_from_ontology().labels["research_lab"]
    'ResearchLab'
    """
    onto = onto or load_ontology()
    labels = {t: node_label(t, onto.entity_types[t].label) for t in sorted(onto.entity_types)}
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
    dates = set()
    for r in rels:
        props = tuple(sorted(onto.relation_types[r].properties))
        clash = sorted(set(props) & set(PROVENANCE_KEYS))
        if clash:
            problems.append(f"relation {r} declares properties {clash} that are reserved for provenance")
        rel_props[r] = props
        dates |= {k for k, v in onto.relation_types[r].properties.items() if v.type == "date"}
    if problems:
        raise OntologyError("the ontology cannot be mapped to Cypher: " + "; ".join(problems) + "; rename the types in ontology.toml")
    return GraphSchema(labels, rels, rel_props, frozenset(dates))


# ----------------------------------------------------------------------------------- rows
def _clean(props: Mapping[str, Any]) -> dict[str, Any]:
    """Drop unknown values: None, empty strings, empty lists and lists of empty strings become absent properties.

    (A list of only empty strings cannot survive a neo4j-admin CSV, where an empty field means no property.)
    """
    return {k: v for k, v in props.items()
            if v is not None and v != "" and not (isinstance(v, (list, tuple)) and all(x == "" for x in v))}


def _day_after(d: _dt.date) -> _dt.date:
    return d + _dt.timedelta(days=1)


def _valid_until(until: str) -> _dt.date | None:
    """The first day on which a fact with this ``until`` no longer holds (see dates.valid_on)."""
    if not until:
        return None
    u = parse_date(until)
    return u.start if u.precision == "day" else _day_after(u.end)


def _put_date(props: dict[str, Any], key: str, value: Any) -> None:
    """Store a partial date as a DATE (first day of its period) plus ``<key>_precision``; other text stays text."""
    if isinstance(value, str) and value:
        try:
            d = parse_date(value)
        except ValueError:
            props[key] = value
            return
        props[key] = d.start
        props[f"{key}_precision"] = d.precision
    elif value not in (None, ""):
        props[key] = value


def entity_properties(e: "Entity") -> dict[str, Any]:
    """The flat property map of one entity node (lists for aliases, tickers and sources; ``founded`` as a DATE)."""
    props: dict[str, Any] = {
        "id": e.id, "type": e.type, "name": e.name, "name_zh": e.name_zh, "aliases": list(e.aliases),
        "category": e.category, "tickers": list(e.tickers), "note": e.note,
        "source_ids": [s.id for s in e.sources], "source_urls": [s.url for s in e.sources],
        "source_publishers": [s.publisher for s in e.sources], "source_dates": [s.published for s in e.sources],
    }
    _put_date(props, "founded", e.founded)
    for k, v in sorted(e.identifiers.items()):
        if k != "tickers" and isinstance(v, (str, int, float, bool)):
            props.setdefault(k, v)
    return _clean(props)


def fact_properties(f: "Fact", date_keys: Iterable[str] = ("listing_date", "as_of", "date_added")) -> dict[str, Any]:
    """The flat property map of one relationship: id, typed dates, provenance and declared properties.

    >>> from cnaikg.graph.model import Fact
    >>> p = fact_properties(Fact.create("a", "OWNS", "b", since="2019", until="2023-06"))
    >>> p["since"], p["since_precision"], p["valid_until"]
    (datetime.date(2019, 1, 1), 'year', datetime.date(2023, 7, 1))
    """
    props: dict[str, Any] = {}
    dates = set(date_keys)
    for k, v in sorted(f.properties.items()):
        if k in dates:
            _put_date(props, k, v)
        else:
            props[k] = list(v) if isinstance(v, (list, tuple)) else v
    props["id"] = f.id
    _put_date(props, "since", f.since)
    _put_date(props, "until", f.until)
    props.update({
        "valid_from": parse_date(f.since).start if f.since else None,
        "valid_until": _valid_until(f.until),
        "confidence": f.confidence, "note": f.note,
        "known_since": f.known_since,
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
    from cnaikg.queries.state import load_state_actors

    cfg = load_state_actors()
    out: dict[str, list[dict[str, Any]]] = {}
    for e in kg.entities():
        props = entity_properties(e)
        actor = cfg.actor_for(e.id, e.type, e.category)
        if actor is not None:  # a Chinese state actor as the scores define it (data/state_actors.toml)
            props["state_actor"] = actor.kind
        out.setdefault(e.type, []).append({"id": e.id, "props": props})
    return out


def relationship_rows(kg: "KnowledgeGraph") -> dict[str, list[dict[str, Any]]]:
    """Fact rows grouped by relationship type: ``{REL: [{"id", "subject", "object", "props"}]}``."""
    dates = schema_from_ontology(kg.ontology).date_properties
    out: dict[str, list[dict[str, Any]]] = {}
    for f in kg.facts():
        out.setdefault(f.relation, []).append({"id": f.id, "subject": f.subject, "object": f.object, "props": fact_properties(f, dates)})
    return out


def _batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


# ----------------------------------------------------------------------------------- content hash
def canonical_value(value: Any) -> Any:
    """A JSON-ready, type-tagged form of a property value: DATE values become ``{"date": "YYYY-MM-DD"}``.

    Values read back from any Bolt server (``neo4j.time.Date``) and the rows
    written (``datetime.date``) give the same form, so hashes compare.

    >>> canonical_value([_dt.date(2024, 1, 2), 3, 2.5, "x"])
    [{'date': '2024-01-02'}, 3, 2.5, 'x']
    """
    if isinstance(value, (list, tuple)):
        return [canonical_value(v) for v in value]
    if isinstance(value, dict):
        return {k: canonical_value(v) for k, v in value.items()}
    if isinstance(value, _dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, _dt.date):
        return {"date": value.isoformat()}
    if hasattr(value, "iso_format") and hasattr(value, "to_native"):
        return canonical_value(value.to_native())
    if isinstance(value, float) and value.is_integer():
        return value  # 4.0 stays a float: the hash tells 4 from 4.0
    return value


def content_hash(nodes: Iterable[Mapping[str, Any]], relationships: Iterable[Mapping[str, Any]]) -> str:
    """SHA-256 (16 hex digits) of nodes ``{id, labels, props}`` and relationships ``{id, type, subject, object, props}``.

    Order-independent; labels are sorted; values are compared with their types.

    >>> content_hash([{"id": "a", "labels": ["Entity"], "props": {"id": "a"}}], []) == content_hash([{"id": "a", "labels": ["Entity"], "props": {"id": "a"}}], [])
    True
    """
    ns = sorted(json.dumps([n["id"], sorted(n["labels"]), canonical_value(dict(n["props"]))], sort_keys=True, ensure_ascii=False)
                for n in nodes)
    rs = sorted(json.dumps([r["id"], r["type"], r["subject"], r["object"], canonical_value(dict(r["props"]))], sort_keys=True,
                           ensure_ascii=False) for r in relationships)
    h = hashlib.sha256()
    for line in ["nodes", *ns, "relationships", *rs]:
        h.update(line.encode("utf-8") + b"\n")
    return h.hexdigest()[:16]


def expected_content(kg: "KnowledgeGraph") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes and relationships exactly as ``GraphWriter`` stores ``kg`` (the input of ``content_hash``)."""
    schema = schema_from_ontology(kg.ontology)
    nodes = [{"id": r["id"], "labels": [BASE_LABEL, schema.node_label(t)], "props": r["props"]}
             for t, rows in node_rows(kg).items() for r in rows]
    rels = [{"id": r["id"], "type": t, "subject": r["subject"], "object": r["object"], "props": r["props"]}
            for t, rows in relationship_rows(kg).items() for r in rows]
    return nodes, rels


def graph_content_hash(kg: "KnowledgeGraph") -> str:
    """The content hash a database holding exactly ``kg`` has (see ``content_hash``)."""
    return content_hash(*expected_content(kg))


# ----------------------------------------------------------------------------------- Cypher text
def _q_constraint() -> str:
    return f"CREATE CONSTRAINT {CONSTRAINT_NAME} IF NOT EXISTS FOR (n:{BASE_LABEL}) REQUIRE n.id IS UNIQUE"


def _q_drop_retyped(label: str) -> str:
    # an entity whose type changed since the last push: remove the old node so MERGE can recreate it
    return f"UNWIND $ids AS id MATCH (n:{BASE_LABEL} {{id: id}}) WHERE NOT n:{label} DETACH DELETE n"


def _q_create_nodes(label: str) -> str:
    return f"UNWIND $rows AS row CREATE (n:{BASE_LABEL}:{label}) SET n = row.props"


def _q_merge_nodes(label: str) -> str:
    return f"UNWIND $rows AS row MERGE (n:{BASE_LABEL}:{label} {{id: row.id}}) SET n = row.props"


def _q_create_rels(rel: str) -> str:
    return (f"UNWIND $rows AS row MATCH (a:{BASE_LABEL} {{id: row.subject}}) MATCH (b:{BASE_LABEL} {{id: row.object}}) "
            f"CREATE (a)-[r:{rel}]->(b) SET r = row.props")


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


Q_IS_EMPTY = "MATCH (n) RETURN count(n) AS n"
Q_LABEL_COUNTS = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n"
Q_TYPE_COUNTS = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n"
Q_NODE_PROPS = f"MATCH (n:{BASE_LABEL}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id"
Q_REL_PROPS = (f"MATCH (a:{BASE_LABEL})-[r]->(b:{BASE_LABEL}) RETURN r.id AS id, type(r) AS type, a.id AS subject, "
               "b.id AS object, properties(r) AS props ORDER BY id")
Q_ALL_NODES = "MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"
Q_ALL_RELS = "MATCH (a)-[r]->(b) RETURN r.id AS id, type(r) AS type, a.id AS subject, b.id AS object, properties(r) AS props"


# ----------------------------------------------------------------------------------- driver import
def import_driver_lean() -> None:
    """Import the neo4j driver without its optional dataframe support (pandas, pyarrow, numpy).

    The driver imports them only for ``Result.to_df`` and numpy parameters, which
    cnaikg never uses on the query path; skipping them saves most of a warm
    `cnaikg cypher`'s start-up. They stay importable by anything else afterwards.
    """
    import sys

    if "neo4j" in sys.modules:
        return
    blocked = [m for m in ("pandas", "pyarrow", "numpy") if m not in sys.modules]
    for m in blocked:
        sys.modules[m] = None  # type: ignore[assignment]
    try:
        import neo4j  # noqa: F401
    finally:
        for m in blocked:
            if sys.modules.get(m) is None:
                del sys.modules[m]


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
    if code.endswith("Security.Forbidden") or "not allowed to" in msg or "SecurityException" in msg:
        return StoreError(f"the server refused: {msg}. The local endpoint is read-only by its own permissions; "
                          "to try changes, add --write (it runs on a separate scratch copy of the graph)")
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
    mode: str = "merge"

    @property
    def relationships_per_second(self) -> float:
        """Relationships sent per second of the whole push."""
        return self.relationships_sent / self.seconds if self.seconds else 0.0


class GraphWriter:
    """Loads a KnowledgeGraph into any Bolt server with batched ``UNWIND $rows`` statements keyed on ``id``.

    Into an empty database it CREATEs (the engine's fastest correct path: no
    lookups for nodes, one id lookup per relationship end); into a database
    that already holds data it MERGEs on ``id``, so pushing the same graph twice
    changes nothing and a push that was interrupted completes when rerun.

    >>> from cnaikg.graph.store.server import LocalServer        # doctest: +SKIP
    >>> with LocalServer() as srv:                               # doctest: +SKIP
    ...     GraphWriter(srv.write_driver(), database="scratch").push(kg)
    """

    def __init__(self, driver: Any, *, database: str | None = None, ontology: Ontology | None = None, batch_size: int = 5000):
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

    def is_empty(self) -> bool:
        """True when the database holds no node at all."""
        return int(self._read(Q_IS_EMPTY)[0]["n"]) == 0

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
            fresh = self.is_empty()
            report.mode = "create" if fresh else "merge"
            for etype, rows in sorted(nodes.items()):
                label = self.schema.node_label(etype)
                for batch in _batches(rows, self.batch_size):
                    if fresh:
                        self._run(_q_create_nodes(label), rows=list(batch))
                    else:
                        self._run(_q_drop_retyped(label), ids=[r["id"] for r in batch])
                        self._run(_q_merge_nodes(label), rows=list(batch))
                    report.nodes_sent += len(batch)
                    tick(len(batch), "rows")
            for rel, rows in sorted(rels.items()):
                q = (_q_create_rels if fresh else _q_merge_rels)(self.schema.rel_type(rel))
                for batch in _batches(rows, self.batch_size):
                    self._run(q, rows=list(batch))
                    report.relationships_sent += len(batch)
                    tick(len(batch), "rows")
            if prune and not fresh:
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
        """Number of nodes per label and relationships per type, for every ontology name (and ``Entity``); two queries."""
        by_label = {r["label"]: int(r["n"]) for r in self._read(Q_LABEL_COUNTS)}
        by_type = {r["type"]: int(r["n"]) for r in self._read(Q_TYPE_COUNTS)}
        out = {BASE_LABEL: by_label.get(BASE_LABEL, 0)}
        for etype in sorted(self.schema.labels):
            label = self.schema.labels[etype]
            out[label] = by_label.get(label, 0)
        for rel in self.schema.rel_types:
            out[rel] = by_type.get(rel, 0)
        return out

    def snapshot(self) -> dict[str, Any]:
        """Every node and relationship written by cnaikg with its properties, keyed by id (for comparisons)."""
        nodes = {r["id"]: {"labels": sorted(r["labels"]), "props": r["props"]} for r in self._read(Q_NODE_PROPS)}
        rels = {r["id"]: {k: r[k] for k in ("type", "subject", "object", "props")} for r in self._read(Q_REL_PROPS)}
        return {"nodes": nodes, "relationships": rels}

    def content_hash(self) -> str:
        """The content hash of everything in the database (every node and relationship, whoever wrote it)."""
        return database_content_hash(self.driver, database=self.database)


def database_content_hash(driver: Any, *, database: str | None = None) -> str:
    """``content_hash`` of every node and relationship in ``database``, read in one read transaction each."""
    with driver.session(database=database, default_access_mode="READ") as s:
        nodes = s.execute_read(lambda tx: tx.run(Q_ALL_NODES).data())
        rels = s.execute_read(lambda tx: tx.run(Q_ALL_RELS).data())
    return content_hash(nodes, rels)


# ----------------------------------------------------------------------------------- friendly write hint
#: every character Cypher (and Java's line reader) may treat as the end of a // comment
LINE_TERMINATORS = "\n\r\u2028\u2029\u0085\x0b\x0c"
_STRIP = re.compile(r"""
    //[^\n\r\u2028\u2029\u0085\x0b\x0c]*   # line comment, ended by any line terminator
  | /\*.*?(?:\*/|$)                       # block comment
  | '(?:\\.|[^'\\])*'                     # single-quoted string
  | "(?:\\.|[^"\\])*"                     # double-quoted string
  | `(?:``|[^`])*`                        # backticked name
""", re.S | re.X)
# a write clause where a clause can stand (after the start, a closing bracket or another clause word),
# followed by what that clause needs: CREATE ( / CREATE INDEX ..., SET x.y / SET x: / SET x =, ...
_HINT = re.compile(r"""
    (?:^|(?<=[)\]}\s]))
    (?<![.$:])
    (?P<clause>
        (?:CREATE|MERGE|INSERT)\s*(?=\(|\s(?:INDEX|CONSTRAINT|DATABASE|USER|ROLE|ALIAS|VECTOR|FULLTEXT|TEXT|RANGE|POINT|LOOKUP|OR\s+REPLACE)\b)
      | DETACH\s+DELETE\b | NODETACH\s+DELETE\b
      | DELETE\s+(?=[A-Za-z_(])(?!\s*(?:AS|RETURN|WITH|ORDER|LIMIT|SKIP|UNION)\b)
      | SET\s+(?=[A-Za-z_`$(][\w`]*\s*(?:\.|:|=|\+=|\[))
      | REMOVE\s+(?=[A-Za-z_`][\w`]*\s*(?:\.|:|\[))
      | LOAD\s+CSV\b
      | FOREACH\s*\(
      | (?:DROP|ALTER|RENAME|GRANT|DENY|REVOKE)\s+(?=INDEX|CONSTRAINT|DATABASE|USER|ROLE|ALIAS|PRIVILEGE|ALL|TRAVERSE|READ|MATCH|WRITE)
      | CALL\s+(?:apoc\.(?:create|merge|refactor|periodic|nodes\.delete|load|import|export|cypher\.do)|db\.(?:create|index\.fulltext\.create|drop))
    )""", re.I | re.X)


def _strip_literals(query: str) -> str:
    return _STRIP.sub(" ", query)


def write_clause(query: str) -> str | None:
    """The first clause of ``query`` that looks like a write (CREATE, MERGE, SET, DELETE, LOAD CSV, ...), or None.

    Only a hint for a friendly message: the engine's permissions decide. Comments
    (ended by any line terminator), strings and backticked names are ignored, and
    a word counts only where a clause can stand and with what that clause needs
    after it, so variables or keys named ``set``, ``start``, ``stop`` or ``load``
    are reads.

    >>> write_clause("MATCH (n) SET n.x = 1"), write_clause("MATCH (set) RETURN set.name AS load, {set: 1} AS m")
    ('SET', None)
    """
    text = _strip_literals(query)
    m = _HINT.search(text)
    if not m:
        return None
    words = m.group("clause").split()
    first = words[0].upper()
    if first == "CALL":
        return "CALL " + words[1]
    if first in ("DETACH", "NODETACH", "LOAD"):
        return " ".join(w.upper() for w in words[:2])
    return first.rstrip("(")


def is_write_query(query: str) -> bool:
    """True when ``query`` looks like it writes (see ``write_clause``); a hint, not a protection."""
    return write_clause(query) is not None


_PATH_FN = re.compile(r"\b(?:shortestPath|allShortestPaths)\s*\(", re.I)
_PATH_PREDICATE = re.compile(r"\b(?:nodes|relationships)\s*\(\s*\w+\s*\)", re.I)


def shortest_path_with_where(query: str) -> bool:
    """True for a query that filters a shortestPath/allShortestPaths by ``nodes(p)``/``relationships(p)`` in WHERE.

    The bundled server (ArcadeDB) finds the shortest path first and filters after,
    so such a query can return no rows where Neo4j finds a longer path that passes.

    >>> shortest_path_with_where("MATCH p = shortestPath((a)-[*]-(b)) WHERE none(n IN nodes(p) WHERE n.id = 'x') RETURN p")
    True
    >>> shortest_path_with_where("MATCH p = shortestPath((a)-[*]-(b)) RETURN nodes(p)")
    False
    """
    text = _strip_literals(query)
    m = _PATH_FN.search(text)
    if not m:
        return False
    rest = text[m.end():]
    w = re.search(r"\bWHERE\b", rest, re.I)
    if not w:
        return False
    tail = rest[w.end():]
    stop = re.search(r"\b(?:RETURN|WITH)\b", tail, re.I)
    return bool(_PATH_PREDICATE.search(tail[: stop.start()] if stop else tail))


SHORTEST_PATH_WARNING = (
    "warning: the bundled server applies a WHERE on nodes(p)/relationships(p) after choosing the shortest path, "
    "so this query may miss paths Neo4j would find; put the condition inside the pattern instead, e.g. "
    "MATCH p = (a)-[*..6]-(b) WHERE none(n IN nodes(p) WHERE n.id = 'x') WITH p ORDER BY length(p) LIMIT 1 RETURN p "
    "(see docs/cypher.md, known engine limits)")


def return_columns(query: str) -> list[str]:
    """The column names of the last RETURN of ``query`` (aliases, else the expression text), read from its text.

    Used when a server sends no column names for an empty result (the bundled one does not).

    >>> return_columns("MATCH (n) RETURN n.id AS id, count(*) AS `the count`, n.name ORDER BY id")
    ['id', 'the count', 'n.name']
    """
    text = _STRIP.sub(lambda m: m.group(0) if m.group(0)[:1] in "`'\"" else " ", query)
    matches = list(re.finditer(r"\bRETURN\s+(?:DISTINCT\s+)?", text, re.I))
    if not matches:
        return []
    body = text[matches[-1].end():]
    end = re.search(r"\b(?:ORDER\s+BY|SKIP|LIMIT|UNION)\b|;", body, re.I)
    body = body[: end.start()] if end else body
    cols, depth, cur = [], 0, ""
    for ch in body:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            cols.append(cur)
            cur = ""
        else:
            cur += ch
    cols.append(cur)
    out = []
    for c in (c.strip() for c in cols if c.strip()):
        m = re.search(r"\bAS\s+(`(?:``|[^`])*`|\w+)\s*$", c, re.I)
        name = m.group(1) if m else c
        out.append(name[1:-1].replace("``", "`") if name.startswith("`") else name)
    return out


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
    """Run one Cypher query and return its rows; in a READ transaction unless ``write``.

    The protection is the server's: the bundled endpoint serves the dataset
    through a user whose group may only read, and Neo4j refuses writes in a
    READ transaction. As a second line for other servers, a read that reports
    updates is rolled back. A refusal becomes a StoreError that names the
    clause and says what to do. ``timeout`` (seconds) is sent as the
    transaction timeout (Neo4j honours it; the bundled server has its own limit).

    >>> from cnaikg.graph.store.server import LocalServer                # doctest: +SKIP
    >>> with LocalServer(kg) as srv:                                      # doctest: +SKIP
    ...     run_query(srv.driver(), "MATCH (n:Entity {id: $id}) RETURN n.name AS name", {"id": "smic"}).rows
    [{'name': 'SMIC'}]
    """
    from neo4j.exceptions import DriverError, Neo4jError

    if not write and re.match(r"\s*PROFILE\b", _strip_literals(query), re.I) and write_clause(query):
        # ArcadeDB runs PROFILE of a write the reader may not do as a silent no-op: say so instead of printing nothing
        raise StoreError(f"this query writes ({write_clause(query)}) and the local endpoint is read-only by its own permissions; "
                         "add --write to profile it on a separate scratch copy of the graph")
    t0 = time.perf_counter()
    try:
        with driver.session(database=database, default_access_mode="WRITE" if write else "READ") as session:
            tx = session.begin_transaction(timeout=timeout) if timeout else session.begin_transaction()
            try:
                result = tx.run(query, dict(params or {}))
                keys = list(result.keys())
                rows = [{k: _plain(rec[k]) for k in keys} for rec in result]
                if not keys and not rows:
                    keys = return_columns(query)
                summary = result.consume()
                counters = {k: v for k, v in vars(summary.counters).items() if isinstance(v, int) and not isinstance(v, bool) and v}
                if not write and summary.counters.contains_updates:
                    tx.rollback()
                    raise StoreError("this query changed the database and was rolled back: cnaikg cypher is read-only by default; "
                                     "add --write if you mean to change a scratch copy")
                tx.commit()
            finally:
                if not tx.closed():
                    tx.close()
    except (Neo4jError, DriverError) as exc:
        err = store_error(exc)
        clause = write_clause(query)
        if "LOAD CSV" in str(err) or (clause == "LOAD CSV" and "refused" in str(err)):
            err = StoreError("LOAD CSV was refused by the server: the bundled server may read neither files nor URLs "
                             "(switched off in its settings, and reading files needs rights no query user has); "
                             "load data with the loaders and `cnaikg push` instead")
        elif clause and "refused" in str(err):
            err = StoreError(f"this query writes ({clause}) and the server refused it: the local endpoint is read-only by its "
                             "own permissions; add --write to run it on a separate scratch copy of the graph")
        raise err from exc
    return QueryResult(keys, rows, time.perf_counter() - t0, counters)


# ----------------------------------------------------------------------------------- connections
def check_bolt_uri(uri: str) -> None:
    """StoreError for a URI that is not Bolt (an http(s) browser address, a bare host), saying what to write instead.

    >>> check_bolt_uri("http://localhost:7474")
    Traceback (most recent call last):
    ...
    cnaikg.errors.StoreError: http://localhost:7474 is a web address (Neo4j Browser or HTTP API); Bolt needs bolt:// or neo4j:// (or bolt+s:// / neo4j+s://) and Neo4j's Bolt port, 7687 by default: try bolt://localhost:7687
    """
    scheme, sep, rest = uri.partition("://")
    if scheme.lower() in ("http", "https"):
        host = rest.split("/")[0].rsplit(":", 1)[0] or "localhost"
        raise StoreError(f"{uri} is a web address (Neo4j Browser or HTTP API); Bolt needs bolt:// or neo4j:// "
                         f"(or bolt+s:// / neo4j+s://) and Neo4j's Bolt port, 7687 by default: try bolt://{host}:7687")
    if not sep or scheme.lower() not in ("bolt", "neo4j", "bolt+s", "neo4j+s", "bolt+ssc", "neo4j+ssc"):
        raise StoreError(f"{uri!r} is not a Bolt URI; write e.g. bolt://localhost:7687 or neo4j+s://xxxx.databases.neo4j.io")


def connect(uri: str, user: str, password: str | None, *, database: str | None = None) -> Any:
    """A verified neo4j driver for ``uri``; StoreError with what to do on a refused connection or wrong password.

    >>> connect("bolt://127.0.0.1:1", "neo4j", "x")
    Traceback (most recent call last):
    ...
    cnaikg.errors.StoreError: cannot reach a Bolt server at bolt://127.0.0.1:1 (...); check the URI and that the server is running
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import ConfigurationError, DriverError, Neo4jError

    check_bolt_uri(uri)
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


if __name__ == "__main__":  # pragma: no cover - `python -m cnaikg.graph.store.writer` prints the labels table of docs/cypher.md
    print(labels_table(), end="")
