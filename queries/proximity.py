"""Policy proximity: a declared list of small components, each in [0, 1], weighted from data/state_actors.toml.

policy_proximity(c) = sum_i w_i * component_i(c) / sum_i w_i, so it lies in [0, 1].
Every component is non-decreasing in the set of facts (adding a tie to a
state actor never lowers it) and 0 for an entity with no path to a state
actor over facts of positive relation weight; so is the score.

A four-node example: a state fund holds 20% of a chip designer that supplies a lab.

>>> from cnaikg.graph import KnowledgeGraph, Entity, Fact, Source
>>> s = Source("s", "https://example.org", "Example", "2020-01-01")
>>> ents = [Entity("fund", "state_fund", "Fund", category="central"), Entity("chip", "company", "Chip"),
...         Entity("lab", "company", "Lab"), Entity("other", "company", "Other")]
>>> facts = [Fact.create("fund", "OWNS", "chip", properties={"stake_pct": 20}, sources=(s,)),
...          Fact.create("chip", "SUPPLIES", "lab", sources=(s,))]
>>> pp = policy_proximity(KnowledgeGraph(ents, facts))
>>> bool(pp["chip"] > pp["lab"] > pp["other"] == 0.0)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np
import scipy.sparse as sp

from cnaikg.queries.arrays import GraphArrays, as_series_ids, graph_arrays
from cnaikg.queries.ownership import state_lookthrough
from cnaikg.queries.state import StateConfig, load_state_actors

__all__ = ["Component", "COMPONENTS", "policy_proximity", "proximity_components", "proximity_arrays", "proximity_by_kind", "proximity_all", "state_diffusion_arrays", "component_table"]


#: One counted term of a component for one node: (value, text). A component's terms add up to its value.
Term = tuple[float, str]


@dataclass(frozen=True)
class Component:
    """One term of policy proximity: a function of the graph arrays and the selected state actors, and its breakdown.

    ``terms(ga, selected, node)`` lists the counted terms of the component for
    one node, strongest first; they add up to the component's value.
    """

    name: str
    function: Callable[[GraphArrays, np.ndarray], np.ndarray]
    description: str
    relations: tuple[str, ...] = ()
    terms: Callable[[GraphArrays, np.ndarray, int], list[Term]] | None = None


def sequential_terms(ties: list[tuple[float, str]]) -> list[Term]:
    """Split a noisy-or 1 - prod(1 - t_i) into terms that add up to it: strongest first, each t_i x prod_{j<i} (1 - t_j).

    >>> [round(v, 3) for v, _ in sequential_terms([(0.3, "b"), (0.5, "a")])]
    [0.5, 0.15]
    """
    out: list[Term] = []
    rest = 1.0
    for t, text in sorted(ties, key=lambda x: (-x[0], x[1])):
        t = min(max(t, 0.0), 1.0)
        out.append((t * rest, text if rest >= 1.0 else f"{text}; adds {t:.3f} x (1 - the ties above) = {t * rest:.4f}"))
        rest *= 1.0 - t
    return out


def _capped(terms: list[Term], cap: float = 1.0) -> list[Term]:
    """``terms`` plus a negative term that brings their sum down to ``cap`` when they exceed it."""
    total = sum(v for v, _ in terms)
    if total > cap + 1e-12:
        terms = [*terms, (cap - total, f"capped at {cap:g}: the terms above add up to {total:.4f}")]
    return terms


def _state_edges(ga: GraphArrays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(node, state actor at the other end, edge index) for every edge touching a state actor, both ends (cached)."""
    if "state_edges" not in ga._cache:
        st = ga.is_state
        e1 = np.flatnonzero(st[ga.dst] & (ga.src != ga.dst))
        e2 = np.flatnonzero(st[ga.src] & (ga.src != ga.dst))
        ga._cache["state_edges"] = (np.concatenate([ga.src[e1], ga.dst[e2]]), np.concatenate([ga.dst[e1], ga.src[e2]]), np.concatenate([e1, e2]))
    return ga._cache["state_edges"]


