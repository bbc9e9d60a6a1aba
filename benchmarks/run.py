"""Run every benchmark in benchmarks/ and print one table: figure, value, best library of the same run, ratio, target, pass/fail.

    make bench                       # quick sizes (about a minute per benchmark)
    make bench FULL=1                # the sizes the targets are stated for; saves docs/benchmarks.json
    .venv/bin/python benchmarks/run.py --size tiny            # a smoke run of a few seconds per benchmark
    .venv/bin/python benchmarks/run.py --only sparql,scores --save results.json

A benchmark is any benchmarks/*.py with a ``run(size)`` function returning rows
(the contract is in benchmarks/common.py and benchmarks/README.md); a module
without one is listed on a "skipped" line, as is one that cannot be imported.
Progress on stderr, the table on stdout. Exit status 1 when a benchmark failed
with an error (or, with ``--strict``, when a target was missed).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib.util
import inspect
import json
import subprocess
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common import SIZES, Row, log, machine  # noqa: E402

#: modules of benchmarks/ that are helpers, not benchmarks
HELPERS = {"run", "common", "synthetic", "conftest"}
COLUMNS = ("benchmark", "figure", "value", "best library (same run)", "ratio", "target", "result")


def discover(folder: Path = HERE, only: set[str] | None = None, exclude: frozenset[str] | set[str] = frozenset()) -> list[Path]:
    """The benchmark files of ``folder``, sorted by name (helpers and names starting with _ left out)."""
    files = [p for p in sorted(folder.glob("*.py")) if p.stem not in HELPERS and not p.stem.startswith("_")]
    if only:
        unknown = only - {p.stem for p in files}
        if unknown:
            raise SystemExit(f"no benchmark named {', '.join(sorted(unknown))}; there are: {', '.join(p.stem for p in files)}")
        files = [p for p in files if p.stem in only]
    return [p for p in files if p.stem not in exclude]


def load_module(path: Path) -> ModuleType:
    """Import benchmarks/<name>.py as module ``bench_<name>`` (its folder is on sys.path for its own helpers)."""
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def call_run(fn: Any, size: str) -> Any:
    """Call ``run`` with the size in whichever form it takes: ``run(size)``, ``run(size=...)`` or ``run(quick: bool)``."""
    params = inspect.signature(fn).parameters
    if "size" in params:
        return fn(size=size)
    if "quick" in params:
        return fn(quick=size != "full")
    if params:
        return fn(size)
    return fn()


def run_one(path: Path, size: str) -> tuple[list[Row], str | None, bool]:
    """(rows, a skip or error line, whether it was an error) for one benchmark file."""
    name = path.stem
    try:
        mod = load_module(path)
    except Exception as exc:  # a missing optional library, a syntax error: say so and go on
        return [], f"skipped {name}: cannot import it ({type(exc).__name__}: {exc})", False
    fn = getattr(mod, "run", None)
    if not callable(fn):
        return [], f"skipped {name}: no run(size) function (see benchmarks/README.md); run it by itself: python benchmarks/{path.name}", False
    log(f"== {name} ({size})")
    t = time.perf_counter()
    try:
        rows = [Row.coerce(r, name) for r in call_run(fn, size) or []]
    except Exception as exc:
        if type(exc).__name__ == "Skip":  # common.Skip, whichever way the module imported it
            return [], f"skipped {name} at size {size}: {exc}", False
        traceback.print_exc(file=sys.stderr)
        return [], f"ERROR in {name}: {type(exc).__name__}: {exc}", True
    log(f"   {name}: {len(rows)} figures in {time.perf_counter() - t:.1f} s")
    return rows, None, False


def fmt_value(value: float, unit: str) -> str:
    """``0.83 s``, ``12.2 ms``, ``75,000 rows/s``."""
    if value != value:  # nan
        return "n/a"
    if unit == "s" and 0 < abs(value) < 0.1:
        value, unit = value * 1000, "ms"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 100:
        text = f"{value:.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.3g}" if abs(value) < 0.01 else f"{value:.2f}"
    return f"{text} {unit}".rstrip()


def cells(r: Row) -> list[str]:
    """The table cells of one row."""
    best = f"{r.best} {fmt_value(r.best_value, r.unit)}" if r.best and r.best_value is not None else r.best
    ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
    result = {True: "pass", False: "FAIL", None: ""}[r.passed]
    figure = f"{r.figure} ({r.note})" if r.note else r.figure
    return [r.benchmark, figure, fmt_value(r.value, r.unit), best, ratio, r.target_str(), result]


def table(rows: list[Row]) -> str:
    """An aligned Markdown table of ``rows`` (readable in a terminal, pastable into docs)."""
    body = [list(COLUMNS)] + [cells(r) for r in rows]
    widths = [max(len(line[i]) for line in body) for i in range(len(COLUMNS))]
    right = {2, 4}
    out = []
    for k, line in enumerate(body):
        out.append("| " + " | ".join(c.rjust(w) if i in right and k else c.ljust(w) for i, (c, w) in enumerate(zip(line, widths))) + " |")
        if k == 0:
            out.append("|" + "|".join(("-" * (w + 1) + ":") if i in right else "-" * (w + 2) for i, w in enumerate(widths)) + "|")
    return "\n".join(out)


def git_commit() -> str:
    """The commit measured (with ``+dirty`` when the work tree has changes), or empty outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=HERE, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return head + ("+dirty" if head and dirty else "")


