"""The curated-dataset loader: reads data/ (CSV + ontology), checks every row, reports every problem.

Each file is read in full and every problem is collected with its file, line
and field, so one run of ``cnaikg validate`` lists everything to fix. Nothing
is dropped silently: a row with an error makes the whole load fail.

>>> ds = read_dataset()
>>> ds.errors
[]
>>> len(ds.entities) >= 150 and len(ds.facts) >= 300
True
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import io
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from cnaikg.errors import DataError, LoaderError, Problem
from cnaikg.graph.dates import DATE_HELP, parse_date
from cnaikg.graph.model import CONFIDENCE_LEVELS, Entity, Fact, Source
from cnaikg.graph.ontology import Ontology, load_ontology
from cnaikg.graph.values import non_ascii_digits

__all__ = [
    "Dataset",
    "read_dataset",
    "load_curated",
    "ENTITY_COLUMNS",
    "RELATIONSHIP_COLUMNS",
    "SOURCE_COLUMNS",
    "TICKER_FORMAT_COLUMNS",
    "CuratedLoader",
    "whole_data_problems",
    "safe_pattern_problem",
]

ENTITY_COLUMNS = ("id", "type", "name", "name_zh", "aliases", "category", "founded", "wikidata", "uscc", "lei", "sources", "note")
RELATIONSHIP_COLUMNS = ("subject", "relation", "object", "since", "until", "properties", "sources", "confidence", "note")
SOURCE_COLUMNS = ("id", "url", "publisher", "published", "title")
#: Optional columns of sources files (older files without them stay valid).
SOURCE_OPTIONAL_COLUMNS = ("kind",)
#: What a source is; the optional ``kind`` column of sources takes one of these.
SOURCE_KINDS = ("primary", "news", "reference", "aggregator", "mirror")
TICKER_FORMAT_COLUMNS = ("exchange", "pattern", "example", "note")

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IDENTIFIER_RULES: Mapping[str, tuple[re.Pattern[str], str]] = {
    "wikidata": (re.compile(r"^Q[1-9]\d*$"), "a Wikidata QID such as Q42"),
    "uscc": (re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$"), "an 18-character unified social credit code"),
    "lei": (re.compile(r"^[A-Z0-9]{18}\d{2}$"), "a 20-character LEI"),
}
LIST_SEP = "|"
#: Bounds of a curated table: columns in a header; characters in one cell (the csv module's limit, named in its error).
MAX_COLUMNS = 256
MAX_CELL_CHARS = 131_072
#: Ticker formats are regular expressions read from data: only this safe subset is compiled (no groups with
#: quantifiers inside quantified groups, no backreferences or lookarounds), so a pattern cannot hang validation.
SAFE_PATTERN = re.compile(r"^\^?(?:\\[dDwWsS.\-]|\[[^\[\]]{1,40}\]|\((?:[^()*+?{}\\]|\\.){0,60}\)|[A-Za-z0-9.\-_ :|]|\{[0-9]{1,2}(?:,[0-9]{0,2})?\}|[?*+])*\$?$")
MAX_PATTERN_LENGTH = 120


@dataclass
class Dataset:
    """Everything read from a data folder, with the problems found; build a graph from it."""

    ontology: Ontology
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    ticker_formats: dict[str, re.Pattern[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Problems that stop a build."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems worth a look that do not stop a build."""
        return [p for p in self.problems if p.severity != "error"]

    def raise_for_errors(self) -> "Dataset":
        """Raise DataError listing every error; return self when there are none."""
        if self.errors:
            raise DataError(self.errors)
        return self


# --------------------------------------------------------------------------- reading


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # different drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


@dataclass(frozen=True)
class Row:
    """One CSV record with the file and 1-based line where it starts."""

    file: str
    line: int
    values: dict[str, str]

    def problem(self, fld: str, message: str, fix: str = "", severity: str = "error") -> Problem:
        return Problem(self.file, self.line, fld, message, fix, severity)


def read_csv_rows(path: Path, columns: Sequence[str], problems: list[Problem], *, required: Sequence[str] = (),
                  unreadable: set[Path] | None = None) -> Iterator[Row]:
    """Yield the rows of a CSV file with the expected header; append problems for bad structure.

    The header must hold ``columns`` (in any order); an unknown column is an
    error, as is a row with the wrong number of cells. Lines are counted in the
    file as a text editor shows them, the header being line 1. A file that
    cannot be read as a whole is added to ``unreadable``.
    """
    shown = _display(path)
    n_before, n_rows = len(problems), 0
    for row in _rows(path, shown, columns, problems, required):
        n_rows += 1
        yield row
    if unreadable is not None and n_rows == 0 and len(problems) > n_before:
        unreadable.add(path)


