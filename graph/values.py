"""One set of value checks for every loader: numbers, percentages, dates, identifiers, amounts, whole facts.

The curated loader, every source loader (through ``cnaikg load``) and the
ontology's property coercion all call these functions, so a value is judged
the same way whichever path it came by. Each ``*_problem`` function returns
'' for a good value and otherwise one sentence saying what is wrong and how to
fix it; :func:`parse_number` raises ValueError with such a sentence.

>>> parse_number("1,234.5"), parse_number("12.5%"), parse_number("600000000.0")
(1234.5, 12.5, 600000000.0)
>>> parse_number("1_0")
Traceback (most recent call last):
...
ValueError: '1_0' is not a number: underscores are not digit separators here; write 10 or 1,000
>>> date_problem("2024-13-01"), date_problem("２０２４")[:41]
("'2024-13-01' is not a valid date; write YYYY, YYYY-MM or YYYY-MM-DD (for example 2024, 2024-05 or 2024-05-17)", "'２０２４' uses full-width or non-ASCII digit")
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from cnaikg.graph.dates import DATE_HELP, parse_date

if TYPE_CHECKING:
    from cnaikg.graph.model import Entity, Fact
    from cnaikg.graph.ontology import Ontology

__all__ = ["parse_number", "number_problem", "date_problem", "percent_problem", "identifier_problem", "IDENTIFIER_RULES",
           "fact_problems", "CONFIDENCE_LEVELS_ALLOWED", "WEIGHT_TOLERANCE", "STAKE_TOLERANCE", "non_ascii_digits"]

#: Identifier formats (the same rules for entities in data/ and identifiers a loader reads).
IDENTIFIER_RULES: Mapping[str, tuple[re.Pattern[str], str]] = {
    "wikidata": (re.compile(r"^Q[1-9][0-9]*$"), "a Wikidata QID such as Q42"),
    "uscc": (re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"), "an 18-character unified social credit code"),
    "lei": (re.compile(r"^[A-Z0-9]{18}[0-9]{2}$"), "a 20-character LEI"),
    "currency": (re.compile(r"^[A-Z]{3}$"), "an ISO 4217 currency code such as CNY or USD"),
}
CONFIDENCE_LEVELS_ALLOWED = ("high", "medium", "low")
#: Weights of one fund on one date may sum to 100 plus this much (rounding in issuers' files).
WEIGHT_TOLERANCE = 0.5
#: Holders' stakes in one company on one date may sum to 100 plus this much (rounding in filings).
STAKE_TOLERANCE = 0.5

_PLAIN = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?$")
_GROUPED = re.compile(r"^[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")
MAX_NUMBER_TEXT = 64



#: Each money field and the currency fields that may give its currency (the first is the one to add).
AMOUNT_CURRENCIES: dict[str, tuple[str, ...]] = {"amount": ("currency",), "round_amount": ("round_currency", "currency")}

def non_ascii_digits(text: str) -> bool:
    """True when ``text`` holds a digit that is not 0-9 (full-width ０-９, Arabic-Indic ٠-٩, ...).

    >>> non_ascii_digits("２０２４"), non_ascii_digits("٢٠٢٤"), non_ascii_digits("2024")
    (True, True, False)
    """
    return any(ch.isdigit() and not ("0" <= ch <= "9") for ch in text) or any(
        unicodedata.category(ch) == "Nd" and not ("0" <= ch <= "9") for ch in text)


def parse_number(text: Any, *, percent: bool = True) -> float:
    """The number written in ``text``: ASCII digits, optional sign, decimal point, exponent, thousands
    separators in groups of three, and (when ``percent``) a trailing ``%``.

    Refused with a ValueError saying how to fix: empty cells, underscores
    (Python would read ``1_0`` as 10), full-width or other non-ASCII digits,
    badly grouped separators (``1,23``), NaN and infinity.

    >>> parse_number(" -1.5 "), parse_number("1e3"), parse_number(7)
    (-1.5, 1000.0, 7.0)
    """
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a number")
    if isinstance(text, (int, float)):
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(f"{text!r} is not a finite number")
        return value
    raw = str(text).strip()
    shown = raw[:40] + ("..." if len(raw) > 40 else "")
    if not raw:
        raise ValueError("empty; write a number such as 12.5")
    if len(raw) > MAX_NUMBER_TEXT:
        raise ValueError(f"{shown!r} is {len(raw)} characters long, more than {MAX_NUMBER_TEXT}: not a number")
    if non_ascii_digits(raw) or any("\uff00" <= ch <= "\uffef" for ch in raw):
        raise ValueError(f"{shown!r} uses full-width or non-ASCII characters; write ASCII digits 0-9 (e.g. 12.5)")
    if "_" in raw:
        ascii_version = raw.replace("_", "")
        raise ValueError(f"{shown!r} is not a number: underscores are not digit separators here; write {ascii_version} or 1,000")
    body = raw
    if body.endswith("%"):
        if not percent:
            raise ValueError(f"{shown!r} is a percentage where a plain number is expected; drop the %")
        body = body[:-1].strip()
    if _PLAIN.match(body):
        value = float(body)
    elif _GROUPED.match(body):
        value = float(body.replace(",", ""))
    else:
        raise ValueError(f"{shown!r} is not a number; write digits such as 1500000000, 1,500,000,000 or 12.5")
    if not math.isfinite(value):
        raise ValueError(f"{shown!r} is not a finite number")
    return value


def number_problem(text: Any, *, minimum: float | None = None, maximum: float | None = None, percent: bool = True) -> str:
    """'' when ``text`` is a number within [minimum, maximum], else the reason.

    >>> number_problem("150", minimum=0, maximum=100)
    '150 is outside 0 to 100'
    """
    try:
        v = parse_number(text, percent=percent)
    except ValueError as exc:
        return str(exc)
    if (minimum is not None and v < minimum) or (maximum is not None and v > maximum):
        span = f"{_fmt(minimum)} to {_fmt(maximum)}" if maximum is not None else f"at least {_fmt(minimum)}"
        return f"{_fmt(v)} is outside {span}"
    return ""


def percent_problem(text: Any) -> str:
    """'' for a percentage in 0..100 (a trailing % allowed), else the reason.

    >>> percent_problem("-50"), percent_problem("12.5%")
    ('-50 is outside 0 to 100; write a percentage such as 12.5', '')
    """
    why = number_problem(text, minimum=0, maximum=100)
    return why + "; write a percentage such as 12.5" if why.endswith("0 to 100") else why


def _fmt(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else str(v)


def date_problem(text: Any, today: _dt.date | None = None, *, future_ok: bool = False) -> str:
    """'' for a real calendar date (YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits) not after ``today``, else the reason.

    >>> date_problem("2024-02-30"), date_problem("2999", _dt.date(2025, 1, 1))
    ("'2024-02-30' is not a valid date; write YYYY, YYYY-MM or YYYY-MM-DD (for example 2024, 2024-05 or 2024-05-17)", '2999 is in the future; record only what has happened')
    """
    raw = str(text).strip() if text is not None else ""
    if not raw:
        return "empty; " + DATE_HELP
    if non_ascii_digits(raw) or any("\uff00" <= ch <= "\uffef" for ch in raw):
        return f"{raw[:40]!r} uses full-width or non-ASCII digits; {DATE_HELP} in ASCII digits"
    try:
        d = parse_date(raw)
    except ValueError as exc:
        return str(exc)
    if not future_ok and d.start > (today or _dt.date.today()):
        return f"{raw} is in the future; record only what has happened"
    return ""


def identifier_problem(kind: str, value: str) -> str:
    """'' when ``value`` has the format of identifier ``kind`` (wikidata, uscc, lei, currency), else the reason.

    >>> identifier_problem("lei", "5493001NTNQJDH60PM02"), identifier_problem("wikidata", "Q0")
    ('', "'Q0' is not a Wikidata QID such as Q42")
    """
    rx, what = IDENTIFIER_RULES[kind]
    return "" if rx.match(str(value)) else f"{str(value)[:40]!r} is not {what}"


def fact_problems(fact: "Fact", ontology: "Ontology", entities: Mapping[str, "Entity"] | None = None,
                  today: _dt.date | None = None) -> list[tuple[str, str]]:
    """Every problem of one fact as (field, reason): the same rules the curated data obey.

    Checks the relationship type, the ends' types (when ``entities`` is given),
    the dates, every property against the ontology (numbers through
    :func:`parse_number`, percentages in 0..100, currencies with amounts),
    the confidence and the sources (each with a URL or publisher, at least one dated).

    >>> from cnaikg.graph.model import Fact, Source
    >>> from cnaikg.graph.ontology import load_ontology
    >>> s = Source("s", "https://example.org", "Example", "2024-01-01")
    >>> f = Fact.create("a", "OWNS", "b", since="2024-13", properties={"stake_pct": 150}, sources=(s,), confidence="high")
    >>> [p[0] for p in fact_problems(f, load_ontology())]
    ['since', 'properties']
    """
    out: list[tuple[str, str]] = []
    rel = ontology.relation_types.get(fact.relation)
    if rel is None:
        return [("relation", f"unknown relationship type {fact.relation!r}")]
    if entities is not None:
        ends = []
        for side, eid in (("subject", fact.subject), ("object", fact.object)):
            e = entities.get(eid)
            if e is None:
                out.append((side, f"unknown entity id {eid!r}"))
            ends.append(e)
        if all(ends) and not rel.allows(ends[0].type, ends[1].type):  # type: ignore[union-attr]
            out.append(("relation", f"{rel.name} cannot go from {ends[0].type} to {ends[1].type}"))  # type: ignore[union-attr]
    if fact.subject == fact.object:
        out.append(("object", "a fact cannot point from an entity to itself"))
    for fld in ("since", "until"):
        val = getattr(fact, fld)
        if val and (why := date_problem(val, today)):
            out.append((fld, why))
    if fact.since and fact.until and not date_problem(fact.since, today) and not date_problem(fact.until, today):
        if parse_date(fact.since).start > parse_date(fact.until).end:
            out.append(("until", f"until {fact.until} is before since {fact.since}"))
    for key, value in fact.properties.items():
        spec = rel.properties.get(key)
        if spec is None:
            out.append(("properties", f"{key!r} is not a property of {rel.name}"))
            continue
        text = _prop_text(value)
        if spec.type == "date":
            if why := date_problem(text, today, future_ok=True):
                out.append(("properties", f"{key}: {why}"))
            continue
        try:
            spec.coerce(text)
        except ValueError as exc:
            out.append(("properties", f"{key}: {exc}"))
    for req in rel.required:
        if req not in fact.properties:
            out.append(("properties", f"{rel.name} requires {req!r}"))
    for amount, currencies in AMOUNT_CURRENCIES.items():
        if amount in fact.properties and currencies[0] in rel.properties and not any(c in fact.properties for c in currencies):
            out.append(("properties", f"{amount} without a currency; add {currencies[0]}=CNY (or USD, ...)"))
    if fact.confidence not in CONFIDENCE_LEVELS_ALLOWED:
        out.append(("confidence", f"{fact.confidence!r} is not a confidence level; use one of {', '.join(CONFIDENCE_LEVELS_ALLOWED)}"))
    if not fact.sources:
        out.append(("sources", "no source"))
    else:
        for s in fact.sources:
            if not (s.url or s.publisher):
                out.append(("sources", f"source {s.id} has neither URL nor publisher"))
            elif s.url and not re.match(r"^https?://\S+$", s.url):
                out.append(("sources", f"source {s.id}: {s.url[:60]!r} is not an http(s) URL"))
            if s.published and (why := date_problem(s.published, today)):
                out.append(("sources", f"source {s.id} published: {why}"))
        if not any(s.published for s in fact.sources):
            out.append(("sources", "every source is undated; a fact needs one dated source"))
    return out


def _prop_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return "|".join(map(str, value))
    return str(value)


def sum_problems(rows: Iterable[tuple[str, str, float, str]], limit: float, what: str) -> list[tuple[str, str]]:
    """Groups whose values sum above ``limit``: rows are (group, date, value, where); returns (where-list, reason).

    >>> sum_problems([("fund", "2025-01-31", 60.0, "a:2"), ("fund", "2025-01-31", 60.0, "a:3")], 100.5, "weights")
    [('a:2|a:3', 'weights of fund on 2025-01-31 sum to 120 (more than 100)')]
    """
    groups: dict[tuple[str, str], list[tuple[float, str]]] = {}
    for g, d, v, where in rows:
        groups.setdefault((g, d), []).append((v, where))
    out = []
    for (g, d), vals in sorted(groups.items()):
        total = sum(v for v, _ in vals)
        if total > limit:
            out.append(("|".join(w for _, w in vals), f"{what} of {g} on {d} sum to {round(total, 4):g} (more than {limit - WEIGHT_TOLERANCE:g})"))
    return out
