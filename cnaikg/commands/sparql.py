"""Run a SPARQL query over the graph as RDF: your own, or a canned analyst query from queries/sparql/.

The graph of --data (or an RDF file given with --rdf, e.g. out/graph.ttl merged
with your own triples) is loaded with the ontology into an Oxigraph store behind
rdflib. Standard prefixes (cnaikg:, ent:, stmt:, src:, schema:, prov:, org:, rdfs:,
xsd:, owl:, skos:, dcterms:, wd:) are predeclared.

Examples:
  cnaikg sparql --list
  cnaikg sparql --name export-control --format csv
  cnaikg sparql --name supply-chain --param company=smic      # an entity by id, name or ticker (0981.HK)
  cnaikg sparql --name as-of --param asOf=2021-01-01 --format json
  cnaikg sparql 'SELECT ?lab ?name WHERE { ?lab cnaikg:category "model_lab" ; rdfs:label ?name FILTER(lang(?name)="zh") }'
"""

from __future__ import annotations

import argparse
import sys

from cnaikg.commands._common import add_as_of_option, add_data_option, add_format_option
from cnaikg.errors import KGError

NAME = "sparql"
HELP = "run a SPARQL query (or a canned one with --name; --list shows them) over the graph as RDF"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="?", help="a SPARQL SELECT or ASK query (use --file for a .rq file)")
    p.add_argument("--name", metavar="NAME", help="run the canned query NAME from queries/sparql/ (see --list)")
    p.add_argument("--list", action="store_true", help="list the canned queries with their parameters, then exit")
    p.add_argument("--file", metavar="FILE.rq", help="read the query from a file")
    p.add_argument("--param", metavar="NAME=VALUE", action="append", default=[],
                   help="a parameter of a canned query (repeatable), e.g. company=smic or asOf=2023-06-30")
    p.add_argument("--show", action="store_true", help="print the query (with parameters bound) instead of running it")
    p.add_argument("--rdf", metavar="FILE", help="query this RDF file (.ttl, .nt, .jsonld) instead of building from --data")
    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph",
                   help="SPARQL engine: oxigraph (fast, default) or rdflib's pure-Python engine")
    p.add_argument("--full-iris", action="store_true", help="print full IRIs instead of prefixed names (ent:deepseek)")
    add_data_option(p)
    add_as_of_option(p)
    add_format_option(p)


def _params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq or not key.strip():
            raise KGError(f"--param {pair!r}: write NAME=VALUE, e.g. --param company=smic")
        out[key.strip()] = value.strip()
    return out


def run(args: argparse.Namespace) -> int:
    from cnaikg.output import emit
    from cnaikg.progress import stage
    from cnaikg.queries.sparql_queries import bind_params, canned_queries, canned_query, rdf_store, sparql, to_oxigraph

    if args.list:
        emit([{"name": q.name, "parameters": ", ".join(f"{k}={d} ({kind})" for k, (kind, d) in q.params.items()),
               "title": q.title} for q in canned_queries().values()], args.format)
        return 0
    given = [x for x in (args.query, args.name, args.file) if x]
    if len(given) != 1:
        raise KGError("give exactly one of: a QUERY, --name NAME (see --list) or --file FILE.rq")
    if args.param and not args.name:
        raise KGError("--param works with canned queries (--name); write the values into your own query")
    kg = None
    if not args.rdf:
        from cnaikg.graph.kg import KnowledgeGraph

        kg = KnowledgeGraph.from_dataset(args.data)
        if args.as_of:
            try:
                kg = kg.as_of(args.as_of)
            except ValueError as exc:
                raise KGError(f"--as-of: {exc}") from None
    elif args.as_of:
        raise KGError("--as-of filters the curated data; with --rdf use the as-of canned query instead")
    if args.name:
        query = canned_query(args.name)
        params = _params(args.param)
        if kg is not None:  # an entity may be named by id, name, alias or ticker; nothing that matches none is run
            for key, value in params.items():
                if query.params.get(key, ("", ""))[0] == "entity":
                    try:
                        params[key] = kg.resolve(value).id
                    except KGError as exc:
                        raise KGError(f"--param {key}={value}: {exc}") from None
        text = bind_params(query, params)
    elif args.file:
        try:
            with open(args.file, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as exc:
            raise KGError(f"cannot read {args.file}: {exc.strerror}; check the path") from None
    else:
        text = args.query
    if args.show:
        print(text)
        return 0
    with stage("loading the graph into the SPARQL store"):
        if kg is None:
            from cnaikg.graph.rdf import read_rdf
            from cnaikg.graph.rdf.ontology import ontology_graph

            g = read_rdf(args.rdf)
            g += ontology_graph()
            if args.engine == "oxigraph":
                g = to_oxigraph(g)
        else:
            g = rdf_store(kg, engine=args.engine)
    with stage("running the query"):
        rows = sparql(g, text, engine=args.engine, full_iris=args.full_iris)
    emit(rows, args.format, columns=rows.columns)
    print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", file=sys.stderr)
    return 0
