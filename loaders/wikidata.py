"""The Wikidata loader: entity JSON (wbgetentities API responses, Special:EntityData, JSON dumps) -> sourced facts.

Maps the statements that matter here onto the ontology, keeping each
statement's references as sources:

=======  ========================  =========================================================
P31      instance of               checked against the entity's type (a mismatch is reported)
P17      country                   LOCATED_IN (``role=part_of`` when the subject is a place)
P159     headquarters location     LOCATED_IN ``role=headquarters``
P112     founded by                FOUNDED_BY
P127     owned by                  OWNS, reversed (owner OWNS subject); P1107 proportion -> stake_pct
P749     parent organization       SUBSIDIARY_OF
P355     subsidiary                SUBSIDIARY_OF, reversed
P1830    owner of                  OWNS; P1107 proportion -> stake_pct
P414     stock exchange            LISTED_ON with ``ticker`` from the P249 qualifier (suffix added per
                                   data/ticker_formats.csv: ``0981`` on hkex -> ``0981.HK``)
P571     inception                 compared with ``founded``; differences are reported, not applied
=======  ========================  =========================================================

Qualifiers P580/P582 (start/end time) become ``since``/``until``. Each
reference becomes a Source (P854 URL, P123 publisher or P248 stated in, P577
publication date or P813 retrieved, P1476 title); a statement without
references cites the item page and gets confidence ``low`` (``medium`` with
references). Deprecated statements are skipped.

Entities are never created: a QID resolves to a known entity by its verified
``wikidata`` identifier, or else by its English/Chinese label or alias naming
exactly one entity; every other QID is reported (``report.unresolved``) with
its label, role and candidates, and its statements are skipped.

>>> from cnaikg.graph.kg import KnowledgeGraph
>>> from cnaikg.graph.model import Entity
>>> kg = KnowledgeGraph([Entity("fabco", "company", "FabCo", identifiers={"wikidata": "Q1"}),
...                      Entity("toolco", "company", "ToolCo", identifiers={"wikidata": "Q2"})], [])
>>> item = {"id": "Q1", "type": "item", "labels": {"en": {"language": "en", "value": "FabCo"}}, "claims": {"P1830": [
...     {"type": "statement", "rank": "normal", "mainsnak": {"snaktype": "value", "property": "P1830", "datatype": "wikibase-item",
...      "datavalue": {"type": "wikibase-entityid", "value": {"entity-type": "item", "numeric-id": 2, "id": "Q2"}}}}]}}
>>> result = load_wikidata_entities([item], kg)
>>> [(f.subject, f.relation, f.object, f.confidence, f.sources[0].url) for f in result.facts]
[('fabco', 'OWNS', 'toolco', 'low', 'https://www.wikidata.org/wiki/Q1#P1830')]
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping
from urllib.parse import urlparse

from cnaikg.errors import LoaderError, Problem
from cnaikg.graph.dates import parse_date
from cnaikg.graph.model import Fact, Source, stable_id
from cnaikg.loaders.base import Loader, LoadReport, LoadResult

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = [
    "WikidataLoader",
    "WikidataLoadResult",
    "load_wikidata",
    "load_wikidata_entities",
    "read_wikidata_entities",
    "wikidata_time",
    "PROPERTY_MAP",
    "WIKIDATA_CLASSES",
]


@dataclass(frozen=True)
class PropertyMapping:
    """How one Wikidata property becomes a fact: relation, direction and fixed properties."""

    relation: str
    reverse: bool = False
    properties: Mapping[str, str] = field(default_factory=dict)


#: Wikidata property -> how it maps onto the ontology (P31, P571 are checks, not facts).
PROPERTY_MAP: Mapping[str, PropertyMapping] = {
    "P17": PropertyMapping("LOCATED_IN"),
    "P159": PropertyMapping("LOCATED_IN", properties={"role": "headquarters"}),
    "P112": PropertyMapping("FOUNDED_BY"),
    "P127": PropertyMapping("OWNS", reverse=True),
    "P749": PropertyMapping("SUBSIDIARY_OF"),
    "P355": PropertyMapping("SUBSIDIARY_OF", reverse=True),
    "P1830": PropertyMapping("OWNS"),
    "P414": PropertyMapping("LISTED_ON"),
}
CHECKED = ("P31", "P571")

#: Wikidata classes (P31 values) -> entity type of the ontology, used to check an entity's type.
WIKIDATA_CLASSES: Mapping[str, str] = {
    "Q4830453": "company",  # business
    "Q891723": "company",  # public company
    "Q6881511": "company",  # enterprise
    "Q783794": "company",  # company
    "Q3918": "university",
    "Q31855": "research_lab",  # research institute
    "Q11691": "exchange",  # stock exchange
    "Q5": "person",  # human
    "Q327333": "government_body",  # government agency
    "Q515": "place",  # city
    "Q6256": "place",  # country
    "Q3624078": "place",  # sovereign state
    "Q223371": "index",  # stock market index
}

_PRECISION = {9: 4, 10: 7, 11: 10}  # Wikidata time precision -> length of the ISO prefix kept
_QID = re.compile(r"^Q[1-9]\d*$")


@dataclass
class WikidataLoadResult(LoadResult):
    """A LoadResult plus what Wikidata says about known entities' attributes, and how each QID resolved."""

    attributes: list[dict[str, Any]] = field(default_factory=list)
    resolved: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- reading


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8")  # type: ignore[return-value]
    if path.suffix == ".bz2":
        return io.TextIOWrapper(bz2.open(path), encoding="utf-8")  # type: ignore[return-value]
    return open(path, encoding="utf-8")  # type: ignore[return-value]