def _rows(path: Path, shown: str, columns: Sequence[str], problems: list[Problem], required: Sequence[str]) -> Iterator[Row]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(shown, 0, "", f"cannot read the file: {exc.strerror}", "check the path and permissions"))
        return
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(shown, line, "", f"not valid UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start})", "save the file as UTF-8"))
        return
    if not text.strip():
        problems.append(Problem(shown, 0, "", "the file is empty", f"start it with the header line: {','.join(required or columns)}"))
        return
    first = text.split("\n", 1)[0]
    if first.count(",") >= MAX_COLUMNS or len(first) > MAX_COLUMNS * 256:
        problems.append(Problem(shown, 1, "", f"the header has more than {MAX_COLUMNS} columns (or {MAX_COLUMNS * 256} characters): not a table of this dataset",
                                f"the header line must be: {','.join(required or columns)}"))
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        problems.append(Problem(shown, 1, "", f"unreadable header: {exc}", f"the header line must be: {','.join(required or columns)}"))
        return
    except StopIteration:
        problems.append(Problem(shown, 1, "", "no header line", f"the header line must be: {','.join(required or columns)}"))
        return
    counts = Counter(header)
    missing = [c for c in columns if c not in counts and (not required or c in required)]
    unknown = [h for h in header if h not in columns][:20]
    dup = sorted(h for h, n in counts.items() if n > 1)
    if missing or unknown or dup:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        if dup:
            parts.append(f"repeated column(s) {', '.join(dup)}")
        problems.append(Problem(shown, 1, "", "; ".join(parts), f"the header line must be: {','.join(required or columns)}"))
        return
    line = reader.line_num + 1
    while True:
        start = line
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(shown, start, "", f"malformed CSV: {exc}", "close the quote or quote cells that contain commas"))
            return
        line = reader.line_num + 1
        if not cells or all(not c.strip() for c in cells):
            continue  # blank line
        if len(cells) != len(header):
            problems.append(
                Problem(shown, start, "", f"expected {len(header)} cells, found {len(cells)}", 'quote cells that contain commas ("a, b")')
            )
            continue
        values = {h: c.strip() for h, c in zip(header, cells)}
        for c in columns:
            values.setdefault(c, "")
        yield Row(shown, start, values)


def _files(data: Path, stem: str) -> list[Path]:
    """``data/<stem>.csv`` and/or every ``data/<stem>/*.csv``, in a stable order."""
    found = []
    single = data / f"{stem}.csv"
    if single.is_file():
        found.append(single)
    folder = data / stem
    if folder.is_dir():
        found.extend(sorted(folder.glob("*.csv")))
    return found


def _split(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(LIST_SEP) if v.strip()]


# --------------------------------------------------------------------------- checks


def _check_date(row: Row, fld: str, today: _dt.date, problems: list[Problem]) -> str:
    text = row.values[fld]
    if not text:
        return ""
    if non_ascii_digits(text) or any("\uff00" <= ch <= "\uffef" for ch in text):
        problems.append(row.problem(fld, f"{text!r} uses full-width or non-ASCII digits", DATE_HELP + " in ASCII digits"))
        return ""
    try:
        d = parse_date(text)
    except ValueError:
        problems.append(row.problem(fld, f"{text!r} is not a date", DATE_HELP))
        return ""
    if d.start > today:
        problems.append(row.problem(fld, f"{text} is in the future", "record only what has happened; leave it empty if unknown"))
        return ""
    return d.text


class _Everything(set):
    """Stands for 'any id': used when a whole file could not be read, so references into it are not reported one by one."""

    def __contains__(self, item: object) -> bool:
        return True


