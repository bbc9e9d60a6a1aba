"""The records of the graph: sources, entities and facts (sourced, dated statements).

A Fact is a statement in the followthemoney sense: subject, relation, object,
typed properties, validity dates, the sources that say it and a confidence.
Fact ids are deterministic hashes of the natural key, so rebuilds and
Neo4j MERGE stay stable.

>>> s = Source("reuters-x", "https://example.org/a", "Reuters", "2024-02-20")
>>> f = Fact.create("alibaba", "INVESTS_IN", "moonshot-ai", since="2024-02", sources=(s,), confidence="medium")
>>> f.id
'f-2145fc7185ec7da2'
>>> f.known_since.isoformat()
'2024-02-20'
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from cnaikg.graph.dates import parse_date

__all__ = ["Source", "Entity", "Fact", "CONFIDENCE_LEVELS", "stable_id"]

CONFIDENCE_LEVELS = ("high", "medium", "low")


def stable_id(*parts: Any, prefix: str = "") -> str:
    """A deterministic short id from the natural key ``parts`` (never random).

    >>> stable_id("a", "B", 1, prefix="f-")
    'f-29cbc2be2881960c'
    """
    key = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return prefix + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Source:
    """A document that states facts: where it is, who published it and when."""

    id: str
    url: str
    publisher: str
    published: str
    title: str = ""
    kind: str = ""  # primary, news, reference, aggregator or mirror (data/sources/*.csv column ``kind``)

    @property
    def known_from(self) -> _dt.date:
        """The first day on which the document is certainly public (end of a partial date)."""
        return parse_date(self.published).end

    def to_dict(self) -> dict[str, str]:
        """The exchange-format dict: url, publisher, published (and id, title)."""
        d = {"id": self.id, "url": self.url, "publisher": self.publisher, "published": self.published, "title": self.title}
        if self.kind:
            d["kind"] = self.kind
        return d


@dataclass(frozen=True)
class Entity:
    """An organisation, person, product, place, list or programme in the graph."""

    id: str
    type: str
    name: str
    name_zh: str = ""
    aliases: tuple[str, ...] = ()
    category: str = ""
    founded: str = ""
    identifiers: Mapping[str, Any] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    note: str = ""
    origin: str = ""  # file:line it was read from

    @property
    def tickers(self) -> list[str]:
        """Tickers of the entity's listings (filled in from LISTED_ON facts)."""
        return list(self.identifiers.get("tickers", ()))

    @property
    def all_names(self) -> tuple[str, ...]:
        """English name, Chinese name and aliases, in that order, without blanks."""
        return tuple(n for n in (self.name, self.name_zh, *self.aliases) if n)


@dataclass(frozen=True)
class Fact:
    """A sourced, dated statement ``subject -relation-> object`` with typed properties."""

    id: str
    subject: str
    relation: str
    object: str
    since: str = ""
    until: str = ""
    properties: Mapping[str, Any] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    confidence: str = "medium"
    note: str = ""
    origin: str = ""

    @classmethod
    def create(
        cls,
        subject: str,
        relation: str,
        object: str,
        *,
        since: str = "",
        until: str = "",
        properties: Mapping[str, Any] | None = None,
        sources: tuple[Source, ...] = (),
        confidence: str = "medium",
        note: str = "",
        origin: str = "",
    ) -> "Fact":
        """Build a fact whose id is derived from its natural key (subject, relation, object, dates, properties)."""
        props = dict(properties or {})
        fid = stable_id(subject, relation, object, since, until, sorted(props.items()), prefix="f-")
        return cls(fid, subject, relation, object, since, until, props, tuple(sources), confidence, note, origin)

    @property
    def known_since(self) -> _dt.date | None:
        """The day the fact became public: publication of its earliest source (None without sources)."""
        days = [s.known_from for s in self.sources if s.published]
        return min(days) if days else None

    def to_link(self) -> dict[str, Any]:
        """The exchange-format link of out/graph.json."""
        return {
            "source": self.subject,
            "target": self.object,
            "key": self.id,
            "type": self.relation,
            "since": self.since or None,
            "until": self.until or None,
            "properties": dict(self.properties),
            "sources": [{"url": s.url, "publisher": s.publisher, "published": s.published} for s in self.sources],
            "confidence": self.confidence,
        }
