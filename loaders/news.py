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
from cnaikg.graph.names import CORPORATE_SUFFIXES_EN, CORPORATE_SUFFIXES_ZH, distinguishing_suffix, fold, name_key
from cnaikg.loaders.base import Loader, LoadReport, LoadResult
from cnaikg.loaders.resolve import AUTOMATIC_METHODS, parse_ticker, resolver_for

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
    for t in [name.strip(), *out]:  # "Baichuan AI" is also written "Baichuan"; 清华大学 is 清华 (the resolver must agree)
        for tail in (" AI", "人工智能", "大学"):
            if t.endswith(tail) and len(t) - len(tail) >= (2 if _is_cjk(t) else 4):
                out.append(t[: -len(tail)].rstrip())
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
            # "GLM (ChatGLM / GLM model family)" is also written "GLM": the name without its bracketed part
            bare = {b for n in e.all_names if (b := _CJK_SPACE.sub("", _PAREN_PART.sub(" ", n).strip())) and b != n and not _PAREN_PART.search(b)}
            surfaces += sorted(bare)
            names = {unicodedata.normalize("NFKC", n).strip() for n in e.all_names} | bare
            for s in dict.fromkeys(surfaces):
                s = unicodedata.normalize("NFKC", s).strip()
                if len(s) < (2 if _is_cjk(s) else 3) or s.isdigit():
                    continue
                m = res.resolve(s)
                key = fold(s)
                if m.status == "ambiguous" and m.method != "fuzzy":
                    self.ambiguous[key] = sorted(c.id for c in m.candidates)
                    continue
                method = m.method
                if m.resolved and m.method == "ticker" and m.entity_id == e.id and s in names and s.isupper():
                    method = "alias"  # AMD, UBS: an alias that is also the entity's own ticker is a name when written as one
                elif s in bare and m.status == "unresolved" and all(c.id == e.id or c.method == "fuzzy" for c in m.candidates):
                    # the entity's own name, brackets dropped; no other entity has a name that differs from it only in a
                    # distinguishing token (a fuzzy look-alike names nobody)
                    m = type(m)(s, "resolved", e.id, "name-without-brackets", 100.0)
                    method = m.method
                if (not m.resolved or method in ("fuzzy", "ticker") or m.entity_id != e.id
                        or method not in AUTOMATIC_METHODS | {"name-without-brackets"}):
                    continue
                if not _is_cjk(s) and len(s) < 4 and method not in ("name", "name_zh", "alias") and not (s in bare and s.isupper()):
                    continue
                self.forms.setdefault(key, (e.id, method))
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
        self.exchange_words: list[tuple[re.Pattern[str], str]] = []
        for rx, exchange in EXCHANGE_WORDS:
            m = res.resolve(exchange, types=["exchange"])
            if m.resolved and m.entity_id:
                self.exchange_words.append((re.compile(r"(?<![A-Za-z])(?:" + rx + r")(?![A-Za-z])"), m.entity_id))
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


_PAREN_PART = re.compile(r"\s*[(（][^()（）]{1,60}[)）]\s*")
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")

#: Words for an exchange or one of its boards, and the name of that exchange in the graph ("STAR Market" is the SSE's
#: science and technology board). Resolved by name once per graph; a word whose exchange the graph lacks is ignored.
#: ``X-listed`` forms ("Shanghai-listed shares") are listing statements of their own (see :func:`_listed_words`).
EXCHANGE_WORDS: tuple[tuple[str, str], ...] = (
    (r"(?:Shanghai(?:'s|’s)?\s+)?STAR\s+(?:Market|[Bb]oard)|Shanghai-listed|Shanghai(?=\s+(?:IPO|listing|initial public offering)\b)|(?:上海证券交易所|上交所)科创板|科创板|上交所|沪市", "Shanghai Stock Exchange"),
    (r"ChiNext|Shenzhen-listed|(?:深圳证券交易所|深交所)创业板|创业板|深交所", "Shenzhen Stock Exchange"),
    (r"Hong\s+Kong(?:'s|’s)?\s+(?:[Ss]tock\s+)?[Ee]xchange|Hong\s+Kong-listed|Hong\s+Kong(?=\s+(?:IPO|listing|initial public offering|debut)\b)|香港联合交易所|联交所|港交所(?:主板)?|香港交易所", "Hong Kong Exchanges and Clearing"),
    (r"Nasdaq-listed", "Nasdaq Stock Market"),
    (r"NYSE-listed|New\s+York-listed", "New York Stock Exchange"),
)


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
    for rx, eid in gz.exchange_words:  # "STAR Market", "港交所": boards and short names of exchanges
        found += [(w.start(), w.end(), eid, w.group(0), "exchange-word") for w in rx.finditer(text)]
    # longest match wins; among equals, the first
    found.sort(key=lambda x: (x[0], -(x[1] - x[0]), x[4] != "exchange-word"))  # "Hong Kong IPO": the exchange, not the city
    names: list[tuple[int, int, str, str, str]] = []
    for f in found:
        if names and f[0] < names[-1][1]:
            if (f[1] - f[0]) > (names[-1][1] - names[-1][0]):
                names[-1] = f
            continue
        names.append(f)
    names = [x for f in names if (x := _with_suffix(res, text, f)) is not None]
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
        if (s, eid) not in with_ticker and not any(m.start < s < m.end for m in mentions):
            out.append(Mention(eid, t, s, e, how))
    for k, (a, z, tick) in enumerate(tickers):
        if k in attached or any(m.start <= a < m.end for m in out):
            continue
        hit = res.resolve(tick)  # (not `m`: that name holds a regex match above; mypy)
        if hit.resolved and hit.method == "ticker":
            out.append(Mention(hit.entity_id or "", tick, a, z, "ticker", tick))
    return sorted(out, key=lambda m: m.start)


_VERSION = re.compile(r"[ -]v?[0-9]{1,3}(?:\.[0-9]{1,2})+(?![\w.])", re.IGNORECASE)
#: Marks that make a name another entity when they follow it: a phase or number (Big Fund II), a place ((Wuxi)), a unit.
_DISTINGUISHING_MARKS = ("num:", "place:", "unit:")