def _noisy_or(ga: GraphArrays, selected: np.ndarray, edge_mask: np.ndarray) -> np.ndarray:
    """1 - prod over state actors s tied to v of (1 - w_s * max relation weight of the v-s facts)."""
    node, other, eidx = _state_edges(ga)
    keep = selected[other] & edge_mask[eidx]
    node, other, eidx = node[keep], other[keep], eidx[keep]
    out = np.zeros(ga.n)
    if not len(node):
        return out
    v = np.clip(ga.state_weight[other] * ga.rel_weight()[eidx], 0.0, 1.0)
    # max per (node, state actor) pair: a tie counts once however many facts state it
    order = np.lexsort((v, other, node))
    node, other, v = node[order], other[order], v[order]
    last = np.ones(len(node), dtype=bool)
    last[:-1] = (node[1:] != node[:-1]) | (other[1:] != other[:-1])
    with np.errstate(divide="ignore"):
        logs = np.bincount(node[last], weights=np.log1p(-np.minimum(v[last], 1.0)), minlength=ga.n)
    return 1.0 - np.exp(logs)


def _noisy_or_terms(ga: GraphArrays, selected: np.ndarray, edge_mask: np.ndarray, node: int) -> list[Term]:
    """The ties of ``node`` that ``_noisy_or`` counts (the strongest fact per state actor), as additive terms."""
    from cnaikg.queries.explain import describe_fact

    nd, other, eidx = _state_edges(ga)
    keep = (nd == node) & selected[other] & edge_mask[eidx]
    best: dict[int, tuple[float, int]] = {}
    for o, e in zip(other[keep], eidx[keep]):
        v = float(np.clip(ga.state_weight[o] * ga.rel_weight()[e], 0.0, 1.0))
        if int(o) not in best or (v, -int(e)) > (best[int(o)][0], -best[int(o)][1]):
            best[int(o)] = (v, int(e))
    ties = []
    for o, (v, e) in best.items():
        ties.append((v, f"{describe_fact(ga, e)}; tie strength {ga.state_weight[o]:.2f} (weight of {ga.ids[o]}) x "
                        f"{ga.rel_weight()[e]:.2f} ({ga.rel_names[int(ga.rel[e])]}) = {v:.3f}"))
    return [t for t in sequential_terms(ties) if t[0] > 0]


def direct_state_equity(ga: GraphArrays, selected: np.ndarray) -> np.ndarray:
    """Weighted sum of the stakes state actors hold directly (OWNS, INVESTS_IN, SUBSIDIARY_OF), capped at 1.

    A stake not given counts as ``default_stake`` (5%): a state fund that
    invested without a disclosed stake still holds some equity.
    """
    W = ga.holdings()
    return np.minimum(W.T @ np.where(selected, ga.state_weight, 0.0), 1.0)


def lookthrough_state_equity(ga: GraphArrays, selected: np.ndarray) -> np.ndarray:
    """Weighted effective stake of the state actors through chains of non-state holders (cycles included), capped at 1."""
    W = ga.holdings()
    from cnaikg.queries.ownership import _propagate

    return _propagate(ga, W.T @ np.where(selected, ga.state_weight, 0.0))


def state_lab_university_ties(ga: GraphArrays, selected: np.ndarray) -> np.ndarray:
    """Noisy-or of ties of any relation to state universities and labs: 1 - prod(1 - w_actor * w_relation)."""
    sel = selected & (ga.state_kind == _kind(ga, "university_or_lab"))
    return _noisy_or(ga, sel, ga.rel_weight() > 0)


def state_commercial_ties(ga: GraphArrays, selected: np.ndarray) -> np.ndarray:
    """Noisy-or of partnerships (PARTNERS_WITH) and supply ties (SUPPLIES, either way) with state funds, ministries and SOEs.

    Universities, labs and programmes are left to their own components, so no
    tie is counted twice.
    """
    sel = selected & ~np.isin(ga.state_kind, [_kind(ga, "university_or_lab"), _kind(ga, "programme")])
    return _noisy_or(ga, sel, ga.rel_mask("PARTNERS_WITH", "SUPPLIES"))


