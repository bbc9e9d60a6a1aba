"""Run a Cypher query (or a canned one from queries/cypher/) and print the rows; read-only unless --write.

Without --uri the graph is served by the bundled local Bolt server: the one
`cnaikg serve` runs for this dataset and --as-of, or a background server this
command starts and later ones reuse (it stops after 10 minutes without queries,
CNAIKG_IDLE_SECONDS to change; `cnaikg serve --stop` ends it). The served
database is read-only by the server's own permissions; --write runs the query
as another user on a separate scratch database (empty at each server start).
With --uri/--user the query goes to your Neo4j 5 or Aura server; the password
is read from an environment variable (NEO4J_PASSWORD unless --password-env says otherwise).

Examples:
  cnaikg cypher "MATCH (c:Company)-[:LISTED_ON]->(x:Exchange {id: 'hkex'}) RETURN c.id, c.name"
  cnaikg cypher --name supply-chain --param company=DeepSeek --param hops=2 --format csv
  cnaikg cypher --list
  NEO4J_PASSWORD=... cnaikg cypher --uri neo4j+s://xxxx.databases.neo4j.io --user neo4j --name listings

--timeout: the client stops waiting after SECONDS; the bundled server aborts
any query on its own after its limit (600 s, `cnaikg serve --query-timeout`);
Neo4j receives the timeout as the transaction timeout.
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any, Callable

from cnaikg.commands._bolt import add_connection_options, load_graph, password_from_env
from cnaikg.commands._common import add_as_of_option, add_data_option, add_format_option
from cnaikg.errors import StoreError

NAME = "cypher"
HELP = "run a Cypher query or a canned one (--name, --list); read-only unless --write"
GRACE = 5.0  # seconds after --timeout before the client gives up


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="?", help="the Cypher query (use $name placeholders with --param)")
    p.add_argument("--name", metavar="NAME", help="run the canned query NAME from queries/cypher/")
    p.add_argument("--list", action="store_true", help="list the canned queries with their descriptions and parameters")
    p.add_argument("--param", metavar="NAME=VALUE", action="append", default=[], help="a query parameter (repeatable); values are typed as the canned query declares, else JSON if it parses, else text")
    p.add_argument("--write", action="store_true", help="run on a scratch database that may be changed (the served graph never is)")
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS", help="stop waiting for the query after this many seconds (default: 120)")
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
        raise StoreError(f"the query ran past --timeout ({seconds - GRACE:g} s) and was given up; narrow it (LIMIT, fewer hops) "
                         "or raise --timeout")
    if "error" in box:
        raise box["error"]
    return box["value"]


def resolve_entities(canned: Any, params: dict[str, Any], exists: Callable[[str], bool], args: argparse.Namespace) -> dict[str, Any]:
    """Entity parameters that are not ids of the served graph are resolved like `cnaikg resolve` (name, ticker, alias).

    A typo raises the resolver's error, which lists the closest names.
    """
    from cnaikg.progress import log

    kg = None
    out = dict(params)
    for p in canned.params:
        value = out.get(p.name)
        if not p.names_entity or not isinstance(value, str) or not value or exists(value):
            continue
        if kg is None:
            kg = load_graph(args)
        try:
            entity = kg.resolve(value)
        except Exception as exc:
            raise StoreError(f"--param {p.name}={value}: {exc}; see `cnaikg resolve`") from None
        log(f"--param {p.name}={value}: resolved to {entity.id} ({entity.name})")
        out[p.name] = entity.id
    return out


def run(args: argparse.Namespace) -> int:
    from cnaikg.graph.store.writer import import_driver_lean

    import_driver_lean()
    from cnaikg.graph.store.writer import SHORTEST_PATH_WARNING, connect, run_query, shortest_path_with_where
    from cnaikg.output import emit

    if args.list:
        return _list(args.format)
    if bool(args.query) == bool(args.name):
        raise StoreError("give either a query or --name NAME (see `cnaikg cypher --list`)")
    if args.timeout <= 0:
        raise StoreError("--timeout must be a positive number of seconds")
    canned = None
    if args.name:
        from cnaikg.queries.cypher_queries import get_query

        canned = get_query(args.name)
        text, params = canned.text, canned.bind(parse_params(args.param, typed=True))
    else:
        text, params = args.query, parse_params(args.param, typed=False)

    if args.uri:
        driver = connect(args.uri, args.user, password_from_env(args.password_env))
        database, on_expiry = args.database, driver.close
    else:
        if shortest_path_with_where(text):
            print(SHORTEST_PATH_WARNING, file=sys.stderr)
        srv = _local(args)
        if args.write:
            driver, database = srv.write_driver(), srv.work_database
        else:
            driver, database = srv.driver(), srv.database
        on_expiry = srv._close_drivers
    try:
        if canned is not None:
            def exists(entity_id: str) -> bool:
                rows = run_query(driver, "MATCH (n:Entity {id: $id}) RETURN count(n) AS n", {"id": entity_id}, database=database).rows
                return bool(rows and rows[0]["n"])

            params = resolve_entities(canned, params, exists, args)
        result = _with_deadline(lambda: run_query(driver, text, params, database=database, write=args.write,
                                                  timeout=args.timeout if args.uri else None),
                                args.timeout + GRACE, on_expiry)
    finally:
        with_close = getattr(driver, "close", None)
        if with_close:
            with_close()
    emit(result.rows, args.format, columns=result.columns)
    if not result.rows:
        print("(0 rows)", file=sys.stderr)
    return 0


def _local(args: argparse.Namespace) -> Any:
    from cnaikg.commands._bolt import local_server

    return local_server(args, query_timeout=args.timeout)
