"""News text loader: an article (English or Chinese plain text) -> entity mentions and candidate facts for review.

Nothing from news enters the graph here: ``load_news`` returns no facts, only
review rows (``review.csv`` once written by ``cnaikg load news``), each with the
sentence it came from, the article as source, a confidence and an empty
``decision`` cell. ``cnaikg accept`` appends the rows an analyst accepts to the
curated data (see :mod:`cnaikg.loaders.accept`).

The article file is UTF-8 text (a byte-order mark is fine). It may start with a
small header block, ended by the first blank line::

    URL: https://example.org/2025/12/05/moore-threads-ipo
    Date: 2025-12-05
    Publisher: Example News
    Title: Moore Threads soars on STAR Market debut

(also ``Published``, ``Source``/``Link``, and the Chinese keys 链接, 网址,
日期, 发布日期, 来源, 媒体, 标题). The loader options ``url``, ``date``,
``publisher`` and ``title`` override the header. URL and date are required.

Steps, each a small function:

1. :func:`read_article` checks the file (size, encoding, not an HTML page) and
   reads the header.
2. :func:`split_sentences` cuts the body at ``. ! ? 。 ！ ？ ；`` (not after
   Co./Ltd./Inc. and similar abbreviations).
3. :func:`find_mentions` finds names, Chinese names, aliases, suffix-free names
   (``Cambricon`` for Cambricon Technologies Corporation Limited) and tickers
   (``688795.SS``, ``SH688795``, ``NASDAQ: BIDU`` and codes in brackets such as
   ``(BIDU, 9888.HK)``). Longest match wins; every surface form is checked with
   the resolver and only exact methods count: never a fuzzy match in news.
4. :data:`PATTERNS` (declared, English and Chinese) find candidate facts between
   two mentions of the same sentence; subject and object types must fit the
   relation's domain and range in the ontology.
5. Each candidate is compared with the curated graph: the same fact is ``known``;
   a different headquarters city, a ticker that belongs to another company, or a
   product credited to another company is a ``conflict`` with both sides shown.

Sentences that are not prose are skipped and listed in the load report:
sentences with HTML markup or spreadsheet formulas, and sentences longer than
:data:`MAX_SENTENCE_CHARS`. A file larger than :data:`MAX_ARTICLE_BYTES`, a
binary or non-UTF-8 file, and an HTML page are refused with one clear error.

>>> from cnaikg.graph.kg import KnowledgeGraph
>>> from cnaikg.graph.model import Entity
>>> kg = KnowledgeGraph([Entity("acme", "company", "Acme Chips", aliases=("Acme",)), Entity("beta", "company", "Beta AI")], [])
>>> [(m.entity_id, m.text) for m in find_mentions(kg, "Beta AI buys GPUs from Acme Chips.")]
[('beta', 'Beta AI'), ('acme', 'Acme Chips')]
>>> [(c.subject, c.relation, c.object) for c in extract_candidates(kg, "Acme supplies Beta AI with GPUs.")]
[('acme', 'SUPPLIES', 'beta')]
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence
from urllib.parse import urlparse

from cnaikg.errors import LoaderError, Problem
from cnaikg.graph.dates import DATE_HELP, parse_date
from cnaikg.graph.names import CORPORATE_SUFFIXES_EN, CORPORATE_SUFFIXES_ZH, fold
from cnaikg.loaders.base import Loader, LoadReport, LoadResult
from cnaikg.loaders.resolve import parse_ticker, resolver_for

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.model import Fact

__all__ = ["Article", "Mention", "Candidate", "Pattern", "PATTERNS", "HEADER_KEYS", "MAX_ARTICLE_BYTES", "MAX_SENTENCE_CHARS",
           "read_article", "split_sentences", "find_mentions", "extract_candidates", "canonical_ticker", "load_news", "NewsLoader"]

#: A news article is text; a file larger than this is refused (split it, or it is not an article).
MAX_ARTICLE_BYTES = 2_000_000
#: A "sentence" longer than this is not prose (a pasted table, a data blob); it is skipped and reported.
MAX_SENTENCE_CHARS = 2_000
#: Header keys (case-insensitive) -> article field.
HEADER_KEYS = {
    "url": "url", "link": "url", "source": "url", "链接": "url", "网址": "url", "原文链接": "url",
    "date": "date", "published": "date", "发布日期": "date", "日期": "date", "发布时间": "date",
    "publisher": "publisher", "来源": "publisher", "媒体": "publisher",
    "title": "title", "标题": "title",
}
_HEADER_LINE = re.compile(r"^\s*([A-Za-z\u4e00-\u9fff ]{2,12}?)\s*[:：]\s*(.*?)\s*$")
_HTML_PAGE = re.compile(r"<\s*(?:!doctype|html|head|body|script|style|div|p|span|a|br|table|meta)\b[^>]*>", re.I)
_HTML_BIT = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|&(?:lt|gt|amp|nbsp|quot|#\d+);")
_FORMULA = re.compile(r"^\s*[=+@]|(?:HYPERLINK|IMPORTXML|IMPORTDATA|WEBSERVICE|cmd\s*\|)\s*\(?", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --------------------------------------------------------------------------- the article


@dataclass(frozen=True)
class Article:
    """An article's text and what it is: URL, publication date, publisher, title, and the line its body starts on."""

    path: str
    url: str
    date: str
    publisher: str
    title: str
    body: str
    body_line: int = 1


def _check_url(url: str, where: str) -> str:
    u = url.strip()
    p = urlparse(u)
    if not u:
        raise LoaderError(f"{where}: the article has no URL; add a line `URL: https://...` at the top of the file "
                          "or pass --option url=https://...")
    if p.scheme not in ("http", "https") or not p.netloc or any(ch.isspace() for ch in u) or len(u) > 2000:
        raise LoaderError(f"{where}: {u[:80]!r} is not an http(s) URL; give the address of the article")
    return u


