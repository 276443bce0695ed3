"""Dates shown the WordPress way: PHP date() format letters ("F j, Y") in the site's zone."""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from byline.content.permalinks import site_zone


def _suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _offset(d: datetime, colon: bool) -> str:
    z = d.strftime("%z")
    return z[:3] + ":" + z[3:] if colon else z


# Each letter of PHP's date() and how to make it; only the letters a format uses are computed.
LETTERS: dict[str, Callable[[datetime], str]] = {
    "d": lambda d: f"{d.day:02d}",
    "D": lambda d: calendar.day_abbr[d.weekday()],
    "j": lambda d: str(d.day),
    "l": lambda d: calendar.day_name[d.weekday()],
    "N": lambda d: str(d.isoweekday()),
    "S": lambda d: _suffix(d.day),
    "w": lambda d: str(d.isoweekday() % 7),
    "z": lambda d: str(d.timetuple().tm_yday - 1),
    "W": lambda d: f"{d.isocalendar()[1]:02d}",
    "F": lambda d: calendar.month_name[d.month],
    "m": lambda d: f"{d.month:02d}",
    "M": lambda d: calendar.month_abbr[d.month],
    "n": lambda d: str(d.month),
    "t": lambda d: str(calendar.monthrange(d.year, d.month)[1]),
    "L": lambda d: str(int(calendar.isleap(d.year))),
    "o": lambda d: str(d.isocalendar()[0]),
    "Y": lambda d: f"{d.year:04d}",
    "y": lambda d: f"{d.year % 100:02d}",
    "a": lambda d: "am" if d.hour < 12 else "pm",
    "A": lambda d: "AM" if d.hour < 12 else "PM",
    "g": lambda d: str(d.hour % 12 or 12),
    "G": lambda d: str(d.hour),
    "h": lambda d: f"{d.hour % 12 or 12:02d}",
    "H": lambda d: f"{d.hour:02d}",
    "i": lambda d: f"{d.minute:02d}",
    "s": lambda d: f"{d.second:02d}",
    "e": lambda d: str(d.tzinfo),
    "T": lambda d: d.strftime("%Z"),
    "P": lambda d: _offset(d, True),
    "O": lambda d: _offset(d, False),
    "c": lambda d: d.isoformat(timespec="seconds"),
    "r": lambda d: d.strftime("%a, %d %b %Y %H:%M:%S %z"),
    "U": lambda d: str(int(d.timestamp())),
}


def php_date(dt: datetime, fmt: str) -> str:
    """Format a time with PHP's date() letters (the ones WordPress's date_format uses), in the site's zone."""
    return _php_date(dt, fmt, site_zone())


# The answer depends only on the instant, the format and the zone, which are the key: a page's
# dates (200 comments carry 400) are formatted once per server process, not on every view.
@functools.lru_cache(maxsize=8192)
def _php_date(dt: datetime, fmt: str, zone: ZoneInfo) -> str:
    d = dt.astimezone(zone)
    out, escaped = [], False
    for ch in fmt:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        else:
            make = LETTERS.get(ch)
            out.append(make(d) if make else ch)
    return "".join(out)
