"""Safe output: atomic writes (temp file then rename) and spreadsheet-safe CSV cells.

>>> spreadsheet_safe("=HYPERLINK(1)")
"'=HYPERLINK(1)"
>>> spreadsheet_safe("-12.5"), spreadsheet_safe("Moore Threads")
("'-12.5", 'Moore Threads')
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

__all__ = ["atomic_path", "write_text_atomic", "write_bytes_atomic", "write_json_atomic", "write_csv_atomic", "spreadsheet_safe", "FORMULA_PREFIXES"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Prefix a quote to text cells a spreadsheet would run as a formula (= + - @, tab, CR).

    Numbers are left alone (they are typed, not text); only strings are touched.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@contextlib.contextmanager
def atomic_path(path: str | Path, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``, on error delete it.

    Readers never see a half-written file, and a failed run leaves the old file intact.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or ".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 ``text`` (LF line ends) to ``path`` atomically; return the path."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: str | Path, obj: Any) -> Path:
    """Write ``obj`` as stable, indented UTF-8 JSON (sorted keys) atomically."""
    return write_text_atomic(path, json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def write_csv_atomic(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *, safe: bool = True) -> Path:
    """Write a CSV file atomically; with ``safe`` (default) text cells are neutralised for spreadsheets."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([spreadsheet_safe(c) if safe else c for c in row])
    return write_text_atomic(path, buf.getvalue())
