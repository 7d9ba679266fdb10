"""Dates as the graph holds them: a day (xsd:date), a month (xsd:gYearMonth) or a year (xsd:gYear).

A month or a year is a span of days, so "before" between two dates is sure only when the last day
one can mean comes before the first day the other can mean: the analyses that order things in
time (lessons not learned, overdue responses) compare those days and flag nothing unsure.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_FORM = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:Z|[+-]\d{2}:\d{2})?$")


@dataclass(frozen=True)
class PartialDate:
    """The days a date written as `text` can mean: from `first` to `last`, both included.
    A time zone, when written, is ignored: it moves a day by less than one day either way."""

    text: str
    first: date
    last: date


@lru_cache(maxsize=65536)
def partial_date(text: str) -> PartialDate | None:
    """`text` read as a day, a month or a year; None when it is none of these. Remembered: an
    analysis compares the same few thousand dates hundreds of thousands of times."""
    match = _FORM.match(text.strip())
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            return PartialDate(text, date(year, 1, 1), date(year, 12, 31))
        if day is None:
            return PartialDate(text, date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
        day_itself = date(year, month, day)
    except ValueError:
        return None
    return PartialDate(text, day_itself, day_itself)


def year_of(text: str | None) -> int | None:
    """The year of a date, or None when there is no readable date."""
    read = partial_date(text) if text else None
    return read.first.year if read else None
