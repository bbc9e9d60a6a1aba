"""ETF and fund holdings loader: the daily holdings file issuers publish (date, ticker, name, weight) -> HOLDS facts.

Headers are matched case-insensitively, with the spellings issuers use
(KraneShares and others): ``Date``/``As Of Date``, ``Ticker``/``Symbol``,
``Name``/``Company Name``/``Security Name``, ``Weight``/``% of Net Assets``/``Weight (%)``.
Dates may be ISO (2025-01-31) or US style (01/31/2025, month first). The fund
is the ``fund`` option (an id, name or ticker of an etf/fund entity) or, when
absent, the first word of the file name (``KWEB_holdings.csv`` -> KWEB).

Each holding resolves by ticker first, then by name; when the two resolve to
different companies the row goes to review as a conflict. Cash and other
non-securities are skipped and counted. Lines of one issuer (an ADR, an H
share, an A share: Alibaba as BABA and 9988.HK) are summed into one HOLDS fact
per issuer; each line is kept in the load report's ``details``. Weights of one
file summing above 100% (plus rounding) are refused by the load gate.

>>> import tempfile, pathlib
>>> from cnaikg.graph import build_graph
>>> p = pathlib.Path(tempfile.mkdtemp()) / "holdings.csv"
>>> _ = p.write_text("Date,Ticker,Name,Weight\\n2025-01-31,0981.HK,SMIC,4.5\\n", encoding="utf-8")
>>> kg = build_graph()
>>> etf = next(e.id for e in kg.entities("etf"))
>>> [(f.relation, f.object, f.properties["weight_pct"], f.properties["as_of"]) for f in load_holdings(p, kg=kg, fund=etf).facts]
[('HOLDS', 'smic', 4.5, '2025-01-31')]
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cnaikg.errors import LoaderError, Problem
from cnaikg.graph.dates import DATE_HELP, parse_date
from cnaikg.graph.model import Fact, Source, stable_id
from cnaikg.graph.values import parse_number
from cnaikg.loaders.base import Loader, LoadReport, LoadResult, name_problem, read_table
from cnaikg.loaders.resolve import resolver_for

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = ["load_holdings", "HoldingsLoader", "HEADER_SPELLINGS", "parse_holdings_date"]

HEADER_SPELLINGS = {
    "as of date": "date", "as_of": "date", "as of": "date", "date": "date",
    "symbol": "ticker", "ticker": "ticker", "bloomberg ticker": "ticker",
    "company name": "name", "security name": "name", "holding name": "name", "holding": "name", "name": "name",
    "% of net assets": "weight", "weight (%)": "weight", "weight %": "weight", "weight": "weight", "% weight": "weight",
}
NOT_SECURITIES = re.compile(r"^(cash|usd|hkd|cny|cnh|other|net other assets|.*\bcash\b.*|.*money market.*)$", re.I)


def parse_holdings_date(text: str) -> str:
    """ISO date from ``2025-01-31`` or US-style ``01/31/2025``; ValueError otherwise.

    >>> parse_holdings_date("1/31/2025"), parse_holdings_date("2025-01-31")
    ('2025-01-31', '2025-01-31')
    """
    t = text.strip()
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", t)
    if m:
        try:
            return _dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2))).isoformat()
        except ValueError:
            raise ValueError(f"{t!r} is not a valid date (month/day/year)") from None
    d = parse_date(t)
    if d.precision != "day":
        raise ValueError(f"{t!r} is not a day; a holdings snapshot needs YYYY-MM-DD")
    return d.text


def _name_similarity(name: str, entity: Any) -> float:
    """Best rapidfuzz token-set ratio between ``name`` and the entity's names (0-100)."""
    from rapidfuzz import fuzz

    from cnaikg.graph.names import fold

    return max((fuzz.token_set_ratio(fold(name), fold(n)) for n in entity.all_names), default=0.0)


