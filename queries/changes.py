"""Score changes between two dates: the companies that moved most and the facts that moved them, each labelled.

A fact that counts at the later date and not at the earlier one either
**became true** in the window (its ``since`` lies in it) or **became known**
in it (it was already true at the earlier date by its own dates, but its first
source was published inside the window); a fact that counted before and not
after **ended** (its ``until`` lies in the window). A backtest must not read a
"became known" fact as news about the company's ties changing.

>>> from cnaikg.graph import build_graph
>>> ch = score_changes(build_graph(), start="2020-01-01", end="2025-06-30", top=3)
>>> len(ch) <= 3 and list(ch.columns)[:4] == ["id", "name", "before", "after"]
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["score_changes", "fact_changes", "change_kind", "CHANGE_KINDS"]

#: The labels of a fact's change between two dates.
CHANGE_KINDS = ("became true", "became known", "ended")


def change_kind(f: Any, start: Any, *, added: bool = True) -> str:
    """How a fact that counts at the later date only (``added``) or at the earlier date only changed.

    >>> from cnaikg.graph import Fact, Source
    >>> s = Source("s", "https://example.org", "Ex", "2024-03-01")
    >>> tie = Fact.create("lab", "AFFILIATED_WITH", "uni", since="2019-01", sources=(s,))
    >>> change_kind(tie, "2022-01-01")          # true since 2019, first published in 2024
    'became known'
    >>> change_kind(Fact.create("a", "OWNS", "b", since="2023-05", sources=(s,)), "2022-01-01")
    'became true'
    """
    from cnaikg.graph.dates import to_date, valid_on

    if not added:
        return "ended"
    day = to_date(start)
    return "became known" if valid_on(f.since or None, f.until or None, day) else "became true"


def _label(f: Any, kind: str) -> str:
    if kind == "became known":
        return f"became known {f.known_since.isoformat() if f.known_since else '?'} (true since {f.since or 'an unknown date'})"
    if kind == "became true":
        return f"became true {f.since or '?'}"
    return f"ended {f.until or '?'}"


def fact_changes(kg: Any, *, start: Any, end: Any) -> "Any":
    """Every fact that counts at one date and not the other, labelled became true / became known / ended.

    Columns: change, date (since, first publication or until), fact_id,
    subject, relation, object, since, until, published (first source), text.

    >>> from cnaikg.graph import build_graph
    >>> fc = fact_changes(build_graph(), start="2022-01-01", end="2025-06-30")
    >>> set(fc.change) <= set(CHANGE_KINDS)
    True
    """
    import pandas as pd

    from cnaikg.queries.arrays import graph_arrays
    from cnaikg.queries.explain import describe_fact

    a, b = kg.as_of(start), kg.as_of(end)
    ia, ib = {f.id: f for f in a.facts()}, {f.id: f for f in b.facts()}
    ga = graph_arrays(b)
    rows = []
    for added, facts in ((True, [ib[i] for i in sorted(set(ib) - set(ia))]), (False, [ia[i] for i in sorted(set(ia) - set(ib))])):
        for f in facts:
            kind = change_kind(f, start, added=added)
            date = f.known_since.isoformat() if kind == "became known" and f.known_since else (f.since if added else f.until)
            rows.append({"change": kind, "date": date or "", "fact_id": f.id, "subject": f.subject, "relation": f.relation, "object": f.object,
                         "since": f.since, "until": f.until, "published": f.known_since.isoformat() if f.known_since else "",
                         "text": describe_fact(ga, None, f)})
    cols = ["change", "date", "fact_id", "subject", "relation", "object", "since", "until", "published", "text"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["change", "date", "fact_id"], kind="mergesort").reset_index(drop=True)


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

    ``facts`` lists facts that count at the later date and not the earlier
    (+) or the other way (-), that touch the company or lie on its strongest
    paths to state actors or its ownership chains, at either date; each is
    labelled: "became true" (its since is in the window), "became known"
    (already true at ``start`` by its dates, first published in the window)
    or "ended". ``became_true`` and ``became_known`` hold the two kinds apart.
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
                kind = change_kind(f, start, added=sign == "+")
                why.append((rank, f.since or "", f"{sign} {_label(f, kind)}: {describe_fact(ga_b, None, f)}", kind))
        why.sort()
        name = b.entity(cid).name if cid in b else a.entity(cid).name
        rows.append({"id": cid, "name": name, "before": float(before[cid]), "after": float(after[cid]), "delta": float(delta[cid]),
                     "facts": [w[2] for w in why[:8]] + ([f"... and {len(why) - 8} more"] if len(why) > 8 else []),
                     "became_true": [w[2] for w in why if w[3] == "became true"],
                     "became_known": [w[2] for w in why if w[3] == "became known"]})
    return pd.DataFrame(rows, columns=["id", "name", "before", "after", "delta", "facts", "became_true", "became_known"])