def _with_suffix(res: Any, text: str, found: tuple[int, int, str, str, str]) -> tuple[int, int, str, str, str] | None:
    """A scanned name extended over a following phase, number or bracket (:func:`distinguishing_suffix`), resolved again.

    The extended span is kept when the resolver names it exactly (any automatic method but a ticker). When it does
    not, the plain name stands only if the suffix adds no distinguishing mark (a ticker or a gloss in brackets);
    a phase, number, place or unit that the graph cannot resolve drops the mention: "… Fund Phase II" is never
    the entity named "… Fund".
    """
    s, e, eid, t, how = found
    if how == "exchange-word":
        return found
    end = distinguishing_suffix(text, e)
    if end == e and (v := _VERSION.match(text, e)):
        end = v.end()  # "Doubao 2.0" is a version of its own, not "Doubao"
    if end == e or any(e <= a < end for a, _, _ in _ticker_spans(text[:end])):
        return found  # "MiniMax（00100.HK）": a ticker in brackets is kept on the name (see find_mentions), not a new name
    ext = text[s:end].strip()
    m = res.resolve(ext)
    if m.resolved and m.method in AUTOMATIC_METHODS and m.method != "ticker":
        return (s, s + len(text[s:end].rstrip()), m.entity_id or "", ext, m.method)
    added = name_key(ext)[1] - name_key(t)[1]
    if any(x.startswith(_DISTINGUISHING_MARKS) for x in added):
        return None
    return found


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
    #: "subject" / "object": that side is not written in the sentence; it is the entity the text is about (the focus)
    focus: str = ""
    #: entity types the object may have (narrower than the relation's range), e.g. founders who are people
    object_types: tuple[str, ...] = ()


_GAP = r"[^⟦]{0,%d}?"
_ZGAP = r"[^⟦。]{0,%d}?"
#: a gap that may cross mentions (for free lists written {A*} / {B*}: every mention inside counts)
_XGAP = r"[^。；;]{0,%d}?"


def _p(name: str, lang: str, relation: str, regex: str, score: float = 75.0, pairwise: bool = False, focus: str = "",
       object_types: tuple[str, ...] = (), **props: str) -> Pattern:
    return Pattern(name, lang, relation, regex, score, props, pairwise, focus, object_types)


