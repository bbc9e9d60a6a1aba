"""Legal rules as dated data (data/rules.toml): what each rule covers and on which dates it was in force.

Every as-of computation asks ``rule.on(date)`` before applying a rule, and
reports the answer (in force, suspended, not yet in force) beside its result.

>>> rule = load_rules()["affiliates"]
>>> rule.on("2025-10-15").in_force, rule.on("2026-01-15").status, rule.on("2024-01-01").status
(True, 'suspended', 'not_yet_in_force')
>>> rule.on("2026-01-15").text()
'BIS Affiliates Rule (Entity List 50 percent rule) suspended on 2026-01-15 (2025-11-10..2026-11-09): not applied'
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from cnaikg.errors import DataError, Problem
from cnaikg.io import read_toml
from cnaikg.paths import data_dir

__all__ = ["Rule", "RulePeriod", "RuleStatus", "load_rules", "affiliates_rule"]

STATUSES = ("in_force", "suspended")


@dataclass(frozen=True)
class RulePeriod:
    """A half-open period ``start <= D < end`` (``end`` None: open) in which a rule was in force or suspended."""

    status: str
    start: _dt.date
    end: _dt.date | None
    sources: tuple[Mapping[str, str], ...]
    note: str = ""

    def covers(self, day: _dt.date) -> bool:
        """Whether ``day`` lies in the period."""
        return self.start <= day and (self.end is None or day < self.end)

    def span(self) -> str:
        """The period as text with its last day, e.g. ``2025-11-10..2026-11-09`` or ``2026-11-10..``."""
        last = (self.end - _dt.timedelta(days=1)).isoformat() if self.end else ""
        return f"{self.start.isoformat()}..{last}"


@dataclass(frozen=True)
class RuleStatus:
    """A rule on one date: applied or not, why, and the period and sources that say so."""

    rule: "Rule"
    day: _dt.date | None
    status: str  # in_force, suspended, not_yet_in_force, lapsed, undated
    period: RulePeriod | None

    @property
    def in_force(self) -> bool:
        """True when the rule applies on the date (an undated graph applies every rule, and says so)."""
        return self.status in ("in_force", "undated")

    def text(self) -> str:
        """One line for explanations and logs."""
        name = self.rule.name
        if self.day is None:
            return f"{name}: no date given, applied as if in force"
        d = self.day.isoformat()
        if self.status == "in_force" and self.period is not None:
            return f"{name} in force on {d} (since {self.period.start.isoformat()})"
        if self.status == "suspended" and self.period is not None:
            return f"{name} suspended on {d} ({self.period.span()}): not applied"
        if self.status == "not_yet_in_force":
            first = min(p.start for p in self.rule.periods if p.status == "in_force")
            return f"{name} not yet in force on {d} (effective {first.isoformat()}): not applied"
        return f"{name} not in force on {d}: not applied"

    def sources(self) -> list[str]:
        """URLs of the sources behind the period that decides the status."""
        return [s.get("url", "") for s in (self.period.sources if self.period else ())]


@dataclass(frozen=True)
class Rule:
    """A rule of data/rules.toml: id, name, threshold, the lists it extends, its periods and its sources."""

    id: str
    name: str
    authority: str
    citation: str
    kind: str
    threshold: float
    lists: tuple[str, ...]
    periods: tuple[RulePeriod, ...]
    guidance: tuple[Mapping[str, str], ...] = ()
    description: str = ""

    def on(self, day: Any) -> RuleStatus:
        """The rule's status on ``day`` (a date or ISO text; None for an undated graph).

        >>> load_rules()["affiliates"].on("2026-11-10").in_force
        True
        """
        if day is None:
            return RuleStatus(self, None, "undated", None)
        from cnaikg.graph.dates import to_date

        d = day if isinstance(day, _dt.date) else to_date(day)
        for p in self.periods:
            if p.covers(d):
                return RuleStatus(self, d, p.status, p)
        starts = [p.start for p in self.periods]
        return RuleStatus(self, d, "not_yet_in_force" if not starts or d < min(starts) else "lapsed", None)


_CACHE: dict[str, dict[str, Rule]] = {}


def load_rules(path: str | Path | None = None) -> dict[str, Rule]:
    """Read and check a rules file (default: data/rules.toml); DataError lists every problem.

    >>> sorted(load_rules())
    ['affiliates']
    """
    from cnaikg.graph.dates import is_date, to_date

    p = Path(path) if path else data_dir() / "rules.toml"
    key = str(p.resolve())
    if key in _CACHE:
        return _CACHE[key]
    shown = str(p)
    raw = read_toml(p, "rules TOML file (see data/rules.toml)")
    problems: list[Problem] = []
    sources = raw.get("sources", {})
    for sid, s in sources.items():
        if not s.get("url"):
            problems.append(Problem(shown, 0, f"sources.{sid}.url", "missing", "give the URL of the document you read"))
    out: dict[str, Rule] = {}
    for rid, spec in raw.get("rules", {}).items():
        where = f"rules.{rid}"

        def src(ids: Any, field: str) -> tuple[Mapping[str, str], ...]:
            got = []
            for sid in ids or []:
                if sid not in sources:
                    problems.append(Problem(shown, 0, field, f"unknown source {sid!r}", "declare it under [sources.<id>]"))
                else:
                    got.append(sources[sid])
            return tuple(got)

        periods = []
        for i, per in enumerate(spec.get("periods", [])):
            pw = f"{where}.periods[{i}]"
            if per.get("status") not in STATUSES:
                problems.append(Problem(shown, 0, f"{pw}.status", f"{per.get('status')!r} is not a status", f"use one of {', '.join(STATUSES)}"))
            start, end = per.get("from"), per.get("until")
            if not isinstance(start, str) or not is_date(start) or (end is not None and (not isinstance(end, str) or not is_date(end))):
                problems.append(Problem(shown, 0, pw, f"bad dates from={start!r} until={end!r}", "write YYYY-MM-DD dates (until may be left out)"))
                continue
            if not per.get("sources"):
                problems.append(Problem(shown, 0, f"{pw}.sources", "no source", "name the sources that give these dates"))
            periods.append(RulePeriod(str(per.get("status")), to_date(start), to_date(end) if end else None, src(per.get("sources"), f"{pw}.sources"), per.get("note", "")))
        periods.sort(key=lambda q: q.start)
        for a, b in zip(periods, periods[1:]):
            if a.end is None or a.end > b.start:
                problems.append(Problem(shown, 0, f"{where}.periods", f"periods overlap at {b.start.isoformat()}", "end each period before the next begins"))
        threshold = float(spec.get("threshold", 0.5))
        if not 0.0 < threshold <= 1.0:
            problems.append(Problem(shown, 0, f"{where}.threshold", f"{threshold!r} is not in (0, 1]", "write a fraction such as 0.5"))
        out[rid] = Rule(rid, spec.get("name", rid), spec.get("authority", ""), spec.get("citation", ""), spec.get("kind", ""), threshold,
                        tuple(spec.get("lists", [])), tuple(periods), src(spec.get("guidance"), f"{where}.guidance"), spec.get("description", ""))
    if problems:
        raise DataError(problems)
    _CACHE[key] = out
    return out


def affiliates_rule(rules: Mapping[str, Rule] | None = None) -> Rule:
    """The affiliates rule of data/rules.toml.

    >>> affiliates_rule().lists
    ('us-entity-list',)
    """
    return (rules if rules is not None else load_rules())["affiliates"]
