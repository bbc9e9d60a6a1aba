"""Centrality against converged references: PageRank and personalised PageRank (networkx, igraph), betweenness
(networkx exact, igraph at the same sampled sources), degrees by relation and supply-chain measures."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from scores_fixtures import scores_dir, skg  # noqa: F401  (fixtures)


def _random_graph(n=400, m=2000, seed=3):
    rng = np.random.default_rng(seed)
    s, d = rng.integers(0, n, m), (rng.pareto(1.5, m) * 5).astype(int) % n
    keep = s != d
    A = sp.csr_matrix((rng.random(keep.sum()) + 0.1, (s[keep], d[keep])), shape=(n, n))
    A.sum_duplicates()
    return A


def test_pagerank_agrees_with_a_converged_networkx_pagerank():
    from cnaikg.queries.centrality import pagerank_csr

    A = _random_graph()
    G = nx.from_scipy_sparse_array(A, create_using=nx.DiGraph)
    ref = nx.pagerank(G, alpha=0.85, tol=1e-15, max_iter=10_000, weight="weight")
    mine = pagerank_csr(A, tol=1e-12)
    assert np.abs(mine - np.array([ref[i] for i in range(A.shape[0])])).max() < 1e-10


def test_personalised_pagerank_agrees_with_igraph():
    ig = pytest.importorskip("igraph", reason="reference library: pip install -e '.[bench]'")

    from cnaikg.queries.centrality import pagerank_csr

    A = _random_graph()
    coo = A.tocoo()
    g = ig.Graph(n=A.shape[0], edges=list(zip(coo.row.tolist(), coo.col.tolist())), directed=True)
    restart = np.zeros(A.shape[0])
    restart[[1, 5, 9]] = [1.0, 0.5, 0.25]
    ref = np.array(g.personalized_pagerank(damping=0.85, weights=coo.data.tolist(), reset=restart.tolist()))
    mine = pagerank_csr(A, personalization=restart, tol=1e-13)
    assert np.abs(mine - ref).max() < 1e-9


def test_a_loose_networkx_tolerance_is_the_trap_we_avoid():
    from cnaikg.queries.centrality import pagerank_csr

    A = _random_graph(n=3000, m=15000)
    G = nx.from_scipy_sparse_array(A, create_using=nx.DiGraph)
    converged = pagerank_csr(A, tol=1e-13)
    assert np.abs(pagerank_csr(A) - converged).sum() < 1e-8  # our default tolerance (1e-9) is on the whole vector
    loose = nx.pagerank(G, weight="weight")  # networkx scales tol by n
    assert np.abs(np.array([loose[i] for i in range(3000)]) - converged).sum() > 1e-7


def test_exact_betweenness_agrees_with_networkx():
    from cnaikg.queries.centrality import betweenness_csr

    A = _random_graph(n=200, m=800)
    G = nx.from_scipy_sparse_array(A, create_using=nx.DiGraph)
    ref = nx.betweenness_centrality(G, normalized=True)
    mine = betweenness_csr(A)
    assert np.abs(mine - np.array([ref[i] for i in range(200)])).max() < 1e-12


def test_sampled_betweenness_equals_igraph_from_the_same_sources():
    ig = pytest.importorskip("igraph", reason="reference library: pip install -e '.[bench]'")

    from cnaikg.queries.centrality import betweenness_csr

    A = _random_graph(n=2000, m=10000)
    coo = A.tocoo()
    g = ig.Graph(n=2000, edges=list(zip(coo.row.tolist(), coo.col.tolist())), directed=True).simplify()
    sources = np.sort(np.random.default_rng(7).choice(2000, 32, replace=False))
    ref = np.array(g.betweenness(sources=sources.tolist(), targets=None, directed=True))
    mine = betweenness_csr(A, sources=sources, normalized=False, batch=8) * 32 / 2000  # undo the n/k scaling
    assert np.abs(mine - ref).max() < 1e-6 * max(1.0, ref.max())


def test_graph_functions_return_series_by_id(skg):
    from cnaikg.queries.centrality import betweenness, pagerank

    pr, bc = pagerank(skg), betweenness(skg)
    assert pr.sum() == pytest.approx(1.0) and pr.index.name == "id"
    # chip-c sits between listed-x and china-mobile on the supply chain
    assert bc["chip-c"] > 0 and bc["loner-e"] == 0.0


def test_degrees_and_supply_chain_are_counted_per_relation(skg):
    from cnaikg.queries.features import features

    df = features(skg)
    assert df.loc["chip-c", "out_SUPPLIES"] == 1 and df.loc["chip-c", "in_SUPPLIES"] == 1
    assert df.loc["chip-c", "in_OWNS"] == 1 and df.loc["chip-c", "out_OWNS"] == 1
    # listed-x supplies chip-c, which supplies china-mobile: two companies depend on it downstream
    assert df.loc["listed-x", "downstream_dependents"] == 2
    assert df.loc["chip-c", "n_suppliers"] == 1 and df.loc["chip-c", "supplier_concentration"] == 1.0
    assert np.isnan(df.loc["loner-e", "supplier_concentration"])
    assert {f"in_{r}" for r in skg.ontology.relation_types} <= set(df.columns)  # derived from the ontology