def _read_sources(files: list[Path], today: _dt.date, problems: list[Problem], broken: set[str], unreadable: set[Path]) -> dict[str, Source]:
    """Read source rows; ids of rejected rows go into ``broken`` so citations of them are not reported twice."""
    sources: dict[str, Source] = {}
    where: dict[str, str] = {}
    urls: dict[str, str] = {}
    for path in files:
        for row in read_csv_rows(path, SOURCE_COLUMNS + SOURCE_OPTIONAL_COLUMNS, problems, required=SOURCE_COLUMNS, unreadable=unreadable):
            v = row.values
            ok = True
            if not ID_RE.match(v["id"]):
                problems.append(row.problem("id", f"{v['id']!r} is not a slug", "use lowercase letters, digits and single hyphens"))
                ok = False
            elif v["id"] in sources:
                problems.append(row.problem("id", f"duplicate source id {v['id']!r} (first at {where[v['id']]})", "give each source its own id"))
                ok = False
            if not re.match(r"^https?://\S+$", v["url"]):
                problems.append(row.problem("url", f"{v['url']!r} is not an http(s) URL", "paste the full address of the page you read"))
                ok = False
            if not v["publisher"]:
                problems.append(row.problem("publisher", "empty", "name who published the document (e.g. Reuters)"))
                ok = False
            if not v["published"]:
                problems.append(row.problem("published", "undated source: it cannot date a fact", "give the publication date if the page shows one: " + DATE_HELP, "warning"))
            elif not _check_date(row, "published", today, problems):
                ok = False
            if v["kind"] and v["kind"] not in SOURCE_KINDS:
                problems.append(row.problem("kind", f"{v['kind']!r} is not a source kind", "use one of: " + ", ".join(SOURCE_KINDS) + " (or leave it empty)"))
                ok = False
            if ok and v["url"] in urls:
                problems.append(row.problem("url", f"same URL as source {urls[v['url']]!r}", "reuse that source id", "warning"))
            if not ok and v["id"] not in sources:
                broken.add(v["id"])
            if ok:
                sources[v["id"]] = Source(v["id"], v["url"], v["publisher"], v["published"], v["title"], v["kind"])
                where[v["id"]] = f"{row.file}:{row.line}"
                urls.setdefault(v["url"], v["id"])
    return sources


def _source_refs(row: Row, sources: Mapping[str, Source], problems: list[Problem], *, required: bool, broken: frozenset[str] | set[str] = frozenset()) -> tuple[Source, ...] | None:
    """The cited sources; None when a citation is bad (reported here, or already reported on the source row)."""
    ids = _split(row.values["sources"])
    if required and not ids:
        problems.append(row.problem("sources", "no source given", "add the id of a row in sources/*.csv (separate several with |)"))
        return None
    out = []
    for sid in ids:
        if sid in sources:
            out.append(sources[sid])
        elif sid in broken:
            return None
        else:
            problems.append(row.problem("sources", f"unknown source id {sid!r}", "add it to sources/*.csv or fix the spelling"))
            return None
    return tuple(out)


def _read_entities(files: list[Path], onto: Ontology, sources: Mapping[str, Source], today: _dt.date, problems: list[Problem],
                   broken_sources: set[str], unreadable: set[Path]) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    for path in files:
        for row in read_csv_rows(path, ENTITY_COLUMNS, problems, unreadable=unreadable):
            v = row.values
            eid = v["id"]
            ok = True
            if not ID_RE.match(eid):
                problems.append(row.problem("id", f"{eid!r} is not a slug", "use lowercase letters, digits and single hyphens, e.g. moore-threads"))
                ok = False
            elif eid in entities:
                problems.append(row.problem("id", f"duplicate id {eid!r} (first defined at {entities[eid].origin})", "keep one row per entity; merge the two"))
                ok = False
            if v["type"] not in onto.entity_types:
                problems.append(row.problem("type", f"unknown entity type {v['type']!r}", f"use one of: {', '.join(sorted(onto.entity_types))}"))
                ok = False
            elif v["category"] and v["category"] not in onto.entity_types[v["type"]].categories:
                cats = onto.entity_types[v["type"]].categories
                fix = f"use one of: {', '.join(cats)}" if cats else "leave it empty: this type has no categories"
                problems.append(row.problem("category", f"{v['category']!r} is not a category of {v['type']}", fix))
                ok = False
            if not v["name"]:
                problems.append(row.problem("name", "empty", "give the English name"))
                ok = False
            founded = _check_date(row, "founded", today, problems) if v["founded"] else ""
            if v["founded"] and not founded:
                ok = False
            identifiers: dict[str, object] = {}
            for key, (rx, what) in IDENTIFIER_RULES.items():
                if v[key]:
                    if rx.match(v[key]):
                        identifiers[key] = v[key]
                    else:
                        problems.append(row.problem(key, f"{v[key]!r} is not {what}", "fix it or leave it empty"))
                        ok = False
            srcs = _source_refs(row, sources, problems, required=False, broken=broken_sources)
            if srcs is None:
                ok, srcs = False, ()
            if (v["name_zh"] or founded or identifiers) and not srcs and v["type"] != "place":
                problems.append(row.problem("sources", "name_zh/founded/identifiers given without a source", "add the source that states them", "warning"))
            if ok:
                entities[eid] = Entity(
                    id=eid,
                    type=v["type"],
                    name=v["name"],
                    name_zh=v["name_zh"],
                    aliases=tuple(_split(v["aliases"])),
                    category=v["category"],
                    founded=founded,
                    identifiers=identifiers,
                    sources=srcs,
                    note=v["note"],
                    origin=f"{row.file}:{row.line}",
                )
    return entities


