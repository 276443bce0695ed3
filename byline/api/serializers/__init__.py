"""Byline's objects as WordPress's REST objects. Importing this package registers the embed resolvers."""

from .comments import serialize_comment
from .common import Ctx
from .media import serialize_media
from .posts import serialize_post
from .terms import serialize_term
from .users import serialize_user

__all__ = [
    "Ctx",
    "serialize_comment",
    "serialize_media",
    "serialize_post",
    "serialize_term",
    "serialize_user",
]
