"""RSS 2.0 and Atom feeds at WordPress's addresses (/feed/, /feed/atom/, per category, tag, author)."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, Stylesheet
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.xmlutils import SimplerXMLGenerator

from byline.comments.models import Comment, CommentStatus
from byline.comments.sanitize import clean_stored_comment
from byline.content.models import Category, Post, Tag
from byline.content.permalinks import category_path, local, permalink_for
from byline.options.store import get_option
from byline.text import clean_data

from . import queries
from .feed_content import absolute_urls, add_image_sizes, media_sizes, unsized_media_names
from .views import PROTECTED_EXCERPT

User = get_user_model()


def feed_stylesheets(self, obj=None) -> list[Stylesheet]:
    """A browser that opens a feed shows it through the theme's feed.css; feed readers ignore it."""
    return [Stylesheet(static("byline/feed.css"), mimetype="text/css", media="screen")]


class _CleanText:
    """Every text of a feed without the characters XML 1.0 cannot hold.

    The entries refuse or strip them (byline.text); this keeps a row stored before that, or
    written by hand, from turning every comment feed into a server error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*clean_data(list(args)), **clean_data(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*clean_data(list(args)), **clean_data(kwargs))

    def write(self, outfile, encoding):
        # The XML writer makes a write per tag and per text (about 500 for ten posts), and
        # each write to an HttpResponse encodes and stores a chunk: written to a string
        # first, the response gets one.
        document = io.StringIO()
        super().write(document, encoding)
        outfile.write(document.getvalue())


class WordPressRss(_CleanText, Rss201rev2Feed):
    """RSS 2.0 as WordPress writes it: the full text in content:encoded, the author in dc:creator."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("websub_hub"):  # WebSub 4: the hub is announced beside rel=self
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.feed["websub_hub"]})

    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        attrs["xmlns:dc"] = "http://purl.org/dc/elements/1.1/"
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("creator") and not item.get("author_name"):  # Django writes it from author_name
            handler.addQuickElement("dc:creator", item["creator"])
        if item.get("content_encoded"):
            handler.addQuickElement("content:encoded", item["content_encoded"])


class _AtomWithStylesheets(Atom1Feed):
    def write(self, outfile, encoding):
        # Atom1Feed.write as in Django 5.2, with the stylesheets that only its RssFeed writes.
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed.get("stylesheets") or []:
            handler.processingInstruction("xml-stylesheet", stylesheet)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class WordPressAtom(_CleanText, _AtomWithStylesheets):
    """Atom with the full text as <content type="html"> beside the <summary>."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("websub_hub"):
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["websub_hub"]})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_encoded"):
            handler.addQuickElement("content", item["content_encoded"], {"type": "html"})


class PostsFeed(Feed):
    """The newest public posts, optionally of one category, tag or author."""

    feed_type = WordPressRss
    stylesheets = feed_stylesheets

    def feed_extra_kwargs(self, obj):
        return {"websub_hub": get_option("websub_hub")}

    def get_object(self, request, kind=None, value=None):
        self.request = request
        if kind == "category":
            return ("category", queries.category_by_path(value))
        if kind == "tag":
            return ("tag", get_object_or_404(Tag, slug=value))
        if kind == "author":
            return ("author", get_object_or_404(User.objects.select_related("profile"), username=value))
        return None

    def title(self, obj):
        name = get_option("blogname")
        if obj is None:
            return name
        kind, thing = obj
        label = thing.profile.display_name if kind == "author" and hasattr(thing, "profile") else str(thing)
        return f"{name} » {label}"

    def link(self, obj):
        if obj is None:
            return "/"
        kind, thing = obj
        if kind == "category":
            return f"/category/{category_path(thing)}/"
        if kind == "tag":
            return f"/tag/{thing.slug}/"
        return f"/author/{thing.get_username()}/"

    def description(self, obj):
        return get_option("blogdescription")

    def items(self, obj):
        qs = queries.public_posts()
        if obj is not None:
            kind, thing = obj
            if kind == "category":
                qs = queries.in_categories(qs, thing)
            elif kind == "tag":
                qs = qs.filter(tags=thing)
            else:
                qs = qs.filter(author=thing)
        posts = list(
            qs.select_related("author__profile")
            .defer("body")  # the source text: the feed sends content_html, rendered on save
            .prefetch_related(  # the feed shows a term's name only
                Prefetch("categories", queryset=Category.objects.only("id", "name")),
                Prefetch("tags", queryset=Tag.objects.only("id", "name")),
                "corrections",
            )
            .order_by("-published_at", "-id")[: get_option("posts_per_rss")]
        )
        shown = [p.content_html for p in posts if not p.password]
        self.image_sizes = (
            media_sizes(unsized_media_names(shown)) if not get_option("rss_use_excerpt") else {}
        )
        return posts

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return permalink_for(item)

    def item_guid(self, item):
        return self.request.build_absolute_uri(f"/?p={item.pk}")

    item_guid_is_permalink = False

    def item_description(self, item):
        if item.password:
            return PROTECTED_EXCERPT
        return item.excerpt or item.subtitle or Truncator(strip_tags(item.content_html)).words(55)

    def item_extra_kwargs(self, item):
        extra = {"creator": getattr(item.author, "profile", None) and item.author.profile.display_name}
        if not get_option("rss_use_excerpt") and not item.password:
            content = add_image_sizes(item.content_html, self.image_sizes) + _corrections_html(item)
            base = self.request.build_absolute_uri(permalink_for(item))
            extra["content_encoded"] = absolute_urls(content, base)
        return extra

    def item_author_name(self, item):
        profile = getattr(item.author, "profile", None)
        return profile.display_name if profile else item.author.get_username()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at  # a correction makes the entry "updated"

    def item_categories(self, item):
        return [c.name for c in item.categories.all()] + [t.name for t in item.tags.all()]


def _corrections_html(post: Post) -> str:
    items = "".join(_correction_html(c) for c in post.corrections.all())
    return f'<div class="corrections">{items}</div>' if items else ""


def _correction_html(c) -> str:
    """As the page shows it: a withdrawn correction struck through and dated, an edited one "Updated"."""
    if c.withdrawn_at:
        when = f"{local(c.withdrawn_at):%Y-%m-%d}"
        return f"<p><strong>Correction withdrawn {when}:</strong></p><del>{c.text}</del>"
    updated = f" <em>(Updated {local(c.edited_at):%Y-%m-%d})</em>" if c.edited_at else ""
    return f"<p><strong>Correction:</strong> {c.text}{updated}</p>"


class AtomPostsFeed(PostsFeed):
    feed_type = WordPressAtom

    def subtitle(self, obj):
        return get_option("blogdescription")

    def item_description(self, item):
        return PROTECTED_EXCERPT if item.password else (item.excerpt or item.subtitle or "")


def _per_request(feed_class):
    """A fresh Feed object per request: the feeds keep the request on `self`, and server
    threads must not share that."""

    def view(request, *args, **kwargs):
        return _for_browsers(request, feed_class()(request, *args, **kwargs))

    return view


def _for_browsers(request, response):
    """A browser opening a feed gets it as XML so that it applies the stylesheet: Chromium
    shows `application/rss+xml` as plain text. Feed readers keep the feed's own type."""
    patch_vary_headers(response, ["Accept"])
    if "text/html" in request.headers.get("Accept", ""):
        response["Content-Type"] = "application/xml; charset=utf-8"
    return response


