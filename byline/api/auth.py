"""Who is asking: an application password (HTTP Basic), a signed-in admin session, or nobody.

As WordPress: a request carrying Basic credentials is judged by them alone (a wrong or
revoked password is a 401 even on a read), and such requests need no CSRF token, since
a browser never adds them on its own. A request riding on the admin's session cookie
must show the CSRF token (`X-CSRFToken`, or WordPress's `X-WP-Nonce` header) before it
may change anything.
"""

from __future__ import annotations

import base64
import binascii

from django.contrib.auth.models import AnonymousUser
from django.middleware.csrf import CsrfViewMiddleware

from byline.security.login import app_password_failed, check_app_password_allowed

from .errors import ApiError
from .passwords import authenticate

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise _bad_password() from None
    username, sep, password = decoded.partition(":")
    if not sep:
        raise _bad_password()
    return username, password


def _bad_password() -> ApiError:
    # One answer for an unknown user and a wrong password: the API does not confirm accounts.
    return ApiError("incorrect_password", "The provided password is an invalid application password.", 401)


def _csrf_refused(request) -> bool:
    if "HTTP_X_WP_NONCE" in request.META and "HTTP_X_CSRFTOKEN" not in request.META:
        request.META["HTTP_X_CSRFTOKEN"] = request.META["HTTP_X_WP_NONCE"]
    check = CsrfViewMiddleware(lambda req: None)
    return check.process_view(request, None, (), {}) is not None


def identify(request, method: str) -> None:
    """Set `request.user` for the API, or raise the WordPress error that refuses the request."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    credentials = _basic_credentials(header) if header else None
    if credentials is not None:
        # Refused before any hashing: an address or account over its sign-in limit.
        refusal = check_app_password_allowed(request, credentials[0])
        if refusal is not None:
            raise ApiError(
                "rest_too_many_requests",
                refusal.text(),
                429,
                headers={"Retry-After": str(refusal.retry_after)},
            )
        user = authenticate(*credentials, ip=request.META.get("REMOTE_ADDR"))
        if user is None:
            app_password_failed(request, credentials[0])
            raise _bad_password()
        request.user = user
        request.api_auth = "application-password"
        return
    user = getattr(request, "user", None) or AnonymousUser()
    if user.is_authenticated and method not in SAFE_METHODS and _csrf_refused(request):
        raise ApiError("rest_cookie_invalid_nonce", "Cookie check failed", 403)
    request.user = user
    request.api_auth = "cookie" if user.is_authenticated else None
