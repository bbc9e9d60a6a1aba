"""The ontology: entity and relationship types read once from data/ontology.toml.

Nothing else in cnaikg keeps a list of types; validation, exporters, Neo4j labels,
RDF classes and HTML legends all ask this module.

>>> onto = load_ontology()
>>> onto.relation("INVESTS_IN").allows("state_fund", "company")
True
>>> sorted(onto.relation("LISTED_ON").properties)[:2]
['board', 'listing_date']
>>> onto.relation("OWNED_BY")
Traceback (most recent call last):
...
cnaikg.errors.OntologyError: unknown relationship type 'OWNED_BY'; known: ADMINISTERS, AFFILIATED_WITH, DEVELOPS, FOUNDED_BY, FUNDS, HOLDS, INVESTS_IN, LISTED_ON, LOCATED_IN, MANAGES, MEMBER_OF, ON_LIST, OWNS, PARTNERS_WITH, SUBSIDIARY_OF, SUPPLIES, TRACKS, UNDERWRITES, USES
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from cnaikg.errors import OntologyError
from cnaikg.graph.dates import DATE_HELP, is_date

__all__ = ["Ontology", "EntityType", "RelationType", "PropertySpec", "load_ontology", "default_ontology_path", "PROPERTY_TYPES"]

PROPERTY_TYPES = ("string", "number", "percent", "date", "enum", "boolean", "list")


@dataclass(frozen=True)
class PropertySpec:
    """A declared property of a relationship type."""

    name: str
    type: str = "string"
    description: str = ""
    required: bool = False
    values: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None

    def coerce(self, raw: str) -> Any:
        """Turn the text of a cell into a typed value; raise ValueError saying how to fix.

        >>> PropertySpec("stake_pct", "percent").coerce("12.5")
        12.5
        >>> PropertySpec("stake_pct", "percent").coerce("120")
        Traceback (most recent call last):
        ...
        ValueError: 120 is outside 0 to 100; write a percentage such as 12.5
        """
        raw = raw.strip()
        if self.type in ("number", "percent"):
            from cnaikg.graph.values import parse_number  # the one number parser of every loader

            value = parse_number(raw, percent=self.type == "percent")
            lo, hi = (0.0, 100.0) if self.type == "percent" else (self.minimum, self.maximum)
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                span = f"{_fmt(lo)} to {_fmt(hi)}" if hi is not None else f"at least {_fmt(lo)}"
                hint = "; write a percentage such as 12.5" if self.type == "percent" else ""
                raise ValueError(f"{_fmt(value)} is outside {span}{hint}")
            return int(value) if value.is_integer() and self.type == "number" else value
        if self.type == "date":
            if not is_date(raw):
                raise ValueError(f"{raw!r} is not a date; {DATE_HELP}")
            return raw
        if self.type == "enum":
            if raw not in self.values:
                raise ValueError(f"{raw!r} is not allowed; use one of {', '.join(self.values)}")
            return raw
        if self.type == "boolean":
            if raw.lower() not in ("true", "false"):
                raise ValueError(f"{raw!r} is not a boolean; write true or false")
            return raw.lower() == "true"
        if self.type == "list":
            return [v.strip() for v in raw.split("|") if v.strip()]
        if self.pattern and not re.fullmatch(self.pattern, raw):
            raise ValueError(f"{raw!r} does not match {self.pattern}")
        return raw


def _fmt(x: float | None) -> str:
    return "" if x is None else (str(int(x)) if float(x).is_integer() else str(x))


@dataclass(frozen=True)
class EntityType:
    """A declared entity type (company, state_fund, ...)."""

    name: str
    label: str
    description: str = ""
    categories: tuple[str, ...] = ()
    color: str = "#999999"
    shape: str = "dot"


@dataclass(frozen=True)
class RelationType:
    """A declared relationship type with its domain, range and properties."""

    name: str
    description: str
    domain: tuple[str, ...]
    range: tuple[str, ...]
    properties: Mapping[str, PropertySpec] = field(default_factory=dict)
    symmetric: bool = False
    color: str = "#999999"

    def allows(self, subject_type: str, object_type: str) -> bool:
        """True when a subject of ``subject_type`` may point to an object of ``object_type``."""
        if subject_type in self.domain and object_type in self.range:
            return True
        return self.symmetric and object_type in self.domain and subject_type in self.range

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the properties every fact of this type must carry."""
        return tuple(p.name for p in self.properties.values() if p.required)


