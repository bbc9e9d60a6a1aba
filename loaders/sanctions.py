"""Export-control and sanctions lists -> ON_LIST facts: the US Consolidated Screening List CSV and OpenSanctions FollowTheMoney JSON lines.

CSL: the CSV that trade.gov publishes (consolidated.csv) with its header
``_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,
start_date,end_date,...,source_list_url,alt_names,...,source_information_url,ids``. ``source``
names the list ("Entity List (EL) - Bureau of Industry and Security"), ``programs``
and ``alt_names`` are separated by ``;``.

OpenSanctions: one FollowTheMoney entity per line (``id``, ``schema``,
``properties`` with name/alias/weakAlias/previousName/program/leiCode/wikidataId/
registrationNumber, ``datasets``, ``first_seen``); the list is the ``list`` option
or the dataset name resolved against the graph's sanctions_list entities.

Every name and alias of an entry is tried (identifiers first). Entries that
resolve give ON_LIST facts (programme, date_added, citation); entries whose best
candidate falls below the threshold but above the review threshold go to review
as near-misses; entries that resolve to two different entities go to review as
conflicts; the rest are counted only (a list has thousands of entries).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from cnaikg.errors import LoaderError, Problem
from cnaikg.graph.dates import DATE_HELP, parse_date
from cnaikg.graph.model import Fact, Source, stable_id
from cnaikg.loaders.base import Loader, LoadReport, LoadResult, name_problem, read_table
from cnaikg.loaders.resolve import Match, Resolver, resolver_for

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = ["load_csl", "load_opensanctions", "CslLoader", "OpenSanctionsLoader", "CSL_COLUMNS", "CSL_URL"]

CSL_URL = "https://api.trade.gov/static/consolidated_screening_list/consolidated.csv"
CSL_COLUMNS = ("_id", "source", "entity_number", "type", "programs", "name", "title", "addresses", "federal_register_notice",
               "start_date", "end_date", "standard_order", "license_requirement", "license_policy", "call_sign", "vessel_type",
               "gross_tonnage", "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url",
               "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids")
_CSL_REQUIRED = ("source", "type", "programs", "name", "start_date", "alt_names", "federal_register_notice")
_NOT_LISTABLE = {"vessel", "aircraft"}


def _split(cell: str) -> list[str]:
    return [p.strip() for p in str(cell).split(";") if p.strip()]


def _list_id(res: Resolver, text: str) -> str | None:
    for t in (text, text.split(" (")[0], text.split(" - ")[0]):
        m = res.resolve(t.strip(), types=["sanctions_list"])
        if m.resolved:
            return m.entity_id
    return None


def _match_entry(res: Resolver, names: Sequence[str], types: Sequence[str]) -> tuple[str, Match | None, list[Match]]:
    """('resolved'|'conflict'|'near-miss'|'none', the best match, every match) for one list entry's names and identifiers."""
    matches = [res.resolve(n, types=types) for n in dict.fromkeys(n for n in names if n and not name_problem(n))]
    exact = [m for m in matches if m.resolved and m.method != "fuzzy"]  # fuzzy hits on a list are reviewed, never merged
    hits = {m.entity_id for m in exact}
    if len(hits) == 1:
        return "resolved", exact[0], matches
    if len(hits) > 1:
        return "conflict", None, matches
    near = [m for m in matches if m.candidates and not m.resolved or m.method == "fuzzy"]
    if near:
        return "near-miss", max(near, key=lambda m: m.candidates[0].score), matches
    return "none", None, matches


def _date(text: str, today: _dt.date) -> str:
    t = str(text).strip()
    if "T" in t[10:11]:  # 2021-06-18T00:00:00
        t = t[:10]
    if not t:
        return ""
    try:
        d = parse_date(t)
    except ValueError:
        raise ValueError(f"{t[:40]!r} is not a date") from None
    if d.start > today:
        raise ValueError(f"{t} is in the future")
    return d.text


