"""Centrality on sparse matrices: PageRank, personalised PageRank, betweenness (exact or sampled), degrees, supply chain.

Every iteration has an explicit tolerance on the L1 change of the whole
vector (``networkx.pagerank`` multiplies its tolerance by the number of nodes,
so with its default it stops after one iteration on a million nodes).

>>> import scipy.sparse as sp
>>> A = sp.csr_matrix(([1.0, 1.0, 1.0, 1.0], ([0, 1, 2, 3], [1, 2, 0, 0])), shape=(4, 4))
>>> pr = pagerank_csr(A)
>>> int(pr.argmax()), round(float(pr.sum()), 6)
(0, 1.0)
>>> bc = betweenness_csr(A)          # exact: every node is a source
>>> [round(float(x), 3) for x in bc]
[0.5, 0.333, 0.167, 0.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = [
    "pagerank_csr",
    "betweenness_csr",
    "pagerank",
    "betweenness",
    "degrees_by_relation",
    "supply_chain",
    "supply_matrix",
]


def pagerank_csr(A: sp.spmatrix, *, alpha: float = 0.85, personalization: np.ndarray | None = None, tol: float = 1e-10, max_iter: int = 1000) -> np.ndarray:
    """PageRank of a weighted directed graph (A[u, v] = weight of u -> v) by power iteration.

    Dangling nodes (no out-weight) jump like a restart. ``personalization``
    (non-negative, any scale) restarts there instead of uniformly. Stops when
    the L1 change of the whole vector in one iteration is below ``tol`` (not
    ``tol`` times n); the first iterations run in float32 (down to 1e-5).
    """
    A = sp.csr_matrix(A, dtype=np.float64)
    n = A.shape[0]
    if n == 0:
        return np.zeros(0)
    out = np.asarray(A.sum(axis=1)).ravel()
    dangling = out == 0
    inv = np.divide(1.0, out, out=np.zeros(n), where=~dangling)
    AT = A.T.tocsr()
    P = sp.csr_matrix((AT.data * inv[AT.indices], AT.indices, AT.indptr), shape=AT.shape)  # x_new = P @ x
    if personalization is None:
        v = np.full(n, 1.0 / n)
    else:
        v = np.asarray(personalization, dtype=np.float64)
        if v.sum() <= 0:
            return np.zeros(n)
        v = v / v.sum()
    dang_idx = np.flatnonzero(dangling)
    # phase 1 in float32 (a third less memory traffic per iteration) until the L1 change is below 1e-5,
    # phase 2 in float64 from there down to ``tol``: power iteration converges from any start
    x = v.copy()
    for dtype, stop in ((np.float32, max(tol, 1e-5)), (np.float64, tol)):
        Pd = P if dtype == np.float64 else sp.csr_matrix((P.data.astype(dtype), P.indices, P.indptr), shape=P.shape)
        vd: np.ndarray = v.astype(dtype)
        x = x.astype(dtype)
        x /= x.sum()
        buf = np.empty(n, dtype=dtype)
        for _ in range(max_iter):
            x_new = Pd @ x
            x_new *= alpha
            jump = alpha * float(x[dang_idx].sum()) + (1.0 - alpha)
            if personalization is None:
                x_new += dtype(jump / n)
            else:
                x_new += vd * float(jump)  # a Python float keeps vd's dtype
            np.subtract(x_new, x, out=buf)
            np.abs(buf, out=buf)
            err = float(buf.sum(dtype=np.float64))
            x = x_new
            if err < stop:
                break
    x = x.astype(np.float64)
    return x / x.sum()


def betweenness_csr(A: sp.spmatrix, *, sources: np.ndarray | None = None, batch: int = 16, normalized: bool = True) -> np.ndarray:
    """Betweenness of a directed, unweighted graph by Brandes' algorithm from ``sources`` (all nodes when None).

    Batched algebraic Brandes: ``batch`` breadth-first searches advance
    together as sparse x dense products over the frontier's rows only. With
    a sample of k sources the sum is scaled by n / k (an unbiased estimate).
    ``normalized`` divides by (n - 1)(n - 2), the directed maximum.
    (Splitting the batches between two forked processes was tried and was
    slower on this 2-core machine: the searches are memory-bound.)
    """
    A = sp.csr_matrix(A, dtype=np.float64)
    A.sum_duplicates()
    A.data[:] = 1.0
    n = A.shape[0]
    src = np.arange(n) if sources is None else np.asarray(sources, dtype=np.int64)
    bc = np.zeros(n)
    for start in range(0, len(src), batch):
        bc += _brandes_batch(A, src[start : start + batch])
    if sources is not None and len(src) and len(src) < n:
        bc *= n / len(src)
    if normalized and n > 2:
        bc /= (n - 1) * (n - 2)
    return bc


def _restrict(A: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray | None = None, pos: np.ndarray | None = None) -> tuple[sp.csr_matrix, np.ndarray]:
    """A[rows][:, cols] as a compact CSR (cols sorted; None = every column the rows touch) and the cols.

    ``pos`` is a scratch int array of length n, all -1, left all -1 on return.
    """
    sub = A[rows]
    if pos is None:
        pos = np.full(A.shape[1], -1, dtype=np.int64)
    if cols is None:
        pos[sub.indices] = 0
        cols = np.flatnonzero(pos == 0)  # sorted, distinct; O(n) but far cheaper than sorting nnz
        pos[cols] = np.arange(len(cols))
        out = sp.csr_matrix((sub.data, pos[sub.indices], sub.indptr), shape=(len(rows), len(cols)))
        pos[cols] = -1
        return out, cols
    pos[cols] = np.arange(len(cols))
    mapped = pos[sub.indices]
    pos[cols] = -1
    ok = mapped >= 0
    csum = np.concatenate([[0], np.cumsum(ok)])
    indptr = csum[sub.indptr]
    return sp.csr_matrix((sub.data[ok], mapped[ok], indptr), shape=(len(rows), len(cols))), cols


def _brandes_batch(A: sp.csr_matrix, s: np.ndarray) -> np.ndarray:
    """Sum over the sources ``s`` of Brandes' dependencies delta_s(v) (sources' own entries excluded).

    Works level by level on blocks holding only the nodes reached at that
    level (rows) x the batch's sources (columns), so the cost follows the
    edges the searches touch, not n x batch.
    """
    n, b = A.shape[0], len(s)
    pos = np.full(n, -1, dtype=np.int64)
    visited = np.zeros((n, b), dtype=bool)  # calloc: only touched pages cost memory
    visited[s, np.arange(b)] = True
    rows0, inv = np.unique(s, return_inverse=True)
    sig0 = np.zeros((len(rows0), b))
    sig0[inv, np.arange(b)] = 1.0
    levels: list[tuple[np.ndarray, np.ndarray]] = [(rows0, sig0)]
    while True:
        rows, sig = levels[-1]
        sub, succ = _restrict(A, rows, pos=pos)
        if not len(succ):
            break
        nxt = sub.T @ sig  # path counts offered to each successor
        vis = visited[succ]
        new = nxt > 0
        new &= ~vis
        hit = new.any(axis=1)
        if not hit.any():
            break
        if not hit.all():
            succ, nxt, new, vis = succ[hit], nxt[hit], new[hit], vis[hit]
        visited[succ] = vis | new
        nxt *= new
        levels.append((succ, nxt))
    bc = np.zeros(n)
    delta = np.zeros_like(levels[-1][1])
    for d in range(len(levels) - 1, 0, -1):
        rows_d, sig_d = levels[d]
        rows_p, sig_p = levels[d - 1]
        bc[rows_d] += delta.sum(axis=1)
        delta += 1.0
        T = np.divide(delta, sig_d, out=np.zeros(sig_d.shape), where=sig_d > 0)
        sub, _ = _restrict(A, rows_p, rows_d, pos=pos)
        delta = sub @ T
        delta *= sig_p  # zero where the node is not at depth d-1 for that source
    return bc


def _reach_exact(S: sp.csr_matrix, targets: np.ndarray, depth: int) -> np.ndarray:
    """Distinct ``targets`` nodes reachable from every node along S (at most ``depth`` hops; 0 = all)."""
    reach = S.copy()
    frontier = S.copy()
    hops = 1
    while frontier.nnz and (not depth or hops < depth):
        frontier = frontier @ S
        frontier.data[:] = 1.0
        frontier = frontier - frontier.multiply(reach)
        frontier.eliminate_zeros()
        if frontier.nnz == 0:
            break
        frontier.data[:] = 1.0
        reach = reach + frontier
        hops += 1
    reach.setdiag(0)
    reach.eliminate_zeros()
    reach.data[:] = 1.0
    return np.asarray(reach @ targets.astype(np.float64)).ravel().round().astype(np.int64)


def _reach_estimate(S: sp.csr_matrix, targets: np.ndarray, depth: int, *, sketches: int = 64, seed: int = 42) -> np.ndarray:
    """Cohen's size estimator of the distinct ``targets`` reachable from every node (relative error ~ 1/sqrt(sketches)).

    Every target gets ``sketches`` independent exponential ranks; each node keeps
    the minimum rank over what it reaches (propagated backwards along S until
    nothing changes, or ``depth`` hops); the count is (k - 1) / sum of minima.
    The node's own rank is left out, so a node counts only what lies downstream.
    """
    n = S.shape[0]
    rng = np.random.default_rng(seed)
    # sketches x nodes layout (reductions along contiguous rows). Each exponential rank r is stored as
    # one byte q = floor(8 * -log2 r) + 64 (0 = nothing reached): the minimum rank is the maximum byte,
    # so propagation moves 4x less memory than float32; the 2^(1/8) quantisation step is far below
    # the estimator's own error.
    r = rng.exponential(size=(sketches, n))
    q = np.clip(np.floor(-8.0 * np.log2(r)) + 64, 1, 255).astype(np.uint8)
    rank = np.where(targets[None, :], q, 0).astype(np.uint8)
    best = np.zeros((sketches, n), dtype=np.uint8)
    tails = np.repeat(np.arange(n), np.diff(S.indptr))  # CSR order: sorted by tail
    heads = S.indices
    changed = targets.copy()  # heads whose offer (own rank or best) changed since the last round
    loc = np.full(n, -1, dtype=np.int64)
    hops = 0
    while changed.any():
        e = np.flatnonzero(changed[heads])
        if not len(e):
            break
        t = tails[e]
        ch = np.flatnonzero(changed)
        loc[ch] = np.arange(len(ch))
        offer = np.maximum(rank[:, ch], best[:, ch])  # what each changed head offers its tails
        cand = offer[:, loc[heads[e]]]
        loc[ch] = -1
        first = np.flatnonzero(np.r_[True, t[1:] != t[:-1]])
        uniq = t[first]
        upd = np.maximum.reduceat(cand, first, axis=1)
        old = best[:, uniq]
        new = np.maximum(old, upd)
        moved = (new > old).any(axis=0)
        best[:, uniq] = new
        changed = np.zeros(n, dtype=bool)
        changed[uniq[moved]] = True
        hops += 1
        if depth and hops >= depth:
            break
    reached = best > 0
    rmin = np.where(reached, np.exp2(-(best.astype(np.float64) - 64 + 0.5) / 8.0), 0.0)
    total = rmin.sum(axis=0)
    est = np.where(reached.all(axis=0), (sketches - 1) / np.where(total > 0, total, 1.0), 0.0)
    return np.rint(est).astype(np.int64)


# ------------------------------------------------------------------ graph-level functions


def pagerank(kg: Any, *, as_of: Any = None, alpha: float | None = None, tol: float | None = None) -> "Any":
    """PageRank of every entity over facts weighted by relation_weights, as a Series by id (sums to 1).

    >>> from cnaikg.graph import build_graph
    >>> pr = pagerank(build_graph())
    >>> round(float(pr.sum()), 6)
    1.0
    """
    from cnaikg.queries.arrays import as_series_ids, graph_arrays

    ga = graph_arrays(kg, as_of=as_of)
    p = ga.config.parameters
    x = pagerank_csr(ga.adjacency(), alpha=alpha or float(p["pagerank_alpha"]), tol=tol or float(p["pagerank_tolerance"]))
    return as_series_ids(ga, x)


def betweenness(kg: Any, *, as_of: Any = None, samples: int | None = None, seed: int | None = None) -> "Any":
    """Betweenness of every entity (directed, facts of positive relation weight), as a Series by id in [0, 1].

    Exact (every node a source) up to ``exact_max_nodes`` nodes;
    above, Brandes from ``samples`` sources drawn with ``seed`` (see the
    parameters in data/state_actors.toml).

    >>> from cnaikg.graph import build_graph
    >>> bc = betweenness(build_graph())
    >>> float(bc.min()) >= 0.0
    True
    """
    from cnaikg.queries.arrays import as_series_ids, graph_arrays

    ga = graph_arrays(kg, as_of=as_of)
    return as_series_ids(ga, betweenness_arrays(ga, samples=samples, seed=seed))


def betweenness_arrays(ga: Any, *, samples: int | None = None, seed: int | None = None) -> np.ndarray:
    """Betweenness on GraphArrays: exact on small graphs, sampled above the documented size."""
    p = ga.config.parameters
    A = ga.adjacency(weighted=False)
    if samples is None and ga.n <= int(p["exact_max_nodes"]):
        # small graphs: every source in one batch (an n x n block is cheap; per-batch overhead dominates otherwise)
        return betweenness_csr(A, batch=max(16, ga.n) if ga.n <= 2048 else 16)
    k = min(ga.n, samples or int(p["betweenness_samples"]))
    rng = np.random.default_rng(int(p["betweenness_seed"]) if seed is None else seed)
    return betweenness_csr(A, sources=np.sort(rng.choice(ga.n, size=k, replace=False)))


def degrees_by_relation(ga: Any) -> dict[str, np.ndarray]:
    """``in_<REL>`` and ``out_<REL>`` fact counts for every relationship type of the ontology."""
    out: dict[str, np.ndarray] = {}
    for code, name in enumerate(ga.rel_names):
        m = ga.rel == code
        out[f"out_{name}"] = np.bincount(ga.src[m], minlength=ga.n)
        out[f"in_{name}"] = np.bincount(ga.dst[m], minlength=ga.n)
    return out


def supply_matrix(ga: Any) -> "sp.csr_matrix":
    """0/1 CSR matrix of distinct SUPPLIES links, supplier row -> customer column, without self-supply.

    >>> from cnaikg.graph import build_graph
    >>> from cnaikg.queries.arrays import graph_arrays
    >>> bool(supply_matrix(graph_arrays(build_graph())).max() <= 1)
    True
    """
    m = ga.rel_mask("SUPPLIES")
    S = sp.csr_matrix((np.ones(int(m.sum())), (ga.src[m], ga.dst[m])), shape=(ga.n, ga.n))
    S.sum_duplicates()
    S.data[:] = 1.0
    S.setdiag(0)
    S.eliminate_zeros()
    return S


def supply_chain(ga: Any, *, max_depth: int | None = None) -> dict[str, np.ndarray]:
    """Supply-chain measures from SUPPLIES facts (supplier -> customer).

    - ``n_suppliers``, ``n_customers``: distinct direct suppliers and customers;
    - ``downstream_dependents``: distinct companies reachable downstream
      (customers, their customers, ...), up to ``max_depth`` hops (0/None = all);
      exact up to ``exact_max_nodes`` nodes, estimated above (Cohen's estimator);
    - ``supplier_concentration``: Herfindahl index of the suppliers' shares,
      equal shares without volume data, so 1 / n_suppliers (NaN without suppliers).
    """
    depth = int(ga.config.parameters.get("supply_max_depth", 0)) if max_depth is None else max_depth
    S = supply_matrix(ga)
    n_cust = np.diff(S.indptr).astype(np.int64)
    n_sup = np.diff(S.tocsc().indptr).astype(np.int64)
    company = ga.type_mask("company")
    p = ga.config.parameters
    if ga.n <= int(p.get("exact_max_nodes", 5000)):
        downstream = _reach_exact(S, company, depth)
    else:
        downstream = _reach_estimate(S, company, depth, sketches=int(p.get("supply_sketches", 64)), seed=int(p.get("betweenness_seed", 42)))
    with np.errstate(divide="ignore"):
        conc = np.where(n_sup > 0, 1.0 / np.maximum(n_sup, 1), np.nan)
    return {"n_suppliers": n_sup, "n_customers": n_cust, "downstream_dependents": downstream, "supplier_concentration": conc}