HQ: dict[str, Any] = {"role": "headquarters"}
#: titles written after 创始人 before the name: 创始人、董事长兼首席执行官张建中
_ZTITLES = r"(?:[、,，兼及和]\s*(?:董事长|首席执行官|CEO|总经理|总裁|首席运营官|首席技术官|CTO|COO|首席科学家|执行董事))*"
ALUMNI: dict[str, Any] = {"kind": "alumni_founder"}
_WORKERS = r"(?:employees|engineers|executives|exec|execs|executive|staff|researchers|managers|scientists|veterans|veteran|staffers|members|employee|engineer|vice-president|vice president)"
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
    _p("a-backed-b", "en", "INVESTS_IN", r"{A}(?:\s+Holdings|\s+Group)?-backed\s+(?:[\w-]+\s+){0,5}?{B}", 70),
    _p("zh-invests", "zh", "INVESTS_IN", r"{A}" + _ZGAP % 10 + r"(?:投资(?![人方者机])|入股|领投|参投|跟投|注资|增资)(?:了)?{B}", 80),
    _p("zh-received-from", "zh", "INVESTS_IN", r"{B}" + _ZGAP % 20 + r"(?:获得?|完成|宣布完成)" + _ZGAP % 12 + r"{A}" + _ZGAP % 6 + r"(?:的)?(?:投资|领投|参投|注资|入股)", 80),
    _p("zh-led-by", "zh", "INVESTS_IN", r"{B}" + _ZGAP % 24 + r"由{A}" + _ZGAP % 4 + r"(?:领投|投资|参投|注资)", 80),
    # PARTNERS_WITH (symmetric)
    _p("partners-with", "en", "PARTNERS_WITH", r"{A}" + _GAP % 30 + r"\b(?:partners|partnered|has partnered|will partner|is partnering|teams up|teamed up|has teamed up|cooperates|cooperated|collaborates|collaborated|is collaborating|allied|signed\b" + _GAP % 40 + r"\bagreement|formed a joint venture|set up a joint venture|formed a partnership|struck a partnership)\b" + _GAP % 20 + r"\bwith {B}", 80),
    _p("announced-partnership-with", "en", "PARTNERS_WITH", r"{A}" + _GAP % 40 + r"\b(?:announced|signed|formed|struck|reached|set up|entered into|unveiled)\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?"
       r"(?:partnership|alliance|cooperation agreement|collaboration|joint venture)\s+with\s+(?:[\w-]+\s+){0,4}?{B}", 75),
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
    _p("develops", "en", "DEVELOPS", r"{A}" + _GAP % 30 + r"\b(?:develops|developed|has developed|is developing|trains|trained|is training|launched|launches|has launched|released|releases|has released|unveiled|unveils|introduced|introduces|debuted|open-sourced|open sourced|built|designed|designs|rolled out)\b" + _GAP % 40 + r"{B}", 75),
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
    _p("headquartered-in", "en", "LOCATED_IN", r"{A}" + _GAP % 60 + r"\b(?:is\s+|was\s+|are\s+)?(?:headquartered|based)\s+in\s+(?:[\w'’-]+\s+(?:District|County|New Area|Zone|Park),\s+)?{B}", 80, **HQ),
    _p("headquarters-in", "en", "LOCATED_IN", r"{A}(?:'s|’s|')\s+(?:headquarters|head office|HQ)\s+(?:is\s+|are\s+)?(?:located\s+)?in\s+{B}", 80, **HQ),
    _p("b-based-a", "en", "LOCATED_IN", r"{B}-based\s+(?:[\w'’()-]+\s+){0,4}?{A}", 70, **HQ),  # words only: never across a comma
    _p("moved-headquarters", "en", "LOCATED_IN", r"{A}" + _GAP % 40 + r"\b(?:moved|relocated|moves|relocates)\s+its\s+(?:headquarters|head office|HQ)\s+to\s+{B}", 80, **HQ),
    _p("zh-headquartered", "zh", "LOCATED_IN", r"{A}" + _ZGAP % 10 + r"总部(?:位于|设在|设于|在|落户){B}", 80, **HQ),
    _p("zh-hq-of", "zh", "LOCATED_IN", r"总部(?:位于|设在|设于){B}的{A}", 80, **HQ),
    # --- across clauses: appositives, lists, founders, rounds (the subject may come from the focus of the text)
    _p("home-to", "en", "LOCATED_IN", r"{B}\s+(?:is|was|has been)\s+(?:also\s+)?(?:the\s+)?home\s+to\s+(?:⟦\d+⟧(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?[\w-]+,?\s+)?{A}", 65, **HQ),
    _p("took-part-in-round", "en", "INVESTS_IN", r"{A}" + _GAP % 80 + r"\b(?:took part in|takes part in|participated in|joined|co-led|led)\s+{B}(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?(?:round|financing|funding|raise)\b", 75),
    _p("an-investor-in", "en", "INVESTS_IN", r"(?P<A>⟦\d+⟧)\s*(?:,|–|—|-)\s*(?:already\s+|also\s+|long\s+)?(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:investor|backer|shareholder)s?\s+in {B}", 75),
    _p("participation-from", "en", "INVESTS_IN", r"\b(?:participation|investment|backing)\s+from\b(?:\s+(?:[\w-]+\s+){0,3}?such as\b)?{A*}", 60, focus="object"),
    _p("investors-then-including", "en", "INVESTS_IN", r"\b(?:cornerstone|anchor|strategic|new|existing)\s+investors\b[^.⟦]{0,80}?\bincluding\b{A*}", 65, focus="object"),
    _p("fronted-founded-by-former", "en", "AFFILIATED_WITH", r"^\W*(?:Founded|Co-founded|Established|Set up|Started)\s+(?:in\s+\d{4}\s+)?by\s+(?:[\w-]+\s+){0,3}?(?:former|ex-)\s+"
       + _WORKERS + r"\s+(?:of|at|from)\s+(?:[\w-]+\s+){0,4}?{B}" + _GAP % 40 + r",\s*{A}", 75, **ALUMNI),
    _p("investors-including", "en", "INVESTS_IN", r"\binvestors\b,?\s+(?:including|such as|among them)\b{A*}", 65, focus="object"),
    _p("fronted-founded-by", "en", "FOUNDED_BY", r"^\W*(?:Founded|Co-founded|Established|Set up|Started)\b(?:[^⟦]|⟦\d+⟧){0,20}?\bby\b(?P<B>(?:[^⟦]|⟦\d+⟧){0,120}?)\s*(?:,|–|—)\s*{A}(?=\s+[a-z])", 75, object_types=("person",)),
    _p("largest-ipo", "en", "LISTED_ON", r"{A}" + _GAP % 120 + r"\b(?:becoming|became|was|is|marking)\s+(?:the\s+)?{B}(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?:IPO|listing|debut)\b", 70),
    _p("in-its-ipo", "en", "LISTED_ON", r"{A}" + _GAP % 80 + r"\b(?:its|a|the)\s+{B}\s+(?:IPO|listing|initial public offering|debut)\b", 70),
    _p("zh-ipo-at", "zh", "LISTED_ON", r"{A}" + _ZGAP % 6 + r"(?:在|于|登陆)\s*{B}" + _ZGAP % 4 + r"(?:的)?\s*(?:IPO|上市|挂牌|首次公开发行)", 75),
    _p("possessive-city-headquarters", "en", "LOCATED_IN", r"{A}(?:'s|’s)\s+{B}\s+(?:headquarters|head office|HQ)\b", 70, **HQ),
    _p("its-product", "en", "DEVELOPS", r"{A}" + _GAP % 60 + r"\b(?:its|their)\s+(?:own\s+|new\s+|latest\s+|flagship\s+)?{B}", 60),
    _p("orders-from", "en", "SUPPLIES", r"{B}" + _GAP % 60 + r"\b(?:placing|placed|places|place|put|puts)\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?orders?\s+(?:for|with|from|at)\s+{A}", 70),
    _p("uses-services-of", "en", "SUPPLIES", r"{B*}\b(?:have\s+|has\s+)?(?:either\s+)?(?:used|use|uses|using|rely on|relies on|relied on|relying on|depend on|depends on|tapped|taps)"
       r"(?:,?\s+or\s+(?:continue|continues)\s+to\s+(?:use|rely on))?,?\s+{A}(?:'s|’s)\s+(?:services|foundry|foundries|fabs|capacity|wafers|manufacturing)\b", 70),
    _p("a-comma-b-based", "en", "LOCATED_IN", r"{A},\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){0,3}?{B}-based\b", 80, **HQ),
    _p("received-investment-from", "en", "INVESTS_IN", r"{B}" + _GAP % 40 + r"\b(?:received|receives|has received|secured|secures|has secured|won|attracted|got|gets|took)\b"
       + _GAP % 40 + r"\b(?:investment|investments|funding|backing|financing|capital)\b" + _GAP % 30 + r"\bfrom\b" + _GAP % 40 + r"{A}", 75),
    _p("led-by", "en", "INVESTS_IN", r"{B}" + _GAP % 60 + r"\b(?:round|financing|funding|deal|raise|investment|fundraising|IPO)\b" + _GAP % 40
       + r"\b(?:led|co-led)\s+by {A}", 75),
    _p("round-for-led-by", "en", "INVESTS_IN", r"\b(?:round|financing|funding|deal|investment)\s+(?:for|of|in|into)\s+{B}" + _GAP % 30 + r"\b(?:led|co-led)\s+by {A}", 75),
    _p("among-the-investors", "en", "INVESTS_IN", r"{B}" + _GAP % 80 + r"\bwith {A}" + _GAP % 40 + r"\bamong\s+(?:the\s+)?(?:investors|backers|participants)\b", 75),
    _p("debut-on", "en", "LISTED_ON", r"{A}" + _GAP % 140 + r"\b(?:debut|debuted|debuts|first (?:trading )?day(?: of trading)?|trading debut|market debut)\b"
       + _GAP % 40 + r"\b(?:on|in) {B}", 70),
    _p("debut-of", "en", "LISTED_ON", r"\b(?:debut|listing|IPO)\s+of\b(?:[^⟦]|⟦\d+⟧){0,60}?{A}\s+on {B}", 70),
    _p("among-investors-focus", "en", "INVESTS_IN", r"(?:^|[.;]\s*)(?:[\w-]+\s+){0,2}?{A}" + _GAP % 40 + r"\b(?:is|are|was|were)\s+(?:also\s+)?among\s+(?:the\s+)?(?:investors|backers)\b", 70, focus="object"),
    _p("zh-investors-focus", "zh", "INVESTS_IN", r"(?:投资人|投资方|投资者|股东|资本方面)(?:中)?[,，]?(?:则|还|也)?(?:包括|有|涵盖){A*}", 65, focus="object"),
    _p("involving", "en", "INVESTS_IN", r"{B}" + _GAP % 80 + r"\b(?:fundraising|funding|financing|round|rounds|investment)\s+(?:involving|including|from|with participation from) {A}", 70),
    _p("contributions-from", "en", "INVESTS_IN", r"{B}" + _GAP % 80 + r"\bwith\s+(?:contributions|participation|investment|backing|support)\s+from {A}", 70),
    _p("made-investment", "en", "INVESTS_IN", r"{A}" + _GAP % 40 + r"\b(?:made|makes|make)\s+(?:an?|its|their)\s+(?:[\w-]+\s+){0,2}?investment\s+in {B}", 80),
    _p("investors-include", "en", "INVESTS_IN", r"{B}(?:'s|’s)?\s+(?:[\w-]+\s+){0,2}?(?:investors|backers|shareholders)\s+(?:include|includes|included|including|are|such as)\b{A*}", 75),
    _p("zh-investors-list", "zh", "INVESTS_IN", r"{B}" + _ZGAP % 6 + r"(?:的)?\s*(?:投资人|投资方|投资者|股东)(?:中)?(?:既)?(?:包括|有|为|涵盖)?{A*}", 75),
    _p("zh-shareholders-of-focus", "zh", "INVESTS_IN", r"(?:^|[,，;；:：])\s*(?P<A>(?:[^,，;；:：。]{0,60}?⟦\d+⟧)+[^,，;；:：。⟦]{0,12}?)等(?:股东|投资方|投资机构)", 70, focus="object"),
    _p("zh-brought-in", "zh", "INVESTS_IN", r"{B}" + _ZGAP % 10 + r"(?:引入|引进)(?:了)?{A*}(?:等)?(?:基石投资者|战略投资者|投资者|投资方)", 75),
    _p("zh-backed-company", "zh", "INVESTS_IN", r"{A}" + _ZGAP % 14 + r"(?:支持|投资|孵化)的(?:企业|公司|初创公司)[,，]?\s*{B}", 70),
    _p("zh-invests-gap", "zh", "INVESTS_IN", r"{A}" + _ZGAP % 10 + r"(?:战略)?(?:投资(?![人方者机])|入股|领投|注资)(?:了)?" + _ZGAP % 16 + r"{B}", 70),
    _p("products-include", "en", "DEVELOPS", r"{A}(?:'s|’s)?\s+(?:[\w-]+\s+){0,2}?(?:products?|product portfolio|portfolio|product line|models|apps|applications|offerings)\s+(?:include|includes|included|including|such as|are)\b{B*}", 70),
    _p("improves-its", "en", "DEVELOPS", r"{A}" + _GAP % 60 + r"\b(?:develop|develops|enhance|enhances|improve|improves|upgrade|upgrades|advance|advances|train|trains|trained|open-source|open-sourced)\s+(?:its|their)\s+(?:[\w()-]+\s+){0,4}?{B}", 70),
    _p("released-long", "en", "DEVELOPS", r"{A}" + _GAP % 30 + r"\b(?:open-sourced|released|unveiled|launched|rolled out|introduced)\b" + _GAP % 80 + r"{B}", 65),
    _p("zh-possessive-product", "zh", "DEVELOPS", r"{A}(?:的|旗下的?|自研的?|基座|旗舰|最新)+\s*(?:基座|旗舰|最新|自研)?\s*{B}", 60),
    _p("zh-jointly-launched", "zh", "DEVELOPS", r"{A}" + _ZGAP % 6 + r"(?:联合|共同)?(?:推出|发布|研发|开发)(?:了)?" + _ZGAP % 6 + r"{B}", 70, pairwise=False),
    _p("founder-of", "en", "FOUNDED_BY", r"{B},?\s+(?:the\s+|its\s+|a\s+)?(?:co-?founder|founder)(?:\s+and\s+(?:chief executive|CEO|chairman|chief executive officer))?\s+of {A}", 80, object_types=("person",)),
    _p("possessive-founder", "en", "FOUNDED_BY", r"{A}(?:'s|’s)\s+(?:co-?founder|founder)(?:\s+and\s+(?:CEO|chief executive|chairman))?,?\s+{B}", 80, object_types=("person",)),
    _p("founded-by", "en", "FOUNDED_BY", r"{A}" + _GAP % 60 + r"\b(?:was\s+|were\s+)?(?:founded|co-founded|established|started|set up|created)\b" + _GAP % 40 + r"\bby\b{B*}", 75, object_types=("person",)),
    _p("founder-focus", "en", "FOUNDED_BY", r"(?:^|[.;:]\s*|\band\s+)(?:co-?founder|founder)s?(?:\s+and\s+(?:CEO|chief executive|chairman))?,?\s+{B}", 65, focus="subject", object_types=("person",)),
    _p("founded-by-former-exec", "en", "AFFILIATED_WITH", r"{A}" + _GAP % 50 + r"\b(?:founded|co-founded|started|set up|established|created)\b" + _GAP % 20 + r"\bby\s+(?:a\s+)?(?:former|ex-)\s?{B}\s+" + _WORKERS, 80, **ALUMNI),
    _p("founded-by-person-former", "en", "AFFILIATED_WITH", r"{A}" + _GAP % 60 + r"\b(?:founded|co-founded|started|set up|established|created)\b" + _GAP % 20
       + r"\bby\s+⟦\d+⟧,?\s+(?:a|an|the)?\s*(?:former|ex-)\s?{B}\s+" + _WORKERS, 80, **ALUMNI),
    _p("zh-founder-focus", "zh", "FOUNDED_BY", r"(?:联合)?创始人" + _ZTITLES + r"\s*{B}", 70, focus="subject", object_types=("person",)),
    _p("zh-founder-of", "zh", "FOUNDED_BY", r"{A}(?:的)?(?:联合)?创始人" + _ZTITLES + r"\s*{B}", 80, object_types=("person",)),
    _p("zh-founder-former", "zh", "AFFILIATED_WITH", r"(?:联合)?创始人" + _XGAP % 30 + r"(?:是|为|均为|都是)?(?:原|前)\s*{B}", 70, focus="subject", **ALUMNI),
    _p("zh-founder-worked-at", "zh", "AFFILIATED_WITH", r"(?:联合)?创始人" + _XGAP % 40 + r"(?:均|都)?曾(?:于|在){B}(?:工作|任职|就职)", 75, focus="subject", **ALUMNI),
)