def load_holdings(path: str | Path, *, kg: "KnowledgeGraph | None" = None, fund: str = "", url: str = "",
                  today: _dt.date | None = None, **_: Any) -> LoadResult:
    """Load one holdings file of one fund into HOLDS facts (weight_pct, as_of); see the module docstring."""
    if kg is None:
        from cnaikg.graph import build_graph

        kg = build_graph()
    shown = str(path)
    res = resolver_for(kg)
    fund_text = fund or re.split(r"[_\-\s.]", Path(path).name)[0]
    fm = res.resolve(fund_text, types=["etf", "fund"])
    if not fm.resolved:
        cands = "; ".join(map(str, fm.candidates)) or "none"
        raise LoaderError(f"{shown}: the fund {fund_text!r} is {fm.status} (candidates: {cands}); "
                          "pass --option fund=ID with the id of an etf or fund entity")
    df = read_table(path, required=("date", "ticker", "name", "weight"), what="holdings file", rename=HEADER_SPELLINGS)
    report = LoadReport(loader="holdings", file=shown, rows_read=len(df))
    day = today or _dt.date.today()
    facts: list[Fact] = []
    review: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], int] = {}
    issuers: dict[tuple[str, str], list[dict[str, Any]]] = {}
    sources: dict[str, Source] = {}
    fund_id = fm.entity_id or ""
    for r in df.to_dict("records"):
        line = int(r["_line"])
        name, ticker = str(r["name"]).strip(), str(r["ticker"]).strip()

        def skip(fld: str, why: str, fix: str = "") -> None:
            report.skipped.append(Problem(shown, line, fld, why, fix, "warning"))

        if NOT_SECURITIES.match(name or ticker or "cash"):
            skip("name", f"{name or ticker or 'empty row'} is not a security (cash or other)")
            report.counts["skipped_not_security"] = report.counts.get("skipped_not_security", 0) + 1
            continue
        if (why := name_problem(name)) and why != "empty":
            skip("name", why, "give the security's name as text")
            continue
        if (why := name_problem(ticker)) and why != "empty":
            skip("ticker", why)
            continue
        try:
            as_of = parse_holdings_date(str(r["date"]))
        except ValueError as exc:
            skip("date", str(exc), DATE_HELP)
            continue
        if parse_date(as_of).start > day:
            skip("date", f"{as_of} is in the future", "check the snapshot date")
            continue
        wtext = str(r["weight"]).strip()
        try:
            weight = parse_number(wtext)
        except ValueError as exc:
            skip("weight", str(exc), "give the weight in percent")
            continue
        if not 0 <= weight <= 100:
            skip("weight", f"weight {wtext[:20]} is outside 0..100", "give the weight in percent")
            continue
        tm = res.resolve(ticker, types=["company", "etf"]) if ticker else None
        nm = res.resolve(name, types=["company", "etf"]) if name else None
        conflict = None
        if tm and nm and tm.resolved and nm.resolved and tm.entity_id != nm.entity_id:
            conflict = (f"ticker {ticker} is {tm.entity_id}, name {name!r} is {nm.entity_id}",
                        f"ticker {ticker} and name {name!r} resolve to different entities; sent to review")
        elif tm and tm.resolved and name and not (nm and nm.resolved) and _name_similarity(name, kg.entity(tm.entity_id or "")) < 60:
            conflict = (f"ticker {ticker} belongs to {tm.entity_id} ({kg.entity(tm.entity_id or '').name}) but the file names {name!r}",
                        f"ticker {ticker} belongs to {tm.entity_id}, whose names do not look like {name!r}; sent to review")
        if conflict:  # ticker and name disagree: never merged, shown for review
            review.append({"kind": "conflict", "subject": fund_id, "relation": "HOLDS", "object": tm.entity_id if tm else "", "object_name": name,
                           "properties": f"weight_pct={wtext}; as_of={as_of}", "confidence": "low", "method": "ticker",
                           "conflict": conflict[0], "evidence": f"{shown}:{line}", "source_url": url, "source_published": as_of})
            skip("ticker", conflict[1])
            continue
        m = tm if tm and tm.resolved else nm
        if not m or not m.resolved:
            best = (nm or tm)
            report.unresolved.append({"name": name or ticker, "role": "holding", "status": best.status if best else "unresolved",
                                      "rows": 1, "first_line": line, "ticker": ticker,
                                      "candidates": [str(c) for c in ((tm.candidates if tm else ()) + (nm.candidates if nm else ()))][:5]})
            continue
        key = (m.entity_id or "", as_of)
        line_key = (m.entity_id or "", as_of, ticker.upper() or name.casefold())
        if line_key in seen:
            skip("ticker", f"duplicate line of {m.entity_id} {ticker or name} (first at line {seen[line_key]})", "keep one row per security")
            continue
        seen[line_key] = line
        # lines of one issuer (ADR, H share, A share) are summed into one holding; each line is kept as detail
        issuers.setdefault(key, []).append({"line": line, "ticker": ticker, "name": name, "weight_pct": weight, "method": m.method})
    for (eid, as_of), parts in issuers.items():
        total = round(sum(p["weight_pct"] for p in parts), 6)
        src = Source(stable_id(fund_id, as_of, url, prefix="src-"), url, kg.entity(fund_id).name, as_of, f"{kg.entity(fund_id).name} holdings {as_of}")
        sources[src.id] = src
        if len(parts) > 1:
            note = "sum of lines " + ", ".join(f"{p['line']} ({p['ticker'] or p['name']} {p['weight_pct']:g}%)" for p in parts)
            report.counts["issuers_with_several_lines"] = report.counts.get("issuers_with_several_lines", 0) + 1
        else:
            note = f"matched by {parts[0]['method']}"
        report.details.extend({"fund": fund_id, "holding": eid, "as_of": as_of, **p} for p in parts)
        facts.append(Fact.create(fund_id, "HOLDS", eid, since=as_of, properties={"weight_pct": total, "as_of": as_of},
                                 sources=(src,), confidence="high", origin=f"{shown}:{parts[0]['line']}", note=note))
    if not url:
        report.notes.append("no --option url=... given: the facts' source has no URL; add the issuer's holdings page before accepting them")
    report.rows_loaded = len(facts)
    return LoadResult(facts=facts, report=report, review=review)


class HoldingsLoader(Loader):
    """ETF/fund holdings file (date, ticker, name, weight) -> HOLDS facts with weight_pct and as_of."""

    name = "holdings"
    description = "ETF or fund holdings (date, ticker, name, weight; issuers' daily CSV) -> HOLDS with weight_pct and as_of."
    suffixes = (".csv", ".parquet")
    options = {"fund": "id, name or ticker of the etf/fund (default: first word of the file name)",
               "url": "URL of the issuer's holdings page (the facts' source)"}

    def load(self, source: str | Path, *, kg: "KnowledgeGraph | None" = None, **options: Any) -> LoadResult:
        return load_holdings(source, kg=kg, **options)