def _check_date(text: str, where: str, today: _dt.date) -> str:
    t = text.strip()
    if not t:
        raise LoaderError(f"{where}: the article has no date; add a line `Date: YYYY-MM-DD` at the top of the file "
                          "or pass --option date=YYYY-MM-DD")
    t = re.sub(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", t)
    try:
        d = parse_date(t[:10] if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", t) else t)
    except ValueError:
        raise LoaderError(f"{where}: the article date {t[:40]!r} is not a date; {DATE_HELP}") from None
    if d.start > today:
        raise LoaderError(f"{where}: the article date {d.text} is in the future; give the day it was published")
    return d.text


def read_article(path: str | Path, *, url: str = "", date: str = "", publisher: str = "", title: str = "",
                 today: _dt.date | None = None) -> Article:
    """Read and check an article file and its header block; options override the header.

    Raises LoaderError (naming the file and what to do) for a missing, empty,
    binary, non-UTF-8, oversized or HTML file, and for a missing or bad URL or date.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_text("URL: https://example.org/a\\nDate: 2025-12-05\\n\\nDeepSeek released a model.\\n", encoding="utf-8")
    >>> a = read_article(p)
    >>> a.url, a.date, a.publisher, a.body_line
    ('https://example.org/a', '2025-12-05', 'example.org', 4)
    """
    p = Path(path)
    shown = str(path)
    if not p.is_file():
        raise LoaderError(f"{shown}: no such file; check the path")
    size = p.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise LoaderError(f"{shown}: {size / 1e6:.1f} MB is too large for one news article (at most {MAX_ARTICLE_BYTES / 1e6:.0f} MB); "
                          "load the article's text only, one article per file")
    raw = p.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        raise LoaderError(f"{shown}: a binary file (it contains NUL bytes), not article text; save the article as UTF-8 plain text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoaderError(f"{shown}:{line}: not valid UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start}); "
                          "save the article as UTF-8 (for GBK text: iconv -f GBK -t UTF-8)") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise LoaderError(f"{shown}: the file is empty; it needs the article's text (and a URL:/Date: header)")
    if m := _HTML_PAGE.search(text[:20000]):
        if len(_HTML_PAGE.findall(text[:20000])) >= 3 or m.group(0).lower().startswith(("<!doctype", "<html")):
            line = text[: m.start()].count("\n") + 1
            raise LoaderError(f"{shown}:{line}: this is an HTML page ({m.group(0)[:30]!r}), not article text; "
                              "save the article's text as plain text (copy it, or use a readability tool) and load that")
    lines = text.split("\n")
    header: dict[str, str] = {}
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    while i < len(lines) and (m := _HEADER_LINE.match(lines[i])) and m.group(1).strip().casefold() in HEADER_KEYS:
        header.setdefault(HEADER_KEYS[m.group(1).strip().casefold()], m.group(2))
        i += 1
    if header:
        while i < len(lines) and not lines[i].strip():
            i += 1
    body_start = i if header else 0
    day = today or _dt.date.today()
    u = _check_url(url or header.get("url", ""), shown)
    d = _check_date(date or header.get("date", ""), shown, day)
    pub = (publisher or header.get("publisher", "")).strip() or urlparse(u).netloc
    ttl = (title or header.get("title", "")).strip()
    for what, value in (("publisher", pub), ("title", ttl)):
        if _HTML_BIT.search(value) or _FORMULA.search(value) or len(value) > 300:
            raise LoaderError(f"{shown}: the {what} {value[:60]!r} is not plain text (HTML, a formula or over 300 characters); fix the header")
    body = "\n".join(lines[body_start:])
    if not body.strip():
        raise LoaderError(f"{shown}: the article has a header but no text; add the article's text after a blank line")
    return Article(shown, u, d, pub, ttl, body, body_start + 1)


_ABBREV = frozenset("co ltd inc corp mr mrs ms dr prof st jr sr no vs etc e.g i.e u.s u.k p.r.c approx fig est dept".split())
_SPLIT_ZH = re.compile(r"(?<=[。！？；!?])")
_SPLIT_EN = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(\[]?[A-Z0-9\u4e00-\u9fff])")


def split_sentences(text: str, *, first_line: int = 1) -> list[tuple[int, str]]:
    """``(line, sentence)`` pairs: each line is cut at 。！？； and at . ! ? followed by a capital (not after Co./Ltd./Inc.).

    >>> split_sentences("Moore Threads Technology Co., Ltd. listed today. 寒武纪发布新芯片。中芯国际扩产！")
    [(1, 'Moore Threads Technology Co., Ltd. listed today.'), (1, '寒武纪发布新芯片。'), (1, '中芯国际扩产！')]
    """
    out: list[tuple[int, str]] = []
    for n, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip():
            continue
        if len(line) > MAX_SENTENCE_CHARS * 50:  # a data blob: do not run the splitters over it
            out.append((n, line))
            continue
        for piece in _SPLIT_ZH.split(line):
            start = 0
            parts: list[str] = []
            for m in _SPLIT_EN.finditer(piece):
                before = piece[start:m.start()].rstrip("\"”’)").rstrip(".!?")
                last = before.rsplit(None, 1)[-1].casefold() if before.split() else ""
                if last in _ABBREV or (len(last) == 1 and last.isalpha()):
                    continue
                parts.append(piece[start:m.start()])
                start = m.end()
            parts.append(piece[start:])
            out.extend((n, s.strip()) for s in parts if s.strip())
    return out


def _not_prose(sentence: str) -> str:
    """Why a sentence is skipped ('' when it is prose)."""
    if len(sentence) > MAX_SENTENCE_CHARS:
        return f"{len(sentence):,} characters in one sentence (more than {MAX_SENTENCE_CHARS:,}): not prose"
    if _HTML_BIT.search(sentence):
        return "contains HTML markup"
    if _FORMULA.search(sentence):
        return "looks like a spreadsheet formula"
    return ""


# --------------------------------------------------------------------------- mentions


@dataclass(frozen=True)
class Mention:
    """A known entity named in a text: where (start, end), as what text, and how it was recognised (resolver method)."""

    entity_id: str
    text: str
    start: int
    end: int
    method: str
    ticker: str = ""  # a ticker written right after the name, e.g. "Baidu (BIDU, 9888.HK)"


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


_EN_SUFFIX = re.compile(r"(?:,?\s+(?:" + "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in sorted(CORPORATE_SUFFIXES_EN, key=len, reverse=True))
                        + r")\.?)$", re.I)


