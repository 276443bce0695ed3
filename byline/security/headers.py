"""Headers every response carries, and HTTPS behind a trusted proxy.

The Content-Security-Policy (django-csp, configured in settings.CONTENT_SECURITY_POLICY)
allows scripts and styles only from the site itself or with the response's nonce: no
inline script runs unless its tag carries `nonce="{{ request.csp_nonce }}"` (Jinja2 theme
templates and Django templates alike). A page that needs more (the desk's editor, a preview
in a frame) widens its own policy with django-csp's decorators, e.g.
`@csp_update({"connect-src": ["https://…"]})` or `@csp_replace({"frame-ancestors": [SELF]})`
together with Django's `@xframe_options_sameorigin`.

Django's SecurityMiddleware adds nosniff, Referrer-Policy and, behind HTTPS, HSTS and the
redirect from http; `PermissionsPolicyMiddleware` below adds Permissions-Policy. All of them
sit before WhiteNoise in MIDDLEWARE, so static files get the same headers as pages.
"""

from __future__ import annotations

from django.conf import settings

# Browser features no page of a blog needs; a theme or the desk that does can say so.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response, and Secure on every cookie sent over HTTPS.

    Django's SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE cover its own two cookies; the
    post-password, commenter and held-comment cookies are set by Byline's views, so the
    flag is added here for every cookie of a response to an HTTPS request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if settings.BYLINE_BEHIND_HTTPS and request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response
