"""Sign-in throttling: django-axes per address, a Byline ceiling per account, one message.

Every password check goes through Django's `authenticate(request=…)` (the admin's form, the
desk's `/wp-login.php`) or through `check_app_password_allowed()`/`app_password_failed()`
(REST application passwords), so one count covers them all:

- per address (axes, in the database): after `login_failure_limit` failures from one
  address, every sign-in from it is refused, the right password included, for
  `login_lockout_minutes`. Other addresses are not affected.
- per account (the shared cache): after `login_account_failure_limit` failures for one
  account from all addresses together within an hour, that account's sign-ins are refused
  until the hour is over. Set high, since anyone can spend it.
"""

from __future__ import annotations

import math

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import timezone

from . import throttle
from .throttle import Refusal

ADDRESS_MESSAGE = "Too many failed sign-ins from your address."


def _address_refusal(request) -> Refusal:
    """How long this address is still locked out by axes."""
    cool_off = settings.AXES_COOLOFF_TIME
    last = AccessAttempt.objects.filter(ip_address=throttle.ip_address(request)).aggregate(
        last=Max("attempt_time")
    )["last"]
    left = cool_off.total_seconds() if last is None else (last + cool_off - timezone.now()).total_seconds()
    return Refusal(ADDRESS_MESSAGE, max(1, math.ceil(left)))


def refusal_for(request, username: str | None) -> Refusal | None:
    """Why this sign-in must not even be checked, or None. Counts nothing."""
    if not AxesProxyHandler.is_allowed(request, {"username": username}):
        return _address_refusal(request)
    if username:
        return throttle.over("login_account", "account:" + username.lower())
    return None


class AddressBackend(AxesStandaloneBackend):
    """django-axes' check per address, for every `authenticate(request=…)`.

    Without a request there is no address to count (`manage.py` commands, the test client's
    `login()`), so the check is skipped rather than refused: every sign-in page passes its
    request, as Django's own forms and views do.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AccountCeilingBackend:
    """An authentication backend that only refuses: an account over its ceiling of failures.

    Placed after axes's backend and before Django's ModelBackend; it never signs anyone in.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and request is not None:
            refusal = throttle.over("login_account", "account:" + str(username).lower())
            if refusal is not None:
                request.byline_refusal = refusal
                raise PermissionDenied(refusal.message)
        return None  # no get_user(): it never holds a session (force_login skips it too)


def _count_account_failure(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username")
    if username:
        throttle.hit("login_account", "account:" + str(username).lower())


def connect() -> None:
    user_login_failed.connect(_count_account_failure, dispatch_uid="byline-login-account-ceiling")


def check_app_password_allowed(request, username: str) -> Refusal | None:
    """Before any hashing: a REST request from a locked-out address or for a locked account."""
    return refusal_for(request, username)


def app_password_failed(request, username: str) -> None:
    """Count a wrong application password like a wrong sign-in (axes and the account ceiling)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    request.axes_locked_out = False  # the REST answer is the 401 itself; axes's page is for forms


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the sign-in form as it was answered (it says when), as a 429."""
    refusal = getattr(request, "byline_refusal", None) or _address_refusal(request)
    if original_response is not None and original_response.status_code == 200:
        response = original_response
        response.status_code = 429
    else:
        response = throttle.refused_page(refusal)
    response["Retry-After"] = str(refusal.retry_after)
    return response


class RefusalStatusMiddleware:
    """A sign-in form refused by the account ceiling (not axes) also answers 429 with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        refusal = getattr(request, "byline_refusal", None)
        if refusal is not None and response.status_code == 200:
            response.status_code = 429
            response["Retry-After"] = str(refusal.retry_after)
        return response


class ThrottledLoginMixin:
    """For any AuthenticationForm: a refused sign-in says why and when to try again.

    The desk's `/wp-login.php` form should mix this in as the admin's does.
    """

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            request = self.request
            refusal = getattr(request, "byline_refusal", None)
            if refusal is None and getattr(request, "axes_locked_out", False):
                refusal = _address_refusal(request)
            if refusal is None:
                raise
            request.byline_refusal = refusal
            raise ValidationError(refusal.text(), code="throttled") from None


class ThrottledAdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
