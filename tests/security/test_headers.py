"""Every kind of response carries the security headers; media go out with a sniffed type; HTTPS
settings take effect only through a trusted proxy."""

import re

import pytest
from django.test import Client, override_settings
from PIL import Image

from byline.site import queries
from tests.factories import make_post

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def media_root(settings):
    root = settings.MEDIA_ROOT
    (root / "2025").mkdir(parents=True)
    Image.new("RGB", (4, 4), "red").save(root / "2025" / "red.png")
    (root / "2025" / "fake.jpg").write_bytes(b"<html><script>alert(1)</script></html>")
    (root / "2025" / "drawing.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'
    )
    return root


def _boom(*args, **kwargs):
    raise RuntimeError("the database went away")


KINDS = {
    "page": ("/2025/09/headers/", 200),
    "home": ("/", 200),
    "feed": ("/feed/", 200),
    "rest": ("/wp-json/wp/v2/posts", 200),
    "rest error": ("/wp-json/wp/v2/posts/999999", 404),
    "media": ("/media/2025/red.png", 200),
    "static": ("/static/byline/theme.css", 200),
    "404": ("/no/such/thing/", 404),
    "500": ("/", 500),
}


@pytest.mark.parametrize(
    "kind",
    [pytest.param(k, marks=pytest.mark.server_error_expected) if k == "500" else k for k in KINDS],
)
def test_every_kind_of_response_carries_the_headers(kind, media_root, monkeypatch):
    make_post("Headers")
    path, status = KINDS[kind]
    if kind == "500":
        monkeypatch.setattr(queries, "home", _boom)
    client = Client(raise_request_exception=False)
    response = client.get(path)
    response.close()  # a file response keeps its file open until then
    assert response.status_code == status
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"] and "'self'" in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["default-src"] == "'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_a_template_nonce_is_in_the_policy(rf):
    """A theme template that needs an inline script marks it with request.csp_nonce."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines

    template = engines["jinja2"].from_string('<script nonce="{{ request.csp_nonce }}">go()</script>')
    request = rf.get("/")
    middleware = CSPMiddleware(lambda req: HttpResponse(template.render({}, req)))
    response = middleware(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_media_is_served_with_its_sniffed_type_only(client, media_root):
    image = client.get("/media/2025/red.png")
    assert image["Content-Type"] == "image/png" and image.getvalue().startswith(PNG)
    assert "attachment" not in image.get("Content-Disposition", "")

    fake = client.get("/media/2025/fake.jpg")  # HTML behind an image's name
    fake.close()
    assert fake["Content-Type"] == "application/octet-stream"
    assert fake["Content-Disposition"] == 'attachment; filename="fake.jpg"'
    assert fake["X-Content-Type-Options"] == "nosniff"

    svg = client.get("/media/2025/drawing.svg")  # SVG can carry script
    svg.close()
    assert svg["Content-Type"] == "application/octet-stream" and svg["Content-Disposition"].startswith(
        "attachment"
    )

    again = client.get("/media/2025/red.png", HTTP_IF_MODIFIED_SINCE=image["Last-Modified"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path", ["/media/../secret_key", "/media/2025/none.png", "/media/%00", "/media/2025"]
)
def test_media_outside_or_missing_is_a_404(client, media_root, path):
    assert client.get(path).status_code == 404


HTTPS = {"BYLINE_BEHIND_HTTPS": True, "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}


@override_settings(
    **HTTPS,
    SECURE_SSL_REDIRECT=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_HSTS_SECONDS=31_536_000,
    BYLINE_TRUSTED_PROXIES=["127.0.0.1"],
)
def test_behind_an_https_proxy(client):
    post = make_post("Members only", password="harbour")
    plain = client.get("/2025/09/members-only/?x=1")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/2025/09/members-only/?x=1"

    secure = client.get("/2025/09/members-only/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000"

    unlocked = client.post(
        f"/postpass/{post.pk}/", {"post_password": "harbour"}, HTTP_X_FORWARDED_PROTO="https"
    )
    assert unlocked.cookies[f"wp-postpass_{post.pk}"]["secure"] is True

    # Someone who is not the proxy cannot claim https: they are redirected like any http reader.
    forged = client.get("/2025/09/members-only/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="203.0.113.9")
    assert forged.status_code == 301 and forged["Location"].startswith("https://")


def test_without_https_no_hsts_and_no_redirect(client):
    make_post("Plain")
    r = client.get("/2025/09/plain/", HTTP_X_FORWARDED_PROTO="https")
    assert r.status_code == 200 and "Strict-Transport-Security" not in r
