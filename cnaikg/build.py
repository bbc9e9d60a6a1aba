"""`cnaikg build`: load and validate data/, build the graph, run every registered build step into out/.

Build steps are registered in cnaikg.registry (kind ``build_step``) and run in
order; each receives the graph, the output folder and a shared BuildContext in
which earlier steps may leave results (scores, features) for later ones.

>>> import tempfile
>>> ctx = run_build(out=tempfile.mkdtemp(), quiet=True, steps=["graph-json", "tables"])
>>> sorted(p.name for p in ctx.written)
['entities.csv', 'graph.json', 'relationships.csv']
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cnaikg import registry
from cnaikg.io import staged_dir
from cnaikg.progress import stage

__all__ = ["BuildContext", "run_build"]


@dataclass
class BuildContext:
    """What a build knows: where data and outputs are, and results steps share (``results``)."""

    data: Path | None
    out: Path
    dataset: Any = None
    kg: Any = None
    results: dict[str, Any] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


def run_build(data: str | Path | None = None, out: str | Path = "out", *, quiet: bool = False, steps: list[str] | None = None, **options: Any) -> BuildContext:
    """Validate ``data`` (DataError on any error), build the graph and run the build steps into ``out``.

    The steps write into a staging folder beside ``out``, switched into place at the
    end (see :func:`cnaikg.io.staged_dir`): an interrupt, a full disk or a failing step
    leaves the previous complete output.
    """
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.loaders.curated import load_curated

    ctx = BuildContext(Path(data) if data else None, Path(out), options=dict(options))
    t0 = time.perf_counter()
    with stage("reading and validating data", quiet=quiet):
        ctx.dataset = load_curated(data)
    with stage("building the graph", quiet=quiet):
        ctx.kg = KnowledgeGraph.from_dataset(ctx.dataset)
    ctx.timings["load"] = time.perf_counter() - t0
    final = ctx.out
    names = list(steps if steps is not None else registry.names("build_step"))
    for name in names:
        registry.get("build_step", name)  # an unknown step is an error before anything is written
    # every step writes into a staging folder beside out/, switched into place at the end: out/ holds the old set or the new one
    with staged_dir(final) as staging:
        ctx.out = staging
        try:
            for name in names:
                step = registry.get("build_step", name)
                t = time.perf_counter()
                with stage(f"writing {name}", quiet=quiet):
                    ctx.written.extend(step(ctx.kg, ctx.out, ctx))
                ctx.timings[name] = time.perf_counter() - t
        finally:
            ctx.out = final
    ctx.written = [final / Path(p).relative_to(staging) if _inside(Path(p), staging) else Path(p) for p in ctx.written]
    ctx.timings["total"] = time.perf_counter() - t0
    return ctx


def _inside(p: Path, folder: Path) -> bool:
    try:
        p.relative_to(folder)
    except ValueError:
        return False
    return True
