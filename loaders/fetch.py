"""Download the public sources the loaders read, into a local cache, safely: conditional, bounded, atomic, offline-tolerant.

Sources (see :func:`source_requests`; each URL and licence is in docs/keeping-current.md):

==========================  =======================================================================  ==============
name                        URL                                                                      loader
==========================  =======================================================================  ==============
``csl``                     the US Consolidated Screening List CSV (trade.gov)                       ``csl``
``opensanctions:DATASET``   ``https://data.opensanctions.org/datasets/latest/DATASET/entities.ftm.json``  ``opensanctions``
``wikidata``                wbgetentities for the QIDs of the data/ entities (50 per request)        ``wikidata``
``wikidata:Q1,Q2``          the same for the QIDs given
==========================  =======================================================================  ==============

Every download goes through :func:`fetch_url`:

* the cached copy lives in ``CACHE/SOURCE/FILE`` with ``FILE.meta.json`` beside it
  (URL, ETag, Last-Modified, when fetched, size, SHA-256); CACHE is ``--cache-dir``,
  else ``$CNAIKG_FETCH_CACHE``, else ``$CNAIKG_CACHE/fetch``, else
  ``$XDG_CACHE_HOME/cnaikg/fetch``, else ``~/.cache/cnaikg/fetch`` (:func:`cache_root`);
* a second fetch sends ``If-None-Match`` / ``If-Modified-Since``; a 304 keeps the copy;
* each request has a timeout; timeouts, connection errors, 429/5xx answers and truncated
  bodies (fewer bytes than Content-Length) are retried a bounded number of times with
  exponential backoff (``Retry-After`` honoured up to a cap);
* a body larger than ``max_bytes`` is refused (by Content-Length before reading, or as
  soon as the stream passes the limit);
* the new copy is written to a temporary file in the same folder, fsynced and renamed
  over the old one, so a reader never sees half a file and a failed download leaves the
  last good copy untouched;
* when the source cannot be reached after the retries, the last good copy is used and
  the result says so, with its date (``status == "offline"``); with no copy it is an error.

For tests (and mirrors), ``$CNAIKG_FETCH_BASE_URL`` (or ``base_url=``) replaces the
scheme and host of every source URL, keeping path and query: with
``CNAIKG_FETCH_BASE_URL=http://127.0.0.1:8765`` the CSL is read from
``http://127.0.0.1:8765/static/consolidated_screening_list/consolidated.csv``.

>>> [r.url for r in source_requests("opensanctions:us_ofac_sdn")]
['https://data.opensanctions.org/datasets/latest/us_ofac_sdn/entities.ftm.json']
>>> source_requests("csl", base_url="http://127.0.0.1:8765")[0].url
'http://127.0.0.1:8765/static/consolidated_screening_list/consolidated.csv'
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import email.utils
import hashlib
import http.client
import json
import os
import re
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from cnaikg.errors import LoaderError

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = ["FetchError", "SourceRequest", "FetchResult", "SOURCES", "cache_root", "source_requests", "fetch_url", "fetch_source",
           "DEFAULT_TIMEOUT", "DEFAULT_RETRIES", "DEFAULT_MAX_BYTES", "USER_AGENT"]

DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 1.0
MAX_BACKOFF = 30.0
DEFAULT_MAX_BYTES = 2_000_000_000  # the OpenSanctions "default" collection is about 1 GB
USER_AGENT = "cnaikg-fetch/1.0 (open-source knowledge graph; Python urllib)"
WIKIDATA_BATCH = 50
_CHUNK = 1 << 16

CSL_URL = "https://api.trade.gov/static/consolidated_screening_list/consolidated.csv"
OPENSANCTIONS_URL = "https://data.opensanctions.org/datasets/latest/{dataset}/entities.ftm.json"
WIKIDATA_API = "https://www.wikidata.org/w/api.php"

#: What each source is: loader, publisher, licence, home page. The command line and docs read this table.
SOURCES: dict[str, dict[str, str]] = {
    "csl": {"loader": "csl", "publisher": "International Trade Administration, US Department of Commerce",
            "licence": "US government work, public domain (17 U.S.C. 105); check each list's terms on trade.gov",
            "home": "https://www.trade.gov/consolidated-screening-list", "url": CSL_URL},
    "opensanctions": {"loader": "opensanctions", "publisher": "OpenSanctions",
                      "licence": "CC BY-NC 4.0 (non-commercial; businesses need a licence from OpenSanctions)",
                      "home": "https://www.opensanctions.org/docs/bulk/", "url": OPENSANCTIONS_URL},
    "wikidata": {"loader": "wikidata", "publisher": "Wikidata (Wikimedia Foundation)", "licence": "CC0 1.0 (public domain dedication)",
                 "home": "https://www.wikidata.org/wiki/Wikidata:Data_access", "url": WIKIDATA_API + "?action=wbgetentities&ids=Q..."},
}


class FetchError(LoaderError):
    """A source could not be fetched and there is no usable cached copy (or the answer was refused)."""


@dataclass(frozen=True)
class SourceRequest:
    """One download: the source it belongs to, its URL and the cache file name."""

    source: str
    url: str
    filename: str


@dataclass
class FetchResult:
    """The outcome of one download: ``downloaded``, ``not-modified`` (304: the cached copy is current) or ``offline``
    (the source could not be reached; ``path`` is the last good copy, fetched at ``fetched_at``)."""

    source: str
    url: str
    path: Path
    status: str
    fetched_at: str
    bytes: int
    attempts: int = 1
    message: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


def cache_root(explicit: str | Path | None = None) -> Path:
    """The fetch cache folder: ``explicit``, $CNAIKG_FETCH_CACHE, $CNAIKG_CACHE/fetch, $XDG_CACHE_HOME/cnaikg/fetch or ~/.cache/cnaikg/fetch.

    >>> cache_root("/tmp/x")
    PosixPath('/tmp/x')
    """
    if explicit:
        return Path(explicit)
    if os.environ.get("CNAIKG_FETCH_CACHE"):
        return Path(os.environ["CNAIKG_FETCH_CACHE"])
    if os.environ.get("CNAIKG_CACHE"):
        return Path(os.environ["CNAIKG_CACHE"]) / "fetch"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cnaikg" / "fetch"


def _rebase(url: str, base_url: str | None) -> str:
    base = base_url if base_url is not None else os.environ.get("CNAIKG_FETCH_BASE_URL", "")
    if not base:
        return url
    b = urllib.parse.urlsplit(base)
    if b.scheme not in ("http", "https") or not b.netloc:
        raise FetchError(f"CNAIKG_FETCH_BASE_URL={base!r} is not an http(s) address; give e.g. http://127.0.0.1:8765")
    u = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((b.scheme, b.netloc, b.path.rstrip("/") + u.path, u.query, ""))


_DATASET = re.compile(r"^[a-z0-9_]{2,64}$")
_QID = re.compile(r"^Q[1-9][0-9]{0,11}$")


def _qids_of(kg: "KnowledgeGraph | None", data: str | Path | None) -> list[str]:
    if kg is None:
        from cnaikg.graph.kg import KnowledgeGraph

        kg = KnowledgeGraph.from_dataset(data)
    return sorted({str(e.identifiers["wikidata"]).upper() for e in kg.entities() if e.identifiers.get("wikidata")},
                  key=lambda q: int(q[1:]) if _QID.match(q) else 0)


def source_requests(name: str, *, base_url: str | None = None, kg: "KnowledgeGraph | None" = None,
                    data: str | Path | None = None) -> list[SourceRequest]:
    """The downloads of the source ``name`` (``csl``, ``opensanctions:DATASET``, ``wikidata`` or ``wikidata:Q1,Q2``).

    Raises FetchError naming the sources that exist for an unknown name, a bad dataset id or QID.

    >>> [r.filename for r in source_requests("wikidata:Q1,Q42")]
    ['wbgetentities-1.json']
    """
    kind, _, arg = name.partition(":")
    kind = kind.strip().lower()
    if kind == "csl" and not arg:
        return [SourceRequest("csl", _rebase(CSL_URL, base_url), "consolidated.csv")]
    if kind == "opensanctions":
        ds = arg.strip()
        if not _DATASET.match(ds):
            raise FetchError(f"{name!r}: give an OpenSanctions dataset id, e.g. opensanctions:us_ofac_sdn, opensanctions:sanctions "
                             "(ids are lower case letters, digits and _; see https://www.opensanctions.org/datasets/)")
        return [SourceRequest(f"opensanctions-{ds}", _rebase(OPENSANCTIONS_URL.format(dataset=ds), base_url), "entities.ftm.json")]
    if kind == "wikidata":
        qids = [q.strip().upper() for q in arg.split(",") if q.strip()] if arg else _qids_of(kg, data)
        bad = [q for q in qids if not _QID.match(q)]
        if bad:
            raise FetchError(f"{name!r}: {', '.join(bad[:5])} is not a Wikidata item id; write Q followed by digits, e.g. wikidata:Q42")
        if not qids:
            raise FetchError("no entity in the data has a wikidata id; give the items: cnaikg fetch wikidata:Q123,Q456")
        out = []
        for i in range(0, len(qids), WIKIDATA_BATCH):
            batch = qids[i:i + WIKIDATA_BATCH]
            query = urllib.parse.urlencode({"action": "wbgetentities", "ids": "|".join(batch), "format": "json",
                                            "props": "info|labels|aliases|claims", "languages": "en|zh|zh-hans|zh-cn"})
            out.append(SourceRequest("wikidata", _rebase(f"{WIKIDATA_API}?{query}", base_url), f"wbgetentities-{i // WIKIDATA_BATCH + 1}.json"))
        return out
    raise FetchError(f"no source named {name!r}; known: csl, opensanctions:DATASET (e.g. opensanctions:us_ofac_sdn), wikidata, wikidata:Q1,Q2")


# --------------------------------------------------------------------------- the cache


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def read_meta(path: str | Path) -> dict[str, Any]:
    """The metadata of a cached copy ({} when there is none or it is unreadable or does not match the file)."""
    p = Path(path)
    try:
        meta = json.loads(_meta_path(p).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(meta, dict) or not p.is_file() or p.stat().st_size != meta.get("bytes"):
        return {}
    return meta


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _commit(tmp: Path, path: Path, meta: dict[str, Any]) -> None:
    """Switch the cached copy: data and metadata already fsynced in temporary files; rename both, then sync the folder."""
    fd, mtmp = tempfile.mkstemp(prefix=f".{path.name}.meta.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(meta, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        os.replace(mtmp, _meta_path(path))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(mtmp)
        raise
    _fsync_dir(path.parent)


# --------------------------------------------------------------------------- progress


class _Bar:
    """A progress bar on stderr: redrawn in place on a terminal, a line every few seconds otherwise; silent when quiet."""

    def __init__(self, label: str, total: int | None, quiet: bool):
        from cnaikg.progress import quiet_mode

        self.label, self.total, self.quiet = label, total, quiet or quiet_mode()
        self.tty = sys.stderr.isatty()
        self.t0 = self.last = time.monotonic()
        self.drawn = False

    def update(self, n: int, final: bool = False) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if not final and now - self.last < (0.2 if self.tty else 5.0):
            return
        if final and not self.drawn and now - self.t0 < 1.0:
            return  # a quick download needs no bar
        self.last, self.drawn = now, True
        mb = n / 1e6
        if self.total:
            frac = min(1.0, n / self.total)
            bar = "#" * int(frac * 30)
            text = f"{self.label}: [{bar:<30}] {frac:4.0%} {mb:,.1f}/{self.total / 1e6:,.1f} MB"
        else:
            text = f"{self.label}: {mb:,.1f} MB"
        rate = mb / max(now - self.t0, 1e-6)
        text += f", {rate:,.1f} MB/s"
        if self.tty:
            print("\r" + text + ("\n" if final else ""), end="", file=sys.stderr, flush=True)
        else:
            print(text, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- one download


class _Retry(Exception):
    """A transient failure: worth trying again (after ``wait`` seconds when the server said so)."""

    def __init__(self, message: str, wait: float | None = None):
        super().__init__(message)
        self.wait = wait


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    with contextlib.suppress(TypeError, ValueError):
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, (when - _dt.datetime.now(_dt.timezone.utc)).total_seconds())
    return None


def _attempt(url: str, path: Path, meta: dict[str, Any], *, timeout: float, max_bytes: int, label: str, quiet: bool,
             opener: Callable[..., Any]) -> tuple[str, dict[str, Any], Path | None]:
    """One request. Returns ('not-modified', meta, None) or ('downloaded', new meta, fsynced temporary file).

    Raises _Retry for transient failures and FetchError for final ones.
    """
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if meta.get("etag"):
        headers["If-None-Match"] = meta["etag"]
    if meta.get("last_modified"):
        headers["If-Modified-Since"] = meta["last_modified"]
    req = urllib.request.Request(url, headers=headers)
    try:
        resp = opener(req, timeout=timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 304:
            return "not-modified", meta, None
        if exc.code == 429 or exc.code >= 500:
            raise _Retry(f"HTTP {exc.code} {exc.reason}", _retry_after(exc.headers.get("Retry-After") if exc.headers else None)) from None
        hint = "the address is wrong or the dataset id does not exist" if exc.code == 404 else "the server refused the request"
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}: {hint}; check the source name (see docs/keeping-current.md)") from None
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, http.client.HTTPException, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise _Retry(f"cannot reach the server ({type(reason).__name__}: {reason})") from None
    with resp:
        status = getattr(resp, "status", 200)
        if status == 304:
            return "not-modified", meta, None
        length_text = resp.headers.get("Content-Length")
        length = int(length_text) if length_text and length_text.isdigit() else None
        if length is not None and length > max_bytes:
            raise FetchError(f"{url}: the answer is {length / 1e6:,.1f} MB, more than the limit of {max_bytes / 1e6:,.1f} MB; "
                             "raise it with --max-mb if this is expected")
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        tmp = Path(tmp_name)
        digest = hashlib.sha256()
        got = 0
        bar = _Bar(label, length, quiet)
        try:
            with os.fdopen(fd, "wb") as fh:
                while True:
                    try:
                        chunk = resp.read(_CHUNK)
                    except http.client.IncompleteRead as exc:
                        got += len(exc.partial)
                        raise _Retry(f"the connection closed after {got:,} of {length or '?'} bytes (truncated body)") from None
                    except (socket.timeout, TimeoutError, OSError) as exc:
                        raise _Retry(f"the download stalled after {got:,} bytes ({type(exc).__name__}: {exc})") from None
                    if not chunk:
                        break
                    got += len(chunk)
                    if got > max_bytes:
                        raise FetchError(f"{url}: the answer passed the limit of {max_bytes / 1e6:,.1f} MB while downloading; "
                                         "raise it with --max-mb if this is expected")
                    digest.update(chunk)
                    fh.write(chunk)
                    bar.update(got)
                if length is not None and got != length:
                    raise _Retry(f"the connection closed after {got:,} of {length:,} bytes (truncated body)")
                fh.flush()
                os.fsync(fh.fileno())
            bar.update(got, final=True)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        new = {"url": url, "etag": resp.headers.get("ETag", ""), "last_modified": resp.headers.get("Last-Modified", ""),
               "content_type": resp.headers.get("Content-Type", ""), "fetched_at": _now(), "checked_at": _now(), "bytes": got,
               "sha256": digest.hexdigest()}
        return "downloaded", new, tmp


def fetch_url(url: str, path: str | Path, *, source: str = "", timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES,
              backoff: float = DEFAULT_BACKOFF, max_bytes: int = DEFAULT_MAX_BYTES, quiet: bool = False,
              opener: Callable[..., Any] | None = None, sleep: Callable[[float], None] = time.sleep) -> FetchResult:
    """Download ``url`` into the cache file ``path`` (conditional, bounded, atomic); see the module docstring.

    Returns a FetchResult; raises FetchError for a refused answer (404, oversized) or when the
    source cannot be reached and no cached copy exists.

    >>> import tempfile, pathlib
    >>> r = fetch_url("http://127.0.0.1:9/none", pathlib.Path(tempfile.mkdtemp()) / "x.csv", retries=0, quiet=True) # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cnaikg.loaders.fetch.FetchError: http://127.0.0.1:9/none: cannot reach the server (...) and there is no cached copy; ...
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    meta = read_meta(p)
    open_ = opener or urllib.request.build_opener(urllib.request.HTTPRedirectHandler()).open
    label = source or p.name
    last = ""
    for attempt in range(1, retries + 2):
        try:
            status, new, tmp = _attempt(url, p, meta, timeout=timeout, max_bytes=max_bytes, label=label, quiet=quiet, opener=open_)
        except _Retry as exc:
            last = str(exc)
            if attempt <= retries:
                wait = min(MAX_BACKOFF, exc.wait if exc.wait is not None else backoff * 2 ** (attempt - 1))
                if not quiet:
                    from cnaikg.progress import log

                    log(f"{label}: {last}; retrying in {wait:.1f} s ({attempt}/{retries})")
                sleep(wait)
            continue
        if status == "not-modified":
            meta = dict(meta, checked_at=_now())
            with contextlib.suppress(OSError):
                _commit_meta(p, meta)
            return FetchResult(source, url, p, "not-modified", str(meta.get("fetched_at", "")), int(meta.get("bytes", 0)), attempt,
                               f"not modified since {meta.get('fetched_at', '?')}", meta)
        assert tmp is not None
        _commit(tmp, p, new)
        return FetchResult(source, url, p, "downloaded", new["fetched_at"], new["bytes"], attempt, f"{new['bytes']:,} bytes", new)
    if meta:
        msg = f"offline: {last}; using the last good copy, fetched {meta.get('fetched_at', '?')}"
        return FetchResult(source, url, p, "offline", str(meta.get("fetched_at", "")), int(meta.get("bytes", 0)), retries + 1, msg, meta)
    raise FetchError(f"{url}: {last} and there is no cached copy; check the network (or CNAIKG_FETCH_BASE_URL) and try again")


