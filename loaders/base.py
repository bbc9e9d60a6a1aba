"""The loader contract: a Loader turns one source into sourced facts, new entities and a load report.

Every loader of a real source (registry shareholdings, screening lists, fund
holdings, news, Wikidata) subclasses :class:`Loader`; the class is checked
when it is *defined* (a name, a description, a ``load`` method with the right
signature), not halfway through a run. ``load`` returns a :class:`LoadResult`;
it never writes files (``cnaikg load`` writes them, atomically) and it raises
a ``LoaderError``/``DataError`` naming file, row and field for unusable input.

>>> from cnaikg.loaders.base import Loader, LoadResult, LoadReport
>>> class Toy(Loader):
...     name = "toy"
...     description = "A loader that loads nothing."
...     def load(self, source, *, kg=None, **options):
...         return LoadResult(report=LoadReport(loader=self.name, file=str(source)))
>>> Toy().load("x.csv").report.rows_read
0
>>> try:
...     class Broken(Loader):
...         name = "Broken Name"
... except TypeError as err:
...     print(err)
loader class Broken: name 'Broken Name' must be kebab-case (e.g. 'shareholdings')
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Mapping, Sequence

from cnaikg.errors import LoaderError, Problem
from cnaikg.graph.model import Entity, Fact, Source

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = ["Loader", "LoadResult", "LoadReport", "FactTable", "REVIEW_COLUMNS", "read_table", "MAX_NAME_LENGTH", "name_problem"]

#: Names longer than this are skipped (a pasted document, not a name).
MAX_NAME_LENGTH = 300

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Columns of a review file (``review.csv``): one candidate fact per row, decided by a person with ``cnaikg accept``.
#: ``decision`` is left empty for the analyst (accept / reject); ``conflict`` says what contradicts the curated data and
#: ``curated`` shows the curated facts on the other side.
REVIEW_COLUMNS = (
    "decision", "kind", "subject", "subject_name", "relation", "object", "object_name", "since", "until", "properties",
    "confidence", "method", "score", "conflict", "curated", "evidence", "source_url", "source_publisher", "source_published",
    "source_title",
)


@dataclass
class LoadReport:
    """What a load did: rows read and loaded, rows skipped (with the reason), names that did not resolve.

    ``skipped`` holds a Problem per skipped row (file, line, field, reason) so
    the report names every row it did not load; ``unresolved`` holds one dict
    per name that did not resolve, with its best candidates.
    """

    loader: str
    file: str
    rows_read: int = 0
    rows_loaded: int = 0
    skipped: list[Problem] = field(default_factory=list)
    unresolved: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (stable key order once dumped with sort_keys)."""
        return {
            "loader": self.loader,
            "file": self.file,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_skipped": len(self.skipped),
            "skipped": [{"file": p.file, "line": p.line, "field": p.field, "reason": p.message, "fix": p.fix} for p in self.skipped],
            "unresolved": self.unresolved,
            "counts": dict(sorted(self.counts.items())),
            "notes": list(self.notes),
        }


