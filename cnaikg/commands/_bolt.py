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
    day = as_of_day(args)
    if day:
        kg = kg.as_of(day)
    return kg


def as_of_day(args: argparse.Namespace) -> str | None:
    """--as-of as an ISO day (a partial date is its first day, as kg.as_of reads it); StoreError when it is no date."""
    raw = getattr(args, "as_of", None)
    if not raw:
        return None
    from cnaikg.graph.dates import DATE_HELP, to_date

    try:
        return to_date(raw).isoformat()
    except ValueError:
        raise StoreError(f"--as-of {raw!r} is not a date; {DATE_HELP}") from None


def dataset_key(args: argparse.Namespace) -> str:
    """A key of the dataset a local server serves: every file of --data (and the state actors), --as-of, the store layout.

    Cheap (no graph is built), so a warm `cnaikg cypher` finds its running server at once;
    the server itself checks the stored database against the graph by content hash.
    """
    import hashlib
    from pathlib import Path

    from cnaikg.graph.store.server import LAYOUT_VERSION
    from cnaikg.paths import data_dir

    root = Path(getattr(args, "data", None) or data_dir())
    if not root.is_dir():
        raise StoreError(f"--data {root} is not a folder; give the data folder that holds ontology.toml")
    h = hashlib.sha256(f"{LAYOUT_VERSION}\0{as_of_day(args) or ''}\0".encode())
    files = sorted(f for f in root.rglob("*") if f.is_file())
    files.append(data_dir() / "state_actors.toml")
    for f in files:
        h.update(f.name.encode() + b"\0")
        try:
            h.update(f.read_bytes())
        except OSError:
            pass
    return h.hexdigest()[:16]


def local_server(args: argparse.Namespace, *, query_timeout: float | None = None) -> Any:
    """The running local server of this dataset and --as-of, or a detached one started now (see shared_server)."""
    from cnaikg.graph.store.server import DEFAULT_IDLE_SECONDS, shared_server
    from cnaikg.progress import stage

    import os

    idle = float(os.environ.get("CNAIKG_IDLE_SECONDS", DEFAULT_IDLE_SECONDS))
    key = dataset_key(args)
    with stage("connecting to the local Bolt server", quiet=True):
        return shared_server(key, lambda: load_graph(args), idle_seconds=idle, query_timeout=query_timeout)
