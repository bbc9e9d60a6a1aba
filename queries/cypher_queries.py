"""Canned Cypher queries: the .cypher files of queries/cypher/, their header comments parsed and their parameters typed.

Each file starts with ``//`` comment lines::

    // description: The supply chain of a company: every supplier up to N hops upstream.
    // param company (entity): the company: an id, a name or a ticker, e.g. 'lab-a'
    // param hops (integer, default 3): how many SUPPLIES hops to follow (1 to 6)
    // use: cnaikg cypher --name supply-chain --param company=deepseek --param hops=2

A description or use may continue on following ``//`` lines that do not start a
new key. The query name is the file name without ``.cypher``.

Parameter types: ``string``, ``integer``, ``float``, ``boolean``, ``list``
(``a|b``), ``entity`` (an entity id; the command line resolves a name, ticker or
alias to it the way `cnaikg resolve` does), ``date`` (YYYY, YYYY-MM or
YYYY-MM-DD, sent as a Cypher DATE: the first day of the period) and
``end_date`` (the same, but the last day of the period: ``to=2024`` means
2024-12-31).

>>> q = get_query("supply-chain")
>>> q.params[0].name, q.params[1].default
('company', 3)
>>> q.bind({"company": "lab-a", "hops": "2"})
{'company': 'lab-a', 'hops': 2}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from cnaikg.errors import KGError

__all__ = ["QueryParam", "CannedQuery", "parse_query", "load_queries", "get_query", "queries_folder", "coerce", "PARAM_TYPES"]

PARAM_TYPES = ("string", "integer", "float", "boolean", "date", "end_date", "list", "entity")
_REQUIRED = object()
_PARAM = re.compile(r"^param\s+(?P<name>[A-Za-z_]\w*)\s*\((?P<type>\w+)(?:\s*,\s*default\s+(?P<default>.*?))?\)\s*:\s*(?P<desc>.*)$")
_KEY = re.compile(r"^(description|use|param)\b")


class QueryError(KGError):
    """A canned query is unknown, malformed, or given a wrong parameter."""


def coerce(value: str, type_: str, *, name: str = "value") -> Any:
    """Turn the text of ``--param name=value`` into the declared type.

    >>> coerce("3", "integer"), coerce("yes", "boolean"), coerce("a|b", "list"), coerce("null", "string")
    (3, True, ['a', 'b'], None)
    >>> coerce("2024", "date"), coerce("2024", "end_date"), coerce("2024-02", "end_date")
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), datetime.date(2024, 2, 29))
    """
    if value.strip().lower() == "null":
        return None
    try:
        if type_ == "integer":
            return int(value)
        if type_ == "float":
            return float(value)
        if type_ == "boolean":
            v = value.strip().lower()
            if v in ("true", "yes", "1"):
                return True
            if v in ("false", "no", "0"):
                return False
            raise ValueError(value)
        if type_ == "list":
            return [v for v in value.split("|") if v]
        if type_ in ("date", "end_date"):
            from cnaikg.graph.dates import parse_date

            d = parse_date(value.strip())
            return d.start if type_ == "date" else d.end
        return value
    except ValueError:
        raise QueryError(f"parameter {name}: {value!r} is not a {type_}; e.g. "
                         + {"integer": "3", "float": "0.5", "boolean": "true", "date": "2024-06-30, 2024-06 or 2024", "end_date": "2024-06-30, 2024-06 or 2024", "list": "a|b"}.get(type_, "text")) from None


@dataclass(frozen=True)
class QueryParam:
    """A declared parameter: name, type, default (``required`` when none) and description."""

    name: str
    type: str
    default: Any = _REQUIRED
    description: str = ""

    @property
    def names_entity(self) -> bool:
        """True when the value is an entity id (the command line resolves names and tickers to it)."""
        return self.type == "entity"

    @property
    def required(self) -> bool:
        """True when the query cannot run without this parameter."""
        return self.default is _REQUIRED

    def describe(self) -> str:
        """``name (type, default X): description`` for listings."""
        d = "" if self.required else f", default {json.dumps(self.default)}"
        return f"{self.name} ({self.type}{d}): {self.description}"


@dataclass(frozen=True)
class CannedQuery:
    """A named query with its description, parameters, expected use and text."""

    name: str
    description: str
    params: tuple[QueryParam, ...]
    use: str
    text: str
    path: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)

    def bind(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Parameters for the driver: ``given`` (text from --param is typed), defaults filled in, unknown or missing ones refused."""
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter {', '.join(unknown)}; its parameters: "
                             + (", ".join(declared) or "none"))
        out: dict[str, Any] = {}
        for p in self.params:
            if p.name in given:
                v = given[p.name]
                out[p.name] = coerce(v, p.type, name=p.name) if isinstance(v, str) else v
            elif p.required:
                raise QueryError(f"query {self.name!r} needs --param {p.name}=... ({p.description})")
            else:
                out[p.name] = p.default
        return out


def _default(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.strip().strip("'")


def parse_query(path: str | Path) -> CannedQuery:
    """Read one .cypher file: header comment (description, params, use) and query text."""
    p = Path(path)
    header: list[str] = []
    body: list[str] = []
    for line in p.read_text(encoding="utf-8").splitlines():
        if not body and line.lstrip().startswith("//"):
            header.append(line.lstrip()[2:].strip())
        elif body or line.strip():
            body.append(line)
    fields: dict[str, list[str]] = {}
    params: list[QueryParam] = []
    current: list[str] | None = None
    for h in header:
        m = _PARAM.match(h)
        if m:
            if m["type"] not in PARAM_TYPES:
                raise QueryError(f"{p}: parameter {m['name']} has type {m['type']!r}; use one of {', '.join(PARAM_TYPES)}")
            default = _REQUIRED if m["default"] is None else _default(m["default"])
            params.append(QueryParam(m["name"], m["type"], default, m["desc"].strip()))
            current = None
        elif ":" in h and _KEY.match(h):
            key, _, val = h.partition(":")
            current = fields.setdefault(key.strip(), [])
            current.append(val.strip())
        elif current is not None and h:
            current.append(h)
    text = "\n".join(body).strip()
    if not fields.get("description") or not text:
        raise QueryError(f"{p}: a canned query needs a `// description:` header line and a query body")
    used = set(re.findall(r"\$([A-Za-z_]\w*)", re.sub(r"'[^']*'|\"[^\"]*\"", "", text)))
    missing = sorted(used - {q.name for q in params})
    if missing:
        raise QueryError(f"{p}: the query uses ${', $'.join(missing)} but declares no `// param` line for it")
    return CannedQuery(p.stem, " ".join(fields["description"]), tuple(params), " ".join(fields.get("use", [])), text, str(p))


def queries_folder() -> Path:
    """The folder of the shipped canned queries (queries/cypher)."""
    return Path(__file__).parent / "cypher"


def load_queries(folder: str | Path | None = None) -> dict[str, CannedQuery]:
    """Every canned query of ``folder`` (default: the shipped ones), by name, sorted.

    >>> len(load_queries()) >= 12
    True
    """
    d = Path(folder) if folder else queries_folder()
    return {q.name: q for q in (parse_query(f) for f in sorted(d.glob("*.cypher")))}


def get_query(name: str, folder: str | Path | None = None) -> CannedQuery:
    """The canned query called ``name``; QueryError listing the names when there is none."""
    qs = load_queries(folder)
    try:
        return qs[name]
    except KeyError:
        raise QueryError(f"no canned query named {name!r}; known: {', '.join(qs)} (see `cnaikg cypher --list`)") from None