def _parse_properties(row: Row, rel_name: str, onto: Ontology, problems: list[Problem]) -> dict[str, object] | None:
    rel = onto.relation_types[rel_name]
    out: dict[str, object] = {}
    ok = True
    text = row.values["properties"]
    for part in [p for p in text.split(";") if p.strip()]:
        if "=" not in part:
            problems.append(row.problem("properties", f"{part.strip()!r} is not key=value", "write e.g. stake_pct=12.5; separate pairs with ;"))
            ok = False
            continue
        key, raw = (s.strip() for s in part.split("=", 1))
        spec = rel.properties.get(key)
        if spec is None:
            allowed = ", ".join(rel.properties) or "none"
            problems.append(row.problem("properties", f"{key!r} is not a property of {rel_name}", f"allowed: {allowed}"))
            ok = False
            continue
        if key in out:
            problems.append(row.problem("properties", f"{key!r} given twice", "keep one value"))
            ok = False
            continue
        try:
            out[key] = spec.coerce(raw)
        except ValueError as exc:
            problems.append(row.problem("properties", f"{key}: {exc}"))
            ok = False
    for req in rel.required:
        if req not in out:
            problems.append(row.problem("properties", f"{rel_name} requires {req!r}", f"add {req}=... to properties"))
            ok = False
    from cnaikg.graph.values import AMOUNT_CURRENCIES

    for amount, currencies in AMOUNT_CURRENCIES.items():
        if amount in out and currencies[0] in rel.properties and not any(c in out for c in currencies):
            problems.append(row.problem("properties", f"{amount} without a currency", f"add {currencies[0]}=CNY (or USD, ...): an amount needs its currency"))
            ok = False
    return out if ok else None


def _read_facts(
    files: list[Path],
    onto: Ontology,
    entities: Mapping[str, Entity],
    sources: Mapping[str, Source],
    today: _dt.date,
    problems: list[Problem],
    *,
    broken_entity_ids: set[str],
    broken_sources: set[str],
) -> list[Fact]:
    facts: list[Fact] = []
    seen: dict[tuple, str] = {}
    for path in files:
        for row in read_csv_rows(path, RELATIONSHIP_COLUMNS, problems):
            v = row.values
            ok = True
            rel = onto.relation_types.get(v["relation"])
            if rel is None:
                problems.append(row.problem("relation", f"unknown relationship type {v['relation']!r}", f"use one of: {', '.join(sorted(onto.relation_types))}"))
                ok = False
            ends = {}
            for side in ("subject", "object"):
                eid = v[side]
                if eid in entities:
                    ends[side] = entities[eid]
                elif eid not in broken_entity_ids:  # a broken entity row was reported already
                    problems.append(row.problem(side, f"unknown entity id {eid!r}" if eid else "empty", "define it in entities/*.csv or fix the spelling"))
                    ok = False
                else:
                    ok = False
            if v["subject"] and v["subject"] == v["object"]:
                problems.append(row.problem("object", "a fact cannot point from an entity to itself", "check subject and object"))
                ok = False
            if rel is not None and len(ends) == 2 and not rel.allows(ends["subject"].type, ends["object"].type):
                problems.append(
                    row.problem(
                        "relation",
                        f"{rel.name} cannot go from {ends['subject'].type} ({v['subject']}) to {ends['object'].type} ({v['object']})",
                        f"{rel.name} goes from {'|'.join(rel.domain)} to {'|'.join(rel.range)}",
                    )
                )
                ok = False
            since = _check_date(row, "since", today, problems) if v["since"] else ""
            until = _check_date(row, "until", today, problems) if v["until"] else ""
            if (v["since"] and not since) or (v["until"] and not until):
                ok = False
            if since and until and parse_date(since).start > parse_date(until).end:
                problems.append(row.problem("until", f"until {until} is before since {since}", "swap or correct the dates"))
                ok = False
            props = _parse_properties(row, rel.name, onto, problems) if rel is not None else None
            if rel is not None and props is None:
                ok = False
            if v["confidence"] not in CONFIDENCE_LEVELS:
                problems.append(row.problem("confidence", f"{v['confidence']!r} is not a confidence level", f"use one of: {', '.join(CONFIDENCE_LEVELS)}"))
                ok = False
            srcs = _source_refs(row, sources, problems, required=True, broken=broken_sources)
            if not srcs:
                ok = False
                srcs = ()
            elif not any(s.published for s in srcs):
                problems.append(row.problem("sources", "every source cited is undated", "cite at least one source with a publication date"))
                ok = False
            if not ok or rel is None or props is None:
                continue
            subject, obj = v["subject"], v["object"]
            if rel.symmetric and obj < subject:  # one canonical direction for symmetric relations
                subject, obj = obj, subject
            fact = Fact.create(subject, rel.name, obj, since=since, until=until, properties=props, sources=srcs,
                               confidence=v["confidence"], note=v["note"], origin=f"{row.file}:{row.line}")
            key = (subject, rel.name, obj, since, until, tuple(sorted(props.items(), key=lambda kv: kv[0])))
            if key in seen:
                problems.append(row.problem("subject", f"duplicate fact (same as {seen[key]})", "merge the rows: list both sources in one row, separated by |"))
                continue
            seen[key] = f"{row.file}:{row.line}"
            facts.append(fact)
    return facts


