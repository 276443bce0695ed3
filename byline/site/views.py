"""The public site's views: WordPress's addresses, rendered by the Jinja2 theme."""

from __future__ import annotations

import hashlib
import hmac
import re
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.shortcuts import render as render_template
from django.utils.crypto import constant_time_compare
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_cookie

from byline.content.models import Category, OldPermalink, Post, Tag
from byline.content.permalinks import category_path, match_post_path, permalink_for
from byline.content.rendering import figure_html, media_display_url
from byline.options.store import get_option, set_option
from byline.security.media import serve_media

from . import queries
from .comments import comment_context
from .jsonld import post_jsonld

User = get_user_model()


def render(request, template: str, context: dict, status: int | None = None) -> HttpResponse:
    """A theme page, with the REST API's discovery header (WordPress's rest_output_link_header)."""
    context.setdefault("menu_pages", queries.menu_pages())
    remember_site_address(request)
    response = render_template(request, template, context, status=status)
    response["Link"] = f'<{request.build_absolute_uri("/wp-json/")}>; rel="https://api.w.org/"'
    return response


def remember_site_address(request) -> None:
    """The first page served records the address it was asked at (the siteurl option), as
    WordPress records its address when it is installed; exports write it. One option write,
    once: after that the option (read with the others, no extra query) is set."""
    if not get_option("siteurl"):
        set_option("siteurl", request.build_absolute_uri("/").rstrip("/"))


def _page_number(raw) -> int:
    """A page number from the address; anything but a positive whole number is a 404."""
    if raw is None:
        return 1
    if not re.fullmatch(r"[1-9]\d{0,6}", str(raw)):
        raise Http404("No such page.")
    return int(raw)


def _listing(request, template: str, listing: queries.Listing, **context) -> HttpResponse:
    return render(request, template, {"listing": listing, "posts": listing.posts, **context})


def front(request, page=None):
    """`/` and `/page/N/`: the home page, or WordPress's query-string addresses (?s=, ?p=, …)."""
    query = request.GET
    if "s" in query:
        return search(request, page)
    if query.get("preview") and re.fullmatch(r"\d{1,18}", query.get("p", query.get("page_id", ""))):
        return preview(request, int(query.get("p", query.get("page_id"))))
    for key in ("p", "page_id", "cat", "tag", "author"):
        if key in query:
            return _query_redirect(request, key, query[key])
    listing = queries.home(_page_number(page))
    return _listing(request, "index.html", listing, is_home=True)


def _query_redirect(request, key: str, value: str):
    """WordPress answers ?p=ID, ?page_id=ID, ?cat=ID, ?tag=slug and ?author=ID with a 301."""
    if key == "tag":
        tag = get_object_or_404(Tag, slug=value)
        return HttpResponsePermanentRedirect(f"/tag/{tag.slug}/")
    if not re.fullmatch(r"\d{1,18}", value):
        raise Http404("No such item.")
    if key in ("p", "page_id"):
        public = Post.objects.public().select_related("author", "parent")
        # An imported post answers to its WordPress id first: those are the ?p= links in the wild.
        post = public.filter(wp_id=int(value)).order_by("pk").first() or public.filter(pk=int(value)).first()
        if post is None:
            raise Http404("No such post.")
        return HttpResponsePermanentRedirect(permalink_for(post))
    if key == "cat":
        return HttpResponsePermanentRedirect(
            f"/category/{category_path(get_object_or_404(Category, pk=value))}/"
        )
    user = get_object_or_404(User, pk=value)
    if not Post.objects.public().filter(author=user).exists():
        raise Http404("No such author.")
    return HttpResponsePermanentRedirect(f"/author/{user.get_username()}/")


def search(request, page=None):
    terms = request.GET.get("s", "").strip()[:200]
    listing = queries.search(terms, _page_number(page)) if terms else None
    return render(
        request,
        "search.html",
        {"listing": listing, "posts": listing.posts if listing else [], "terms": terms},
        status=200,
    )


def category_archive(request, path, page=None):
    category = queries.category_by_path(path)
    listing = queries.category_archive(category, _page_number(page))
    listing.feed_path = f"/category/{category_path(category)}/feed/"
    return _listing(request, "archive.html", listing, archive_kind="Category", term=category)


def tag_archive(request, slug, page=None):
    tag = get_object_or_404(Tag, slug=slug)
    listing = queries.tag_archive(tag, _page_number(page))
    listing.feed_path = f"/tag/{tag.slug}/feed/"
    return _listing(request, "archive.html", listing, archive_kind="Tag", term=tag)


def author_archive(request, login, page=None):
    user = get_object_or_404(User.objects.select_related("profile"), username=login)
    listing = queries.author_archive(user, _page_number(page))
    if listing.count == 0:
        raise Http404("No such author.")  # no archive (and no account enumeration) for non-authors
    listing.title = user.profile.display_name if hasattr(user, "profile") else login
    listing.feed_path = f"/author/{login}/feed/"
    return _listing(request, "archive.html", listing, archive_kind="Author", author=user)


def date_archive(request, year, month=None, day=None, page=None):
    year, month, day = int(year), int(month) if month else None, int(day) if day else None
    listing = queries.date_archive(year, month, day, _page_number(page))
    if listing.count == 0:
        raise Http404("No posts on that date.")
    return _listing(request, "archive.html", listing, archive_kind="Date", year=year, month=month, day=day)


# --- single posts and pages -------------------------------------------------------------------


def _postpass_cookie(post: Post) -> str:
    return "wp-postpass_" + str(post.pk)


def _postpass_token(post: Post) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{post.pk}:{post.password}".encode(), hashlib.sha256
    ).hexdigest()


