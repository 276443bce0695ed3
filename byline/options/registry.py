"""Site options declared as data: name (WordPress's), type, default and help.

The one declaration drives `byline option`, the admin's settings page, the REST settings
route and docs/configuration.md. Domain apps add their own with `declare()` when they
load (the comment rules live in `byline.comments.options`).
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache


class InvalidOption(ValueError):
    """A value an option does not accept; the message names what it does accept."""


@dataclass(frozen=True)
class OptionSpec:
    name: str
    kind: str  # "str", "int", "bool" or "choice"
    default: object
    help: str
    group: str = "general"
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    check: Callable[[str], str | None] | None = field(default=None, compare=False)

    def parse(self, raw: str) -> object:
        """Turn the stored or typed text into the option's value, or raise InvalidOption."""
        raw = raw.strip() if self.kind != "str" else raw
        if self.kind == "bool":
            low = raw.lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off", ""):
                return False
            raise InvalidOption(f"{self.name} takes 0 or 1 (also true/false, yes/no, on/off), not {raw!r}")
        if self.kind == "int":
            if not re.fullmatch(r"-?\d+", raw):
                raise InvalidOption(f"{self.name} takes {self._range_words()}, not {raw!r}")
            value = int(raw)
            if (self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum
            ):
                raise InvalidOption(f"{self.name} takes {self._range_words()}, not {raw!r}")
            return value
        if self.kind == "choice":
            choices = self.allowed()
            if self.name == "timezone_string" and raw not in choices:
                close = difflib.get_close_matches(raw, choices, n=3)
                hint = f" Did you mean {', '.join(close)}?" if close else ""
                raise InvalidOption(
                    f"{self.name} takes a time zone name such as UTC, Europe/London or "
                    f"America/New_York (the IANA names); not {raw!r}.{hint}"
                )
            if raw not in choices:
                shown = ", ".join(choices) if len(choices) <= 20 else ", ".join(choices[:12]) + ", …"
                raise InvalidOption(f"{self.name} takes one of: {shown}; not {raw!r}")
            return raw
        if self.check is not None:
            problem = self.check(raw)
            if problem:
                raise InvalidOption(f"{self.name}: {problem}")
        return raw

    def allowed(self) -> tuple[str, ...]:
        if self.name == "timezone_string":
            return timezone_names()
        return self.choices

    def serialize(self, value: object) -> str:
        if self.kind == "bool":
            return "1" if value else "0"
        return str(value)

    def _range_words(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"a whole number from {self.minimum} to {self.maximum}"
        if self.minimum is not None:
            return f"a whole number of at least {self.minimum}"
        return "a whole number"


OPTIONS: dict[str, OptionSpec] = {}


def declare(*specs: OptionSpec) -> None:
    for spec in specs:
        OPTIONS[spec.name] = spec


def spec_for(name: str) -> OptionSpec:
    try:
        return OPTIONS[name]
    except KeyError:
        known = ", ".join(sorted(OPTIONS))
        raise InvalidOption(f"there is no option {name!r}; the options are: {known}") from None


@cache
def timezone_names() -> tuple[str, ...]:
    return ("UTC", *sorted(z for z in zoneinfo.available_timezones() if "/" in z))


# WordPress's permalink structure tags that Byline understands.
PERMALINK_TAGS = (
    "%year%",
    "%monthnum%",
    "%day%",
    "%hour%",
    "%minute%",
    "%second%",
    "%postname%",
    "%post_id%",
    "%category%",
    "%author%",
)


def check_permalink_structure(value: str) -> str | None:
    if not value.startswith("/"):
        return "must start with '/' (e.g. /%year%/%monthnum%/%postname%/)"
    unknown = [t for t in re.findall(r"%[a-z_]+%", value) if t not in PERMALINK_TAGS]
    if unknown:
        return f"unknown tag {unknown[0]}; the tags are: {' '.join(PERMALINK_TAGS)}"
    if "%postname%" not in value and "%post_id%" not in value:
        return "must contain %postname% or %post_id% so that every post has its own address"
    if re.search(r"[^A-Za-z0-9%_/.\-]", value):
        return "may hold only letters, digits, '/', '-', '_', '.' and the tags " + " ".join(PERMALINK_TAGS)
    return None


def check_url_or_empty(value: str) -> str | None:
    if value and not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", value):
        return "must be an http:// or https:// address, or empty"
    return None


declare(
    OptionSpec(
        "blogname", "str", "Byline", "The site's title, shown in the header, feeds and the browser tab."
    ),
    OptionSpec("blogdescription", "str", "News and commentary", "The tagline under the title."),
    OptionSpec(
        "siteurl",
        "str",
        "",
        "The site's public address, e.g. https://blog.example.org: what exports and other "
        "writings-down of the site use. Set by `byline init --url`, else from the first page "
        "request's address.",
        check=check_url_or_empty,
    ),
    OptionSpec(
        "posts_per_page",
        "int",
        10,
        "Posts on each page of the home page and the archives.",
        group="reading",
        minimum=1,
        maximum=100,
    ),
    OptionSpec("posts_per_rss", "int", 10, "Items in each feed.", group="reading", minimum=1, maximum=100),
    OptionSpec(
        "rss_use_excerpt", "bool", False, "Feeds carry the excerpt only (0: the full text).", group="reading"
    ),
    OptionSpec(
        "websub_hub",
        "str",
        "",
        "A WebSub hub's address to announce in the feeds (rel=hub), for readers that want new "
        "posts pushed to them. Empty: none. Byline does not notify the hub itself yet.",
        group="reading",
        check=check_url_or_empty,
    ),
    OptionSpec(
        "blog_public", "bool", True, "Let search engines index the site (robots.txt).", group="reading"
    ),
    OptionSpec(
        "permalink_structure",
        "str",
        "/%year%/%monthnum%/%postname%/",
        "How post addresses are built, from WordPress's structure tags.",
        group="permalinks",
        check=check_permalink_structure,
    ),
    OptionSpec(
        "timezone_string",
        "choice",
        "UTC",
        "The site's time zone: dates on pages and in permalinks are in it.",
        group="general",
    ),
    OptionSpec(
        "date_format",
        "str",
        "F j, Y",
        "How dates are shown, in PHP's date() letters as WordPress.",
        group="general",
    ),
    OptionSpec(
        "time_format", "str", "g:i a", "How times are shown, in PHP's date() letters.", group="general"
    ),
    OptionSpec(
        "default_comment_status",
        "choice",
        "open",
        "Whether new posts take comments.",
        group="discussion",
        choices=("open", "closed"),
    ),
)