def _read_ticker_formats(data: Path, entities: Mapping[str, Entity], problems: list[Problem], broken: set[str]) -> dict[str, re.Pattern[str]]:
    path = data / "ticker_formats.csv"
    formats: dict[str, re.Pattern[str]] = {}
    if not path.is_file():
        return formats
    for row in read_csv_rows(path, TICKER_FORMAT_COLUMNS, problems, required=("exchange", "pattern")):
        ex, pat = row.values["exchange"], row.values["pattern"]
        if ex not in entities and ex in broken:
            continue  # its entity row was reported already
        if ex not in entities or entities[ex].type != "exchange":
            problems.append(row.problem("exchange", f"{ex!r} is not an exchange entity", "use the id of an entity of type exchange"))
            continue
        if why := safe_pattern_problem(pat):
            problems.append(row.problem("pattern", why, "write it like ^(6|5)\\d{5}\\.SS$"))
            continue
        try:
            formats[ex] = re.compile(pat)
        except re.error as exc:
            problems.append(row.problem("pattern", f"not a valid regular expression: {exc}", "fix the pattern"))
    return formats


def safe_pattern_problem(pattern: str) -> str:
    r"""'' when a regular expression read from data is in the safe subset (it cannot take exponential time), else why not.

    >>> safe_pattern_problem(r"^(6|5)\d{5}\.SS$"), safe_pattern_problem("^(a+)+$")[:30]
    ('', "'^(a+)+$' is outside the safe ")
    """
    if len(pattern) > MAX_PATTERN_LENGTH or not SAFE_PATTERN.match(pattern) or re.search(r"\)[*+{]", pattern):
        return (f"{pattern[:60]!r} is outside the safe subset of regular expressions (at most {MAX_PATTERN_LENGTH} characters; literals, "
                "\\d, classes [..], counts {m,n}, ? * +, groups that are at most optional (?); no repeated group, backreference or lookaround)")
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"not a valid regular expression: {exc}"
    return ""


def _check_tickers(facts: list[Fact], formats: Mapping[str, re.Pattern[str]], problems: list[Problem]) -> None:
    owners: dict[str, Fact] = {}
    for f in facts:
        if f.relation != "LISTED_ON":
            continue
        file, _, line = f.origin.rpartition(":")
        ticker = str(f.properties.get("ticker", ""))
        rx = formats.get(f.object)
        if rx is None:
            problems.append(Problem(file, int(line), "object", f"no ticker format declared for exchange {f.object!r}", "add a row to ticker_formats.csv"))
        elif not rx.fullmatch(ticker):
            problems.append(Problem(file, int(line), "properties", f"ticker {ticker!r} does not match the format of {f.object} ({rx.pattern})",
                                    "check the ticker and its exchange suffix (.SS Shanghai, .SZ Shenzhen, .HK Hong Kong)"))
        prev = owners.get(f"{f.object}:{ticker}")
        if prev and prev.subject != f.subject and not (prev.until or f.until):
            problems.append(Problem(file, int(line), "properties", f"ticker {ticker} on {f.object} is also given to {prev.subject} ({prev.origin})",
                                    "a ticker belongs to one company at a time; check which one is right"))
        owners[f"{f.object}:{ticker}"] = f


