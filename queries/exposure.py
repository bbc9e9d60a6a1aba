"""Export-control exposure: on a list, listed suppliers and customers, and the 50% affiliates rule, each with its cause.

The affiliates rule (BIS, 29 September 2025, extending Entity List
restrictions to entities owned 50% or more by listed parties) is computed as
an ownership condition: an entity is covered when one listed holder owns 50%
or more of it effectively (look-through, see cnaikg.queries.ownership).
Which lists the rule applies to is the ``affiliate_rule_lists`` parameter of
data/state_actors.toml; whether the rule was legally in force on a date is
not modelled.

>>> from cnaikg.graph import build_graph
>>> ex = export_control_exposure(build_graph())
>>> bool(ex.loc["smic", "on_export_control_list"])
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from cnaikg.queries.arrays import GraphArrays, graph_arrays

__all__ = ["exposure_arrays", "export_control_exposure", "exposure_reasons"]


def _on_list(ga: GraphArrays, lists: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(on-list mask, edge indices of ON_LIST facts) for any list or for the list nodes in ``lists``."""
    m = ga.rel_mask("ON_LIST")
    if lists is not None:
        m &= lists[ga.dst]
    on = np.zeros(ga.n, dtype=bool)
    on[ga.src[m]] = True
    return on, np.flatnonzero(m)


def exposure_arrays(ga: GraphArrays) -> dict[str, np.ndarray]:
    """Columns of export-control exposure for every node (see the README's features table)."""
    from cnaikg.queries.ownership import _effective

    on, _ = _on_list(ga)
    sup = ga.rel_mask("SUPPLIES")
    s, d = ga.src[sup], ga.dst[sup]
    pairs = sp.csr_matrix((np.ones(len(s)), (s, d)), shape=(ga.n, ga.n)).tocoo()  # distinct supplier-customer pairs
    s, d = pairs.row, pairs.col
    listed_sup = np.bincount(d[on[s] & (s != d)], minlength=ga.n)
    listed_cust = np.bincount(s[on[d] & (s != d)], minlength=ga.n)
    names = set(ga.config.parameters.get("affiliate_rule_lists") or [])
    lists = np.array([i in names for i in ga.ids]) if names else ga.type_mask("sanctions_list")
    rule_on, _ = _on_list(ga, lists)
    E = _effective(ga)
    owner = np.full(ga.n, -1, dtype=np.int64)
    stake = np.zeros(ga.n)
    coo = E.tocoo()
    m = rule_on[coo.row] & (coo.data >= 0.5 - 1e-12) & (coo.row != coo.col)
    h, c, v = coo.row[m], coo.col[m], coo.data[m]
    order = np.lexsort((h, -v, c))
    h, c, v = h[order], c[order], v[order]
    first = np.ones(len(c), dtype=bool)
    first[1:] = c[1:] != c[:-1]
    owner[c[first]], stake[c[first]] = h[first], v[first]
    return {
        "on_export_control_list": on,
        "listed_suppliers": listed_sup.astype(np.int64),
        "listed_customers": listed_cust.astype(np.int64),
        "affiliate_rule_covered": owner >= 0,
        "affiliate_rule_owner": owner,
        "affiliate_rule_stake": stake,
    }


def export_control_exposure(kg: Any, *, as_of: Any = None) -> "Any":
    """Exposure of every company as a DataFrame by id: on a list, which lists, listed suppliers/customers, affiliates rule.

    >>> from cnaikg.graph import build_graph
    >>> list(export_control_exposure(build_graph()).columns)[:2]
    ['on_export_control_list', 'export_lists']
    """
    import pandas as pd

    ga = graph_arrays(kg, as_of=as_of)
    ex = exposure_arrays(ga)
    mask = ga.type_mask("company")
    ids = np.asarray(ga.ids, dtype=object)
    _, lidx = _on_list(ga)
    lists: dict[int, set[str]] = {}
    for i in lidx:
        lists.setdefault(int(ga.src[i]), set()).add(ga.ids[int(ga.dst[i])])
    df = pd.DataFrame(
        {
            "on_export_control_list": ex["on_export_control_list"][mask],
            "export_lists": ["|".join(sorted(lists.get(int(k), ()))) for k in np.flatnonzero(mask)],
            "listed_suppliers": ex["listed_suppliers"][mask],
            "listed_customers": ex["listed_customers"][mask],
            "affiliate_rule_covered": ex["affiliate_rule_covered"][mask],
            "affiliate_rule_owner": [ga.ids[o] if o >= 0 else "" for o in ex["affiliate_rule_owner"][mask]],
            "affiliate_rule_stake": ex["affiliate_rule_stake"][mask],
        },
        index=pd.Index(ids[mask], name="id"),
    )
    return df


def exposure_reasons(ga: GraphArrays, node: int) -> list[str]:
    """Why ``node`` is exposed: each listing, listed supplier or customer, and affiliates-rule chain, with its facts."""
    from cnaikg.queries.explain import describe_fact
    from cnaikg.queries.ownership import ownership_paths

    out = []
    on, lidx = _on_list(ga)
    for i in lidx[ga.src[lidx] == node]:
        out.append(f"on {ga.ids[int(ga.dst[i])]}: {describe_fact(ga, int(i))}")
    sup = np.flatnonzero(ga.rel_mask("SUPPLIES"))
    for i in sup:
        a, b = int(ga.src[i]), int(ga.dst[i])
        if b == node and on[a] and a != b:
            out.append(f"listed supplier {ga.ids[a]}: {describe_fact(ga, int(i))}")
        if a == node and on[b] and a != b:
            out.append(f"listed customer {ga.ids[b]}: {describe_fact(ga, int(i))}")
    ex = exposure_arrays(ga)
    o = int(ex["affiliate_rule_owner"][node])
    if o >= 0:
        paths = ownership_paths(ga, o, node, k=1)
        chain = " ; ".join(describe_fact(ga, None, f) for f in paths[0].facts) if paths else ""
        out.append(f"affiliates rule: {ga.ids[o]} owns {ex['affiliate_rule_stake'][node]:.0%} effectively: {chain}")
    return out
