"""Benchmark of the features panel for backtests: thirty quarterly dates on the curated graph, target under 5 s.

    .venv/bin/python benchmarks/panel.py                   # 2018-03-31 .. 2025-06-30, quarterly (30 dates)
    .venv/bin/python benchmarks/panel.py --repeat 3 --every month

Times ``features_panel`` (one fresh graph per run, so no view or array is
cached from a previous run) and, as the reference, what a user would write by
hand before the panel existed: ``features(kg, as_of=D)`` for each date,
validated one by one, then ``pandas.concat``. Reports the best of --repeat
runs for both, the ratio ours / reference and ours / target, and checks the
two tables are equal row for row. Results on stdout as a Markdown table;
progress on stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_S = 5.0


def by_hand(kg, dates):  # noqa: ANN001, ANN201 - the reference: one validated table per date, stacked
    import pandas as pd

    from cnaikg.queries.features import features

    frames = []
    for d in dates:
        df = features(kg, as_of=d).reset_index()
        df.insert(0, "as_of", d)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="start", default="2018-01-01")
    ap.add_argument("--to", dest="end", default="2025-06-30")
    ap.add_argument("--every", default="quarter", choices=("month", "quarter", "year"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    import pandas as pd

    from cnaikg.graph import build_graph
    from cnaikg.queries.features import features_panel, panel_dates

    dates = panel_dates(args.start, args.end, args.every)
    ours, ref = [], []
    panel = hand = None
    for i in range(args.repeat):
        print(f"run {i + 1}/{args.repeat}: {len(dates)} dates ...", file=sys.stderr)
        kg = build_graph()
        t0 = time.perf_counter()
        panel = features_panel(kg, dates)
        ours.append(time.perf_counter() - t0)
        kg = build_graph()
        t0 = time.perf_counter()
        hand = by_hand(kg, dates)
        ref.append(time.perf_counter() - t0)
    assert panel is not None and hand is not None
    pd.testing.assert_frame_equal(panel, hand)
    best, best_ref = min(ours), min(ref)
    print("| dates | rows | ours (s, best of %d) | by hand (s) | ours / by hand | ours / target (%.0f s) |" % (args.repeat, TARGET_S))
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {len(dates)} ({dates[0]} .. {dates[-1]}, every {args.every}) | {len(panel):,} | {best:.2f} | {best_ref:.2f} | "
          f"{best / best_ref:.2f}x | {best / TARGET_S:.2f}x |")
    print(f"panel equals the by-hand tables row for row; {'within' if best < TARGET_S else 'OVER'} the {TARGET_S:.0f} s target", file=sys.stderr)
    return 0 if best < TARGET_S else 1


#: `make bench` sizes (benchmarks/run.py): dates every ..., repeats (the best is kept)
RUN_SIZES = {"tiny": ("year", 1), "quick": ("quarter", 1), "full": ("quarter", 3)}


def run(size: str = "quick") -> list:
    """The benchmark contract (benchmarks/common.py): the features panel against the same tables built date by date."""
    from common import Row, at_most

    from cnaikg.graph import build_graph
    from cnaikg.queries.features import features_panel, panel_dates

    every, repeat = RUN_SIZES[size]
    dates = panel_dates("2018-01-01", "2025-06-30", every)
    ours, ref = [], []
    for _ in range(repeat):
        kg = build_graph()
        t0 = time.perf_counter()
        features_panel(kg, dates)
        ours.append(time.perf_counter() - t0)
        kg = build_graph()
        t0 = time.perf_counter()
        by_hand(kg, dates)
        ref.append(time.perf_counter() - t0)
    return [Row(f"features panel, {len(dates)} dates (every {every})", min(ours), "s", best="features() date by date",
                best_value=min(ref), target=at_most(TARGET_S, "s") if every == "quarter" else None)]


if __name__ == "__main__":
    sys.exit(main())
