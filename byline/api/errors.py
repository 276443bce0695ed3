"""WordPress-shaped errors: `{"code": …, "message": …, "data": {"status": …}}`.

A view raises ApiError; the endpoint turns it into the JSON body WordPress's
`WP_REST_Server::error_to_response` would send, so clients that branch on `code` work.
"""

from __future__ import annotations

from django.http import JsonResponse

from byline.outage import RETRY_AFTER

BUSY = "The site is busy just now and could not answer. Nothing was changed: please try again in a moment."


class ApiError(Exception):
    """A refused request: WordPress's error code, a message for people, the HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400, *, headers: dict | None = None, **data):
        super().__init__(message)
        self.code, self.message, self.status, self.data = code, message, status, data
        self.headers = headers or {}  # e.g. Retry-After on a 429

    def body(self) -> dict:
        return {"code": self.code, "message": self.message, "data": {"status": self.status, **self.data}}

    def response(self) -> JsonResponse:
        response = JsonResponse(self.body(), status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


def auth_status(user) -> int:
    """WordPress's rest_authorization_required_code(): 401 for strangers, 403 for users."""
    return 403 if getattr(user, "is_authenticated", False) else 401


def forbidden(user, code: str = "rest_forbidden", message: str = "Sorry, you are not allowed to do that."):
    return ApiError(code, message, auth_status(user))


def database_busy(message: str = BUSY) -> ApiError:
    """503 while the database is locked (a long import on SQLite) or away: the client may retry."""
    return ApiError("rest_database_busy", message, 503, headers={"Retry-After": str(RETRY_AFTER)})


def no_route() -> ApiError:
    return ApiError("rest_no_route", "No route was found matching the URL and request method.", 404)


def invalid_params(problems: dict[str, tuple[str, str]]) -> ApiError:
    """rest_invalid_param with WordPress 5.5's `params` (messages) and `details` (codes)."""
    return ApiError(
        "rest_invalid_param",
        "Invalid parameter(s): " + ", ".join(problems),
        400,
        params={name: message for name, (_code, message) in problems.items()},
        details={
            name: {"code": code, "message": message, "data": None}
            for name, (code, message) in problems.items()
        },
    )


def invalid_param(name: str, message: str, code: str = "rest_invalid_param") -> ApiError:
    return invalid_params({name: (code, message)})


def missing_params(names: list[str]) -> ApiError:
    return ApiError(
        "rest_missing_callback_param", "Missing parameter(s): " + ", ".join(names), 400, params=names
    )


def require_force(args: dict, message: str = "The post does not support trashing.") -> None:
    """Byline keeps no trash for posts, media and terms: DELETE must say force=true (as WordPress asks)."""
    if not args["force"]:
        raise ApiError("rest_trash_not_supported", f"{message} Set 'force=true' to delete.", 501)
