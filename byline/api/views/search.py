"""/wp/v2/search: posts and pages (type=post) or categories and tags (type=term) matching words."""

from __future__ import annotations

from byline.content.models import Category, Post, Tag
from byline.content.search import by_relevance

from ..errors import ApiError
from ..links import link, v2
from ..pagination import Page, paginate
from ..params import Arg, collection
from ..serializers.common import Ctx
from ..serializers.posts import post_link
from ..serializers.terms import TAXONOMIES, term_link
from .base import Endpoint, Reply

READ = collection(
    type=Arg(
        "string",
        "Limit results to items of an object type.",
        default="post",
        enum=("post", "term", "post-format"),
    ),
    subtype=Arg(
        "array",
        "Limit results to items of one or more object subtypes.",
        default=["any"],
        items="string",
        item_enum=("post", "page", "category", "post_tag", "any"),
    ),
)
READ["context"] = Arg(
    "string", "Scope under which the request is made.", default="view", enum=("view", "embed")
)


class SearchEndpoint(Endpoint):
    route = "/wp/v2/search"
    read_args = READ

    def get(self, request, args):
        subtypes = set(args["subtype"])
        terms = args.get("search") or ""
        words = terms.split()[:10]
        if args["type"] == "post":
            if not subtypes <= {"post", "page", "any"}:
                raise ApiError("rest_invalid_param", "Invalid parameter(s): subtype", 400)
            return self.posts(request, args, subtypes, terms)
        if args["type"] == "term":
            return self.terms(request, args, subtypes, words)
        return Reply([], page=Page([], 0, 0, args["page"]))  # Byline has no post formats

    def posts(self, request, args, subtypes, terms):
        qs = (
            Post.objects.public()
            .select_related("author", "parent__parent__parent")
            .prefetch_related("categories")
        )
        if "any" not in subtypes:
            qs = qs.filter(post_type__in=subtypes)
        qs = qs.search(terms)
        if args["include"]:
            qs = qs.filter(pk__in=args["include"])
        if args["exclude"]:
            qs = qs.exclude(pk__in=args["exclude"])
        # WP_Query orders a search by relevance; with no search, newest first.
        ranked = bool(terms.strip())
        qs = by_relevance(qs) if ranked else qs.order_by("-published_at", "-id")
        page = paginate(qs, args, page_error="rest_post_invalid_page_number", ranked=ranked)
        data = []
        for post in page.items:
            base = "pages" if post.is_page else "posts"
            data.append(
                {
                    "id": post.pk,
                    "title": post.title,
                    "url": post_link(post, request),
                    "type": "post",
                    "subtype": post.post_type,
                    "_links": {
                        "self": link(v2(request, f"{base}/{post.pk}"), embeddable=True),
                        "about": link(v2(request, f"types/{post.post_type}")),
                        "collection": link(v2(request, "search")),
                    },
                    "_embeddable": [("self", "post", post.pk)],
                }
            )
        return Reply(data, page=page)

    def terms(self, request, args, subtypes, words):
        ctx = Ctx(request)
        wanted = [t for t in TAXONOMIES if "any" in subtypes or t in subtypes]
        found = []
        for taxonomy in wanted:
            model = Category if taxonomy == "category" else Tag
            qs = model.objects.all()
            for word in words:
                qs = qs.filter(name__icontains=word)
            if args["include"]:
                qs = qs.filter(pk__in=args["include"])
            if args["exclude"]:
                qs = qs.exclude(pk__in=args["exclude"])
            found += [(taxonomy, term) for term in qs.order_by("name", "id")]
        start = (args["page"] - 1) * args["per_page"]
        total = len(found)
        page = Page(
            found[start : start + args["per_page"]], total, -(-total // args["per_page"]), args["page"]
        )
        data = []
        for taxonomy, term in page.items:
            base = TAXONOMIES[taxonomy][1]
            data.append(
                {
                    "id": term.pk,
                    "title": term.name,
                    "url": term_link(term, ctx),
                    "type": "term",
                    "subtype": taxonomy,
                    "_links": {
                        "self": link(v2(request, f"{base}/{term.pk}"), embeddable=True),
                        "about": link(v2(request, f"taxonomies/{taxonomy}")),
                        "collection": link(v2(request, "search")),
                    },
                    "_embeddable": [("self", "term", (taxonomy, term.pk))],
                }
            )
        return Reply(data, page=page)
