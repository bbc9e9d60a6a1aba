"""Results on stdout as an aligned table, CSV (spreadsheet-safe) or JSON.

>>> emit([{"id": "smic", "score": 0.5}], fmt="table")
id    score
----  -----
smic  0.5
>>> emit([{"id": "=cmd", "score": 1}], fmt="csv")
id,score
'=cmd,1
"""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from typing import Any, Iterable, Mapping, Sequence, TextIO

from cnaikg.io import spreadsheet_safe

__all__ = ["emit", "FORMATS", "display_width"]

FORMATS = ("table", "csv", "json")


def display_width(text: str) -> int:
    """Terminal columns taken by ``text`` (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, (list, tuple, dict)):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)


def emit(rows: Iterable[Mapping[str, Any]], fmt: str = "table", *, columns: Sequence[str] | None = None, out: TextIO | None = None) -> None:
    """Write ``rows`` (dicts) to ``out`` (stdout) in ``fmt``: table, csv or json."""
    out = out or sys.stdout
    rows = list(rows)
    cols = list(columns) if columns else (list(rows[0].keys()) if rows else [])
    if fmt == "json":
        json.dump([{c: r.get(c) for c in cols} for r in rows], out, ensure_ascii=False, indent=1, default=str)
        out.write("\n")
    elif fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([spreadsheet_safe(_cell(r.get(c))) for c in cols])
    elif fmt == "table":
        cells = [[_cell(r.get(c)) for c in cols] for r in rows]
        widths = [max([display_width(c)] + [display_width(row[i]) for row in cells]) for i, c in enumerate(cols)]

        def line(vals: Sequence[str]) -> str:
            return "  ".join(v + " " * (w - display_width(v)) for v, w in zip(vals, widths)).rstrip()

        out.write(line(cols) + "\n")
        out.write(line(["-" * w for w in widths]) + "\n")
        for row in cells:
            out.write(line(row) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
