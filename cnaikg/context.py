"""The build-step contract (base layer): what a step of `cnaikg build` receives, as a Protocol.

Build steps live in graph/, queries/ and the sinks, below the command line, so
they may not import cnaikg.build. They name this Protocol instead; the concrete
``cnaikg.build.BuildContext`` dataclass satisfies it structurally (tests/test_typing.py
has mypy check that, and ``isinstance`` works at run time).

>>> from pathlib import Path
>>> from cnaikg.build import BuildContext as Concrete
>>> def step(kg: object, out: Path, ctx: BuildContext) -> list[Path]:
...     ctx.results["seen"] = True
...     return []
>>> c = Concrete(None, Path("out"))
>>> step(None, c.out, c), c.results, isinstance(c, BuildContext)
([], {'seen': True}, True)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Protocol, runtime_checkable

__all__ = ["BuildContext", "BuildStep"]


@runtime_checkable
class BuildContext(Protocol):
    """What a build step may read and share: the data and output folders, options, and results of earlier steps."""

    @property
    def data(self) -> Path | None:
        """The data folder of the build (None: the shipped dataset)."""

    @property
    def out(self) -> Path:
        """The output folder."""

    @property
    def results(self) -> dict[str, Any]:
        """Results earlier steps leave for later ones (e.g. ``"features"``, ``"explanations"``)."""

    @property
    def options(self) -> dict[str, Any]:
        """Options given to ``run_build`` (e.g. ``as_of``)."""


#: A build step: ``step(kg, out, ctx) -> files written``; registered in cnaikg.registry as kind ``build_step``.
BuildStep = Callable[[Any, Path, BuildContext], list[Path]]
