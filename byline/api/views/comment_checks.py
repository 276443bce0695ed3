"""Shape checks of a new comment's author fields and text (WordPress's REST refusals)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email, validate_ipv46_address

from byline.comments.models import Comment
from byline.options.store import get_option

from ..errors import ApiError
from ..params import check

# WordPress's error codes for over-long fields (wp_check_comment_data_max_lengths).
LIMITS = (
    ("comment_author_column_length", Comment.MAX_NAME, 0),
    ("comment_author_email_column_length", Comment.MAX_EMAIL, 1),
    ("comment_author_url_column_length", Comment.MAX_URL, 2),
    ("comment_content_column_length", Comment.MAX_CONTENT, 3),
)


def check_ip(ip: str | None) -> None:
    if ip:
        try:
            validate_ipv46_address(ip)
        except ValidationError:
            raise check("author_ip", "Invalid IP address.", "rest_invalid_ip") from None


def check_author_fields(name: str, email: str, url: str, content: str) -> None:
    if get_option("require_name_email") and (not name.strip() or not email.strip()):
        raise ApiError(
            "rest_comment_author_data_required",
            "Creating a comment requires valid author name and email values.",
            400,
        )
    values = (name, email, url, content)
    for code, limit, index in LIMITS:
        if len(values[index]) > limit:
            raise ApiError(code, "Comment field exceeds maximum length allowed.", 400)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise check("author_email", "Invalid email address.", "rest_invalid_email") from None
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise check("author_url", "Invalid URL.", "rest_invalid_url") from None
    if not content.strip():
        raise ApiError("rest_comment_content_invalid", "Invalid comment content.", 400)
