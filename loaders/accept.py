"""The accept step: review rows an analyst marked ``decision=accept`` become curated facts, or nothing is written.

A review file (``review.csv``, written by ``cnaikg load``; columns
:data:`cnaikg.loaders.base.REVIEW_COLUMNS`) holds candidate facts. An analyst
fills the ``decision`` column with ``accept`` or ``reject`` (empty = undecided)
and may correct any cell (``properties``, ``since``, ``confidence``...) first.
:func:`accept_review` then

1. reads the accepted rows and refuses conflicts (``kind=conflict``) unless
   ``force=True``, naming each row;
2. appends them to ``DIR/relationships/news.csv`` and their articles to
   ``DIR/sources/news.csv`` in the curated format (files created with headers
   when absent; a fact already in the curated data is not appended twice);
3. re-validates the whole folder with :func:`cnaikg.loaders.curated.read_dataset`
   on a temporary copy, and only when it is valid renames the two new files into
   place. When validation fails nothing is written and every error is reported.

Source ids are stable hashes of the article URL and date (``news-…``), so
accepting more rows of the same article later reuses its source row.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cnaikg.errors import DataError, LoaderError, Problem
from cnaikg.graph.model import stable_id
from cnaikg.io import spreadsheet_safe, write_bytes_atomic
from cnaikg.loaders.base import read_table

__all__ = ["accept_review", "AcceptResult", "ACCEPT_VALUES", "REJECT_VALUES", "RELATIONSHIPS_FILE", "SOURCES_FILE"]

ACCEPT_VALUES = frozenset({"accept", "accepted", "yes", "y"})
REJECT_VALUES = frozenset({"", "reject", "rejected", "no", "n", "skip"})
RELATIONSHIPS_FILE = Path("relationships") / "news.csv"
SOURCES_FILE = Path("sources") / "news.csv"
NOTE_LIMIT = 400


@dataclass
class AcceptResult:
    """What an accept did: rows appended (as curated rows), rows already present, sources added, files written."""

    appended: list[dict[str, str]] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    rejected: int = 0
    undecided: int = 0
    corroborated: list[str] = field(default_factory=list)


def _unsafe(cell: str) -> str:
    """Undo spreadsheet_safe's leading quote (it is added again on writing)."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") else cell


