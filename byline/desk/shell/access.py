"""Who may open a desk page: signed-out visitors are sent to /wp-login.php, as WordPress does."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.http import HttpResponseForbidden, HttpResponseRedirect
from django.template.loader import render_to_string

from byline.content import capabilities


def login_url(next_path: str) -> str:
    return "/wp-login.php?" + urlencode({"redirect_to": next_path})


def desk_view(view):
    """A desk page: signed-in staff only (subscribers see their profile, nothing else)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not capabilities.signed_in(request.user):
            return HttpResponseRedirect(login_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper


def forbidden(request, message: str) -> HttpResponseForbidden:
    """A 403 page in the desk's frame that says what was refused."""
    html = render_to_string("desk/forbidden.html", {"message": message}, request=request)
    return HttpResponseForbidden(html)
