"""Dates shown the WordPress way: PHP date() format letters ("F j, Y") in the site's zone."""

from __future__ import annotations

import calendar
from datetime import datetime

from byline.content.permalinks import local


def _suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def php_date(dt: datetime, fmt: str) -> str:
    """Format a time with PHP's date() letters (the ones WordPress's date_format uses)."""
    d = local(dt)
    letters = {
        "d": f"{d.day:02d}",
        "D": d.strftime("%a"),
        "j": str(d.day),
        "l": calendar.day_name[d.weekday()],
        "N": str(d.isoweekday()),
        "S": _suffix(d.day),
        "w": str(d.isoweekday() % 7),
        "z": str(d.timetuple().tm_yday - 1),
        "W": f"{d.isocalendar()[1]:02d}",
        "F": calendar.month_name[d.month],
        "m": f"{d.month:02d}",
        "M": calendar.month_abbr[d.month],
        "n": str(d.month),
        "t": str(calendar.monthrange(d.year, d.month)[1]),
        "L": "1" if calendar.isleap(d.year) else "0",
        "o": str(d.isocalendar()[0]),
        "Y": f"{d.year:04d}",
        "y": f"{d.year % 100:02d}",
        "a": "am" if d.hour < 12 else "pm",
        "A": "AM" if d.hour < 12 else "PM",
        "g": str(d.hour % 12 or 12),
        "G": str(d.hour),
        "h": f"{d.hour % 12 or 12:02d}",
        "H": f"{d.hour:02d}",
        "i": f"{d.minute:02d}",
        "s": f"{d.second:02d}",
        "e": str(d.tzinfo),
        "T": d.strftime("%Z"),
        "P": d.strftime("%z")[:3] + ":" + d.strftime("%z")[3:],
        "O": d.strftime("%z"),
        "c": d.isoformat(timespec="seconds"),
        "r": d.strftime("%a, %d %b %Y %H:%M:%S %z"),
        "U": str(int(d.timestamp())),
    }
    out, escaped = [], False
    for ch in fmt:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        else:
            out.append(letters.get(ch, ch))
    return "".join(out)