def _attach_tickers(entities: dict[str, Entity], facts: list[Fact]) -> None:
    tickers: dict[str, set[str]] = {}
    for f in facts:
        if f.relation == "LISTED_ON" and "ticker" in f.properties:
            tickers.setdefault(f.subject, set()).add(str(f.properties["ticker"]))
    for eid, ts in tickers.items():
        ident = dict(entities[eid].identifiers)
        ident["tickers"] = sorted(ts)
        entities[eid] = dataclasses.replace(entities[eid], identifiers=ident)


def _warn_unused(entities: Mapping[str, Entity], facts: list[Fact], sources: Mapping[str, Source], problems: list[Problem]) -> None:
    used_sources = {s.id for f in facts for s in f.sources} | {s.id for e in entities.values() for s in e.sources}
    for sid, s in sources.items():
        if sid not in used_sources:
            problems.append(Problem("sources", 0, "id", f"source {sid!r} is cited by no fact or entity", "cite it or remove it", "warning"))
    linked = {f.subject for f in facts} | {f.object for f in facts}
    for eid, e in entities.items():
        if eid not in linked and e.type != "place":
            file, _, line = e.origin.rpartition(":")
            problems.append(Problem(file, int(line), "id", f"entity {eid!r} has no relationships", "connect it with a sourced fact", "warning"))


# --------------------------------------------------------------------------- entry points


def read_dataset(data: str | Path | None = None, *, today: _dt.date | None = None) -> Dataset:
    """Read a data folder and collect every problem; never raises DataError (see ``load_curated``).

    ``data`` defaults to the shipped dataset. Raises LoaderError only when the
    folder itself is missing.
    """
    from cnaikg.paths import data_dir

    root = Path(data) if data else data_dir()
    if not root.is_dir():
        raise LoaderError(f"{root}: no such data folder; pass --data DIR pointing at a folder with ontology.toml")
    from cnaikg.loaders.accept import JOURNAL, recover

    if (root / JOURNAL).is_file():  # an accept was interrupted after it committed: finish it before reading
        recover(root)
    if (root / "ontology.toml").is_dir():
        raise LoaderError(f"{root / 'ontology.toml'}: is a folder, not a file; the data folder needs an ontology.toml file")
    onto = load_ontology(root / "ontology.toml")
    today = today or _dt.date.today()
    problems: list[Problem] = []
    ds = Dataset(ontology=onto, problems=problems)
    src_files, ent_files, rel_files = _files(root, "sources"), _files(root, "entities"), _files(root, "relationships")
    for stem, files in (("entities", ent_files), ("relationships", rel_files), ("sources", src_files)):
        if not files:
            problems.append(Problem(_display(root), 0, "", f"no {stem} files", f"add {stem}.csv or {stem}/*.csv"))
    ds.files = [*src_files, *ent_files, *rel_files]
    broken_sources: set[str] = set()
    unreadable: set[Path] = set()
    ds.sources = _read_sources(src_files, today, problems, broken_sources, unreadable)
    if unreadable:  # a whole sources file failed: its citations are not reported one by one
        broken_sources = _Everything()
    ds.entities = _read_entities(ent_files, onto, ds.sources, today, problems, broken_sources, unreadable)
    broken = _Everything() if unreadable & set(ent_files) else _entity_ids_in_error(ent_files, ds.entities)
    ds.facts = _read_facts(rel_files, onto, ds.entities, ds.sources, today, problems, broken_entity_ids=broken, broken_sources=broken_sources)
    ds.ticker_formats = _read_ticker_formats(root, ds.entities, problems, broken)
    _check_tickers(ds.facts, ds.ticker_formats, problems)
    from cnaikg.queries.amounts import amount_problems, stake_gap_warnings  # analytics checks (issue 11)
    problems += amount_problems(ds.facts) + stake_gap_warnings(ds.facts)
    problems.extend(whole_data_problems(ds.facts, ds.entities))
    jpath = root / "judgements.csv"
    if jpath.is_file():
        from cnaikg.loaders.resolve import read_judgements

        read_judgements(jpath, problems, ds.entities)
    _attach_tickers(ds.entities, ds.facts)
    _warn_unused(ds.entities, ds.facts, ds.sources, problems)
    return ds


