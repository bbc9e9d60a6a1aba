"""Start the bundled local Bolt server with the graph loaded and print how to connect; runs until interrupted.

Connect Neo4j Browser, cypher-shell or any Bolt driver with the URI, user and
password printed: the user `reader` may only read (the server's own
permissions refuse any change), and the password is generated for this run.
The server listens on 127.0.0.1 only, speaks Bolt only (no HTTP API, no
Studio), and `cnaikg cypher` on the same dataset and --as-of uses it while it
runs. --as-of D serves exactly the graph as of D (kg.as_of).

Examples:
  cnaikg serve --port 7687
  cypher-shell -a bolt://127.0.0.1:7687 -u reader -p '<printed password>' -d cnaikg
  cnaikg serve --stop        # stop the background servers `cnaikg cypher` started
"""

from __future__ import annotations

import argparse
import time

from cnaikg.commands._bolt import dataset_key, load_graph
from cnaikg.commands._common import add_as_of_option, add_data_option

NAME = "serve"
HELP = "start the local Bolt endpoint (read-only) with the graph loaded and print URI, user and password; --stop ends background servers"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=None, metavar="N", help="Bolt port on 127.0.0.1 (default: a free one)")
    p.add_argument("--query-timeout", type=float, default=600.0, metavar="SECONDS",
                   help="abort any query running longer than this (default: 600; 0 for no limit)")
    p.add_argument("--stop", action="store_true", help="stop every local server of this cache (background ones and `serve` ones) and exit")
    add_data_option(p)
    add_as_of_option(p)


def run(args: argparse.Namespace) -> int:
    from cnaikg.graph.store.server import LocalServer, read_discovery, stop_shared_server
    from cnaikg.graph.store.writer import BASE_LABEL
    from cnaikg.progress import log, stage

    if args.stop:
        stopped = stop_shared_server()
        print(f"stopped {len(stopped)} local server(s)" + (f" (pid {', '.join(map(str, stopped))})" if stopped else ""))
        return 0
    key = dataset_key(args)
    kg = load_graph(args)
    srv = LocalServer(kg, port=args.port, query_timeout=args.query_timeout or None, key=key)
    info = read_discovery(srv.folder)
    if info and info.get("detached"):
        log("stopping the background server of this dataset so that this one takes over")
        stop_shared_server(key)
    with stage("starting the local Bolt server"):
        srv.start()
    try:
        n_nodes = srv.run(f"MATCH (n:{BASE_LABEL}) RETURN count(n) AS n").rows[0]["n"]
        n_rels = srv.run(f"MATCH (:{BASE_LABEL})-[r]->(:{BASE_LABEL}) RETURN count(r) AS n").rows[0]["n"]
        print(f"Bolt URI:  {srv.uri}")
        print(f"user:      {srv.user}   (read-only: the server refuses any change)")
        print(f"password:  {srv.password}")
        print(f"database:  {srv.database}")
        print(f"graph:     {n_nodes} entities, {n_rels} relationships served"
              + (f", as of {kg.as_of_date}" if getattr(kg, "as_of_date", None) else "")
              + f" (content hash {srv.content_hash})")
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
