"""Progress and status lines on stderr (results go to stdout).

>>> with stage("reading data", quiet=True):
...     pass
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from typing import Iterable, Iterator, TypeVar

__all__ = ["log", "stage", "progress", "quiet_mode"]

T = TypeVar("T")


def quiet_mode() -> bool:
    """True when CNAIKG_QUIET is set: no progress lines at all."""
    return bool(os.environ.get("CNAIKG_QUIET"))


def log(message: str) -> None:
    """One status line on stderr."""
    if not quiet_mode():
        print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def stage(label: str, *, quiet: bool = False) -> Iterator[None]:
    """Print ``label ...`` on entry and ``label: done in 1.2 s`` on exit, on stderr."""
    t0 = time.perf_counter()
    if not quiet:
        log(f"{label} ...")
    yield
    if not quiet:
        log(f"{label}: done in {time.perf_counter() - t0:.2f} s")


def progress(items: Iterable[T], total: int | None = None, label: str = "", every: float = 1.0) -> Iterator[T]:
    """Yield ``items``, printing ``label: n/total (pct)`` to stderr at most once per ``every`` seconds."""
    t0 = last = time.perf_counter()
    n = 0
    for n, item in enumerate(items, 1):
        yield item
        now = time.perf_counter()
        if now - last >= every:
            last = now
            pct = f" ({100 * n / total:.0f}%)" if total else ""
            log(f"{label}: {n}{'/' + str(total) if total else ''}{pct}, {now - t0:.1f} s")
    if n and time.perf_counter() - t0 >= every:
        log(f"{label}: {n} done in {time.perf_counter() - t0:.1f} s")