def _entity_ids_in_error(files: list[Path], good: Mapping[str, Entity]) -> set[str]:
    """Ids whose entity rows were rejected, so facts naming them are not reported twice."""
    ids: set[str] = set()
    for path in files:
        for row in read_csv_rows(path, ENTITY_COLUMNS, []):
            if row.values["id"] and row.values["id"] not in good:
                ids.add(row.values["id"])
    return ids


def load_curated(data: str | Path | None = None, *, today: _dt.date | None = None) -> Dataset:
    """Read a data folder; raise DataError listing every error if there is any.

    >>> ds = load_curated()
    >>> "deepseek" in ds.entities
    True
    """
    return read_dataset(data, today=today).raise_for_errors()


class CuratedLoader:
    """Registry adapter: ``load(path)`` returns the validated Dataset of a curated data folder."""

    name = "curated"
    description = "The curated CSV dataset (data/ folder with ontology.toml)."

    def load(self, source: str | Path | None = None, **options: object) -> Dataset:
        return load_curated(source)


# --------------------------------------------------------------------------- checks over the whole data


def _interval(f: Fact) -> tuple[_dt.date, _dt.date]:
    """[first day, first day after) of a fact's validity; open ends stretch to the calendar's ends."""
    start = parse_date(f.since).start if f.since else _dt.date.min
    if not f.until:
        return start, _dt.date.max
    u = parse_date(f.until)
    return start, (u.start if u.precision == "day" else u.end + _dt.timedelta(days=1))


def _overlap(a: Fact, b: Fact) -> bool:
    (s1, e1), (s2, e2) = _interval(a), _interval(b)
    return s1 < e2 and s2 < e1


def _where(f: Fact) -> str:
    return f"{f.origin} ({'|'.join(s.id for s in f.sources)})"


def _fact_problem(f: Fact, fld: str, message: str, fix: str, severity: str = "error") -> Problem:
    file, _, line = f.origin.rpartition(":")
    return Problem(file, int(line) if line.isdigit() else 0, fld, message, fix, severity)