def read_wikidata_entities(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line, entity dict) from a wbgetentities / Special:EntityData response, a JSON dump (``[`` + one entity
    per line) or JSON lines; .gz and .bz2 are read as they are. Raises LoaderError for anything else.

    Dumps are streamed line by line (line numbers are real); other shapes are read whole (line 0).
    """
    p = Path(path)
    if not p.is_file():
        raise LoaderError(f"{p}: no such file; give a wbgetentities response or a Wikidata JSON dump")
    if p.stat().st_size > MAX_FILE_BYTES:
        raise LoaderError(f"{p}: {p.stat().st_size} bytes, more than the limit of {MAX_FILE_BYTES}; split the dump")
    try:
        with _open_text(p) as fh:
            first = fh.readline(MAX_LINE_CHARS)
            while first and not first.strip():
                first = fh.readline(MAX_LINE_CHARS)
            if not first:
                raise LoaderError(f"{p}: the file is empty; give a wbgetentities response or a Wikidata JSON dump")
            if first.strip() == "[":  # the dump format: "[", one entity per line ending in ",", "]"
                yield from _dump_lines(p, fh, start=2)
                return
            rest = first + fh.read(MAX_FILE_BYTES)
    except UnicodeDecodeError as exc:
        raise LoaderError(f"{p}: not UTF-8 text ({exc.reason}); Wikidata JSON is UTF-8") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise LoaderError(f"{p}: cannot read: {exc}") from None
    try:
        data = json.loads(rest)
    except json.JSONDecodeError:
        yield from _dump_lines(p, io.StringIO(rest), start=1)  # JSON lines
        return
    except RecursionError:
        raise LoaderError(f"{p}: JSON nested more than {MAX_JSON_DEPTH} levels deep; this is not Wikidata entity JSON") from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise LoaderError(f"{p}: JSON nested more than {MAX_JSON_DEPTH} levels deep; this is not Wikidata entity JSON")
    if isinstance(data, dict) and isinstance(data.get("entities"), dict):
        for qid in data["entities"]:
            yield 0, data["entities"][qid]
    elif isinstance(data, dict) and "id" in data:
        yield 0, data
    elif isinstance(data, list):
        for item in data:
            yield 0, item
    elif isinstance(data, dict) and "error" in data:
        raise LoaderError(f"{p}: the Wikidata API returned an error: {data['error'].get('info', data['error'])}")
    else:
        raise LoaderError(f"{p}: not Wikidata entity JSON; expected {{\"entities\": {{\"Q...\": ...}}}} (wbgetentities) or a JSON dump")


def _dump_lines(p: Path, fh: Iterable[str], *, start: int) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, line in enumerate(fh, start):
        text = line.strip().rstrip(",")
        if text in ("", "[", "]"):
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LoaderError(f"{p}:{n}: not valid JSON ({exc.msg}); a dump has one entity per line between [ and ]") from None
        except RecursionError:
            raise LoaderError(f"{p}:{n}: JSON nested more than {MAX_JSON_DEPTH} levels deep; not a Wikidata entity") from None
        if not isinstance(obj, dict) or _depth(obj) > MAX_JSON_DEPTH:
            raise LoaderError(f"{p}:{n}: not a Wikidata entity (a JSON object at most {MAX_JSON_DEPTH} levels deep); "
                              "a dump has one entity per line between [ and ]")
        yield n, obj


#: Bounds of what the loader reads: bytes per file, characters per line, nesting of JSON.
MAX_FILE_BYTES = 4 * 1024**3
MAX_LINE_CHARS = 64 * 1024**2
MAX_JSON_DEPTH = 64


def _depth(obj: Any, limit: int = MAX_JSON_DEPTH + 1) -> int:
    """Nesting depth of parsed JSON, counted up to ``limit`` (iterative: no recursion limit to hit)."""
    deepest, stack = 0, [(obj, 1)]
    while stack:
        o, d = stack.pop()
        deepest = max(deepest, d)
        if d >= limit:
            return d
        if isinstance(o, dict):
            stack.extend((v, d + 1) for v in o.values() if isinstance(v, (dict, list)))
        elif isinstance(o, list):
            stack.extend((v, d + 1) for v in o if isinstance(v, (dict, list)))
    return deepest


# --------------------------------------------------------------------------- values


def wikidata_time(value: Mapping[str, Any]) -> str:
    """A Wikidata time value as a partial ISO date (year, month or day precision); '' when coarser or BCE.

    >>> wikidata_time({"time": "+2015-00-00T00:00:00Z", "precision": 9})
    '2015'
    >>> wikidata_time({"time": "+2023-07-17T00:00:00Z", "precision": 11})
    '2023-07-17'
    >>> wikidata_time({"time": "+1900-00-00T00:00:00Z", "precision": 7})
    ''
    """
    t, prec = str(value.get("time", "")), int(value.get("precision", 0))
    if not t.startswith("+") or prec not in _PRECISION:
        return ""
    return t[1:][: _PRECISION[prec]]


def _snak_value(snak: Mapping[str, Any]) -> Any:
    if snak.get("snaktype") != "value":
        return None
    dv = snak.get("datavalue", {})
    v = dv.get("value")
    kind = dv.get("type")
    if kind == "wikibase-entityid":
        return v.get("id") or f"Q{v.get('numeric-id')}"
    if kind == "time":
        return wikidata_time(v)
    if kind == "quantity":
        return float(v.get("amount", "nan"))
    if kind == "monolingualtext":
        return v.get("text", "")
    return v


def _first(snaks: Mapping[str, Any], pid: str) -> Any:
    for s in snaks.get(pid, ()):
        v = _snak_value(s)
        if v not in (None, ""):
            return v
    return None


def _label(ent: Mapping[str, Any]) -> str:
    labels = ent.get("labels", {})
    for lang in ("en", "zh-hans", "zh-cn", "zh"):
        if lang in labels:
            return labels[lang].get("value", "")
    return next((v.get("value", "") for v in labels.values()), "")


def _names(ent: Mapping[str, Any]) -> list[str]:
    out = []
    for lang, v in sorted(ent.get("labels", {}).items()):
        if lang == "en" or lang.startswith("zh"):
            out.append(v.get("value", ""))
    for lang, vs in sorted(ent.get("aliases", {}).items()):
        if lang == "en" or lang.startswith("zh"):
            out += [v.get("value", "") for v in vs]
    return [n for n in dict.fromkeys(out) if n]


# --------------------------------------------------------------------------- resolution


class _Resolver:
    """QID -> entity id, by verified QID first, then by label/alias naming exactly one entity."""

    def __init__(self, kg: "KnowledgeGraph", items: Mapping[str, Mapping[str, Any]]):
        self.kg = kg
        self.items = items
        self.by_qid: dict[str, str] = {}
        for e in kg.entities():
            q = e.identifiers.get("wikidata")
            if q:
                self.by_qid[str(q)] = e.id
        self.cache: dict[str, tuple[str | None, str, list[str]]] = {}
        from cnaikg.loaders.resolve import resolver_for

        self.res = resolver_for(kg)

    def resolve(self, qid: str) -> tuple[str | None, str, list[str]]:
        """(entity id or None, how or why not, candidates)."""
        if qid in self.cache:
            return self.cache[qid]
        if qid in self.by_qid:
            out: tuple[str | None, str, list[str]] = (self.by_qid[qid], "qid", [])
        elif qid not in self.items:
            out = (None, "unresolved", [])
        else:
            found: set[str] = set()
            for n in _names(self.items[qid]):  # exact names and name keys only: a look-alike label never merges
                m = self.res.resolve(n)
                if m.resolved and m.method in ("name", "name_zh", "alias", "normalized-name", "judgement"):
                    found.add(m.entity_id or "")
                elif m.status == "ambiguous" and m.method != "generic-name":
                    found |= {c.id for c in m.candidates}
            known = sorted(i for i in found if self.kg.entity(i).identifiers.get("wikidata") not in (None, "", qid))
            ok = sorted(found - set(known))
            if len(ok) == 1:
                out = (ok[0], "label", [])
            elif len(ok) > 1:
                out = (None, "ambiguous", ok)
            else:
                out = (None, "qid-conflict" if known else "unresolved", known)
        self.cache[qid] = out
        return out


# --------------------------------------------------------------------------- mapping


def _ticker(raw: str, exchange: str, formats: Mapping[str, tuple[re.Pattern[str], str]]) -> str | None:
    """The ticker in the curated form for ``exchange`` (suffix and zero-padding from the example), or None."""
    raw = raw.strip().upper()
    if exchange not in formats:
        return raw
    pattern, example = formats[exchange]
    if pattern.fullmatch(raw):
        return raw
    code, dot, suffix = example.partition(".")
    cand = raw
    if raw.isdigit() and code.isdigit():
        cand = raw.zfill(len(code))
    if dot:
        cand = f"{cand}.{suffix}"
    return cand if pattern.fullmatch(cand) else None


def _ticker_formats(kg: "KnowledgeGraph", data: str | Path | None) -> dict[str, tuple[re.Pattern[str], str]]:
    folder = Path(data) if data else (Path(kg.ontology.path).parent if kg.ontology.path else None)
    path = folder / "ticker_formats.csv" if folder else None
    if path is None or not path.is_file():
        return {}
    from cnaikg.loaders.curated import safe_pattern_problem

    try:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise LoaderError(f"{path}: unreadable ticker formats ({exc}); run `cnaikg validate`") from None
    out = {}
    for r in rows:
        pat = str(r.get("pattern") or "")
        if r.get("exchange") and pat and not safe_pattern_problem(pat):  # unsafe patterns are reported by `cnaikg validate`
            out[str(r["exchange"])] = (re.compile(pat), str(r.get("example") or ""))
    return out


def _sources(ent: Mapping[str, Any], claim: Mapping[str, Any], pid: str, items: Mapping[str, Mapping[str, Any]]) -> tuple[Source, ...]:
    qid = ent.get("id", "")
    modified = str(ent.get("modified", ""))[:10]
    out = []
    for ref in claim.get("references", ()):
        snaks = ref.get("snaks", {})
        url = _first(snaks, "P854") or ""
        pub_q = _first(snaks, "P123") or _first(snaks, "P248")
        publisher = (_label(items[pub_q]) if pub_q in items else pub_q) or (urlparse(url).hostname or "" if url else "") or "Wikidata"
        published = _first(snaks, "P577") or _first(snaks, "P813") or modified
        title = _first(snaks, "P1476") or ""
        if not url:
            url = f"https://www.wikidata.org/wiki/{pub_q}" if pub_q and _QID.match(str(pub_q)) else f"https://www.wikidata.org/wiki/{qid}#{pid}"
        sid = stable_id(url, publisher, published, title, prefix="wd-")
        out.append(Source(sid, url, str(publisher), str(published), str(title)))
    if not out:
        url = f"https://www.wikidata.org/wiki/{qid}#{pid}"
        out.append(Source(stable_id(url, modified, prefix="wd-"), url, "Wikidata", modified, f"Wikidata {qid} {pid}"))
    return tuple(dict.fromkeys(out))


def load_wikidata_entities(entities: Iterable[Mapping[str, Any]] | Iterable[tuple[int, Mapping[str, Any]]], kg: "KnowledgeGraph", *,
                           file: str = "<wikidata>", data: str | Path | None = None) -> WikidataLoadResult:
    """Map Wikidata entity dicts (or (line, dict) pairs) onto facts about the entities of ``kg``; see the module docstring.

    ``data`` is the data folder whose ticker_formats.csv normalises P249 tickers (default: the ontology's folder).
    """
    pairs = [(x if isinstance(x, tuple) else (0, x)) for x in entities]
    items = {str(e.get("id")): e for _, e in pairs if isinstance(e, Mapping) and e.get("id")}
    report = LoadReport(loader="wikidata", file=file)
    result = WikidataLoadResult(report=report)
    resolver = _Resolver(kg, items)
    formats = _ticker_formats(kg, data)
    unresolved: dict[str, dict[str, Any]] = {}
    facts: dict[str, Fact] = {}
    counts = report.counts

    def skip(line: int, where: str, message: str, fix: str = "") -> None:
        report.skipped.append(Problem(file, line, where, message, fix))

    def miss(qid: str, role: str, line: int, status: str, candidates: list[str]) -> None:
        label = _label(items[qid]) if qid in items else ""
        u = unresolved.setdefault(qid, {"name": f"{label} ({qid})" if label else qid, "qid": qid, "role": role, "status": status,
                                        "rows": 0, "first_line": line, "candidates": candidates})
        u["rows"] += 1

    for line, ent in pairs:
        try:
            report.rows_read += 1
            qid = str(ent.get("id", ""))
            if "missing" in ent or not _QID.match(qid):
                skip(line, qid or "id", f"{qid or 'an entity'} is missing on Wikidata or is not an item", "check the QID; items start with Q")
                continue
            subject, how, cands = resolver.resolve(qid)
            claims = ent.get("claims", {})
            relevant = {pid: cl for pid, cl in claims.items() if pid in PROPERTY_MAP or pid in CHECKED}
            if subject is None and not relevant:  # an item fetched for its labels only (a target, a publisher)
                counts["label_only_items"] = counts.get("label_only_items", 0) + 1
                continue
            if subject is None:
                miss(qid, "subject", line, how, cands)
                counts["statements_skipped_unresolved_subject"] = counts.get("statements_skipped_unresolved_subject", 0) + sum(map(len, relevant.values()))
                continue
            result.resolved[qid] = subject
            counts[f"resolved_by_{how}"] = counts.get(f"resolved_by_{how}", 0) + 1
            subj_ent = kg.entity(subject)
            loaded_any = False
            for pid in sorted(relevant, key=lambda p: int(p[1:])):
                for claim in relevant[pid]:
                    where = f"{qid} {pid}"
                    if claim.get("rank") == "deprecated":
                        skip(line, where, "deprecated statement", "")
                        continue
                    value = _snak_value(claim.get("mainsnak", {}))
                    if value in (None, ""):
                        skip(line, where, "no value (unknown, none, or a date coarser than a year)", "")
                        continue
                    quals = claim.get("qualifiers", {})
                    if pid == "P31":
                        t = WIKIDATA_CLASSES.get(str(value))
                        counts["P31_checked"] = counts.get("P31_checked", 0) + 1
                        if t and t != subj_ent.type:
                            report.notes.append(f"{qid} ({subject}) is an instance of {value} ({t}) on Wikidata but a {subj_ent.type} here")
                        continue
                    if pid == "P571":
                        said = str(value)
                        attr = {"entity": subject, "field": "founded", "wikidata": said, "data": subj_ent.founded, "qid": qid,
                                "sources": [s.url for s in _sources(ent, claim, pid, items)]}
                        result.attributes.append(attr)
                        if not subj_ent.founded:
                            report.notes.append(f"{subject}: founded is empty here; Wikidata {qid} says {said}")
                        elif not (said.startswith(subj_ent.founded) or subj_ent.founded.startswith(said)):
                            report.notes.append(f"{subject}: founded {subj_ent.founded} here but {said} on Wikidata {qid}; check the sources")
                        continue
                    m = PROPERTY_MAP[pid]
                    other, how_o, cands_o = resolver.resolve(str(value))
                    if other is None:
                        miss(str(value), f"{pid} of {qid}", line, how_o, cands_o)
                        skip(line, where, f"{value} does not resolve to a known entity ({how_o})", "add the entity (with its QID) to data/entities, then load again")
                        continue
                    s, o = (other, subject) if m.reverse else (subject, other)
                    props: dict[str, Any] = dict(m.properties)
                    if pid == "P17" and subj_ent.type == "place":
                        props["role"] = "part_of"
                    share = _first(quals, "P1107")
                    if share is not None and m.relation == "OWNS":
                        props["stake_pct"] = round(float(share) * 100, 4)  # P1107 is a proportion (0..1); 1.5 is 150%, refused by the load gate
                    if pid == "P414":
                        raw = _first(quals, "P249")
                        if not raw:
                            skip(line, where, f"listing on {value} without a P249 ticker qualifier", "LISTED_ON needs a ticker; add it on Wikidata or in data/")
                            continue
                        ticker = _ticker(str(raw), other, formats)
                        if ticker is None:
                            skip(line, where, f"ticker {raw!r} does not fit the format of {other} (ticker_formats.csv)", "check the ticker")
                            continue
                        props["ticker"] = ticker
                    rel = kg.ontology.relation(m.relation)
                    ts, to = kg.entity(s).type, kg.entity(o).type
                    if not rel.allows(ts, to):
                        skip(line, where, f"{s} ({ts}) {m.relation} {o} ({to}) is not allowed by the ontology", "")
                        continue
                    since = _first(quals, "P580") or ""
                    until = _first(quals, "P582") or ""
                    if since and until:
                        if parse_date(until).end < parse_date(since).start:
                            skip(line, where, f"end time {until} is before start time {since}", "fix the qualifiers on Wikidata")
                            continue
                    srcs = _sources(ent, claim, pid, items)
                    has_refs = bool(claim.get("references"))
                    f = Fact.create(s, m.relation, o, since=since, until=until, properties=props, sources=srcs,
                                    confidence="medium" if has_refs else "low", note=f"Wikidata {qid} {pid}", origin=f"{file}:{line}")
                    if f.id in facts:  # the same fact stated twice (e.g. P127 on one item, P1830 on the other): merge sources
                        old = facts[f.id]
                        merged = tuple(dict.fromkeys(old.sources + f.sources))
                        conf = "medium" if "medium" in (old.confidence, f.confidence) else old.confidence
                        facts[f.id] = Fact(old.id, old.subject, old.relation, old.object, old.since, old.until, old.properties, merged, conf, old.note, old.origin)
                    else:
                        facts[f.id] = f
                    if any(g.relation == m.relation and g.object == o for g in kg.facts_of(s, m.relation, "out")):
                        counts["already_in_graph"] = counts.get("already_in_graph", 0) + 1
                    counts[pid] = counts.get(pid, 0) + 1
                    loaded_any = True
            report.rows_loaded += int(loaded_any)
        except (TypeError, AttributeError, ValueError, KeyError, IndexError, OverflowError) as exc:  # a malformed entity: skipped, named
            skip(line, str(ent.get("id", "")) if isinstance(ent, Mapping) else "entity",
                 f"malformed Wikidata entity ({type(exc).__name__}: {str(exc)[:120]})", "check the file; it may be cut or edited by hand")
    result.facts = sorted(facts.values(), key=lambda f: (f.subject, f.relation, f.object, f.id))
    report.unresolved = [unresolved[q] for q in sorted(unresolved, key=lambda q: int(q[1:]))]
    return result


def load_wikidata(path: str | Path, kg: "KnowledgeGraph | None" = None, *, data: str | Path | None = None) -> WikidataLoadResult:
    """Read a Wikidata JSON file (see :func:`read_wikidata_entities`) and map it onto facts about ``kg``'s entities.

    ``kg`` defaults to the shipped graph. Nothing is created: QIDs that do not
    resolve are listed in ``result.report.unresolved``.
    """
    if kg is None:
        from cnaikg.graph.kg import KnowledgeGraph

        kg = KnowledgeGraph.from_dataset(data)
    return load_wikidata_entities(list(read_wikidata_entities(path)), kg, file=str(path), data=data)


class WikidataLoader(Loader):
    """Registry adapter of :func:`load_wikidata` (``cnaikg load wikidata FILE``)."""

    name = "wikidata"
    description = "Wikidata entity JSON (wbgetentities or dumps): owners, parents, founders, HQ, listings, with references as sources"
    suffixes = (".json", ".jsonl", ".json.gz", ".json.bz2")
    options = {"data": "data folder whose ticker_formats.csv normalises tickers (default: the graph's)"}

    def load(self, source: str | Path, *, kg: "KnowledgeGraph | None" = None, **options: Any) -> WikidataLoadResult:
        """Load ``source``; options: ``data``."""
        unknown = sorted(set(options) - {"data"})
        if unknown:
            raise LoaderError(f"the wikidata loader has no option {', '.join(unknown)}; its options: data")
        return load_wikidata(source, kg, data=options.get("data"))
