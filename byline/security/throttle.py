"""Counting requests and failures per address and per account, shared by every process and node.

Two tools with two jobs:

- django-axes counts failed sign-ins (the admin's form, the desk's `/wp-login.php`, anything
  that calls `django.contrib.auth.authenticate(request=…)`, and REST application passwords)
  per address, in the database, and refuses an address after `login_failure_limit` failures
  for `login_lockout_minutes`. See `byline.security.login`.
- `hit()` below: fixed-window counters in the "shared" cache (Redis, or the site's database
  table) for what is not a failure but a flood: comment posts, lost-password requests, and
  failed sign-ins per account from every address together (a ceiling, set high, so that
  nobody can lock an owner out from one address).

A refusal is a `Refusal`: what to tell the person, and how many seconds until they may try
again (the `Retry-After` header).
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape

logger = logging.getLogger("byline.security")


@dataclass(frozen=True)
class Rule:
    """At most `limit` events per `window` seconds for one key (an address or an account)."""

    name: str
    limit: int
    window: int
    message: str


@dataclass(frozen=True)
class Refusal:
    message: str
    retry_after: int  # seconds

    @property
    def wait_words(self) -> str:
        minutes = math.ceil(self.retry_after / 60)
        if self.retry_after < 90:
            return f"{self.retry_after} seconds"
        return f"{minutes} minutes"

    def text(self) -> str:
        return f"{self.message} Please try again in {self.wait_words}."


def rules() -> dict[str, Rule]:
    """The throttles, from settings (BYLINE_THROTTLES may replace any of them)."""
    defaults = {
        "comment": Rule(
            "comment",
            10,
            60,
            "Too many comments were sent from your address in a short time. Nothing was saved.",
        ),
        "lost_password": Rule(
            "lost_password", 5, 3600, "Too many password reset requests for this account or address."
        ),
        "login_account": Rule(
            "login_account",
            settings.BYLINE_LOGIN_ACCOUNT_FAILURE_LIMIT,
            3600,
            "Too many failed sign-ins for this account.",
        ),
    }
    return {**defaults, **getattr(settings, "BYLINE_THROTTLES", {})}


def client_address(request) -> str:
    """The reader's address: REMOTE_ADDR, which TrustedProxyMiddleware has already corrected."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def ip_address(request) -> str | None:
    """The reader's address when it is one, else None: what django-axes stores in an address
    column (PostgreSQL's `inet` refuses "unknown", as a request without REMOTE_ADDR — a signed
    in test client, a server on a Unix socket — would otherwise give)."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def _key(rule: Rule, who: str, window_start: int) -> str:
    digest = hashlib.sha256(who.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"throttle:{rule.name}:{digest}:{window_start}"


def _window(rule: Rule, now: float) -> tuple[int, int]:
    start = int(now // rule.window) * rule.window
    return start, max(1, math.ceil(start + rule.window - now))


def count(rule_name: str, who: str) -> int:
    """How many events `who` has had in the rule's current window."""
    rule = rules()[rule_name]
    start, _left = _window(rule, time.time())
    return caches["shared"].get(_key(rule, who, start), 0)


def hit(rule_name: str, *whos: str) -> Refusal | None:
    """Count one event for each of `whos`; a store that cannot be written counts nothing.

    A locked SQLite database or a Redis that is away must not turn a comment into a server
    error: the view behind answers "busy" on its own, and the limit holds again once the store does.
    """
    try:
        return _hit(rule_name, *whos)
    except Exception as exc:  # noqa: BLE001 - any cache backend's failure; logged for the owner
        # An expected condition (a lock, an outage), not a bug: one line, no traceback.
        logger.warning("throttle %s could not count (its store is unavailable: %r)", rule_name, exc)
        return None


def _hit(rule_name: str, *whos: str) -> Refusal | None:
    """Count one event for each of `whos` (an address, an account); a Refusal if any is over its limit.

    Fixed windows: simple, and the same on Redis (atomic `incr`) and on the database cache.
    """
    rule = rules()[rule_name]
    now = time.time()
    start, left = _window(rule, now)
    cache = caches["shared"]
    refused = None
    for who in whos:
        if not who:
            continue
        key = _key(rule, who, start)
        cache.add(key, 0, timeout=rule.window + 1)
        try:
            value = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=rule.window + 1)
            value = 1
        if value > rule.limit:
            refused = Refusal(rule.message, left)
    return refused


def over(rule_name: str, who: str) -> Refusal | None:
    """A Refusal when `who` is already at the rule's limit (counts nothing)."""
    rule = rules()[rule_name]
    start, left = _window(rule, time.time())
    if caches["shared"].get(_key(rule, who, start), 0) >= rule.limit:
        return Refusal(rule.message, left)
    return None


def refused_page(refusal: Refusal) -> HttpResponse:
    """429 for a person: the message and when to try again."""
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Too many requests</title></head><body><main>"
        f"<h1>Too many requests</h1><p>{escape(refusal.text())}</p>"
        "<p>What you typed is still in the previous page: go back to it when the time is up.</p>"
        "</main></body></html>"
    )
    response = HttpResponse(body, status=429, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(refusal.retry_after)
    return response


def refused_json(refusal: Refusal) -> JsonResponse:
    """429 for a REST client, in WordPress's error shape."""
    response = JsonResponse(
        {"code": "rest_too_many_requests", "message": refusal.text(), "data": {"status": 429}}, status=429
    )
    response["Retry-After"] = str(refusal.retry_after)
    return response


# Which requests are counted before they reach their view: (method, path, rule).
THROTTLED_PATHS = [
    ("POST", re.compile(r"^/wp-comments-post\.php$"), "comment", refused_page),
    ("POST", re.compile(r"^/wp-json/wp/v2/comments/?$"), "comment", refused_json),
]


class ThrottleMiddleware:
    """Counts comment posts per address (every attempt, refused ones too) before the view runs.

    WordPress's own flood rule (`comment_flood_interval`) stays as it is, a moderation rule
    on stored comments; this limit adds a bound on attempts that never become comments
    (wrong sums, duplicates, refused forms) from one address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for method, pattern, rule, respond in THROTTLED_PATHS:
            if request.method == method and pattern.match(request.path_info):
                refusal = hit(rule, "address:" + client_address(request))
                if refusal is not None:
                    return respond(refusal)
                break
        return self.get_response(request)