_APPOSITIVE = re.compile(r",\s*(?:which|who|that|headquartered|based|founded|an?|the|one of|billed as|known as|dubbed|called|described as|often referred to as|seen as)\b[^,]{0,100},"
                         r"|\s+[–—]\s+(?:which|who|an?|the|one of)\b[^–—]{0,120}[–—]", re.I)
#: "⟦X⟧, one of China's challengers to ⟦Y⟧, has ...": a clause describing the mention just before it
_NAME_APPOSITIVE = re.compile(r"(?<=⟧),\s*(?:an?|one of|which|who|that|billed as|known as|dubbed)\b[^,]{0,100},|(?<=⟧)\s+[–—]\s+(?:an?|the|one of|which|who)\b[^–—]{0,120}[–—]", re.I)
_GROUP = r"(?P<%s>⟦\d+⟧(?:(?:\s*,\s*|\s*,?\s+(?:and|as well as)\s+|\s*[、和与及]\s*)⟦\d+⟧)*)"
_COMPILED: list[tuple[Pattern, re.Pattern[str], bool]] = []


def _compiled() -> list[tuple[Pattern, re.Pattern[str], bool]]:
    """(pattern, compiled regex, anchored): an anchored regex starts with a mention and is tried only at mentions."""
    if not _COMPILED:
        for p in PATTERNS:
            rx = p.regex
            if p.lang == "en":  # "listed on the Shanghai Stock Exchange", "a stake in an ..."
                rx = rx.replace(" {B}", r"\s+(?:the\s+|an?\s+)?{B}").replace(" {A}", r"\s+(?:the\s+|an?\s+)?{A}")
            for side in ("A", "B"):  # a free list: every mention up to the end of the clause (or the next anchor)
                free = "{%s*}" % side
                if rx.endswith(free):
                    rx = rx.replace(free, r"(?P<%s>[^。；;]{0,300})" % side)
                else:
                    rx = rx.replace(free, r"(?P<%s>[^。；;]{0,200}?)" % side)
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
    since: str = ""
    resolution: str = ""

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


