"""The REST API's routes, one module per resource; `ENDPOINTS` lists them in URL order."""

from .comments import CommentEndpoint, CommentsEndpoint
from .index import IndexEndpoint, NamespaceEndpoint
from .media import MediaCollection, MediaItem
from .meta import (
    StatusEndpoint,
    StatusesEndpoint,
    TaxonomiesEndpoint,
    TaxonomyEndpoint,
    TypeEndpoint,
    TypesEndpoint,
)
from .posts import PageEndpoint, PagesEndpoint, PostEndpoint, PostsEndpoint
from .search import SearchEndpoint
from .settings import SettingsEndpoint
from .terms import TagEndpoint, TagsEndpoint, TermEndpoint, TermsEndpoint
from .users import MeEndpoint, UserEndpoint, UsersEndpoint

ENDPOINTS = [
    PostsEndpoint,
    PostEndpoint,
    PagesEndpoint,
    PageEndpoint,
    MediaCollection,
    MediaItem,
    TypesEndpoint,
    TypeEndpoint,
    StatusesEndpoint,
    StatusEndpoint,
    TaxonomiesEndpoint,
    TaxonomyEndpoint,
    TermsEndpoint,
    TermEndpoint,
    TagsEndpoint,
    TagEndpoint,
    UsersEndpoint,
    MeEndpoint,
    UserEndpoint,
    CommentsEndpoint,
    CommentEndpoint,
    SearchEndpoint,
    SettingsEndpoint,
]
IndexEndpoint.endpoints = ENDPOINTS

__all__ = ["ENDPOINTS", "IndexEndpoint", "NamespaceEndpoint"]