def state_programmes(ga: GraphArrays, selected: np.ndarray) -> np.ndarray:
    """Noisy-or of MEMBER_OF facts with state programmes."""
    sel = selected & (ga.state_kind == _kind(ga, "programme"))
    return _noisy_or(ga, sel, ga.rel_mask("MEMBER_OF"))


def state_diffusion(ga: GraphArrays, selected: np.ndarray) -> np.ndarray:
    """Noisy-or diffusion from state actors over weighted facts (both directions), ``diffusion_hops`` rounds of
    p(v) = max(w_v, 1 - prod over neighbours u of (1 - min(1, decay * sum of the u-v facts' weights) * p(u))), from p = state weights."""
    return state_diffusion_arrays(ga, selected)


def direct_state_equity_terms(ga: GraphArrays, selected: np.ndarray, node: int) -> list[Term]:
    """One term per state actor holding ``node`` directly: its stake x its weight, with the fact."""
    from cnaikg.queries.explain import describe_fact
    from cnaikg.queries.ownership import _holding_fact, stake_note

    col = ga.holdings().getcol(node).tocoo()
    terms = []
    for h, v in zip(col.row, col.data):
        if selected[h] and ga.state_weight[h] * v > 0:
            f = _holding_fact(ga, int(h), node)
            terms.append((float(ga.state_weight[h] * v), f"{ga.ids[h]} holds {v:.1%}{stake_note(ga, f)} x weight {ga.state_weight[h]:.2f}: "
                                                          f"{describe_fact(ga, None, f) if f is not None else '?'}"))
    terms.sort(key=lambda t: (-t[0], t[1]))
    return _capped(terms)


def _upstream(ga: GraphArrays, node: int) -> np.ndarray:
    """u[m] = sum over chains m -> ... -> node whose holders other than the last are not state actors, of the product of stakes (u[node] = 1)."""
    p = ga.config.parameters
    key = "upstream_keepW"
    if key not in ga._cache:
        ga._cache[key] = (sp.diags((~ga.is_state).astype(np.float64)) @ ga.holdings()).tocsr()
    KW = ga._cache[key]
    z = np.zeros(ga.n)
    z[node] = 1.0
    total = z.copy()
    for _ in range(int(p["ownership_max_depth"]) - 1):
        z = KW @ z
        if not z.any() or z.max() < float(p["ownership_tolerance"]):
            total += z
            break
        total += z
    return total


def lookthrough_state_equity_terms(ga: GraphArrays, selected: np.ndarray, node: int) -> list[Term]:
    """One term per state actor: its weight x its effective stake through chains of non-state holders, with the strongest chain.

    A chain stops at the first state actor above the company, so the Ministry
    of Finance's share of the Big Fund is not counted again in the Big Fund's
    holdings: no such chain is listed.
    """
    from cnaikg.queries.explain import describe_fact
    from cnaikg.queries.ownership import ownership_paths, stake_note

    W = ga.holdings()
    u = _upstream(ga, node)
    eff = W @ u
    terms = []
    for s in np.flatnonzero(selected & (eff > 0)):
        v = float(ga.state_weight[s] * eff[s])
        if v <= 0:
            continue
        paths = ownership_paths(ga, int(s), node, k=1, through=~ga.is_state)
        chain = " ; ".join(describe_fact(ga, None, f) if f is not None else "?" for f in paths[0].facts) if paths else "?"
        assumed = sorted({stake_note(ga, f) for f in (paths[0].facts if paths else ()) if f is not None} - {""})
        chain += "".join(assumed)
        best = paths[0].stake if paths else 0.0
        more = f" (strongest chain {best:.1%}; other chains or cross-holdings add the rest)" if eff[s] > best + 1e-9 else ""
        terms.append((v, f"{ga.ids[s]} holds {eff[s]:.1%} effectively x weight {ga.state_weight[s]:.2f}{more}: {chain}"))
    terms.sort(key=lambda t: (-t[0], t[1]))
    return _capped(terms)


def _kind_selection(name: str) -> Callable[[GraphArrays, np.ndarray], np.ndarray]:
    def sel(ga: GraphArrays, selected: np.ndarray) -> np.ndarray:
        k = ga.state_kind
        if name == "state_lab_university_ties":
            return selected & (k == _kind(ga, "university_or_lab"))
        if name == "state_commercial_ties":
            return selected & ~np.isin(k, [_kind(ga, "university_or_lab"), _kind(ga, "programme")])
        return selected & (k == _kind(ga, "programme"))
    return sel


