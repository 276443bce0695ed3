"""Arguments declared as data, checked as WordPress's `rest_validate_value_from_schema` does.

Each route declares its arguments once (`Arg`); the same declarations check requests,
fill defaults and describe the route in the `/wp-json/` index. A bad value is a
`rest_invalid_param` naming every bad argument; a missing required one is
`rest_missing_callback_param`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.http import QueryDict
from django.utils.dateparse import parse_datetime

from byline.text import first_forbidden_in, forbidden_character, normalise_newlines

from .errors import ApiError, invalid_params, missing_params

MISSING = object()
# Ids and counts are stored as 64-bit integers; a larger number can only be a mistake.
LARGEST_INTEGER = 2**63 - 1
# Dates a site can store and show in any time zone (UTC±14): a day's margin inside Python's range.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)
# Arguments every route takes (WordPress's global parameters); never "unknown".
GLOBAL_PARAMS = {"_fields", "_embed", "_envelope", "_method", "_locale", "_jsonp", "rest_route", "_wpnonce"}


@dataclass(frozen=True)
class Arg:
    type: str  # integer, string, boolean, array, object, date-time, text (a string or {"raw": …})
    description: str = ""
    default: object = MISSING
    enum: tuple = ()
    items: str = ""  # the type of an array's items
    item_enum: tuple = ()
    minimum: int | None = None
    maximum: int | None = None
    required: bool = False
    nullable: bool = False
    readonly: bool = False  # sent back by clients that round-trip a response: ignored on write

    def schema(self) -> dict:
        """The argument as the index describes it (JSON Schema, as WordPress)."""
        kind = {"date-time": "string", "text": "object"}.get(self.type, self.type)
        out: dict = {"description": self.description, "type": [kind, "null"] if self.nullable else kind}
        if self.type == "date-time":
            out["format"] = "date-time"
        if self.default is not MISSING:
            out["default"] = self.default
        if self.enum:
            out["enum"] = list(self.enum)
        if self.items:
            out["items"] = {"type": self.items, **({"enum": list(self.item_enum)} if self.item_enum else {})}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        out["required"] = self.required
        return out


class Invalid(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _words(values) -> str:
    values = [str(v) for v in values]
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]


def _integer(name: str, value):
    if isinstance(value, bool):
        raise Invalid("rest_invalid_type", f"{name} is not of type integer.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,18}\s*", value):
        value = int(value)
    if not isinstance(value, int):
        raise Invalid("rest_invalid_type", f"{name} is not of type integer.")
    if abs(value) > LARGEST_INTEGER:
        raise Invalid(
            "rest_out_of_bounds", f"{name} must be between {-LARGEST_INTEGER} and {LARGEST_INTEGER}"
        )
    return value


def _boolean(name: str, value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    raise Invalid("rest_invalid_type", f"{name} is not of type boolean.")


def _string(name: str, value):
    if not isinstance(value, str):
        raise Invalid("rest_invalid_type", f"{name} is not of type string.")
    if where := forbidden_character(value):
        # Control characters, non-characters and lone surrogates break the XML of a feed
        # or cannot be stored at all: refused, never silently dropped from what was sent.
        raise Invalid("rest_invalid_param", f"{name} contains a character that is not allowed ({where}).")
    return normalise_newlines(value)


def parse_date(name: str, value, zone: ZoneInfo | None = None) -> datetime:
    """An ISO 8601 date; one without a zone is in `zone` (the site's) or UTC."""
    if not isinstance(value, str):
        raise Invalid("rest_invalid_type", f"{name} is not of type string.")
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        parsed = None
    if parsed is None:
        raise Invalid("rest_invalid_date", "Invalid date.")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone or UTC)
    try:
        in_range = EARLIEST <= parsed.astimezone(UTC) <= LATEST
    except OverflowError:  # 9999-12-31T23:59:59-14:00 is after the year 9999 in UTC
        in_range = False
    if not in_range:
        raise Invalid("rest_invalid_date", "Invalid date.")
    return parsed


def _text(name: str, value):
    """WordPress takes `title` either as a string or as {"raw": "..."}."""
    if isinstance(value, str):
        return _string(name, value)
    if isinstance(value, dict):
        if "raw" in value:
            return _string(f"{name}[raw]", value["raw"])
        return MISSING  # a round-tripped {"rendered": …} changes nothing
    raise Invalid("rest_invalid_type", f"{name} is not of type object.")


def _object(name: str, value):
    if isinstance(value, list) and not value:
        value = {}  # PHP's empty array
    if not isinstance(value, dict):
        raise Invalid("rest_invalid_type", f"{name} is not of type object.")
    if where := first_forbidden_in(value):
        raise Invalid("rest_invalid_param", f"{name} contains a character that is not allowed ({where}).")
    return value


