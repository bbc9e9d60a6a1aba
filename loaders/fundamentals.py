"""The fundamentals loader: valuation snapshots (ticker, as_of, forward P/E, EV/Sales, market cap, currency, source) from CSV.

Every row is checked and every problem reported at once (file, line, field,
how to fix), like the curated loader. A file or a folder of ``*.csv`` files.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "f.csv"
>>> _ = p.write_text("ticker,as_of,forward_pe,ev_sales,market_cap,currency,source\\n"
...                  "0981.HK,2024-06-28,12.5,3.1,4.0e11,HKD,https://example.org/x\\n")
>>> df = load_fundamentals(p)
>>> float(df.loc[0, "forward_pe"])
12.5
>>> latest_fundamentals(df, as_of="2024-06-01").empty   # nothing known on or before that day
True
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from cnaikg.errors import DataError, LoaderError, Problem
from cnaikg.graph.dates import DATE_HELP, parse_date, to_date

__all__ = ["FUNDAMENTALS_COLUMNS", "load_fundamentals", "latest_fundamentals", "default_fundamentals_path"]

FUNDAMENTALS_COLUMNS = ("ticker", "as_of", "forward_pe", "ev_sales", "market_cap", "currency", "source")
_NUMBERS = {"forward_pe": None, "ev_sales": 0.0, "market_cap": 0.0}  # column -> minimum (None: any sign)
#: Optional columns (files without them stay valid): trailing P/E as the source states it.
_OPTIONAL_NUMBERS = {"trailing_pe": None}
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def default_fundamentals_path() -> Path:
    """data/fundamentals/ of the shipped dataset (may hold no file)."""
    from cnaikg.paths import data_dir

    return data_dir() / "fundamentals"


def load_fundamentals(path: str | Path | None = None) -> Any:
    """Read and check fundamentals CSV(s) into a DataFrame sorted by ticker and as_of; DataError lists every problem.

    ``forward_pe`` may be negative (expected losses) or empty (not covered);
    ``ev_sales`` and ``market_cap`` are non-negative or empty; ``source`` is
    the URL the figures were read from (required).
    """
    import pandas as pd

    p = Path(path) if path else default_fundamentals_path()
    files = sorted(p.glob("*.csv")) if p.is_dir() else [p]
    if not files or not all(f.is_file() for f in files):
        raise LoaderError(f"no fundamentals file at {p}: pass --fundamentals FILE.csv with columns {','.join(FUNDAMENTALS_COLUMNS)}")
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    for f in files:
        text = f.read_text(encoding="utf-8-sig")
        reader = csv.DictReader(text.splitlines())
        missing = [c for c in FUNDAMENTALS_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(Problem(str(f), 1, ",".join(missing), "missing column(s)", f"the header must be {','.join(FUNDAMENTALS_COLUMNS)}"))
            continue
        for line, r in enumerate(reader, start=2):
            bad = len(problems)
            row: dict[str, Any] = {"file": str(f), "line": line}
            t = (r.get("ticker") or "").strip()
            if not t:
                problems.append(Problem(str(f), line, "ticker", "empty", "give the ticker with its exchange suffix, e.g. 0981.HK"))
            row["ticker"] = t
            d = (r.get("as_of") or "").strip()
            try:
                row["as_of"] = parse_date(d).end.isoformat()  # a partial date counts from the end of its period
            except ValueError:
                problems.append(Problem(str(f), line, "as_of", f"{d!r} is not a date", DATE_HELP))
            for col, low in {**_NUMBERS, **_OPTIONAL_NUMBERS}.items():
                raw = (r.get(col) or "").strip()
                if raw == "":
                    row[col] = float("nan")
                    continue
                try:
                    v = float(raw)
                except ValueError:
                    problems.append(Problem(str(f), line, col, f"{raw!r} is not a number", "write a plain number such as 12.5 (no units, no commas)"))
                    continue
                if low is not None and v < low:
                    problems.append(Problem(str(f), line, col, f"{v} is negative", "write a value >= 0 or leave it empty"))
                row[col] = v
            cur = (r.get("currency") or "").strip()
            if not _CURRENCY.match(cur):
                problems.append(Problem(str(f), line, "currency", f"{cur!r} is not an ISO 4217 code", "write e.g. CNY, HKD or USD"))
            row["currency"] = cur
            src = (r.get("source") or "").strip()
            if not src.startswith(("http://", "https://")):
                problems.append(Problem(str(f), line, "source", f"{src!r} is not a URL", "give the URL the figures were read from"))
            row["source"] = src
            if len(problems) == bad:
                rows.append(row)
    if problems:
        raise DataError(problems)
    df = pd.DataFrame(rows, columns=["ticker", "as_of", "forward_pe", "ev_sales", "market_cap", "currency", "source", "trailing_pe", "file", "line"])
    dup = df.duplicated(["ticker", "as_of"], keep=False)
    if dup.any():
        raise DataError([Problem(r.file, int(r.line), "as_of", f"second row for {r.ticker} on {r.as_of}", "keep one row per ticker and date") for r in df[dup].itertuples()])
    return df.sort_values(["ticker", "as_of"], kind="mergesort").reset_index(drop=True)


def latest_fundamentals(df: Any, *, as_of: Any = None) -> Any:
    """The latest row of each ticker dated on or before ``as_of`` (all rows when None), indexed by ticker."""
    d = df if as_of is None else df[df["as_of"] <= to_date(as_of).isoformat()]
    return d.sort_values(["ticker", "as_of"], kind="mergesort").groupby("ticker", sort=True).tail(1).set_index("ticker")
