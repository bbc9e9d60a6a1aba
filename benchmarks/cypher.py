"""Benchmark of `cnaikg cypher` end to end on the bundled local server: cold start, warm latency, restart; figures vs targets.

Each figure is a real `cnaikg` process timed from launch to exit, in a fresh cache:

- cold start: no server, empty cache -> first answer (server start, graph load, content-hash check); target < 8 s
- warm: a server is running -> `cnaikg cypher "MATCH (n) RETURN count(n)"`, median of --repeat runs; target < 0.5 s
- stored restart: server stopped, database kept -> first answer (verified by content hash, no reload)
- floor: the same Python starting and importing the neo4j driver, which no warm query can beat
- server side: the query alone over an open Bolt connection (median)

    .venv/bin/python benchmarks/cypher.py [--repeat 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERY = "MATCH (n) RETURN count(n) AS n"
TARGET_WARM, TARGET_COLD = 0.5, 8.0


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    return time.perf_counter() - t0, proc


def measure(repeat: int) -> dict[str, float] | None:
    """Cold start, load, warm latency, import floor, server-side query time and restart, in seconds (None on failure)."""
    cache = tempfile.mkdtemp(prefix="cnaikg-bench-cypher-")
    env = {**os.environ, "CNAIKG_CACHE": cache, "CNAIKG_IDLE_SECONDS": "300"}
    cli = [sys.executable, "-m", "cnaikg"]
    try:
        print(f"cold start: empty cache {cache} ...", file=sys.stderr)
        cold, proc = timed([*cli, "cypher", QUERY, "--format", "json"], env)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return None
        n = json.loads(proc.stdout)[0]["n"]
        warm = []
        for _ in range(repeat):
            s, proc = timed([*cli, "cypher", QUERY, "--format", "json"], env)
            assert proc.returncode == 0 and json.loads(proc.stdout)[0]["n"] == n, proc.stderr
            warm.append(s)
        floor = statistics.median(timed([sys.executable, "-c", "import neo4j"], env)[0] for _ in range(5))
        info = json.loads(next(Path(cache).glob("bolt/*/server.json")).read_text())
        from neo4j import GraphDatabase

        with GraphDatabase.driver(info["uri"], auth=(info["user"], info["password"])) as d:
            server_side = []
            with d.session(database=info["database"]) as sess:
                for _ in range(max(20, repeat)):
                    t0 = time.perf_counter()
                    sess.run(QUERY).consume()
                    server_side.append(time.perf_counter() - t0)
        subprocess.run([*cli, "serve", "--stop"], env=env, capture_output=True, timeout=120)
        restart, proc = timed([*cli, "cypher", QUERY, "--format", "json"], env)
        assert proc.returncode == 0, proc.stderr
        log = next(Path(cache).glob("bolt/*/server.log")).read_text()
        load = sum(float(line.split(" rows in ")[1].split(" s")[0]) for line in log.splitlines() if " rows in " in line)
    finally:
        subprocess.run([*cli, "serve", "--stop"], env=env, capture_output=True, timeout=120)
    return {"nodes": n, "cold": cold, "load": load, "warm": statistics.median(warm), "warm_min": min(warm), "warm_max": max(warm),
            "floor": floor, "server_side": statistics.median(server_side), "restart": restart, "runs": len(warm)}


def run(size: str = "quick") -> list:
    """The rows of `make bench`: cold start, load, warm latency against their targets (the server is skipped at tiny)."""
    from common import Row, Skip, at_most

    if size == "tiny":
        raise Skip("starts the bundled server (JVM): quick and full only")
    m = measure(10 if size == "full" else 3)
    if m is None:
        raise RuntimeError("cnaikg cypher failed; run benchmarks/cypher.py for its error")
    return [
        Row("cypher: cold start to first answer (empty cache)", m["cold"], "s", target=at_most(TARGET_COLD, "s")),
        Row("cypher: loading the curated graph in the server", m["load"], "s", target=at_most(1, "s")),
        Row(f"cypher: warm `cnaikg cypher` (median of {m['runs']})", m["warm"], "s", target=at_most(TARGET_WARM, "s"),
            note=f"python + import neo4j alone: {m['floor']:.2f} s"),
        Row("cypher: the query alone over Bolt (median)", m["server_side"], "s"),
        Row("cypher: restart from the stored, verified database", m["restart"], "s"),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10, help="warm runs (median reported)")
    args = ap.parse_args(argv)
    m = measure(args.repeat)
    if m is None:
        return 1
    cold, load, med = m["cold"], m["load"], m["warm"]
    print(f"graph: {m['nodes']:g} nodes")
    print(f"cold start to first answer (empty cache):      {cold:6.2f} s   target < {TARGET_COLD:g} s  ({cold / TARGET_COLD:.2f}x target)")
    print(f"  of which loading the graph inside the server: {load:6.2f} s   target < 1 s  ({load:.2f}x target)")
    print(f"warm `cnaikg cypher` (median of {m['runs']:g}):          {med:6.2f} s   target < {TARGET_WARM:g} s  ({med / TARGET_WARM:.2f}x target; "
          f"min {m['warm_min']:.2f}, max {m['warm_max']:.2f})")
    print(f"  floor: python + import neo4j (median of 5):    {m['floor']:6.2f} s")
    print(f"  the query alone over Bolt (median):           {m['server_side'] * 1000:6.1f} ms")
    print(f"restart from the stored, verified database:    {m['restart']:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