def password_ok(request, post: Post) -> bool:
    if not post.password:
        return True
    given = request.COOKIES.get(_postpass_cookie(post), "")
    # constant_time_compare compares UTF-8 bytes: hmac.compare_digest refuses non-ASCII text.
    return constant_time_compare(given, _postpass_token(post))


@require_POST
def postpass(request, post_id: int):
    """The password form of a protected post (WordPress's wp-login.php?action=postpass)."""
    post = get_object_or_404(Post.objects.public(), pk=post_id)
    target = permalink_for(post)
    response = HttpResponseRedirect(target)
    if constant_time_compare(request.POST.get("post_password", ""), post.password):
        response.set_cookie(
            _postpass_cookie(post),
            _postpass_token(post),
            max_age=10 * 24 * 3600,
            httponly=True,
            samesite="Lax",
        )
    return response


PROTECTED_EXCERPT = "There is no excerpt because this is a protected post."


def _description(post: Post) -> str:
    if post.password:
        return post.subtitle or PROTECTED_EXCERPT  # never a word of the protected text
    text = post.subtitle or post.excerpt or strip_tags(post.content_html)
    return Truncator(" ".join(text.split())).words(40)


def _can_preview(request) -> bool:
    user = request.user
    return user.is_authenticated and user.is_staff and user.has_perm("content.view_post")


def render_single(
    request, post: Post, *, comment_state=None, comment_page: int | None = None
) -> HttpResponse:
    """A post's or page's own page with everything around it (REFERENCE-PAGE sections 1, 2 and 3)."""
    permalink = permalink_for(post)
    url = request.build_absolute_uri(permalink)
    profile = getattr(post.author, "profile", None)
    author_path = f"/author/{post.author.get_username()}/"
    description = _description(post)
    figures = list(post.figures.all())
    image = post.featured_image or (figures[0] if figures else None)
    featured = post.featured_image if post.featured_image and post.featured_image not in figures else None
    context = {
        "post": post,
        "profile": profile,
        "permalink": permalink,
        "canonical": url,
        "author_path": author_path,
        "categories": list(post.categories.all()),
        "tags": list(post.tags.all()),
        "corrections": list(post.corrections.all()),
        "description": description,
        "featured_html": figure_html(featured) if featured else "",
        "og_image": request.build_absolute_uri(media_display_url(image)) if image else None,
        "unlocked": password_ok(request, post),
        # Why a comment on a locked post was refused, shown above its password form.
        "refusal": comment_state.message if comment_state is not None else "",
        "jsonld": post_jsonld(
            post,
            url=url,
            absolute=request.build_absolute_uri,
            author_url=request.build_absolute_uri(author_path),
            site_name=get_option("blogname"),
            description=description,
        ),
        "feed_path": permalink + "feed/",
    }
    if context["unlocked"]:
        context.update(comment_context(request, post, comment_page=comment_page, state=comment_state))
    return render(request, "page.html" if post.is_page else "single.html", context)


_FEED_SUFFIX = re.compile(r"^(?P<base>.*/)feed/(?:(?P<kind>rss2|atom)/)?$")
_COMMENT_PAGE = re.compile(r"^(?P<base>.*/)comment-page-(?P<page>[1-9]\d{0,5})/$")


@vary_on_cookie
def resolve(request, path: str):
    """Every other address: a post's permalink, a page's path, an old address, or a 404."""
    path = "/" + path
    feed = _FEED_SUFFIX.match(path)
    if feed:
        from .feeds import post_comments_feed  # noqa: PLC0415 - feeds import views' helpers

        return post_comments_feed(request, feed.group("base"), feed.group("kind"))
    comment_page = None
    paged = _COMMENT_PAGE.match(path)
    if paged:
        path, comment_page = paged.group("base"), int(paged.group("page"))
    post = find_post(request, path)
    if post is None:
        target = old_address(path)
        if target:
            return HttpResponsePermanentRedirect(target)
        raise Http404("Nothing here.")
    if unquote(permalink_for(post)) != path:  # the path arrives decoded; permalinks are %-encoded
        return HttpResponsePermanentRedirect(permalink_for(post))
    return render_single(request, post, comment_page=comment_page)


def find_post(request, path: str) -> Post | None:
    address = match_post_path(path)
    post = queries.single_post(address) if address else None
    return post or queries.page_by_path(path)


def old_address(path: str) -> str | None:
    """Where an old address now lives: a recorded one, else a post whose slug ends the path
    (WordPress's redirect_guess_404_permalink)."""
    old = OldPermalink.objects.filter(path=path).select_related("post").first()
    if old and old.post.is_public:
        return permalink_for(old.post)
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if last and not last.isdigit():
        guess = Post.objects.public().filter(slug=last).select_related("author", "parent").first()
        if guess is not None:
            return permalink_for(guess)
    return None


def preview(request, post_id: int):
    """Authors see a draft as readers will (WordPress's ?p=ID&preview=true)."""
    if not _can_preview(request):
        raise Http404("No such post.")
    post = queries.single_post_by_id(post_id, any_status=True)
    if post is None:
        raise Http404("No such post.")
    response = render_single(request, post)
    response["X-Robots-Tag"] = "noindex"
    return response


# --- files and machine-readable extras -----------------------------------------------------------


def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/"]
    if not get_option("blog_public"):
        lines = ["User-agent: *", "Disallow: /"]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def media_file(request, path: str):
    """Uploaded media: the type sniffed from the file, anything but an image an attachment.

    `byline.security.media.MediaMiddleware` answers /media/ before the rest of the stack;
    this view is the same answer for a site whose middleware list leaves it out.
    """
    return serve_media(request, path)


def page_not_found(request, exception=None):
    return render(request, "404.html", {"path": request.path}, status=404)


def server_error(request):
    # No database here: it may be what failed.
    return render_template(request, "500.html", {}, status=500)
