"""The Jinja2 environment of the public theme: autoescaping on, a few blog helpers."""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment, StrictUndefined, select_autoescape

from byline.content.permalinks import category_path, local, permalink_for
from byline.content.rendering import thumbnail_html
from byline.options.store import get_option
from byline.text import safe_url

from .dates import php_date
from .pagecache import captcha_placeholder, csrf_placeholder


def _date(value, fmt: str | None = None) -> str:
    return php_date(value, fmt or get_option("date_format"))


def _time(value, fmt: str | None = None) -> str:
    return php_date(value, fmt or get_option("time_format"))


def _isodate(value) -> str:
    return local(value).isoformat(timespec="seconds")


def environment(**options) -> Environment:
    options.setdefault("undefined", StrictUndefined)
    options["autoescape"] = select_autoescape(default=True, default_for_string=True)
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    env = Environment(**options)  # noqa: S701 - autoescape is set just above
    env.globals.update(
        static=static,
        url=lambda name, *args, **kwargs: reverse(name, args=args or None, kwargs=kwargs or None),
        option=get_option,
        permalink=permalink_for,
        category_path=category_path,
        thumbnail=thumbnail_html,
        # The page cache's placeholders for what each reader must get fresh (site/pagecache.py).
        csrf_placeholder=csrf_placeholder,
        captcha_placeholder=captcha_placeholder,
    )
    # safe_url: a stored address (a commenter's or author's website) shown only if its scheme is safe.
    env.filters.update(date=_date, time=_time, isodate=_isodate, safe_url=safe_url)
    return env
