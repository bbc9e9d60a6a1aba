"""The `cnaikg` command line: one group of kebab-case subcommands, discovered from cnaikg.commands.

Each module in cnaikg/commands/ defines NAME, HELP, add_arguments(parser) and
run(args) -> exit code. Results go to stdout, progress and errors to stderr;
a KGError becomes one clear message and exit code 2.

>>> make_parser().prog
'cnaikg'
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from typing import Sequence

from cnaikg import __version__
from cnaikg.errors import DataError, KGError

__all__ = ["main", "make_parser"]


def _command_modules() -> list:
    import cnaikg.commands as pkg

    mods = [importlib.import_module(f"cnaikg.commands.{m.name}") for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_")]
    return sorted(mods, key=lambda m: m.NAME)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="cnaikg",
        description="cnaikg: a sourced knowledge graph of the Chinese AI ecosystem.",
        epilog="Run `cnaikg COMMAND --help` for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"cnaikg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in _command_modules():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=(mod.__doc__ or mod.HELP).strip().splitlines()[0],
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 checks failed, 2 usage, data or file error, 3 internal error).

    No traceback reaches the user: errors of cnaikg (KGError), of the operating
    system (OSError: a missing path, a read-only folder, a full disk) and inputs
    nested too deeply become one line on stderr naming the path and the fix.
    """
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    cmd = f"cnaikg {args.command}"
    try:
        return int(args._run(args) or 0)
    except DataError as exc:
        print(f"{cmd}: {exc}", file=sys.stderr)
        print("fix the problems above, then run `cnaikg validate`", file=sys.stderr)
        return 2
    except KGError as exc:
        print(f"{cmd}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{cmd}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `cnaikg ... | head`
        return 0
    except OSError as exc:  # a path the user gave: missing, a folder, read-only, a full disk
        from cnaikg.io import output_error

        print(f"{cmd}: error: {output_error(getattr(exc, 'filename', None) or '', exc, 'read or write')}", file=sys.stderr)
        return 2
    except RecursionError:
        print(f"{cmd}: error: the input is nested too deeply (limit {sys.getrecursionlimit()} levels); check the file", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"{cmd}: error: out of memory; the input is too large for this machine (split it)", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: one line, never a traceback; CNAIKG_DEBUG=1 shows it
        import os
        import traceback

        if os.environ.get("CNAIKG_DEBUG"):
            traceback.print_exc()
        print(f"{cmd}: internal error: {type(exc).__name__}: {str(exc)[:300]} (please report it; run with CNAIKG_DEBUG=1 for details)",
              file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