def save(path: Path, record: dict[str, Any]) -> None:
    """Add this run to ``path`` ({"runs": [...]}): its benchmarks' rows replace those of earlier runs, other runs stay.

    So the file always holds the latest full run of every benchmark, each with its own command, date and machine.
    """
    runs: list[dict[str, Any]] = []
    if path.is_file():
        old = json.loads(path.read_text(encoding="utf-8"))
        runs = old.get("runs", [old] if "rows" in old else [])
    measured = {r["benchmark"] for r in record["rows"]}
    kept = []
    for run in runs:
        run = dict(run, rows=[r for r in run.get("rows", []) if r.get("benchmark") not in measured],
                   notes=[n for n in run.get("notes", []) if not any(f" {b}:" in n for b in measured)])
        if run["rows"]:
            kept.append(run)
    path.write_text(json.dumps({"runs": [*kept, record]}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", choices=SIZES, default="quick", help="tiny (seconds, for tests), quick (default, make bench) or full (make bench FULL=1)")
    ap.add_argument("--only", default="", help="comma-separated benchmark names (file names without .py)")
    ap.add_argument("--exclude", default="", help="comma-separated benchmark names to leave out")
    ap.add_argument("--dir", default=str(HERE), help=argparse.SUPPRESS)
    ap.add_argument("--save", metavar="FILE.json", help="also write the rows, the machine and the command to FILE.json (docs/benchmarks.md is generated from it)")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args(argv)

    split = lambda s: {x.strip().removesuffix(".py") for x in s.split(",") if x.strip()}  # noqa: E731
    files = discover(Path(args.dir), split(args.only) or None, split(args.exclude))
    started = _dt.datetime.now(_dt.timezone.utc)
    host = machine()
    rows: list[Row] = []
    notes: list[str] = []
    errors = 0
    t0 = time.perf_counter()
    for path in files:
        got, line, failed = run_one(path, args.size)
        rows += got
        errors += failed
        if line:
            notes.append(line)
            log(line)
    elapsed = time.perf_counter() - t0

    print(f"## Benchmarks ({args.size}), {started:%Y-%m-%d %H:%M} UTC\n")
    print(table(rows) if rows else "(no figures)")
    print()
    for line in notes:
        print(f"- {line}")
    missed = sum(r.passed is False for r in rows)
    met = sum(r.passed is True for r in rows)
    print(f"- {len(rows)} figures from {len({r.benchmark for r in rows})} benchmarks in {elapsed:.0f} s; targets met {met}, missed {missed}; "
          f"machine: {host['cpus']} x {host['cpu']}, {host['memory_gib']} GiB, load average {host['loadavg_1min']} at the start")
    if args.save:
        record = {"command": "benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:]), "size": args.size,
                  "date": started.strftime("%Y-%m-%d %H:%M UTC"), "seconds": round(elapsed, 1), "commit": git_commit(),
                  "machine": host, "loadavg_1min_end": machine()["loadavg_1min"], "rows": [r.as_dict() for r in rows], "notes": notes}
        save(Path(args.save), record)
        log(f"saved {args.save}")
    return 1 if errors or (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