def _short_forms(name: str) -> list[str]:
    """The name without trailing corporate suffixes, one suffix at a time (original case kept)."""
    out = []
    t = name.strip()
    for _ in range(6):
        if _is_cjk(t):
            for suf in CORPORATE_SUFFIXES_ZH:
                if t.endswith(suf) and len(t) > len(suf) + 1:
                    t = t[: -len(suf)]
                    break
            else:
                break
        else:
            m = _EN_SUFFIX.search(t)
            if not m or m.start() == 0:
                break
            t = t[: m.start()].rstrip(" ,")
        out.append(t)
    return out


class _Gazetteer:
    """Surface forms of every entity of a graph, each checked with the resolver, compiled into two scanners."""

    def __init__(self, kg: "KnowledgeGraph"):
        res = resolver_for(kg)
        self.kg = kg
        self.forms: dict[str, tuple[str, str]] = {}  # folded surface -> (entity id, method)
        self.ambiguous: dict[str, list[str]] = {}
        exact: set[str] = set()
        case_sensitive: set[str] = set()
        for e in kg.entities():
            surfaces = list(e.all_names)
            for n in e.all_names:
                surfaces += _short_forms(n)
            for s in dict.fromkeys(surfaces):
                s = unicodedata.normalize("NFKC", s).strip()
                if len(s) < (2 if _is_cjk(s) else 3) or s.isdigit():
                    continue
                m = res.resolve(s)
                key = fold(s)
                if m.status == "ambiguous" and m.method != "fuzzy":
                    self.ambiguous[key] = sorted(c.id for c in m.candidates)
                    continue
                if not m.resolved or m.method == "fuzzy" or m.method == "ticker" or m.entity_id != e.id:
                    continue
                if not _is_cjk(s) and len(s) < 4 and m.method not in ("name", "name_zh", "alias"):
                    continue
                self.forms.setdefault(key, (e.id, m.method))
                if not _is_cjk(s) and (s.isupper() or len(s) <= 4):
                    case_sensitive.add(s)  # acronyms (SMIC, THU, MTT) only in capitals
                else:
                    exact.add(s)
        # index by the first two characters (lower case): a dict look-up per position, longest form first
        self.index: dict[str, list[tuple[str, bool, str, str]]] = {}
        for s, cs in [*((x, False) for x in exact), *((x, True) for x in case_sensitive)]:
            eid, how = self.forms[fold(s)]
            probe = s if cs else s.lower()
            self.index.setdefault(s[:2].lower(), []).append((probe, cs, eid, how))
        for entries in self.index.values():
            entries.sort(key=lambda x: (-len(x[0]), x[0]))
        ex: dict[str, set[str]] = {}
        for f in kg.facts("LISTED_ON"):
            t = parse_ticker(str(f.properties.get("ticker", "")))
            if t and t[1]:
                ex.setdefault(t[1], set()).add(f.object)
        self.exchange_of_suffix = {k: next(iter(v)) for k, v in ex.items() if len(v) == 1}
        self.ticker_owner: dict[tuple[str, str], list[Fact]] = {}
        for f in kg.facts("LISTED_ON"):
            t = parse_ticker(str(f.properties.get("ticker", "")))
            if t:
                self.ticker_owner.setdefault(t, []).append(f)


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


_GAZETTEERS: dict[int, tuple[Any, _Gazetteer]] = {}


def _gazetteer(kg: "KnowledgeGraph") -> _Gazetteer:
    hit = _GAZETTEERS.get(id(kg))
    if hit is None or hit[0] is not kg:
        _GAZETTEERS[id(kg)] = (kg, _Gazetteer(kg))
    return _GAZETTEERS[id(kg)][1]


_TICKER_INLINE = re.compile(
    r"(?<![\w.])\d{4,6}\.(?:SS|SH|SZ|HK|BJ)(?![\w])"
    r"|(?<![A-Za-z0-9])(?:SH|SZ)\d{6}(?!\d)"
    r"|(?<![A-Za-z])(?:NASDAQ|NYSE|HKEX|SSE|SZSE)\s*[:：]\s*(?:[A-Z]{1,5}|\d{4,6})(?![A-Za-z0-9])")
_BRACKETS = re.compile(r"[(（]([^()（）]{1,60})[)）]")
_TICKER_LABEL = re.compile(r"^(?:ticker|stock code|code|symbol|股票代码|证券代码|代码)\s*[:：]?\s*", re.I)


