"""Registry shareholdings loader: (investor, investee, stake_pct, date, source) rows as CSV or Parquet -> OWNS/INVESTS_IN facts.

Vectorised with pandas: every check runs on whole columns, and each distinct
name is resolved once, so millions of rows load in seconds (see
benchmarks/shareholdings.py). Rows that cannot be used are skipped with their
line, field and reason in the load report; names that do not resolve go to
the report's unresolved list with their best candidates, and rows whose names
have a candidate go to review (a fuzzy look-alike is never merged), unless
``create_entities=True`` asks for new entities (never for ambiguous names, nor
for a name with a near-identical candidate).

Columns: ``investor``, ``investee``, ``stake_pct`` (0..100, a trailing % is
allowed), ``date`` (YYYY, YYYY-MM or YYYY-MM-DD, not in the future),
``source`` (a URL, or the name of the registry); optional ``relation``
(OWNS, the default, or INVESTS_IN).

>>> import tempfile, pathlib
>>> from cnaikg.graph import build_graph
>>> p = pathlib.Path(tempfile.mkdtemp()) / "holders.csv"
>>> _ = p.write_text("investor,investee,stake_pct,date,source\\n"
...                  "Big Fund II,SMIC,5.2,2024-06-30,https://example.org/smic-2024\\n"
...                  "Unknown Holdings Ltd,SMIC,1.1,2024-06-30,https://example.org/smic-2024\\n", encoding="utf-8")
>>> res = load_shareholdings(p, kg=build_graph())
>>> [(f.subject, f.relation, f.object, f.properties["stake_pct"]) for f in res.facts]
[('big-fund-ii', 'OWNS', 'smic', 5.2)]
>>> res.report.unresolved[0]["name"]
'Unknown Holdings Ltd'
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from cnaikg.errors import LoaderError, Problem
from cnaikg.graph.dates import DATE_HELP, parse_date
from cnaikg.graph.model import Entity, Source, stable_id
from cnaikg.graph.names import normalize_name
from cnaikg.graph.values import date_problem, parse_number, percent_problem
from cnaikg.loaders.base import FactTable, Loader, LoadReport, LoadResult, name_problem, read_table
from cnaikg.loaders.resolve import resolver_for

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = ["load_shareholdings", "ShareholdingsLoader", "COLUMNS", "RELATIONS", "MAX_SKIPS_LISTED", "registry_source"]

COLUMNS = ("investor", "investee", "stake_pct", "date", "source")
RELATIONS = ("OWNS", "INVESTS_IN")
MAX_SKIPS_LISTED = 1000  # the report lists this many skipped rows one by one, and counts the rest by reason
MAX_REVIEW_ROWS = 10_000  # rows whose names have candidates, offered for review


def registry_source(text: str, published: str, file: str) -> Source:
    """The Source a registry row cites: a URL as is, otherwise the registry's name (id: a stable hash).

    >>> registry_source("https://www.gsxt.gov.cn/x", "2024-06", "h.csv").publisher
    'www.gsxt.gov.cn'
    """
    is_url = bool(re.match(r"^https?://\S+$", text))
    return Source(stable_id(text, prefix="src-"), text if is_url else "", urlparse(text).netloc if is_url else text, published,
                  f"registry shareholdings ({Path(file).name})")


def _today(today: _dt.date | None) -> _dt.date:
    return today or _dt.date.today()


def _date_reason(text: str, today: _dt.date) -> str:
    why = date_problem(text, today)
    if "in the future" in why:
        return f"{text} is in the future; give the date the stake was registered"
    return why


def load_shareholdings(path: str | Path, *, kg: "KnowledgeGraph | None" = None, create_entities: bool = False,
                       relation: str = "OWNS", today: _dt.date | None = None, threshold: float = 90.0, **_: Any) -> LoadResult:
    """Load a shareholdings table; see the module docstring for columns and rules.

    ``create_entities`` creates a company for every name that does not resolve
    (ids are stable hashes of the normalised name); ambiguous names never are.
    """
    import numpy as np
    import pandas as pd

    if relation not in RELATIONS:
        raise LoaderError(f"relation {relation!r} is not allowed for shareholdings; use one of {', '.join(RELATIONS)}")
    if kg is None:
        from cnaikg.graph import build_graph

        kg = build_graph()
    shown = str(path)
    df = read_table(path, required=COLUMNS, optional=("relation",), what="shareholdings table")
    report = LoadReport(loader="shareholdings", file=shown, rows_read=len(df))
    day = _today(today)
    for c in ("investor", "investee", "source", "date", "stake_pct", "relation"):
        df[c] = df[c].astype(str).str.strip()
    df.loc[df["relation"] == "", "relation"] = relation

    # ---------------------------------------------------------------- checks, whole columns at a time
    reasons: list[tuple[str, Any, str]] = []  # (field, mask-or-reason-series, fix)

    def by_value(col: str, fn: Any) -> Any:
        uniq = pd.Series(df[col].unique())
        table = dict(zip(uniq, uniq.map(fn)))
        return df[col].map(table)

    for side in ("investor", "investee"):
        reasons.append((side, by_value(side, name_problem), "write the registered name of the shareholder or company"))
    def stake_of(text: str) -> float:
        try:
            return parse_number(text)
        except ValueError:
            return float("nan")

    stake = by_value("stake_pct", stake_of).astype(float)  # the one number parser: 1,234.5 and 12.5% yes, 1_0 and １０ no
    reasons.append(("stake_pct", by_value("stake_pct", percent_problem), "give the stake in percent, between 0 and 100"))
    reasons.append(("date", by_value("date", lambda t: _date_reason(t, day)), ""))
    reasons.append(("source", pd.Series(np.where(df["source"] == "", "empty", ""), index=df.index), "name the registry or paste the URL of the filing"))
    reasons.append(("relation", pd.Series(np.where(df["relation"].isin(RELATIONS), "", "unknown relation " + df["relation"].str.slice(0, 30)), index=df.index),
                    f"use one of {', '.join(RELATIONS)}"))
    key_cols = ["investor", "investee", "stake_pct", "date", "source", "relation"]
    dup = df.duplicated(subset=key_cols, keep="first")
    if dup.any():
        first_line = df.groupby(key_cols, sort=False)["_line"].transform("first")
        reasons.append(("investor", pd.Series(np.where(dup, "duplicate of line " + first_line.astype(str), ""), index=df.index), "drop the repeated row"))

    field = pd.Series("", index=df.index)
    reason = pd.Series("", index=df.index)
    fix = pd.Series("", index=df.index)
    for fld, rs, fx in reasons:
        rs = rs.fillna("").astype(str)
        take = (reason == "") & (rs != "")
        if take.any():
            field[take], reason[take], fix[take] = fld, rs[take], fx
    bad = reason != ""
    if bad.any():
        bad_rows = df.loc[bad, ["_line"]].assign(field=field[bad], reason=reason[bad], fix=fix[bad])
        for r in bad_rows.head(MAX_SKIPS_LISTED).itertuples(index=False):
            report.skipped.append(Problem(shown, int(r._0), r.field, r.reason, r.fix, "warning"))
        if len(bad_rows) > MAX_SKIPS_LISTED:
            report.notes.append(f"{len(bad_rows) - MAX_SKIPS_LISTED} more skipped rows not listed; counts by field in 'counts'")
        for fld, n in bad_rows["field"].value_counts().items():
            report.counts[f"skipped_{fld}"] = int(n)
    good = df.loc[~bad].copy()
    good["stake"] = stake[~bad]

    # ---------------------------------------------------------------- resolution, once per distinct name
    res = resolver_for(kg, threshold=threshold)
    rel = kg.ontology.relation_types[relation]
    ids: dict[str, dict[str, str | None]] = {}
    new_entities: dict[str, Entity] = {}
    unresolved: dict[tuple[str, str], dict[str, Any]] = {}
    for side, types in (("investor", rel.domain), ("investee", rel.range)):
        side_ids: dict[str, str | None] = {}
        first = good.groupby(side, sort=False)["_line"].agg(["first", "size"])
        for name, (line, n) in zip(first.index, first.itertuples(index=False)):
            m = res.resolve(name, types=list(types))
            if m.resolved:
                side_ids[name] = m.entity_id
                continue
            strong = [c for c in m.candidates if c.method == "fuzzy" and c.score >= threshold]
            if create_entities and m.status == "unresolved" and not strong:  # a near-identical spelling is reviewed, not duplicated
                eid = stable_id("company", normalize_name(name) or name, prefix="e-")
                new_entities.setdefault(eid, Entity(eid, "company", name, origin=f"{shown}:{line}", note="created by the shareholdings loader"))
                side_ids[name] = eid
                continue
            side_ids[name] = None
            unresolved[(side, name)] = {"name": name, "role": side, "status": m.status, "rows": int(n), "first_line": int(line),
                                       "candidates": [str(c) for c in m.candidates]}
        ids[side] = side_ids
    # rows whose unresolved name has a candidate: one review row each (a person decides; nothing is merged)
    review: list[dict[str, Any]] = []
    has_cand = {key for key, u in unresolved.items() if u["candidates"]}
    mask = np.array([("investor", a) in has_cand or ("investee", b) in has_cand for a, b in zip(good["investor"], good["investee"])], dtype=bool)
    cand_rows = good[mask] if len(good) else good
    for r in cand_rows.head(MAX_REVIEW_ROWS).to_dict("records"):
        sides = {}
        for side in ("investor", "investee"):
            sid = ids[side].get(r[side])
            u = unresolved.get((side, r[side]))
            first = res.resolve(r[side], types=list(rel.domain if side == "investor" else rel.range)).candidates[:1] if u else ()
            sides[side] = sid or (first[0].id if first else "")
        un = unresolved.get(("investor", r["investor"])) or unresolved.get(("investee", r["investee"])) or {}
        review.append({"kind": "near-miss" if un.get("status") == "unresolved" else "ambiguous", "subject": sides["investor"],
                       "subject_name": r["investor"], "relation": r["relation"], "object": sides["investee"], "object_name": r["investee"],
                       "since": r["date"], "properties": f"stake_pct={r['stake_pct']}", "confidence": "low",
                       "method": "candidate", "conflict": f"{un.get('name', '')!r} is {un.get('status', '')}: " + " | ".join(un.get("candidates", [])),
                       "evidence": f"{shown}:{r['_line']}", "source_url": r["source"] if r["source"].startswith("http") else "",
                       "source_publisher": "" if r["source"].startswith("http") else r["source"], "source_published": r["date"]})
    good["subject"] = good["investor"].map(ids["investor"])
    good["object"] = good["investee"].map(ids["investee"])
    ok = good["subject"].notna() & good["object"].notna()
    report.counts["rows_unresolved"] = int((~ok).sum())
    good = good[ok]
    self_loop = good["subject"] == good["object"]
    for r in good.loc[self_loop, ["_line"]].head(MAX_SKIPS_LISTED).itertuples(index=False):
        report.skipped.append(Problem(shown, int(r[0]), "investee", "investor and investee resolve to the same entity", "check both names", "warning"))
    report.counts["skipped_self"] = int(self_loop.sum())
    good = good[~self_loop]
    same = good.duplicated(subset=["subject", "relation", "object", "date", "stake", "source"], keep="first")
    if same.any():
        first = good.groupby(["subject", "relation", "object", "date", "stake", "source"], sort=False)["_line"].transform("first")
        for line, fl in zip(good.loc[same, "_line"].head(MAX_SKIPS_LISTED), first[same].head(MAX_SKIPS_LISTED)):
            report.skipped.append(Problem(shown, int(line), "investor", f"same fact as line {fl} (names spelled differently)", "", "warning"))
    report.counts["skipped_same_fact"] = int(same.sum())
    good = good[~same]
    report.unresolved = sorted(unresolved.values(), key=lambda u: (-u["rows"], u["role"], u["name"]))

    # ---------------------------------------------------------------- sources and facts
    sources: dict[str, Source] = {}
    src_ids: dict[str, str] = {}
    for text, newest in good.groupby("source", sort=True)["date"].max().items():
        s = registry_source(text, newest, shown)
        sources[s.id], src_ids[text] = s, s.id
    frame = pd.DataFrame({
        "subject": good["subject"].values, "relation": good["relation"].values, "object": good["object"].values,
        "since": good["date"].values, "until": "", "confidence": "medium", "note": "",
        "origin": shown + ":" + good["_line"].astype(str).values, "source": good["source"].map(src_ids).values,
        "stake_pct": good["stake"].values,
    })
    report.rows_loaded = len(frame)
    report.counts["entities_created"] = len(new_entities)
    return LoadResult(facts=FactTable(frame, ["stake_pct"], sources), entities=sorted(new_entities.values(), key=lambda e: e.id), report=report,
                      review=review)


class ShareholdingsLoader(Loader):
    """Corporate-registry shareholdings (CSV or Parquet) -> OWNS or INVESTS_IN facts with stake_pct."""

    name = "shareholdings"
    description = "Registry shareholdings (investor, investee, stake_pct, date, source) as CSV or Parquet -> OWNS/INVESTS_IN with stakes."
    suffixes = (".csv", ".parquet")
    options = {"create_entities?": "create a company for each name that does not resolve (never for ambiguous names)",
               "relation": "OWNS (default) or INVESTS_IN, for rows without a relation column"}

    def load(self, source: str | Path, *, kg: "KnowledgeGraph | None" = None, **options: Any) -> LoadResult:
        return load_shareholdings(source, kg=kg, **options)
