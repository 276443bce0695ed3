"""The machinery every route shares: methods, authentication, arguments, errors, headers.

A route is a subclass of `Endpoint` that names its WordPress route (for the index and
the URL), declares its arguments per method, and implements `get`, `create`, `update`
and/or `delete`. Handlers return a `Reply`; `_embed`, `_fields` and `_envelope` are
applied here, after the handler, the same way for every route.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from django.core.exceptions import BadRequest, RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt

from byline.text import LONE_SURROGATE, first_forbidden_in

from .. import embedding
from ..auth import identify
from ..errors import ApiError, database_busy, no_route
from ..pagination import Page, add_headers
from ..params import Arg, parse

CORS_HEADERS = {
    # No credentials: a page on another site may read what anyone may read, or use an
    # application password it holds; it never rides on the admin's cookies.
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": (
        "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type"
    ),
    "Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link",
}
WRITE_METHODS = ("POST", "PUT", "PATCH")

logger = logging.getLogger(__name__)


@dataclass
class Reply:
    """What a handler answers: the data (dicts that may carry `_embeddable`), a status, headers."""

    data: object
    status: int = 200
    headers: dict = field(default_factory=dict)
    page: Page | None = None


@dataclass
class Body:
    """A write request's body: decoded fields (JSON or form) and any uploaded bytes."""

    fields: dict
    files: dict
    raw: bytes = b""
    content_type: str = ""


def _override(request) -> str:
    method = request.method.upper()
    if method == "HEAD":
        return "GET"
    if method == "POST":
        wanted = request.GET.get("_method") or request.META.get("HTTP_X_HTTP_METHOD_OVERRIDE", "")
        if wanted.upper() in ("PUT", "PATCH", "DELETE"):
            return wanted.upper()
    return method


def _invalid_json(code: int, message: str) -> ApiError:
    return ApiError(
        "rest_invalid_json",
        "Invalid JSON body passed.",
        400,
        json_error_code=code,
        json_error_message=message,
    )


def read_body(request) -> Body:
    content_type = request.content_type or ""
    try:
        if content_type == "application/json":
            raw = request.body
            try:
                fields = json.loads(raw) if raw.strip() else {}
            except (ValueError, UnicodeDecodeError) as exc:
                raise _invalid_json(4, str(exc)) from None
            except RecursionError:
                # PHP's json_decode stops at 512 levels with JSON_ERROR_DEPTH; Python's at its stack.
                raise _invalid_json(1, "Maximum stack depth exceeded") from None
            if first_forbidden_in(fields, LONE_SURROGATE):
                # What PHP's json_decode refuses too (JSON_ERROR_UTF16): no encoder can write it back.
                raise _invalid_json(10, "Single unpaired UTF-16 surrogate in unicode escape")
            if not isinstance(fields, dict):
                raise ApiError("rest_invalid_json", "Invalid JSON body passed.", 400)
            return Body(fields, {}, content_type=content_type)
        if content_type == "application/x-www-form-urlencoded" and request.method != "POST":
            return Body(QueryDict(request.body), {}, content_type=content_type)  # Django parses only POST
        if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            return Body(request.POST, request.FILES, content_type=content_type)
        return Body({}, {}, raw=request.body, content_type=content_type)
    except RequestDataTooBig:
        raise ApiError("rest_request_too_large", "The request body is too large.", 413) from None
    except (BadRequest, UnicodeDecodeError, LookupError):  # Django reads forms in UTF-8 only
        raise ApiError(
            "rest_invalid_param", "The request body could not be read: send it as UTF-8.", 400
        ) from None


