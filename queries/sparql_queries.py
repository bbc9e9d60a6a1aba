"""SPARQL over the graph: canned analyst queries (queries/sparql/*.rq), parameters, and a fast store behind rdflib.

The graph is exported with :func:`cnaikg.graph.rdf.kg_to_rdf`, joined with the
ontology (data/ontology.ttl: class notations and labels), and loaded into an
Oxigraph store behind the rdflib API (oxrdflib): rdflib's own SPARQL engine
needs from 0.02 s to over a minute per canned query on the full graph, Oxigraph
a few milliseconds (``benchmarks/sparql.py`` measures both). ``engine="rdflib"``
keeps the pure-Python engine available.

A canned query is a plain .rq file that runs as is in any SPARQL 1.1 store. Its
header comments give a title, a description and its parameters; a parameter
is a line ``VALUES ?name { default }  # param`` that :func:`bind_params`
rewrites.

>>> q = canned_query("as-of")
>>> q.params
{'asOf': ('date', '2023-06-30')}
>>> 'VALUES ?asOf { "2024-01-01"^^xsd:date }' in bind_params(q, {"asOf": "2024-01-01"})
True
>>> from cnaikg.graph.kg import KnowledgeGraph
>>> from cnaikg.graph.model import Entity, Fact, Source
>>> s = Source("s1", "https://example.org/l", "Example", "2023-10-17")
>>> kg = KnowledgeGraph([Entity("chipco", "company", "ChipCo"), Entity("us-entity-list", "sanctions_list", "Entity List")],
...                     [Fact.create("chipco", "ON_LIST", "us-entity-list", since="2023-10-17", sources=(s,))])
>>> [(r["entity"], r["list"], r["source_url"]) for r in run_canned(kg, "export-control")]
[('ent:chipco', 'ent:us-entity-list', 'https://example.org/l')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from cnaikg.errors import KGError, RegistryError, StoreError

if TYPE_CHECKING:
    from rdflib import Graph

    from cnaikg.graph.kg import KnowledgeGraph

__all__ = [
    "CannedQuery",
    "canned_queries",
    "canned_query",
    "bind_params",
    "rdf_store",
    "sparql",
    "run_canned",
    "ENGINES",
    "sparql_dir",
    "SparqlRows",
    "to_oxigraph",
]

ENGINES = ("oxigraph", "rdflib")
_PARAM_LINE = re.compile(r"^(?P<indent>\s*)VALUES\s+\?(?P<name>\w+)\s*\{\s*(?P<default>.*?)\s*\}\s*#\s*param\b.*$", re.M)
_HEADER_PARAM = re.compile(r"^#\s*param\s+(?P<name>\w+)\s*:\s*(?P<kind>\w+)", re.M)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def sparql_dir() -> Path:
    """The folder of the canned SPARQL queries (queries/sparql/)."""
    from cnaikg.paths import queries_dir

    return queries_dir() / "sparql"


@dataclass(frozen=True)
class CannedQuery:
    """A canned SPARQL query: its name (the file stem), title, description, parameters and text."""

    name: str
    title: str
    description: str
    params: Mapping[str, tuple[str, str]]
    text: str
    path: Path

    @classmethod
    def from_file(cls, path: Path) -> "CannedQuery":
        """Read a .rq file and its header comments (``# title:``, ``# description:``, ``# param NAME: KIND``)."""
        text = path.read_text(encoding="utf-8")
        head = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            head.append(line[1:].strip())
        title, desc, key = "", [], ""
        for line in head:
            if line.startswith("title:"):
                title, key = line[6:].strip(), "title"
            elif line.startswith("description:"):
                desc, key = [line[12:].strip()], "description"
            elif line.startswith("param "):
                key = "param"
            elif key == "description" and line:
                desc.append(line)
        kinds = {m["name"]: m["kind"] for m in _HEADER_PARAM.finditer(text)}
        params = {}
        for m in _PARAM_LINE.finditer(text):
            kind = kinds.get(m["name"], "literal")
            default = m["default"]
            if kind == "entity" and default.startswith("ent:"):
                default = default[4:]
            elif kind == "date":
                default = default.split('"')[1] if '"' in default else default
            params[m["name"]] = (kind, default)
        return cls(path.stem, title or path.stem, " ".join(desc), params, text, path)


@lru_cache(maxsize=4)
def _load_dir(folder: str) -> dict[str, CannedQuery]:
    return {p.stem: CannedQuery.from_file(p) for p in sorted(Path(folder).glob("*.rq"))}


def canned_queries(folder: str | Path | None = None) -> dict[str, CannedQuery]:
    """Every canned query of queries/sparql/ (or ``folder``), by name, sorted.

    >>> {"supply-chain", "funders", "state-fund-connection", "export-control", "as-of"} <= set(canned_queries())
    True
    """
    return dict(_load_dir(str(Path(folder) if folder else sparql_dir())))


def canned_query(name: str, folder: str | Path | None = None) -> CannedQuery:
    """The canned query called ``name``; RegistryError listing the names otherwise."""
    qs = canned_queries(folder)
    if name not in qs:
        raise RegistryError(f"no canned SPARQL query named {name!r}; known: {', '.join(qs)} (see `cnaikg sparql --list`)")
    return qs[name]


def _param_term(kind: str, name: str, value: str) -> str:
    v = value.strip()
    if kind == "entity":
        if v.startswith("<") and v.endswith(">") and not re.search(r"[\s<>\"{}|^`\\]", v[1:-1]):
            return v
        if not _SLUG.match(v):
            raise KGError(f"parameter {name}: {value!r} is not an entity id; give a slug such as deepseek (see `cnaikg validate` for ids)")
        return f"ent:{v}"
    if kind == "date":
        from cnaikg.graph.dates import DATE_HELP, parse_date

        try:
            day = parse_date(v).start
        except ValueError:
            raise KGError(f"parameter {name}: {value!r} is not a date; {DATE_HELP}") from None
        return f'"{day.isoformat()}"^^xsd:date'
    if kind == "number":
        try:
            return str(Decimal(v))
        except ArithmeticError:
            raise KGError(f"parameter {name}: {value!r} is not a number") from None
    escaped = v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def bind_params(query: CannedQuery, params: Mapping[str, str] | None = None) -> str:
    """The query text with parameters replaced (``entity`` ids, ``date``s, numbers or strings), checked and escaped.

    Unknown parameter names raise KGError listing the query's parameters.
    """
    params = dict(params or {})
    unknown = sorted(set(params) - set(query.params))
    if unknown:
        known = ", ".join(query.params) or "none"
        raise KGError(f"query {query.name!r} has no parameter {', '.join(unknown)}; its parameters: {known}")

    def repl(m: re.Match[str]) -> str:
        name = m["name"]
        if name not in params:
            return m.group(0)
        return f"{m['indent']}VALUES ?{name} {{ {_param_term(query.params[name][0], name, params[name])} }}  # param"

    text = _PARAM_LINE.sub(repl, query.text)
    if "xsd:" in text and not re.search(r"PREFIX\s+xsd:", text):
        text = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n" + text
    return text


def rdf_store(kg: "KnowledgeGraph", *, engine: str = "oxigraph", with_ontology: bool = True) -> "Graph":
    """An rdflib Graph holding ``kg`` as RDF (and the ontology), in the Oxigraph store or rdflib's memory store."""
    from cnaikg.graph.rdf.ontology import ontology_graph
    from cnaikg.graph.rdf import kg_to_rdf

    if engine not in ENGINES:
        raise KGError(f"unknown SPARQL engine {engine!r}; use one of {', '.join(ENGINES)}")
    g = kg_to_rdf(kg)
    if with_ontology:
        g += ontology_graph(kg.ontology)
    if engine == "rdflib":
        return g
    return to_oxigraph(g)


def to_oxigraph(g: "Graph") -> "Graph":
    """Copy an rdflib Graph into an Oxigraph-backed rdflib Graph (bulk-loaded as N-Triples)."""
    from rdflib import Graph

    from cnaikg.graph.rdf import serialize_rdf

    try:
        og = Graph(store="Oxigraph")
    except Exception as exc:  # plugin missing
        raise StoreError(f"the Oxigraph store is not available ({exc}); install oxrdflib, or pass engine='rdflib'") from None
    for p, n in g.namespaces():
        og.bind(p, n, override=True)
    og.parse(data=serialize_rdf(g, "nt").decode("utf-8"), format="ox-ntriples")
    return og


def _prologue(text: str, g: "Graph") -> str:
    """Declare the graph's prefixes the query does not declare, on one line ahead of it (error lines shift by one)."""
    declared = set(re.findall(r"PREFIX\s+([\w-]*):", text, flags=re.I))
    decl = " ".join(f"PREFIX {p}: <{n}>" for p, n in sorted(g.namespaces()) if p and p not in declared)
    return decl + "\n" + text


def _user_lines(message: str) -> str:
    """Engine messages count lines from the prologue line; count them from the user's first line instead."""
    message = re.sub(r"\(at char \d+\), ", "", message)
    message = re.sub(r"\bline:(\d+)", lambda m: f"line:{int(m.group(1)) - 1}", message)
    return re.sub(r"\b(?:at |line )(\d+):(\d+)", lambda m: m.group(0).replace(f"{m.group(1)}:", f"{int(m.group(1)) - 1}:", 1), message)


def _python(term: Any, g: "Graph", full_iris: bool) -> Any:
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import XSD

    if term is None:
        return None
    if isinstance(term, URIRef):
        if full_iris:
            return str(term)
        try:
            return g.namespace_manager.qname(term) if not str(term).endswith(("#", "/")) else str(term)
        except Exception:
            return str(term)
    if isinstance(term, Literal):
        if term.datatype in (XSD.integer, XSD.int, XSD.long):
            return int(term)
        if term.datatype in (XSD.decimal, XSD.double, XSD.float):
            v = float(term)
            return int(v) if v.is_integer() and term.datatype != XSD.decimal else v
        if term.datatype == XSD.boolean:
            return bool(term.toPython())
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


class SparqlRows(list):  # type: ignore[type-arg]
    """The rows of a SELECT (a list of dicts) that also knows its ``columns``, even when it is empty."""

    def __init__(self, rows: list[dict[str, Any]], columns: list[str]):
        super().__init__(rows)
        self.columns = columns


def sparql(g: "Graph | KnowledgeGraph", query: str, *, engine: str = "oxigraph", full_iris: bool = False) -> SparqlRows:
    """Run a SPARQL SELECT (or ASK) over ``g`` (an rdflib Graph, or a KnowledgeGraph loaded with :func:`rdf_store`).

    Returns one dict per row, keyed by variable name: IRIs as prefixed names
    (``ent:deepseek``; full IRIs with ``full_iris``), numbers as int/float,
    other literals as their text. Missing standard prefixes are declared for
    you. A syntax error raises StoreError with the engine's message.
    """
    from rdflib import Graph

    if not isinstance(g, Graph):
        g = rdf_store(g, engine=engine)
    text = _prologue(query, g)
    try:
        res = g.query(text)
        if res.type == "ASK":
            return SparqlRows([{"ask": bool(res.askAnswer)}], ["ask"])
        if res.type != "SELECT":
            raise StoreError(f"only SELECT and ASK queries return rows; this is a {res.type} query")
        names = [str(v) for v in res.vars or ()]
        rows: list[Any] = list(res)  # SELECT: ResultRow tuples
        return SparqlRows([{n: _python(row[i], g, full_iris) for i, n in enumerate(names)} for row in rows], names)
    except StoreError:
        raise
    except Exception as exc:  # parser and engine errors come in many types
        msg = _user_lines(str(exc).strip().splitlines()[0]) if str(exc).strip() else type(exc).__name__
        raise StoreError(f"SPARQL query failed: {msg}; check the syntax (standard prefixes cnaikg:, ent:, schema:, prov: ... are predeclared)") from None


def run_canned(g: "Graph | KnowledgeGraph", name: str, *, params: Mapping[str, str] | None = None, engine: str = "oxigraph",
               full_iris: bool = False) -> SparqlRows:
    """Run the canned query ``name`` with ``params`` over ``g``; rows as in :func:`sparql`."""
    return sparql(g, bind_params(canned_query(name), params), engine=engine, full_iris=full_iris)