class _Collector:
    """Shared bookkeeping of the two list formats: facts, review rows, report."""

    def __init__(self, loader: str, shown: str, kg: "KnowledgeGraph", rows: int):
        self.kg, self.shown = kg, shown
        self.res = resolver_for(kg)
        self.types = list(kg.ontology.relation_types["ON_LIST"].domain)
        self.report = LoadReport(loader=loader, file=shown, rows_read=rows)
        self.facts: dict[str, Fact] = {}
        self.review: list[dict[str, Any]] = []

    def skip(self, line: int, fld: str, why: str, fix: str = "") -> None:
        self.report.skipped.append(Problem(self.shown, line, fld, why, fix, "warning"))

    def count(self, key: str) -> None:
        self.report.counts[key] = self.report.counts.get(key, 0) + 1

    def entry(self, line: int, list_id: str, names: Sequence[str], props: dict[str, Any], since: str, src: Source) -> None:
        status, m, matches = _match_entry(self.res, names, self.types)
        self.count(f"entries_{status}")
        base = {"relation": "ON_LIST", "object": list_id, "object_name": self.kg.entity(list_id).name, "since": since,
                "properties": "; ".join(f"{k}={v}" for k, v in props.items()), "subject_name": names[0] if names else "",
                "evidence": f"{self.shown}:{line}: " + " | ".join(names[:6]), "source_url": src.url, "source_publisher": src.publisher,
                "source_published": src.published, "source_title": src.title}
        if status == "resolved" and m is not None:
            f = Fact.create(m.entity_id or "", "ON_LIST", list_id, since=since, properties=props, sources=(src,), confidence="high",
                            note=f"matched {m.query!r} by {m.method} (score {m.score:.0f})", origin=f"{self.shown}:{line}")
            self.facts.setdefault(f.id, f)
        elif status == "conflict":
            ids = sorted({x.entity_id for x in matches if x.resolved and x.entity_id})
            self.review.append({**base, "kind": "conflict", "subject": ids[0], "confidence": "low", "method": "",
                                "conflict": "names of one list entry resolve to different entities: " +
                                            "; ".join(x.why() for x in matches if x.resolved)})
        elif status == "near-miss" and m is not None:
            c = m.candidates[0]
            self.review.append({**base, "kind": "near-miss", "subject": c.id, "confidence": "low", "method": c.method, "score": c.score,
                                "conflict": f"{m.query!r} looks like {c.id} ({c.name}) but scores {c.score:.0f}, below the threshold"})
            self.report.unresolved.append({"name": m.query, "role": "list entry", "status": m.status, "rows": 1, "first_line": line,
                                           "candidates": [str(x) for x in m.candidates]})

    def result(self) -> LoadResult:
        facts = sorted(self.facts.values(), key=lambda f: (f.subject, f.object, f.since, f.id))
        self.report.rows_loaded = self.report.counts.get("entries_resolved", 0)
        return LoadResult(facts=facts, report=self.report, review=self.review)