@dataclass(frozen=True)
class Ontology:
    """Entity and relationship types; look-ups raise OntologyError naming what exists."""

    entity_types: Mapping[str, EntityType]
    relation_types: Mapping[str, RelationType]
    meta: Mapping[str, Any]
    path: str = ""

    def entity_type(self, name: str) -> EntityType:
        """The entity type called ``name``."""
        try:
            return self.entity_types[name]
        except KeyError:
            raise OntologyError(f"unknown entity type {name!r}; known: {', '.join(sorted(self.entity_types))}") from None

    def relation(self, name: str) -> RelationType:
        """The relationship type called ``name`` (upper case)."""
        try:
            return self.relation_types[name]
        except KeyError:
            raise OntologyError(f"unknown relationship type {name!r}; known: {', '.join(sorted(self.relation_types))}") from None

    def check_label(self, name: str) -> str:
        """Return ``name`` if it is an entity type or relation type; else raise (guards Cypher labels)."""
        if name in self.relation_types or name in self.entity_types:
            return name
        raise OntologyError(f"{name!r} is neither an entity type nor a relationship type of the ontology")


def default_ontology_path() -> Path:
    """Path of the ontology shipped with the package (data/ontology.toml)."""
    from cnaikg.paths import data_dir

    return data_dir() / "ontology.toml"


def load_ontology(path: str | Path | None = None) -> Ontology:
    """Read and check the ontology file (cached per path: the ontology is read once).

    >>> load_ontology().entity_type("state_fund").label
    'State fund'
    """
    p = Path(path) if path else default_ontology_path()
    return _load(str(p.resolve()))


@lru_cache(maxsize=8)
def _load(path: str) -> Ontology:
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise OntologyError(f"{path}: ontology file not found; pass --data pointing at a folder with ontology.toml") from None
    except tomllib.TOMLDecodeError as exc:
        raise OntologyError(f"{path}: not valid TOML: {exc}") from None
    problems: list[str] = []
    etypes = {name: _entity_type(name, spec) for name, spec in raw.get("entity_types", {}).items()}
    rtypes = {}
    for name, spec in raw.get("relation_types", {}).items():
        try:
            rtypes[name] = _relation_type(name, spec)
        except (TypeError, ValueError) as exc:
            problems.append(f"relation_types.{name}: {exc}")
    # second pass: every reference must name a declared type
    for r in rtypes.values():
        if not re.fullmatch(r"[A-Z][A-Z_]*", r.name):
            problems.append(f"relation_types.{r.name}: relationship type names are UPPER_SNAKE_CASE")
        for side, types in (("domain", r.domain), ("range", r.range)):
            for t in types:
                if t not in etypes:
                    problems.append(f"relation_types.{r.name}.{side}: {t!r} is not a declared entity type")
        for p in r.properties.values():
            if p.type not in PROPERTY_TYPES:
                problems.append(f"relation_types.{r.name}.properties.{p.name}: type {p.type!r} is not one of {', '.join(PROPERTY_TYPES)}")
            if p.type == "enum" and not p.values:
                problems.append(f"relation_types.{r.name}.properties.{p.name}: an enum needs `values`")
    clash = set(etypes) & {n.lower() for n in rtypes}
    if clash:
        problems.append(f"names used both as entity and relationship type: {sorted(clash)}")
    if not etypes or not rtypes:
        problems.append("the ontology declares no entity_types or no relation_types")
    if problems:
        raise OntologyError(f"{path}: " + "; ".join(problems))
    return Ontology(etypes, rtypes, raw.get("meta", {}), path)


def _entity_type(name: str, spec: Mapping[str, Any]) -> EntityType:
    return EntityType(
        name=name,
        label=spec.get("label", name),
        description=spec.get("description", ""),
        categories=tuple(spec.get("categories", ())),
        color=spec.get("color", "#999999"),
        shape=spec.get("shape", "dot"),
    )


def _relation_type(name: str, spec: Mapping[str, Any]) -> RelationType:
    props = {
        pname: PropertySpec(
            name=pname,
            type=p.get("type", "string"),
            description=p.get("description", ""),
            required=bool(p.get("required", False)),
            values=tuple(p.get("values", ())),
            minimum=p.get("minimum"),
            maximum=p.get("maximum"),
            pattern=p.get("pattern"),
        )
        for pname, p in spec.get("properties", {}).items()
    }
    return RelationType(
        name=name,
        description=spec.get("description", ""),
        domain=tuple(spec["domain"]),
        range=tuple(spec["range"]),
        properties=props,
        symmetric=bool(spec.get("symmetric", False)),
        color=spec.get("color", "#999999"),
    )
