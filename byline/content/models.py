"""The blog's content: posts and pages, their authors, categories, tags, media and corrections."""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import models
from django.utils import timezone

from byline import sitewide


class Role(models.TextChoices):
    """WordPress's roles, with the same powers (see services.ROLE_POWERS)."""

    ADMINISTRATOR = "administrator", "Administrator"
    EDITOR = "editor", "Editor"
    AUTHOR = "author", "Author"
    CONTRIBUTOR = "contributor", "Contributor"
    SUBSCRIBER = "subscriber", "Subscriber"


class AuthorProfile(models.Model):
    """What readers see of a user: the name on bylines, the bio in the author box."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=250)
    bio = models.TextField(
        blank=True, help_text="Shown in the author box under each post. Simple HTML allowed."
    )
    website = models.URLField(blank=True, max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SUBSCRIBER)
    avatar = models.ForeignKey("Media", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        db_table = "byline_author_profile"

    def __str__(self):
        return self.display_name


class Category(models.Model):
    """A hierarchical section of the site (WordPress's category taxonomy)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    description = models.TextField(blank=True)
    wp_term_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "byline_category"
        ordering = ["name", "slug"]  # slug: two terms may share a name; the order must not vary
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class Tag(models.Model):
    """A free-form label (WordPress's post_tag taxonomy)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(blank=True)
    wp_term_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "byline_tag"
        ordering = ["name", "slug"]  # slug: two terms may share a name; the order must not vary

    def __str__(self):
        return self.name


def media_upload_to(media, filename: str) -> str:
    """Files go under the year and month of the item (WordPress's uploads/YYYY/MM/)."""
    when = media.created_at or timezone.now()
    return f"{when:%Y/%m}/{filename}"


class Media(models.Model):
    """An uploaded (or imported) image with what a newsroom needs around it."""

    file = models.ImageField(
        upload_to=media_upload_to, blank=True, width_field="width", height_field="height"
    )
    original_url = models.URLField(
        max_length=500, blank=True, help_text="Where the file came from (imports)."
    )
    title = models.CharField(max_length=250, blank=True)
    alt = models.CharField(
        "alt text",
        max_length=500,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it.",
    )
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=250, blank=True, help_text="Photographer/Agency")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    mime_type = models.CharField(max_length=100, blank=True, editable=False)
    # Thumbnails for srcset: [{"width": 640, "height": 427, "name": "2025/09/photo-640w.jpg"}, ...]
    sizes = models.JSONField(default=list, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)
    wp_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "byline_media"
        ordering = ["-created_at"]
        verbose_name_plural = "media"

    def __str__(self):
        return self.title or self.file.name or self.original_url

    @property
    def url(self) -> str:
        return self.file.url if self.file else self.original_url


class PostType(models.TextChoices):
    POST = "post", "Post"
    PAGE = "page", "Page"


class Status(models.TextChoices):
    """WordPress's post statuses."""

    DRAFT = "draft", "Draft"
    PENDING = "pending", "Pending review"
    PUBLISH = "publish", "Published"
    FUTURE = "future", "Scheduled"
    PRIVATE = "private", "Private"


class BodyFormat(models.TextChoices):
    HTML = "html", "HTML"
    MARKDOWN = "markdown", "Markdown"
    # Imported from WordPress and kept as WordPress stored it: shown through WordPress's own
    # display chain (wpautop, [caption], [gallery], blocks), see formatting.render_wordpress_content.
    WORDPRESS = "wordpress", "WordPress (as imported)"


class CommentStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class PostQuerySet(models.QuerySet):
    def public(self):
        """What anonymous readers may see: published posts; scheduled ones turn published
        when their time comes, on the first read after it (no cron job)."""
        publish_due_posts()
        return self.filter(status=Status.PUBLISH)

    def posts(self):
        return self.filter(post_type=PostType.POST)

    def pages(self):
        return self.filter(post_type=PostType.PAGE)

    def search(self, terms: str, columns=("title", "excerpt", "body"), *, exact: bool = False):
        """Posts with every word of `terms` in one of `columns`, annotated `search_rank`
        (the full-text index of `content/search.py`; an empty `terms` filters nothing).

        A password-protected post is found by its title only: its excerpt and body are what
        the password guards, so a search must not reveal a word of them (they are not indexed).
        """
        from . import search

        if not (terms or "").strip():
            return self
        return search.matching(self, terms, columns=columns, exact=exact)


_due = threading.local()


def request_started(**_kwargs) -> None:
    """Each request checks once for scheduled posts that are due (connected in apps.py)."""
    _due.in_request, _due.checked = True, False


def request_finished(**_kwargs) -> None:
    _due.in_request = False


def _next_scheduled():
    return (
        Post.objects.filter(status=Status.FUTURE, published_at__isnull=False)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def publish_due_posts() -> int:
    """Publish scheduled posts whose time has come (WordPress's future → publish)."""
    if getattr(_due, "in_request", False):
        if _due.checked:
            return 0
        _due.checked = True
    now = timezone.now()
    # When the next scheduled post is due, remembered until the site changes (scheduling a
    # post is a change): the common case, nothing due yet, costs no query.
    first = sitewide.remembered("next_scheduled", _next_scheduled)
    if first is None or first > now:
        return 0
    due = Post.objects.filter(status=Status.FUTURE, published_at__lte=now)
    if not due.exists():
        return 0
    count = due.update(status=Status.PUBLISH)
    from byline.signals import site_changed

    site_changed.send(sender=Post, reason=f"{count} scheduled posts published")
    return count


class Post(models.Model):
    """A post or a page. Pages have no date in their address and may have a parent page."""

    # No single-column index on post_type or status: with two or five values they would lead
    # SQLite's planner away from the slug and date indexes (measured: a full scan per page view).
    post_type = models.CharField(max_length=10, choices=PostType.choices, default=PostType.POST)
    title = models.CharField(max_length=500)
    subtitle = models.CharField(
        "dek",
        max_length=500,
        blank=True,
        help_text="One line under the headline; also the page's meta description.",
    )
    slug = models.SlugField(
        max_length=200,
        allow_unicode=True,
        blank=True,
        help_text="The last part of the address; made from the title when left empty.",
    )
    body = models.TextField(blank=True, help_text="HTML or Markdown. Insert a photo with [media id=N].")
    body_format = models.CharField(max_length=10, choices=BodyFormat.choices, default=BodyFormat.HTML)
    content_html = models.TextField(blank=True, editable=False)  # the body rendered and sanitised on save
    excerpt = models.TextField(blank=True)
    # What index pages show when the writer wrote no excerpt: WordPress's 55 words of the
    # rendered text, and the featured image or the body's first photo. Set by save_post.
    auto_excerpt = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("publish date", default=timezone.now, db_index=True)
    modified_at = models.DateTimeField("modified", default=timezone.now)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts")
    sticky = models.BooleanField(default=False, help_text="Keep at the top of the home page.")
    comment_status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.OPEN
    )
    ping_status = models.CharField(max_length=10, choices=CommentStatus.choices, default=CommentStatus.CLOSED)
    password = models.CharField(
        max_length=255,
        blank=True,
        help_text="Readers must type it to see the text (WordPress's post password).",
    )
    categories = models.ManyToManyField(Category, blank=True, related_name="posts")
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    featured_image = models.ForeignKey(
        Media, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image = models.ForeignKey(
        Media, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    figures = models.ManyToManyField(Media, blank=True, related_name="shown_in", editable=False)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    menu_order = models.IntegerField(default=0)
    guid = models.CharField(max_length=500, blank=True, editable=False)
    wp_id = models.BigIntegerField(null=True, blank=True, editable=False, db_index=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        db_table = "byline_post"
        ordering = ["-published_at", "-id"]
        permissions = [("publish_post", "Can publish posts"), ("edit_others_posts", "Can edit others' posts")]
        indexes = [
            # The home page's order (sticky first, newest first) straight from the index.
            models.Index(fields=["post_type", "status", "sticky", "published_at"], name="post_listing_idx"),
            models.Index(fields=["status", "published_at"], name="post_due_idx"),
            # slug first: unique_slug and permalink lookups ask for (slug, post_type); without
            # statistics SQLite would otherwise scan all posts of the type through post_type.
            models.Index(fields=["slug", "post_type"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_page(self) -> bool:
        return self.post_type == PostType.PAGE

    @property
    def is_public(self) -> bool:
        """Published, or scheduled and due: readers may see it (published on read, no cron)."""
        if self.status == Status.PUBLISH:
            return True
        return self.status == Status.FUTURE and self.published_at <= timezone.now()

    @property
    def updated_at(self):
        """When the post last changed for a reader: its own edits or its corrections' latest change."""
        latest = self.corrected_at
        return max(self.modified_at, latest) if latest else self.modified_at

    @property
    def corrected_at(self):
        """The latest correction's addition, edit or withdrawal (None without corrections)."""
        return max((c.changed_at for c in self.corrections.all()), default=None)


class Page(Post):
    """Pages get their own list in the admin, as in WordPress."""

    class Meta:
        proxy = True


class Correction(models.Model):
    """A dated correction, listed at the end of the post (oldest first).

    A correction is never silently changed or removed: an edit keeps the earlier text in
    `CorrectionRevision` and shows "Updated <date>"; a withdrawal keeps the text, struck
    through, with "Withdrawn <date>".
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="corrections")
    date = models.DateTimeField(default=timezone.now)
    text = models.TextField(help_text="What was wrong and what is right. Simple HTML allowed.")
    edited_at = models.DateTimeField("updated", null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField("withdrawn", null=True, blank=True, editable=False)

    class Meta:
        db_table = "byline_correction"
        ordering = ["date", "id"]

    def __str__(self):
        return f"Correction of {self.date:%Y-%m-%d}"

    @property
    def changed_at(self):
        """When readers last saw it change: added, edited or withdrawn."""
        return max(d for d in (self.date, self.edited_at, self.withdrawn_at) if d is not None)


class CorrectionChange(models.TextChoices):
    EDITED = "edited", "Edited"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CorrectionRevision(models.Model):
    """A correction's text and date as they were before an edit or a withdrawal, with who and when."""

    correction = models.ForeignKey(Correction, on_delete=models.CASCADE, related_name="history")
    text = models.TextField()
    date = models.DateTimeField()
    change = models.CharField(max_length=20, choices=CorrectionChange.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "byline_correction_revision"
        ordering = ["recorded_at", "id"]

    def __str__(self):
        return f"{self.get_change_display()} {self.recorded_at:%Y-%m-%d %H:%M}"


class OldPermalink(models.Model):
    """An address a post used to have; requests for it get a 301 to the current one."""

    path = models.CharField(max_length=500, unique=True)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="old_permalinks")

    class Meta:
        db_table = "byline_old_permalink"

    def __str__(self):
        return self.path


class RevisionKind(models.TextChoices):
    REVISION = "revision", "Revision"
    AUTOSAVE = "autosave", "Autosave"


class Revision(models.Model):
    """A saved state of a post's text: one per save (who and when), and one autosave per user.

    WordPress keeps both as `revision` posts; here they are rows of their own so that an
    autosave never touches the live post until "Update".
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=10, choices=RevisionKind.choices, default=RevisionKind.REVISION)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=500, blank=True)
    subtitle = models.CharField(max_length=500, blank=True)
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True)
    body_format = models.CharField(max_length=10, choices=BodyFormat.choices, default=BodyFormat.HTML)

    class Meta:
        db_table = "byline_revision"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "author"], condition=models.Q(kind="autosave"), name="one_autosave_per_user"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of post {self.post_id} at {self.created_at:%Y-%m-%d %H:%M}"
