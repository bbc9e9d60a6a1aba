"""Options and helpers shared by the Bolt commands (cypher, serve, push): connection, graph, password."""

from __future__ import annotations

import argparse
import os
from typing import Any

from cnaikg.errors import StoreError

DEFAULT_PASSWORD_ENV = "NEO4J_PASSWORD"


def add_connection_options(p: argparse.ArgumentParser, *, required: bool = False) -> None:
    """--uri, --user, --password-env, --database."""
    extra = "" if required else " (default: the bundled local server, started for this command)"
    p.add_argument("--uri", metavar="URI", required=required, help=f"Bolt URI of a Neo4j 5 / Aura server, e.g. bolt://localhost:7687{extra}")
    p.add_argument("--user", metavar="NAME", default="neo4j", help="user name on that server (default: neo4j)")
    p.add_argument("--password-env", metavar="VAR", default=DEFAULT_PASSWORD_ENV,
                   help=f"environment variable holding the password (default: {DEFAULT_PASSWORD_ENV}); never pass it on the command line")
    p.add_argument("--database", metavar="NAME", default=None, help="database on that server (default: the server's default)")


def password_from_env(var: str) -> str:
    """The password in environment variable ``var``; StoreError saying how to set it when missing."""
    value = os.environ.get(var)
    if not value:
        raise StoreError(f"no password: set the environment variable {var} (e.g. `read -s {var}; export {var}`) or name another with --password-env")
    return value


def load_graph(args: argparse.Namespace) -> Any:
    """The graph of --data (default: shipped dataset), as of --as-of when given."""
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.progress import stage

    with stage("reading and validating data", quiet=True):
        kg = KnowledgeGraph.from_dataset(getattr(args, "data", None))
    if getattr(args, "as_of", None):
        kg = kg.as_of(args.as_of)
    return kg
