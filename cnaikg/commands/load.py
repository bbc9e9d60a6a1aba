"""Load a real source with a registered loader and write its facts, review rows and load report to --out.

`cnaikg load KIND FILE` asks the registry for the loader called KIND (see
`cnaikg load --list`) and never branches on it. Everything is computed
before anything is written, every fact passes the curated data's value checks
(a failing value is a recorded skip), and the files are written into a staging
folder switched into place at the end: --out holds the old set or the new one. Files written to --out:

  facts.csv        new facts in the curated relationships format (subject, relation, object, ...)
  sources.csv      the sources those facts cite, in the curated sources format
  entities.csv     entities the load created (only with an explicit option such as create_entities)
  known.csv        facts the data already holds, with the new source (corroboration, not duplicates)
  review.csv       candidate facts and near-misses for a person to decide (see `cnaikg accept`)
  unresolved.csv   names that did not resolve, with their best candidates
  load_report.json rows read, loaded and skipped (file, line, field, reason), unresolved names

Examples:
  cnaikg load shareholdings registry.parquet --out out/load --option create_entities
  cnaikg load news article.txt --option url=https://example.org/a --option date=2025-12-05
"""

from __future__ import annotations

import argparse
import inspect
import io
from pathlib import Path
from typing import Any, Sequence

from cnaikg.commands._common import add_data_option, add_format_option

NAME = "load"
HELP = "load a registry export, screening list, holdings file or news article with a registered loader"

FACT_COLUMNS = ("subject", "relation", "object", "since", "until", "properties", "sources", "confidence", "note")
UNRESOLVED_COLUMNS = ("name", "role", "status", "rows", "first_line", "candidates")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", nargs="?", help="loader name (see --list)")
    p.add_argument("file", nargs="?", help="the file to load")
    p.add_argument("--out", metavar="DIR", default=None, help="folder for the output files (default: out/load-KIND)")
    p.add_argument("--option", "-o", metavar="KEY[=VALUE]", action="append", default=[],
                   help="a loader option (repeatable); a KEY alone sets a flag. `cnaikg load --list` shows each loader's options")
    p.add_argument("--list", action="store_true", help="list the registered loaders and their options, then exit")
    add_data_option(p)
    add_format_option(p)


def parse_options(pairs: Sequence[str], declared: dict[str, str], kind: str) -> dict[str, Any]:
    """Turn ``KEY=VALUE`` / ``KEY`` strings into loader keyword options, checked against what the loader declares.

    >>> parse_options(["create_entities", "relation=INVESTS_IN"], {"create_entities?": "", "relation": ""}, "shareholdings")
    {'create_entities': True, 'relation': 'INVESTS_IN'}
    """
    from cnaikg.errors import LoaderError

    flags = {k[:-1] for k in declared if k.endswith("?")}
    values = {k for k in declared if not k.endswith("?")}
    out: dict[str, Any] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        key = key.strip().replace("-", "_")
        if key in flags and not eq:
            out[key] = True
        elif key in flags:
            out[key] = value.strip().lower() in ("1", "true", "yes", "on")
        elif key in values and eq:
            out[key] = value.strip()
        else:
            known = ", ".join(sorted([f"{k}" for k in flags] + [f"{k}=VALUE" for k in values])) or "none"
            raise LoaderError(f"loader {kind!r} has no option {pair!r}; its options: {known}")
    return out


def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _facts_csv(result: Any) -> tuple[bytes, dict[str, Any]]:
    """facts.csv bytes (curated relationships format) and the sources the facts cite."""
    import csv

    from cnaikg.io import spreadsheet_safe
    from cnaikg.loaders.base import FactTable

    facts = result.facts
    if isinstance(facts, FactTable):  # many facts of one shape: write the frame in one go
        import pandas as pd

        f = facts.frame
        props = pd.Series("", index=f.index)
        for k in facts.properties:
            col = f[k]
            txt = col.map(_fmt) if col.dtype == object else col.astype(str).str.replace(r"\.0$", "", regex=True)
            has = col.notna() & (txt != "")
            props = props.where(~has, props.where(props == "", props + "; ") + (k + "=") + txt)
        out = pd.DataFrame({"subject": f["subject"], "relation": f["relation"], "object": f["object"], "since": f["since"],
                            "until": f["until"], "properties": props, "sources": f["source"], "confidence": f["confidence"],
                            "note": f["note"].map(spreadsheet_safe)})
        buf = io.StringIO()
        out.to_csv(buf, index=False, lineterminator="\n")
        return buf.getvalue().encode("utf-8"), dict(facts.sources)
    sources: dict[str, Any] = {}
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FACT_COLUMNS)
    for fact in facts:
        for s in fact.sources:
            sources[s.id] = s
        props = "; ".join(f"{k}={_fmt(v)}" for k, v in fact.properties.items())
        w.writerow([spreadsheet_safe(c) for c in (fact.subject, fact.relation, fact.object, fact.since, fact.until, props,
                                                  "|".join(s.id for s in fact.sources), fact.confidence, fact.note)])
    return buf.getvalue().encode("utf-8"), sources


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    import csv

    from cnaikg.io import spreadsheet_safe

    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([spreadsheet_safe("" if c is None else c) for c in r])
    return buf.getvalue().encode("utf-8")


