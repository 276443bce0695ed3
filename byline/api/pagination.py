"""One page of a collection with WordPress's X-WP-Total, X-WP-TotalPages and Link headers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from byline.content.search import ranked_ids, rows_of

from .errors import ApiError


@dataclass
class Page:
    items: list
    total: int
    pages: int
    number: int


def paginate(qs, args: dict, *, page_error: str | None = None, ranked: bool = False) -> Page:
    """Two queries whatever the size: the count, then the slice (plus the queryset's prefetches).

    `page_error` is the code WordPress uses when a page past the end is asked for
    (posts and comments refuse it; terms and users answer an empty list). A `ranked` search
    (at most `search.CANDIDATES` posts) is counted and sliced from its ids in one query, then
    the slice's rows are read (`search.ranked_ids`, `search.rows_of`).
    """
    per_page, number = args["per_page"], args["page"]
    offset = args.get("offset")
    ids = ranked_ids(qs) if ranked else None
    total = len(ids) if ranked else qs.count()
    pages = math.ceil(total / per_page) if total else 0
    if page_error and total and number > pages and offset is None:
        raise ApiError(
            page_error, "The page number requested is larger than the number of pages available.", 400
        )
    start = offset if offset is not None else (number - 1) * per_page
    if start >= total:
        items = []
    elif ranked:
        items = rows_of(qs, ids[start : start + per_page])
    else:
        items = list(qs[start : start + per_page])
    return Page(items=items, total=total, pages=pages, number=number)


def add_headers(response, request, page: Page) -> None:
    response["X-WP-Total"] = str(page.total)
    response["X-WP-TotalPages"] = str(page.pages)
    links = []
    base = request.build_absolute_uri(request.path)
    query = {k: v for k, v in request.GET.lists() if k != "page"}

    def at(n):
        return base + "?" + urlencode({**query, "page": [str(n)]}, doseq=True)

    if page.number > 1:
        links.append(f'<{at(min(page.number - 1, max(page.pages, 1)))}>; rel="prev"')
    if page.pages > page.number:
        links.append(f'<{at(page.number + 1)}>; rel="next"')
    if links:
        response["Link"] = ", ".join(links)