def load_csl(path: str | Path, *, kg: "KnowledgeGraph | None" = None, url: str = CSL_URL, published: str = "",
             today: _dt.date | None = None, **_: Any) -> LoadResult:
    """Load the Consolidated Screening List CSV: ON_LIST facts for entries that resolve, near-misses for review.

    >>> import tempfile, pathlib
    >>> from cnaikg.graph import build_graph
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "consolidated.csv"
    >>> _ = p.write_text(",".join(CSL_COLUMNS) + "\\n" + ",".join({"source": "Entity List (EL) - Bureau of Industry and Security",
    ...     "type": "Entity", "programs": "EAR", "name": "Semiconductor Manufacturing International Corporation",
    ...     "start_date": "2020-12-22", "alt_names": "SMIC"}.get(c, "") for c in CSL_COLUMNS) + "\\n", encoding="utf-8")
    >>> [(f.subject, f.object, f.properties["date_added"]) for f in load_csl(p, kg=build_graph()).facts]
    [('smic', 'us-entity-list', '2020-12-22')]
    """
    if kg is None:
        from cnaikg.graph import build_graph

        kg = build_graph()
    shown = str(path)
    df = read_table(path, required=_CSL_REQUIRED, optional=[c for c in CSL_COLUMNS if c not in _CSL_REQUIRED], what="Consolidated Screening List CSV")
    col = _Collector("csl", shown, kg, len(df))
    day = today or _dt.date.today()
    rows = df.to_dict("records")
    try:
        newest = max((str(r["start_date"])[:10] for r in rows if re.match(r"^\d{4}-\d{2}-\d{2}$", str(r["start_date"])[:10])
                      and str(r["start_date"])[:10] <= day.isoformat()), default="")
    except TypeError:
        newest = ""
    src = Source(stable_id(url, published or newest, prefix="src-"), url, "International Trade Administration (Consolidated Screening List)",
                 published or newest or day.isoformat(), "Consolidated Screening List")
    lists: dict[str, str | None] = {}
    for r in rows:
        line = int(r["_line"])
        if str(r["type"]).strip().lower() in _NOT_LISTABLE:
            col.count("skipped_vessels_aircraft")
            continue
        if str(r["source"]) not in lists:
            lists[str(r["source"])] = _list_id(col.res, str(r["source"]))
        list_id = lists[str(r["source"])]
        if list_id is None:
            col.count("skipped_list_not_in_graph")
            continue
        name = str(r["name"]).strip()
        if why := name_problem(name):
            col.skip(line, "name", why, "the list's name cell should hold the entity's name")
            continue
        try:
            since = _date(r["start_date"], day)
        except ValueError as exc:
            col.skip(line, "start_date", str(exc), DATE_HELP)
            continue
        props: dict[str, Any] = {}
        if _split(r["programs"]):  # a list: "EAR; MEU" is two programmes, never two properties
            props["programme"] = ", ".join(_split(r["programs"]))
        if since:
            props["date_added"] = since
        if str(r["federal_register_notice"]).strip():
            props["citation"] = str(r["federal_register_notice"]).strip()
        col.entry(line, list_id, [name, *_split(r["alt_names"])], props, since, src)
    for text, lid in sorted(lists.items()):
        if lid is None:
            col.report.notes.append(f"list {text!r} is not a sanctions_list entity of the graph; its entries were counted, not loaded")
    return col.result()


def _ftm_lines(path: Path, shown: str) -> Iterable[tuple[int, str]]:
    if not path.is_file():
        raise LoaderError(f"{shown}: no such file; check the path")
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw.strip():
        raise LoaderError(f"{shown}: the file is empty; it needs one FollowTheMoney entity (JSON) per line")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoaderError(f"{shown}:{line}: not valid UTF-8 (byte {raw[exc.start]:#04x}); save the file as UTF-8") from None
    for i, ln in enumerate(text.split("\n"), 1):
        if ln.strip():
            yield i, ln


#: OpenSanctions dataset ids (the names OpenSanctions publishes under) -> the sanctions_list entity they are, or "" for
#: datasets that mix several lists (each entry is then placed by its programme).
OPENSANCTIONS_DATASETS: dict[str, str] = {
    "us_dod_chinese_milcorps": "dod-1260h-list",
    "us_trade_csl": "",
    "us_ofac_cons": "",
    "us_ofac_sdn": "",
    "us_bis_denied": "",
}
#: Programme texts (OpenSanctions ``program``/``programId``, CSL ``source``) -> list entity, matched case-insensitively as words.
PROGRAMME_LISTS: tuple[tuple[str, str], ...] = (
    (r"\bcmic\b|chinese military-industrial|eo ?13959|eo ?14032", "ns-cmic-list"),
    (r"\b1260h\b|chinese military compan", "dod-1260h-list"),
    (r"\bentity list\b|\(el\)", "us-entity-list"),
)
#: FollowTheMoney schemata that can be a listed party here; anything else is refused (recorded skip).
PARTY_SCHEMATA = ("Company", "Organization", "LegalEntity", "PublicBody", "Person")
NOT_PARTIES = ("Vessel", "Airplane", "Address", "Sanction", "Security", "CryptoWallet", "Identification", "Ownership",
               "Directorship", "Family", "Associate", "Membership", "Occupancy", "Position", "UnknownLink", "Representation")