def _tie_terms(name: str, relations: tuple[str, ...]) -> Callable[[GraphArrays, np.ndarray, int], list[Term]]:
    def terms(ga: GraphArrays, selected: np.ndarray, node: int) -> list[Term]:
        mask = ga.rel_mask(*relations) if relations else ga.rel_weight() > 0
        return _noisy_or_terms(ga, _kind_selection(name)(ga, selected), mask, node)
    terms.__doc__ = f"The ties counted by {name}, as additive terms of its noisy-or."
    return terms


def state_diffusion_terms(ga: GraphArrays, selected: np.ndarray, node: int) -> list[Term]:
    """The last diffusion round at ``node``: one term per weighted fact, decay x relation weight x the neighbour's value one round before.

    A state actor whose own weight exceeds what its neighbours bring counts its weight alone.
    """
    from cnaikg.queries.explain import describe_fact

    hops = int(ga.config.parameters.get("diffusion_hops", 4))
    key = ("diffusion_prev", hops, selected.tobytes())
    if key not in ga._cache:
        ga._cache[key] = state_diffusion_arrays(ga, selected, hops=hops - 1)
    prev = ga._cache[key]
    base = float(ga.state_weight[node]) if selected[node] else 0.0
    decay = float(ga.config.parameters["diffusion_decay"])
    w = ga.rel_weight()
    # parallel facts with one neighbour add their weights (capped at 1), as in the diffusion itself
    by_nb: dict[int, list[int]] = {}
    for e in np.flatnonzero((w > 0) & (ga.src != ga.dst) & ((ga.src == node) | (ga.dst == node))):
        by_nb.setdefault(int(ga.dst[e]) if ga.src[e] == node else int(ga.src[e]), []).append(int(e))
    ties = []
    for u, es in by_nb.items():
        a = min(sum(decay * float(w[e]) for e in es), 1.0)
        t = min(a * float(prev[u]), 1.0)
        if t > 0:
            es.sort(key=lambda e: (-w[e], e))
            rels = " + ".join(f"{w[e]:.2f} {ga.rel_names[int(ga.rel[e])]}" for e in es)
            more = f" (+{len(es) - 1} more facts)" if len(es) > 1 else ""
            ties.append((t, f"via {ga.ids[u]} (its value {prev[u]:.3f} x min(1, {decay:g} x ({rels})) = {t:.4f}): {describe_fact(ga, es[0])}{more}"))
    terms = sequential_terms(ties)
    if base > 0 and base >= sum(v for v, _ in terms) - 1e-15:
        return [(base, f"{ga.ids[node]} is itself a state actor of weight {base:.2f} (more than its ties bring)")]
    return terms


def _kind(ga: GraphArrays, name: str) -> int:
    return ga.kind_names.index(name) if name in ga.kind_names else -2


#: The declared components, in the order of the README table; weights come from [proximity_weights].
COMPONENTS: tuple[Component, ...] = (
    Component("direct_state_equity", direct_state_equity, "stake held directly by state actors, weighted by actor weight; unknown stakes count 5%",
              ("OWNS", "INVESTS_IN", "SUBSIDIARY_OF"), direct_state_equity_terms),
    Component("lookthrough_state_equity", lookthrough_state_equity, "effective stake of state actors through chains of non-state holders, cycles included",
              ("OWNS", "INVESTS_IN", "SUBSIDIARY_OF"), lookthrough_state_equity_terms),
    Component("state_lab_university_ties", state_lab_university_ties, "noisy-or of ties (any weighted relation) to state universities and labs", (),
              _tie_terms("state_lab_university_ties", ())),
    Component("state_commercial_ties", state_commercial_ties, "noisy-or of partnerships and supply ties (either way) with state funds, ministries and SOEs",
              ("PARTNERS_WITH", "SUPPLIES"), _tie_terms("state_commercial_ties", ("PARTNERS_WITH", "SUPPLIES"))),
    Component("state_programmes", state_programmes, "noisy-or of memberships of state programmes", ("MEMBER_OF",),
              _tie_terms("state_programmes", ("MEMBER_OF",))),
    Component("state_diffusion", state_diffusion, "noisy-or diffusion from state actors over every weighted fact, damped by 0.3 per hop, over at most 4 hops", (),
              state_diffusion_terms),
)


