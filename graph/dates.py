"""Partial ISO dates (YYYY, YYYY-MM, YYYY-MM-DD) and the interval rules of point-in-time views.

A partial date stands for a period. ``since`` counts from the first day of its
period. ``until`` is exclusive: a fact with until=2024-05-17 no longer holds on
that day; a partial ``until`` (2024 or 2024-05) means the fact still held during
that period and ended at its close. A source ``published`` as a
partial date is taken as known only at the end of its period, so a view as of
a date never sees a document that might have appeared later.

>>> d = parse_date("2024-02")
>>> d.start, d.end
(datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
>>> valid_on("2023", None, "2023-06-30")
True
>>> valid_on("2023", "2024", "2024-12-31"), valid_on("2023", "2024", "2025-01-01")
(True, False)
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["PartialDate", "parse_date", "is_date", "to_date", "valid_on", "DATE_HELP"]

DATE_HELP = "write YYYY, YYYY-MM or YYYY-MM-DD (for example 2024, 2024-05 or 2024-05-17)"
_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")  # ASCII digits only: \d also matches ٢٠٢٤ and ２０２４


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, month or day; ``start``/``end`` bound its period."""

    start: _dt.date
    end: _dt.date
    text: str

    @property
    def precision(self) -> str:
        """'year', 'month' or 'day'."""
        return {4: "year", 7: "month"}.get(len(self.text), "day")

    def __str__(self) -> str:
        return self.text


@lru_cache(maxsize=65536)
def parse_date(text: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError otherwise.

    >>> parse_date("2025").end
    datetime.date(2025, 12, 31)
    >>> parse_date("2025-02-30")
    Traceback (most recent call last):
    ...
    ValueError: '2025-02-30' is not a valid date; write YYYY, YYYY-MM or YYYY-MM-DD (for example 2024, 2024-05 or 2024-05-17)
    """
    m = _DATE_RE.match(text.strip()) if isinstance(text, str) else None
    if not m:
        raise ValueError(f"{text!r} is not a date; {DATE_HELP}")
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        year = int(y)
        if mo is None:
            return PartialDate(_dt.date(year, 1, 1), _dt.date(year, 12, 31), text.strip())
        month = int(mo)
        if d is None:
            last = calendar.monthrange(year, month)[1]
            return PartialDate(_dt.date(year, month, 1), _dt.date(year, month, last), text.strip())
        day = _dt.date(year, month, int(d))
        return PartialDate(day, day, text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a valid date; {DATE_HELP}") from None


def is_date(text: str) -> bool:
    """True when ``text`` parses as a partial date.

    >>> is_date("2024-05"), is_date("May 2024")
    (True, False)
    """
    try:
        parse_date(text)
    except ValueError:
        return False
    return True


def to_date(value: "str | _dt.date | _dt.datetime | None") -> _dt.date:
    """Coerce a date-like value to a day; a partial date becomes its first day; None is today.

    >>> to_date("2024-05")
    datetime.date(2024, 5, 1)
    """
    if value is None:
        return _dt.date.today()
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return parse_date(str(value)).start


def valid_on(since: str | None, until: str | None, day: "str | _dt.date") -> bool:
    """True when a fact with these bounds holds on ``day``: since <= day < until.

    >>> valid_on(None, None, "1999-01-01")
    True
    >>> valid_on("2024-05-17", None, "2024-05-16")
    False
    >>> valid_on(None, "2024-05-17", "2024-05-17")
    False
    """
    d = to_date(day)
    if since and parse_date(since).start > d:
        return False
    if until:
        u = parse_date(until)
        if (d >= u.start) if u.precision == "day" else (d > u.end):
            return False
    return True
