"""Write the graph in any registered export format: `cnaikg export --format NAME TARGET`.

The formats are the exporters registered in cnaikg/registry.py; this command asks
the registry and never branches on a format. `cnaikg export --list` shows them.

Examples:
  cnaikg export --format neo4j-admin out/neo4j-import
  cnaikg export --format csv out/tables
"""

from __future__ import annotations

import argparse
import inspect

from cnaikg.commands._bolt import load_graph
from cnaikg.commands._common import add_as_of_option, add_data_option
from cnaikg.errors import RegistryError

NAME = "export"
HELP = "write the graph in a registered format (--format NAME TARGET; --list shows them)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", nargs="?", help="file or folder to write (what it must be depends on the format)")
    p.add_argument("--format", metavar="NAME", help="an exporter registered in cnaikg.registry (see --list)")
    p.add_argument("--list", action="store_true", help="list the export formats")
    add_data_option(p)
    add_as_of_option(p)


def run(args: argparse.Namespace) -> int:
    from cnaikg import registry

    if args.list:
        from cnaikg.output import emit

        emit([{"format": n, "description": d} for n, d in registry.describe("exporter")])
        return 0
    if not args.format or not args.target:
        raise RegistryError(f"give --format NAME and a TARGET; formats: {', '.join(registry.names('exporter'))}")
    exporter = registry.get("exporter", args.format)
    if inspect.isclass(exporter):
        exporter = exporter()
    kg = load_graph(args)
    written = exporter.export(kg, args.target)
    for path in written:
        print(path)
    return 0
