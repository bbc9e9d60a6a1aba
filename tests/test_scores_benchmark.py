"""The registry-scale machinery on a small synthetic registry: the generator, the large-graph code paths, the benchmark command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))


def test_the_generator_is_seeded_and_registry_shaped():
    from synthetic import synthetic_registry

    a, b = synthetic_registry(20_000, seed=5), synthetic_registry(20_000, seed=5)
    assert np.array_equal(a.src, b.src) and np.array_equal(a.rel, b.rel) and np.array_equal(a.stake, b.stake, equal_nan=True)
    assert 4.5 * a.n <= len(a.src) <= 5.5 * a.n
    assert 300 <= int(a.is_state.sum()) <= 400  # a few hundred state actors
    held = a.holdings()
    assert np.asarray(held.sum(axis=0)).max() <= 0.9 + 1e-9  # no company more than 90% held
    deg = np.bincount(a.dst, minlength=a.n)
    assert deg.max() > 50 * np.median(deg[deg > 0])  # power-law hubs


def test_large_graph_paths_agree_with_the_exact_ones():
    from cnaikg.queries.centrality import _reach_estimate, _reach_exact
    from cnaikg.queries.ownership import effective_ownership_matrix
    from synthetic import synthetic_registry

    ga = synthetic_registry(4000, seed=3)
    W = ga.holdings()
    exact, pruned = effective_ownership_matrix(W), effective_ownership_matrix(W, prune=1e-2)
    assert abs(exact - pruned).max() < 0.05  # the pruned series misses little
    from cnaikg.queries.centrality import supply_matrix

    S = supply_matrix(ga)
    c = ga.type_mask("company")
    ex, est = _reach_exact(S, c, 0), _reach_estimate(S, c, 0, sketches=32)
    assert np.array_equal(ex == 0, est == 0)
    big = ex > 50
    assert np.median(np.abs(est[big] - ex[big]) / ex[big]) < 0.3


@pytest.mark.slow
def test_the_benchmark_command_runs_and_reports_ratios_and_agreement():
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / "scores.py"), "--sizes", "6000", "--samples", "16", "--networkx-max", "6000"],
                          capture_output=True, text=True, timeout=300, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "| 6,000 | pagerank |" in out and "vs igraph: rho 1.0000" in out
    assert "| 6,000 | betweenness |" in out and "vs igraph (same sources): rho 1.0000" in out
    assert "ALL features except betweenness" in out and "peak RSS" in out
