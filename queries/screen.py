"""The investor screen: strong policy alignment, proven partnerships and valuation discipline, as of a date.

A company passes when all three hold:

1. policy alignment: policy proximity >= ``min_proximity`` and a tie to a
   state-led lab, university or fund (lab/university ties, or a direct or
   look-through stake of a central or local state fund);
2. proven partnerships: at least ``min_partnerships`` partners or customers
   (PARTNERS_WITH facts either way, SUPPLIES facts from the company);
3. valuation discipline: in the latest fundamentals row on or before
   ``as_of`` for any of its tickers, 0 < forward P/E < ``max_forward_pe`` and
   EV/Sales < ``max_ev_sales``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["screen"]


def screen(kg: Any, fundamentals: Any, *, as_of: Any = None, max_forward_pe: float = 15.0, max_ev_sales: float = 5.0,
           min_proximity: float = 0.1, min_partnerships: int = 1, include_failing: bool = False) -> "Any":
    """Run the screen; a DataFrame of passing companies ranked by policy proximity, with reasons and data dates.

    ``fundamentals`` is a DataFrame from ``cnaikg.loaders.fundamentals.load_fundamentals``.
    With ``include_failing`` every listed company is returned, with ``passed``
    False and the reasons it failed.

    >>> import pandas as pd
    >>> from cnaikg.graph import build_graph
    >>> f = pd.DataFrame({"ticker": ["0981.HK"], "as_of": ["2024-06-28"], "forward_pe": [12.0], "ev_sales": [2.0],
    ...                   "market_cap": [1e11], "currency": ["HKD"], "source": ["https://example.org"]})
    >>> list(screen(build_graph(), f, as_of="2024-07-01").id)   # a synthetic valuation, not a real one
    ['smic']
    """
    import pandas as pd

    from cnaikg.loaders.fundamentals import latest_fundamentals
    from cnaikg.queries.features import features

    view = kg.as_of(as_of) if as_of is not None else kg.current()
    df = features(view)
    latest = latest_fundamentals(fundamentals, as_of=as_of)
    rows = []
    for cid, r in df.iterrows():
        tickers = [t for t in r.tickers.split("|") if t]
        if not tickers:
            continue
        reasons, fails = [], []
        # 1. policy alignment
        fund_stake = max(r.get("state_stake_central_fund", 0.0), r.get("state_stake_local_fund", 0.0))
        ties = []
        if r.state_lab_university_ties > 0:
            ties.append(f"state lab/university ties {r.state_lab_university_ties:.2f}")
        if fund_stake > 0:
            ties.append(f"state fund stake {fund_stake:.1%}")
        if r.policy_proximity >= min_proximity and ties:
            reasons.append(f"policy proximity {r.policy_proximity:.3f} >= {min_proximity:g} with " + ", ".join(ties))
        else:
            fails.append(f"policy proximity {r.policy_proximity:.3f}" + ("" if ties else ", no tie to a state lab, university or fund"))
        # 2. proven partnerships
        partners = sorted({f.object if f.subject == cid else f.subject for f in view.facts_of(cid, "PARTNERS_WITH")}
                          | {f.object for f in view.facts_of(cid, "SUPPLIES", "out")})
        if len(partners) >= min_partnerships:
            reasons.append(f"{len(partners)} partners/customers: {', '.join(partners[:5])}{' ...' if len(partners) > 5 else ''}")
        else:
            fails.append(f"{len(partners)} partners/customers < {min_partnerships}")
        # 3. valuation discipline: the most recent row among the company's tickers
        known = latest[latest.index.isin(tickers)]
        fund = None
        if known.empty:
            fails.append("no fundamentals on or before the date")
        else:
            fund = known.sort_values(["as_of"], kind="mergesort").iloc[-1]
            pe, evs = fund.forward_pe, fund.ev_sales
            ok_pe = not np.isnan(pe) and 0 < pe < max_forward_pe
            ok_ev = not np.isnan(evs) and evs < max_ev_sales
            text = f"forward P/E {pe:g}, EV/Sales {evs:g} ({fund.name}, {fund.as_of})"
            (reasons if ok_pe and ok_ev else fails).append(text + ("" if ok_pe and ok_ev else f"; needs 0 < P/E < {max_forward_pe:g} and EV/Sales < {max_ev_sales:g}"))
        passed = not fails
        if passed or include_failing:
            rows.append({
                "id": cid, "name": r["name"], "ticker": fund.name if fund is not None else tickers[0], "passed": passed,
                "policy_proximity": float(r.policy_proximity),
                "forward_pe": float(fund.forward_pe) if fund is not None else float("nan"),
                "ev_sales": float(fund.ev_sales) if fund is not None else float("nan"),
                "market_cap": float(fund.market_cap) if fund is not None else float("nan"),
                "currency": fund.currency if fund is not None else "",
                "fundamentals_as_of": fund.as_of if fund is not None else "",
                "graph_as_of": str(view.as_of_date or ""),
                "source": fund.source if fund is not None else "",
                "reasons": "; ".join(reasons if passed else fails),
            })
    cols = ["rank", "id", "name", "ticker", "passed", "policy_proximity", "forward_pe", "ev_sales", "market_cap", "currency", "fundamentals_as_of", "graph_as_of", "source", "reasons"]
    out = pd.DataFrame(rows, columns=cols[1:])
    out = out.sort_values(["passed", "policy_proximity", "id"], ascending=[False, False, True], kind="mergesort").reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out
