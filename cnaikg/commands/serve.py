"""Start the bundled local Bolt server with the graph loaded and print how to connect; runs until interrupted.

Connect Neo4j Browser, cypher-shell or any Bolt driver with the URI, user and
password printed (the password is generated for this run). The server listens on
127.0.0.1 only; its database is cached per dataset and its log is in the cache folder.

Example:
  cnaikg serve --port 7687
  cypher-shell -a bolt://127.0.0.1:7687 -u root -p '<printed password>' -d cnaikg
"""

from __future__ import annotations

import argparse
import time

from cnaikg.commands._bolt import load_graph
from cnaikg.commands._common import add_as_of_option, add_data_option

NAME = "serve"
HELP = "start the local Bolt endpoint with the graph loaded and print URI, user and password"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=None, metavar="N", help="Bolt port on 127.0.0.1 (default: a free one)")
    p.add_argument("--query-timeout", type=float, default=600.0, metavar="SECONDS",
                   help="abort any query running longer than this (default: 600; 0 for no limit)")
    add_data_option(p)
    add_as_of_option(p)


def run(args: argparse.Namespace) -> int:
    from cnaikg.graph.bolt import LocalServer
    from cnaikg.progress import stage

    kg = load_graph(args)
    with stage("starting the local Bolt server"):
        srv = LocalServer(kg, port=args.port, query_timeout=args.query_timeout or None).start()
    try:
        print(f"Bolt URI:  {srv.uri}")
        print(f"user:      {srv.user}")
        print(f"password:  {srv.password}")
        print(f"database:  {srv.database}")
        print(f"graph:     {kg.number_of_entities()} entities, {kg.number_of_facts()} relationships")
        print(f"log:       {srv.log_path}")
        print("press Ctrl-C to stop", flush=True)
        while srv.alive():
            time.sleep(0.5)
        print("the server stopped on its own; see the log above")
        return 1
    except KeyboardInterrupt:
        print("stopping", flush=True)
        return 0
    finally:
        srv.stop()
