"""Generate every figure in README.md and docs/ from its single source, so none can go stale (`make docs`).

A generated block sits between two markers; everything between them is rewritten:

    <!-- BEGIN generated: ontology -->
    ...tables written by ontology_markdown()...
    <!-- END generated -->

``NAME`` picks a generator from :data:`BLOCKS`, anything after it is the
generator's argument: ``<!-- BEGIN generated: command cnaikg resolve 0981.HK -->``
runs the real command (in an empty temporary folder) and shows its output;
``<!-- BEGIN generated: count facts -->566<!-- END generated -->`` on one line is
an inline figure. ``python -m cnaikg.docs`` rewrites every block of README.md,
docs/*.md, data/README.md and benchmarks/README.md (and data/ontology.ttl);
``--check`` rewrites nothing and exits 1 naming each stale block (a test runs it).

>>> print(render("a <!-- BEGIN generated: count entity-types -->?<!-- END generated --> b"))
a <!-- BEGIN generated: count entity-types -->14<!-- END generated --> b
>>> print(ontology_markdown().splitlines()[0])
| entity type | label | categories | description |
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

from cnaikg.errors import KGError
from cnaikg.graph.ontology import Ontology, load_ontology

__all__ = ["BLOCKS", "block", "render", "render_readme", "check", "generate", "doc_files", "md_table", "ontology_markdown", "run_command", "DocsError", "BEGIN", "END"]

BEGIN = "<!-- BEGIN generated: ontology (python -m cnaikg.docs) -->"  # the README's original marker (still understood)
END = "<!-- END generated: ontology -->"

# a marker quoted in `code` is prose, not a marker
MARKER = re.compile(r"(?P<begin>(?<!`)<!-- BEGIN generated: (?P<spec>.*?) -->)(?P<body>.*?)(?P<end>(?<!`)<!-- END generated(?::[^>]*?)? -->)", re.S)
OPEN = re.compile(r"(?<!`)<!-- BEGIN generated: (?P<spec>.*?) -->")

#: name -> generator(argument) -> Markdown
BLOCKS: dict[str, Callable[[str], str]] = {}


class DocsError(KGError):
    """A generated block cannot be made: unknown name, unterminated marker, a command that fails."""


def block(name: str) -> Callable[[Callable[[str], str]], Callable[[str], str]]:
    """Register a block generator under ``name`` (a duplicate name is an error)."""
    def deco(fn: Callable[[str], str]) -> Callable[[str], str]:
        if name in BLOCKS:
            raise DocsError(f"generated block {name!r} is defined twice")
        BLOCKS[name] = fn
        return fn
    return deco


def repo_root() -> Path:
    """The repository (a clone: README.md and pyproject.toml beside cnaikg/), else the current folder."""
    here = Path(__file__).resolve().parents[1]
    return here if (here / "pyproject.toml").is_file() and (here / "README.md").is_file() else Path.cwd()


# ------------------------------------------------------------------------------------------- generators

def md_table(header: Sequence[str], rows: Iterable[Sequence[object]], align: Sequence[str] = ()) -> str:
    """A Markdown table; a ``|`` inside a cell is escaped so it cannot split the row. ``align``: one ``---``/``---:`` per column.

    >>> print(md_table(["a", "b"], [["x|y", 1]], align=["---", "---:"]))
    | a | b |
    |---|---:|
    | x\\|y | 1 |
    """
    def row(cells: Iterable[object]) -> str:
        return "| " + " | ".join(str(c).replace("|", chr(92) + "|") for c in cells) + " |"

    return "\n".join([row(header), "|" + "|".join(align or ["---"] * len(header)) + "|", *(row(r) for r in rows)])


def ontology_markdown(onto: Ontology | None = None) -> str:
    """Markdown tables of entity types and relationship types (domain, range, properties)."""
    onto = onto or load_ontology()
    entities = md_table(["entity type", "label", "categories", "description"],
                        ([f"`{t.name}`", t.label, ", ".join(t.categories), t.description]
                         for t in sorted(onto.entity_types.values(), key=lambda t: t.name)))
    relations = md_table(["relationship", "from (domain)", "to (range)", "properties", "meaning"],
                         ([f"`{r.name}`" + (" (symmetric)" if r.symmetric else ""), ", ".join(r.domain), ", ".join(r.range),
                           ", ".join(f"`{p.name}`{'*' if p.required else ''} ({p.type})" for p in r.properties.values()),
                           r.description]
                          for r in sorted(onto.relation_types.values(), key=lambda r: r.name)))
    return f"{entities}\n\n{relations}\n\n`*` required property."


@block("ontology")
def _ontology(arg: str) -> str:
    """Entity and relationship types of data/ontology.toml."""
    return ontology_markdown()


@block("feature-schema")
def _feature_schema(arg: str) -> str:
    """The columns of the features table (cnaikg.queries.features.schema_markdown)."""
    from cnaikg.queries import features

    return str(features.schema_markdown())


@block("scores")
def _scores(arg: str) -> str:
    """The scores tables of docs/scores.md (cnaikg.queries.features.scores_tables: components and feature columns)."""
    from cnaikg.queries import features

    return str(features.scores_tables())


@block("labels")
def _labels(arg: str) -> str:
    """Neo4j labels of the entity types (cnaikg.graph.store.writer.labels_table), the table of docs/cypher.md."""
    from cnaikg.graph.store.writer import labels_table

    return str(labels_table())


@block("proximity-components")
def _components(arg: str) -> str:
    """The policy-proximity components with their weights (cnaikg.queries.proximity.component_table)."""
    from cnaikg.queries.proximity import component_table

    return md_table(["component", "weight", "what it measures"],
                    ([f"`{r['component']}`", f"{r['weight']:g}", r["meaning"]] for r in component_table()), align=["---", "---:", "---"])


@block("command-list")
def _command_list(arg: str) -> str:
    """Every subcommand of `cnaikg` with its one-line help, from the parser itself."""
    from cnaikg.cli import _command_modules

    lines = ["| command | what it does |", "|---|---|"]
    for mod in _command_modules():
        lines.append(f"| `cnaikg {mod.NAME}` | {mod.HELP} |")
    return "\n".join(lines)


def command_example(mod: object) -> str:
    """One example of a command: its module's ``EXAMPLE``, else the first ``cnaikg NAME ...`` line of its docstring."""
    name = str(getattr(mod, "NAME", ""))
    example = getattr(mod, "EXAMPLE", None)
    if isinstance(example, str) and example.strip():
        return example.strip()
    for line in (getattr(mod, "__doc__", "") or "").splitlines():
        text = line.strip()
        if line.startswith((" ", "\t")) and text.startswith(f"cnaikg {name}") and "`" not in text:  # an indented example line
            return re.split(r"\s{2,}#", text)[0].strip()
    return FALLBACK_EXAMPLES.get(name, f"cnaikg {name} --help")


