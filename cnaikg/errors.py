"""The exception tree of cnaikg: one root, few children, messages that say how to fix.

>>> from cnaikg.errors import KGError, DataError, Problem
>>> err = DataError([Problem("data/x.csv", 3, "since", "'2024-13' is not a date", "write YYYY, YYYY-MM or YYYY-MM-DD")])
>>> isinstance(err, KGError)
True
>>> print(err)
1 problem in the data:
data/x.csv:3: since: '2024-13' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

__all__ = [
    "KGError",
    "OntologyError",
    "DataError",
    "Problem",
    "LoaderError",
    "ResolutionError",
    "AmbiguousEntityError",
    "UnknownEntityError",
    "StoreError",
    "RegistryError",
]


class KGError(Exception):
    """Root of every error cnaikg raises on purpose; the CLI prints it as one line."""


class OntologyError(KGError):
    """The ontology file is malformed, or a name is not in it."""


class RegistryError(KGError):
    """A loader, exporter or other plugin name is unknown or registered twice."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input: where it is, what is wrong, how to fix it.

    ``line`` is the 1-based line of the file (the header is line 1); 0 when the
    problem concerns the file as a whole.
    """

    file: str
    line: int
    field: str
    message: str
    fix: str = ""
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        fix = f"; {self.fix}" if self.fix else ""
        tag = "" if self.severity == "error" else f" [{self.severity}]"
        return f"{where}:{field} {self.message}{fix}{tag}"


class DataError(KGError):
    """Input data broke the rules; carries every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem] | Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the data:"
        super().__init__("\n".join([head, *map(str, self.problems)]))


class LoaderError(KGError):
    """A loader could not read its source (missing file, wrong format, bad encoding)."""


class ResolutionError(KGError):
    """A name or identifier does not resolve to exactly one entity."""


class UnknownEntityError(ResolutionError, KeyError):
    """Nothing matches; the message lists the closest names."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class AmbiguousEntityError(ResolutionError):
    """Several entities match; ``candidates`` holds their ids."""

    def __init__(self, message: str, candidates: Sequence[str]):
        super().__init__(message)
        self.candidates = list(candidates)


class StoreError(KGError):
    """A graph store (Bolt server, Neo4j, RDF store) failed or refused a request."""