def _pairs(kg: "KnowledgeGraph", sentence: str, mentions: Sequence[Mention], line: int, focus: str = "") -> list[Candidate]:
    """Candidates of one sentence: every pattern over the sentence with mentions masked as ⟦n⟧.

    ``focus`` is the entity the text is about at this sentence (see :func:`extract_candidates`): patterns that
    leave one side unwritten ("Founder Chen Tianshi ...", "...等股东") relate it.
    """
    masked, last = [], 0
    for i, m in enumerate(mentions):
        masked.append(sentence[last:m.start])
        # a funding round standing for the company that raised it keeps its noun: "⟦3⟧ deal was led by ⟦4⟧"
        masked.append(f"⟦{i}⟧" + (" " + m.text.split()[-1] if m.method == "coreference-round" else ""))
        last = m.end
    masked.append(sentence[last:])
    text = "".join(masked)
    # also read the sentence without appositive clauses: "X, which is based in Y, was founded by ..." -> "X was founded by ..."
    reduced = _APPOSITIVE.sub(" ", text)
    # a mention inside an appositive is not the subject or object of a verb that comes after the appositive
    inside = [(a.start(), a.end(), set(_members(a.group(0)))) for a in _NAME_APPOSITIVE.finditer(text)]
    out: list[Candidate] = []
    types = {m.entity_id: kg.entity(m.entity_id).type for m in mentions}
    if focus:
        types[focus] = kg.entity(focus).type
    hits = []
    zh = _is_cjk(sentence)
    for t in dict.fromkeys((text, reduced)):
        starts = [m.start() for m in re.finditer("⟦", t)]
        for pat, rx, anchored in _compiled():
            if pat.lang == "zh" and not zh:
                continue
            if anchored:
                hits += [(pat, h) for h in (rx.match(t, i) for i in starts) if h]
            else:
                hits += [(pat, h) for h in rx.finditer(t)]
    def across_appositive(hit: re.Match[str]) -> bool:
        if hit.string is not text:
            return False
        used = {int(x) for x in re.findall(r"⟦(\d+)⟧", hit.group("all"))}
        # the hit starts inside the clause (at a mention there) and reads on past it: "⟦Y⟧, has received funding from"
        return any(used & ids and a <= hit.start("all") < z < hit.end("all") for a, z, ids in inside)
    hits = [(pat, h) for pat, h in hits if not across_appositive(h)]
    for pat, hit in hits:
        rel = kg.ontology.relation_types[pat.relation]
        a = _members(hit.group("A")) if "A" in hit.re.groupindex and hit.group("A") else []
        b = _members(hit.group("B")) if "B" in hit.re.groupindex and hit.group("B") else []
        ids = [m.entity_id for m in mentions]
        if pat.pairwise:
            pairs = [(ids[x], ids[y], x, y) for i, x in enumerate(a) for y in a[i + 1:]]
        elif pat.focus == "subject":
            pairs = [(focus, ids[y], -1, y) for y in b] if focus else []
        elif pat.focus == "object":
            pairs = [(ids[x], focus, x, -1) for x in a] if focus else []
        else:
            pairs = [(ids[x], ids[y], x, y) for x in a for y in b]
        gap = max(0, len(hit.group("all")) - 40) if not (pat.focus or "*" in pat.regex) else 0
        for s, o, x, y in pairs:
            if s == o or types[s] not in rel.domain or types[o] not in rel.range:
                continue
            if pat.object_types and types[o] not in pat.object_types:
                continue
            if pat.relation == "LOCATED_IN" and types[s] == "place":
                continue
            if pat.relation == "LISTED_ON" and _PLANNED.search(hit.group("all")):
                continue  # "filed for a STAR Market IPO", "plans to list in Hong Kong": not (yet) listed
            how = [mentions[k].method for k in (x, y) if k >= 0] + (["focus"] if -1 in (x, y) else [])
            score = pat.score - min(20.0, gap / 10) - (5.0 if any("normalized" in h for h in how) else 0.0) \
                - (5.0 if any(h in ("coreference", "focus") for h in how) else 0.0)
            props = dict(pat.properties)
            if pat.relation == "LISTED_ON" and x >= 0:
                for t in (mentions[x].ticker or "").split(", "):
                    pt = parse_ticker(t) if t else None
                    if pt and _gazetteer(kg).exchange_of_suffix.get(pt[1]) == o:
                        props["ticker"] = canonical_ticker(kg, t)
            res = "; ".join(f"{m.text!r}->{m.entity_id} by {m.method}" for m in (mentions[k] for k in (x, y) if k >= 0))
            if -1 in (x, y):
                res += f"; {'subject' if x == -1 else 'object'} {focus} is the focus of the text (not written in this sentence)"
            out.append(Candidate(s, pat.relation, o, props, round(score, 1), f"{pat.lang}/{pat.name}", sentence, line, resolution=res))
    return out


def _num(v: Any) -> float | None:
    try:
        return float(str(v).replace(",", ""))
    except ValueError:
        return None


def _compare_investment(kg: "KnowledgeGraph", c: Candidate, same: list["Fact"]) -> Candidate:
    """An investment the graph has between the same two: same amount but another year, or same year (or round) but another amount, is a conflict."""
    amount, cur = _num(c.properties.get("amount", "")), c.properties.get("currency", "")
    year, rnd = c.since[:4], c.properties.get("round", "")
    def figures(f: "Fact") -> list[tuple[float, str]]:  # the investor's own amount and the round's size (round_amount, issue 11)
        got = [(_num(f.properties.get(a, "")), str(f.properties.get(k, ""))) for a, k in (("amount", "currency"), ("round_amount", "round_currency"))]
        return [(v, k) for v, k in got if v is not None]

    for f in same:
        f_year = str(f.since)[:4]
        comparable = [v for v, k in figures(f) if k == cur]
        f_amount, f_cur = (min(comparable, key=lambda v: abs(v - amount)) if amount is not None and comparable else None), cur
        if amount is not None and f_amount is not None:
            if abs(amount - f_amount) < 0.5 and year and f_year and year != f_year:
                c.kind, c.curated = "conflict", _fact_text(f)
                c.conflict = (f"the article dates {c.subject}'s {amount:,.0f} {cur} investment in {c.object} to {year}; "
                              f"the curated data dates it {f.since}")
                return c
            if abs(amount - f_amount) >= 0.5 and ((year and year == f_year) or (rnd and rnd == str(f.properties.get("round", "")))):
                c.kind, c.curated = "conflict", _fact_text(f)
                c.conflict = (f"the article puts {c.subject}'s investment in {c.object} ({year or rnd}) at {amount:,.0f} {cur}; "
                              f"the curated data says {f_amount:,.0f} {f_cur}")
                return c
    detailed = [f for f in same if (amount is None or not figures(f) or any(abs(v - amount) < 0.5 for v, _ in figures(f)))
                and (not year or not f.since or str(f.since)[:4] == year) and (not rnd or f.properties.get("round", "") in ("", rnd))]
    if detailed or (amount is None and not year and not rnd):
        c.kind, c.curated = "known", "; ".join(_fact_text(f) for f in (detailed or same))
    else:  # the graph has other investments between the two; this one (another round, amount or year) is new
        c.curated = "other investments between them: " + "; ".join(_fact_text(f) for f in same)
    return c