def _csv_bytes(header: tuple[str, ...], rows: list[list[str]], existing: bytes | None) -> bytes:
    """``existing`` (or a header line) with ``rows`` appended, in the curated CSV dialect."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    if existing is None or not existing.strip():
        w.writerow(header)
        prefix = b""
    else:
        prefix = existing if existing.endswith(b"\n") else existing + b"\n"
    for r in rows:
        w.writerow([spreadsheet_safe(c) for c in r])
    return prefix + buf.getvalue().encode("utf-8")


def _real(file: str, copy: Path, root: Path) -> str:
    """The name a problem in the temporary copy has in the real data folder (as read_dataset would show it)."""
    import os

    try:
        rel = Path(file).resolve().relative_to(copy.resolve())
    except ValueError:
        return file
    real = root / rel
    shown = os.path.relpath(real)
    return str(real) if shown.startswith("..") else shown


def _existing_source_ids(data: Path) -> set[str]:
    ids: set[str] = set()
    for p in [data / "sources.csv", *sorted((data / "sources").glob("*.csv"))]:
        if p.is_file():
            with p.open(encoding="utf-8-sig", newline="") as fh:
                ids.update((r.get("id") or "").strip() for r in csv.DictReader(fh))
    return ids


def corroboration_edits(root: Path, items: list[tuple[str, str]]) -> dict[Path, bytes]:
    """New bytes of the curated relationship files after adding source ids to existing rows: ``items`` = [(origin, source id)].

    ``origin`` is a fact's ``file:line`` (as read_dataset gives it). Only the ``sources`` cell of that row changes
    (``a|b`` -> ``a|b|news-...``); a source id already cited is not added twice. A row written over several physical
    lines, or an origin outside ``root``, is refused with a LoaderError (nothing is written).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> f = d / "rel.csv"
    >>> _ = f.write_text("subject,relation,object,since,until,properties,sources,confidence,note\\na,SUPPLIES,b,,,,src-1,high,\\n", encoding="utf-8")
    >>> corroboration_edits(d, [(f"{f}:2", "news-x")])[f].decode().splitlines()[1]
    'a,SUPPLIES,b,,,,src-1|news-x,high,'
    """
    by_file: dict[Path, list[tuple[int, str]]] = {}
    for origin, src in items:
        file, _, num = origin.rpartition(":")
        path = Path(file) if Path(file).is_absolute() else Path.cwd() / file
        try:
            path.resolve().relative_to(root.resolve())
        except ValueError:
            raise LoaderError(f"{origin}: the fact to corroborate is not in the data folder {root}; run cnaikg accept with --data pointing at it") from None
        by_file.setdefault(path, []).append((int(num), src))
    out: dict[Path, bytes] = {}
    for path, edits in by_file.items():
        lines = path.read_bytes().decode("utf-8").split("\n")
        header = next(csv.reader([lines[0].lstrip("\ufeff")]))
        col = header.index("sources") if "sources" in header else -1
        for line, src in edits:
            cells = next(csv.reader([lines[line - 1]]), [])
            if col < 0 or len(cells) != len(header):
                raise LoaderError(f"{path}:{line}: cannot add a source to this row (no sources column, or a row over several lines); "
                                  f"add {src} to its sources cell by hand")
            ids = [x for x in cells[col].split("|") if x]
            if src not in ids:
                cells[col] = "|".join([*ids, src])
            buf = io.StringIO(newline="")
            csv.writer(buf, lineterminator="").writerow(cells)
            lines[line - 1] = buf.getvalue()
        out[path] = "\n".join(lines).encode("utf-8")
    return out


def accept_review(review: str | Path, data: str | Path | None = None, *, force: bool = False,
                  today: _dt.date | None = None) -> AcceptResult:
    """Append the accepted rows of ``review`` to the curated data in ``data``; validate; write all or nothing.

    Raises LoaderError for an unreadable review file, a bad ``decision`` cell or
    an accepted conflict without ``force``; DataError (every problem, with the
    real file names) when the data folder would not validate.

    >>> import tempfile, pathlib, shutil
    >>> from cnaikg.paths import data_dir
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = shutil.copy(data_dir() / "ontology.toml", d)
    >>> _ = (d / "entities.csv").write_text("id,type,name,name_zh,aliases,category,founded,wikidata,uscc,lei,sources,note\\n"
    ...                                     "deepseek,company,DeepSeek,,,,,,,,,\\nhangzhou,place,Hangzhou,,,,,,,,,\\n", encoding="utf-8")
    >>> _ = (d / "sources.csv").write_text("id,url,publisher,published,title\\n", encoding="utf-8")
    >>> _ = (d / "relationships.csv").write_text("subject,relation,object,since,until,properties,sources,confidence,note\\n", encoding="utf-8")
    >>> r = d / "review.csv"
    >>> _ = r.write_text("decision,kind,subject,relation,object,properties,confidence,evidence,source_url,source_publisher,source_published\\n"
    ...                  "accept,candidate,deepseek,LOCATED_IN,hangzhou,role=office,low,DeepSeek has an office in Hangzhou.,"
    ...                  "https://example.org/a,Example,2025-01-20\\n", encoding="utf-8")
    >>> res = accept_review(r, d)
    >>> [a["subject"] + " " + a["relation"] + " " + a["object"] for a in res.appended], [p.name for p in res.written]
    (['deepseek LOCATED_IN hangzhou'], ['news.csv', 'news.csv'])
    """
    from cnaikg.loaders.curated import RELATIONSHIP_COLUMNS, SOURCE_COLUMNS, read_dataset
    from cnaikg.paths import data_dir

    root = Path(data) if data else data_dir()
    if not (root / "ontology.toml").is_file():
        raise LoaderError(f"{root}: not a data folder (no ontology.toml); pass --data DIR pointing at the curated data")
    shown = str(review)
    optional = ("kind", "since", "until", "properties", "confidence", "conflict", "curated", "evidence", "method", "score",
                "source_url", "source_publisher", "source_published", "source_title", "subject_name", "object_name", "accept")
    df = read_table(review, required=("subject", "relation", "object"), optional=("decision", *optional), what="review file")
    if "decision" not in df.columns or (df["decision"] == "").all() and (df["accept"] != "").any():
        df["decision"] = df["accept"]  # review files written before the column was renamed
    result = AcceptResult()
    problems: list[str] = []
    accepted = []
    for r in df.to_dict("records"):
        line = int(r["_line"])
        decision = str(r["decision"]).strip().casefold()
        if decision in REJECT_VALUES:
            if decision:
                result.rejected += 1
            else:
                result.undecided += 1
            continue
        if decision not in ACCEPT_VALUES:
            problems.append(f"{shown}:{line}: decision: {r['decision'][:30]!r} is not a decision; write accept, reject or leave it empty")
            continue
        r = {k: _unsafe(str(v)).strip() for k, v in r.items() if k != "_line"}
        if r.get("kind") == "conflict" and not force:
            problems.append(f"{shown}:{line}: conflict: {r['subject']} {r['relation']} {r['object']} contradicts the curated data "
                            f"({r.get('conflict') or 'see the curated column'}); correct the curated data, or pass --force to accept it anyway")
            continue
        if not (r.get("source_url") or r.get("source_publisher")) or not r.get("source_published"):
            problems.append(f"{shown}:{line}: source_url: the row names no source with a date; fill source_url and source_published")
            continue
        accepted.append((line, r))
    if problems:
        raise LoaderError(f"nothing accepted, {len(problems)} row(s) to fix:\n" + "\n".join(problems))
    if not accepted:
        return result

    before = read_dataset(root, today=today)
    seen_keys = {(f.subject, f.relation, f.object) + tuple(sorted((k, str(v)) for k, v in f.properties.items())): f.origin for f in before.facts}
    by_ends: dict[tuple[str, str, str], list[Any]] = {}
    for f in before.facts:
        by_ends.setdefault((f.subject, f.relation, f.object), []).append(f)
    known_sources = _existing_source_ids(root)
    new_sources: dict[str, list[str]] = {}
    new_rows: list[list[str]] = []
    corroborate: list[tuple[str, str]] = []
    for line, r in accepted:
        src_id = stable_id(r.get("source_url", ""), r.get("source_published", ""), r.get("source_publisher", ""), prefix="news-")
        props = "; ".join(p.strip() for p in r.get("properties", "").split(";") if p.strip())
        key = (r["subject"], r["relation"], r["object"]) + tuple(sorted(tuple(x.strip() for x in p.split("=", 1)) for p in props.split(";") if "=" in p))
        sym = before.ontology.relation_types.get(r["relation"])
        if sym is not None and sym.symmetric and r["object"] < r["subject"]:
            key = (r["object"], r["relation"], r["subject"]) + key[3:]
        same = [f for f in by_ends.get(key[:3], []) if all(str(f.properties.get(k, "")) == v for k, v in key[3:])]
        if key in seen_keys or same:
            where = seen_keys.get(key) or same[0].origin
            if same and r.get("kind") == "known" and (r.get("source_url") or "").strip():  # corroboration: cite the article on that row
                corroborate.append((same[0].origin, src_id))
                if src_id not in known_sources and src_id not in new_sources:
                    new_sources[src_id] = [src_id, r.get("source_url", ""), r.get("source_publisher", ""), r.get("source_published", ""), r.get("source_title", "")]
                result.corroborated.append(f"{shown}:{line}: {r['subject']} {r['relation']} {r['object']} ({where}) now also cites {src_id}")
                continue
            result.already_present.append(f"{shown}:{line}: {r['subject']} {r['relation']} {r['object']} is already in the curated data ({where}); "
                                          "not appended (to cite this article too, add its source to that row)")
            continue
        seen_keys[key] = f"{shown}:{line}"
        if src_id not in known_sources and src_id not in new_sources:
            new_sources[src_id] = [src_id, r.get("source_url", ""), r.get("source_publisher", ""), r.get("source_published", ""), r.get("source_title", "")]
        evidence = " ".join(r.get("evidence", "").split())
        note = f"from news: \"{evidence[:NOTE_LIMIT]}\"" if evidence else "from news"
        if r.get("kind") == "conflict":
            note += f"; accepted with --force over a conflict: {r.get('conflict', '')}"
        row = [r["subject"], r["relation"], r["object"], r.get("since", ""), r.get("until", ""), props, src_id,
               r.get("confidence", "") or "low", note]
        new_rows.append(row)
        result.appended.append(dict(zip(RELATIONSHIP_COLUMNS, row)))
    result.sources_added = list(new_sources)
    if not new_rows and not corroborate:
        return result

    rel_path, src_path = root / RELATIONSHIPS_FILE, root / SOURCES_FILE
    edits = {p.resolve(): b for p, b in corroboration_edits(root, corroborate).items()}
    # a corroborated fact may sit in relationships/news.csv itself: append the new rows to the edited bytes
    existing_rel = edits.pop(rel_path.resolve(), None) if rel_path.resolve() in edits else (rel_path.read_bytes() if rel_path.is_file() else None)
    rel_bytes = _csv_bytes(RELATIONSHIP_COLUMNS, new_rows, existing_rel) if new_rows or existing_rel is None else existing_rel
    src_bytes = _csv_bytes(SOURCE_COLUMNS, list(new_sources.values()), src_path.read_bytes() if src_path.is_file() else None) \
        if new_sources or not src_path.is_file() else src_path.read_bytes()

    # validate the whole folder as it would be, on a temporary copy; write nothing unless it is valid
    with tempfile.TemporaryDirectory(prefix="cnaikg-accept-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        (copy / RELATIONSHIPS_FILE).parent.mkdir(parents=True, exist_ok=True)
        (copy / SOURCES_FILE).parent.mkdir(parents=True, exist_ok=True)
        (copy / RELATIONSHIPS_FILE).write_bytes(rel_bytes)
        (copy / SOURCES_FILE).write_bytes(src_bytes)
        for path, data_ in edits.items():
            (copy / path.relative_to(root.resolve())).write_bytes(data_)
        after = read_dataset(copy, today=today)
        old = {str(p) for p in before.errors}
        errors = [Problem(_real(p.file, copy, root), p.line, p.field, p.message, p.fix, p.severity) for p in after.errors]
        if errors:
            fresh = [p for p in errors if str(p) not in old]
            head = [Problem(shown, 0, "", f"nothing written: with the accepted rows {root} would not validate"
                            + ("" if fresh else " (the errors were there before the accept: run `cnaikg validate --data DIR` and fix them first)"),
                            "correct the rows in the review file (or the curated data) and run cnaikg accept again")]
            raise DataError(head + (fresh or errors))
    result.written = [write_bytes_atomic(src_path, src_bytes)]
    if new_rows or rel_path.is_file():
        result.written.append(write_bytes_atomic(rel_path, rel_bytes))
    result.written += [write_bytes_atomic(path, data_) for path, data_ in edits.items()]
    return result