class FactTable(Sequence[Fact]):
    """Many facts of one shape kept as a pandas DataFrame; Fact objects are made only when read one by one.

    Columns: subject, relation, object, since, until, confidence, note,
    origin, source (a source id) and one column per property in ``properties``.
    ``sources`` maps source ids to Source records.
    """

    def __init__(self, frame: Any, properties: Sequence[str], sources: Mapping[str, Source]):
        self.frame = frame.reset_index(drop=True)
        self.properties = tuple(properties)
        self.sources = dict(sources)

    def __len__(self) -> int:
        return len(self.frame)

    def _fact(self, i: int) -> Fact:
        r = self.frame.iloc[i]
        props = {k: (r[k].item() if hasattr(r[k], "item") else r[k]) for k in self.properties if r[k] == r[k] and r[k] != ""}
        return Fact.create(r["subject"], r["relation"], r["object"], since=r["since"], until=r["until"], properties=props,
                           sources=(self.sources[r["source"]],), confidence=r["confidence"], note=r["note"], origin=r["origin"])

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._fact(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._fact(i)


@dataclass
class LoadResult:
    """The outcome of one load: facts, entities it created (only when asked to), the report, rows for review."""

    facts: Sequence[Fact] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    report: LoadReport = field(default_factory=lambda: LoadReport(loader="", file=""))
    review: list[dict[str, Any]] = field(default_factory=list)


class Loader:
    """Base class of every source loader; subclasses are checked when defined.

    A subclass sets ``name`` (kebab-case, the name it is registered under),
    ``description`` (one line) and optionally ``suffixes`` (file endings it
    reads), and implements ``load(self, source, *, kg=None, **options) ->
    LoadResult``. ``kg`` is the graph to resolve names against (default: the
    shipped dataset); every other option is keyword-only.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    suffixes: ClassVar[tuple[str, ...]] = ()
    #: Options the command line exposes for this loader: {option: help}. Flags (booleans) end in "?".
    options: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        where = f"loader class {cls.__name__}"
        if not isinstance(cls.name, str) or not _KEBAB.match(cls.name or ""):
            raise TypeError(f"{where}: name {cls.name!r} must be kebab-case (e.g. 'shareholdings')")
        if not isinstance(cls.description, str) or not cls.description.strip():
            raise TypeError(f"{where}: set description to one line saying what the loader reads")
        load = cls.__dict__.get("load") or getattr(cls, "load", None)
        if load is None or load is Loader.load:
            raise TypeError(f"{where}: implement load(self, source, *, kg=None, **options) -> LoadResult")
        params = list(inspect.signature(load).parameters.values())
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if len(positional) != 2:
            raise TypeError(f"{where}: load must take exactly (self, source) positionally and everything else keyword-only")
        if "kg" not in {p.name for p in params} or not any(p.kind == p.VAR_KEYWORD for p in params):
            raise TypeError(f"{where}: load must accept kg=None and **options (keyword-only)")

    def load(self, source: str | Path, *, kg: "KnowledgeGraph | None" = None, **options: Any) -> LoadResult:  # pragma: no cover - abstract
        """Read ``source`` and return a LoadResult; raise LoaderError/DataError for unusable input."""
        raise NotImplementedError


# --------------------------------------------------------------------------- helpers shared by table loaders


def name_problem(name: str) -> str:
    """Why ``name`` cannot be a name ('' when it can): empty, HTML, a spreadsheet formula, or far too long.

    >>> name_problem("SMIC"), name_problem('=HYPERLINK(1)'), name_problem("<b>SMIC</b>")
    ('', 'looks like a spreadsheet formula', 'contains HTML markup')
    """
    if not name.strip():
        return "empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"{len(name)} characters long (more than {MAX_NAME_LENGTH}): not a name"
    if name.lstrip()[:1] in ("=", "+", "@") or name.startswith(("-", "\t", "\r")) and not name[1:2].isalnum():
        return "looks like a spreadsheet formula"
    if _HTML.search(name):
        return "contains HTML markup"
    return ""


_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|&(?:lt|gt|amp|nbsp|#\d+);")


def read_table(path: str | Path, *, required: Sequence[str], optional: Sequence[str] = (), what: str = "table",
               rename: Mapping[str, str] | None = None) -> Any:
    r"""Read a CSV (UTF-8, BOM allowed) or Parquet file into a DataFrame of strings with the required columns.

    Raises LoaderError naming the file (and line) for a missing or empty file,
    bad encoding, unreadable CSV or missing columns. The DataFrame gets a
    ``_line`` column: the line of each row in the file (header = line 1).
    Missing trailing cells of a truncated row become empty strings.
    ``rename`` maps other spellings of a header (compared case-insensitively)
    to the loader's column names, e.g. {"% of net assets": "weight"}.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_bytes("\ufeffa,b\n1,2\n3\n".encode())
    >>> read_table(p, required=["a", "b"]).to_dict("list")
    {'a': ['1', '3'], 'b': ['2', ''], '_line': [2, 3]}
    """
    import pandas as pd

    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise LoaderError(f"{shown}: no such file; check the path")
    if path.suffix.lower() in (".parquet", ".pq"):
        try:
            df = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises many types
            raise LoaderError(f"{shown}: not a readable Parquet file ({type(exc).__name__}: {str(exc)[:200]}); export it again") from None
        df = df.astype(str).replace({"None": "", "nan": "", "NaT": ""})
        df.columns = [str(c).strip() for c in df.columns]
    else:
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            raise LoaderError(f"{shown}: the file is empty; it needs a header line with {', '.join(required)}")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise LoaderError(f"{shown}:{line}: not valid UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start}); "
                              "save the file as UTF-8 (for GBK exports: iconv -f GBK -t UTF-8)") from None
        import io

        try:
            df = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, na_filter=False, skip_blank_lines=True, encoding="utf-8")
        except pd.errors.ParserError as exc:
            msg = str(exc).replace("Error tokenizing data. C error: ", "")
            m = re.search(r"line (\d+)", msg)
            where = f"{shown}:{m.group(1)}" if m else shown
            raise LoaderError(f"{where}: malformed CSV ({msg.strip()}); quote cells that contain commas") from None
        except pd.errors.EmptyDataError:
            raise LoaderError(f"{shown}: the file is empty; it needs a header line with {', '.join(required)}") from None
        df.columns = [str(c).strip() for c in df.columns]
        df = df.fillna("")
    if rename:
        low = {k.casefold(): v for k, v in rename.items()}
        df.columns = [c if c in required or c in optional else low.get(c.casefold(), c) for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    if missing:
        found = ", ".join(map(str, df.columns)) or "none"
        raise LoaderError(f"{shown}:1: missing column(s) {', '.join(missing)} in this {what} (found: {found}); "
                          f"the header must name {', '.join(required)}" + (f" and may name {', '.join(optional)}" if optional else ""))
    keep = [c for c in df.columns if c in required or c in optional]
    df = df[keep].copy()
    for c in optional:
        if c not in df.columns:
            df[c] = ""
    df["_line"] = range(2, len(df) + 2)
    return df
