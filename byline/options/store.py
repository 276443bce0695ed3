"""Reading and writing site options.

Options are read once per request and remembered until the next request starts: a value
set by another process is seen on its next request. The read itself is remembered by the
process until the site next changes (byline.sitewide): `set_option` sends `site_changed`.
"""

from __future__ import annotations

import threading

from django.db import transaction

from byline import sitewide
from byline.signals import site_changed

from .models import Option
from .registry import InvalidOption, spec_for

_local = threading.local()


def forget(**_kwargs) -> None:
    """Drop this thread's remembered options (connected to request_started)."""
    _local.values = None


def _values() -> dict[str, str]:
    values = getattr(_local, "values", None)
    if values is None:
        values = sitewide.remembered("options", _stored_values)
        _local.values = values
    return values


def _stored_values() -> dict[str, str]:
    return dict(Option.objects.values_list("name", "value"))


def get_option(name: str) -> object:
    """The option's typed value, or its declared default."""
    spec = spec_for(name)
    raw = _values().get(name)
    if raw is None:
        return spec.default
    try:
        return spec.parse(raw)
    except InvalidOption:
        # A value stored by an older version that no longer parses: the default is safer.
        return spec.default


def set_option(name: str, raw: str) -> object:
    """Validate and store an option; raise InvalidOption (changing nothing) if refused."""
    spec = spec_for(name)
    value = spec.parse(str(raw))
    with transaction.atomic():
        Option.objects.update_or_create(name=name, defaults={"value": spec.serialize(value)})
    forget()
    site_changed.send(sender=Option, reason=f"option {name}")
    return value
