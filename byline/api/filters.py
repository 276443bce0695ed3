"""WordPress's collection arguments that several routes share, applied to a queryset once."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from byline.content.permalinks import site_zone

from .params import parse_date


def by_ids_and_authors(qs: QuerySet, args: dict, author_field: str) -> QuerySet:
    """`include`, `exclude`, `author` and `author_exclude` (author_field: the model's user column)."""
    if args.get("include"):
        qs = qs.filter(pk__in=args["include"])
    if args.get("exclude"):
        qs = qs.exclude(pk__in=args["exclude"])
    if args.get("author"):
        qs = qs.filter(**{f"{author_field}__in": args["author"]})
    if args.get("author_exclude"):
        qs = qs.exclude(**{f"{author_field}__in": args["author_exclude"]})
    return qs


def by_dates(qs: QuerySet, args: dict, columns: dict[str, str]) -> QuerySet:
    """`after`, `before`, `modified_after`, `modified_before`: argument name → the date column."""
    for name, column in columns.items():
        if args.get(name):
            lookup = "gt" if name.endswith("after") else "lt"
            qs = qs.filter(**{f"{column}__{lookup}": parse_date(name, args[name], site_zone())})
    return qs


def by_parent(qs: QuerySet, args: dict) -> QuerySet:
    """`parent` (0 means top level) and `parent_exclude`, for pages and comments."""
    if args.get("parent"):
        ids = [i for i in args["parent"] if i]
        qs = qs.filter(
            Q(parent_id__in=ids) | (Q(parent__isnull=True) if 0 in args["parent"] else Q(pk__in=[]))
        )
    if args.get("parent_exclude"):
        qs = qs.exclude(parent_id__in=args["parent_exclude"])
    return qs
