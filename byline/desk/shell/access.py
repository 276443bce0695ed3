"""Who may open a desk page: signed-out visitors are sent to /wp-login.php, as WordPress does."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.http import HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string

from byline.content import capabilities


def login_url(next_path: str) -> str:
    return "/wp-login.php?" + urlencode({"redirect_to": next_path})


def desk_view(view=None, *, needs=None):
    """A desk page for signed-in users; a script whose session ended gets a 401 it can read.

    `needs` is a capability (from content/capabilities.py) the page asks of its user, as
    WordPress's menu pages ask edit_posts or upload_files: a subscriber has neither.
    """
    if view is None:
        return lambda v: desk_view(v, needs=needs)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not capabilities.signed_in(request.user):
            if "application/json" in request.headers.get("Accept", ""):
                where = login_url(request.headers.get("Referer") or request.get_full_path())
                return JsonResponse(
                    {"error": "Your session has ended: sign in again.", "login": where}, status=401
                )
            return HttpResponseRedirect(login_url(request.get_full_path()))
        if needs is not None and not needs(request.user):
            if "application/json" in request.headers.get("Accept", ""):
                return JsonResponse({"error": "Your role does not give you this page."}, status=403)
            return forbidden(request, "Your role does not give you this page.")
        return view(request, *args, **kwargs)

    return wrapper


def forbidden(request, message: str) -> HttpResponseForbidden:
    """A 403 page in the desk's frame that says what was refused."""
    html = render_to_string("desk/forbidden.html", {"message": message}, request=request)
    return HttpResponseForbidden(html)
