"""The ontology as RDF: IRIs of classes and predicates, and the OWL/RDFS rendering written to data/ontology.ttl.

Everything here is derived from data/ontology.toml (the one declaration of
types). Entity types become OWL classes (``state_fund`` -> ``cnaikg:StateFund``),
relationship types object properties (``INVESTS_IN`` -> ``cnaikg:investsIn``),
relationship properties datatype properties on statement nodes
(``stake_pct`` -> ``cnaikg:stakePct``). The only hand-written knowledge is the
alignment with schema.org, the W3C Organization Ontology and PROV-O
(``CLASS_ALIGNMENT``, ``RELATION_ALIGNMENT``); a test checks that every key
there names a declared type, and types without an entry still get a class.

Regenerate data/ontology.ttl after editing ontology.toml with
``python -m cnaikg.graph.rdf.ontology`` (a test fails while the two differ).

>>> from cnaikg.graph.ontology import load_ontology
>>> ns = rdf_namespaces(load_ontology())
>>> str(class_iri(ns, "state_fund")), str(relation_iri(ns, "INVESTS_IN")), str(property_iri(ns, "stake_pct"))
('https://w3id.org/cnaikg/ontology#StateFund', 'https://w3id.org/cnaikg/ontology#investsIn', 'https://w3id.org/cnaikg/ontology#stakePct')
>>> str(ns.entity["deepseek"]), str(ns.statement["f-0123"]), str(ns.source["reuters-x"])
('https://w3id.org/cnaikg/entity/deepseek', 'https://w3id.org/cnaikg/statement/f-0123', 'https://w3id.org/cnaikg/source/reuters-x')
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, DefinedNamespace

from cnaikg.errors import OntologyError
from cnaikg.graph.ontology import Ontology, PropertySpec, load_ontology

__all__ = [
    "RdfNamespaces",
    "rdf_namespaces",
    "class_iri",
    "relation_iri",
    "property_iri",
    "camel",
    "ontology_graph",
    "ontology_turtle",
    "write_ontology_ttl",
    "default_ontology_ttl_path",
    "SCHEMA",
    "ORG",
    "WD",
    "CLASS_ALIGNMENT",
    "RELATION_ALIGNMENT",
    "IDENTIFIER_PREDICATES",
    "PROPERTY_DATATYPES",
    "FIXED_TERMS",
]

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
WD = Namespace("http://www.wikidata.org/entity/")

#: Alignment of entity types with schema.org, W3C ORG and PROV-O (rdfs:subClassOf). Types not listed get only cnaikg:Entity.
CLASS_ALIGNMENT: Mapping[str, tuple[URIRef, ...]] = {
    "company": (SCHEMA.Corporation, ORG.FormalOrganization, PROV.Organization),
    "state_fund": (SCHEMA.Organization, ORG.FormalOrganization, PROV.Organization),
    "fund": (SCHEMA.Organization, ORG.FormalOrganization, PROV.Organization),
    "government_body": (SCHEMA.GovernmentOrganization, ORG.FormalOrganization, PROV.Organization),
    "university": (SCHEMA.CollegeOrUniversity, ORG.FormalOrganization, PROV.Organization),
    "research_lab": (SCHEMA.ResearchOrganization, ORG.FormalOrganization, PROV.Organization),
    "exchange": (SCHEMA.Organization, ORG.FormalOrganization, PROV.Organization),
    "person": (SCHEMA.Person, PROV.Person),
    "product": (SCHEMA.Product,),
    "place": (SCHEMA.Place,),
    "etf": (SCHEMA.FinancialProduct,),
    "program": (SCHEMA.Project,),
}

#: Alignment of relationship types (rdfs:subPropertyOf); the direction must agree with the aligned property.
RELATION_ALIGNMENT: Mapping[str, tuple[URIRef, ...]] = {
    "LOCATED_IN": (SCHEMA.location,),
    "FOUNDED_BY": (SCHEMA.founder,),
    "SUBSIDIARY_OF": (SCHEMA.parentOrganization, ORG.subOrganizationOf),
    "MEMBER_OF": (SCHEMA.memberOf,),
}

#: Entity identifiers (Entity.identifiers keys) -> (local name of the cnaikg predicate, aligned property or None).
IDENTIFIER_PREDICATES: Mapping[str, tuple[str, URIRef | None]] = {
    "tickers": ("tickerSymbol", SCHEMA.tickerSymbol),
    "wikidata": ("wikidataId", None),
    "lei": ("lei", SCHEMA.leiCode),
    "uscc": ("uscc", SCHEMA.taxID),
}

#: Property type of the ontology -> XSD datatype of its literals (dates use xsd:gYear/gYearMonth/date by precision).
PROPERTY_DATATYPES: Mapping[str, URIRef] = {
    "string": XSD.string,
    "enum": XSD.string,
    "number": XSD.decimal,
    "percent": XSD.decimal,
    "date": RDFS.Literal,
    "boolean": XSD.boolean,
    "list": XSD.string,
}

#: Terms of the cnaikg namespace that are not derived from a type: (local name, kind, label, comment).
FIXED_TERMS: tuple[tuple[str, str, str, str], ...] = (
    ("Entity", "class", "Entity", "Anything the graph describes: an organisation, person, product, place, list or programme."),
    ("Statement", "class", "Statement", "One sourced, dated fact: a reified relationship carrying its dates, properties, confidence and sources (like a Wikidata statement)."),
    ("Source", "class", "Source", "A document that states facts: an article, filing, list or web page."),
    ("since", "data", "since", "First day or period on which the statement holds (xsd:gYear, xsd:gYearMonth or xsd:date, as precise as the source)."),
    ("until", "data", "until", "Period from which the statement no longer holds (exclusive for a day, inclusive for a year or month)."),
    ("validFrom", "data", "valid from", "First day on which the statement holds (xsd:date; the start of `since`). Absent when unknown."),
    ("validUntil", "data", "valid until", "First day on which the statement no longer holds (xsd:date, exclusive; derived from `until`). Absent when still true."),
    ("knownSince", "data", "known since", "Day the statement became public: the publication of its earliest source (xsd:date)."),
    ("confidence", "data", "confidence", "high (official filing or two reputable sources agree), medium (one reputable source) or low (a single weak source)."),
    ("category", "data", "category", "The category of an entity within its type (e.g. model_lab, chip_design)."),
    ("relation", "data", "relation", "The relationship type of a statement, as written in ontology.toml (e.g. INVESTS_IN)."),
)

_EXTERNAL: dict[str, Namespace | type[DefinedNamespace]] = {"schema": SCHEMA, "org": ORG, "prov": PROV, "owl": OWL, "rdfs": RDFS, "rdf": RDF, "xsd": XSD, "dcterms": DCTERMS, "skos": SKOS, "wd": WD}


@dataclass(frozen=True)
class RdfNamespaces:
    """The IRIs of one ontology: terms (``ont``), entities, statements and sources."""

    ont: Namespace
    entity: Namespace
    statement: Namespace
    source: Namespace
    ontology_iri: URIRef

    def prefixes(self) -> dict[str, Namespace | type[DefinedNamespace]]:
        """Prefix -> namespace, for serialisers and SPARQL headers (``cnaikg``, ``ent``, ``stmt``, ``src``, standard ones)."""
        return {"cnaikg": self.ont, "ent": self.entity, "stmt": self.statement, "src": self.source, **_EXTERNAL}

    def sparql_prologue(self) -> str:
        """``PREFIX`` lines for every prefix of :meth:`prefixes` (prepended to queries that lack them)."""
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes().items())


def rdf_namespaces(onto: Ontology) -> RdfNamespaces:
    """The namespaces of ``onto``, from its ``[meta]`` table (``namespace``, ``entity_namespace``).

    Statements and sources live beside the entities: ``.../entity/`` gives
    ``.../statement/`` and ``.../source/``.
    """
    ns = onto.meta.get("namespace")
    ens = onto.meta.get("entity_namespace")
    if not ns or not ens:
        raise OntologyError(f"{onto.path}: [meta] needs `namespace` and `entity_namespace` (IRIs) for RDF export")
    if not ns.endswith(("#", "/")) or not ens.endswith("/"):
        raise OntologyError(f"{onto.path}: [meta] namespace must end with # or /, entity_namespace with /")
    base = ens[: -len("entity/")] if ens.endswith("/entity/") else ens
    return RdfNamespaces(Namespace(ns), Namespace(ens), Namespace(base + "statement/"), Namespace(base + "source/"), URIRef(ns.rstrip("#/")))


def camel(name: str, *, upper: bool = False) -> str:
    """``state_fund`` -> ``stateFund`` (``StateFund`` with ``upper``); ``INVESTS_IN`` -> ``investsIn``.

    >>> camel("INVESTS_IN"), camel("state_fund", upper=True), camel("stake_pct")
    ('investsIn', 'StateFund', 'stakePct')
    """
    parts = [p for p in re.split(r"[_\-\s]+", name) if p]
    if not parts:
        raise OntologyError(f"cannot make an RDF name from {name!r}")
    words = [p.lower() for p in parts]
    head = words[0].capitalize() if upper else words[0]
    return head + "".join(w.capitalize() for w in words[1:])


def class_iri(ns: RdfNamespaces, entity_type: str) -> URIRef:
    """The OWL class of an entity type."""
    return ns.ont[camel(entity_type, upper=True)]


def relation_iri(ns: RdfNamespaces, relation: str) -> URIRef:
    """The object property of a relationship type (the direct triple's predicate)."""
    return ns.ont[camel(relation)]


def property_iri(ns: RdfNamespaces, prop: str) -> URIRef:
    """The datatype property of a relationship property (on statement nodes)."""
    return ns.ont[camel(prop)]


def identifier_iri(ns: RdfNamespaces, key: str) -> URIRef:
    """The datatype property of an entity identifier (``tickers`` -> ``cnaikg:tickerSymbol``, unknown keys -> ``cnaikg:<key>Id``)."""
    local = IDENTIFIER_PREDICATES[key][0] if key in IDENTIFIER_PREDICATES else camel(key) + "Id"
    return ns.ont[local]


def _check_names(onto: Ontology, ns: RdfNamespaces) -> None:
    """Every generated local name must be unique (a property named like a relation would merge two meanings)."""
    seen: dict[str, str] = {}

    def claim(local: str, what: str) -> None:
        if local in seen and seen[local] != what and not (what.startswith("property ") and seen[local].startswith("property ")):
            raise OntologyError(f"RDF name cnaikg:{local} would stand for both {seen[local]} and {what}; rename one of them in ontology.toml")
        seen.setdefault(local, what)

    for name, _, _, _ in FIXED_TERMS:
        claim(name, f"the built-in term {name}")
    for key in IDENTIFIER_PREDICATES:
        claim(str(identifier_iri(ns, key))[len(str(ns.ont)):], f"the identifier {key}")
    for t in onto.entity_types:
        claim(camel(t, upper=True), f"entity type {t}")
    for r, spec in onto.relation_types.items():
        claim(camel(r), f"relationship type {r}")
        for p in spec.properties:
            claim(camel(p), f"property {p}")


def ontology_graph(onto: Ontology | None = None) -> Graph:
    """The OWL/RDFS rendering of ``onto`` (default: the shipped ontology) as an rdflib Graph.

    >>> g = ontology_graph()
    >>> from rdflib import OWL, RDF
    >>> ns = rdf_namespaces(load_ontology())
    >>> (class_iri(ns, "company"), RDF.type, OWL.Class) in g
    True
    """
    onto = onto or load_ontology()
    ns = rdf_namespaces(onto)
    _check_names(onto, ns)
    g = Graph()
    for p, n in ns.prefixes().items():
        if p not in ("ent", "stmt", "src", "wd"):
            g.bind(p, n, override=True)
    O = ns.ontology_iri
    g.add((O, RDF.type, OWL.Ontology))
    g.add((O, RDFS.label, Literal("cnaikg ontology", lang="en")))
    g.add((O, DCTERMS.description, Literal("Entity and relationship types of the cnaikg knowledge graph of the Chinese AI ecosystem. "
                                               "Generated from ontology.toml; do not edit by hand.", lang="en")))
    g.add((O, OWL.versionInfo, Literal(str(onto.meta.get("version", "")))))
    for imported in (PROV, ORG):
        g.add((O, RDFS.seeAlso, URIRef(str(imported).rstrip("#/"))))
    g.add((O, RDFS.seeAlso, URIRef("https://schema.org/")))

    # fixed terms
    for local, kind, label, comment in FIXED_TERMS:
        term = ns.ont[local]
        g.add((term, RDF.type, OWL.Class if kind == "class" else OWL.DatatypeProperty))
        g.add((term, RDFS.label, Literal(label, lang="en")))
        g.add((term, RDFS.comment, Literal(comment, lang="en")))
        g.add((term, RDFS.isDefinedBy, O))
    g.add((ns.ont.Statement, RDFS.subClassOf, RDF.Statement))
    g.add((ns.ont.Statement, RDFS.subClassOf, PROV.Entity))
    g.add((ns.ont.Source, RDFS.subClassOf, PROV.Entity))
    g.add((ns.ont.Source, RDFS.subClassOf, SCHEMA.CreativeWork))
    for local in ("since", "until", "validFrom", "validUntil", "knownSince", "confidence", "relation"):
        g.add((ns.ont[local], SCHEMA.domainIncludes, ns.ont.Statement))
    for local in ("validFrom", "validUntil", "knownSince"):
        g.add((ns.ont[local], RDFS.range, XSD.date))
    for local in ("confidence", "relation", "category"):
        g.add((ns.ont[local], RDFS.range, XSD.string))
    g.add((ns.ont.category, SCHEMA.domainIncludes, ns.ont.Entity))

    # identifiers
    for key, (local, aligned) in IDENTIFIER_PREDICATES.items():
        term = ns.ont[local]
        g.add((term, RDF.type, OWL.DatatypeProperty))
        g.add((term, RDFS.label, Literal(local, lang="en")))
        g.add((term, RDFS.comment, Literal(f"The entity's {key} identifier, as a literal.", lang="en")))
        g.add((term, SCHEMA.domainIncludes, ns.ont.Entity))
        g.add((term, RDFS.range, XSD.string))
        g.add((term, RDFS.isDefinedBy, O))
        if aligned is not None:
            g.add((term, RDFS.subPropertyOf, aligned))

    # entity types
    for t, spec in onto.entity_types.items():
        c = class_iri(ns, t)
        g.add((c, RDF.type, OWL.Class))
        g.add((c, RDFS.label, Literal(spec.label, lang="en")))
        if spec.description:
            g.add((c, RDFS.comment, Literal(spec.description, lang="en")))
        g.add((c, RDFS.subClassOf, ns.ont.Entity))
        g.add((c, RDFS.isDefinedBy, O))
        g.add((c, SKOS.notation, Literal(t)))
        for sup in CLASS_ALIGNMENT.get(t, ()):
            g.add((c, RDFS.subClassOf, sup))
        for cat in spec.categories:
            g.add((c, SKOS.scopeNote, Literal(f"category: {cat}")))

    # relationship types and their properties
    props: dict[str, list[tuple[str, PropertySpec]]] = {}
    for r, rspec in onto.relation_types.items():
        p = relation_iri(ns, r)
        g.add((p, RDF.type, OWL.ObjectProperty))
        if rspec.symmetric:
            g.add((p, RDF.type, OWL.SymmetricProperty))
        g.add((p, RDFS.label, Literal(r.lower().replace("_", " "), lang="en")))
        if rspec.description:
            g.add((p, RDFS.comment, Literal(rspec.description, lang="en")))
        g.add((p, SKOS.notation, Literal(r)))
        g.add((p, RDFS.isDefinedBy, O))
        for t in rspec.domain:
            g.add((p, SCHEMA.domainIncludes, class_iri(ns, t)))
        for t in rspec.range:
            g.add((p, SCHEMA.rangeIncludes, class_iri(ns, t)))
        for sup in RELATION_ALIGNMENT.get(r, ()):
            g.add((p, RDFS.subPropertyOf, sup))
        for pname, pspec in rspec.properties.items():
            props.setdefault(pname, []).append((r, pspec))
    for pname, uses in props.items():
        term = property_iri(ns, pname)
        g.add((term, RDF.type, OWL.DatatypeProperty))
        g.add((term, RDFS.label, Literal(pname.replace("_", " "), lang="en")))
        g.add((term, SKOS.notation, Literal(pname)))
        g.add((term, SCHEMA.domainIncludes, ns.ont.Statement))
        g.add((term, RDFS.isDefinedBy, O))
        types = {PROPERTY_DATATYPES.get(ps.type, RDFS.Literal) for _, ps in uses}
        g.add((term, RDFS.range, types.pop() if len(types) == 1 else RDFS.Literal))
        for r, ps in uses:
            desc = ps.description or pname
            extra = f" One of: {', '.join(ps.values)}." if ps.values else ""
            g.add((term, RDFS.comment, Literal(f"{r}: {desc}{extra}", lang="en")))
    return g


_HEADER = """# cnaikg ontology in OWL/RDFS, aligned with schema.org, the W3C Organization Ontology and PROV-O.
# GENERATED from data/ontology.toml by `python -m cnaikg.graph.rdf.ontology`: do not edit by hand.
# Data model: each relationship is a direct triple (ent:a cnaikg:investsIn ent:b) and a cnaikg:Statement
# node (rdf:subject/rdf:predicate/rdf:object) carrying cnaikg:since/until, properties, cnaikg:confidence
# and prov:wasDerivedFrom links to cnaikg:Source documents.
"""


def ontology_turtle(onto: Ontology | None = None) -> str:
    """The Turtle text of data/ontology.ttl for ``onto`` (deterministic: sorted, no blank nodes)."""
    return _HEADER + ontology_graph(onto).serialize(format="turtle")


def default_ontology_ttl_path() -> Path:
    """Path of the shipped data/ontology.ttl."""
    from cnaikg.paths import data_dir

    return data_dir() / "ontology.ttl"


def write_ontology_ttl(path: str | Path | None = None, onto: Ontology | None = None) -> Path:
    """Regenerate data/ontology.ttl (or ``path``) from ontology.toml, atomically; return the path."""
    from cnaikg.io import write_text_atomic

    return write_text_atomic(path or default_ontology_ttl_path(), ontology_turtle(onto))


if __name__ == "__main__":  # pragma: no cover
    out = write_ontology_ttl(sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"wrote {out}", file=sys.stderr)
