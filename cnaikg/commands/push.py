"""Load the graph into a Neo4j 5 or Aura database: batched UNWIND ... MERGE on the entity id, provenance kept.

Into an empty database the push CREATEs (fast); into one that holds data it
MERGEs on ids, so pushing the same graph twice changes nothing and a push
interrupted halfway completes when rerun. --uri must be a Bolt address
(bolt://, neo4j://, bolt+s://, neo4j+s://), not the Neo4j Browser's http://. The password is read from an environment variable (NEO4J_PASSWORD
unless --password-env says otherwise). Prints node and relationship counts after.

Example:
  export NEO4J_PASSWORD=...
  cnaikg push --uri neo4j+s://xxxx.databases.neo4j.io --user neo4j
"""

from __future__ import annotations

import argparse

from cnaikg.commands._bolt import add_connection_options, load_graph, password_from_env
from cnaikg.commands._common import add_as_of_option, add_data_option, add_format_option

NAME = "push"
HELP = "load the graph into a Neo4j 5 / Aura database (idempotent MERGE on ids)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_connection_options(p, required=True)
    p.add_argument("--batch-size", type=int, default=5000, metavar="N", help="rows per UNWIND statement (default: 5000)")
    p.add_argument("--prune", action="store_true", help="also delete Entity nodes and relationships no longer in the graph")
    add_format_option(p)
    add_data_option(p)
    add_as_of_option(p)


def run(args: argparse.Namespace) -> int:
    from cnaikg.graph.store.writer import GraphWriter, connect
    from cnaikg.output import emit

    kg = load_graph(args)
    driver = connect(args.uri, args.user, password_from_env(args.password_env))
    try:
        report = GraphWriter(driver, database=args.database, ontology=kg.ontology, batch_size=args.batch_size).push(kg, prune=args.prune)
    finally:
        driver.close()
    emit([{"name": k, "count": v} for k, v in report.counts.items()], args.format)
    from cnaikg.progress import log

    log(f"pushed {report.nodes_sent} nodes and {report.relationships_sent} relationships in {report.seconds:.1f} s "
        f"({report.relationships_per_second:.0f} relationships/s)")
    return 0
