"""Entity resolution: match an incoming name or identifier to one known entity, and say how and how sure.

Stages, first hit wins (each declared in :data:`METHODS`):

1. ``id`` — the entity id itself (``smic``).
2. ``wikidata`` / ``uscc`` / ``lei`` — an identifier (``Q14772``, an 18-character
   unified social credit code, a 20-character LEI).
3. ``ticker`` — a ticker with or without exchange suffix, in the usual spellings
   (``688795.SS`` = ``688795.SH`` = ``SH688795`` = ``688795``; ``0981.HK`` =
   ``00981.HK`` = ``981 HK``; ``BIDU`` = ``BIDU.O`` = ``NASDAQ:BIDU``).
4. ``name`` / ``name_zh`` / ``alias`` — a name after case, width and punctuation folding.
5. ``normalized-name`` — corporate suffixes removed (Co., Ltd., Inc., Group, Technology,
   有限公司, 股份有限公司, 集团, ...; see :func:`cnaikg.graph.names.normalize_name`).
6. ``name-variant`` — also without a leading city (北京…, Shanghai …) and parentheses ((北京), (Shanghai)).
7. ``fuzzy`` — rapidfuzz ratio of the normalised keys, accepted at ``threshold``
   (default 90) only when no other entity comes within ``margin`` points and the
   numbers in both names agree (Big Fund II is never Big Fund III).

Nothing is merged below the threshold or when two entities tie: the Match is
``unresolved`` or ``ambiguous`` and carries its best candidates for review.

>>> from cnaikg.graph.model import Entity
>>> r = Resolver([Entity("smic", "company", "Semiconductor Manufacturing International Corporation", "中芯国际集成电路制造有限公司",
...                      ("SMIC",), identifiers={"tickers": ["0981.HK", "688981.SS"]}),
...               Entity("hua-hong", "company", "Hua Hong Semiconductor Limited", "华虹半导体有限公司")])
>>> m = r.resolve("00981.HK"); (m.entity_id, m.method, m.score)
('smic', 'ticker', 100.0)
>>> r.resolve("中芯国际集成电路制造").method
'normalized-name'
>>> r.resolve("Hua Hong Semiconductr Ltd").entity_id, r.resolve("Hua Hong Semiconductr Ltd").method
('hua-hong', 'fuzzy')
>>> r.resolve("Huahong Grace").status
'unresolved'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from cnaikg.graph.model import Entity
from cnaikg.graph.names import fold, normalize_name

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = ["Match", "Candidate", "Resolver", "resolve_name", "resolver_for", "parse_ticker", "name_variant", "METHODS",
           "DEFAULT_THRESHOLD", "REVIEW_THRESHOLD"]

DEFAULT_THRESHOLD = 90.0
REVIEW_THRESHOLD = 75.0

#: The stages of resolution in the order they are tried, with the score an exact hit gets.
METHODS: dict[str, tuple[float, str]] = {
    "id": (100.0, "the entity id itself"),
    "wikidata": (100.0, "Wikidata QID"),
    "uscc": (100.0, "unified social credit code"),
    "lei": (100.0, "legal entity identifier"),
    "ticker": (100.0, "ticker, exchange suffix optional"),
    "name": (100.0, "English name, folded"),
    "name_zh": (100.0, "Chinese name, folded"),
    "alias": (100.0, "alias, folded"),
    "normalized-name": (98.0, "name without corporate suffixes"),
    "name-variant": (95.0, "name without leading city or parenthesised place"),
    "fuzzy": (0.0, "rapidfuzz ratio of normalised names, score as computed"),
}

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

_PAREN = re.compile(r"\s*[\(（][^\)）]{1,24}[\)）]\s*")
PLACE_PREFIXES_ZH = ("北京", "上海", "深圳", "杭州", "广州", "南京", "苏州", "合肥", "成都", "武汉", "西安", "天津", "重庆",
                     "无锡", "宁波", "厦门", "香港", "长沙", "青岛", "珠海")
PLACE_PREFIXES_EN = ("beijing", "shanghai", "shenzhen", "hangzhou", "guangzhou", "nanjing", "suzhou", "hefei", "chengdu", "wuhan",
                     "xian", "xi'an", "tianjin", "chongqing", "wuxi", "ningbo", "xiamen", "hong kong", "changsha", "qingdao", "zhuhai")
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5"}
_NUM_TOKEN = re.compile(r"\d+|\b(?:i{1,3}|iv|v|vi)\b|[一二三四五](?=期|号|代)")


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


def name_variant(text: str) -> str:
    """The normalised name without parenthesised parts and without a leading city name.

    >>> name_variant("摩尔线程智能科技(北京)股份有限公司"), name_variant("北京智谱华章科技有限公司"), name_variant("Hangzhou DeepSeek AI")
    ('摩尔线程智能', '智谱华章', 'deepseek')
    """
    t = _PAREN.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    f = fold(t)
    for p in PLACE_PREFIXES_EN:
        if f.startswith(p + " ") and len(f) > len(p) + 4:
            t = f[len(p) + 1:]
            break
    else:
        for p in PLACE_PREFIXES_ZH:
            if t.startswith(p) and len(t) > len(p) + 1:
                t = t[len(p):]
                break
    n = normalize_name(t)
    f = fold(t)
    for tail in (" ai", "人工智能"):  # "DeepSeek AI", "Zhipu AI": the brand alone
        if f.endswith(tail) and len(normalize_name(f[: -len(tail)])) >= (2 if _is_cjk(f) else 4):
            return normalize_name(f[: -len(tail)])
    return n


def _numbers(text: str) -> frozenset[str]:
    """Numbers in a name (digits, roman numerals, 一二三 before 期): names whose numbers differ never fuzzy-match."""
    return frozenset(_ROMAN.get(tok, tok.lstrip("0") or "0") for tok in _NUM_TOKEN.findall(fold(text)))


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@dataclass(frozen=True)
class Candidate:
    """One entity a name might be: id, display name, score (0-100) and the method that found it."""

    id: str
    name: str
    score: float
    method: str

    def __str__(self) -> str:
        return f"{self.id} ({self.name}, {self.method} {self.score:.0f})"


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


class Resolver:
    """Resolve names and identifiers against a fixed set of entities (build once, resolve many).

    Parameters
    ----------
    entities : iterable of Entity
    threshold : float
        Fuzzy score (0-100) from which a single candidate is merged.
    review_threshold : float
        Fuzzy score from which a candidate is shown for review.
    margin : float
        A fuzzy match is ambiguous when a second entity scores within this many points.
    """

    def __init__(self, entities: Iterable[Entity], *, threshold: float = DEFAULT_THRESHOLD,
                 review_threshold: float = REVIEW_THRESHOLD, margin: float = 4.0):
        self.threshold, self.review_threshold, self.margin = threshold, review_threshold, margin
        self.entities: dict[str, Entity] = {e.id: e for e in entities}
        self._ident: dict[str, dict[str, set[str]]] = {"wikidata": {}, "uscc": {}, "lei": {}}
        self._tickers: dict[tuple[str, str], set[str]] = {}
        self._ticker_base: dict[str, set[str]] = {}
        self._names: dict[str, dict[str, str]] = {}  # folded -> {id: method}
        self._norm: dict[str, set[str]] = {}
        self._variant: dict[str, set[str]] = {}
        self._key_numbers: dict[str, frozenset[str]] = {}
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
                nums = _numbers(text)
                for idx, key in ((self._norm, normalize_name(text)), (self._variant, name_variant(text))):
                    if key:
                        idx.setdefault(key, set()).add(e.id)
                        self._key_numbers[key] = self._key_numbers.get(key, frozenset()) | nums
        self._fuzzy_keys = sorted(set(self._norm) | set(self._variant))
        self._fuzzy_ids = [sorted(self._norm.get(k, set()) | self._variant.get(k, set())) for k in self._fuzzy_keys]
        self._cache: dict[tuple[str, tuple[str, ...] | None], Match] = {}
        self._allowed_cache: dict[tuple[str, ...], set[str]] = {}

    @classmethod
    def from_graph(cls, kg: "KnowledgeGraph", **options: float) -> "Resolver":
        """A resolver over every entity of ``kg``."""
        return cls(kg.entities(), **options)

    # ------------------------------------------------------------------ stages
    def _hit(self, query: str, ids: Iterable[str], method: str, allowed: set[str] | None, score: float | None = None) -> Match | None:
        found = sorted(i for i in ids if allowed is None or i in allowed)
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
            self._cache[key] = self._resolve(text, self._allowed(types))
        return self._cache[key]

    def resolve_many(self, texts: Iterable[str], *, types: Sequence[str] | None = None) -> dict[str, Match]:
        """Resolve each distinct text once; return {text: Match}."""
        return {t: self.resolve(t, types=types) for t in dict.fromkeys(texts)}

    def _resolve(self, text: str, allowed: set[str] | None) -> Match:
        q = unicodedata.normalize("NFKC", str(text)).strip()
        if not q:
            return Match(text, "unresolved")
        if q in self.entities and (allowed is None or q in allowed):
            return Match(text, "resolved", q, "id", 100.0, (Candidate(q, self.entities[q].name, 100.0, "id"),))
        m = _QID.match(q)
        if m and (hit := self._hit(text, self._ident["wikidata"].get(m.group(1).upper(), ()), "wikidata", allowed)):
            return hit
        up = q.upper()
        for key, rx in (("uscc", _USCC), ("lei", _LEI)):
            if rx.match(up) and (hit := self._hit(text, self._ident[key].get(up, ()), key, allowed)):
                return hit
        t = parse_ticker(q)
        if t is not None:
            base, ex = t
            ids = self._tickers.get((base, ex), set()) if ex else self._ticker_base.get(base, set())
            if hit := self._hit(text, ids, "ticker", allowed):
                return hit
            if ex and base in self._ticker_base and (base.isdigit() or ex != "US"):
                # the code exists on another exchange: show it, never merge across exchanges
                others = sorted(self._ticker_base[base])
                return Match(text, "unresolved", None, "", 0.0,
                             tuple(Candidate(i, self.entities[i].name, 50.0, "ticker-other-exchange") for i in others))
        f = fold(q)
        hits = self._names.get(f, {})
        if allowed is not None:
            hits = {i: h for i, h in hits.items() if i in allowed}
        if hits:
            methods = sorted(set(hits.values()), key=list(METHODS).index)
            return self._hit(text, hits, methods[0], allowed)  # type: ignore[return-value]
        n = normalize_name(q)
        if n and (hit := self._hit(text, self._norm.get(n, ()), "normalized-name", allowed)):
            return hit
        v = name_variant(q)
        if v and (hit := self._hit(text, self._variant.get(v, set()) | self._norm.get(v, set()), "name-variant", allowed)):
            return hit
        return self._fuzzy(text, v or n, _numbers(q), allowed)

    def _fuzzy(self, text: str, key: str, nums: frozenset[str], allowed: set[str] | None) -> Match:
        from rapidfuzz import fuzz, process

        if not key or len(key) < (2 if _is_cjk(key) else 4):
            return Match(text, "unresolved")
        best: dict[str, float] = {}
        for choice, score, idx in process.extract(key, self._fuzzy_keys, scorer=fuzz.ratio, limit=25, score_cutoff=self.review_threshold - 15):
            if self._key_numbers.get(choice, frozenset()) != nums:
                score = min(score, self.threshold - 10)  # Phase II is not Phase III; 0981 is not 0982
            for eid in self._fuzzy_ids[idx]:
                if (allowed is None or eid in allowed) and score > best.get(eid, -1):
                    best[eid] = score
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        cands = tuple(Candidate(i, self.entities[i].name, round(s, 1), "fuzzy") for i, s in ranked[:5] if s >= self.review_threshold)
        if ranked and ranked[0][1] >= self.threshold:
            close = [i for i, s in ranked if s >= ranked[0][1] - self.margin]
            if len(close) == 1:
                return Match(text, "resolved", ranked[0][0], "fuzzy", round(ranked[0][1], 1), cands)
            return Match(text, "ambiguous", None, "fuzzy", round(ranked[0][1], 1), cands)
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
