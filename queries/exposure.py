"""Export-control exposure: on a list, listed suppliers and customers, and the affiliates rule, each with its cause.

The affiliates rule (data/rules.toml: BIS, effective 29 September 2025,
suspended 10 November 2025 through 9 November 2026) is applied only on dates
it was in force. An entity is covered when one or more listed parties own 50%
or more of it, directly or indirectly, individually or in the aggregate; as in
OFAC's 50 percent guidance (FAQ 401), "indirectly" cascades: an entity that is
covered counts as a listed party for the entities it owns, with its full
stake. So coverage is the least set C with

    c in C  <=>  sum over holders h in (listed or C) of W[h, c] >= 50%

(W = direct stakes), found by adding covered entities round by round; a
cross-holding among uncovered entities never covers itself.

>>> from cnaikg.graph import build_graph
>>> ex = export_control_exposure(build_graph())
>>> bool(ex.loc["smic", "on_export_control_list"])
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from cnaikg.queries.arrays import GraphArrays, graph_arrays
from cnaikg.queries.rules import Rule, RuleStatus, affiliates_rule

__all__ = ["exposure_arrays", "export_control_exposure", "exposure_reasons", "affiliates_coverage", "affiliates_reasons", "AffiliatesCoverage"]


def _on_list(ga: GraphArrays, lists: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(on-list mask, edge indices of ON_LIST facts) for any list or for the list nodes in ``lists``."""
    m = ga.rel_mask("ON_LIST")
    if lists is not None:
        m &= lists[ga.dst]
    on = np.zeros(ga.n, dtype=bool)
    on[ga.src[m]] = True
    return on, np.flatnonzero(m)


def exposure_arrays(ga: GraphArrays) -> dict[str, np.ndarray]:
    """Columns of export-control exposure for every node (see docs/scores.md, the features table)."""
    on, _ = _on_list(ga)
    sup = ga.rel_mask("SUPPLIES")
    s, d = ga.src[sup], ga.dst[sup]
    pairs = sp.csr_matrix((np.ones(len(s)), (s, d)), shape=(ga.n, ga.n)).tocoo()  # distinct supplier-customer pairs
    s, d = pairs.row, pairs.col
    listed_sup = np.bincount(d[on[s] & (s != d)], minlength=ga.n)
    listed_cust = np.bincount(s[on[d] & (s != d)], minlength=ga.n)
    aff = affiliates_coverage(ga)
    return {
        "on_export_control_list": on,
        "listed_suppliers": listed_sup.astype(np.int64),
        "listed_customers": listed_cust.astype(np.int64),
        "affiliate_rule_in_force": np.full(ga.n, aff.status.in_force, dtype=bool),
        "affiliate_rule_covered": aff.covered,
        "affiliate_rule_owners": aff.owner_text(ga),
        "affiliate_rule_stake": aff.stake,
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
            "affiliate_rule_in_force": ex["affiliate_rule_in_force"][mask],
            "affiliate_rule_covered": ex["affiliate_rule_covered"][mask],
            "affiliate_rule_owners": ex["affiliate_rule_owners"][mask],
            "affiliate_rule_stake": ex["affiliate_rule_stake"][mask],
        },
        index=pd.Index(ids[mask], name="id"),
    )
    return df


def exposure_reasons(ga: GraphArrays, node: int) -> list[str]:
    """Why ``node`` is exposed: each listing, listed supplier or customer, and affiliates-rule chain, with its facts."""
    from cnaikg.queries.explain import describe_fact

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
    out += affiliates_reasons(ga, node)
    return out


@dataclass(frozen=True)
class AffiliatesCoverage:
    """The affiliates rule on one graph view: its status, who it would cover and who it covers, with the stakes.

    ``would_cover`` is the ownership test alone; ``covered`` is that test on a
    date the rule was in force. ``round[v]`` is the cascade round in which v
    became covered (0 for listed parties, -1 for neither); ``stake[v]`` the
    aggregate direct stake of listed and covered holders in v.
    """

    status: RuleStatus
    listed: np.ndarray
    would_cover: np.ndarray
    round: np.ndarray
    stake: np.ndarray

    @property
    def covered(self) -> np.ndarray:
        """Covered on the view's date: the ownership test, where the rule was in force."""
        return self.would_cover & self.status.in_force

    def owner_text(self, ga: GraphArrays) -> np.ndarray:
        """For each covered node, its listed or covered direct holders, largest stake first, joined by | (else empty)."""
        W = ga.holdings().tocsc()
        tainted = self.round >= 0
        out = np.full(ga.n, "", dtype=object)
        for c in np.flatnonzero(self.covered):
            lo, hi = W.indptr[c], W.indptr[c + 1]
            rows = sorted(((-float(v), ga.ids[int(h)]) for h, v in zip(W.indices[lo:hi], W.data[lo:hi]) if tainted[h] and h != c))
            out[c] = "|".join(i for _, i in rows)
        return out


