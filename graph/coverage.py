"""How complete the curated dataset is: counts per category and type, and the gaps an analyst would trip over.

`coverage(ds)` reads a :class:`~cnaikg.loaders.curated.Dataset` (or anything with
``entities``, ``facts`` and ``sources``) and returns a :class:`Coverage` report:

- entities per type and per *sector* (the categories a reader of this field
  expects: model labs, platforms, the platforms' chip units, foundries, state
  funds, regulators, exchanges/indexes/ETFs ...), facts per relation type and
  the facts that touch each sector;
- gaps: facts without ``since``, listed companies without a listing fact and
  listings without a date or board, Chinese organisations without a Chinese
  name, organisations without a Wikidata QID, entities without facts, and the
  sources by kind.

An organisation is *Chinese* when its location (LOCATED_IN, followed up through
``role=part_of`` to a country) is China, or when it carries a unified social
credit code; organisations with no location at all are counted apart, never
guessed.

>>> from cnaikg.loaders.curated import read_dataset
>>> cov = coverage(read_dataset())
>>> cov.entities_total >= 150 and cov.facts_total >= 300
True
>>> sum(cov.entities_by_sector.values()) == cov.entities_total
True
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Protocol, Sequence

from cnaikg.graph.model import Entity, Fact, Source

__all__ = ["Coverage", "coverage", "SECTORS", "ORGANISATION_TYPES", "sector_of", "country_of"]

#: The sectors of the report, in the order printed: (label, [(type, category or "*"), ...]).
#: The first matching sector wins; "platform chip units" is decided by a fact (see `sector_of`).
SECTORS: Sequence[tuple[str, Sequence[tuple[str, str]]]] = (
    ("Foundation-model labs and AI applications", (("company", "model_lab"), ("company", "ai_application"))),
    ("Platforms", (("company", "platform"),)),
    ("Platforms' chip units", ()),
    ("AI accelerator, GPU and CPU designers", (("company", "chip_design"),)),
    ("Foundries", (("company", "foundry"),)),
    ("Equipment and materials", (("company", "equipment"),)),
    ("Memory", (("company", "memory"),)),
    ("EDA and IP", (("company", "eda"),)),
    ("AI servers and cloud", (("company", "server"), ("company", "cloud"))),
    ("Robotics and autonomous driving", (("company", "robotics"),)),
    ("State funds", (("state_fund", "*"),)),
    ("Investors, banks and asset managers", (("fund", "*"), ("company", "investor"), ("company", "asset_manager"),
                                             ("company", "bank"), ("company", "broker"))),
    ("Ministries and regulators", (("government_body", "*"),)),
    ("Universities and state labs", (("university", "*"), ("research_lab", "*"))),
    ("Exchanges, indexes and ETFs", (("exchange", "*"), ("index", "*"), ("etf", "*"))),
    ("Other companies (electronics, telecom, energy, other)", (("company", "*"),)),
    ("People", (("person", "*"),)),
    ("Products (models, chips, apps, systems)", (("product", "*"),)),
    ("Programmes and sanctions lists", (("program", "*"), ("sanctions_list", "*"))),
    ("Places", (("place", "*"),)),
)
CHIP_UNITS = "Platforms' chip units"

#: Entity types that are organisations (the ones that can have a Chinese name, a QID, an LEI).
ORGANISATION_TYPES = ("company", "state_fund", "fund", "government_body", "university", "research_lab", "exchange")
#: Places that count as China (Hong Kong and Macau are part of the PRC; Taiwan is kept apart).
CHINA = frozenset({"china", "hong-kong", "macau"})


class _DatasetLike(Protocol):
    @property
    def entities(self) -> Mapping[str, Entity]: ...  # read-only, so a Dataset's dict fits (mypy)
    @property
    def facts(self) -> list[Fact]: ...
    @property
    def sources(self) -> Mapping[str, Source]: ...


@dataclass
class Coverage:
    """The numbers of one coverage report; every list holds entity ids (or fact origins), sorted."""

    entities_total: int = 0
    facts_total: int = 0
    sources_total: int = 0
    entities_by_type: dict[str, int] = field(default_factory=dict)
    entities_by_sector: dict[str, int] = field(default_factory=dict)
    companies_by_sector: dict[str, int] = field(default_factory=dict)
    facts_by_sector: dict[str, int] = field(default_factory=dict)
    facts_by_relation: dict[str, int] = field(default_factory=dict)
    since_by_relation: dict[str, int] = field(default_factory=dict)
    facts_without_since: list[str] = field(default_factory=list)
    listed_companies: list[str] = field(default_factory=list)
    listed_without_listing: list[str] = field(default_factory=list)
    listings_without_date: list[str] = field(default_factory=list)
    listings_without_board: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    chinese_organisations: list[str] = field(default_factory=list)
    chinese_without_name_zh: list[str] = field(default_factory=list)
    organisations_without_location: list[str] = field(default_factory=list)
    organisations_without_qid: list[str] = field(default_factory=list)
    identifiers: dict[str, int] = field(default_factory=dict)
    entities_without_facts: list[str] = field(default_factory=list)
    sources_by_kind: dict[str, int] = field(default_factory=dict)
    facts_by_confidence: dict[str, int] = field(default_factory=dict)
    newest_source: str = ""

    @property
    def since_share(self) -> float:
        """Share of facts that carry a ``since`` date (0..1)."""
        return 1 - len(self.facts_without_since) / self.facts_total if self.facts_total else 0.0

    def share(self, part: Sequence[Any], whole: Sequence[Any]) -> float:
        """``len(part) / len(whole)`` (0 when ``whole`` is empty)."""
        return len(part) / len(whole) if whole else 0.0

    def summary_rows(self) -> list[dict[str, Any]]:
        """One row per figure: section, item, count, share (for ``--format csv/json``)."""
        rows: list[dict[str, Any]] = [
            {"section": "total", "item": "entities", "count": self.entities_total, "share": None},
            {"section": "total", "item": "facts", "count": self.facts_total, "share": None},
            {"section": "total", "item": "sources", "count": self.sources_total, "share": None},
        ]
        rows += [{"section": "entities by type", "item": k, "count": v, "share": None} for k, v in self.entities_by_type.items()]
        rows += [{"section": "entities by sector", "item": k, "count": v, "share": None} for k, v in self.entities_by_sector.items()]
        rows += [{"section": "companies by sector", "item": k, "count": v, "share": None} for k, v in self.companies_by_sector.items()]
        rows += [{"section": "facts touching sector", "item": k, "count": v, "share": None} for k, v in self.facts_by_sector.items()]
        rows += [{"section": "facts by relation", "item": k, "count": v,
                  "share": round(self.since_by_relation.get(k, 0) / v, 4) if v else None} for k, v in self.facts_by_relation.items()]
        gaps = [
            ("facts without since", self.facts_without_since, self.facts_total),
            ("listed companies without a LISTED_ON fact", self.listed_without_listing, len(self.listed_companies)),
            ("listings without listing_date", self.listings_without_date, self.facts_by_relation.get("LISTED_ON", 0)),
            ("listings without board", self.listings_without_board, self.facts_by_relation.get("LISTED_ON", 0)),
            ("Chinese organisations without a Chinese name", self.chinese_without_name_zh, len(self.chinese_organisations)),
            ("organisations without a location", self.organisations_without_location, len(self.organisations)),
            ("organisations without a Wikidata QID", self.organisations_without_qid, len(self.organisations)),
            ("entities without facts", self.entities_without_facts, self.entities_total),
        ]
        rows += [{"section": "gaps", "item": k, "count": len(v), "share": round(len(v) / n, 4) if n else None} for k, v, n in gaps]
        rows += [{"section": "identifiers", "item": k, "count": v, "share": None} for k, v in self.identifiers.items()]
        rows += [{"section": "sources by kind", "item": k, "count": v, "share": None} for k, v in self.sources_by_kind.items()]
        rows += [{"section": "facts by confidence", "item": k, "count": v, "share": None} for k, v in self.facts_by_confidence.items()]
        return rows


def sector_of(entity: Entity, chip_units: Iterable[str] = ()) -> str:
    """The report sector of ``entity``; ``chip_units`` are the ids of chip designers owned by a platform.

    >>> sector_of(Entity("t", "company", "T", category="chip_design"), chip_units={"t"})
    "Platforms' chip units"
    >>> sector_of(Entity("x", "etf", "X"))
    'Exchanges, indexes and ETFs'
    """
    if entity.id in set(chip_units):
        return CHIP_UNITS
    for label, rules in SECTORS:
        for typ, cat in rules:
            if entity.type == typ and (cat == "*" or cat == entity.category):
                return label
    return "Other"


def _chip_units(entities: Mapping[str, Entity], facts: Iterable[Fact]) -> set[str]:
    out = set()
    for f in facts:
        if f.relation != "SUBSIDIARY_OF":
            continue
        sub, parent = entities.get(f.subject), entities.get(f.object)
        if sub and parent and sub.category == "chip_design" and parent.category == "platform":
            out.add(sub.id)
    return out


def country_of(eid: str, entities: Mapping[str, Entity], located: Mapping[str, list[tuple[str, str]]]) -> str:
    """The country (place id) an entity is in, following LOCATED_IN then ``part_of``; "" when unknown.

    Hong Kong and Macau resolve to "china". Only where an organisation is based counts (headquarters, or a
    location without a role); an office or facility abroad does not give it a country, so Samsung's Xi'an fab
    does not make Samsung Chinese.

    >>> ents = {"fab": Entity("fab", "company", "Fab"), "xian": Entity("xian", "place", "Xi'an", category="city"),
    ...         "china": Entity("china", "place", "China", category="country")}
    >>> country_of("fab", ents, {"fab": [("xian", "facility")], "xian": [("china", "part_of")]})
    ''
    >>> country_of("fab", ents, {"fab": [("xian", "headquarters")], "xian": [("china", "part_of")]})
    'china'
    """
    seen: set[str] = set()
    current = eid
    while current and current not in seen:
        seen.add(current)
        e = entities.get(current)
        if e is not None and e.type == "place" and (e.category == "country" or current in CHINA):
            return "china" if current in CHINA else current
        links = [(place, role) for place, role in located.get(current, []) if role not in ("office", "facility")]
        if not links:
            return ""
        rank = {"headquarters": 0, "part_of": 0, "": 1}
        current = sorted(links, key=lambda t: rank.get(t[1], 2))[0][0]
    return ""


def coverage(ds: _DatasetLike) -> Coverage:
    """The coverage report of a dataset (see the module docstring for what each figure means)."""
    ents, facts = ds.entities, list(ds.facts)
    cov = Coverage(entities_total=len(ents), facts_total=len(facts), sources_total=len(ds.sources))
    units = _chip_units(ents, facts)
    sector = {eid: sector_of(e, units) for eid, e in ents.items()}

    cov.entities_by_type = dict(sorted(Counter(e.type for e in ents.values()).items(), key=lambda kv: (-kv[1], kv[0])))
    order = [label for label, _ in SECTORS]
    by_sector = Counter(sector.values())
    cov.entities_by_sector = {s: by_sector[s] for s in order + ["Other"] if by_sector[s]}
    comp = Counter(sector[eid] for eid, e in ents.items() if e.type == "company")
    cov.companies_by_sector = {s: comp[s] for s in order + ["Other"] if comp[s]}
    touching: Counter[str] = Counter()
    for f in facts:
        for s in {sector.get(f.subject, "Other"), sector.get(f.object, "Other")}:
            touching[s] += 1
    cov.facts_by_sector = {s: touching[s] for s in order + ["Other"] if touching[s]}

    rel = Counter(f.relation for f in facts)
    cov.facts_by_relation = dict(sorted(rel.items(), key=lambda kv: (-kv[1], kv[0])))
    cov.since_by_relation = dict(Counter(f.relation for f in facts if f.since))
    cov.facts_without_since = sorted(f"{f.subject} {f.relation} {f.object}" for f in facts if not f.since)
    cov.facts_by_confidence = dict(Counter(f.confidence for f in facts))

    listings = [f for f in facts if f.relation == "LISTED_ON"]
    with_listing = {f.subject for f in listings}
    traded = {f.subject for f in facts if f.relation == "MEMBER_OF" and ents.get(f.object) is not None and ents[f.object].type == "index"}
    traded |= {f.object for f in facts if f.relation == "HOLDS" and ents.get(f.subject) is not None and ents[f.subject].type == "etf"}
    listed = {e for e in with_listing | traded if e in ents and ents[e].type == "company"}
    cov.listed_companies = sorted(listed)
    cov.listed_without_listing = sorted(listed - with_listing)
    cov.listings_without_date = sorted(f"{f.subject} {f.properties.get('ticker', '')}" for f in listings if not f.properties.get("listing_date"))
    cov.listings_without_board = sorted(f"{f.subject} {f.properties.get('ticker', '')}" for f in listings if not f.properties.get("board"))

    located: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for f in facts:
        if f.relation == "LOCATED_IN":
            located[f.subject].append((f.object, str(f.properties.get("role", ""))))
    orgs = sorted(eid for eid, e in ents.items() if e.type in ORGANISATION_TYPES)
    cov.organisations = orgs
    country = {eid: country_of(eid, ents, located) for eid in orgs}
    chinese = [eid for eid in orgs if country[eid] == "china" or ents[eid].identifiers.get("uscc")]
    cov.chinese_organisations = chinese
    cov.chinese_without_name_zh = [eid for eid in chinese if not ents[eid].name_zh]
    cov.organisations_without_location = [eid for eid in orgs if not located.get(eid)]
    cov.organisations_without_qid = [eid for eid in orgs if not ents[eid].identifiers.get("wikidata")]
    cov.identifiers = {k: sum(1 for e in ents.values() if e.identifiers.get(k)) for k in ("wikidata", "lei", "uscc")}

    used = {f.subject for f in facts} | {f.object for f in facts}
    cov.entities_without_facts = sorted(set(ents) - used)
    kinds = Counter(s.kind or "(none)" for s in ds.sources.values())
    cov.sources_by_kind = dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    cov.newest_source = max((s.published for s in ds.sources.values() if s.published), default="")
    return cov


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def render(cov: Coverage, *, show: int = 10) -> str:
    """The report as text: totals, then per type, per sector, per relation, then the gaps (first ``show`` ids each)."""
    out: list[str] = []
    w = out.append
    w(f"{cov.entities_total} entities ({cov.entities_by_type.get('company', 0)} companies), {cov.facts_total} facts, "
      f"{cov.sources_total} sources; newest source {cov.newest_source or 'n/a'}")
    w("")
    w("Entities by type:")
    for k, v in cov.entities_by_type.items():
        w(f"  {k:<40}{v:>6}")
    w("")
    w("By sector:                                 entities  companies  facts touching")
    for k, v in cov.entities_by_sector.items():
        w(f"  {k:<40}{v:>8}{cov.companies_by_sector.get(k, 0):>11}{cov.facts_by_sector.get(k, 0):>16}")
    w("")
    w("Facts by relation:                            facts  with since")
    for k, v in cov.facts_by_relation.items():
        s = cov.since_by_relation.get(k, 0)
        w(f"  {k:<40}{v:>8}  {s:>5} ({_pct(s, v)})")
    w("")
    w("Gaps:")
    n_list = cov.facts_by_relation.get("LISTED_ON", 0)
    gaps = [
        ("facts without since", cov.facts_without_since, cov.facts_total),
        ("listed companies without a LISTED_ON fact", cov.listed_without_listing, len(cov.listed_companies)),
        ("listings without listing_date", cov.listings_without_date, n_list),
        ("listings without board", cov.listings_without_board, n_list),
        ("Chinese organisations without a Chinese name", cov.chinese_without_name_zh, len(cov.chinese_organisations)),
        ("organisations without a location", cov.organisations_without_location, len(cov.organisations)),
        ("organisations without a Wikidata QID", cov.organisations_without_qid, len(cov.organisations)),
        ("entities without facts", cov.entities_without_facts, cov.entities_total),
    ]
    for label, items, whole in gaps:
        w(f"  {label}: {len(items)} of {whole} ({_pct(len(items), whole)})")
        if show and items:
            more = f" ... and {len(items) - show} more" if len(items) > show else ""
            w("    " + ", ".join(items[:show]) + more)
    w("")
    w("Identifiers: " + ", ".join(f"{k} {v}" for k, v in cov.identifiers.items()))
    w("Sources by kind: " + ", ".join(f"{k} {v}" for k, v in cov.sources_by_kind.items()))
    w("Facts by confidence: " + ", ".join(f"{k} {v}" for k, v in sorted(cov.facts_by_confidence.items())))
    return "\n".join(out)