def _programme_list(texts: Sequence[str], kg: "KnowledgeGraph") -> str | None:
    for t in texts:
        low = str(t).casefold()
        for rx, lid in PROGRAMME_LISTS:
            if re.search(rx, low):
                return lid
    return None


def _values(props: dict[str, Any], key: str) -> list[str]:
    """A FollowTheMoney property as a list of strings: a plain string (not the spec's list) counts as one value."""
    v = props.get(key)
    if v is None:
        return []
    if isinstance(v, (str, int, float)) and not isinstance(v, bool):
        return [str(v)]
    if isinstance(v, list):
        return [str(x) for x in v if isinstance(x, (str, int, float)) and not isinstance(x, bool) and str(x).strip()]
    return []


def load_opensanctions(path: str | Path, *, kg: "KnowledgeGraph | None" = None, list: str = "", url: str = "",
                       today: _dt.date | None = None, **_: Any) -> LoadResult:
    """Load OpenSanctions FollowTheMoney JSON lines: ON_LIST facts for entities that resolve, near-misses for review.

    Each entry goes to the list its dataset id names (:data:`OPENSANCTIONS_DATASETS`, or a dataset named like a
    sanctions_list entity), or, for datasets that mix lists, the list its programme names (:data:`PROGRAMME_LISTS`).
    ``list`` keeps only the entries of that list, and places entries that name no dataset at all on it; an entry
    of another or an unknown dataset is never relabelled.
    Unknown datasets and programmes are reported (notes and counts), never dropped silently.
    """
    if kg is None:
        from cnaikg.graph import build_graph

        kg = build_graph()
    shown = str(path)
    lines = [*_ftm_lines(Path(path), shown)]
    col = _Collector("opensanctions", shown, kg, len(lines))
    day = today or _dt.date.today()
    fixed = _list_id(col.res, list) if list else None
    if list and fixed is None:
        raise LoaderError(f"--option list={list!r} is not a sanctions_list entity of the graph; use the id of one (e.g. us-entity-list)")
    party_types = set(kg.ontology.relation_types["ON_LIST"].domain)
    unmapped: dict[str, int] = {}
    dataset_cache: dict[str, str | None] = {}
    for line, text in lines:
        try:
            ent = json.loads(text)
        except json.JSONDecodeError as exc:
            col.skip(line, "", f"not a JSON object ({exc.msg} at column {exc.colno})", "one entity per line; the line may be truncated")
            continue
        except RecursionError:
            col.skip(line, "", "JSON nested too deeply", "one flat FollowTheMoney entity per line")
            continue
        if not isinstance(ent, dict) or not isinstance(ent.get("properties"), dict) or not isinstance(ent.get("schema"), str) or not ent["schema"]:
            col.skip(line, "schema", "not a FollowTheMoney entity (needs schema and properties)")
            continue
        schema = ent["schema"]
        if schema in NOT_PARTIES:
            col.count("skipped_not_a_party")
            continue
        if schema not in PARTY_SCHEMATA or (schema == "Person" and "person" not in party_types):
            col.skip(line, "schema", f"schema {schema[:40]!r} is not one this loader reads as a listed party",
                     f"entries of schema {', '.join(PARTY_SCHEMATA)} are loaded")
            continue
        p = ent["properties"]
        vals = lambda k: _values(p, k)  # noqa: E731
        raw_ds: Any = ent.get("datasets", [])
        datasets = _values({"d": raw_ds}, "d")  # a string where FollowTheMoney has a list is one value
        programmes = vals("program") or vals("programId")
        own: str | None = None
        for d in datasets:
            if d not in dataset_cache:
                mapped = OPENSANCTIONS_DATASETS.get(d)
                dataset_cache[d] = (mapped or None) if d in OPENSANCTIONS_DATASETS else _list_id(col.res, d)
            if dataset_cache[d]:
                own = dataset_cache[d]
                break
        if own is None:
            own = _programme_list(programmes, kg)
        if fixed and own and own != fixed:
            col.count("skipped_other_list")
            col.skip(line, "datasets", f"the entry belongs to {own} (datasets {', '.join(datasets)}), not {fixed}", "drop --option list to load every list")
            continue
        list_id = own or (fixed if not datasets else None)  # --option list never relabels an entry of another dataset
        if list_id is not None and list_id not in kg:
            key = f"{', '.join(datasets) or 'no dataset'} (list {list_id}, not an entity of the graph)"
            unmapped[key] = unmapped.get(key, 0) + 1
            col.count("skipped_list_not_in_graph")
            continue
        if list_id is None:
            key = ", ".join(datasets) or "no dataset"
            unmapped[key] = unmapped.get(key, 0) + 1
            col.count("skipped_list_not_in_graph")
            continue
        try:
            since = _date((vals("createdAt") or vals("listingDate") or [str(ent.get("first_seen") or "")])[0], day)
        except ValueError as exc:
            col.skip(line, "first_seen", str(exc), DATE_HELP)
            continue
        names = [*vals("wikidataId"), *vals("leiCode"), *vals("registrationNumber"), *vals("name"), *vals("alias"),
                 *vals("previousName"), *vals("weakAlias")]
        if not any(vals("name")):
            col.skip(line, "name", "entity without a name", "the name property must hold the entity's name")
            continue
        props: dict[str, Any] = {}
        if programmes:
            props["programme"] = ", ".join(programmes)
        if since:
            props["date_added"] = since
        src = Source(stable_id(url or "opensanctions", ",".join(datasets), prefix="src-"),
                     url or f"https://www.opensanctions.org/entities/{str(ent.get('id', ''))[:100]}/", "OpenSanctions",
                     str(ent.get("last_seen") or ent.get("first_seen") or day.isoformat())[:10], ", ".join(datasets))
        col.entry(line, list_id, names, props, since, src)
    for key, n in sorted(unmapped.items()):
        col.report.notes.append(f"{n} entr{'y' if n == 1 else 'ies'} of dataset(s) {key}: no list of the graph matches "
                                f"(known dataset ids: {', '.join(sorted(OPENSANCTIONS_DATASETS))}); not loaded")
    return col.result()