def _diffusion_edges(ga: GraphArrays) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Weighted facts in both directions, sorted by head: (tail, decay x weight, heads with input, their start offsets)."""
    if "diffusion_edges" not in ga._cache:
        decay = float(ga.config.parameters["diffusion_decay"])
        w = ga.rel_weight()
        keep = (w > 0) & (ga.src != ga.dst)
        s, d, w = ga.src[keep], ga.dst[keep], w[keep] * decay
        u, v, a = np.concatenate([s, d]), np.concatenate([d, s]), np.concatenate([w, w])
        # group by head with a counting sort (CSR construction keeps duplicates and their order)
        M = sp.csr_matrix((a, (v, u)), shape=(ga.n, ga.n))
        u, a = M.indices.astype(np.int64), M.data
        counts = np.diff(M.indptr)
        heads = np.flatnonzero(counts)
        starts = M.indptr[heads]
        ga._cache["diffusion_edges"] = (u, np.minimum(a, 1.0), heads, starts)
    return ga._cache["diffusion_edges"]


def state_diffusion_arrays(ga: GraphArrays, selected: np.ndarray | None = None, *, bases: np.ndarray | None = None, hops: int | None = None) -> np.ndarray:
    """The diffusion term on arrays: ``diffusion_hops`` rounds of p(v) = max(w_v, 1 - prod_{facts u-v} (1 - a_uv p(u))).

    Starts from the state actors' weights (``selected`` ones, or every column
    of ``bases``, n x K, for K selections at once). Every round is monotone
    in the facts, so adding a tie never lowers the result; a node more than
    ``hops`` facts from every state actor gets 0.
    """
    hops = int(ga.config.parameters.get("diffusion_hops", 4)) if hops is None else hops
    if bases is None:
        sel = ga.is_state if selected is None else selected
        return state_diffusion_arrays(ga, bases=np.where(sel, ga.state_weight, 0.0)[:, None], hops=hops)[:, 0]
    u, a, heads, starts = _diffusion_edges(ga)
    # columns x nodes layout (reductions along contiguous rows); float32 on large graphs
    dtype = np.float64 if ga.n <= int(ga.config.parameters.get("exact_max_nodes", 5000)) else np.float32
    base = np.ascontiguousarray(np.asarray(bases, dtype=np.float64).T, dtype=dtype)
    x = base.copy()
    if not len(u):
        return x.T.astype(np.float64)
    a = a.astype(dtype)
    for _ in range(hops):
        active = np.flatnonzero(x.max(axis=0)[u] > 0)
        if not len(active):
            break
        ua, va_start = u[active], _segments(starts, active)
        with np.errstate(divide="ignore"):
            term = np.log1p(-np.minimum(a[active][None, :] * x[:, ua], 1.0))
        grp, first = va_start
        hid = heads[grp]
        logs = np.add.reduceat(term, first, axis=1)
        x_new = base.copy()
        x_new[:, hid] = np.maximum(base[:, hid], 1.0 - np.exp(logs))
        if np.array_equal(x_new, x):
            break
        x = x_new
    return x.T.astype(np.float64)


def _segments(starts: np.ndarray, active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For active edge positions (sorted, grouped by head): (head index into ``starts``' heads, first position of each group)."""
    grp = np.searchsorted(starts, active, side="right") - 1
    first = np.flatnonzero(np.r_[True, grp[1:] != grp[:-1]])
    return grp[first], first


def proximity_by_kind(ga: GraphArrays) -> dict[str, np.ndarray]:
    """Policy proximity counting only one kind of state actor, for every kind (diffusion run for all kinds at once)."""
    return proximity_all(ga)[2]


