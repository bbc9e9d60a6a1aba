"""The one ranking of companies: what `cnaikg build` prints as its top list and what the report ranks.

A *company* here is an entity of type company that is not itself a state
actor (an SOE, a state bank or a state financing vehicle has ``state_actor_kind``
set in the features table and is left out: it is the state, not a company
close to it). Companies are ranked by policy proximity, highest first, ties
by name then id.

>>> from cnaikg.graph import build_graph
>>> from cnaikg.queries.features import features
>>> top = ranked_companies(features(build_graph()), top=3)
>>> len(top), bool((top.state_actor_kind == "").all()), bool(top.policy_proximity.is_monotonic_decreasing)
(3, True, True)
"""

from __future__ import annotations

from typing import Any

__all__ = ["ranked_companies", "COMPANY_DEFINITION"]

COMPANY_DEFINITION = "companies that are not state actors themselves"


def ranked_companies(features: Any, *, top: int | None = None) -> Any:
    """The rows of the features table that are ranked companies, best first (the first ``top`` of them).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"name": ["B", "A", "S"], "state_actor_kind": ["", "", "soe"], "policy_proximity": [0.5, 0.5, 0.9]},
    ...                   index=pd.Index(["b", "a", "s"], name="id"))
    >>> list(ranked_companies(df).index)
    ['a', 'b']
    """
    private = features[features["state_actor_kind"] == ""]
    ordered = private.assign(_id=private.index).sort_values(["policy_proximity", "name", "_id"], ascending=[False, True, True], kind="mergesort").drop(columns="_id")
    return ordered.head(top) if top is not None else ordered
