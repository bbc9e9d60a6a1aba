"""The loader contract: a Loader turns one source into sourced facts, new entities and a load report.

Every loader of a real source (registry shareholdings, screening lists, fund
holdings, news, Wikidata) subclasses :class:`Loader`; the class is checked
when it is *defined* (a name, a description, a ``load`` method with the right
signature), not halfway through a run. ``load`` returns a :class:`LoadResult`;
it never writes files (``cnaikg load`` writes them, atomically) and it raises
a ``LoaderError``/``DataError`` naming file, row and field for unusable input.

>>> from cnaikg.loaders.base import Loader, LoadResult, LoadReport
>>> class Toy(Loader):
...     name = "toy"
...     description = "A loader that loads nothing."
...     def load(self, source, *, kg=None, **options):
...         return LoadResult(report=LoadReport(loader=self.name, file=str(source)))
>>> Toy().load("x.csv").report.rows_read
0
>>> try:
...     class Broken(Loader):
...         name = "Broken Name"
... except TypeError as err:
...     print(err)
loader class Broken: name 'Broken Name' must be kebab-case (e.g. 'shareholdings')
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Mapping, Sequence

from cnaikg.errors import LoaderError, Problem
from cnaikg.graph.model import Entity, Fact, Source

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = ["Loader", "LoadResult", "LoadReport", "FactTable", "REVIEW_COLUMNS", "read_table", "MAX_NAME_LENGTH", "name_problem",
           "check_result", "fact_key", "MAX_COLUMNS", "MAX_CELL_CHARS", "MAX_FILE_BYTES"]

#: Names longer than this are skipped (a pasted document, not a name).
MAX_NAME_LENGTH = 300
#: Bounds of every table a loader reads: columns in the header, characters in one cell, bytes in one file.
MAX_COLUMNS = 512
MAX_CELL_CHARS = 16_000_000
MAX_FILE_BYTES = 2 * 1024**3

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Columns of a review file (``review.csv``): one candidate fact per row, decided by a person with ``cnaikg accept``.
#: ``decision`` is left empty for the analyst (accept / reject); ``conflict`` says what contradicts the curated data and
#: ``curated`` shows the curated facts on the other side.
REVIEW_COLUMNS = (
    "decision", "kind", "subject", "subject_name", "relation", "object", "object_name", "since", "until", "properties",
    "confidence", "method", "score", "conflict", "curated", "evidence", "source_url", "source_publisher", "source_published",
    "source_title",
)


@dataclass
class LoadReport:
    """What a load did: rows read and loaded, rows skipped (with the reason), names that did not resolve.

    ``skipped`` holds a Problem per skipped row (file, line, field, reason) so
    the report names every row it did not load; ``unresolved`` holds one dict
    per name that did not resolve, with its best candidates.
    """

    loader: str
    file: str
    rows_read: int = 0
    rows_loaded: int = 0
    skipped: list[Problem] = field(default_factory=list)
    unresolved: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: Per-line detail behind aggregated facts (e.g. the share classes summed into one holding).
    details: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (stable key order once dumped with sort_keys)."""
        return {
            "loader": self.loader,
            "file": self.file,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_skipped": len(self.skipped),
            "skipped": [{"file": p.file, "line": p.line, "field": p.field, "reason": p.message, "fix": p.fix} for p in self.skipped],
            "unresolved": self.unresolved,
            "counts": dict(sorted(self.counts.items())),
            "notes": list(self.notes),
            "details": list(self.details),
        }