def whole_data_problems(facts: Sequence[Fact], entities: Mapping[str, Entity]) -> list[Problem]:
    """What only the data as a whole can show: stakes in one company summing above 100% on one date, ownership
    cycles of 100% stakes (a company owning itself), two headquarters at once, two different stakes of one
    holder in one company for one period, facts that start before an entity they name was founded. Each problem names both facts and their sources.

    >>> from cnaikg.graph.model import Source
    >>> s = (Source("s", "https://example.org", "Ex", "2024"),)
    >>> a = Fact.create("x", "OWNS", "y", since="2024", properties={"stake_pct": 100.0}, sources=s, origin="r.csv:2")
    >>> b = Fact.create("y", "OWNS", "x", since="2024", properties={"stake_pct": 100.0}, sources=s, origin="r.csv:3")
    >>> [p.message[:40] for p in whole_data_problems([a, b], {})]
    ['ownership cycle of 100% stakes: x owns y']
    """
    from cnaikg.graph.values import STAKE_TOLERANCE

    out: list[Problem] = []
    owns = [f for f in facts if f.relation == "OWNS" and isinstance(f.properties.get("stake_pct"), (int, float))]
    # two different stakes of one holder in one company for one period
    by_pair: dict[tuple[str, str], list[Fact]] = {}
    for f in owns:
        by_pair.setdefault((f.subject, f.object), []).append(f)
    contradicted: set[str] = set()
    for (s_, o_), fs in sorted(by_pair.items()):
        for i, a in enumerate(fs):
            for b in fs[i + 1:]:
                if a.since == b.since and a.until == b.until and float(a.properties["stake_pct"]) != float(b.properties["stake_pct"]):
                    contradicted.update((a.id, b.id))
                    out.append(_fact_problem(b, "properties", f"{s_} holds {b.properties['stake_pct']}% of {o_} here but "
                                             f"{a.properties['stake_pct']}% at {_where(a)} for the same period (since {a.since or '-'}, until {a.until or '-'})",
                                             "keep the stake the better source gives, or date each stake (since/until)"))
    # holders' stakes summing above 100% on one date
    by_target: dict[str, list[Fact]] = {}
    for f in owns:
        if f.id not in contradicted:
            by_target.setdefault(f.object, []).append(f)
    for o_, fs in sorted(by_target.items()):
        if sum(float(f.properties["stake_pct"]) for f in fs) <= 100 + STAKE_TOLERANCE:
            continue
        days = sorted({_interval(f)[0] for f in fs})
        for d in days:
            valid = [f for f in fs if _interval(f)[0] <= d < _interval(f)[1]]
            latest: dict[str, Fact] = {}
            for f in valid:  # one holder counts once: its latest stake on that day
                if f.subject not in latest or _interval(f)[0] > _interval(latest[f.subject])[0]:
                    latest[f.subject] = f
            total = sum(float(f.properties["stake_pct"]) for f in latest.values())
            if total > 100 + STAKE_TOLERANCE:
                parts = ", ".join(f"{f.subject} {f.properties['stake_pct']}% ({_where(f)})" for f in sorted(latest.values(), key=lambda f: f.subject))
                first = min(latest.values(), key=lambda f: f.origin)
                out.append(_fact_problem(first, "properties", f"stakes in {o_} sum to {round(total, 4):g}% on {d.isoformat() if d != _dt.date.min else 'any date'}: {parts}",
                                         "check the stakes and their dates; a stake that ended needs an until date"))
                break
    # ownership cycles of 100% stakes
    full = [f for f in owns if float(f.properties["stake_pct"]) >= 100]
    if full:
        import networkx as nx

        G = nx.DiGraph()
        for f in full:
            G.add_edge(f.subject, f.object, fact=f)
        cycles = [c[c.index(min(c)):] + c[:c.index(min(c))] for c in nx.simple_cycles(G)]  # each cycle from its smallest id
        for cyc in sorted(cycles, key=lambda c: (len(c), c))[:20]:
            edges = [G.edges[cyc[i], cyc[(i + 1) % len(cyc)]]["fact"] for i in range(len(cyc))]
            if all(_overlap(edges[0], e) for e in edges[1:]):
                chain = " owns ".join(cyc + [cyc[0]])
                out.append(_fact_problem(edges[0], "properties", f"ownership cycle of 100% stakes: {chain}, so {cyc[0]} would own itself: "
                                         + "; ".join(_where(e) for e in edges), "one of these stakes is wrong or has ended; fix or date it"))
    # two headquarters at once
    hq: dict[str, list[Fact]] = {}
    for f in facts:
        if f.relation == "LOCATED_IN" and f.properties.get("role") == "headquarters":
            hq.setdefault(f.subject, []).append(f)
    for s_, fs in sorted(hq.items()):
        for i, a in enumerate(fs):
            for b in fs[i + 1:]:
                ca = entities[a.object].category if a.object in entities else ""
                cb = entities[b.object].category if b.object in entities else ""
                if a.object != b.object and ca == cb and _overlap(a, b):
                    out.append(_fact_problem(b, "object", f"{s_} has two headquarters at once: {b.object} here and {a.object} at {_where(a)}",
                                             "give the old headquarters an until date, or keep one (a warning: some companies "
                                             "declare two headquarters)", "warning"))
    out += _before_founding(facts, entities)
    return out


def _before_founding(facts: Sequence[Fact], entities: Mapping[str, Entity]) -> list[Problem]:
    """Warnings for facts that start wholly before an organisation or product they name was founded.

    People and places are left out (a person's or city's "founded" is not a start of existence to check against).

    >>> from cnaikg.graph.model import Source
    >>> s = (Source("s", "https://example.org", "Ex", "2024"),)
    >>> e = {"lab": Entity("lab", "company", "Lab", founded="2023"), "m": Entity("m", "product", "M", founded="2023")}
    >>> f = Fact.create("lab", "DEVELOPS", "m", since="2019", sources=s, origin="r.csv:2")
    >>> [p.message for p in _before_founding([f], e)]
    ['DEVELOPS starts 2019, before lab was founded (2023)', 'DEVELOPS starts 2019, before m was founded (2023)']
    """
    out: list[Problem] = []
    for f in facts:
        if not f.since:
            continue
        start_end = parse_date(f.since).end
        for side in (f.subject, f.object):
            e = entities.get(side)
            if e is None or not e.founded or e.type in ("person", "place"):
                continue
            if start_end < parse_date(e.founded).start:
                out.append(_fact_problem(f, "since", f"{f.relation} starts {f.since}, before {side} was founded ({e.founded})",
                                         "check both dates: a fact cannot start before the entity exists (date a deal signed before "
                                         "a company's registration from the registration, or say why in the note)", "warning"))
    return out
