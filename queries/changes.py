"""Score changes between two dates: the companies that moved most and the facts that moved them.

>>> from cnaikg.graph import build_graph
>>> ch = score_changes(build_graph(), start="2020-01-01", end="2025-06-30", top=3)
>>> len(ch) <= 3 and list(ch.columns)[:4] == ["id", "name", "before", "after"]
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["score_changes"]


def _path_fact_ids(ga: Any, node: int) -> set[str]:
    from cnaikg.queries.explain import best_state_paths
    from cnaikg.queries.ownership import ownership_paths

    ids = {h.fact_id for p in best_state_paths(ga, node, k=5) for h in p.hops}
    col = ga.holdings().getcol(node).tocoo()
    for h in col.row:
        for path in ownership_paths(ga, int(h), node, k=1):
            ids |= {f.id for f in path.facts if f is not None}
    return ids


def score_changes(kg: Any, *, start: Any, end: Any, column: str = "policy_proximity", top: int = 10, min_delta: float = 1e-9) -> "Any":
    """The ``top`` companies whose ``column`` moved most (absolute) from ``start`` to ``end``, with the facts behind it.

    ``facts`` lists facts that became known and valid (+) or stopped holding
    (-) between the dates and touch the company or lie on its strongest paths
    to state actors or its ownership chains, at either date.
    """
    import pandas as pd

    from cnaikg.queries.arrays import graph_arrays
    from cnaikg.queries.explain import describe_fact
    from cnaikg.queries.features import features

    a, b = kg.as_of(start), kg.as_of(end)
    fa, fb = features(a), features(b)
    if column not in fb.columns or not np.issubdtype(fb[column].dtype, np.number):
        from cnaikg.errors import KGError

        numeric = [c for c in fb.columns if np.issubdtype(fb[c].dtype, np.number) and fb[c].dtype != bool]
        raise KGError(f"{column!r} is not a numeric features column; use one of {', '.join(numeric[:12])}, ...")
    before = fa[column].reindex(fb.index.union(fa.index)).fillna(0.0)
    after = fb[column].reindex(before.index).fillna(0.0)
    delta = after - before
    moved = delta[delta.abs() > min_delta]
    order = sorted(moved.index, key=lambda i: (-abs(moved[i]), i))[:top]
    fa_ids = {f.id: f for f in a.facts()}
    fb_ids = {f.id: f for f in b.facts()}
    added = [fb_ids[i] for i in sorted(set(fb_ids) - set(fa_ids))]
    removed = [fa_ids[i] for i in sorted(set(fa_ids) - set(fb_ids))]
    ga_a, ga_b = graph_arrays(a), graph_arrays(b)
    rows = []
    for cid in order:
        on_paths = set()
        for ga in (ga_a, ga_b):
            if cid in ga.index:
                on_paths |= _path_fact_ids(ga, ga.index[cid])
        why = []
        rw = ga_b.config.relation_weights
        for sign, facts in (("+", added), ("-", removed)):
            for f in facts:
                if float(rw.get(f.relation, 0.0)) <= 0 and f.relation != "ON_LIST":
                    continue  # a fact of weight 0 moves no score
                incident = cid in (f.subject, f.object)
                if not (incident or f.id in on_paths):
                    continue
                other = f.object if f.subject == cid else f.subject
                state = any(other in ga.index and ga.state_kind[ga.index[other]] >= 0 for ga in (ga_a, ga_b))
                rank = 0 if (state and incident) else (1 if f.id in on_paths else 2)
                why.append((rank, f.since or "", f"{sign} {describe_fact(ga_b, None, f)}"))
        why.sort()
        name = b.entity(cid).name if cid in b else a.entity(cid).name
        rows.append({"id": cid, "name": name, "before": float(before[cid]), "after": float(after[cid]), "delta": float(delta[cid]),
                     "facts": [w[2] for w in why[:8]] + ([f"... and {len(why) - 8} more"] if len(why) > 8 else [])})
    return pd.DataFrame(rows, columns=["id", "name", "before", "after", "delta", "facts"])
