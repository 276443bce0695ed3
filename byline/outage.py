"""A clean 503 while the database is unreachable, instead of a 500 with a traceback in the log
for every reader.

When PostgreSQL restarts or fails over, every request that touches the database raises an
``OperationalError`` (or ``InterfaceError`` on a connection that died). Byline answers those
with "503 Service Unavailable" and ``Retry-After``, so browsers, crawlers and load balancers
know to come back, and says so in words. Nothing needs restarting: Django closes a
connection that raised (``close_if_unusable_or_obsolete`` after each request) and, with
``CONN_HEALTH_CHECKS``, pings a kept connection before reusing it, so the first request
after the database is back opens a fresh one.

Any other error goes on to the theme's own 500 page.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse

# Seconds a client is asked to wait: a database restart or fail-over takes a few.
RETRY_AFTER = 10

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Back in a moment</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 34rem; margin: 4rem auto; padding: 0 1rem">
<h1>Back in a moment</h1>
<p>The site cannot reach its database just now. Nothing you sent was lost or half-saved:
please try again in a few seconds.</p>
</body></html>
"""


def is_database_outage(exc: BaseException | None) -> bool:
    """Whether an exception means the database is unreachable (not a bug in a query)."""
    return isinstance(exc, OperationalError | InterfaceError)


def database_unavailable() -> HttpResponse:
    """The 503 page; it touches neither the database nor the theme (which reads options)."""
    response = HttpResponse(PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: a database outage becomes a 503, anything else the theme's 500 page."""
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable()
    from byline.site.views import server_error as theme_server_error

    return theme_server_error(request)