def _commit_meta(path: Path, meta: dict[str, Any]) -> None:
    fd, mtmp = tempfile.mkstemp(prefix=f".{path.name}.meta.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(meta, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(mtmp, _meta_path(path))


# --------------------------------------------------------------------------- a whole source


def _merge_wikidata(parts: Sequence[Path], target: Path) -> Path:
    """One wbgetentities-shaped file from the batches (written atomically) so the wikidata loader reads a single file."""
    entities: dict[str, Any] = {}
    for part in parts:
        try:
            doc = json.loads(part.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FetchError(f"{part}: the cached Wikidata answer is not JSON ({exc}); delete it and fetch again") from None
        if isinstance(doc, dict) and "error" in doc:
            raise FetchError(f"{part}: the Wikidata API answered with an error: {doc['error'].get('info', doc['error'])}")
        entities.update((doc or {}).get("entities", {}))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"entities": entities}, fh, ensure_ascii=False, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)
    return target


def fetch_source(name: str, *, cache_dir: str | Path | None = None, base_url: str | None = None, kg: "KnowledgeGraph | None" = None,
                 data: str | Path | None = None, **options: Any) -> tuple[Path, list[FetchResult]]:
    """Fetch every download of the source ``name`` into the cache; return (the file a loader reads, the results).

    ``options`` go to :func:`fetch_url` (timeout, retries, backoff, max_bytes, quiet, opener, sleep).
    """
    reqs = source_requests(name, base_url=base_url, kg=kg, data=data)
    root = cache_root(cache_dir)
    results = [fetch_url(r.url, root / r.source / r.filename, source=r.source, **options) for r in reqs]
    if reqs[0].source == "wikidata":
        return _merge_wikidata([r.path for r in results], root / "wikidata" / "entities.json"), results
    return results[0].path, results


