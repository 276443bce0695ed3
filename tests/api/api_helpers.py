"""Helpers for the REST API tests: a client that speaks JSON with HTTP Basic auth, test images,
WordPress's own responses, and the check that an error has WordPress's shape."""

import base64
import io
import json
from pathlib import Path

from django.test import Client
from PIL import Image

WP_API = Path(__file__).resolve().parents[1] / "data" / "wp-api"


class Api:
    """A test client for /wp-json/wp/v2/: JSON in and out, optionally as a user."""

    def __init__(self, client: Client, user=None, password: str | None = None):
        self.client, self.user, self.password = client, user, password

    def headers(self) -> dict:
        if self.user is None:
            return {}
        token = base64.b64encode(f"{self.user.username}:{self.password}".encode()).decode()
        return {"HTTP_AUTHORIZATION": f"Basic {token}"}

    @staticmethod
    def url(route: str) -> str:
        return route if route.startswith("/") else f"/wp-json/wp/v2/{route}"

    def get(self, route: str, params=None, **extra):
        return self.client.get(self.url(route), params or {}, **self.headers(), **extra)

    def send(self, method: str, route: str, body=None, **extra):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body or {})
        call = getattr(self.client, method)
        return call(
            self.url(route),
            data=data,
            content_type=extra.pop("content_type", "application/json"),
            **self.headers(),
            **extra,
        )

    def post(self, route: str, body=None, **extra):
        return self.send("post", route, body, **extra)

    def put(self, route: str, body=None, **extra):
        return self.send("put", route, body, **extra)

    def patch(self, route: str, body=None, **extra):
        return self.send("patch", route, body, **extra)

    def delete(self, route: str, params: str = "", **extra):
        return self.client.delete(self.url(route) + params, **self.headers(), **extra)

    def as_user(self, user, password: str) -> "Api":
        return Api(self.client, user, password)


def png_bytes(width: int = 400, height: int = 300, color=(200, 80, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, format="PNG")
    return buf.getvalue()


def wp_fixture(name: str):
    """A response WordPress itself produced (tests/data/wp-api/)."""
    return json.loads((WP_API / name).read_text())


def assert_wp_error(response, status: int, code: str) -> dict:
    """A WordPress-shaped error: {"code", "message", "data": {"status"}}."""
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"code", "message", "data"}, body
    assert body["code"] == code, body
    assert body["data"]["status"] == status
    assert isinstance(body["message"], str) and body["message"]
    return body
