"""The graph as RDF and back: Wikidata-style direct triples plus statement nodes with dates, properties and PROV-O sources.

Every fact is written twice, the way Wikidata's RDF does it:

* a direct triple for simple queries: ``ent:alibaba cnaikg:investsIn ent:moonshot-ai``;
* a ``cnaikg:Statement`` node ``stmt:<fact id>`` (``rdf:subject``/``rdf:predicate``/``rdf:object``)
  carrying ``cnaikg:since``/``cnaikg:until`` (as precise as the data: xsd:gYear, xsd:gYearMonth or
  xsd:date), ``cnaikg:validFrom``/``cnaikg:validUntil``/``cnaikg:knownSince`` (xsd:date, for date filters),
  the relation's properties (``cnaikg:stakePct`` ...), ``cnaikg:confidence`` and ``prov:wasDerivedFrom``
  links to ``cnaikg:Source`` nodes (``schema:url``, ``schema:publisher``, ``schema:datePublished``).

Entities get ``rdfs:label`` in English (@en) and Chinese (@zh), ``schema:alternateName`` for aliases,
identifiers as literals (``cnaikg:tickerSymbol``, ``cnaikg:wikidataId``, ``cnaikg:lei``, ``cnaikg:uscc``) and
``owl:sameAs`` to the Wikidata item where a QID is verified. IRIs are built from entity slugs, fact ids
and source ids, so they are stable across builds. :func:`kg_from_rdf` reads it all back.

>>> from cnaikg.graph.kg import KnowledgeGraph
>>> from cnaikg.graph.model import Entity, Fact, Source
>>> s = Source("src-1", "https://example.org/a", "Example News", "2024-02-20")
>>> kg = KnowledgeGraph([Entity("fund-a", "fund", "Fund A", "甲基金"), Entity("lab-b", "company", "Lab B")],
...                     [Fact.create("fund-a", "INVESTS_IN", "lab-b", since="2024-02", properties={"stake_pct": 5.0}, sources=(s,))])
>>> g = kg_to_rdf(kg)
>>> len(g)
27
>>> back = kg_from_rdf(g)
>>> back.facts() == [f.__class__(**{**f.__dict__, "origin": ""}) for f in kg.facts()]
True
>>> back.entity("fund-a").name_zh
'甲基金'
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal
from rdflib.namespace import DCTERMS, PROV, SKOS

from cnaikg.errors import LoaderError
from cnaikg.graph.dates import parse_date
from cnaikg.graph.model import Entity, Fact, Source
from cnaikg.graph.ontology import Ontology, load_ontology
from cnaikg.graph.rdf.ontology import (
    IDENTIFIER_PREDICATES,
    SCHEMA,
    WD,
    RdfNamespaces,
    class_iri,
    identifier_iri,
    property_iri,
    rdf_namespaces,
    relation_iri,
)

if TYPE_CHECKING:
    from cnaikg.context import BuildContext
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = [
    "kg_to_rdf",
    "kg_from_rdf",
    "read_rdf",
    "date_literal",
    "RdfExporter",
    "TurtleExporter",
    "JsonLdExporter",
    "NTriplesExporter",
    "build_rdf",
    "serialize_rdf",
    "statements_without_source",
]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PARSE_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".xml": "xml", ".n3": "n3", ".trig": "trig", ".nq": "nquads"}


# --------------------------------------------------------------------------- literals


def date_literal(text: str) -> Literal:
    """A partial date as a typed literal: xsd:gYear, xsd:gYearMonth or xsd:date by precision.

    >>> date_literal("2024").datatype == XSD.gYear, date_literal("2024-05").datatype == XSD.gYearMonth
    (True, True)
    >>> str(date_literal("2024-05-17").datatype).endswith("#date")
    True
    """
    p = parse_date(text)
    dt = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}[p.precision]
    return Literal(p.text, datatype=dt)


def _day(d: _dt.date) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


def _until_exclusive(until: str) -> _dt.date:
    """The first day on which a fact with this ``until`` no longer holds (see graph.dates.valid_on)."""
    p = parse_date(until)
    return p.start if p.precision == "day" else p.end + _dt.timedelta(days=1)


def _value_literal(value: Any, ptype: str) -> list[Literal]:
    if ptype == "date":
        return [date_literal(str(value))]
    if ptype in ("number", "percent"):
        if isinstance(value, int) and not isinstance(value, bool) and ptype == "number":
            return [Literal(str(value), datatype=XSD.integer)]
        return [Literal(format(Decimal(str(value)), "f"), datatype=XSD.decimal)]
    if ptype == "boolean":
        return [Literal(bool(value))]
    if ptype == "list":
        return [Literal(str(v)) for v in value]
    return [Literal(str(value))]


def _value_back(lits: list[Literal], ptype: str) -> Any:
    if ptype == "list":
        return sorted(str(x) for x in lits)
    lit = lits[0]
    if ptype in ("number", "percent"):
        d = Decimal(str(lit))
        return int(d) if ptype == "number" and d == d.to_integral_value() else float(d)
    if ptype == "boolean":
        return str(lit).lower() == "true"
    return str(lit)


# --------------------------------------------------------------------------- export


def kg_to_rdf(kg: "KnowledgeGraph", *, ontology: Ontology | None = None) -> Graph:
    """The RDF graph of ``kg``: entities, direct triples, statement nodes and sources (see the module docstring).

    Graph first; the ontology defaults to the graph's own. IRIs come from the
    ontology's ``[meta]`` namespaces.
    """
    onto = ontology or kg.ontology
    ns = rdf_namespaces(onto)
    g = Graph()
    for p, n in ns.prefixes().items():
        g.bind(p, n, override=True)
    sources: dict[str, Source] = {}
    for e in kg.entities():
        _add_entity(g, ns, e)
        for s in e.sources:
            g.add((ns.entity[e.id], DCTERMS.source, ns.source[s.id]))
            sources[s.id] = s
    for f in kg.facts():
        _add_fact(g, ns, onto, f)
        for s in f.sources:
            sources[s.id] = s
    for sid in sorted(sources):
        _add_source(g, ns, sources[sid])
    return g


def _add_entity(g: Graph, ns: RdfNamespaces, e: Entity) -> None:
    n = ns.entity[e.id]
    g.add((n, RDF.type, class_iri(ns, e.type)))
    g.add((n, DCTERMS.identifier, Literal(e.id)))
    g.add((n, RDFS.label, Literal(e.name, lang="en")))
    g.add((n, SCHEMA.name, Literal(e.name, lang="en")))
    if e.name_zh:
        g.add((n, RDFS.label, Literal(e.name_zh, lang="zh")))
        g.add((n, SCHEMA.name, Literal(e.name_zh, lang="zh")))
    for a in e.aliases:  # Chinese aliases are tagged @zh; others stay untagged (they may be pinyin, English or codes)
        g.add((n, SCHEMA.alternateName, Literal(a, lang="zh") if _CJK.search(a) else Literal(a)))
    if e.category:
        g.add((n, ns.ont.category, Literal(e.category)))
    if e.founded:
        g.add((n, SCHEMA.foundingDate, date_literal(e.founded)))
    for key, value in sorted(e.identifiers.items()):
        for v in value if isinstance(value, (list, tuple)) else [value]:
            g.add((n, identifier_iri(ns, key), Literal(str(v))))
    qid = e.identifiers.get("wikidata")
    if qid:
        g.add((n, OWL.sameAs, WD[str(qid)]))
    if e.note:
        g.add((n, SKOS.note, Literal(e.note)))


def _add_fact(g: Graph, ns: RdfNamespaces, onto: Ontology, f: Fact) -> None:
    s, o, p = ns.entity[f.subject], ns.entity[f.object], relation_iri(ns, f.relation)
    g.add((s, p, o))
    st = ns.statement[f.id]
    g.add((st, RDF.type, ns.ont.Statement))
    g.add((st, RDF.subject, s))
    g.add((st, RDF.predicate, p))
    g.add((st, RDF.object, o))
    g.add((st, ns.ont.relation, Literal(f.relation)))
    g.add((st, ns.ont.confidence, Literal(f.confidence)))
    if f.since:
        g.add((st, ns.ont.since, date_literal(f.since)))
        g.add((st, ns.ont.validFrom, _day(parse_date(f.since).start)))
    if f.until:
        g.add((st, ns.ont.until, date_literal(f.until)))
        g.add((st, ns.ont.validUntil, _day(_until_exclusive(f.until))))
    if f.known_since is not None:
        g.add((st, ns.ont.knownSince, _day(f.known_since)))
    specs = onto.relation(f.relation).properties
    for key, value in sorted(f.properties.items()):
        ptype = specs[key].type if key in specs else "string"
        for lit in _value_literal(value, ptype):
            g.add((st, property_iri(ns, key), lit))
    for src in f.sources:
        g.add((st, PROV.wasDerivedFrom, ns.source[src.id]))
    if f.note:
        g.add((st, SKOS.note, Literal(f.note)))


def _add_source(g: Graph, ns: RdfNamespaces, s: Source) -> None:
    n = ns.source[s.id]
    g.add((n, RDF.type, ns.ont.Source))
    g.add((n, DCTERMS.identifier, Literal(s.id)))
    g.add((n, SCHEMA.url, Literal(s.url, datatype=XSD.anyURI)))
    g.add((n, SCHEMA.publisher, Literal(s.publisher)))
    if s.published:
        g.add((n, SCHEMA.datePublished, date_literal(s.published)))
    if s.title:
        g.add((n, SCHEMA.name, Literal(s.title)))
    if s.kind:  # primary, news, reference, aggregator or mirror
        g.add((n, DCTERMS.type, Literal(s.kind)))


# --------------------------------------------------------------------------- import


def read_rdf(path: str | Path, *, format: str | None = None) -> Graph:
    """Parse an RDF file (format from the suffix: .ttl, .nt, .jsonld, ...); LoaderError when it cannot be read."""
    p = Path(path)
    fmt = format or _PARSE_FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise LoaderError(f"{p}: cannot tell the RDF format from the suffix {p.suffix!r}; use one of {', '.join(sorted(_PARSE_FORMATS))}")
    if not p.is_file():
        raise LoaderError(f"{p}: no such file; export one with `cnaikg export --format turtle {p}`")
    g = Graph()
    try:
        g.parse(p, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise LoaderError(f"{p}: not valid {fmt}: {exc}") from None
    return g


def _local(iri: Any, base: Any) -> str:
    text, b = str(iri), str(base)
    if not text.startswith(b):
        raise LoaderError(f"{text} is not in the namespace {b}; the RDF was not written by cnaikg for this ontology")
    return text[len(b):]


def _lit(g: Graph, s: Any, p: Any, *, lang: str | None = None) -> str:
    for o in sorted(g.objects(s, p)):  # type: ignore[type-var]  # rdflib terms order, Node does not declare it
        if lang is None or getattr(o, "language", None) == lang:
            return str(o)
    return ""


def kg_from_rdf(g: "Graph | str | Path", *, ontology: Ontology | None = None) -> "KnowledgeGraph":
    """Read back a graph written by :func:`kg_to_rdf` (an rdflib Graph or a file): entities, facts, properties, sources.

    Facts are rebuilt from the statement nodes (the direct triples are their
    shadows); fact ids are the statement IRIs' local names. Raises LoaderError
    naming the node when a statement is incomplete.
    """
    from cnaikg.graph.kg import KnowledgeGraph

    if not isinstance(g, Graph):
        g = read_rdf(g)
    onto = ontology or load_ontology()
    ns = rdf_namespaces(onto)
    types = {class_iri(ns, t): t for t in onto.entity_types}
    relations: dict[Any, str] = {relation_iri(ns, r): r for r in onto.relation_types}
    ident_keys: dict[Any, str] = {identifier_iri(ns, k): k for k in IDENTIFIER_PREDICATES}

    sources: dict[Any, Source] = {}
    for n in g.subjects(RDF.type, ns.ont.Source):
        sources[n] = Source(
            id=_lit(g, n, DCTERMS.identifier) or _local(n, ns.source),
            url=_lit(g, n, SCHEMA.url),
            publisher=_lit(g, n, SCHEMA.publisher),
            published=_lit(g, n, SCHEMA.datePublished),
            title=_lit(g, n, SCHEMA.name),
            kind=_lit(g, n, DCTERMS.type),
        )

    def srcs(node: Any, pred: Any) -> tuple[Source, ...]:
        out = []
        for s in g.objects(node, pred):
            if s not in sources:
                raise LoaderError(f"{node} cites {s}, which is not described as a cnaikg:Source")
            out.append(sources[s])
        return tuple(sorted(out, key=lambda x: x.id))

    entities: list[Entity] = []
    for cls, t in types.items():
        for n in g.subjects(RDF.type, cls):
            eid = _local(n, ns.entity)
            ident: dict[str, Any] = {}
            for p, o in g.predicate_objects(n):
                if p in ident_keys:
                    ident.setdefault(ident_keys[p], []).append(str(o))
            ident = {k: sorted(v) if k == "tickers" else v[0] for k, v in ident.items()}
            entities.append(Entity(
                id=eid, type=t, name=_lit(g, n, RDFS.label, lang="en"), name_zh=_lit(g, n, RDFS.label, lang="zh"),
                aliases=tuple(sorted(str(a) for a in g.objects(n, SCHEMA.alternateName))),
                category=_lit(g, n, ns.ont.category), founded=_lit(g, n, SCHEMA.foundingDate),
                identifiers=ident, sources=srcs(n, DCTERMS.source), note=_lit(g, n, SKOS.note),
            ))

    facts: list[Fact] = []
    for st in g.subjects(RDF.type, ns.ont.Statement):
        pred = g.value(st, RDF.predicate)
        subj, obj = g.value(st, RDF.subject), g.value(st, RDF.object)
        if pred not in relations or subj is None or obj is None:
            raise LoaderError(f"statement {st} lacks rdf:subject/rdf:object or its rdf:predicate {pred} is not a relationship of the ontology")
        rel = relations[pred]
        specs = onto.relation(rel).properties
        props = {}
        for pname, spec in specs.items():
            lits = sorted(g.objects(st, property_iri(ns, pname)))  # type: ignore[type-var]
            if lits:
                props[pname] = _value_back(lits, spec.type)  # type: ignore[arg-type]
        facts.append(Fact(
            id=_local(st, ns.statement), subject=_local(subj, ns.entity), relation=rel, object=_local(obj, ns.entity),
            since=_lit(g, st, ns.ont.since), until=_lit(g, st, ns.ont.until), properties=props,
            sources=srcs(st, PROV.wasDerivedFrom), confidence=_lit(g, st, ns.ont.confidence) or "medium", note=_lit(g, st, SKOS.note),
        ))
    return KnowledgeGraph(entities, facts, onto)


# --------------------------------------------------------------------------- exporters


def serialize_rdf(g: Graph, fmt: str, *, ns: RdfNamespaces | None = None) -> bytes:
    """Serialise deterministically: Turtle as rdflib writes it (sorted), N-Triples sorted line by line, JSON-LD sorted by @id."""
    if fmt == "nt":
        lines = sorted(set(g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()) - {""})
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "json-ld":
        context = {p: str(n) for p, n in (ns.prefixes() if ns else {}).items()}
        data = json.loads(g.serialize(format="json-ld", context=context, auto_compact=True))
        items = data.get("@graph", [])
        for node in items:
            for k, v in list(node.items()):
                if isinstance(v, list):
                    node[k] = sorted(v, key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
        data["@graph"] = sorted(items, key=lambda x: str(x.get("@id", "")))
        return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
    return g.serialize(format=fmt, encoding="utf-8")


class RdfExporter:
    """Base of the RDF exporters: ``export(kg, target)`` writes one file atomically and returns it."""

    name = ""
    description = ""
    suffix = ""
    rdf_format = ""

    def export(self, kg: "KnowledgeGraph", target: str | Path, **options: Any) -> list[Path]:
        """Write ``kg`` as RDF to ``target`` (one file); return the files written."""
        from cnaikg.io import write_bytes_atomic

        g = kg_to_rdf(kg)
        return [write_bytes_atomic(target, serialize_rdf(g, self.rdf_format, ns=rdf_namespaces(kg.ontology)))]


class TurtleExporter(RdfExporter):
    """RDF Turtle (.ttl): direct triples plus statement nodes with dates, properties and PROV-O sources."""

    name = "turtle"
    description = "RDF Turtle: direct triples + statement nodes with dates, properties, PROV-O sources (.ttl)"
    suffix = ".ttl"
    rdf_format = "turtle"


class JsonLdExporter(RdfExporter):
    """RDF JSON-LD (.jsonld) with the cnaikg, schema.org, PROV-O and ORG prefixes as context."""

    name = "jsonld"
    description = "RDF JSON-LD with a prefix context, same triples as turtle (.jsonld)"
    suffix = ".jsonld"
    rdf_format = "json-ld"


class NTriplesExporter(RdfExporter):
    """RDF N-Triples (.nt), one triple per line, sorted (diff-friendly, streamable)."""

    name = "ntriples"
    description = "RDF N-Triples, sorted lines, same triples as turtle (.nt)"
    suffix = ".nt"
    rdf_format = "nt"


def build_rdf(kg: "KnowledgeGraph", out: Path, ctx: "BuildContext") -> list[Path]:
    """Build step: out/graph.ttl (and the triple count in ``ctx.results['rdf_triples']``)."""
    from cnaikg.io import write_bytes_atomic

    g = kg_to_rdf(kg)
    path = write_bytes_atomic(out / "graph.ttl", serialize_rdf(g, "turtle"))
    ctx.results["rdf_triples"] = len(g)
    ctx.results.setdefault("summary_lines", []).append(f"RDF: {len(g)} triples in {path.name}")
    return [path]


def statements_without_source(g: Graph, *, ontology: Ontology | None = None) -> list[str]:
    """IRIs of statement nodes that cite no source (should be empty: every fact is sourced)."""
    ns = rdf_namespaces(ontology or load_ontology())
    return sorted(str(st) for st in g.subjects(RDF.type, ns.ont.Statement) if g.value(st, PROV.wasDerivedFrom) is None)
