"""Options shared by several subcommands."""

from __future__ import annotations

import argparse

from cnaikg.output import FORMATS


def add_data_option(p: argparse.ArgumentParser) -> None:
    """--data DIR: the curated data folder (default: the shipped dataset)."""
    p.add_argument("--data", metavar="DIR", default=None, help="data folder with ontology.toml (default: the shipped dataset)")


def add_format_option(p: argparse.ArgumentParser, default: str = "table") -> None:
    """--format table|csv|json for results on stdout."""
    p.add_argument("--format", choices=FORMATS, default=default, help=f"output format (default: {default})")


def add_as_of_option(p: argparse.ArgumentParser) -> None:
    """--as-of DATE: point-in-time view."""
    p.add_argument("--as-of", metavar="DATE", default=None, help="view the graph as of this date (YYYY-MM-DD); default: everything known")
