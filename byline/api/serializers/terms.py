"""Categories and tags as WordPress's term objects."""

from __future__ import annotations

from django.db.models import Count, Q

from byline.content.models import Category, Status, Tag, publish_due_posts
from byline.content.permalinks import category_path

from ..embedding import resolver
from ..links import CURIES, link, site_url, v2
from .common import Ctx

TAXONOMIES = {
    # taxonomy name -> (model, REST base, archive prefix)
    "category": (Category, "categories", "category"),
    "post_tag": (Tag, "tags", "tag"),
}


def taxonomy_of(term) -> str:
    return "category" if isinstance(term, Category) else "post_tag"


def with_counts(qs):
    """Each term's number of public posts (WordPress's `count`), in the same query."""
    publish_due_posts()
    public = Q(posts__status=Status.PUBLISH)
    return qs.annotate(post_count=Count("posts", filter=public, distinct=True))


def category_parents(ctx: Ctx) -> dict:
    """Every category's slug and parent, read once per request, to build archive addresses."""
    if "categories" not in ctx.cache:
        ctx.cache["categories"] = {c.pk: c for c in Category.objects.only("id", "slug", "parent_id")}
    return ctx.cache["categories"]


def term_link(term, ctx: Ctx) -> str:
    if isinstance(term, Category):
        return site_url(ctx.request, f"/category/{category_path(term, category_parents(ctx))}/")
    return site_url(ctx.request, f"/tag/{term.slug}/")


def serialize_term(term, ctx: Ctx) -> dict:
    taxonomy = taxonomy_of(term)
    base = TAXONOMIES[taxonomy][1]
    request = ctx.request
    data = {"id": term.pk}
    if not ctx.embed:
        data["count"] = getattr(term, "post_count", 0)
        data["description"] = term.description
    data.update(link=term_link(term, ctx), name=term.name, slug=term.slug, taxonomy=taxonomy)
    if not ctx.embed:
        if taxonomy == "category":
            data["parent"] = term.parent_id or 0
        data["meta"] = []
    links = {
        "self": link(v2(request, f"{base}/{term.pk}")),
        "collection": link(v2(request, base)),
        "about": link(v2(request, f"taxonomies/{taxonomy}")),
    }
    if taxonomy == "category" and term.parent_id:
        links["up"] = link(v2(request, f"{base}/{term.parent_id}"), embeddable=True)
    links["wp:post_type"] = link(v2(request, "posts", **{base: term.pk}))
    links["curies"] = CURIES
    data["_links"] = links
    return data


@resolver("term")
def _embed_terms(request, keys) -> dict:
    """Search results embed their term: keys are (taxonomy, id)."""
    ctx = Ctx(request, "embed")
    out = {}
    for taxonomy, (model, _base, _prefix) in TAXONOMIES.items():
        ids = [pk for tax, pk in keys if tax == taxonomy]
        for term in model.objects.filter(pk__in=ids):
            out[(taxonomy, term.pk)] = serialize_term(term, ctx)
    return out
