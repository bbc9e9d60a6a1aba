"""Run a Cypher query (or a canned one from queries/cypher/) and print the rows; read-only unless --write.

Without --uri the graph is served by the bundled local Bolt server, started for
this command (its database is cached per dataset, so only the first run loads it).
With --uri/--user the query goes to your Neo4j 5 or Aura server; the password is
read from an environment variable (NEO4J_PASSWORD unless --password-env says otherwise).

Examples:
  cnaikg cypher "MATCH (c:Company)-[:LISTED_ON]->(x:Exchange {id: 'hkex'}) RETURN c.id, c.name"
  cnaikg cypher --name supply-chain --param company=deepseek --param hops=2 --format csv
  cnaikg cypher --list
  NEO4J_PASSWORD=... cnaikg cypher --uri neo4j+s://xxxx.databases.neo4j.io --user neo4j --name listings

--timeout really frees the machine: the bundled server aborts the query itself
(its command timeout), and if it has not answered shortly after, the server
process is killed; Neo4j receives the timeout as the transaction timeout.
"""

from __future__ import annotations

import argparse
import threading
from typing import Any, Callable

from cnaikg.commands._bolt import add_connection_options, load_graph, password_from_env
from cnaikg.commands._common import add_as_of_option, add_data_option, add_format_option
from cnaikg.errors import StoreError

NAME = "cypher"
HELP = "run a Cypher query or a canned one (--name, --list); read-only unless --write"
GRACE = 5.0  # seconds after --timeout before the local server is killed


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="?", help="the Cypher query (use $name placeholders with --param)")
    p.add_argument("--name", metavar="NAME", help="run the canned query NAME from queries/cypher/")
    p.add_argument("--list", action="store_true", help="list the canned queries with their descriptions and parameters")
    p.add_argument("--param", metavar="NAME=VALUE", action="append", default=[], help="a query parameter (repeatable); values are typed as the canned query declares, else JSON if it parses, else text")
    p.add_argument("--write", action="store_true", help="allow a query that changes the database")
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS", help="stop the query after this many seconds (default: 120)")
    add_format_option(p)
    add_connection_options(p)
    add_data_option(p)
    add_as_of_option(p)


def parse_params(items: list[str], *, typed: bool) -> dict[str, Any]:
    """``["a=1", "b=x"]`` -> dict; untyped values are read as JSON when they parse (3, true, null, [..]) else kept as text."""
    import json

    out: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise StoreError(f"--param {item!r}: write NAME=VALUE, e.g. --param company=deepseek")
        if typed:
            out[name.strip()] = value
        else:
            try:
                out[name.strip()] = json.loads(value)
            except ValueError:
                out[name.strip()] = value
    return out


def _list(fmt: str) -> int:
    from cnaikg.output import emit
    from cnaikg.queries.cypher_queries import load_queries

    rows = [{"name": q.name, "description": q.description, "parameters": "; ".join(p.describe() for p in q.params) or "none", "use": q.use}
            for q in load_queries().values()]
    emit(rows, fmt, columns=["name", "description", "parameters"] if fmt == "table" else None)
    return 0


def _with_deadline(fn: Callable[[], Any], seconds: float, on_expiry: Callable[[], None]) -> Any:
    """Run ``fn`` in a thread; if it is not done after ``seconds``, call ``on_expiry`` and raise StoreError."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():
        on_expiry()
        raise StoreError(f"the query ran past --timeout ({seconds - GRACE:g} s) and was stopped; narrow it (LIMIT, fewer hops) or raise --timeout")
    if "error" in box:
        raise box["error"]
    return box["value"]


def run(args: argparse.Namespace) -> int:
    from cnaikg.graph.neo4j_writer import connect, run_query
    from cnaikg.output import emit

    if args.list:
        return _list(args.format)
    if bool(args.query) == bool(args.name):
        raise StoreError("give either a query or --name NAME (see `cnaikg cypher --list`)")
    if args.timeout <= 0:
        raise StoreError("--timeout must be a positive number of seconds")
    if args.name:
        from cnaikg.queries.cypher_queries import get_query

        canned = get_query(args.name)
        text, params = canned.text, canned.bind(parse_params(args.param, typed=True))
    else:
        text, params = args.query, parse_params(args.param, typed=False)
    if not args.write:  # refuse before starting anything
        from cnaikg.graph.neo4j_writer import write_clause

        clause = write_clause(text)
        if clause:
            raise StoreError(f"this query writes ({clause}) and cnaikg cypher is read-only by default; add --write if you mean to change the database")

    if args.uri:
        driver = connect(args.uri, args.user, password_from_env(args.password_env))
        try:
            result = _with_deadline(lambda: run_query(driver, text, params, database=args.database, write=args.write, timeout=args.timeout),
                                    args.timeout + GRACE, driver.close)
        finally:
            driver.close()
    else:
        from cnaikg.graph.bolt import LocalServer
        from cnaikg.progress import stage

        kg = load_graph(args)
        with stage("starting the local Bolt server"):
            srv = LocalServer(kg, query_timeout=args.timeout).start()
        try:
            result = _with_deadline(lambda: run_query(srv.driver(), text, params, database=srv.database, write=args.write),
                                    args.timeout + GRACE, srv.kill)
        finally:
            srv.stop()
    emit(result.rows, args.format, columns=result.columns)
    return 0
