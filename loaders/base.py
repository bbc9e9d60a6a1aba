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
from typing import TYPE_CHECKING, Any, ClassVar

from cnaikg.errors import Problem
from cnaikg.graph.model import Entity, Fact

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph

__all__ = ["Loader", "LoadResult", "LoadReport", "REVIEW_COLUMNS"]

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Columns of a review file (``review.csv``): one candidate fact per row, decided by a person with ``cnaikg accept``.
REVIEW_COLUMNS = (
    "accept", "kind", "subject", "subject_name", "relation", "object", "object_name", "since", "until", "properties",
    "confidence", "method", "score", "conflict", "evidence", "source_url", "source_publisher", "source_published", "source_title",
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


@dataclass
class LoadResult:
    """The outcome of one load: facts, entities it created (only when asked to), the report, rows for review."""

    facts: list[Fact] = field(default_factory=list)
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