#: examples for commands whose module gives none (a module's EXAMPLE or docstring example wins)
FALLBACK_EXAMPLES = {
    "build": "cnaikg build",
    "changes": "cnaikg changes --from 2022-01-01 --to 2025-06-30 --top 5",
    "explain": "cnaikg explain 0981.HK --as-of 2025-06-30",
    "features": "cnaikg features --as-of 2024-06-30 --out features.parquet",
    "load": "cnaikg load --list",
    "screen": "cnaikg screen --as-of 2023-06-30 --all",
    "validate": "cnaikg validate --warnings",
}


@block("command-tour")
def _command_tour(arg: str) -> str:
    """Every subcommand with what it does and one example (``EXAMPLE`` in its module, or its docstring's first example)."""
    from cnaikg.cli import _command_modules

    return md_table(["command", "what it does", "example"],
                    ([f"`{mod.NAME}`", mod.HELP, f"`{command_example(mod)}`"] for mod in _command_modules()))


@block("sparql-queries")
def _sparql_queries(arg: str) -> str:
    """The canned SPARQL queries of queries/sparql/: name, title and parameters with defaults."""
    from cnaikg.queries.sparql_queries import canned_queries

    return md_table(["query", "question", "parameters (default)"],
                    ([f"`{q.name}`", q.title, ", ".join(f"`{n}` ({d})" for n, (_, d) in q.params.items())]
                     for q in canned_queries().values()))