class FactTable(Sequence[Fact]):
    """Many facts of one shape kept as a pandas DataFrame; Fact objects are made only when read one by one.

    Columns: subject, relation, object, since, until, confidence, note,
    origin, source (a source id) and one column per property in ``properties``.
    ``sources`` maps source ids to Source records.
    """

    def __init__(self, frame: Any, properties: Sequence[str], sources: Mapping[str, Source]):
        self.frame = frame.reset_index(drop=True)
        self.properties = tuple(properties)
        self.sources = dict(sources)

    def __len__(self) -> int:
        return len(self.frame)

    def _fact(self, i: int) -> Fact:
        r = self.frame.iloc[i]
        props = {k: (r[k].item() if hasattr(r[k], "item") else r[k]) for k in self.properties if r[k] == r[k] and r[k] != ""}
        return Fact.create(r["subject"], r["relation"], r["object"], since=r["since"], until=r["until"], properties=props,
                           sources=(self.sources[r["source"]],), confidence=r["confidence"], note=r["note"], origin=r["origin"])

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._fact(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._fact(i)


@dataclass
class LoadResult:
    """The outcome of one load: facts, entities it created (only when asked to), the report, rows for review."""

    facts: Sequence[Fact] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    report: LoadReport = field(default_factory=lambda: LoadReport(loader="", file=""))
    review: list[dict[str, Any]] = field(default_factory=list)
    #: Facts the graph already holds (same subject, relation, object, dates and properties): their new source corroborates.
    known: list[Fact] = field(default_factory=list)


class Loader:
    """Base class of every source loader; subclasses are checked when defined.

    A subclass sets ``name`` (kebab-case, the name it is registered under),
    ``description`` (one line) and optionally ``suffixes`` (file endings it
    reads), and implements ``load(self, source, *, kg=None, **options) ->
    LoadResult``. ``kg`` is the graph to resolve names against (default: the
    shipped dataset); every other option is keyword-only.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    suffixes: ClassVar[tuple[str, ...]] = ()
    #: Options the command line exposes for this loader: {option: help}. Flags (booleans) end in "?".
    options: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        where = f"loader class {cls.__name__}"
        if not isinstance(cls.name, str) or not _KEBAB.match(cls.name or ""):
            raise TypeError(f"{where}: name {cls.name!r} must be kebab-case (e.g. 'shareholdings')")
        if not isinstance(cls.description, str) or not cls.description.strip():
            raise TypeError(f"{where}: set description to one line saying what the loader reads")
        load = cls.__dict__.get("load") or getattr(cls, "load", None)
        if load is None or load is Loader.load:
            raise TypeError(f"{where}: implement load(self, source, *, kg=None, **options) -> LoadResult")
        params = list(inspect.signature(load).parameters.values())
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if len(positional) != 2:
            raise TypeError(f"{where}: load must take exactly (self, source) positionally and everything else keyword-only")
        if "kg" not in {p.name for p in params} or not any(p.kind == p.VAR_KEYWORD for p in params):
            raise TypeError(f"{where}: load must accept kg=None and **options (keyword-only)")

    def load(self, source: str | Path, *, kg: "KnowledgeGraph | None" = None, **options: Any) -> LoadResult:  # pragma: no cover - abstract
        """Read ``source`` and return a LoadResult; raise LoaderError/DataError for unusable input."""
        raise NotImplementedError


# --------------------------------------------------------------------------- helpers shared by table loaders


def name_problem(name: str) -> str:
    """Why ``name`` cannot be a name ('' when it can): empty, HTML, a spreadsheet formula, or far too long.

    >>> name_problem("SMIC"), name_problem('=HYPERLINK(1)'), name_problem("<b>SMIC</b>")
    ('', 'looks like a spreadsheet formula', 'contains HTML markup')
    """
    if not name.strip():
        return "empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"{len(name)} characters long (more than {MAX_NAME_LENGTH}): not a name"
    if name.lstrip()[:1] in ("=", "+", "@") or name.startswith(("-", "\t", "\r")) and not name[1:2].isalnum():
        return "looks like a spreadsheet formula"
    if _HTML.search(name):
        return "contains HTML markup"
    return ""


_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|&(?:lt|gt|amp|nbsp|#\d+);")


def read_table(path: str | Path, *, required: Sequence[str], optional: Sequence[str] = (), what: str = "table",
               rename: Mapping[str, str] | None = None) -> Any:
    r"""Read a CSV (UTF-8, BOM allowed) or Parquet file into a DataFrame of strings with the required columns.

    Raises LoaderError naming the file (and line) for a missing or empty file,
    bad encoding, unreadable CSV or missing columns. The DataFrame gets a
    ``_line`` column: the line of each row in the file (header = line 1).
    Missing trailing cells of a truncated row become empty strings.
    ``rename`` maps other spellings of a header (compared case-insensitively)
    to the loader's column names, e.g. {"% of net assets": "weight"}.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_bytes("\ufeffa,b\n1,2\n3\n".encode())
    >>> read_table(p, required=["a", "b"]).to_dict("list")
    {'a': ['1', '3'], 'b': ['2', ''], '_line': [2, 3]}
    """
    import pandas as pd

    path = Path(path)
    shown = str(path)
    if path.is_dir():
        raise LoaderError(f"{shown}: is a folder, not a file; give the path of the {what}")
    if not path.is_file():
        raise LoaderError(f"{shown}: no such file; check the path")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise LoaderError(f"{shown}: {size} bytes, more than the limit of {MAX_FILE_BYTES} bytes for one {what}; split the file")
    if path.suffix.lower() in (".parquet", ".pq"):
        try:
            df = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises many types
            raise LoaderError(f"{shown}: not a readable Parquet file ({type(exc).__name__}: {str(exc)[:200]}); export it again") from None
        df = df.astype(str).replace({"None": "", "nan": "", "NaT": ""})
        df.columns = [str(c).strip() for c in df.columns]
    else:
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            raise LoaderError(f"{shown}: the file is empty; it needs a header line with {', '.join(required)}")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise LoaderError(f"{shown}:{line}: not valid UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start}); "
                              "save the file as UTF-8 (for GBK exports: iconv -f GBK -t UTF-8)") from None
        import csv as _csv
        import io

        first = raw.split(b"\n", 1)[0][: MAX_COLUMNS * 1024].decode("utf-8", "replace")
        if first.count(",") >= MAX_COLUMNS:
            raise LoaderError(f"{shown}:1: the header has {first.count(',') + 1}+ columns, more than the limit of {MAX_COLUMNS}; "
                              f"this is not a {what} (check the delimiter and the first line)")
        try:
            header = next(_csv.reader([first.rstrip("\r")]))
        except (_csv.Error, StopIteration):
            header = []
        names = [h.strip() for h in header]
        dup = sorted({h for h in names if h and names.count(h) > 1})
        if dup:
            raise LoaderError(f"{shown}:1: column(s) {', '.join(dup)} appear twice in the header; keep one column of each name")
        try:
            df = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, na_filter=False, skip_blank_lines=False, encoding="utf-8")
        except pd.errors.ParserError as exc:
            msg = str(exc).replace("Error tokenizing data. C error: ", "")
            m = re.search(r"line (\d+)", msg)
            where = f"{shown}:{m.group(1)}" if m else shown
            raise LoaderError(f"{where}: malformed CSV ({msg.strip()}); quote cells that contain commas") from None
        except pd.errors.EmptyDataError:
            raise LoaderError(f"{shown}: the file is empty; it needs a header line with {', '.join(required)}") from None
        df.columns = [str(c).strip() for c in df.columns]
        df = df.fillna("")
        df["_line"] = range(2, len(df) + 2)  # real line numbers: blank lines are counted, then dropped
        if len(df.columns) > 1:
            blank = (df.drop(columns="_line") == "").all(axis=1)
            df = df[~blank]
    if len(df.columns) > MAX_COLUMNS + 1:
        raise LoaderError(f"{shown}: {len(df.columns)} columns, more than the limit of {MAX_COLUMNS}; this is not a {what}")
    for c in df.columns:
        if c != "_line" and len(df) and int(df[c].astype(str).str.len().max()) > MAX_CELL_CHARS:
            line = int(df.loc[df[c].astype(str).str.len() > MAX_CELL_CHARS, "_line"].iloc[0]) if "_line" in df.columns else 0
            raise LoaderError(f"{shown}:{line}: a cell of column {c} is longer than the limit of {MAX_CELL_CHARS} characters; "
                              "a quote is probably not closed")
    if rename:
        low = {k.casefold(): v for k, v in rename.items()}
        df.columns = [c if c in required or c in optional else low.get(c.casefold(), c) for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    if missing:
        found = ", ".join(map(str, df.columns)) or "none"
        raise LoaderError(f"{shown}:1: missing column(s) {', '.join(missing)} in this {what} (found: {found}); "
                          f"the header must name {', '.join(required)}" + (f" and may name {', '.join(optional)}" if optional else ""))
    lines = df["_line"] if "_line" in df.columns else range(2, len(df) + 2)
    keep = [c for c in df.columns if c in required or c in optional]
    df = df[keep].copy()
    for c in optional:
        if c not in df.columns:
            df[c] = ""
    df["_line"] = list(lines)
    return df.reset_index(drop=True)


# --------------------------------------------------------------------------- one gate for every loader's output


def fact_key(f: Fact) -> tuple[Any, ...]:
    """The identity of a fact as the curated data sees it (a second row with this key is a duplicate).

    >>> fact_key(Fact.create("a", "OWNS", "b", since="2024", properties={"stake_pct": 600000000.0}))
    ('a', 'OWNS', 'b', '2024', '', (('stake_pct', '600000000'),))
    """
    return (f.subject, f.relation, f.object, f.since or "", f.until or "", tuple(sorted((k, _norm_value(v)) for k, v in f.properties.items())))


def _norm_value(v: Any) -> str:
    """One spelling per value: 600000000.0 and 600000000 are the same number."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(float(v))
    if isinstance(v, (list, tuple)):
        return "|".join(map(str, v))
    text = str(v).strip()
    try:
        from cnaikg.graph.values import parse_number

        n = parse_number(text, percent=False)
        return str(int(n)) if n.is_integer() else repr(n)
    except ValueError:
        return text


def _origin_line(origin: str) -> tuple[str, int]:
    file, _, line = (origin or "").rpartition(":")
    return (file, int(line)) if line.isdigit() else (origin or "", 0)


def check_result(result: LoadResult, kg: "KnowledgeGraph", *, today: Any = None) -> LoadResult:
    """Pass every fact of a load through the same checks as the curated data; return the result that may be written.

    A fact that fails (bad date, stake outside 0..100, unknown property, relation
    not allowed between the two types, undated sources...) becomes a recorded
    skip (file, line, field, reason). Weights of one fund on one date summing
    above 100% (plus rounding) skip that whole snapshot. A fact the graph already
    holds is moved to ``known`` (its source corroborates) instead of being written
    as a duplicate that would break validation.
    """
    import datetime as _dt

    from cnaikg.graph.values import WEIGHT_TOLERANCE, fact_problems

    day = today or _dt.date.today()
    ents = {e.id: e for e in kg.entities()}
    onto = kg.ontology
    known_keys = {fact_key(f) for f in kg.facts()}
    report = result.report
    facts = result.facts
    if isinstance(facts, FactTable):
        facts = _check_table(facts, kg, ents, day, report, known_keys, result)
        result.facts = facts
        return result
    keep: list[Fact] = []
    for f in facts:
        probs = fact_problems(f, onto, ents, day)
        if probs:
            file, line = _origin_line(f.origin)
            for fld, why in probs[:3]:
                report.skipped.append(Problem(file or report.file, line, fld, why, "the row was not loaded", "warning"))
            report.counts["skipped_invalid_value"] = report.counts.get("skipped_invalid_value", 0) + 1
            continue
        k = fact_key(f)
        rel = onto.relation_types.get(f.relation)
        if k in known_keys or (rel is not None and rel.symmetric and (k[2], k[1], k[0], *k[3:]) in known_keys):
            result.known.append(f)
            continue
        keep.append(f)
    # weights of one fund on one date
    sums: dict[tuple[str, str], float] = {}
    for f in keep:
        if f.relation == "HOLDS" and "weight_pct" in f.properties:
            k = (f.subject, str(f.properties.get("as_of") or f.since))
            sums[k] = sums.get(k, 0.0) + float(f.properties["weight_pct"])
    over = {k: v for k, v in sums.items() if v > 100 + WEIGHT_TOLERANCE}
    if over:
        kept = []
        for f in keep:
            k = (f.subject, str(f.properties.get("as_of") or f.since))
            if f.relation == "HOLDS" and k in over:
                file, line = _origin_line(f.origin)
                report.skipped.append(Problem(file or report.file, line, "weight",
                                              f"weights of {k[0]} on {k[1]} sum to {over[k]:.4g}% (more than 100%): the file is not one fund's snapshot",
                                              "load one fund and one date per file, with weights in percent", "warning"))
                report.counts["skipped_weights_over_100"] = report.counts.get("skipped_weights_over_100", 0) + 1
            else:
                kept.append(f)
        keep = kept
    keep = _refuse_overfull(keep, report)
    if result.known:
        report.counts["already_known"] = len(result.known)
        report.notes.append(f"{len(result.known)} fact(s) are already in the data: written to known.csv as corroboration, not as new facts")
    result.facts = keep
    report.rows_loaded = min(report.rows_loaded, len(keep)) if report.rows_loaded else report.rows_loaded
    return result


def _refuse_overfull(facts: list[Fact], report: LoadReport) -> list[Fact]:
    """Stakes of one load in one company on one date that sum above 100% (plus rounding): the snapshot is refused."""
    from cnaikg.graph.values import STAKE_TOLERANCE

    sums: dict[tuple[str, str], float] = {}
    for f in facts:
        if f.relation == "OWNS" and isinstance(f.properties.get("stake_pct"), (int, float)):
            k = (f.object, f.since)
            sums[k] = sums.get(k, 0.0) + float(f.properties["stake_pct"])
    over = {k: v for k, v in sums.items() if v > 100 + STAKE_TOLERANCE}
    if not over:
        return facts
    out = []
    for f in facts:
        k = (f.object, f.since)
        if f.relation == "OWNS" and k in over:
            file, line = _origin_line(f.origin)
            report.skipped.append(Problem(file or report.file, line, "stake_pct", f"stakes in {k[0]} on {k[1] or 'an undated row'} sum to "
                                          f"{over[k]:.4g}% (more than 100%)", "check the holders' stakes of that date", "warning"))
            report.counts["skipped_stakes_over_100"] = report.counts.get("skipped_stakes_over_100", 0) + 1
        else:
            out.append(f)
    return out


def _check_table(table: FactTable, kg: "KnowledgeGraph", ents: Mapping[str, Any], day: Any, report: LoadReport,
                 known_keys: set[tuple[Any, ...]], result: LoadResult) -> FactTable:
    """The gate for many facts of one shape: each distinct value is checked once."""
    import numpy as np
    import pandas as pd

    from cnaikg.graph.values import date_problem

    fr = table.frame
    onto = kg.ontology
    reason = pd.Series("", index=fr.index)
    field_ = pd.Series("", index=fr.index)

    def mark(mask: Any, fld: str, why: Any) -> None:
        take = mask & (reason == "")
        reason[take] = why[take] if isinstance(why, pd.Series) else why
        field_[take] = fld

    for col in ("since", "until"):
        vals = fr[col].fillna("").astype(str)
        table_ = {v: (date_problem(v, day) if v else "") for v in vals.unique()}
        mapped = vals.map(table_)
        mark(mapped != "", col, mapped)
    pairs = fr[["subject", "relation", "object"]].drop_duplicates()
    bad_pairs = {}
    for s_, r_, o_ in pairs.itertuples(index=False):
        rel = onto.relation_types.get(r_)
        se, oe = ents.get(s_), ents.get(o_)
        if rel is None:
            bad_pairs[(s_, r_, o_)] = f"unknown relationship type {r_!r}"
        elif se is None or oe is None:
            bad_pairs[(s_, r_, o_)] = f"unknown entity id {s_ if se is None else o_!r}"
        elif not rel.allows(se.type, oe.type):
            bad_pairs[(s_, r_, o_)] = f"{r_} cannot go from {se.type} to {oe.type}"
    if bad_pairs:
        keys = list(zip(fr["subject"], fr["relation"], fr["object"]))
        why = pd.Series([bad_pairs.get(k, "") for k in keys], index=fr.index)
        mark(why != "", "relation", why)
    for prop in table.properties:
        vals = fr[prop]
        rels = fr["relation"]
        for r_ in rels.unique():
            spec = onto.relation_types[r_].properties.get(prop) if r_ in onto.relation_types else None
            sub = vals[rels == r_]
            if spec is None:
                mark((rels == r_) & sub.notna() & (sub.astype(str) != ""), "properties", f"{prop!r} is not a property of {r_}")
                continue
            cache: dict[Any, str] = {}
            for v in sub.unique():
                if v is None or v != v or v == "":
                    cache[v] = ""
                    continue
                try:
                    spec.coerce(_norm_value(v))
                    cache[v] = ""
                except ValueError as exc:
                    cache[v] = f"{prop}: {exc}"
            why = sub.map(cache).reindex(fr.index).fillna("")
            mark(why != "", "properties", why)
    bad = reason != ""
    if bad.any():
        for o, fld, why in zip(fr.loc[bad, "origin"].head(1000), field_[bad].head(1000), reason[bad].head(1000)):
            file, line = _origin_line(o)
            report.skipped.append(Problem(file or report.file, line, fld, why, "the row was not loaded", "warning"))
        report.counts["skipped_invalid_value"] = int(bad.sum())
    owns = (fr["relation"] == "OWNS") & ~bad if "stake_pct" in fr.columns else None
    if owns is not None and owns.any():
        stake = pd.to_numeric(fr["stake_pct"], errors="coerce").where(owns, 0.0).fillna(0.0)
        total = stake.groupby([fr["object"], fr["since"]]).transform("sum")
        over = owns & (total > 100 + 0.5)
        if over.any():
            for o, obj, since, t in zip(fr.loc[over, "origin"].head(1000), fr.loc[over, "object"], fr.loc[over, "since"], total[over]):
                file, line = _origin_line(o)
                report.skipped.append(Problem(file or report.file, line, "stake_pct", f"stakes in {obj} on {since} sum to {t:.4g}% (more than 100%)",
                                              "check the holders' stakes of that date", "warning"))
            report.counts["skipped_stakes_over_100"] = int(over.sum())
            bad = bad | over
    keep = fr.loc[~bad]
    if known_keys and len(keep):
        props = list(table.properties)
        fact_keys = [(s_, r_, o_, si or "", un or "", tuple(sorted((p, _norm_value(v)) for p, v in zip(props, vals) if v == v and v != "")))
                for s_, r_, o_, si, un, *vals in keep[["subject", "relation", "object", "since", "until", *props]].itertuples(index=False)]
        is_known = np.array([k in known_keys for k in fact_keys], dtype=bool)
        if is_known.any():
            known_table = FactTable(keep.loc[is_known], props, table.sources)
            result.known.extend(known_table[i] for i in range(len(known_table)))
            report.counts["already_known"] = int(is_known.sum())
            report.notes.append(f"{int(is_known.sum())} fact(s) are already in the data: written to known.csv as corroboration, not as new facts")
            keep = keep.loc[~is_known]
    if len(keep) != len(fr):
        report.rows_loaded = len(keep)
    return FactTable(keep, table.properties, table.sources)