def _corporate_group(kg: "KnowledgeGraph", eid: str) -> set[str]:
    """``eid`` with its parents and subsidiaries (SUBSIDIARY_OF either way, two steps)."""
    group, frontier = {eid}, {eid}
    for _ in range(2):
        nxt = {f.object if f.subject == x else f.subject for x in frontier for f in kg.facts_of(x, "SUBSIDIARY_OF", "both")}
        frontier = nxt - group
        group |= nxt
    return group


def _compare(kg: "KnowledgeGraph", c: Candidate) -> Candidate:
    """Set ``kind``/``conflict``/``curated`` by comparing a candidate with the curated graph."""
    rel = kg.ontology.relation_types[c.relation]
    ends = [f for f in kg.facts_of(c.subject, c.relation, "both")
            if {f.subject, f.object} == {c.subject, c.object} and (rel.symmetric or f.subject == c.subject)]
    if c.relation == "INVESTS_IN" and ends:
        return _compare_investment(kg, c, ends)
    same = [f for f in ends if all(str(f.properties.get(k, "headquarters" if k == "role" else "")) == v
                                   for k, v in c.properties.items() if k not in ("ticker", "kind") or k in f.properties)]
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
        group = _corporate_group(kg, c.subject)
        devs = [f for f in kg.facts_of(c.object, "DEVELOPS", "in") if f.subject != c.subject]
        if devs and all(f.subject in group for f in devs):  # HiSilicon's chip credited to its parent Huawei: the same group
            c.curated = "developed within the same group: " + "; ".join(_fact_text(f) for f in devs)
        elif devs:
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


_ORG_TYPES = frozenset({"company", "research_lab", "fund", "state_fund", "university"})
#: what "the company", "the startup", 该公司 can stand for: the focus is the latest company or lab named as a subject, never a fund
_FOCUS_TYPES = frozenset({"company", "research_lab"})
#: English anaphors: "the company", "this Beijing-based firm", "the startup" (head noun = the mention), "it"/"its",
#: and a funding round as sentence subject ("The deal was led by ...", "This round ...") standing for the company raising it.
_EN_ANAPHOR = re.compile(
    r"\b(?:the|this|that)\s+(?:[\w'’-]+\s+){0,3}?(?P<np>company|firm|startup|start-up|chipmaker|chip designer|designer|developer|"
    r"maker|manufacturer|unicorn|conglomerate|lab|laboratory)\b(?!-)"
    r"|\b(?P<pron>its|it)\b", re.I)
_EN_ROUND_SUBJECT = re.compile(r"^\W{0,3}(?P<np>(?:the|this|that)\s+(?:(?:latest|new|recent|earlier|financing|funding|strategic|investment)\s+)*"
                               r"(?:deal|round|financing|funding|raise|fundraising|investment))\b", re.I)
_ZH_ANAPHOR = re.compile(r"(?:该|这家|此|这一)(?:[^，。,；;]{0,14}?的)?(?P<np>公司|企业|初创公司|创业公司|独角兽)"
                         r"|(?P<pron>其)(?![他中余实次])|(?:(?<=^)|(?<=[，,。；;]))(?P<bare>公司)(?!司)")
_MONEY_EN = re.compile(
    r"(?P<cur>US\$|HK\$|\$|USD\s?|RMB\s?|CNY\s?|¥)\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<mul>billion|bn|million|mn|m)?\b"
    r"|(?P<num2>\d[\d,]*(?:\.\d+)?)\s*(?P<mul2>billion|million)?[\s-]*(?P<cur2>yuan|renminbi|Hong Kong dollars|US dollars)\b", re.I)
_MONEY_ZH = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<mul>亿|万)?\s*(?P<cur>美元|港元|元人民币|元|人民币)")
_CURRENCY = {"us$": "USD", "$": "USD", "usd": "USD", "hk$": "HKD", "rmb": "CNY", "cny": "CNY", "¥": "CNY", "yuan": "CNY", "renminbi": "CNY",
             "hong kong dollars": "HKD", "us dollars": "USD", "美元": "USD", "港元": "HKD", "元": "CNY", "元人民币": "CNY", "人民币": "CNY"}