@block("cypher-queries")
def _cypher_queries(arg: str) -> str:
    """The canned Cypher queries of queries/cypher/: name, description and parameters."""
    from cnaikg.queries.cypher_queries import load_queries

    return md_table(["query", "what it answers", "parameters"],
                    ([f"`{q.name}`", q.description, ", ".join(f"`{p.name}`" + ("" if p.required else f" ({p.default})") for p in q.params)]
                     for q in load_queries().values()))


@lru_cache(maxsize=1)
def _counts() -> dict[str, int]:
    from cnaikg.graph import build_graph

    kg = build_graph()
    onto = kg.ontology
    sources = {s.id for f in kg.facts() for s in f.sources} | {s.id for e in kg.entities() for s in e.sources}
    counts = {"entities": kg.number_of_entities(), "facts": kg.number_of_facts(), "sources": len(sources),
              "entity-types": len(onto.entity_types), "relation-types": len(onto.relation_types)}
    try:
        from cnaikg.graph.rdf import kg_to_rdf, ontology_graph

        counts["triples"] = len(kg_to_rdf(kg))
        counts["ontology-triples"] = len(ontology_graph(onto))
    except ImportError:  # pragma: no cover - rdflib is a dependency
        pass
    return counts


@block("count")
def _count(arg: str) -> str:
    """An inline number about the shipped graph: entities, facts, sources, entity-types, relation-types, triples, ontology-triples."""
    counts = _counts()
    if arg not in counts:
        raise DocsError(f"no count named {arg!r}; there are: {', '.join(counts)}")
    return f"{counts[arg]:,}"


def run_command(spec: str) -> str:
    """Run ``cnaikg ARGS [2>&1] [| head -N]`` in an empty temporary folder; return what it printed (stdout, or both with 2>&1)."""
    spec = spec.strip()
    head = None
    m = re.search(r"\|\s*head\s+-(?:n\s*)?(\d+)\s*$", spec)
    if m:
        head, spec = int(m.group(1)), spec[: m.start()].strip()
    merge = spec.endswith("2>&1")
    spec = spec.removesuffix("2>&1").strip()
    argv = shlex.split(spec)
    if not argv or argv[0] != "cnaikg":
        raise DocsError(f"a command block runs cnaikg: `command cnaikg ...`, not {spec!r}")
    env = {**os.environ, "COLUMNS": "100", "PYTHONHASHSEED": "0", "NO_COLOR": "1"}
    with tempfile.TemporaryDirectory(prefix="cnaikg-docs-") as tmp:
        proc = subprocess.run([sys.executable, "-m", "cnaikg", *argv[1:]], cwd=tmp, env=env, text=True, timeout=600,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT if merge else subprocess.PIPE)
    out = proc.stdout.replace(tmp, "/tmp/example").replace(f"{repo_root()}{os.sep}", "")  # the same text on every clone
    if proc.returncode and not merge:
        raise DocsError(f"`{spec}` exited {proc.returncode}: {(proc.stderr or '').strip().splitlines()[-1:] or ''}")
    lines = out.rstrip("\n").splitlines()
    if head is not None and len(lines) > head:
        lines = lines[:head] + ["..."]
    if proc.returncode:
        lines.append(f"(exit status {proc.returncode})")
    return "\n".join(line.rstrip() for line in lines)


@block("command")
def _command(arg: str) -> str:
    """The real output of a cnaikg command, as a console block."""
    return f"```console\n$ {arg.strip()}\n{_cached_command(arg.strip())}\n```"


@lru_cache(maxsize=None)
def _cached_command(spec: str) -> str:
    return run_command(spec)


@block("file")
def _file(arg: str) -> str:
    """A file of the repository shown as a text block (e.g. an expected error a test checks against the real command)."""
    path = repo_root() / arg.strip()
    if not arg.strip() or not path.is_file():
        raise DocsError(f"no file {arg.strip()!r} in the repository for a `file` block")
    return f"```text\n{path.read_text(encoding='utf-8').rstrip()}\n```"