class CslLoader(Loader):
    """US Consolidated Screening List CSV (trade.gov) -> ON_LIST facts; near-misses for review."""

    name = "csl"
    description = "US Consolidated Screening List CSV (trade.gov consolidated.csv) -> ON_LIST with programme, date_added, citation."
    suffixes = (".csv",)
    options = {"url": "where the CSV was downloaded (default: the trade.gov static URL)", "published": "date of the download (YYYY-MM-DD)"}

    def load(self, source: str | Path, *, kg: "KnowledgeGraph | None" = None, **options: Any) -> LoadResult:
        return load_csl(source, kg=kg, **options)


class OpenSanctionsLoader(Loader):
    """OpenSanctions FollowTheMoney JSON lines -> ON_LIST facts; near-misses for review."""

    name = "opensanctions"
    description = "OpenSanctions FollowTheMoney entities (JSON lines) -> ON_LIST with programme and date_added."
    suffixes = (".json", ".jsonl", ".ftm.json")
    options = {"list": "the sanctions_list entity the file belongs to (default: resolve each entity's datasets)",
               "url": "URL of the file (default: each entity's OpenSanctions page)"}

    def load(self, source: str | Path, *, kg: "KnowledgeGraph | None" = None, **options: Any) -> LoadResult:
        return load_opensanctions(source, kg=kg, **options)