def loader_of(name: str) -> str:
    """The registered loader that reads the source ``name``.

    >>> loader_of("opensanctions:us_ofac_sdn"), loader_of("csl")
    ('opensanctions', 'csl')
    """
    kind = name.partition(":")[0].strip().lower()
    if kind not in SOURCES:
        raise FetchError(f"no source named {name!r}; known: {', '.join(SOURCES)}")
    return SOURCES[kind]["loader"]


def describe_sources() -> list[dict[str, str]]:
    """One row per source kind: name, loader, URL, publisher, licence (for `cnaikg fetch --list`)."""
    names = {"csl": "csl", "opensanctions": "opensanctions:DATASET", "wikidata": "wikidata[:Q1,Q2]"}
    return [{"source": names[k], "loader": v["loader"], "url": v["url"], "publisher": v["publisher"], "licence": v["licence"]}
            for k, v in SOURCES.items()]


# --------------------------------------------------------------------------- update = fetch + load + sort against the data


UPDATE_FILES = ("new.csv", "changed.csv", "conflicts.csv", "review.csv", "known.csv")


@dataclass
class UpdateOutcome:
    """Rows of the review folder, by file name, and one report entry per source."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {f: [] for f in UPDATE_FILES})
    sources: list[dict[str, Any]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def count(self, filename: str) -> int | str:
        """Rows in one output file ('' for the report)."""
        return len(self.rows[filename]) if filename in self.rows else ""

    def summary(self) -> str:
        """``3 new, 1 changed, 0 conflicts, 2 near-misses, 40 known``."""
        r = self.rows
        return (f"{len(r['new.csv'])} new, {len(r['changed.csv'])} changed, {len(r['conflicts.csv'])} conflicts, "
                f"{len(r['review.csv'])} near-misses, {len(r['known.csv'])} known")


def _props_text(props: Any) -> str:
    return "; ".join(f"{k}={v}" for k, v in dict(props).items())


def _fact_row(kg: "KnowledgeGraph", f: Any, kind: str, method: str, curated: str = "") -> dict[str, Any]:
    s = f.sources[0] if f.sources else None

    def name(i: str) -> str:
        return kg.entity(i).name if i in kg else ""

    return {"decision": "", "kind": kind, "subject": f.subject, "subject_name": name(f.subject), "relation": f.relation,
            "object": f.object, "object_name": name(f.object), "since": f.since, "until": f.until, "properties": _props_text(f.properties),
            "confidence": f.confidence, "method": method, "score": "", "conflict": "", "curated": curated, "evidence": f.note,
            "source_url": s.url if s else "", "source_publisher": s.publisher if s else "", "source_published": s.published if s else "",
            "source_title": s.title if s else ""}


def classify_fact(kg: "KnowledgeGraph", f: Any) -> tuple[str, list[Any]]:
    """``('known'|'changed'|'new', the curated facts compared)`` for a loaded fact.

    known: the data has the same two ends with the same properties and dates; changed: the same two
    ends (and relation) with other properties or dates; new: nothing between them.

    >>> from cnaikg.graph.kg import KnowledgeGraph
    >>> from cnaikg.graph.model import Entity, Fact
    >>> kg = KnowledgeGraph([Entity("a", "company", "A"), Entity("b", "company", "B")], [Fact.create("a", "SUPPLIES", "b", since="2020")])
    >>> classify_fact(kg, Fact.create("a", "SUPPLIES", "b", since="2020"))[0], classify_fact(kg, Fact.create("a", "SUPPLIES", "b", since="2021"))[0]
    ('known', 'changed')
    """
    if f.subject not in kg or f.object not in kg:
        return "new", []
    rel = kg.ontology.relation_types.get(f.relation)
    sym = bool(rel and rel.symmetric)
    same = [g for g in kg.facts_of(f.subject, f.relation, "both")
            if (g.subject, g.object) == (f.subject, f.object) or sym and (g.subject, g.object) == (f.object, f.subject)]
    if not same:
        return "new", []
    want = {k: str(v) for k, v in f.properties.items()}
    for g in same:
        if all(str(g.properties.get(k, "")) == v for k, v in want.items()) and (not f.since or g.since == f.since) \
                and (not f.until or g.until == f.until):
            return "known", [g]
    return "changed", same


def update_sources(names: Sequence[str], *, kg: "KnowledgeGraph", data: str | Path | None = None, **options: Any) -> UpdateOutcome:
    """Fetch each source (see :func:`fetch_source`), load it with its registered loader against ``kg``, and sort the facts.

    Nothing is written here; :func:`write_review_folder` writes the outcome.
    """
    import inspect

    from cnaikg import registry

    out = UpdateOutcome()
    loader_opts = {k: options.pop(k) for k in ("cache_dir", "base_url") if k in options}
    for name in names:
        kind = loader_of(name)
        path, results = fetch_source(name, kg=kg, data=data, **loader_opts, **options)
        status = "offline" if any(r.status == "offline" for r in results) else \
            "downloaded" if any(r.status == "downloaded" for r in results) else "not-modified"
        fetched = min(r.fetched_at for r in results)
        for r in results:
            if r.status == "offline":
                out.messages.append(f"update {name}: {r.message}")
        cls: Any = registry.get("loader", kind)
        loader: Any = cls() if inspect.isclass(cls) else cls
        opts: dict[str, Any] = {}
        if kind == "csl":
            opts = {"url": results[0].url, "published": fetched[:10]}
        elif kind == "opensanctions":
            opts = {"url": results[0].url}
        result = loader.load(path, kg=kg, **opts)
        method = f"{kind} via cnaikg update ({name}, fetched {fetched})"
        counts = {"new.csv": 0, "changed.csv": 0, "known.csv": 0, "conflicts.csv": 0, "review.csv": 0}
        for f in result.facts:
            verdict, curated = classify_fact(kg, f)
            row = _fact_row(kg, f, "candidate" if verdict == "new" else verdict, method,
                            "; ".join(f"{g.subject} {g.relation} {g.object} ({_props_text(g.properties)}; since {g.since or '?'}) "
                                      f"[{'|'.join(s.id for s in g.sources)}]" for g in curated))
            out.rows[f"{verdict}.csv"].append(row)
            counts[f"{verdict}.csv"] += 1
        for r in result.review:
            target = "conflicts.csv" if r.get("kind") == "conflict" else "review.csv"
            out.rows[target].append(dict(r, method=r.get("method") or method))
            counts[target] += 1
        out.sources.append({"source": name, "loader": kind, "file": str(path), "status": status, "fetched_at": fetched,
                            "urls": [r.url for r in results], "facts": len(result.facts), **{k[:-4]: v for k, v in counts.items()},
                            "load_report": result.report.to_dict()})
    return out


def write_review_folder(outcome: UpdateOutcome, out: str | Path) -> list[Path]:
    """Write new/changed/conflicts/review/known CSVs (review columns, spreadsheet-safe) and update_report.json; all computed first."""
    import csv
    import io

    from cnaikg.io import spreadsheet_safe, write_bytes_atomic
    from cnaikg.loaders.base import REVIEW_COLUMNS

    files: dict[str, bytes] = {}
    for name in UPDATE_FILES:
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(REVIEW_COLUMNS)
        for r in outcome.rows[name]:
            w.writerow([spreadsheet_safe("" if r.get(c) is None else r.get(c, "")) for c in REVIEW_COLUMNS])
        files[name] = buf.getvalue().encode("utf-8")
    report = {"sources": outcome.sources, "summary": outcome.summary(), "messages": outcome.messages}
    files["update_report.json"] = (json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n").encode("utf-8")
    root = Path(out)
    return [write_bytes_atomic(root / n, b) for n, b in files.items()]