def output_files(result: Any) -> dict[str, bytes]:
    """Every output file of a load, as {file name: bytes}; nothing is written here.

    >>> from cnaikg.loaders.base import LoadResult, LoadReport
    >>> sorted(output_files(LoadResult(report=LoadReport("toy", "x.csv"))))
    ['entities.csv', 'facts.csv', 'known.csv', 'load_report.json', 'review.csv', 'sources.csv', 'unresolved.csv']
    """
    import json

    from cnaikg.loaders.base import REVIEW_COLUMNS
    from cnaikg.loaders.curated import ENTITY_COLUMNS, SOURCE_COLUMNS

    facts, sources = _facts_csv(result)
    known_bytes, known_sources = _facts_csv(type("Known", (), {"facts": list(getattr(result, "known", []) or [])})())
    sources.update(known_sources)
    ents = [[e.id, e.type, e.name, e.name_zh, "|".join(e.aliases), e.category, e.founded, e.identifiers.get("wikidata", ""),
             e.identifiers.get("uscc", ""), e.identifiers.get("lei", ""), "|".join(s.id for s in e.sources), e.note] for e in result.entities]
    for e in result.entities:
        for s in e.sources:
            sources[s.id] = s
    srcs = [[s.id, s.url, s.publisher, s.published, s.title] for _, s in sorted(sources.items())]
    review = [[r.get(c, "") for c in REVIEW_COLUMNS] for r in result.review]
    unresolved = [[u.get("name"), u.get("role", ""), u.get("status", ""), u.get("rows", ""), u.get("first_line", ""),
                   " | ".join(u.get("candidates", []))] for u in result.report.unresolved]
    report = result.report.to_dict()
    report["facts"] = len(result.facts)
    report["entities_created"] = len(result.entities)
    report["review_rows"] = len(result.review)
    report["already_known"] = len(getattr(result, "known", []) or [])
    return {
        "facts.csv": facts,
        "known.csv": known_bytes,
        "sources.csv": _table(SOURCE_COLUMNS, srcs),
        "entities.csv": _table(ENTITY_COLUMNS, ents),
        "review.csv": _table(REVIEW_COLUMNS, review),
        "unresolved.csv": _table(UNRESOLVED_COLUMNS, unresolved),
        "load_report.json": (json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"),
    }


def load_to(kind: str, file: str | Path, out: str | Path, *, data: str | Path | None = None, kg: Any = None, **options: Any) -> tuple[Any, list[Path]]:
    """Run the loader ``kind`` on ``file`` and write its output files atomically into ``out``; return (result, paths).

    The loader comes from the registry; a loader that does not return a
    LoadResult is refused before anything is written.
    """
    from cnaikg import registry
    from cnaikg.errors import LoaderError
    from cnaikg.io import staged_dir
    from cnaikg.loaders.base import LoadResult

    cls = registry.get("loader", kind)
    loader: Any = cls() if inspect.isclass(cls) else cls
    if kg is None:
        from cnaikg.graph.kg import KnowledgeGraph

        kg = KnowledgeGraph.from_dataset(data)
    try:
        result = loader.load(file, kg=kg, **options)
    except TypeError as exc:  # a loader without the LoadResult contract (e.g. curated)
        raise LoaderError(f"loader {kind!r} cannot be used by `cnaikg load` ({exc}); see `cnaikg load --list`") from None
    if not isinstance(result, LoadResult):
        raise LoaderError(f"loader {kind!r} does not return a LoadResult; `cnaikg load` works with the loaders of cnaikg.loaders.base (see --list)")
    from cnaikg.loaders.base import check_result

    result = check_result(result, kg)  # the same value checks as the curated data, for every loader
    files = output_files(result)  # everything computed first: a failure here writes nothing
    out = Path(out)
    with staged_dir(out) as stage:  # the files are written as a set: all of them or (on failure) the previous set
        for name, data_ in files.items():
            (stage / name).write_bytes(data_)
    return result, [out / name for name in files]


def run(args: argparse.Namespace) -> int:
    import sys

    from cnaikg import registry
    from cnaikg.errors import LoaderError
    from cnaikg.loaders.base import Loader
    from cnaikg.output import emit

    if args.list or not args.kind:
        rows = []
        for name in registry.names("loader"):
            obj: Any = registry.get("loader", name)
            if inspect.isclass(obj) and issubclass(obj, Loader):
                declared: dict[str, str] = getattr(obj, "options", {})
                opts = ", ".join(k.rstrip("?") + ("" if k.endswith("?") else "=VALUE") for k in declared)
                rows.append({"kind": name, "reads": " ".join(getattr(obj, "suffixes", ())), "options": opts,
                             "description": getattr(obj, "description", "")})
        emit(rows, args.format, columns=["kind", "reads", "options", "description"])
        return 0 if args.list else 2
    if not args.file:
        raise LoaderError(f"give the file to load: cnaikg load {args.kind} FILE")
    cls = registry.get("loader", args.kind)
    options = parse_options(args.option, getattr(cls, "options", {}), args.kind)
    out = Path(args.out or f"out/load-{args.kind}")
    result, paths = load_to(args.kind, args.file, out, data=args.data, **options)
    r = result.report
    print(f"{args.kind}: {r.rows_read} rows read, {r.rows_loaded} loaded, {len(r.skipped)} skipped, "
          f"{len(r.unresolved)} names unresolved, {len(result.review)} rows for review -> {out}", file=sys.stderr)
    emit([{"file": str(p), "rows": _rows(p)} for p in paths], args.format)
    return 0


def _rows(path: Path) -> int | str:
    if path.suffix == ".csv":
        with path.open("rb") as fh:
            return max(sum(1 for _ in fh) - 1, 0)
    return ""