_MULT = {"billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6, "亿": 1e8, "万": 1e4, "": 1.0}
_ROUND_EN = re.compile(r"\b(?:Series\s+(?P<s>[A-H]\d?\+?)(?![\w])|(?P<w>seed|angel|pre-IPO)\s+(?:round|financing|funding)|(?P<c>cornerstone)\s+investors?)", re.I)
_ROUND_ZH = re.compile(r"(?P<s>[A-H]\d?\+?)\s*轮|(?P<w>天使|种子|Pre-IPO)轮|(?P<c>基石)投资")
_YEAR_EN = re.compile(r"\b(?:in|a|an)\s+(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+)?"
                      r"(?P<y>(?:19|20)\d{2})\b(?![-\d])|\b(?P<rel>last|this)\s+year\b", re.I)
_YEAR_ZH = re.compile(r"(?P<y>(?:19|20)\d{2})年|(?P<rel>去年|今年)")
_INVEST_CUE = re.compile(r"\b(?:raise[sd]?|raising|secured|closed|completed|funding|financing|round|invest\w*|backed|led by)\b|融资|投资|领投|注资|入股", re.I)
_LISTING_CUE = re.compile(r"\b(?:listed|listing|debut\w*|IPO|went public|began trading|first day of trading)\b|上市|挂牌|登陆", re.I)


_PLANNED = re.compile(r"\b(?:filed|files|filing|plans?|planned|planning|aims?|aiming|seeks?|seeking|considering|preparing|prepares|intends?|intention|"
                      r"applied|applies|application|tutoring|pending)\b|拟|计划|筹备|申请|辅导|冲刺", re.I)
_MODIFIER = re.compile(r"(?:-backed|-based|-owned|-funded|-led|-listed)\b|\s+(?:Holdings|Group)-backed\b")


def _is_org(kg: "KnowledgeGraph", eid: str) -> bool:
    return kg.entity(eid).type in _ORG_TYPES


def _coreference(kg: "KnowledgeGraph", sentence: str, mentions: list[Mention], focus: str) -> list[Mention]:
    """Mentions for anaphors standing for the focus entity: "the company", "this Beijing-based firm", sentence-initial "Its",
    "The deal", 该公司, 这家总部位于上海的公司, 其. The mention covers the head noun only (so "the ⟦Beijing⟧-based ⟦company⟧"
    still reads as "⟦place⟧-based ⟦organisation⟧"); a pronoun after a named organisation of the same sentence is left alone."""
    if not focus:
        return mentions
    zh = _is_cjk(sentence)
    taken = [(m.start, m.end) for m in mentions]
    found: list[Mention] = []

    def add(a: int, z: int, text: str) -> None:
        if any(x < z and a < y for x, y in taken) or any(x < z and a < y for x, y in ((f.start, f.end) for f in found)):
            return
        found.append(Mention(focus, text, a, z, "coreference"))

    def org_before(pos: int) -> bool:
        return any(m.end <= pos and _is_org(kg, m.entity_id) for m in [*mentions, *found])

    if zh:
        for m in _ZH_ANAPHOR.finditer(sentence):
            g = "np" if m.group("np") else "pron" if m.group("pron") else "bare"
            a, z = m.span(g)
            if g == "pron" and org_before(a):
                continue
            add(a, z, m.group(g))
    else:
        if r := _EN_ROUND_SUBJECT.match(sentence):
            add(r.start("np"), r.end("np"), r.group("np"))
            if found:
                found[-1] = Mention(focus, r.group("np"), found[-1].start, found[-1].end, "coreference-round")
        for m in _EN_ANAPHOR.finditer(sentence):
            if m.group("np"):
                add(m.start("np"), m.end("np"), m.group("np"))
            elif not org_before(m.start("pron")) and (m.group("pron") == m.group("pron").capitalize() or m.group("pron").lower() == "its"):
                add(m.start("pron"), m.end("pron"), m.group("pron"))
    return sorted([*mentions, *found], key=lambda m: m.start)


#: A sentence that opens on the focus's people (its founder, CEO, chairman) stays about the focus.
_ABOUT_PEOPLE = re.compile(r"\s*(?:(?:联合)?创始人|董事长|首席执行官|CEO|(?:its|the company's)\s+(?:co-?)?founder|(?:co-?)?founders?\b)", re.I)
#: Words before a name that make it a past employer, not the subject of the sentence.
_FORMER = re.compile(r"(?:原|前|曾任|former|ex-)\s*$", re.I)


def _next_focus(kg: "KnowledgeGraph", sentence: str, mentions: Sequence[Mention], focus: str) -> str:
    """The entity the text is about after this sentence: the first organisation named early in it (its subject), else unchanged."""
    limit = 24 if _is_cjk(sentence) else max(60, len(sentence) // 3)
    if _ABOUT_PEOPLE.match(sentence):  # "创始人兼CEO张建中是原英伟达…", "Its founder, a former Nvidia …": still about the focus
        return focus
    for m in mentions:
        if m.start > limit:
            break
        if _MODIFIER.match(sentence, m.end):  # "Tencent-backed Enflame": a modifier, not the subject
            continue
        if _FORMER.search(sentence[max(0, m.start - 8):m.start]):  # "原英伟达", "former Nvidia": a past employer
            continue
        if kg.entity(m.entity_id).type in _FOCUS_TYPES:
            return m.entity_id
    return focus


def _money(sentence: str) -> tuple[float, str] | None:
    """The first amount of money written in the sentence, as (amount, ISO currency)."""
    m = (_MONEY_ZH if _is_cjk(sentence) else _MONEY_EN).search(sentence)
    if not m:
        return None
    d = m.groupdict()
    num, mul, cur = d.get("num") or d.get("num2"), (d.get("mul") or d.get("mul2") or ""), (d.get("cur") or d.get("cur2") or "")
    try:
        value = float((num or "").replace(",", "")) * _MULT.get(mul.lower(), 1.0)
    except ValueError:
        return None
    currency = _CURRENCY.get(cur.strip().lower())
    return (value, currency) if currency and value > 0 else None


def _round_facts(sentence: str, year_of_article: int) -> dict[str, str]:
    """Amount, currency, round and year of a funding round written in the sentence (only in a sentence about investment)."""
    if not _INVEST_CUE.search(sentence):
        return {}
    out: dict[str, str] = {}
    if money := _money(sentence):
        out["amount"], out["currency"] = f"{money[0]:.0f}", money[1]
    r = (_ROUND_ZH if _is_cjk(sentence) else _ROUND_EN).search(sentence)
    if r:
        out["round"] = f"Series {r.group('s').upper()}" if r.group("s") else "IPO cornerstone" if r.group("c") else r.group("w").capitalize()
    y = (_YEAR_ZH if _is_cjk(sentence) else _YEAR_EN).search(sentence)
    if y and y.group("y"):
        out["since"] = y.group("y")
    elif y and year_of_article:
        out["since"] = str(year_of_article - 1 if y.group("rel").lower() in ("last", "去年") else year_of_article)
    return out


def _co_investors(cands: list[Candidate]) -> None:
    """"The deal was led by A and followed fundraising involving B": B invests in what A invests in, not in A."""
    inv = [c for c in cands if c.relation == "INVESTS_IN" and c.kind == "candidate"]
    for c in inv:
        raisers = {d.object for d in inv if d.subject != c.subject}
        leads = {d.object for d in inv if d.subject == c.object and d.object != c.subject}
        if c.object not in raisers and len(leads) == 1:
            target = next(iter(leads))
            c.resolution += f"; {c.object} is itself an investor in {target} in this sentence: a co-investor"
            c.object = target


def _with_round(cands: list[Candidate], facts: dict[str, str]) -> None:
    """Give the round's amount, currency, round name and year to the investments of a sentence (amount only to a lone investor)."""
    if not facts:
        return
    inv = [c for c in cands if c.relation == "INVESTS_IN"]
    investors: dict[str, set[str]] = {}
    for c in inv:
        investors.setdefault(c.object, set()).add(c.subject)
    leads: dict[str, set[str]] = {}
    for c in inv:
        if "led" in c.pattern.rsplit("/", 1)[-1]:
            leads.setdefault(c.object, set()).add(c.subject)
    for c in inv:
        if "since" in facts and not c.since:
            c.since = facts["since"]
        if "round" in facts:
            c.properties.setdefault("round", facts["round"])
        # the round's amount goes to a lone investor, or to the one lead (the curated data records a round's size on its lead)
        if "amount" in facts and (len(investors[c.object]) == 1 or leads.get(c.object) == {c.subject}):
            c.properties.setdefault("amount", facts["amount"])
            c.properties.setdefault("currency", facts["currency"])


def _ticker_listings(kg: "KnowledgeGraph", sentence: str, mentions: Sequence[Mention], line: int) -> list[Candidate]:
    """"MiniMax (0100.HK) ... 上市": a name with its ticker in a sentence about listing is listed on the ticker's exchange."""
    if not _LISTING_CUE.search(sentence):
        return []
    gz, out = _gazetteer(kg), []
    for m in mentions:
        if not m.ticker or m.method == "ticker":
            continue
        for t in m.ticker.split(", "):
            pt = parse_ticker(t)
            ex = gz.exchange_of_suffix.get(pt[1]) if pt else None
            if ex and kg.entity(m.entity_id).type in kg.ontology.relation_types["LISTED_ON"].domain:
                out.append(Candidate(m.entity_id, "LISTED_ON", ex, {"ticker": canonical_ticker(kg, t)}, 65.0, "ticker-in-listing-sentence",
                                     sentence, line, resolution=f"{m.text!r}->{m.entity_id} by {m.method}; {t} -> {ex}"))
    return out


def _listed_words(kg: "KnowledgeGraph", sentence: str, mentions: Sequence[Mention], line: int) -> list[Candidate]:
    """"Cambricon's Shanghai-listed shares", "Hong Kong-listed Biren": the company next to an X-listed word is listed there."""
    out = []
    for k, m in enumerate(mentions):
        if m.method != "exchange-word" or not m.text.endswith("-listed"):
            continue
        left = mentions[k - 1] if k else None
        right = mentions[k + 1] if k + 1 < len(mentions) else None
        pick = None
        if left and re.fullmatch(r"(?:'s|’s)\s+", sentence[left.end:m.start]):
            pick = left
        elif right and re.fullmatch(r"\s+(?:[\w-]+\s+){0,2}?", sentence[m.end:right.start]):
            pick = right
        if pick and kg.entity(pick.entity_id).type in ("company", "etf"):
            out.append(Candidate(pick.entity_id, "LISTED_ON", m.entity_id, {}, 70.0, "en/x-listed", sentence, line,
                                 resolution=f"{pick.text!r}->{pick.entity_id} by {pick.method}; {m.text!r}->{m.entity_id}"))
    return out


def extract_candidates(kg: "KnowledgeGraph", text: str, *, first_line: int = 1, skipped: list[tuple[int, str]] | None = None,
                       mentions_seen: dict[str, int] | None = None, title: str = "", date: str = "") -> list[Candidate]:
    """Candidate facts in ``text``, compared with ``kg``: one per (subject, relation, object, properties), best sentence kept.

    The text is read sentence by sentence with a *focus*: the organisation the text is about (first named in the
    title, then the subject of the latest sentence that names one early). Anaphors ("the company", "this
    Beijing-based firm", "Its", "The deal", 该公司, 其) stand for the focus, and a funding round's amount, round and
    year carry over to the next sentences about that round ("... raised $600 million in 2024. The deal was led by X").
    ``date`` (the article's) turns "last year" into a year.

    Sentences that are not prose are left out and, when ``skipped`` is a list,
    recorded there as (line, reason); ``mentions_seen``, when a dict, counts the mentions of each entity id.

    >>> from cnaikg.graph.kg import KnowledgeGraph
    >>> from cnaikg.graph.model import Entity
    >>> kg = KnowledgeGraph([Entity("zhipu", "company", "Zhipu AI", "智谱"), Entity("bj", "place", "Beijing", "北京")], [])
    >>> [(c.subject, c.relation, c.object, c.properties) for c in extract_candidates(kg, "智谱总部位于北京。")]
    [('zhipu', 'LOCATED_IN', 'bj', {'role': 'headquarters'})]
    >>> [(c.subject, c.relation, c.object) for c in extract_candidates(kg, "Zhipu AI raised money. The Beijing-based company grew.")]
    [('zhipu', 'LOCATED_IN', 'bj')]
    """
    best: dict[tuple, Candidate] = {}
    year = int(date[:4]) if date[:4].isdigit() else 0
    focus = next((m.entity_id for m in find_mentions(kg, title) if kg.entity(m.entity_id).type in _FOCUS_TYPES), "") if title else ""
    focus_sentence = title if focus else ""  # where the focus was named: shown with rows that rest on it
    memory: tuple[str, dict[str, str], int] = ("", {}, 0)  # (company, round facts, sentences left)
    round_sentence = ""
    for line, sentence in split_sentences(text, first_line=first_line):
        why = _not_prose(sentence)
        if why:
            if skipped is not None:
                skipped.append((line, why))
            continue
        sentence = unicodedata.normalize("NFKC", _CONTROL.sub(" ", sentence))
        named = find_mentions(kg, sentence)
        if mentions_seen is not None:
            for m in named:
                mentions_seen[m.entity_id] = mentions_seen.get(m.entity_id, 0) + 1
        if not focus:  # nothing named yet: the first company of the text is what it is about
            focus = next((m.entity_id for m in named if kg.entity(m.entity_id).type in _FOCUS_TYPES), "")
            focus_sentence = sentence if focus else ""
        mentions = _coreference(kg, sentence, named, focus)
        found = _ticker_conflicts(kg, sentence, mentions, line) if named else []
        found += _ticker_listings(kg, sentence, mentions, line) + _listed_words(kg, sentence, mentions, line)
        if len(mentions) >= 2 or (len(mentions) >= 1 and focus):
            found += _pairs(kg, sentence, mentions, line, focus)
        _co_investors(found)
        facts = _round_facts(sentence, year)
        raised = facts and re.search(r"\b(?:raised|raises|secured|closed|completed|received)\b|融资|获得", sentence)
        subject = _next_focus(kg, sentence, mentions, focus)
        carried = memory[2] > 0 and not facts.get("amount") and any(c.relation == "INVESTS_IN" and c.object == memory[0] for c in found)
        if carried:
            _with_round(found, {**memory[1], **facts})
        else:
            _with_round(found, facts)
        for c in found:  # a row that rests on an earlier sentence (the round's figures, the focus) shows it too
            earlier = round_sentence if carried and c.relation == "INVESTS_IN" and c.object == memory[0] else \
                focus_sentence if ("coreference" in c.resolution or "focus of the text" in c.resolution) else ""
            if earlier and earlier != sentence:
                c.sentence = f"{earlier} […] {sentence}"
        if raised and facts.get("amount"):
            memory, round_sentence = (subject, facts, 2), sentence
        else:
            memory = (memory[0], memory[1], memory[2] - 1)
        if subject != focus:
            focus_sentence = sentence
        focus = subject
        for c in found:
            if c.kind == "candidate":
                _compare(kg, c)
            a, b = (c.subject, c.object)
            if kg.ontology.relation_types[c.relation].symmetric and b < a:
                c.subject, c.object = b, a
            key = (c.subject, c.relation, c.object, tuple(sorted(c.properties.items())), c.since, c.kind)
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
    cands = extract_candidates(kg, art.body, first_line=art.body_line, skipped=skipped, mentions_seen=mentions, title=art.title, date=art.date)
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
            "relation": c.relation, "object": c.object, "object_name": kg.entity(c.object).name, "since": c.since, "until": "",
            "properties": "; ".join(f"{k}={v}" for k, v in c.properties.items()), "confidence": c.confidence,
            "method": f"{c.pattern} (line {c.line}); resolution: {c.resolution or 'names as written'}", "score": c.score, "conflict": c.conflict, "curated": c.curated,
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