@block("benchmarks")
def _benchmarks(arg: str) -> str:
    """The last full run of every benchmark (docs/benchmarks.json, written by `make bench FULL=1`), each with its machine and command."""
    path = repo_root() / (arg.strip() or "docs/benchmarks.json")
    if not path.is_file():
        return f"No full run recorded yet: run `make bench FULL=1` (writes {path.name}), then `make docs`."
    data = json.loads(path.read_text(encoding="utf-8"))
    runs = data.get("runs", [data] if "rows" in data else [])
    out: list[str] = []
    for rec in runs:
        m = rec.get("machine", {})
        benches = ", ".join(sorted({r.get("benchmark", "") for r in rec.get("rows", [])}))
        if out:
            out.append("")
        out += [f"**{benches}**: `{rec.get('command', 'benchmarks/run.py')}` ({rec.get('size', '?')} sizes), "
                f"{rec.get('date', '?')}, commit {rec.get('commit') or '?'}, {rec.get('seconds', '?')} s in all. "
                f"Machine: {m.get('cpus', '?')} x {m.get('cpu', '?')}, {m.get('memory_gib', '?')} GiB, {m.get('os', '?')}, "
                f"Python {m.get('python', '?')}; load average {m.get('loadavg_1min', '?')} at the start and "
                f"{rec.get('loadavg_1min_end', '?')} at the end.",
                "", "| benchmark | figure | value | best library (same run) | ratio | target | result |", "|---|---|---:|---|---:|---|---|"]
        for r in rec.get("rows", []):
            value = _fmt(r.get("value"), r.get("unit", ""))
            best = f"{r['best']} {_fmt(r.get('best_value'), r.get('unit', ''))}" if r.get("best") and r.get("best_value") is not None else r.get("best", "")
            ratio = f"{r['ratio']:.2f}x" if r.get("ratio") is not None else ""
            result = {True: "pass", False: "**missed**", None: ""}[r.get("passed")]
            figure = f"{r['figure']} ({r['note']})" if r.get("note") else r["figure"]
            out.append(f"| {r.get('benchmark', '')} | {figure} | {value} | {best} | {ratio} | {r.get('target', '')} | {result} |")
        for note in rec.get("notes", []):
            out.append(f"\n- {note}")
    return "\n".join(out)


def _fmt(value: float | None, unit: str) -> str:
    if value is None or value != value:
        return "n/a"
    if unit == "s" and 0 < abs(value) < 0.1:
        value, unit = value * 1000, "ms"
    text = f"{value:,.0f}" if abs(value) >= 100 else (f"{value:.1f}" if abs(value) >= 10 else f"{value:.3g}")
    return f"{text} {unit}".rstrip()


# ------------------------------------------------------------------------------------------- rendering

@dataclass(frozen=True)
class Stale:
    """A block whose text differs from what its generator makes now."""

    path: Path
    line: int
    spec: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: generated block '{self.spec}' is stale"


def _generate(spec: str) -> str:
    name, _, arg = spec.strip().partition(" ")
    if name not in BLOCKS:
        raise DocsError(f"unknown generated block {name!r}; known: {', '.join(sorted(BLOCKS))}")
    return BLOCKS[name](arg.strip())


def render(text: str, *, only: set[str] | None = None, where: str = "text") -> str:
    """``text`` with every generated block (or those named in ``only``) rewritten from its generator."""
    opened = len(OPEN.findall(text))
    matched = MARKER.findall(text)
    if opened != len(matched):
        raise DocsError(f"{where}: a `<!-- BEGIN generated: ... -->` marker has no `<!-- END generated -->` after it")

    def sub(m: re.Match[str]) -> str:
        spec = m.group("spec")
        if only is not None and spec.split(" ", 1)[0] not in only:
            return m.group(0)
        try:
            made = _generate(spec)
        except DocsError as exc:
            raise DocsError(f"{where}: {exc}") from None
        body = m.group("body")
        if "\n" in body or "\n" in made:  # a block: content on its own lines
            new = f"\n{made.rstrip(chr(10))}\n"
        else:  # an inline figure
            new = made
        return f"{m.group('begin')}{new}{m.group('end')}"

    return MARKER.sub(sub, text)