def _ticker_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, ticker) of every ticker-like string: inline forms, and any code inside brackets."""
    spans = [(m.start(), m.end(), re.sub(r"\s+", "", m.group(0))) for m in _TICKER_INLINE.finditer(text)]
    for b in _BRACKETS.finditer(text):
        inner, off = b.group(1), b.start(1)
        for tok in re.finditer(r"[^,，;；/、]+", inner):
            raw = tok.group(0)
            t = _TICKER_LABEL.sub("", raw.strip()).strip()
            if not t or not (re.fullmatch(r"[A-Z]{2,5}|\d{4,6}", t) or parse_ticker(t) and re.search(r"\d|[.:：]", t)):
                continue
            s = off + tok.start() + raw.index(t[0]) if t[0] in raw else off + tok.start()
            if not any(a <= s < z for a, z, _ in spans):
                spans.append((s, s + len(t), t))
    return sorted(spans)


def find_mentions(kg: "KnowledgeGraph", text: str) -> list[Mention]:
    """Known entities named in ``text``: names, Chinese names, aliases, suffix-free names and tickers; longest match first.

    A ticker in brackets right after a name (``Baidu (BIDU, 9888.HK)``) is kept
    on that name's mention (``ticker``) and not counted twice. A name that two
    entities share, a fuzzy look-alike and a ticker nobody has are not mentions.

    >>> from cnaikg.graph.kg import KnowledgeGraph
    >>> from cnaikg.graph.model import Entity
    >>> kg = KnowledgeGraph([Entity("smic", "company", "Semiconductor Manufacturing International Corporation", "中芯国际集成电路制造有限公司", ("SMIC", "中芯国际"))], [])
    >>> [(m.entity_id, m.text, m.method) for m in find_mentions(kg, "中芯国际 and Semiconductor Manufacturing International")]
    [('smic', '中芯国际', 'alias'), ('smic', 'Semiconductor Manufacturing International', 'normalized-name')]
    """
    gz = _gazetteer(kg)
    res = resolver_for(kg)
    text = unicodedata.normalize("NFKC", text)
    found: list[tuple[int, int, str, str, str]] = []  # start, end, id, text, method
    low = text.lower()
    if len(low) != len(text):  # lower() changed a length (rare letters): match case-sensitively
        low = text
    n = len(text)
    for i in range(n - 1):
        entries = gz.index.get(low[i:i + 2])
        if not entries or (i and _latin(text[i]) and _latin(text[i - 1])):
            continue
        for probe, cs, eid, how in entries:
            if (text if cs else low).startswith(probe, i):
                j = i + len(probe)
                if j < n and _latin(probe[-1]) and _latin(text[j]):
                    continue
                found.append((i, j, eid, text[i:j], how))
                break
    # longest match wins; among equals, the first
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    names: list[tuple[int, int, str, str, str]] = []
    for f in found:
        if names and f[0] < names[-1][1]:
            if (f[1] - f[0]) > (names[-1][1] - names[-1][0]):
                names[-1] = f
            continue
        names.append(f)
    mentions: list[Mention] = []
    tickers = _ticker_spans(text)
    attached: set[int] = set()
    for i, (s, e, eid, t, how) in enumerate(names):
        after = text[e:e + 4]
        m = re.match(r"\s*[(（]", after)
        if not m:
            continue
        close = re.search(r"[)）]", text[e:e + 70])
        if not close:
            continue
        inside = [k for k, (a, z, _) in enumerate(tickers) if e < a and z <= e + close.end()]
        ticks = []
        for k in inside:
            tick = tickers[k][2]
            if tick.isalpha() and not any(b == tick.upper() for b, _ in gz.ticker_owner):
                continue  # "中芯国际（SMIC）": letters in brackets are a ticker only when some company trades under them
            attached.add(k)
            ticks.append(tick)
        if ticks:
            names[i] = (s, e + close.end(), eid, t, how)
            mentions.append(Mention(eid, t, s, e + close.end(), how, ", ".join(ticks)))
    with_ticker = {(m.start, m.entity_id) for m in mentions}
    out = [m for m in mentions]
    for s, e, eid, t, how in names:
        if (s, eid) not in with_ticker:
            out.append(Mention(eid, t, s, e, how))
    for k, (a, z, tick) in enumerate(tickers):
        if k in attached or any(m.start <= a < m.end for m in out):
            continue
        m = res.resolve(tick)
        if m.resolved and m.method == "ticker":
            out.append(Mention(m.entity_id or "", tick, a, z, "ticker", tick))
    return sorted(out, key=lambda m: m.start)


# --------------------------------------------------------------------------- patterns


@dataclass(frozen=True)
class Pattern:
    """One declared sentence pattern: ``{A}`` is the subject mention(s), ``{B}`` the object mention(s).

    ``pairwise`` patterns have only ``{A}`` (a list such as "X and Y signed a
    partnership") and relate every pair in it. ``score`` (0-100) is how much the
    pattern is trusted when the two mentions are close.
    """

    name: str
    lang: str
    relation: str
    regex: str
    score: float = 75.0
    properties: Mapping[str, str] = field(default_factory=dict)
    pairwise: bool = False


_GAP = r"[^⟦]{0,%d}?"
_ZGAP = r"[^⟦。]{0,%d}?"


def _p(name: str, lang: str, relation: str, regex: str, score: float = 75.0, pairwise: bool = False, **props: str) -> Pattern:
    return Pattern(name, lang, relation, regex, score, props, pairwise)


HQ = {"role": "headquarters"}
ALUMNI = {"kind": "alumni_founder"}
_WORKERS = r"(?:employees|engineers|executives|staff|researchers|managers|scientists|veterans|staffers|members)"
_ZWORKERS = r"(?:员工|高管|工程师|研究员|团队|骨干|核心成员|技术人员)"

#: The sentence patterns, English and Chinese. Mentions are replaced by ⟦n⟧ before matching; gaps never cross a mention.
PATTERNS: tuple[Pattern, ...] = (
    # SUPPLIES
    _p("supplies-to", "en", "SUPPLIES", r"{A}" + _GAP % 40 + r"\b(?:supplies|supplied|supply|will supply|is supplying|ships|shipped|sells|sold|provides|provided|delivers|delivered)\b" + _GAP % 60 + r"\bto {B}", 75),
    _p("supplies", "en", "SUPPLIES", r"{A}" + _GAP % 20 + r"\b(?:supplies|supplied|will supply|is supplying|has supplied)\s+{B}", 80),
    _p("supplier-to", "en", "SUPPLIES", r"{A},?\s+(?:is|was|became|has become|remains)\s+(?:a|an|the)\s+" + _GAP % 20 + r"\bsupplier\b" + _GAP % 40 + r"\b(?:to|of|for) {B}", 80),
    _p("buys-from", "en", "SUPPLIES", r"{B}" + _GAP % 30 + r"\b(?:buys|bought|sources|sourced|purchases|purchased|procures|procured|orders|ordered)\b" + _GAP % 60 + r"\bfrom {A}", 70),
    _p("supplied-by", "en", "SUPPLIES", r"{B}" + _GAP % 30 + r"\b(?:is|was|are|were|will be|has been)\s+supplied\b" + _GAP % 30 + r"\bby {A}", 75),
    _p("zh-supplies-to", "zh", "SUPPLIES", r"{A}" + _ZGAP % 10 + r"(?:向|为|给){B}" + _ZGAP % 12 + r"(?:供应|供货|提供|交付)", 80),
    _p("zh-supplies-give", "zh", "SUPPLIES", r"{A}" + _ZGAP % 10 + r"(?:供应|供货)" + _ZGAP % 12 + r"给{B}", 75),
    _p("zh-supplier-of", "zh", "SUPPLIES", r"{A}(?:是|为|成为){B}的" + _ZGAP % 10 + r"(?:供应商|供货商)", 80),
    _p("zh-buys-from", "zh", "SUPPLIES", r"{B}" + _ZGAP % 6 + r"(?:向|从){A}" + _ZGAP % 4 + r"(?:采购|购买|订购)", 75),
    # INVESTS_IN
    _p("invests-in", "en", "INVESTS_IN", r"{A}" + _GAP % 30 + r"\b(?:invests|invested|has invested|will invest|is investing|plans to invest|agreed to invest)\b" + _GAP % 40 + r"\bin {B}", 80),
    _p("led-round", "en", "INVESTS_IN", r"{A}" + _GAP % 20 + r"\b(?:led|co-led|leads|joined|participated in)\s+{B}(?:'s|’s|')" + _GAP % 40 + r"\b(?:round|financing|funding|raise|fundraising)\b", 80),
    _p("stake-in", "en", "INVESTS_IN", r"{A}" + _GAP % 20 + r"\b(?:took|takes|acquired|acquires|bought|buys|holds|has taken)\s+(?:a|an)\b" + _GAP % 30 + r"\bstake in {B}", 80),
    _p("raised-from", "en", "INVESTS_IN", r"{B}" + _GAP % 60 + r"\b(?:raised|raises|secured|closed|completed)\b" + _GAP % 80 + r"\b(?:from|led by|backed by|with participation from|including) {A}", 70),
    _p("backed-by", "en", "INVESTS_IN", r"{B}" + _GAP % 30 + r"\b(?:backed|funded|financed|bankrolled) by {A}", 70),
    _p("a-backed-b", "en", "INVESTS_IN", r"{A}-backed {B}", 70),
    _p("zh-invests", "zh", "INVESTS_IN", r"{A}" + _ZGAP % 10 + r"(?:投资|入股|领投|参投|跟投|注资|增资)(?:了)?{B}", 80),
    _p("zh-received-from", "zh", "INVESTS_IN", r"{B}" + _ZGAP % 20 + r"(?:获得?|完成|宣布完成)" + _ZGAP % 12 + r"{A}" + _ZGAP % 6 + r"(?:的)?(?:投资|领投|参投|注资|入股)", 80),
    _p("zh-led-by", "zh", "INVESTS_IN", r"{B}" + _ZGAP % 24 + r"由{A}" + _ZGAP % 4 + r"(?:领投|投资|参投|注资)", 80),
    # PARTNERS_WITH (symmetric)
    _p("partners-with", "en", "PARTNERS_WITH", r"{A}" + _GAP % 30 + r"\b(?:partners|partnered|has partnered|will partner|is partnering|teams up|teamed up|has teamed up|cooperates|cooperated|collaborates|collaborated|is collaborating|allied|signed\b" + _GAP % 40 + r"\bagreement|formed a joint venture|set up a joint venture|formed a partnership|struck a partnership)\b" + _GAP % 20 + r"\bwith {B}", 80),
    _p("signed-partnership", "en", "PARTNERS_WITH", r"{A}" + _GAP % 30 + r"\b(?:signed|announced|formed|reached|entered into|launched|set up|unveiled)\b" + _GAP % 40 + r"\b(?:partnership|alliance|joint venture|cooperation|collaboration)\b", 70, pairwise=True),
    _p("partnership-between", "en", "PARTNERS_WITH", r"\b(?:partnership|alliance|joint venture|collaboration|cooperation)\s+(?:between|of)\s+{A}", 70, pairwise=True),
    _p("zh-partners", "zh", "PARTNERS_WITH", r"{A}" + _ZGAP % 10 + r"(?:与|和|同|跟){B}" + _ZGAP % 24 + r"(?:战略合作|合作|联盟|合资)", 80),
    _p("zh-partners-group", "zh", "PARTNERS_WITH", r"{A}" + _ZGAP % 10 + r"(?:达成|签署|签订|宣布|建立)" + _ZGAP % 10 + r"(?:战略合作|合作|联盟|合资)", 70, pairwise=True),
    # LISTED_ON
    _p("listed-on", "en", "LISTED_ON", r"{A}" + _GAP % 40 + r"\b(?:listed|lists|will list|debuted|debuts|began trading|started trading|went public|floated|made its debut|IPO)\b" + _GAP % 40 + r"\b(?:on|in) {B}", 80),
    _p("shares-on", "en", "LISTED_ON", r"{A}(?:'s|’s|')?\s+(?:shares|stock|IPO)" + _GAP % 30 + r"\b(?:debuted|began trading|started trading|listed|jumped|rose|soared|surged|opened)\b" + _GAP % 30 + r"\bon {B}", 75),
    _p("zh-listed", "zh", "LISTED_ON", r"{A}" + _ZGAP % 20 + r"(?:在|于|登陆|登录|赴)" + _ZGAP % 4 + r"{B}" + _ZGAP % 10 + r"(?:上市|挂牌)", 80),
    _p("zh-landed", "zh", "LISTED_ON", r"{A}" + _ZGAP % 10 + r"(?:登陆|登录){B}", 80),
    # DEVELOPS
    _p("develops", "en", "DEVELOPS", r"{A}" + _GAP % 30 + r"\b(?:develops|developed|has developed|is developing|launched|launches|has launched|released|releases|has released|unveiled|unveils|introduced|introduces|debuted|open-sourced|open sourced|built|designed|designs|rolled out)\b" + _GAP % 40 + r"{B}", 75),
    _p("developed-by", "en", "DEVELOPS", r"{B},?\s+(?:which was\s+|was\s+|is\s+)?(?:developed|designed|built|made|released|launched|created) by {A}", 75),
    _p("possessive-product", "en", "DEVELOPS", r"{A}(?:'s|’s|')\s+(?:new\s+|latest\s+|flagship\s+|own\s+|upcoming\s+)?{B}", 60),
    _p("zh-develops", "zh", "DEVELOPS", r"{A}" + _ZGAP % 15 + r"(?:研发|研制|推出|发布|开发|开源|上线|打造)(?:了)?" + _ZGAP % 15 + r"{B}", 75),
    _p("zh-developed-by", "zh", "DEVELOPS", r"{B}" + _ZGAP % 4 + r"由{A}" + _ZGAP % 4 + r"(?:研发|开发|推出|发布|研制)", 75),
    # founded by former employees of (AFFILIATED_WITH kind=alumni_founder)
    _p("founded-by-former", "en", "AFFILIATED_WITH", r"{A}" + _GAP % 50 + r"\b(?:founded|co-founded|started|set up|established|created)\b" + _GAP % 20 + r"\bby\b" + _GAP % 20 + r"\b(?:former|ex-)" + _GAP % 30 + r"\b" + _WORKERS + r"\s+(?:of|at|from)\s+{B}", 80, **ALUMNI),
    _p("founded-by-ex-b", "en", "AFFILIATED_WITH", r"{A}" + _GAP % 50 + r"\b(?:founded|co-founded|started|set up|established|created)\b" + _GAP % 20 + r"\bby\b" + _GAP % 20 + r"\b(?:former|ex-)\s?{B}\s+" + _WORKERS, 80, **ALUMNI),
    _p("ex-b-founded", "en", "AFFILIATED_WITH", r"\b(?:former|ex-)\s?{B}\s+" + _WORKERS + _GAP % 30 + r"\b(?:founded|co-founded|started|set up|established|created)\s+{A}", 80, **ALUMNI),
    _p("zh-founded-by-former", "zh", "AFFILIATED_WITH", r"{A}" + _ZGAP % 10 + r"由" + _ZGAP % 6 + r"(?:前|原){B}(?:的)?" + _ZGAP % 6 + _ZWORKERS + _ZGAP % 10 + r"(?:创立|创办|创建|成立|联合创立)", 80, **ALUMNI),
    _p("zh-former-founded", "zh", "AFFILIATED_WITH", r"(?:前|原){B}(?:的)?" + _ZGAP % 6 + _ZWORKERS + _ZGAP % 10 + r"(?:创立|创办|创建|联合创立)(?:了|的)?{A}", 80, **ALUMNI),
    # headquartered in (LOCATED_IN role=headquarters)
    _p("headquartered-in", "en", "LOCATED_IN", r"{A}" + _GAP % 40 + r"\b(?:is\s+|was\s+|are\s+)?(?:headquartered|based)\s+in\s+{B}", 80, **HQ),
    _p("headquarters-in", "en", "LOCATED_IN", r"{A}(?:'s|’s|')\s+(?:headquarters|head office|HQ)\s+(?:is\s+|are\s+)?(?:located\s+)?in\s+{B}", 80, **HQ),
    _p("b-based-a", "en", "LOCATED_IN", r"{B}-based\s+" + _GAP % 30 + r"{A}", 70, **HQ),
    _p("moved-headquarters", "en", "LOCATED_IN", r"{A}" + _GAP % 40 + r"\b(?:moved|relocated|moves|relocates)\s+its\s+(?:headquarters|head office|HQ)\s+to\s+{B}", 80, **HQ),
    _p("zh-headquartered", "zh", "LOCATED_IN", r"{A}" + _ZGAP % 10 + r"总部(?:位于|设在|设于|在|落户){B}", 80, **HQ),
    _p("zh-hq-of", "zh", "LOCATED_IN", r"总部(?:位于|设在|设于){B}的{A}", 80, **HQ),
)

_APPOSITIVE = re.compile(r",\s*(?:which|who|that|headquartered|based|founded|an?|the|one of)\b[^,]{0,100},", re.I)
_GROUP = r"(?P<%s>⟦\d+⟧(?:(?:\s*,\s*|\s*,?\s+and\s+|\s*[、和与及]\s*)⟦\d+⟧)*)"
_COMPILED: list[tuple[Pattern, re.Pattern[str], bool]] = []


def _compiled() -> list[tuple[Pattern, re.Pattern[str], bool]]:
    """(pattern, compiled regex, anchored): an anchored regex starts with a mention and is tried only at mentions."""
    if not _COMPILED:
        for p in PATTERNS:
            rx = p.regex
            if p.lang == "en":  # "listed on the Shanghai Stock Exchange", "a stake in an ..."
                rx = rx.replace(" {B}", r"\s+(?:the\s+|an?\s+)?{B}").replace(" {A}", r"\s+(?:the\s+|an?\s+)?{A}")
            rx = rx.replace("{A}", _GROUP % "A").replace("{B}", _GROUP % "B")
            anchored = p.regex.startswith(("{A}", "{B}"))
            # otherwise a lookahead, so that matches may overlap ("X launched P, Y released Q")
            body = "(?P<all>" + rx + ")" if anchored else "(?=(?P<all>" + rx + "))"
            _COMPILED.append((p, re.compile(body, re.I if p.lang == "en" else 0), anchored))
    return _COMPILED


# --------------------------------------------------------------------------- candidates


@dataclass
class Candidate:
    """A candidate fact read from one sentence, with how it was found and how it compares with the curated graph.

    ``kind`` is ``candidate`` (new), ``known`` (the graph already has it) or
    ``conflict`` (it contradicts the graph; ``conflict`` says how and
    ``curated`` shows the graph's side).
    """

    subject: str
    relation: str
    object: str
    properties: dict[str, str]
    score: float
    pattern: str
    sentence: str
    line: int = 0
    kind: str = "candidate"
    conflict: str = ""
    curated: str = ""

    @property
    def confidence(self) -> str:
        """The curated confidence level of a single news source: ``medium`` for a strong pattern, else ``low``."""
        return "medium" if self.score >= 75 else "low"


def canonical_ticker(kg: "KnowledgeGraph", ticker: str) -> str:
    """The curated spelling of a ticker: as the graph writes it when known, else ``688795.SS`` / ``0981.HK`` / ``BIDU``.

    >>> from cnaikg.graph.kg import KnowledgeGraph
    >>> kg = KnowledgeGraph([], [])
    >>> canonical_ticker(kg, "688795.SH"), canonical_ticker(kg, "981.HK"), canonical_ticker(kg, "NASDAQ:BIDU")
    ('688795.SS', '0981.HK', 'BIDU')
    """
    pt = parse_ticker(ticker)
    if not pt:
        return ticker
    known = _gazetteer(kg).ticker_owner.get(pt)
    if known:
        return str(known[0].properties["ticker"])
    base, ex = pt
    if ex in ("", "US") and not base.isdigit():
        return base
    return f"{base.zfill(4 if ex == 'HK' else 6)}.{ex}" if ex else base


def _fact_text(f: "Fact") -> str:
    props = "; ".join(f"{k}={v}" for k, v in f.properties.items())
    srcs = "|".join(s.id for s in f.sources)
    return f"{f.subject} {f.relation} {f.object}" + (f" ({props})" if props else "") + (f" [{srcs}]" if srcs else "")


def _members(group: str) -> list[int]:
    return [int(x) for x in re.findall(r"⟦(\d+)⟧", group)]


def _pairs(kg: "KnowledgeGraph", sentence: str, mentions: Sequence[Mention], line: int) -> list[Candidate]:
    """Candidates of one sentence: every pattern over the sentence with mentions masked as ⟦n⟧."""
    masked, last = [], 0
    for i, m in enumerate(mentions):
        masked.append(sentence[last:m.start])
        masked.append(f"⟦{i}⟧")
        last = m.end
    masked.append(sentence[last:])
    text = "".join(masked)
    # also read the sentence without appositive clauses: "X, which is based in Y, was founded by ..." -> "X was founded by ..."
    reduced = _APPOSITIVE.sub(" ", text)
    out: list[Candidate] = []
    types = {m.entity_id: kg.entity(m.entity_id).type for m in mentions}
    hits = []
    for t in dict.fromkeys((text, reduced)):
        starts = [m.start() for m in re.finditer("⟦", t)]
        for pat, rx, anchored in _compiled():
            if anchored:
                hits += [(pat, h) for h in (rx.match(t, i) for i in starts) if h]
            else:
                hits += [(pat, h) for h in rx.finditer(t)]
    for pat, hit in hits:
        rel = kg.ontology.relation_types[pat.relation]
        if True:
            a = _members(hit.group("A"))
            if pat.pairwise:
                pairs = [(x, y) for i, x in enumerate(a) for y in a[i + 1:]]
            else:
                pairs = [(x, y) for x in a for y in _members(hit.group("B"))]
            gap = max(0, len(hit.group("all")) - 40)
            for x, y in pairs:
                s, o = mentions[x].entity_id, mentions[y].entity_id
                if s == o or types[s] not in rel.domain or types[o] not in rel.range:
                    continue
                score = pat.score - min(20.0, gap / 10) - (5.0 if "normalized" in mentions[x].method + mentions[y].method else 0.0)
                props = dict(pat.properties)
                if pat.relation == "LISTED_ON":
                    for t in (mentions[x].ticker or "").split(", "):
                        pt = parse_ticker(t) if t else None
                        if pt and _gazetteer(kg).exchange_of_suffix.get(pt[1]) == o:
                            props["ticker"] = canonical_ticker(kg, t)
                out.append(Candidate(s, pat.relation, o, props, round(score, 1), f"{pat.lang}/{pat.name}", sentence, line))
    return out


def _compare(kg: "KnowledgeGraph", c: Candidate) -> Candidate:
    """Set ``kind``/``conflict``/``curated`` by comparing a candidate with the curated graph."""
    rel = kg.ontology.relation_types[c.relation]
    same = [f for f in kg.facts_of(c.subject, c.relation, "both")
            if {f.subject, f.object} == {c.subject, c.object} and (rel.symmetric or f.subject == c.subject)
            and all(str(f.properties.get(k, "headquarters" if k == "role" else "")) == v for k, v in c.properties.items())]
    if same:
        c.kind, c.curated = "known", "; ".join(_fact_text(f) for f in same)
        return c
    if c.relation == "LOCATED_IN" and c.properties.get("role") == "headquarters":
        hq = [f for f in kg.facts_of(c.subject, "LOCATED_IN", "out") if f.properties.get("role", "headquarters") == "headquarters" and not f.until]
        if hq and c.object not in {f.object for f in hq}:
            c.kind = "conflict"
            where = ", ".join(f"{f.object} ({kg.entity(f.object).name})" for f in hq)
            c.conflict = f"the article puts {c.subject}'s headquarters in {c.object} ({kg.entity(c.object).name}); the curated data says {where}"
            c.curated = "; ".join(_fact_text(f) for f in hq)
    elif c.relation == "DEVELOPS":
        devs = [f for f in kg.facts_of(c.object, "DEVELOPS", "in") if f.subject != c.subject]
        if devs:
            c.kind = "conflict"
            who = ", ".join(f"{f.subject} ({kg.entity(f.subject).name})" for f in devs)
            c.conflict = f"the article credits {c.object} ({kg.entity(c.object).name}) to {c.subject}; the curated data says it is developed by {who}"
            c.curated = "; ".join(_fact_text(f) for f in devs)
    return c


def _ticker_conflicts(kg: "KnowledgeGraph", sentence: str, mentions: Sequence[Mention], line: int) -> list[Candidate]:
    """A ticker written after a name that belongs to another company: a LISTED_ON conflict with both sides shown."""
    gz = _gazetteer(kg)
    out = []
    for m in mentions:
        if not m.ticker or m.method == "ticker":
            continue
        for t in m.ticker.split(", "):
            pt = parse_ticker(t)
            if not pt:
                continue
            owners = gz.ticker_owner.get(pt, []) or [f for (b, e), fs in gz.ticker_owner.items() if b == pt[0] and not pt[1] for f in fs]
            if any(f.subject == m.entity_id for f in owners):
                continue
            others = [f for f in owners if f.subject != m.entity_id]
            own = kg.facts_of(m.entity_id, "LISTED_ON", "out")
            if others:
                exchange, owner = others[0].object, others[0].subject
                conflict = (f"the article writes {m.text} ({t}), but {t} is the ticker of {owner} ({kg.entity(owner).name})"
                            + (f"; {m.entity_id}'s own listing: " + ", ".join(str(f.properties.get('ticker', '')) for f in own) if own else ""))
            else:  # a code nobody has, on an exchange where the company is listed under another code
                exchange = gz.exchange_of_suffix.get(pt[1], "")
                same = [f for f in own if f.object == exchange]
                if not exchange or not same:
                    continue
                conflict = (f"the article writes {m.text} ({t}), but the curated data lists {m.entity_id} on {exchange} as "
                            + ", ".join(str(f.properties.get("ticker", "")) for f in same))
            out.append(Candidate(m.entity_id, "LISTED_ON", exchange, {"ticker": canonical_ticker(kg, t)}, 50.0, "ticker-after-name", sentence, line,
                                 "conflict", conflict, "; ".join(_fact_text(f) for f in [*others, *own])))
    return out


def extract_candidates(kg: "KnowledgeGraph", text: str, *, first_line: int = 1, skipped: list[tuple[int, str]] | None = None,
                       mentions_seen: dict[str, int] | None = None) -> list[Candidate]:
    """Candidate facts in ``text``, compared with ``kg``: one per (subject, relation, object, properties), best sentence kept.

    Sentences that are not prose are left out and, when ``skipped`` is a list,
    recorded there as (line, reason); ``mentions_seen``, when a dict, counts the mentions of each entity id.

    >>> from cnaikg.graph.kg import KnowledgeGraph
    >>> from cnaikg.graph.model import Entity
    >>> kg = KnowledgeGraph([Entity("zhipu", "company", "Zhipu AI", "智谱"), Entity("bj", "place", "Beijing", "北京")], [])
    >>> [(c.subject, c.relation, c.object, c.properties) for c in extract_candidates(kg, "智谱总部位于北京。")]
    [('zhipu', 'LOCATED_IN', 'bj', {'role': 'headquarters'})]
    """
    best: dict[tuple, Candidate] = {}
    for line, sentence in split_sentences(text, first_line=first_line):
        why = _not_prose(sentence)
        if why:
            if skipped is not None:
                skipped.append((line, why))
            continue
        sentence = unicodedata.normalize("NFKC", _CONTROL.sub(" ", sentence))
        mentions = find_mentions(kg, sentence)
        if mentions_seen is not None:
            for m in mentions:
                mentions_seen[m.entity_id] = mentions_seen.get(m.entity_id, 0) + 1
        if len(mentions) < 1:
            continue
        found = _ticker_conflicts(kg, sentence, mentions, line)
        if len(mentions) >= 2:
            found += [_compare(kg, c) for c in _pairs(kg, sentence, mentions, line)]
        for c in found:
            a, b = (c.subject, c.object)
            if kg.ontology.relation_types[c.relation].symmetric and b < a:
                c.subject, c.object = b, a
            key = (c.subject, c.relation, c.object, tuple(sorted(c.properties.items())), c.kind)
            if key not in best or c.score > best[key].score:
                best[key] = c
    order = {"conflict": 0, "candidate": 1, "known": 2}
    return sorted(best.values(), key=lambda c: (order[c.kind], c.line, c.subject, c.relation, c.object))


# --------------------------------------------------------------------------- the loader


def load_news(path: str | Path, *, kg: "KnowledgeGraph | None" = None, url: str = "", date: str = "", publisher: str = "",
              title: str = "", today: _dt.date | None = None, **_: Any) -> LoadResult:
    """Read one article and return review rows (no facts): candidate facts, known facts and conflicts, with their sentences.

    The report counts sentences, skipped sentences (line and reason) and
    mentions per entity (``mentions_<id>``).

    >>> import tempfile, pathlib
    >>> from cnaikg.graph import build_graph
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_text("URL: https://example.org/a\\nDate: 2025-01-20\\n\\nDeepSeek is headquartered in Hangzhou.\\n", encoding="utf-8")
    >>> res = load_news(p, kg=build_graph())
    >>> res.facts, [(r["kind"], r["subject"], r["relation"], r["object"]) for r in res.review]
    ([], [('known', 'deepseek', 'LOCATED_IN', 'hangzhou')])
    """
    if kg is None:
        from cnaikg.graph import build_graph

        kg = build_graph()
    art = read_article(path, url=url, date=date, publisher=publisher, title=title, today=today)
    report = LoadReport(loader="news", file=art.path)
    skipped: list[tuple[int, str]] = []
    sentences = split_sentences(art.body, first_line=art.body_line)
    report.rows_read = len(sentences)
    mentions: dict[str, int] = {}
    cands = extract_candidates(kg, art.body, first_line=art.body_line, skipped=skipped, mentions_seen=mentions)
    for line, why in skipped:
        report.skipped.append(Problem(art.path, line, "text", f"sentence skipped: {why}", "", "warning"))
    report.counts.update({f"mentions_{k}": v for k, v in mentions.items()})
    report.counts["sentences"] = len(sentences)
    report.counts["sentences_skipped"] = len(skipped)
    for kind in ("candidate", "known", "conflict"):
        report.counts[f"review_{kind}"] = sum(c.kind == kind for c in cands)
    if mentions:
        report.notes.append("mentioned: " + ", ".join(f"{k} x{v}" for k, v in sorted(mentions.items(), key=lambda kv: (-kv[1], kv[0]))))
    review = []
    for c in cands:
        review.append({
            "decision": "", "kind": c.kind, "subject": c.subject, "subject_name": kg.entity(c.subject).name,
            "relation": c.relation, "object": c.object, "object_name": kg.entity(c.object).name, "since": "", "until": "",
            "properties": "; ".join(f"{k}={v}" for k, v in c.properties.items()), "confidence": c.confidence,
            "method": f"{c.pattern} (line {c.line})", "score": c.score, "conflict": c.conflict, "curated": c.curated,
            "evidence": c.sentence, "source_url": art.url, "source_publisher": art.publisher, "source_published": art.date,
            "source_title": art.title,
        })
    report.rows_loaded = 0  # nothing from news enters the graph without `cnaikg accept`
    report.notes.append(f"{len(review)} candidate rows for review; nothing enters the graph until `cnaikg accept` (decision=accept)")
    return LoadResult(facts=[], report=report, review=review)


class NewsLoader(Loader):
    """A news article (English or Chinese plain text) -> candidate facts for review, never facts."""

    name = "news"
    description = "A news article (plain text, English or Chinese, URL/Date header) -> mentions and candidate facts for review (cnaikg accept)."
    suffixes = (".txt", ".md")
    options = {"url": "the article's URL (overrides a `URL:` header line)", "date": "its publication date YYYY-MM-DD (overrides `Date:`)",
               "publisher": "who published it (default: the URL's host)", "title": "its title"}

    def load(self, source: str | Path, *, kg: "KnowledgeGraph | None" = None, **options: Any) -> LoadResult:
        return load_news(source, kg=kg, **options)
