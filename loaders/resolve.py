"""Entity resolution: match an incoming name or identifier to one known entity, say how, and never merge by similarity.

Automatic matches, first hit wins (each declared in :data:`METHODS`):

1. ``judgement`` — a recorded decision (data/judgements.csv): this name *is* that entity.
2. ``id`` — the entity id itself (``smic``).
3. ``wikidata`` / ``uscc`` / ``lei`` — an identifier (``Q14772``, an 18-character
   unified social credit code, a 20-character LEI).
4. ``ticker`` — a ticker with its exchange, in the usual spellings
   (``688795.SS`` = ``688795.SH`` = ``SH688795``; ``0981.HK`` = ``00981.HK`` = ``981 HK``;
   ``BIDU`` = ``BIDU.O`` = ``NASDAQ:BIDU``); a bare code only when one exchange has it.
5. ``name`` / ``name_zh`` / ``alias`` — a name after case, width and punctuation folding.
6. ``normalized-name`` — the same comparison key (:func:`cnaikg.graph.names.name_key`): legal forms
   (Co., Ltd., 有限公司, 股份有限公司) dropped, and every *distinguishing token* equal on both sides:
   places (Shanghai, 上海, "(Wuxi)"), numbers and phases (II, 二期, Phase 2), units of a group
   (Group, Holdings, 集团, 控股, branch) and any other bracketed part. A name that carries a legal
   form ("China Mobile Limited") matches names that carry one too, and a brand alias only when
   none of that entity's names marks a unit the query lacks: "China Mobile Limited" never lands on
   the group whose legal name is "China Mobile Communications Group" through its alias "China Mobile".

Nothing else merges. A name that differs from a known name only in a distinguishing token,
and any fuzzy look-alike (rapidfuzz), is a *candidate for review*: the Match is ``unresolved``
and lists it with its method and score. A generic name that fits several entities ("Big
Fund", 大基金: the core of Big Fund I, II and III) is ``ambiguous`` and lists them. A recorded
``not_same`` judgement removes an entity from a name's matches, whatever the stage.

>>> from cnaikg.graph.model import Entity
>>> r = Resolver([Entity("smic", "company", "Semiconductor Manufacturing International Corporation", "中芯国际集成电路制造有限公司",
...                      ("SMIC",), identifiers={"tickers": ["0981.HK", "688981.SS"]}),
...               Entity("hua-hong", "company", "Hua Hong Semiconductor Limited", "华虹半导体有限公司")])
>>> m = r.resolve("00981.HK"); (m.entity_id, m.method, m.score)
('smic', 'ticker', 100.0)
>>> r.resolve("中芯国际集成电路制造").method
'normalized-name'
>>> m = r.resolve("Hua Hong Semiconductor (Wuxi) Limited"); (m.status, m.candidates[0].id, m.candidates[0].method)
('unresolved', 'hua-hong', 'differs-in-place')
>>> m = r.resolve("Hua Hong Semiconductr Ltd"); (m.status, m.candidates[0].id, m.candidates[0].method)
('unresolved', 'hua-hong', 'fuzzy')
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from cnaikg.errors import LoaderError, Problem
from cnaikg.graph.model import Entity
from cnaikg.graph.names import fold, key_text, name_key, name_key_full, normalize_name

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = ["Match", "Candidate", "Resolver", "Judgement", "resolve_name", "resolver_for", "parse_ticker", "read_judgements", "METHODS",
           "DEFAULT_THRESHOLD", "REVIEW_THRESHOLD", "AUTOMATIC_METHODS", "JUDGEMENT_COLUMNS", "JUDGEMENTS_FILE"]

#: Kept for the command line's --threshold: fuzzy scores from here are shown first among candidates (they never merge).
DEFAULT_THRESHOLD = 90.0
#: Fuzzy look-alikes scoring at least this are listed as candidates for review.
REVIEW_THRESHOLD = 75.0

#: The stages of resolution in the order they are tried, with the score an exact hit gets.
METHODS: dict[str, tuple[float, str]] = {
    "judgement": (100.0, "a recorded same-entity decision (judgements.csv)"),
    "id": (100.0, "the entity id itself"),
    "wikidata": (100.0, "Wikidata QID"),
    "uscc": (100.0, "unified social credit code"),
    "lei": (100.0, "legal entity identifier"),
    "ticker": (100.0, "ticker, with its exchange (or a code only one exchange has)"),
    "name": (100.0, "English name, folded"),
    "name_zh": (100.0, "Chinese name, folded"),
    "alias": (100.0, "alias, folded"),
    "normalized-name": (98.0, "same name key: legal forms dropped, places, numbers, units and brackets equal"),
    "generic-name": (0.0, "a generic name that fits several numbered entities (ambiguous, never merged)"),
    "fuzzy": (0.0, "rapidfuzz ratio of the name keys: a candidate for review, never merged"),
}
#: Methods that merge automatically; everything else is a candidate for review.
AUTOMATIC_METHODS = frozenset({"judgement", "id", "wikidata", "uscc", "lei", "ticker", "name", "name_zh", "alias", "normalized-name"})
JUDGEMENTS_FILE = "judgements.csv"
JUDGEMENT_COLUMNS = ("name", "entity", "judgement", "note", "decided_by", "date")
JUDGEMENT_VALUES = ("same", "not_same")

_QID = re.compile(r"^(?:wd:|https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/)?(Q[1-9]\d*)$", re.I)
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_LEI = re.compile(r"^[A-Z0-9]{18}\d{2}$")

# Exchange spellings -> canonical suffix. US tickers have no suffix in the curated data (BIDU, BABA).
_EXCHANGE = {
    "SS": "SS", "SH": "SS", "SHA": "SS", "SHG": "SS", "SSE": "SS", "CH": "SS",
    "SZ": "SZ", "SHE": "SZ", "SZSE": "SZ",
    "HK": "HK", "HKG": "HK", "HKEX": "HK", "SEHK": "HK",
    "BJ": "BJ", "BSE": "BJ",
    "US": "US", "O": "US", "N": "US", "OQ": "US", "NASDAQ": "US", "NYSE": "US", "NYSEARCA": "US", "ARCA": "US", "AMEX": "US",
}
_T_NUM_SUFFIX = re.compile(r"^([0-9]{1,6})[.\s]([A-Za-z]{1,2})$")
_T_SYM_SUFFIX = re.compile(r"^([A-Z][A-Z0-9]{0,5})[.\s](US|O|N|OQ)$")
_T_NUM_PREFIX = re.compile(r"^(SH|SZ|HK|BJ)([0-9]{4,6})$", re.I)
_T_COLON = re.compile(r"^([A-Za-z]{2,8})\s*[:：]\s*([0-9]{1,6}|[A-Za-z][A-Za-z0-9]{0,5})$")
_T_DIGITS = re.compile(r"^[0-9]{4,6}$")
_T_LETTERS = re.compile(r"^[A-Z]{1,5}$")


def parse_ticker(text: str) -> tuple[str, str] | None:
    """``(base, exchange)`` of a ticker-like string, exchange '' when not given; None when it is no ticker.

    Digits lose leading zeros (``00981`` = ``981``); exchanges are canonical (SH→SS).

    >>> parse_ticker("688795.SH"), parse_ticker("SZ002371"), parse_ticker("09888.HK"), parse_ticker("NASDAQ:BIDU")
    (('688795', 'SS'), ('2371', 'SZ'), ('9888', 'HK'), ('BIDU', 'US'))
    >>> parse_ticker("688795"), parse_ticker("BIDU"), parse_ticker("Baidu")
    (('688795', ''), ('BIDU', ''), None)
    """
    t = unicodedata.normalize("NFKC", text).strip()
    if not t or len(t) > 20:
        return None
    found: tuple[str, str] | None = None
    if m := _T_NUM_SUFFIX.match(t):
        found = (m.group(1), m.group(2).upper())
    elif m := _T_SYM_SUFFIX.match(t):  # BIDU.O, BABA US: capitals only
        found = (m.group(1), m.group(2))
    elif m := _T_NUM_PREFIX.match(t):
        found = (m.group(2), m.group(1).upper())
    elif m := _T_COLON.match(t):
        found = (m.group(2).upper(), m.group(1).upper())
    elif _T_DIGITS.match(t):
        return t.lstrip("0") or "0", ""
    elif _T_LETTERS.match(t):  # a bare symbol only when written in capitals
        return t, ""
    if found is None or found[1] not in _EXCHANGE:
        return None
    base = found[0].lstrip("0") or "0" if found[0].isdigit() else found[0]
    return base, _EXCHANGE[found[1]]


def _ticker_keys(ticker: str) -> list[tuple[str, str]]:
    p = parse_ticker(ticker)
    if not p:
        return []
    base, ex = p
    if not ex and not base.isdigit():
        ex = "US"
    return [(base, ex)]





@dataclass(frozen=True)
class Candidate:
    """One entity a name might be: id, display name, score (0-100) and the method that found it."""

    id: str
    name: str
    score: float
    method: str

    def __str__(self) -> str:
        return f"{self.id} ({self.name}, {self.method} {self.score:.0f})"

    @property
    def automatic(self) -> bool:
        """True when the method merges by itself (identifier, exact name or key); False for review candidates."""
        return self.method in AUTOMATIC_METHODS


@dataclass(frozen=True)
class Match:
    """The outcome of resolving one name: ``resolved`` (one entity), ``ambiguous`` or ``unresolved``.

    ``method`` and ``score`` say how a resolved match was made; ``candidates``
    lists the best candidates (for ambiguous and unresolved names, for review).
    """

    query: str
    status: str
    entity_id: str | None = None
    method: str = ""
    score: float = 0.0
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def resolved(self) -> bool:
        """True when exactly one entity was matched."""
        return self.status == "resolved"

    def why(self) -> str:
        """One line saying what the name resolved to and how."""
        if self.status == "resolved":
            return f"{self.query!r} -> {self.entity_id} by {self.method} (score {self.score:.0f})"
        cands = "; ".join(map(str, self.candidates)) or "no candidate"
        return f"{self.query!r} is {self.status}: {cands}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: query, status, entity_id, method, score, candidates."""
        return {"query": self.query, "status": self.status, "entity_id": self.entity_id, "method": self.method,
                "score": round(self.score, 1), "candidates": [c.__dict__ for c in self.candidates]}



