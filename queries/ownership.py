"""Look-through ownership: effective stakes summed over chains of holdings, cycles included; ultimate controllers.

Direct holdings form a matrix W (W[h, c] = fraction of c held by h). The
effective stake is the sum over every chain h -> ... -> c of the product of
its stakes, i.e. E = W + W^2 + W^3 + ... = W (I - W)^-1 (integrated
ownership). Cross-holdings (cycles) are walked round as often as they add
something: the series converges because no company's holders hold more than
100% of it; it is truncated when a term adds less than ``ownership_tolerance``
or after ``ownership_max_depth`` hops, and effective stakes are capped at 1.

A holds 50% of B, B holds 40% of C, C holds 10% of B (a cycle):

>>> from cnaikg.queries.ownership import effective_ownership_matrix
>>> import scipy.sparse as sp
>>> W = sp.csr_matrix(([0.5, 0.4, 0.1], ([0, 1, 2], [1, 2, 1])), shape=(3, 3))
>>> E = effective_ownership_matrix(W).toarray()
>>> round(float(E[0, 1]), 4), round(float(E[0, 2]), 4)   # 0.5 / (1 - 0.04) and 0.4 times that
(0.5208, 0.2083)
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from cnaikg.queries.arrays import GraphArrays, graph_arrays

__all__ = [
    "effective_ownership_matrix",
    "state_lookthrough",
    "look_through_ownership",
    "ultimate_controllers",
    "ownership_paths",
    "OwnershipPath",
]


def effective_ownership_matrix(W: sp.spmatrix, *, tolerance: float = 1e-9, max_depth: int = 50, prune: float = 0.0) -> sp.csr_matrix:
    """E = W + W^2 + ... truncated when a term's largest entry drops below ``tolerance``; capped at 1.

    ``prune`` drops entries of a term below it before the next product (keeps
    the series sparse at registry scale; 0 keeps everything). Each effective
    stake then misses at most about ``prune`` per hop.

    >>> import scipy.sparse as sp
    >>> W = sp.csr_matrix(([0.5, 0.4], ([0, 1], [1, 2])), shape=(3, 3))
    >>> float(effective_ownership_matrix(W)[0, 2])
    0.2
    """
    W = sp.csr_matrix(W, dtype=np.float64)
    E = W.copy()
    term = W
    for _ in range(max_depth - 1):
        if prune:
            # drop left factors below ``prune`` before multiplying: each product they would give is below
            # prune, and their sum over intermediates g is below prune * (holders' total of c) <= prune
            term = term.copy()
            term.data[term.data < prune] = 0.0
            term.eliminate_zeros()
        term = term @ W
        if term.nnz == 0 or term.data.max() < tolerance:
            E = E + term
            break
        E = E + term
    E = sp.csr_matrix(E)
    E.sum_duplicates()
    np.minimum(E.data, 1.0, out=E.data)
    E.eliminate_zeros()
    return E


def _propagate(ga: GraphArrays, x: np.ndarray) -> np.ndarray:
    """x + x W_N + x W_N^2 + ..., where W_N stops at state actors (a stake is counted once, at the first state holder)."""
    p = ga.config.parameters
    W = ga.holdings()
    WNT = ga._cache.get("holdings_nonstate_T")
    if WNT is None:
        keep = sp.diags((~ga.is_state).astype(np.float64))
        WNT = (keep @ W).T.tocsr()
        ga._cache["holdings_nonstate_T"] = WNT
    total = x.copy()
    term = x
    for _ in range(int(p["ownership_max_depth"]) - 1):
        term = WNT @ term
        if not term.any() or term.max() < float(p["ownership_tolerance"]):
            total += term
            break
        total += term
    return np.minimum(total, 1.0)


def state_lookthrough(ga: GraphArrays, *, weighted: bool = False, kind: str | None = None) -> np.ndarray:
    """Effective stake of all state actors together (or of one kind) in every node, as a fraction.

    Chains are followed through non-state holders only, so a stake is counted
    once, by the first state actor above it (the Big Fund's stake is not added
    again for the Ministry of Finance that holds part of the Big Fund).
    ``weighted`` multiplies each state actor's stakes by its weight.
    """
    W = ga.holdings()
    sel = ga.is_state if kind is None else ga.state_kind == ga.kind_names.index(kind)
    w = np.where(sel, ga.state_weight if weighted else 1.0, 0.0)
    x = W.T @ w  # direct stakes of the selected state actors
    return _propagate(ga, x)


def look_through_ownership(kg: Any, *, as_of: Any = None, holders: list[str] | None = None, paths: int = 0, config: Any = None) -> "Any":
    """Effective stake of each state actor (or of ``holders``) in every entity, as a long DataFrame.

    Columns: holder, entity, direct (fraction), effective (fraction), sorted by
    holder then effective stake descending; only non-zero effective stakes.
    With ``paths=k`` a column ``top_paths`` lists the k strongest chains, e.g.
    ``fund-a > holdco-b > chip-c (20.0%)``.

    >>> from cnaikg.graph import build_graph
    >>> df = look_through_ownership(build_graph(), holders=["mof"], paths=1)
    >>> bool((df.effective >= df.direct).all()) and "top_paths" in df.columns
    True
    """
    import pandas as pd

    ga = graph_arrays(kg, as_of=as_of, config=config)
    E = _effective(ga)
    W = ga.holdings()
    rows = np.flatnonzero(ga.is_state) if holders is None else np.array([ga.index[h] for h in holders if h in ga.index], dtype=np.int64)
    out = []
    for r in rows:
        row = E.getrow(r)
        for c, v in zip(row.indices, row.data):
            rec = [ga.ids[r], ga.ids[c], float(W[r, c]), float(v)]
            if paths:
                rec.append([f"{' > '.join(p.nodes)} ({p.stake:.1%})" for p in ownership_paths(ga, int(r), int(c), k=paths)])
            out.append(tuple(rec))
    cols = ["holder", "entity", "direct", "effective"] + (["top_paths"] if paths else [])
    df = pd.DataFrame(out, columns=cols)
    return df.sort_values(["holder", "effective", "entity"], ascending=[True, False, True], kind="mergesort").reset_index(drop=True)


def _effective(ga: GraphArrays, prune: float | None = None) -> sp.csr_matrix:
    """E of ``ga``, cached; exact on small graphs, terms pruned at ``ownership_prune`` on large ones."""
    if "effective" not in ga._cache:
        p = ga.config.parameters
        if prune is None:
            prune = float(p["ownership_prune"]) if ga.n > int(p["exact_max_nodes"]) else 0.0
        ga._cache["effective"] = effective_ownership_matrix(ga.holdings(), tolerance=float(p["ownership_tolerance"]), max_depth=int(p["ownership_max_depth"]), prune=prune)
    return ga._cache["effective"]


def ultimate_controllers(ga: GraphArrays, *, threshold: float = 0.5, prune: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """For every node, the holder with more than ``threshold`` effective stake at the top of the chain (-1 if none), and that stake.

    Where several holders exceed the threshold (a parent and its own parent),
    the one that no other such holder controls is the ultimate controller;
    ties go to the larger stake, then the smaller row number.
    """
    E = _effective(ga, prune)
    M = E.multiply(E > threshold).tocsr()
    M.setdiag(0)
    M.eliminate_zeros()
    ctrl = np.full(ga.n, -1, dtype=np.int64)
    share = np.zeros(ga.n)
    if M.nnz == 0:
        return ctrl, share
    B = (M > 0).astype(np.int32)
    # (B^T B)[h, c] > 0 when some other holder g controls both h and c: h is then not the top of the chain
    above = (B.T @ B).tocsr()
    coo = M.tocoo()
    h, c, v = coo.row, coo.col, coo.data
    dominated = np.asarray(above[h, c]).ravel() > 0
    top = ~dominated
    # a column whose candidates are all dominated (a control cycle) keeps all of them
    has_top = np.zeros(ga.n, dtype=bool)
    has_top[c[top]] = True
    keep = top | ~has_top[c]
    h, c, v = h[keep], c[keep], v[keep]
    order = np.lexsort((h, -v, c))  # by column, then largest stake, then smallest row
    h, c, v = h[order], c[order], v[order]
    first = np.ones(len(c), dtype=bool)
    first[1:] = c[1:] != c[:-1]
    ctrl[c[first]] = h[first]
    share[c[first]] = v[first]
    return ctrl, share


@dataclass(frozen=True)
class OwnershipPath:
    """A chain of holdings from a holder down to an entity, with the product of its stakes."""

    nodes: tuple[str, ...]
    stakes: tuple[float, ...]
    facts: tuple[Any, ...]

    @property
    def stake(self) -> float:
        """The product of the stakes along the chain."""
        return float(np.prod(self.stakes))


def ownership_paths(ga: GraphArrays, holder: int, target: int, *, k: int = 3, max_hops: int = 8) -> list[OwnershipPath]:
    """The ``k`` simple chains of holdings from ``holder`` to ``target`` with the largest stakes (best first)."""
    W = ga.holdings()
    Wc = W.tocsc()
    # search upward from the target: predecessors of node v are holders in column v
    best: list[tuple[float, tuple[int, ...]]] = []
    heap: list[tuple[float, tuple[int, ...]]] = [(-1.0, (target,))]
    while heap and len(best) < k:
        negp, chain = heapq.heappop(heap)
        v = chain[0]
        if v == holder and len(chain) > 1:
            best.append((-negp, chain))
            continue
        if len(chain) > max_hops:
            continue
        lo, hi = Wc.indptr[v], Wc.indptr[v + 1]
        for h, s in zip(Wc.indices[lo:hi], Wc.data[lo:hi]):
            if h not in chain:
                heapq.heappush(heap, (negp * s, (int(h), *chain)))
    out = []
    for _, chain in best:
        stakes = tuple(float(W[a, b]) for a, b in zip(chain, chain[1:]))
        facts = tuple(_holding_fact(ga, a, b) for a, b in zip(chain, chain[1:]))
        out.append(OwnershipPath(tuple(ga.ids[i] for i in chain), stakes, facts))
    return out


def _holding_fact(ga: GraphArrays, h: int, c: int) -> Any:
    """The fact behind the holding h -> c with the largest stake (None without facts)."""
    if ga.facts is None:
        return None
    fwd = (ga.src == h) & (ga.dst == c) & ga.rel_mask("OWNS", "INVESTS_IN")
    sub = (ga.src == c) & (ga.dst == h) & ga.rel_mask("SUBSIDIARY_OF")
    idx = np.flatnonzero(fwd | sub)
    if not len(idx):
        return None
    stakes = np.nan_to_num(ga.stake[idx], nan=-1.0)
    return ga.facts[int(idx[np.argmax(stakes)])]