rss = _per_request(PostsFeed)
atom = _per_request(AtomPostsFeed)


class CommentsFeed(Feed):
    """Approved comments, newest first: the whole site's (/comments/feed/) or one post's (<permalink>feed/).

    Names only: a commenter's email and IP never appear in a feed.
    """

    feed_type = WordPressRss
    stylesheets = feed_stylesheets

    def feed_extra_kwargs(self, obj):
        return {"websub_hub": get_option("websub_hub")}

    def get_object(self, request, post=None):
        self.request = request
        return post

    def title(self, post):
        if post is None:
            return f"Comments for {get_option('blogname')}"
        return f"Comments on: {post.title}"

    def link(self, post):
        return permalink_for(post) + "#comments" if post is not None else "/"

    def description(self, post):
        return get_option("blogdescription")

    def items(self, post):
        qs = Comment.objects.filter(status=CommentStatus.APPROVED, post__in=Post.objects.public())
        if post is not None:
            qs = qs.filter(post=post)
        else:
            qs = qs.filter(
                post__password=""
            )  # WordPress leaves protected posts' comments out of the site feed
        return list(
            qs.select_related("post__author", "post__parent")
            .prefetch_related("post__categories")
            .order_by("-created_at", "-id")[: get_option("posts_per_rss")]
        )

    def item_title(self, item):
        return (
            f"By: {item.author_name}" if self._post else f"Comment on {item.post.title} by {item.author_name}"
        )

    def item_link(self, item):
        return f"{permalink_for(item.post)}#comment-{item.pk}"

    def item_guid(self, item):
        return self.request.build_absolute_uri(f"/?p={item.post_id}#comment-{item.pk}")

    item_guid_is_permalink = False

    def item_description(self, item):
        if item.post.password:
            return "This comment is on a protected post."
        base = self.request.build_absolute_uri(permalink_for(item.post))
        return absolute_urls(clean_stored_comment(item.content), base)

    def item_author_name(self, item):
        return item.author_name

    def item_extra_kwargs(self, item):
        return {"creator": item.author_name}

    def item_pubdate(self, item):
        return item.created_at

    def __call__(self, request, *args, **kwargs):
        self._post = kwargs.get("post")
        return super().__call__(request, *args, **kwargs)


class AtomCommentsFeed(CommentsFeed):
    feed_type = WordPressAtom

    def subtitle(self, post):
        return get_option("blogdescription")


comments_rss = _per_request(CommentsFeed)
comments_atom = _per_request(AtomCommentsFeed)


def post_comments_feed(request, base: str, kind: str | None):
    """`<permalink>feed/` (and `feed/atom/`): one post's comments."""
    from .views import find_post  # noqa: PLC0415 - views import this module

    post = find_post(request, base)
    if post is None:
        raise Http404("No such post.")
    return (comments_atom if kind == "atom" else comments_rss)(request, post=post)