def coerce(name: str, arg: Arg, value):
    """One value checked and converted, or Invalid with WordPress's code and message."""
    if value is None and arg.nullable:
        return None
    if arg.type == "integer":
        value = _integer(name, value)
    elif arg.type == "boolean":
        value = _boolean(name, value)
    elif arg.type == "string":
        value = _string(name, value)
    elif arg.type == "date-time":
        parse_date(name, value)  # kept as text: the view knows which zone applies
    elif arg.type == "text":
        value = _text(name, value)
    elif arg.type == "object":
        value = _object(name, value)
    elif arg.type == "array":
        if isinstance(value, str):
            value = [v for v in re.split(r"[\s,]+", value) if v]
        if not isinstance(value, list):
            raise Invalid("rest_invalid_type", f"{name} is not of type array.")
        item = Arg(arg.items or "string", enum=arg.item_enum)
        value = [coerce(f"{name}[{i}]", item, v) for i, v in enumerate(value)]
    if arg.enum and value not in arg.enum:
        raise Invalid("rest_not_in_enum", f"{name} is not one of {_words(arg.enum)}.")
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = arg.minimum, arg.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                message = f"{name} must be between {low} (inclusive) and {high} (inclusive)"
            elif low is not None:
                message = f"{name} must be greater than or equal to {low}"
            else:
                message = f"{name} must be less than or equal to {high}"
            raise Invalid("rest_out_of_bounds", message)
    return value


def _raw(source, name: str, arg: Arg):
    if isinstance(source, QueryDict):
        if arg.type == "array":
            values = source.getlist(name + "[]") or source.getlist(name)
            if not values:
                return MISSING
            return values[0] if len(values) == 1 else values
        if name not in source and arg.type == "text" and name + "[raw]" in source:
            return source.get(name + "[raw]")
        return source.get(name, MISSING) if name in source else MISSING
    return source.get(name, MISSING)


def parse(sources: list, args: dict[str, Arg], *, strict_body=None) -> dict:
    """Check every declared argument found in `sources` (later ones win); fill defaults.

    `strict_body` (the decoded write body) may hold only declared names: anything else is
    refused, so a typo never silently changes nothing.
    """
    problems: dict[str, tuple[str, str]] = {}
    if strict_body is not None:
        for key in strict_body:
            base = key.split("[", 1)[0]  # form bodies: categories[]=1, title[raw]=…
            if base not in args and base not in GLOBAL_PARAMS and base != "context":
                problems[key] = (
                    "rest_additional_properties_forbidden",
                    f"{key} is not a valid property of Object.",
                )
    values: dict = {}
    missing = []
    for name, arg in args.items():
        raw = MISSING
        for source in sources:
            found = _raw(source, name, arg)
            if found is not MISSING:
                raw = found
        if raw is MISSING:
            if arg.required:
                missing.append(name)
            elif arg.default is not MISSING:
                values[name] = arg.default
            continue
        if arg.readonly:
            continue
        try:
            value = coerce(name, arg, raw)
        except Invalid as exc:
            problems[name] = (exc.code, exc.message)
            continue
        if value is not MISSING:
            values[name] = value
    if missing:
        raise missing_params(missing)
    if problems:
        raise invalid_params(problems)
    return values


def check_lengths(model, fields: list[tuple[str, str, object]]) -> None:
    """Refuse text longer than its column: (argument, model field, value) triples.

    SQLite would keep it whole and PostgreSQL refuse it halfway through a save; both get
    the same clear answer here instead."""
    problems = {}
    for name, field, value in fields:
        limit = model._meta.get_field(field).max_length
        if isinstance(value, str) and limit and len(value) > limit:
            problems[name] = ("rest_invalid_param", f"{name} must be at most {limit} characters long.")
    if problems:
        raise invalid_params(problems)


def check(name: str, message: str, code: str = "rest_invalid_param") -> ApiError:
    """One argument refused after its type was right (an unknown term id, a bad parent)."""
    return invalid_params({name: (code, message)})


# --- the arguments many routes share -------------------------------------------------------

CONTEXT = Arg(
    "string",
    "Scope under which the request is made; determines fields present in response.",
    default="view",
    enum=("view", "embed", "edit"),
)
PAGE = Arg("integer", "Current page of the collection.", default=1, minimum=1)
PER_PAGE = Arg(
    "integer", "Maximum number of items to be returned in result set.", default=10, minimum=1, maximum=100
)
SEARCH = Arg("string", "Limit results to those matching a string.")
INCLUDE = Arg("array", "Limit result set to specific IDs.", default=[], items="integer")
EXCLUDE = Arg("array", "Ensure result set excludes specific IDs.", default=[], items="integer")
OFFSET = Arg("integer", "Offset the result set by a specific number of items.", minimum=0)
SLUG = Arg("array", "Limit result set to items with one or more specific slugs.", items="string")
FORCE = Arg("boolean", "Whether to bypass Trash and force deletion.", default=False)
ID = Arg("integer", "Unique identifier for the object.")


def order(default: str = "desc") -> Arg:
    return Arg(
        "string", "Order sort attribute ascending or descending.", default=default, enum=("asc", "desc")
    )


def orderby(default: str, *choices: str) -> Arg:
    return Arg("string", "Sort collection by object attribute.", default=default, enum=choices)


def collection(**extra: Arg) -> dict[str, Arg]:
    """The arguments of every collection: context, page, per_page, search, include, exclude."""
    return {
        "context": CONTEXT,
        "page": PAGE,
        "per_page": PER_PAGE,
        "search": SEARCH,
        "include": INCLUDE,
        "exclude": EXCLUDE,
        **extra,
    }
