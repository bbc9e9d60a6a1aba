"""Check every file of data/ against the ontology and print every problem: file, line, field, what, how to fix.

Exit code 0 when there is no error (warnings are printed but do not fail), 1 otherwise.
"""

from __future__ import annotations

import argparse

from cnaikg.commands._common import add_data_option

NAME = "validate"
HELP = "check data/ against the ontology and report every problem"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_data_option(p)
    p.add_argument("--warnings", action="store_true", help="also list warnings (unused sources, unconnected entities)")


def run(args: argparse.Namespace) -> int:
    import sys

    from cnaikg.loaders.curated import read_dataset

    ds = read_dataset(args.data)
    shown = ds.errors + (ds.warnings if args.warnings else [])
    for p in shown:
        print(p)
    n_rows = len(ds.entities) + len(ds.facts) + len(ds.sources)
    summary = (f"{len(ds.files)} files, {len(ds.entities)} entities, {len(ds.facts)} facts, {len(ds.sources)} sources read; "
               f"{len(ds.errors)} errors, {len(ds.warnings)} warnings")
    print(summary, file=sys.stderr)
    if ds.errors:
        print("not valid: fix the errors above (each line names the file, line and field)", file=sys.stderr)
        return 1
    print(f"valid ({n_rows} rows)" + ("" if args.warnings or not ds.warnings else "; run with --warnings to see the warnings"), file=sys.stderr)
    return 0
