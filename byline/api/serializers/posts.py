"""Posts and pages as WordPress's post objects (`context` view, embed or edit)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.crypto import constant_time_compare
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from byline.content.capabilities import can_delete_post, can_edit_post, can_read_post
from byline.content.models import Category, Post, Tag
from byline.content.permalinks import permalink_for
from byline.options.store import get_option

from ..embedding import resolver
from ..links import CURIES, link, site_url, v2
from .common import Ctx, absolute_html, gmt_date, local_date, rendered, text_html
from .terms import serialize_term

EXCERPT_WORDS = 55  # WordPress's excerpt_length


def with_relations(qs):
    """Everything a page of posts shows, in a fixed number of queries."""
    return qs.select_related("author", "featured_image", "parent__parent__parent").prefetch_related(
        Prefetch("categories", queryset=Category.objects.select_related("parent")),
        Prefetch("tags", queryset=Tag.objects.all()),
    )


def rest_base(post: Post) -> str:
    return "pages" if post.is_page else "posts"


def post_link(post: Post, request) -> str:
    if post.is_public:
        return site_url(request, permalink_for(post))
    return site_url(request, f"/?{'page_id' if post.is_page else 'p'}={post.pk}")


def guid(post: Post, request) -> str:
    # Byline's own guid ("byline:post:N") is not an address; WordPress's is `?p=N`.
    if post.guid and not post.guid.startswith("byline:"):
        return post.guid
    return site_url(request, f"/?{'page_id' if post.is_page else 'p'}={post.pk}")


def excerpt_html(post: Post, words: int | None = None) -> str:
    if post.excerpt:
        return f"<p>{text_html(post.excerpt)}</p>\n"
    text = " ".join(strip_tags(post.content_html).split())
    if not text:
        return ""
    short = Truncator(text).words(words or EXCERPT_WORDS, truncate=" [&hellip;]")
    return f"<p>{text_html(short).replace(' [&amp;hellip;]', ' [&hellip;]')}</p>\n"


def shown_status(post: Post) -> str:
    """A scheduled post whose time has come is published (Byline publishes on read, not by cron)."""
    return "publish" if post.status == "future" and post.is_public else post.status


def unlocked(post: Post, ctx: Ctx) -> bool:
    """A protected post's text shows to its editors, or with its password (the `password` argument)."""
    if not post.password:
        return True
    if ctx.password is not None and constant_time_compare(ctx.password, post.password):
        return True
    return can_edit_post(ctx.user, post)


def allowed_methods(post: Post, ctx: Ctx) -> list[str]:
    allow = ["GET"]
    if can_edit_post(ctx.user, post):
        allow += ["POST", "PUT", "PATCH"]
    if can_delete_post(ctx.user, post):
        allow.append("DELETE")
    return allow


def serialize_post(post: Post, ctx: Ctx) -> dict:
    request, page = ctx.request, post.is_page
    open_text = unlocked(post, ctx)
    categories = [] if page else list(post.categories.all())
    tags = [] if page else list(post.tags.all())
    protected = bool(post.password)
    data = {"id": post.pk, "date": local_date(post.published_at)}
    if not ctx.embed:
        data.update(
            date_gmt=gmt_date(post.published_at),
            guid=rendered(guid(post, request), post.guid, ctx),
            modified=local_date(post.modified_at),
            modified_gmt=gmt_date(post.modified_at),
        )
        if ctx.edit:
            data["password"] = post.password
    data["slug"] = post.slug
    if not ctx.embed:
        data["status"] = shown_status(post)
    data.update(type=post.post_type, link=post_link(post, request))
    data["title"] = rendered(text_html(post.title), post.title, ctx)
    if not ctx.embed:
        content = absolute_html(post.content_html, request) if open_text else ""
        extra = {"protected": protected}
        if ctx.edit:
            extra["block_version"] = 0
        data["content"] = rendered(content, post.body, ctx, **extra)
    data["excerpt"] = rendered(
        excerpt_html(post, ctx.excerpt_length) if open_text else "", post.excerpt, ctx, protected=protected
    )
    data["author"] = post.author_id
    data["featured_media"] = post.featured_image_id or 0
    if page:
        data.update(parent=post.parent_id or 0, menu_order=post.menu_order)
    if not ctx.embed:
        data.update(comment_status=post.comment_status, ping_status=post.ping_status)
        if not page:
            data["sticky"] = post.sticky
        data["template"] = ""
        if not page:
            data["format"] = "standard"
        data["meta"] = []
        if not page:
            data.update(categories=[c.pk for c in categories], tags=[t.pk for t in tags])
        data["class_list"] = class_list(post, categories, tags)
    if ctx.edit:
        structure = "/%pagename%/" if page else get_option("permalink_structure")
        data.update(permalink_template=site_url(request, structure), generated_slug=slugify(post.title))
    data["_links"], data["_embeddable"] = post_links(post, ctx, categories, tags)
    return data


def class_list(post: Post, categories, tags) -> list[str]:
    classes = [f"post-{post.pk}", post.post_type, f"type-{post.post_type}", f"status-{shown_status(post)}"]
    if not post.is_page:
        classes.append("format-standard")
    if post.featured_image_id:
        classes.append("has-post-thumbnail")
    classes.append("hentry")
    classes += [f"category-{c.slug}" for c in categories] + [f"tag-{t.slug}" for t in tags]
    return classes


def post_links(post: Post, ctx: Ctx, categories, tags) -> tuple[dict, list]:
    request, base = ctx.request, rest_base(post)
    links = {
        "self": link(v2(request, f"{base}/{post.pk}"), targetHints={"allow": allowed_methods(post, ctx)}),
        "collection": link(v2(request, base)),
        "about": link(v2(request, f"types/{post.post_type}")),
        "author": link(v2(request, f"users/{post.author_id}"), embeddable=True),
        "replies": link(v2(request, "comments", post=post.pk), embeddable=True),
    }
    embeddable = [("author", "user", post.author_id)]
    if post.comment_status == "open" or post.is_public:
        embeddable.append(("replies", "replies", post.pk))
    if post.is_page and post.parent_id:
        links["up"] = link(v2(request, f"pages/{post.parent_id}"), embeddable=True)
        embeddable.append(("up", "post", post.parent_id))
    if post.featured_image_id:
        links["wp:featuredmedia"] = link(v2(request, f"media/{post.featured_image_id}"), embeddable=True)
        embeddable.append(("wp:featuredmedia", "media", post.featured_image_id))
    links["wp:attachment"] = link(v2(request, "media", parent=post.pk))
    if not post.is_page:
        term_ctx = ctx.as_embed()
        links["wp:term"] = [
            {"taxonomy": "category", "embeddable": True, "href": v2(request, "categories", post=post.pk)},
            {"taxonomy": "post_tag", "embeddable": True, "href": v2(request, "tags", post=post.pk)},
        ]
        embeddable.append(("wp:term", "lazy", lambda: [serialize_term(c, term_ctx) for c in categories]))
        embeddable.append(("wp:term", "lazy", lambda: [serialize_term(t, term_ctx) for t in tags]))
    links["curies"] = CURIES
    return links, embeddable


@resolver("post")
def _embed_posts(request, keys) -> dict:
    ctx = Ctx(request, "embed")
    posts = with_relations(Post.objects.filter(pk__in=keys))
    return {p.pk: serialize_post(p, ctx) for p in posts if can_read_post(request.user, p)}
