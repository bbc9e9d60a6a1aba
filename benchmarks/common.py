"""The benchmark contract: what a benchmark module returns so that `make bench` can print one table.

A benchmark is a module ``benchmarks/<name>.py`` with a function

    def run(size: str = "quick") -> list[Row]:

where ``size`` is ``"tiny"`` (a smoke run of a few seconds, used by the tests),
``"quick"`` (``make bench``: every figure, at sizes that take about a minute) or
``"full"`` (``make bench FULL=1``: the sizes the targets are stated for).
``run(quick: bool)`` is accepted too (``quick`` is then False only for ``full``).
Each :class:`Row` is one figure: our value, the best reference library measured
in the same run (so the ratio is fair on a shared machine), and the target.
Progress goes to stderr; ``run`` prints nothing on stdout. ``benchmarks/run.py``
finds every module that has ``run`` and prints a line for each that has not.

>>> r = Row("pagerank, 1,000,000 nodes", 0.83, "s", best="igraph", best_value=0.66, target=ratio_at_most(1.5))
>>> f"{r.ratio:.2f}", r.passed, r.target.text("igraph")
('1.26', True, '<= 1.5x igraph')
>>> Row("load 5,000,000 rows", 75_000, "rows/s", lower_is_better=False, target=at_least(83_334)).passed
False
>>> Row.coerce({"figure": "start", "value": 5.6, "unit": "s"}, "push").benchmark
'push'
"""

from __future__ import annotations

import dataclasses
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping, TypeVar

__all__ = ["Row", "Skip", "Target", "at_most", "at_least", "ratio_at_most", "SIZES", "log", "timed", "best_of", "machine"]

SIZES = ("tiny", "quick", "full")
T = TypeVar("T")


class Skip(Exception):
    """Raised by ``run(size)`` when a size does not apply (e.g. a server benchmark at ``tiny``): a skipped line, not an error."""


@dataclass(frozen=True)
class Target:
    """A goal for one figure: ``kind`` is ``max`` (value at most), ``min`` (value at least) or ``max_ratio`` (ratio at most)."""

    kind: Literal["max", "min", "max_ratio"]
    value: float
    unit: str = ""

    def text(self, best: str = "") -> str:
        """The target as people write it: ``<= 30 s``, ``>= 83,334 rows/s``, ``<= 1.5x igraph``."""
        if self.kind == "max_ratio":
            return f"<= {self.value:g}x {best or 'the best reference'}".rstrip()
        sign = "<=" if self.kind == "max" else ">="
        return f"{sign} {_num(self.value)} {self.unit}".rstrip()

    def met(self, value: float, ratio: float | None) -> bool | None:
        """Whether ``value`` (and ``ratio``) meet the target; None when it cannot be told (no ratio)."""
        if self.kind == "max":
            return value <= self.value
        if self.kind == "min":
            return value >= self.value
        return None if ratio is None else ratio <= self.value


def at_most(value: float, unit: str = "") -> Target:
    """Target: the value is at most ``value`` (times, memory)."""
    return Target("max", value, unit)


def at_least(value: float, unit: str = "") -> Target:
    """Target: the value is at least ``value`` (throughput)."""
    return Target("min", value, unit)


def ratio_at_most(value: float) -> Target:
    """Target: at most ``value`` times slower than the best reference library of the same run."""
    return Target("max_ratio", value)


@dataclass
class Row:
    """One figure of a benchmark.

    ``value`` in ``unit``; ``best``/``best_value`` the fastest reference library measured in the same run
    (same unit); ``lower_is_better`` False for throughputs. ``ratio`` is how many times slower than the
    best reference we are (below 1: faster), whichever the direction of the unit.
    """

    figure: str
    value: float
    unit: str
    best: str = ""
    best_value: float | None = None
    lower_is_better: bool = True
    target: Target | None = None
    note: str = ""
    benchmark: str = ""
    passed_override: bool | None = field(default=None, repr=False)
    target_text: str = field(default="", repr=False)

    @property
    def ratio(self) -> float | None:
        """Ours / best for times, best / ours for throughputs; None without a reference."""
        if self.best_value is None or self.best_value <= 0 or self.value <= 0:
            return None
        return self.value / self.best_value if self.lower_is_better else self.best_value / self.value

    @property
    def passed(self) -> bool | None:
        """True / False against the target; None when there is no target."""
        if self.passed_override is not None:
            return self.passed_override
        return None if self.target is None else self.target.met(self.value, self.ratio)

    def target_str(self) -> str:
        """The target as text (empty without one)."""
        return self.target.text(self.best) if self.target else self.target_text

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready record (used by ``run.py --save``)."""
        return {"benchmark": self.benchmark, "figure": self.figure, "value": self.value, "unit": self.unit,
                "best": self.best, "best_value": self.best_value, "lower_is_better": self.lower_is_better, "ratio": self.ratio, "target": self.target_str(),
                "passed": self.passed, "note": self.note}

    @classmethod
    def coerce(cls, obj: Any, benchmark: str) -> Row:
        """A Row from a Row, a dataclass or a mapping with similar keys (``figure``/``name``, ``value``, ``unit`` ...)."""
        if isinstance(obj, Row):
            return dataclasses.replace(obj, benchmark=obj.benchmark or benchmark)
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            obj = dataclasses.asdict(obj)
        if not isinstance(obj, Mapping):
            raise TypeError(f"a benchmark row must be benchmarks.common.Row or a mapping, not {type(obj).__name__}")
        get = obj.get
        target = get("target")
        passed = get("passed", get("pass", get("ok")))
        best_value = get("best_value", get("reference_value", get("best_s")))
        row = cls(
            figure=str(get("figure", get("name", get("metric", "?")))), value=float(get("value", float("nan"))),
            unit=str(get("unit", "")), best=str(get("best", get("best_library", get("library", ""))) or ""),
            best_value=float(best_value) if best_value is not None else None,
            lower_is_better=bool(get("lower_is_better", True)),
            target=target if isinstance(target, Target) else None, note=str(get("note", "") or ""),
            benchmark=str(get("benchmark", "") or benchmark),
            passed_override=bool(passed) if passed is not None else None,
            target_text="" if isinstance(target, Target) or target is None else str(target),
        )
        if row.best_value is None and get("ratio") is not None and row.value == row.value:
            ratio = float(get("ratio"))
            row.best_value = row.value / ratio if row.lower_is_better else row.value * ratio
        return row


def _num(x: float) -> str:
    if x == int(x) and abs(x) >= 1000:
        return f"{int(x):,}"
    return f"{x:,.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def log(msg: str) -> None:
    """Progress on stderr."""
    print(msg, file=sys.stderr, flush=True)


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """(result, seconds) of one call."""
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def best_of(fn: Callable[[], T], k: int) -> tuple[T, float]:
    """(result, the fastest of ``k`` timed calls): single timings on a shared machine vary by tens of percent."""
    out, best = None, float("inf")
    for _ in range(max(1, k)):
        out, t = timed(fn)
        best = min(best, t)
    return out, best  # type: ignore[return-value]


def median_of(fn: Callable[[], Any], k: int) -> float:
    """Median seconds of ``k`` calls."""
    return statistics.median(timed(fn)[1] for _ in range(max(1, k)))


def machine() -> dict[str, Any]:
    """What the numbers were measured on: CPU model and count, memory, OS, Python, load average."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    mem_gb = None
    try:
        mem_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"cpu": cpu, "cpus": os.cpu_count(), "memory_gib": mem_gb, "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "loadavg_1min": round(load[0], 2) if load else None}