@dataclass(frozen=True)
class Judgement:
    """A recorded decision: ``name`` is (``same``) or is not (``not_same``) the entity ``entity``."""

    name: str
    entity: str
    judgement: str
    note: str = ""
    origin: str = ""


def read_judgements(path: str | Path, problems: list[Problem] | None = None, entity_ids: Iterable[str] | None = None) -> list[Judgement]:
    """Read a judgements file (columns :data:`JUDGEMENT_COLUMNS`; name, entity and judgement required).

    Bad rows are appended to ``problems`` (file, line, field, reason) when given, else raise LoaderError.
    ``entity_ids`` checks that each judged entity exists.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "judgements.csv"
    >>> _ = p.write_text("name,entity,judgement,note\\nShanghai IC Fund,big-fund-i,not_same,a city fund\\n", encoding="utf-8")
    >>> read_judgements(p)[0].judgement
    'not_same'
    """
    own: list[Problem] = []
    out: list[Judgement] = []
    p = Path(path)
    shown = str(p)
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        own.append(Problem(shown, 0, "", "not valid UTF-8", "save the file as UTF-8"))
        text = ""
    except OSError as exc:
        own.append(Problem(shown, 0, "", f"cannot read the file: {exc.strerror}", "check the path"))
        text = ""
    if text.strip():
        reader = csv.reader(text.splitlines())
        try:
            header = [h.strip() for h in next(reader)]
            missing = [c for c in ("name", "entity", "judgement") if c not in header]
            unknown = [h for h in header if h not in JUDGEMENT_COLUMNS]
            if missing or unknown or len(set(header)) != len(header):
                own.append(Problem(shown, 1, "", f"header must name {', '.join(JUDGEMENT_COLUMNS[:3])} (optional: note, decided_by, date)"
                                   + (f"; unknown: {', '.join(unknown)}" if unknown else "") + (f"; missing: {', '.join(missing)}" if missing else ""),
                                   "fix the header line"))
            else:
                ids = set(entity_ids) if entity_ids is not None else None
                for n, cells in enumerate(reader, 2):
                    if not any(c.strip() for c in cells):
                        continue
                    if len(cells) != len(header):
                        own.append(Problem(shown, n, "", f"expected {len(header)} cells, found {len(cells)}", "quote cells that contain commas"))
                        continue
                    v = {h: c.strip() for h, c in zip(header, cells)}
                    if not v["name"]:
                        own.append(Problem(shown, n, "name", "empty", "write the name the decision is about"))
                    elif v["judgement"] not in JUDGEMENT_VALUES:
                        own.append(Problem(shown, n, "judgement", f"{v['judgement'][:30]!r} is not a judgement", "write same or not_same"))
                    elif ids is not None and v["entity"] not in ids:
                        own.append(Problem(shown, n, "entity", f"unknown entity id {v['entity'][:60]!r}", "use the id of an entity in entities/*.csv"))
                    else:
                        out.append(Judgement(v["name"], v["entity"], v["judgement"], v.get("note", ""), f"{shown}:{n}"))
        except (csv.Error, StopIteration) as exc:
            own.append(Problem(shown, 0, "", f"malformed CSV: {exc}", "fix the quoting"))
    if own and problems is None:
        raise LoaderError("\n".join(map(str, own)))
    if problems is not None:
        problems.extend(own)
    return out


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