def affiliates_coverage(ga: GraphArrays, *, rule: Rule | None = None) -> AffiliatesCoverage:
    """Apply the affiliates rule to ``ga``: listed parties, the covered set (least fixed point) and aggregate stakes.

    A holds 30% and B 25% of C (both listed): C is covered in the aggregate.

    >>> import numpy as np, scipy.sparse as sp
    >>> from cnaikg.queries.arrays import GraphArrays
    >>> from cnaikg.queries.state import load_state_actors
    >>> ga = GraphArrays(["a", "b", "c", "us-entity-list"], np.zeros(4, dtype=np.int16), ["company"], np.array([0, 1, 0, 1]),
    ...                  np.array([2, 2, 3, 3]), np.array([1, 1, 0, 0], dtype=np.int16), ["ON_LIST", "OWNS"],
    ...                  np.array([0.30, 0.25, np.nan, np.nan]), np.full(4, -1, dtype=np.int16), np.zeros(4), [],
    ...                  load_state_actors())
    >>> cov = affiliates_coverage(ga)          # undated: applied, and says so
    >>> bool(cov.covered[2]), round(float(cov.stake[2]), 2), cov.status.text()
    (True, 0.55, 'BIS Affiliates Rule (Entity List 50 percent rule): no date given, applied as if in force')
    """
    rule = rule or affiliates_rule()
    key = ("affiliates", rule.id, id(rule))
    if key in ga._cache:
        return ga._cache[key]
    status = rule.on(ga.as_of)
    names = set(rule.lists)
    lists = np.array([i in names for i in ga.ids], dtype=bool) if ga.n else np.zeros(0, dtype=bool)
    listed, _ = _on_list(ga, lists)
    WT = ga.holdings().T.tocsr()
    rnd = np.where(listed, 0, -1).astype(np.int64)
    tainted = listed.copy()
    thr = rule.threshold - 1e-9
    k = 0
    while True:
        agg = WT @ tainted.astype(np.float64)
        new = (agg >= thr) & ~tainted
        if not new.any():
            break
        k += 1
        rnd[new] = k
        tainted |= new
    would = tainted & ~listed
    res = AffiliatesCoverage(status, listed, would, rnd, np.minimum(agg, 1.0))
    ga._cache[key] = res
    return res


def _listed_holders(ga: GraphArrays, aff: AffiliatesCoverage, node: int) -> str:
    W = ga.holdings().tocsc()
    lo, hi = W.indptr[node], W.indptr[node + 1]
    rows = sorted(((-float(v), ga.ids[int(h)]) for h, v in zip(W.indices[lo:hi], W.data[lo:hi]) if aff.round[h] >= 0 and h != node))
    return ", ".join(f"{i} {-v:.1%}" for v, i in rows)


def affiliates_reasons(ga: GraphArrays, node: int, *, max_depth: int = 8) -> list[str]:
    """Why the affiliates rule covers ``node`` (or would, or does not apply): every holder's stake and chain to a listed party.

    The first line gives the rule's status on the view's date and the
    aggregate; each following line is one term of that aggregate (a listed or
    covered holder's direct stake, with its fact), and under a covered holder
    the terms that cover it in turn, down to listed parties.
    """
    from cnaikg.queries.explain import describe_fact
    from cnaikg.queries.ownership import _holding_fact, stake_note

    aff = affiliates_coverage(ga)
    thr = affiliates_rule().threshold
    if not aff.would_cover[node]:
        if aff.stake[node] > 0 and not aff.listed[node]:
            return [f"affiliates rule: {aff.status.text()}; {ga.ids[node]} not covered: listed or covered parties hold "
                    f"{aff.stake[node]:.1%} (< {thr:.0%}); holders: {_listed_holders(ga, aff, node)}"]
        return []
    W = ga.holdings().tocsc()
    verdict = "covered" if aff.covered[node] else "would be covered"
    out = [f"affiliates rule: {aff.status.text()}; {ga.ids[node]} {verdict}: listed or covered parties hold {aff.stake[node]:.1%} "
           f"(>= {thr:.0%}) directly or through covered entities"]

    def terms(c: int, depth: int, seen: frozenset[int]) -> None:
        lo, hi = W.indptr[c], W.indptr[c + 1]
        # holders covered before c (round < c's round) make up its aggregate: no term refers back to c
        rows = sorted(((-float(v), ga.ids[int(h)], int(h)) for h, v in zip(W.indices[lo:hi], W.data[lo:hi])
                       if 0 <= aff.round[h] < aff.round[c] and h != c))
        for negv, hid, h in rows:
            f = _holding_fact(ga, h, c)
            why = "listed" if aff.listed[h] else "covered"
            fact = describe_fact(ga, None, f) if f is not None else f"{hid} holds {ga.ids[c]}"
            out.append(f"{'  ' * depth}{-negv:.1%}{stake_note(ga, f)} held by {hid} ({why}): {fact}")
            if not aff.listed[h] and depth < max_depth and h not in seen:
                out.append(f"{'  ' * (depth + 1)}{hid} is covered: listed or covered parties hold {aff.stake[h]:.1%}")
                terms(h, depth + 2, seen | {h})

    terms(node, 1, frozenset({node}))
    return out