def render_readme(text: str, onto: Ontology | None = None) -> str:
    """``text`` (README.md) with the generated ontology block replaced by the current tables."""
    if not re.search(r"<!-- BEGIN generated: ontology\b", text):
        raise ValueError(f"README.md has no generated block; add the two lines {BEGIN!r} and {END!r} where the tables go")
    return render(text, only={"ontology"}, where="README.md")


def doc_files(root: Path | None = None) -> list[Path]:
    """The Markdown files that may hold generated blocks: README.md, docs/**/*.md, data/README.md, benchmarks/README.md."""
    root = root or repo_root()
    files = [root / "README.md", *sorted((root / "docs").rglob("*.md")), root / "data" / "README.md", root / "benchmarks" / "README.md"]
    return [p for p in files if p.is_file()]


def _stale_blocks(path: Path, old: str, new: str) -> list[Stale]:
    olds, news = list(MARKER.finditer(old)), list(MARKER.finditer(new))
    out = []
    for a, b in zip(olds, news):
        if a.group(0) != b.group(0):
            out.append(Stale(path, old.count("\n", 0, a.start()) + 1, a.group("spec")))
    return out


def generate(files: list[Path] | None = None, *, check: bool = False) -> list[Stale]:
    """Rewrite (or, with ``check``, only compare) every generated block of ``files`` and data/ontology.ttl; return the stale ones."""
    from cnaikg.io import write_text_atomic

    root = repo_root()
    stale: list[Stale] = []
    changed: list[tuple[Path, str]] = []
    for path in files if files is not None else doc_files(root):  # everything is made first: a failing block writes nothing
        old = path.read_text(encoding="utf-8")
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        new = render(old, where=str(shown))
        if new != old:
            stale += _stale_blocks(Path(shown), old, new)
            changed.append((path, new))
    if not check:
        for path, new in changed:
            write_text_atomic(path, new)
    if files is None:
        from cnaikg.graph.rdf.ontology import default_ontology_ttl_path, ontology_turtle, write_ontology_ttl

        ttl = default_ontology_ttl_path()
        if not ttl.is_file() or ttl.read_text(encoding="utf-8") != ontology_turtle():
            stale.append(Stale(Path("data/ontology.ttl"), 1, "ontology turtle (python -m cnaikg.graph.rdf.ontology)"))
            if not check:
                write_ontology_ttl(ttl)
    return stale


def check(files: list[Path] | None = None) -> list[Stale]:
    """The stale generated blocks of ``files`` (default: every doc file), without writing anything."""
    return generate(files, check=True)


def main(argv: list[str] | None = None) -> int:
    """``python -m cnaikg.docs [--check] [FILE.md ...]``."""
    ap = argparse.ArgumentParser(prog="python -m cnaikg.docs", description="regenerate the generated blocks of README.md and docs/")
    ap.add_argument("files", nargs="*", type=Path, help="Markdown files (default: README.md, docs/, data/README.md, benchmarks/README.md)")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 when a block is stale")
    ap.add_argument("--list", action="store_true", help="list the block generators")
    args = ap.parse_args(argv)
    if args.list:
        for name, fn in sorted(BLOCKS.items()):
            print(f"{name:<22} {(fn.__doc__ or '').strip().splitlines()[0]}")
        return 0
    try:
        stale = generate(args.files or None, check=args.check)
    except DocsError as exc:
        print(f"cnaikg.docs: error: {exc}", file=sys.stderr)
        return 2
    for s in stale:
        print(f"{s}{'' if args.check else ' (rewritten)'}", file=sys.stderr)
    if args.check and stale:
        print("run `make docs` (python -m cnaikg.docs) and commit the result", file=sys.stderr)
        return 1
    print(f"{len(stale)} generated block(s) {'stale' if args.check else 'rewritten'}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