_DIFF_METHOD = {"place": "differs-in-place", "num": "differs-in-number", "unit": "differs-in-unit", "part": "differs-in-bracket"}


def _differs(a: frozenset[str], b: frozenset[str]) -> str:
    kinds = sorted({m.split(":", 1)[0] for m in a ^ b})
    return _DIFF_METHOD.get(kinds[0], "differs") if kinds else "differs-in-legal-form"


class Resolver:
    """Resolve names and identifiers against a fixed set of entities (build once, resolve many).

    Parameters
    ----------
    entities : iterable of Entity
    threshold : float
        Fuzzy candidates scoring at least this are marked as strong (``Match.strong``); nothing fuzzy merges.
    review_threshold : float
        Fuzzy score from which a look-alike is listed as a candidate.
    judgements : iterable of Judgement
        Recorded decisions (``same`` / ``not_same``), honoured before any other stage.
    """

    def __init__(self, entities: Iterable[Entity], *, threshold: float = DEFAULT_THRESHOLD,
                 review_threshold: float = REVIEW_THRESHOLD, margin: float = 4.0, judgements: Iterable[Judgement] = ()):
        self.threshold, self.review_threshold, self.margin = threshold, review_threshold, margin
        self.entities: dict[str, Entity] = {e.id: e for e in entities}
        self._ident: dict[str, dict[str, set[str]]] = {"wikidata": {}, "uscc": {}, "lei": {}}
        self._tickers: dict[tuple[str, str], set[str]] = {}
        self._ticker_base: dict[str, set[str]] = {}
        self._names: dict[str, dict[str, str]] = {}  # folded -> {id: method}
        self._keys: dict[str, set[str]] = {}  # key text -> ids
        self._legal_keys: dict[str, set[str]] = {}  # key text -> ids, of labels that carry a legal form (Limited, 有限公司)
        self._units: dict[str, set[str]] = {}  # id -> unit marks of any of its names (group, holding, ...)
        self._cores: dict[str, dict[str, set[frozenset[str]]]] = {}  # core -> {id: {marks}}
        for e in self.entities.values():
            for key in self._ident:
                v = e.identifiers.get(key)
                if v:
                    self._ident[key].setdefault(str(v).upper(), set()).add(e.id)
            for t in e.tickers:
                for k in _ticker_keys(t):
                    self._tickers.setdefault(k, set()).add(e.id)
                    self._ticker_base.setdefault(k[0], set()).add(e.id)
            labelled = [(e.name, "name"), (e.name_zh, "name_zh"), *((a, "alias") for a in e.aliases)]
            for text, how in labelled:
                if not text:
                    continue
                self._names.setdefault(fold(text), {}).setdefault(e.id, how)
                core, marks, legal = name_key_full(text)
                if core:
                    kt = key_text((core, marks))
                    self._keys.setdefault(kt, set()).add(e.id)
                    if legal:
                        self._legal_keys.setdefault(kt, set()).add(e.id)
                    self._units.setdefault(e.id, set()).update(m for m in marks if m.startswith("unit:"))
                    self._cores.setdefault(core, {}).setdefault(e.id, set()).add(marks)
        self._same: dict[str, set[str]] = {}
        self._not_same: dict[str, set[str]] = {}
        for j in judgements:
            if j.entity not in self.entities:
                continue
            for jkey in {fold(j.name), key_text(name_key(j.name))}:
                (self._same if j.judgement == "same" else self._not_same).setdefault(jkey, set()).add(j.entity)
        self._fuzzy_keys = sorted(self._cores)
        self._fuzzy_ids = [sorted(self._cores[k]) for k in self._fuzzy_keys]
        self._cache: dict[tuple[str, tuple[str, ...] | None], Match] = {}
        self._allowed_cache: dict[tuple[str, ...], set[str]] = {}

    @classmethod
    def from_graph(cls, kg: "KnowledgeGraph", **options: Any) -> "Resolver":
        """A resolver over every entity of ``kg``, honouring the judgements.csv beside its ontology (if any)."""
        if "judgements" not in options:
            folder = Path(kg.ontology.path).parent if getattr(kg.ontology, "path", None) else None
            path = folder / JUDGEMENTS_FILE if folder else None
            options["judgements"] = read_judgements(path, []) if path is not None and path.is_file() else []
        return cls(kg.entities(), **options)

    # ------------------------------------------------------------------ stages
    def _hit(self, query: str, ids: Iterable[str], method: str, allowed: set[str] | None, score: float | None = None,
             q_keys: Sequence[str] = ()) -> Match | None:
        blocked = set().union(*(self._not_same.get(k, set()) for k in q_keys)) if q_keys else set()
        found = sorted(i for i in ids if (allowed is None or i in allowed) and i not in blocked)
        if not found:
            return None
        s = METHODS[method][0] if score is None else score
        cands = tuple(Candidate(i, self.entities[i].name, s, method) for i in found)
        if len(found) == 1:
            return Match(query, "resolved", found[0], method, s, cands)
        return Match(query, "ambiguous", None, method, s, cands)

    def _allowed(self, types: Sequence[str] | None) -> set[str] | None:
        if not types:
            return None
        key = tuple(sorted(types))
        if key not in self._allowed_cache:
            self._allowed_cache[key] = {i for i, e in self.entities.items() if e.type in key}
        return self._allowed_cache[key]

    def resolve(self, text: str, *, types: Sequence[str] | None = None) -> Match:
        """Resolve one name or identifier; ``types`` limits the entity types considered.

        >>> from cnaikg.graph.model import Entity
        >>> r = Resolver([Entity("acme", "company", "Acme AI", aliases=("Acme",)), Entity("acme-fund", "fund", "Acme Fund", aliases=("Acme",))])
        >>> r.resolve("ACME").status, r.resolve("ACME", types=["fund"]).entity_id
        ('ambiguous', 'acme-fund')
        """
        key = (text, tuple(types) if types else None)
        if key not in self._cache:
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[key] = self._resolve(text, self._allowed(types))
        return self._cache[key]

    def resolve_many(self, texts: Iterable[str], *, types: Sequence[str] | None = None) -> dict[str, Match]:
        """Resolve each distinct text once; return {text: Match}."""
        return {t: self.resolve(t, types=types) for t in dict.fromkeys(texts)}

    def _resolve(self, text: str, allowed: set[str] | None) -> Match:
        q = unicodedata.normalize("NFKC", str(text)).strip()
        if not q or len(q) > 500:
            return Match(text, "unresolved")
        f = fold(q)
        core, marks, legal = name_key_full(q)
        k = (core, marks)
        kt = key_text(k)
        q_keys = (f, kt)
        same = set().union(*(self._same.get(x, set()) for x in q_keys))
        if same and (hit := self._hit(text, same, "judgement", allowed)):
            return hit
        if q in self.entities and (allowed is None or q in allowed):
            return Match(text, "resolved", q, "id", 100.0, (Candidate(q, self.entities[q].name, 100.0, "id"),))
        m = _QID.match(q)
        if m and (hit := self._hit(text, self._ident["wikidata"].get(m.group(1).upper(), ()), "wikidata", allowed, q_keys=q_keys)):
            return hit
        up = q.upper()
        for key, rx in (("uscc", _USCC), ("lei", _LEI)):
            if rx.match(up) and (hit := self._hit(text, self._ident[key].get(up, ()), key, allowed, q_keys=q_keys)):
                return hit
        t = parse_ticker(q)
        if t is not None:
            base, ex = t
            ids = self._tickers.get((base, ex), set()) if ex else self._ticker_base.get(base, set())
            if hit := self._hit(text, ids, "ticker", allowed, q_keys=q_keys):
                return hit
            if ex and base in self._ticker_base and (base.isdigit() or ex != "US"):
                # the code exists on another exchange: show it, never merge across exchanges
                others = sorted(self._ticker_base[base])
                return Match(text, "unresolved", None, "", 0.0,
                             tuple(Candidate(i, self.entities[i].name, 50.0, "ticker-other-exchange") for i in others))
        hits = self._names.get(f, {})
        generic = set() if legal else self._generic(k, allowed)  # a name with a legal form is one legal person, never generic
        if hits:
            methods = sorted(set(hits.values()), key=list(METHODS).index)
            found = self._hit(text, hits, methods[0], allowed, q_keys=q_keys)
            # an entity's own English name wins (Qwen, HunyuanVideo, SoftBank Vision Fund name one entity each);
            # an alias or Chinese name that is also the un-numbered form of numbered siblings stays ambiguous (Big Fund)
            if found is not None and found.resolved and found.method != "name" and generic - {found.entity_id}:
                return self._ambiguous_generic(text, generic | {found.entity_id or ""})
            if found is not None:
                return found
        # a name with a legal form (China Mobile Limited) names one legal person: it matches only names that carry one too,
        # never a brand alias (China Mobile) that may stand for the group
        if legal:
            q_units = {m for m in marks if m.startswith("unit:")}
            ids = self._legal_keys.get(kt, set()) | {i for i in self._keys.get(kt, ()) if not self._units.get(i, set()) - q_units}
        else:
            ids = self._keys.get(kt, set())
        if k[0] and (hit := self._hit(text, ids, "normalized-name", allowed, q_keys=q_keys)):
            if hit.resolved and generic - {hit.entity_id}:
                return self._ambiguous_generic(text, generic | {hit.entity_id or ""})
            return hit
        if len(generic) >= 2:
            return self._ambiguous_generic(text, generic)
        return self._candidates(text, k, allowed, q_keys)

    def _generic(self, key: tuple[str, frozenset[str]], allowed: set[str] | None) -> set[str]:
        """Entities with a numbered name of which ``key`` is the un-numbered form (Big Fund -> Big Fund I, II, III)."""
        core, marks = key
        if not core or any(m.startswith("num:") for m in marks):
            return set()
        out = set()
        for eid, mark_sets in self._cores.get(core, {}).items():
            if allowed is not None and eid not in allowed:
                continue
            for ms in mark_sets:
                if any(m.startswith("num:") for m in ms) and {m for m in ms if not m.startswith("num:")} == set(marks):
                    out.add(eid)
        return out

    def _ambiguous_generic(self, text: str, ids: set[str]) -> Match:
        found = sorted(i for i in ids if i)
        return Match(text, "ambiguous", None, "generic-name", 0.0, tuple(Candidate(i, self.entities[i].name, 0.0, "generic-name") for i in found))

    def _candidates(self, text: str, key: tuple[str, frozenset[str]], allowed: set[str] | None, q_keys: Sequence[str]) -> Match:
        """Nothing merged: list the names that differ only in a distinguishing token, then fuzzy look-alikes."""
        from rapidfuzz import fuzz, process

        core, marks = key
        best: dict[str, tuple[float, str]] = {}
        blocked = set().union(*(self._not_same.get(k, set()) for k in q_keys))
        for eid, mark_sets in self._cores.get(core, {}).items():
            if (allowed is None or eid in allowed) and eid not in blocked:
                diff = min((_differs(marks, ms) for ms in mark_sets), key=lambda d: d)
                best[eid] = (90.0, diff)
        if core and len(core) >= (2 if _is_cjk(core) else 4):
            for choice, score, idx in process.extract(core, self._fuzzy_keys, scorer=fuzz.ratio, limit=25, score_cutoff=self.review_threshold):
                if choice == core:
                    continue
                for eid in self._fuzzy_ids[idx]:
                    if (allowed is None or eid in allowed) and eid not in blocked and score > best.get(eid, (-1.0, ""))[0]:
                        best[eid] = (float(score), "fuzzy")
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:5]
        cands = tuple(Candidate(i, self.entities[i].name, round(s, 1), how) for i, (s, how) in ranked)
        return Match(text, "unresolved", None, "", 0.0, cands)


_RESOLVERS: dict[int, tuple[Any, Resolver]] = {}


def resolver_for(kg: "KnowledgeGraph", **options: float) -> Resolver:
    """The (cached) resolver of ``kg``; one per graph object and options."""
    key = hash((id(kg), tuple(sorted(options.items()))))
    hit = _RESOLVERS.get(key)
    if hit is None or hit[0] is not kg:
        _RESOLVERS[key] = (kg, Resolver.from_graph(kg, **options))
    return _RESOLVERS[key][1]


def resolve_name(kg: "KnowledgeGraph", text: str, *, types: Sequence[str] | None = None, threshold: float = DEFAULT_THRESHOLD) -> Match:
    """Resolve ``text`` against the entities of ``kg``: the Match says what, how (method) and how sure (score).

    >>> from cnaikg.graph import build_graph
    >>> m = resolve_name(build_graph(), "SMIC")
    >>> m.entity_id, m.method
    ('smic', 'alias')
    """
    return resolver_for(kg, threshold=threshold).resolve(text, types=types)
