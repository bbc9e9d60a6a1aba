"""Benchmark of the explorer pages in a real headless Chromium: page ready, expand and path answers, against the targets.

One command, one run:

    .venv/bin/python benchmarks/views.py            # curated graph, synthetic 2,000 and 10,000 entities
    .venv/bin/python benchmarks/views.py --quick    # curated graph and 2,000 entities only

For each page: the time to write it in Python, its size, the time from
navigation to the page's ready flag (first drawing done) as seen by the test
driver ("ready, wall") and by the page itself (``performance.now()`` at the
flag), then the median and worst time of ``expand`` (a double-click's work:
add the neighbours, dim the rest, thin the labels) over the first 20 entities
of the opening view, and of ``paths`` (every shortest path between two
entities, drawn and listed) over 20 seeded random pairs. Targets (issue 13):
2,000-node page ready under 1 s, 10,000-node page under 4 s, expand and path
answers under 200 ms on the curated graph. There is no other library to
compare with in the same run (the page is cnaikg's own), so the last column is
the ratio to the target. Results: a Markdown table on stdout; progress on stderr.
Chromium is Debian's /usr/bin/chromium (scripts/system-deps.sh installs it).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from viz_fixtures import CHROMIUM, CHROMIUM_FLAGS, synthetic_graph  # noqa: E402

TARGETS = {"ready-2000": 1000.0, "ready-10000": 4000.0, "expand-curated": 200.0, "path-curated": 200.0}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def measure(page_path: Path, browser, label: str, rows: list[tuple[str, str, float, str]]) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    t0 = time.perf_counter()
    page.goto(page_path.resolve().as_uri())
    page.wait_for_function("window.cnaikgReady === true", timeout=120_000)
    wall = (time.perf_counter() - t0) * 1000
    inner = float(page.evaluate("window.cnaikgReadyMs"))
    rows.append((label, "ready, wall (ms)", wall, f"ready-{label}"))
    rows.append((label, "ready, in page (ms)", inner, ""))
    opening = page.evaluate("window.cnaikg.nodes.getIds()")[:20]
    ex = []
    for v in opening:
        page.evaluate("window.cnaikg.collapse()")
        page.evaluate("(v) => window.cnaikg.expand(v)", v)
        ex.append(float(page.evaluate("window.cnaikg.lastMs")))
    page.evaluate("window.cnaikg.collapse()")
    rng = random.Random(5)
    names = page.evaluate("Object.keys(window.cnaikg.ids)")
    pt = []
    for _ in range(20):
        a, b = rng.sample(names, 2)
        page.evaluate("(p) => window.cnaikg.paths(p[0], p[1], [])", [a, b])
        pt.append(float(page.evaluate("window.cnaikg.lastPathMs")))
    rows.append((label, "expand, median (ms)", statistics.median(ex), f"expand-{label}"))
    rows.append((label, "expand, worst (ms)", max(ex), ""))
    rows.append((label, "paths, median (ms)", statistics.median(pt), f"path-{label}"))
    rows.append((label, "paths, worst (ms)", max(pt), ""))
    page.close()


def measure_all(sizes: tuple[int, ...]) -> list[tuple[str, str, float, str]]:
    """Write and open the curated page and synthetic pages of ``sizes`` entities; (page, measure, value, target key) rows."""
    from playwright.sync_api import sync_playwright

    from cnaikg.graph import build_graph
    from cnaikg.graph.views.viz import write_network_html

    graphs = [("curated", build_graph)] + [(str(n), (lambda n=n: synthetic_graph(n))) for n in sizes]
    rows: list[tuple[str, str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            for label, make in graphs:
                kg = make()
                path = Path(tmp) / f"{label}.html"
                log(f"writing the {label} page ({kg.number_of_entities():,} entities) ...")
                t = time.perf_counter()
                write_network_html(kg, path)
                rows.append((label, "write page, Python (ms)", (time.perf_counter() - t) * 1000, ""))
                rows.append((label, "page size (MB)", path.stat().st_size / 1e6, ""))
                log(f"opening it in Chromium ...")
                measure(path, browser, label, rows)
        finally:
            browser.close()
    return rows


def run(size: str = "quick") -> list:
    """The rows of `make bench`: page ready, expand and path times in headless Chromium against their targets."""
    from common import Row, Skip, at_most

    if size == "tiny":
        raise Skip("drives headless Chromium: quick and full only")
    out = []
    for label, what, value, key in measure_all((2000,) if size == "quick" else (2000, 10000)):
        target = TARGETS.get(key)
        unit = "ms" if "(ms)" in what else ("MB" if "(MB)" in what else "")
        out.append(Row(f"views: {label} page, {what.replace(' (ms)', '').replace(' (MB)', '')}", value, unit,
                       target=at_most(target, unit) if target else None))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="curated graph and 2,000 entities only")
    args = ap.parse_args()
    rows = measure_all((2000,) if args.quick else (2000, 10000))
    print("| page | measure | value | target | value / target |")
    print("|---|---|---:|---:|---:|")
    for label, what, value, key in rows:
        target = TARGETS.get(key)
        print(f"| {label} | {what} | {value:,.1f} | {f'{target:,.0f}' if target else ''} | {f'{value / target:.2f}' if target else ''} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
