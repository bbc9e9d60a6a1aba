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
    "control",
    "control_explanation",
    "Control",
    "CONTROL_STATUS",
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


#: control_status values, by code
CONTROL_STATUS = ("no majority holder", "controlled", "tie", "cycle")


@dataclass(frozen=True)
class Control:
    """Majority control of every node: the immediate controller, the ultimate controller at the top, and why.

    ``parent[v]`` is v's immediate controller (-1 if none); ``group[v]`` is
    True when that controller holds its majority only together with entities
    it controls; ``top[v]`` the ultimate controller (-1 if none);
    ``status[v]`` an index into ``CONTROL_STATUS``; ``stake[v]`` the top's
    effective (look-through) stake in v.
    """

    parent: np.ndarray
    group: np.ndarray
    top: np.ndarray
    status: np.ndarray
    stake: np.ndarray

    def chain(self, v: int) -> list[int]:
        """The control chain of ``v`` from the top down (``[top, ..., v]``); for a cycle, round it once (``[a, b, a]``)."""
        out = [v]
        seen = {v}
        u = v
        while self.parent[u] >= 0:
            u = int(self.parent[u])
            out.append(u)
            if u in seen:
                break
            seen.add(u)
        return out[::-1]


def control(ga: GraphArrays) -> Control:
    """Majority control on ``ga`` (cached): who controls whom, up to the top of each chain.

    h is the immediate controller of c when h holds more than 50% of c
    directly, or, when nobody does, when h and the entities h ultimately
    controls hold more than 50% of c together. The ultimate controller is the
    top of the chain of immediate controllers: a node nobody controls. A
    company with no holder above 50% has none ("no majority holder", or "tie"
    when two holders have 50% each); a chain that runs into a cycle of
    majorities (A holds 100% of B and B 100% of A) has none either ("cycle"):
    nobody outside the cycle controls it.

    >>> import numpy as np, scipy.sparse as sp
    >>> from cnaikg.queries.arrays import GraphArrays
    >>> from cnaikg.queries.state import load_state_actors
    >>> ga = GraphArrays(["a", "b", "c", "d"], np.zeros(4, dtype=np.int16), ["company"], np.array([0, 1, 1]), np.array([1, 2, 3]),
    ...                  np.zeros(3, dtype=np.int16), ["OWNS"], np.array([0.6, 0.7, 0.8]), np.full(4, -1, dtype=np.int16),
    ...                  np.zeros(4), [], load_state_actors())
    >>> ctl = control(ga)      # a holds 60% of b; b holds 70% of c and 80% of d
    >>> [ga.ids[t] for t in ctl.top[2:]], ctl.chain(2)
    (['a', 'a'], [0, 1, 2])
    """
    if "control" in ga._cache:
        return ga._cache["control"]
    W = ga.holdings().tocsc()
    n = ga.n
    parent = np.full(n, -1, dtype=np.int64)
    status = np.zeros(n, dtype=np.int8)
    coo = W.tocoo()
    h, c, v = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
    # direct majority: the largest holder above 50% (ties between two such holders go to the smaller id: bad data)
    maj = v > 0.5 + 1e-12
    if maj.any():
        order = np.lexsort((h[maj], -v[maj], c[maj]))
        hm, cm = h[maj][order], c[maj][order]
        first = np.r_[True, cm[1:] != cm[:-1]]
        parent[cm[first]] = hm[first]
    tie_at_half = np.bincount(c[np.abs(v - 0.5) <= 1e-12], minlength=n) >= 2
    group = np.zeros(n, dtype=bool)

    def tops(par: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = np.where(par >= 0, par, np.arange(n))
        for _ in range(max(1, int(np.ceil(np.log2(max(n, 2)))) + 1)):
            p = p[p]
        rooted = par[p] < 0
        return np.where(rooted & (par >= 0), p, -1), rooted

    top, rooted = tops(parent)
    # together with what it controls: group each holder under its ultimate controller (itself when uncontrolled);
    # repeated while it finds new controllers (a group control can make another group's total), at most n times
    for _ in range(n):
        owner_group = np.where(top >= 0, top, np.where(parent < 0, np.arange(n), -1))
        free = (parent[c] < 0) & (owner_group[h] >= 0) & (owner_group[h] != c)
        if not free.any():
            break
        G = sp.csr_matrix((v[free], (owner_group[h[free]], c[free])), shape=(n, n)).tocoo()
        big = G.data > 0.5 + 1e-12
        if not big.any():
            break
        gh, gc, gv = G.row[big], G.col[big], G.data[big]
        order = np.lexsort((gh, -gv, gc))
        gh, gc = gh[order], gc[order]
        first = np.r_[True, gc[1:] != gc[:-1]]
        parent[gc[first]] = gh[first]
        group[gc[first]] = True
        top, rooted = tops(parent)
    status[top >= 0] = 1
    status[(parent < 0) & tie_at_half] = 2
    status[(parent >= 0) & ~rooted] = 3
    stake = np.zeros(n)
    idx = np.flatnonzero(top >= 0)
    if len(idx):
        E = _effective(ga)
        stake[idx] = np.asarray(E[top[idx], idx]).ravel()
    res = Control(parent, group, top, status, np.minimum(stake, 1.0))
    ga._cache["control"] = res
    return res


def ultimate_controllers(ga: GraphArrays, *, threshold: float = 0.5, prune: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """For every node, its ultimate controller (top of the majority chain, -1 if none) and that controller's effective stake.

    See ``control`` for the definition; ``threshold`` other than 0.5 is not supported.
    """
    if abs(threshold - 0.5) > 1e-12:
        raise ValueError("ultimate_controllers: control means more than 50%; other thresholds are not supported")
    ctl = control(ga)
    return ctl.top, ctl.stake


def control_explanation(ga: GraphArrays, node: int) -> list[str]:
    """Who controls ``node`` and through which chain, each link with its stake and fact; or why nobody does.

    >>> from cnaikg.graph import build_graph
    >>> from cnaikg.queries.arrays import graph_arrays
    >>> ga = graph_arrays(build_graph())
    >>> control_explanation(ga, ga.index["smic"])[0].startswith("control of smic:")
    True
    """
    from cnaikg.queries.explain import describe_fact

    ctl = control(ga)
    W = ga.holdings()
    name = ga.ids[node]
    st = CONTROL_STATUS[int(ctl.status[node])]
    col = W.getcol(node).tocoo()
    holders = sorted(((float(x), ga.ids[int(r)]) for r, x in zip(col.row, col.data)), key=lambda t: (-t[0], t[1]))
    if st == "no majority holder":
        big = f"; largest holder {holders[0][1]} with {holders[0][0]:.1%}" if holders else "; no holder known"
        return [f"control of {name}: no majority holder (nobody holds more than 50%, alone or with what it controls){big}"]
    if st == "tie":
        tied = [i for x, i in holders if abs(x - 0.5) <= 1e-12]
        return [f"control of {name}: no majority holder: a tie at 50.0% between {' and '.join(tied)}"]
    chain = ctl.chain(node)
    if st == "cycle":
        return [f"control of {name}: no ultimate controller: its chain of majority holders runs into a cycle "
                f"({' > '.join(ga.ids[i] for i in chain)}), so nobody outside the cycle controls it"]
    top = int(ctl.top[node])
    out = [f"control of {name}: ultimate controller {ga.ids[top]}{' (state actor)' if ga.is_state[top] else ''}, "
           f"top of the chain {' > '.join(ga.ids[i] for i in chain)}; its effective stake in {name} is {ctl.stake[node]:.1%}"]
    for a, b in zip(chain, chain[1:]):
        if ctl.group[b]:
            Wc = W.getcol(b).tocoo()
            parts = [(float(x), int(r)) for r, x in zip(Wc.row, Wc.data) if int(r) == a or int(ctl.top[int(r)]) == a]
            parts.sort(key=lambda t: (-t[0], ga.ids[t[1]]))
            terms = " + ".join(f"{ga.ids[r]} {x:.1%}" for x, r in parts)
            out.append(f"  {ga.ids[a]} controls {ga.ids[b]} with what it controls: {terms} = {sum(x for x, _ in parts):.1%}")
        else:
            f = _holding_fact(ga, a, b)
            out.append(f"  {ga.ids[a]} holds {float(W[a, b]):.1%}{stake_note(ga, f)} of {ga.ids[b]}: {describe_fact(ga, None, f) if f is not None else '?'}")
    return out


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


def ownership_paths(ga: GraphArrays, holder: int, target: int, *, k: int = 3, max_hops: int = 8, through: np.ndarray | None = None) -> list[OwnershipPath]:
    """The ``k`` simple chains of holdings from ``holder`` to ``target`` with the largest stakes (best first).

    ``through`` (a node mask) restricts the intermediate holders of a chain.
    """
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
            if h not in chain and (through is None or h == holder or through[h]):
                heapq.heappush(heap, (negp * s, (int(h), *chain)))
    out = []
    for _, chain in best:
        stakes = tuple(float(W[a, b]) for a, b in zip(chain, chain[1:]))
        facts = tuple(_holding_fact(ga, a, b) for a, b in zip(chain, chain[1:]))
        out.append(OwnershipPath(tuple(ga.ids[i] for i in chain), stakes, facts))
    return out


def stake_note(ga: GraphArrays, fact: Any) -> str:
    """" (assumed: ...)" when the holding's fact gives no stake and a default was counted, else ""."""
    if fact is None or fact.properties.get("stake_pct") is not None:
        return ""
    p = ga.config.parameters
    if fact.relation == "SUBSIDIARY_OF":
        return f" (assumed: a subsidiary without a disclosed stake counts {float(p['default_subsidiary_stake']):.0%})"
    return f" (assumed: an undisclosed stake counts {float(p['default_stake']):.0%})"


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