def proximity_all(ga: GraphArrays) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(score, {component: values}, {kind: score counting only that kind}) with one batched diffusion for all of them."""
    weights = ga.config.proximity_weights
    total = sum(float(weights[c.name]) for c in COMPONENTS)
    present = [i for i in range(len(ga.kind_names)) if (ga.state_kind == i).any()]
    sels = [ga.is_state] + [ga.state_kind == i for i in present]
    diff = state_diffusion_arrays(ga, bases=np.stack([np.where(s, ga.state_weight, 0.0) for s in sels], axis=1))

    def score_of(sel: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        comps = {c.name: (d if c.name == "state_diffusion" else np.clip(c.function(ga, sel), 0.0, 1.0)) for c in COMPONENTS}
        score = sum(float(weights[c.name]) * comps[c.name] for c in COMPONENTS) / total
        return np.clip(score, 0.0, 1.0), comps

    score, comps = score_of(sels[0], np.clip(diff[:, 0], 0.0, 1.0))
    by_kind = {k: np.zeros(ga.n) for k in ga.kind_names}
    for j, i in enumerate(present, start=1):
        by_kind[ga.kind_names[i]] = score_of(sels[j], np.clip(diff[:, j], 0.0, 1.0))[0]
    return score, comps, by_kind


def proximity_arrays(ga: GraphArrays, *, kind: str | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(policy proximity of every node, {component name: values}), restricted to state actors of ``kind`` if given."""
    sel = ga.is_state if kind is None else ga.state_kind == ga.kind_names.index(kind)
    weights = ga.config.proximity_weights
    comps = {c.name: np.clip(c.function(ga, sel), 0.0, 1.0) for c in COMPONENTS}
    total = sum(float(weights[c.name]) for c in COMPONENTS)
    score = sum(float(weights[c.name]) * comps[c.name] for c in COMPONENTS) / total
    return np.clip(score, 0.0, 1.0), comps


def _config(weights: Mapping[str, float] | None, config: StateConfig | None) -> StateConfig:
    return (config or load_state_actors()).with_weights(weights)


def policy_proximity(kg: Any, *, as_of: Any = None, weights: Mapping[str, float] | None = None, kind: str | None = None, config: StateConfig | None = None) -> "Any":
    """Policy proximity in [0, 1] of every company, as a pandas Series indexed by id (sorted).

    ``weights`` overrides component weights of data/state_actors.toml;
    ``kind`` restricts the state actors to one kind (e.g. ``central_fund``).

    >>> from cnaikg.graph import build_graph
    >>> pp = policy_proximity(build_graph())
    >>> 0.0 <= float(pp.min()) and float(pp.max()) <= 1.0
    True
    """
    ga = graph_arrays(kg, as_of=as_of, config=_config(weights, config))
    score, _ = proximity_arrays(ga, kind=kind)
    return as_series_ids(ga, score, ga.type_mask("company"))


def proximity_components(kg: Any, *, as_of: Any = None, weights: Mapping[str, float] | None = None, config: StateConfig | None = None) -> "Any":
    """Every component of every company as a DataFrame (one column per component, values in [0, 1]).

    >>> from cnaikg.graph import build_graph
    >>> list(proximity_components(build_graph()).columns)[:2]
    ['direct_state_equity', 'lookthrough_state_equity']
    """
    import pandas as pd

    ga = graph_arrays(kg, as_of=as_of, config=_config(weights, config))
    _, comps = proximity_arrays(ga)
    mask = ga.type_mask("company")
    return pd.DataFrame({k: v[mask] for k, v in comps.items()}, index=pd.Index(np.asarray(ga.ids, dtype=object)[mask], name="id"))


def component_table(config: StateConfig | None = None) -> list[dict[str, Any]]:
    """The declared components with their weights and descriptions (for the README and `cnaikg explain`).

    >>> component_table()[0]["component"]
    'direct_state_equity'
    """
    cfg = config or load_state_actors()
    def first_paragraph(doc: str | None) -> str:
        return " ".join((doc or "").strip().split("\n\n")[0].split())

    return [{"component": c.name, "weight": float(cfg.proximity_weights[c.name]), "meaning": first_paragraph(c.function.__doc__)} for c in COMPONENTS]
