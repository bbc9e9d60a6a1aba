"""A seeded synthetic registry-shaped graph, built straight into GraphArrays (numpy edge columns), never networkx.

Shape: ``n`` nodes, almost all companies, plus a few hundred state actors of
every kind and two export-control lists; ``edges_per_node * n`` typed edges
whose endpoints follow power laws (a few hubs, a long tail); stakes on every
ownership edge, scaled so that no company's holders hold more than 90% of it;
state actors invest in companies; some companies are on a list.

    python benchmarks/synthetic.py --nodes 100000      # prints a summary of the generated graph

>>> ga = synthetic_registry(5000, seed=1)
>>> ga.n, len(ga.src) >= 5 * 5000 * 0.95, int(ga.is_state.sum()) >= 100
(5000, True, True)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cnaikg.graph.ontology import load_ontology  # noqa: E402
from cnaikg.queries.arrays import GraphArrays  # noqa: E402
from cnaikg.queries.state import load_state_actors  # noqa: E402

# share of edges per relationship type (the rest of the ontology's types get none)
RELATION_MIX = {
    "SUPPLIES": 0.22, "PARTNERS_WITH": 0.10, "OWNS": 0.10, "INVESTS_IN": 0.10, "SUBSIDIARY_OF": 0.04,
    "AFFILIATED_WITH": 0.07, "USES": 0.07, "LOCATED_IN": 0.10, "HOLDS": 0.05, "MEMBER_OF": 0.02,
    "FOUNDED_BY": 0.05, "DEVELOPS": 0.05, "LISTED_ON": 0.03,
}
# state actors by (entity type, category, kind)
STATE_MIX = [("state_fund", "central", "central_fund", 60), ("state_fund", "local", "local_fund", 100),
             ("government_body", "ministry", "ministry", 30), ("government_body", "local_government", "ministry", 20),
             ("university", "", "university_or_lab", 50), ("research_lab", "state", "university_or_lab", 30),
             ("company", "soe", "soe", 40), ("program", "", "programme", 20)]


def _powerlaw_nodes(rng: np.random.Generator, n: int, size: int, exponent: float) -> np.ndarray:
    """``size`` node draws with P(node of rank r) ~ r^-exponent over a random permutation of n nodes."""
    cdf = np.cumsum((np.arange(1, n + 1, dtype=np.float64)) ** -exponent)
    cdf /= cdf[-1]
    ranks = np.searchsorted(cdf, rng.random(size))
    return rng.permutation(n)[np.minimum(ranks, n - 1)]


def synthetic_registry(n: int, *, edges_per_node: float = 5.0, seed: int = 1, state_scale: float = 1.0) -> GraphArrays:
    """A registry-shaped GraphArrays with ``n`` nodes and about ``edges_per_node * n`` edges (seeded, deterministic)."""
    rng = np.random.default_rng(seed)
    cfg = load_state_actors()
    onto = load_ontology()
    type_names = sorted(onto.entity_types)
    rel_names = sorted(onto.relation_types)
    kind_names = list(cfg.kinds)
    node_type = np.full(n, type_names.index("company"), dtype=np.int16)
    state_kind = np.full(n, -1, dtype=np.int16)
    state_weight = np.zeros(n)
    # the first rows are state actors and lists (positions carry no meaning: endpoints are permuted)
    pos = 0
    for etype, _cat, kind, count in STATE_MIX:
        c = max(1, int(count * state_scale))
        node_type[pos : pos + c] = type_names.index(etype)
        state_kind[pos : pos + c] = kind_names.index(kind)
        state_weight[pos : pos + c] = cfg.kinds[kind].weight
        pos += c
    n_state = pos
    lists = np.arange(pos, pos + 2)
    node_type[lists] = type_names.index("sanctions_list")
    pos += 2
    rels = np.array(list(RELATION_MIX))
    # state actors invest in companies: about 60 investments each (at most 10% of the edges), power-law targets
    k = min(60 * n_state, int(0.1 * edges_per_node * n))
    s_src = rng.integers(0, n_state, k)
    s_dst = _powerlaw_nodes(rng, n, k, 0.9)
    s_rel = np.full(k, list(rels).index("INVESTS_IN"))
    # programme membership and list entries
    prog = np.flatnonzero(state_kind == kind_names.index("programme"))
    k2 = max(1, n // 200)
    # the rest of the edge budget (edges_per_node * n in all): typed edges between power-law endpoints
    m = max(0, int(edges_per_node * n) - k - 2 * k2)
    p = np.array(list(RELATION_MIX.values()))
    rel = rng.choice(len(rels), size=m, p=p / p.sum())
    src = _powerlaw_nodes(rng, n, m, 0.6)
    dst = _powerlaw_nodes(rng, n, m, 0.9)
    p_src, p_dst = rng.integers(pos, n, k2), rng.choice(prog, k2)
    l_src, l_dst = rng.integers(pos, n, k2), rng.choice(lists, k2)
    rel_codes = np.array([rel_names.index(r) for r in rels])
    all_src = np.concatenate([src, s_src, p_src, l_src]).astype(np.int64)
    all_dst = np.concatenate([dst, s_dst, p_dst, l_dst]).astype(np.int64)
    all_rel = np.concatenate([rel_codes[rel], rel_codes[s_rel], np.full(k2, rel_names.index("MEMBER_OF")),
                              np.full(k2, rel_names.index("ON_LIST"))]).astype(np.int16)
    keep = all_src != all_dst
    all_src, all_dst, all_rel = all_src[keep], all_dst[keep], all_rel[keep]
    # stakes on ownership edges, scaled so that each company's holders hold at most 90%
    own = np.isin(all_rel, [rel_names.index(r) for r in ("OWNS", "INVESTS_IN", "SUBSIDIARY_OF")])
    stake = np.full(len(all_src), np.nan)
    st = rng.beta(0.7, 2.0, int(own.sum()))
    held = np.where(all_rel[own] == rel_names.index("SUBSIDIARY_OF"), all_src[own], all_dst[own])
    total = np.bincount(held, weights=st, minlength=n)
    scale = np.where(total > 0.9, 0.9 / np.maximum(total, 1e-12), 1.0)
    stake[own] = st * scale[held]
    ids = [f"n{i}" for i in range(n)]
    ids[int(lists[0])] = "us-entity-list"  # the list the affiliates rule (data/rules.toml) extends, so the benchmark exercises it
    return GraphArrays(
        ids=ids, node_type=node_type, type_names=type_names, src=all_src, dst=all_dst, rel=all_rel,
        rel_names=rel_names, stake=stake, state_kind=state_kind, state_weight=state_weight, kind_names=kind_names, config=cfg,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--edges-per-node", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t = time.perf_counter()
    ga = synthetic_registry(a.nodes, edges_per_node=a.edges_per_node, seed=a.seed)
    deg = np.bincount(ga.src, minlength=ga.n) + np.bincount(ga.dst, minlength=ga.n)
    print(f"{ga.n} nodes, {len(ga.src)} edges, {int(ga.is_state.sum())} state actors, max degree {deg.max()}, "
          f"median degree {int(np.median(deg))}, generated in {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