class Endpoint:
    """One WordPress route. Subclasses set `route` and the argument sets, and implement handlers."""

    route = ""  # WordPress's route, e.g. "/wp/v2/posts/(?P<id>[\\d]+)"
    read_args: dict[str, Arg] | None = None
    create_args: dict[str, Arg] | None = None
    update_args: dict[str, Arg] | None = None
    delete_args: dict[str, Arg] | None = None

    def _handler(self, method: str):
        if method == "GET":
            name, args = "get", self.read_args
        elif method == "DELETE":
            name, args = "delete", self.delete_args
        elif method == "POST" and self.create_args is not None:
            name, args = "create", self.create_args
        elif method in WRITE_METHODS and self.update_args is not None:
            name, args = "update", self.update_args
        else:
            return None, None
        handler = getattr(self, name, None)
        return (handler, args) if handler is not None and args is not None else (None, None)

    def methods(self) -> list[tuple[list[str], dict[str, Arg]]]:
        out = []
        if self.read_args is not None:
            out.append((["GET"], self.read_args))
        if self.create_args is not None:
            out.append((["POST"], self.create_args))
        if self.update_args is not None:
            out.append((["POST", "PUT", "PATCH"], self.update_args))
        if self.delete_args is not None:
            out.append((["DELETE"], self.delete_args))
        return out

    def describe(self) -> dict:
        """The route as the index shows it: its methods and each method's arguments."""
        groups = self.methods()
        return {
            "namespace": "wp/v2" if self.route.startswith("/wp/v2") else "",
            "methods": [m for methods, _ in groups for m in methods],
            "endpoints": [
                {"methods": methods, "args": {n: arg.schema() for n, arg in args.items() if not arg.readonly}}
                for methods, args in groups
            ],
        }

    @classmethod
    def as_view(cls):
        def view(request, **kwargs):
            return cls().dispatch(request, **kwargs)

        view.__name__ = cls.__name__
        view.__doc__ = cls.__doc__
        # CSRF is checked in auth.identify: Basic-auth writes are exempt, cookie ones are not.
        return csrf_exempt(view)

    def dispatch(self, request, **kwargs) -> HttpResponse:
        try:
            if request.method == "OPTIONS":
                response = JsonResponse(self.describe())
                response["Allow"] = ", ".join(self.describe()["methods"])
            else:
                response = self._answer(request, kwargs)
        except ApiError as exc:
            response = exc.response()
        except (OperationalError, InterfaceError) as exc:
            # SQLite's lock held past the busy timeout, or PostgreSQL away: JSON, as every answer here.
            logger.warning("%s %s answered 503: the database is busy (%s)", request.method, request.path, exc)
            response = database_busy().response()
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response

    def _answer(self, request, kwargs) -> HttpResponse:
        method = _override(request)
        identify(request, method)
        handler, declared = self._handler(method)
        if handler is None:
            raise no_route()
        # A DELETE may carry its arguments in a body too (wpapi sends `{"force": true}` that way).
        has_body = (
            request.method == "POST"
            or method in WRITE_METHODS
            or (method == "DELETE" and request.META.get("CONTENT_LENGTH", "0") not in ("", "0"))
        )
        body = read_body(request) if has_body else None
        sources = [request.GET]
        strict = None
        if body is not None:
            sources.append(body.fields)
            strict = body.fields
        args = parse(sources, declared, strict_body=strict)
        request.api_body = body
        reply = handler(request, args, **{k: int(v) if v.isdigit() else v for k, v in kwargs.items()})
        return self.render(request, reply)

    def render(self, request, reply: Reply) -> HttpResponse:
        data = reply.data
        embed = request.GET.get("_embed")
        if embed is not None:
            # WordPress's rest_parse_embed_param: "", 1 or true embed everything; else a list of rels.
            rels = (
                None
                if embed.lower() in ("", "1", "true")
                else {r.strip() for r in embed.split(",") if r.strip()}
            )
            embedding.embed(request, data, rels)
        data = embedding.finish(data, request.GET.get("_fields"))
        if "_envelope" in request.GET:
            headers = dict(reply.headers)
            if reply.page is not None:
                add_headers(headers, request, reply.page)
            # WordPress's _envelope: always 200, the real status and headers inside the body.
            return JsonResponse({"body": data, "status": reply.status, "headers": headers}, safe=False)
        response = JsonResponse(data, status=reply.status, safe=False)
        for name, value in reply.headers.items():
            response[name] = value
        if reply.page is not None:
            add_headers(response, request, reply.page)
        return response
