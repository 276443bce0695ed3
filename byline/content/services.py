"""The content operations every interface calls: the admin, the theme, the CLI, imports, the API.

Validation, slugs, rendering, old-address redirects and the `site_changed` signal happen
here once, whoever saves.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from byline.signals import site_changed
from byline.text import clean_text, safe_url

from . import capabilities, images, search
from .excerpts import automatic_excerpt, first_photo
from .models import (
    AuthorProfile,
    Category,
    Correction,
    CorrectionChange,
    CorrectionRevision,
    Media,
    OldPermalink,
    Post,
    Revision,
    RevisionKind,
    Role,
    Status,
    Tag,
)
from .permalinks import permalink_for
from .rendering import media_ids_in, render_body, sanitize_post_html

User = get_user_model()

# Which Django permissions each WordPress role carries (models of this app and comments).
ROLE_POWERS: dict[str, set[str]] = {
    Role.EDITOR: {
        "add_post",
        "change_post",
        "delete_post",
        "view_post",
        "add_category",
        "change_category",
        "delete_category",
        "view_category",
        "add_tag",
        "change_tag",
        "delete_tag",
        "view_tag",
        "add_media",
        "change_media",
        "delete_media",
        "view_media",
        "add_correction",
        "change_correction",
        "delete_correction",
        "view_correction",
        "publish_post",
        "edit_others_posts",
        "moderate_comments",
        "view_authorprofile",
    },
    Role.AUTHOR: {
        "add_post",
        "change_post",
        "delete_post",
        "view_post",
        "view_category",
        "view_tag",
        "add_tag",
        "add_media",
        "change_media",
        "view_media",
        "add_correction",
        "change_correction",
        "view_correction",
        "publish_post",
    },
    Role.CONTRIBUTOR: {"add_post", "change_post", "view_post", "view_category", "view_tag", "view_media"},
    Role.SUBSCRIBER: set(),
}


def ensure_role_groups() -> dict[str, Group]:
    """Create (or refresh) one auth group per WordPress role with that role's permissions."""
    groups = {}
    for role, codenames in ROLE_POWERS.items():
        group, _ = Group.objects.get_or_create(name=Role(role).label)
        perms = Permission.objects.filter(codename__in=codenames)
        group.permissions.set(perms)
        groups[role] = group
    return groups


def create_user(
    username: str,
    *,
    email: str,
    role: str,
    password: str | None = None,
    display_name: str = "",
    bio: str = "",
    website: str = "",
) -> User:
    """Create a user with a WordPress role and an author profile; refuse duplicates clearly."""
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}; the roles are: {', '.join(Role.values)}.")
    if not username or len(username) > 150:
        raise ValidationError("A user name of 1 to 150 characters is needed.")
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"There is already a user called {username!r}.")
    if website and not safe_url(website):
        raise ValidationError("A website must be an http or https address.")
    with transaction.atomic():
        user = User(username=username, email=email)
        user.is_superuser = role == Role.ADMINISTRATOR
        user.is_staff = role != Role.SUBSCRIBER
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        AuthorProfile.objects.create(
            user=user,
            display_name=display_name or username,
            role=role,
            bio=sanitize_post_html(bio),
            website=website,
        )
        apply_role(user, role)
    return user


def apply_role(user, role: str) -> None:
    """Give a user exactly the powers of a WordPress role: staff and superuser flags, one group."""
    groups = ensure_role_groups()
    user.is_superuser = role == Role.ADMINISTRATOR
    user.is_staff = role != Role.SUBSCRIBER
    user.save(update_fields=["is_superuser", "is_staff"])
    user.groups.remove(*groups.values())
    if role not in (Role.ADMINISTRATOR, Role.SUBSCRIBER):
        user.groups.add(groups[role])


def display_name(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_full_name() or user.get_username()


def unique_slug(
    title_or_slug: str, *, post: Post | None = None, post_type: str = "post", parent_id: int | None = None
) -> str:
    """A slug not used by another post of the same type (and parent, for pages), WordPress-style: -2, -3…"""
    base = slugify(title_or_slug, allow_unicode=True)[:190].strip("-") or "untitled"
    qs = Post.objects.filter(post_type=post_type)
    if post_type == "page":
        qs = qs.filter(parent_id=parent_id)
    if post is not None and post.pk:
        qs = qs.exclude(pk=post.pk)
    slug, n = base, 2
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _public_path(post: Post) -> str | None:
    """The path as requests arrive with it (decoded: `/2025/09/över/`), or None if not public."""
    return unquote(permalink_for(post)) if post.is_public else None


PUBLISHING = (Status.PUBLISH, Status.FUTURE, Status.PRIVATE)


def decide_status(post: Post, previous: Post | None, *, by=None, date_floats: bool = False) -> None:
    """WordPress's publish and schedule rules (wp_insert_post), the same for every caller.

    A person without publish powers who asks for a public status gets "pending" (their
    "Publish" submits the post for review); a post published with a date still to come is
    scheduled, a scheduled one whose date has passed is published; and when the writer did
    not choose the date (`date_floats`), a post made public for the first time is dated now.
    """
    was_public = previous is not None and previous.status in PUBLISHING
    asks_public = post.status in PUBLISHING and (previous is None or previous.status != post.status)
    if by is not None and asks_public and not capabilities.can_publish(by):
        post.status = Status.PENDING
    if date_floats and post.status in (Status.PUBLISH, Status.PRIVATE) and not was_public:
        post.published_at = timezone.now()
    if post.status == Status.PUBLISH and post.published_at > timezone.now():
        post.status = Status.FUTURE
    elif post.status == Status.FUTURE and post.published_at <= timezone.now():
        post.status = Status.PUBLISH


def check_may_save(post: Post, previous: Post | None, by) -> None:
    """Refuse a save the person may not make: someone else's post, or a post they may not edit."""
    if by is None:
        return
    if previous is not None and not capabilities.can_edit_post(by, previous):
        raise PermissionDenied("Sorry, you are not allowed to edit this post.")
    if post.author_id != by.pk and not capabilities.can_edit_others(by):
        raise PermissionDenied("Sorry, you are not allowed to write posts as another user.")


def save_post(
    post: Post,
    *,
    categories: Iterable[Category] | None = None,
    tags: Iterable[Tag] | None = None,
    touch: bool = True,
    by=None,
    date_floats: bool = False,
) -> Post:
    """Save a post or page: its status decided, unique slug, rendered body, old address kept.

    `by` is the signed-in person saving (the admin, the REST API, the desk pass it): their
    capabilities decide whether they may save this post and whether "publish" publishes.
    None means Byline itself (an import, the CLI, the demo), which takes the status as given.
    `date_floats`: the writer left the date alone, so first publication dates the post now.
    """
    if not post.title.strip():
        raise ValidationError({"title": "A post needs a title."})
    with transaction.atomic():
        previous = None
        if post.pk:
            previous = Post.objects.filter(pk=post.pk).select_related("author", "parent").first()
        check_may_save(post, previous, by)
        decide_status(post, previous, by=by, date_floats=date_floats)
        old_path = _public_path(previous) if previous is not None else None
        post.slug = unique_slug(
            post.slug or post.title, post=post, post_type=post.post_type, parent_id=post.parent_id
        )
        media = Media.objects.in_bulk(media_ids_in(post.body))
        rendered = render_body(post.body, post.body_format, media)
        post.content_html = rendered.html
        post.unknown_shortcodes = rendered.unknown_shortcodes  # what an import reports
        post.auto_excerpt = automatic_excerpt(rendered.html)
        post.lead_image = lead_image_for(post, media)
        post.excerpt = post.excerpt.strip()
        if touch or not post.modified_at:
            post.modified_at = timezone.now()
        post.save()
        if not post.guid:
            post.guid = f"byline:post:{post.pk}"
            post.save(update_fields=["guid"])
        if categories is not None:
            post.categories.set(categories)
        if tags is not None:
            post.tags.set(tags)
        post.figures.set(rendered.media_ids)
        remember_old_path(post, old_path)
        search.index_post(post)
    site_changed.send(sender=Post, reason=f"post {post.pk} saved")
    return post


def lead_image_for(post: Post, media_by_id: dict[int, Media] | None = None) -> Media | None:
    """The photo beside a post on index pages: its featured image, else its body's first photo.

    A password-protected post shows only its featured image: its body's photos are its text.
    """
    if post.featured_image_id or post.password:
        return post.featured_image if post.featured_image_id else None
    media_id, file_name = first_photo(post.content_html, settings.MEDIA_URL)
    if media_id is not None:
        return (media_by_id or {}).get(media_id) or Media.objects.filter(pk=media_id).first()
    if file_name:
        # An imported body names the file, perhaps one of WordPress's sizes (photo-300x200.jpg).
        original = re.sub(r"-(?:\d+x\d+|\d+w)(\.\w+)$", r"\1", file_name)
        found = {m.file.name: m for m in Media.objects.filter(file__in={file_name, original})}
        return found.get(file_name) or found.get(original)
    return None


def remember_old_path(post: Post, old_path: str | None) -> None:
    """If the post's address changed, keep the old one as a 301 to the new."""
    new_path = _public_path(post)
    if new_path:
        OldPermalink.objects.filter(path=new_path).delete()
    if old_path and old_path != new_path:
        OldPermalink.objects.update_or_create(path=old_path, defaults={"post": post})


def rerender_posts_showing(media: Media) -> None:
    """A photo's caption or credit changed: render again the posts that show it."""
    for post in Post.objects.filter(figures=media):
        save_post(post, touch=False)


def add_correction(
    post: Post,
    text: str,
    *,
    date: datetime | None = None,
    by=None,
    edited_at: datetime | None = None,
    withdrawn_at: datetime | None = None,
) -> Correction:
    """Add a dated correction; the post's feeds and JSON-LD show it as an update.

    `edited_at` and `withdrawn_at` are for an import that carries a correction's state.
    """
    _check_correction(post, text, by)
    correction = Correction.objects.create(
        post=post,
        text=sanitize_post_html(text),
        date=date or timezone.now(),
        edited_at=edited_at,
        withdrawn_at=withdrawn_at,
    )
    site_changed.send(sender=Correction, reason=f"correction on post {post.pk}")
    return correction


def update_correction(
    correction: Correction, *, text: str, date: datetime | None = None, by=None
) -> Correction:
    """Change a correction's text or date, visibly: the earlier text and date are kept in its
    history (`CorrectionRevision`) and readers see "Updated <date>". No change, no record."""
    _check_correction(correction.post, text, by)
    if correction.withdrawn_at is not None:
        raise ValidationError("A withdrawn correction cannot be edited; add a new correction instead.")
    clean = sanitize_post_html(text)
    new_date = date if date is not None else correction.date
    if (clean, new_date) == (correction.text, correction.date):
        return correction
    with transaction.atomic():
        _keep_correction(correction, CorrectionChange.EDITED, by)
        correction.text, correction.date = clean, new_date
        correction.edited_at = timezone.now()
        correction.save()
    site_changed.send(sender=Correction, reason=f"correction {correction.pk} changed")
    return correction


def withdraw_correction(correction: Correction, *, by=None) -> Correction:
    """Withdraw a correction, visibly: it stays on the post, struck through, "Withdrawn <date>"."""
    if by is not None and not capabilities.can_edit_post(by, correction.post):
        raise PermissionDenied("Sorry, you are not allowed to edit this post's corrections.")
    if correction.withdrawn_at is not None:
        raise ValidationError("This correction was already withdrawn.")
    with transaction.atomic():
        _keep_correction(correction, CorrectionChange.WITHDRAWN, by)
        correction.withdrawn_at = timezone.now()
        correction.save(update_fields=["withdrawn_at"])
    site_changed.send(sender=Correction, reason=f"correction {correction.pk} withdrawn")
    return correction


def _keep_correction(correction: Correction, change: str, by) -> None:
    CorrectionRevision.objects.create(
        correction=correction,
        text=correction.text,
        date=correction.date,
        change=change,
        author=by if getattr(by, "pk", None) else None,
    )


def _check_correction(post: Post, text: str, by) -> None:
    if by is not None and not capabilities.can_edit_post(by, post):
        raise PermissionDenied("Sorry, you are not allowed to edit this post's corrections.")
    if not text.strip():
        raise ValidationError({"text": "A correction needs its text."})


def get_or_create_term(model, name: str, *, slug: str = "", parent=None, description: str = ""):
    """A category or tag by slug, created with that name if it does not exist yet."""
    slug = slugify(slug or name, allow_unicode=True)[:190] or "term"
    defaults = {"name": name, "description": description}
    if model is Category:
        defaults["parent"] = parent
    term, _ = model.objects.get_or_create(slug=slug, defaults=defaults)
    return term


# --- an import's second pass: links between items known only at the end of the file ------------


def link_featured_images(links: Iterable[tuple[int, int]]) -> int:
    """Give posts their featured images, from (post id, photo id) pairs; one update per photo.

    The featured image is shown by the theme, not inside the rendered body, so nothing is
    rendered again (an import links thousands of posts at once).
    """
    by_photo: dict[int, list[int]] = {}
    for post_id, media_id in links:
        by_photo.setdefault(media_id, []).append(post_id)
    changed = 0
    with transaction.atomic():
        for media_id, post_ids in by_photo.items():
            # The featured image is also the photo index pages show beside the post (lead_image).
            changed += Post.objects.filter(pk__in=post_ids).update(
                featured_image_id=media_id, lead_image_id=media_id
            )
    if changed:
        site_changed.send(sender=Post, reason=f"featured images of {changed} posts")
    return changed


def place_page(page_id: int, parent_id: int) -> None:
    """Put a page under its parent, with a slug unique among its new siblings.

    For an import's pages, whose parent may come later in the file: the page was created in
    the same import, so it had no earlier public address to redirect from.
    """
    page = Post.objects.get(pk=page_id)
    slug = unique_slug(page.slug, post=page, post_type=page.post_type, parent_id=parent_id)
    Post.objects.filter(pk=page_id).update(parent_id=parent_id, slug=slug)
    site_changed.send(sender=Post, reason=f"page {page_id} placed under {parent_id}")


def keep_old_addresses(addresses: Iterable[tuple[str, int]]) -> None:
    """301s from addresses a blog had before (path, post id); a path already taken keeps its post.

    The first blog imported keeps its old links when a second one brings the same paths.
    """
    rows = [OldPermalink(path=path, post_id=post_id) for path, post_id in addresses]
    OldPermalink.objects.bulk_create(rows, ignore_conflicts=True)


# --- media -----------------------------------------------------------------------------------

THUMBNAIL_WIDTHS, IMAGE_FORMATS = images.THUMBNAIL_WIDTHS, images.IMAGE_FORMATS


def _open_image(data: bytes) -> Image.Image:
    """The checks every upload path shares (size from the header first): see `images`."""
    return images.open_checked(data)


def create_media(
    data: bytes,
    filename: str,
    *,
    title: str = "",
    alt: str = "",
    caption: str = "",
    credit: str = "",
    uploaded_by=None,
    created_at: datetime | None = None,
    original_url: str = "",
    wp_id: int | None = None,
    into: Media | None = None,
) -> Media:
    """Store an uploaded image with its thumbnails; refuse anything that is not a sound image.

    A refusal, or any failure while the thumbnails are made, leaves nothing behind: no row,
    no file. `original_url` and `wp_id` are an imported photo's address and id in WordPress.
    `into` is a photo known so far only by its address (record_remote_media): it gets the
    file and keeps its id and texts, so the posts that show it need no change.
    """
    image = _open_image(data)
    base, ext = os.path.splitext(os.path.basename(filename))
    name = slugify(base) or "image"
    ext = ext.lower() if ext.lower() in (".jpg", ".jpeg", ".png", ".gif", ".webp") else ".jpg"
    if into is not None:
        media = into
        media.mime_type = IMAGE_FORMATS[image.format]
    else:
        media = Media(
            title=title or base,
            alt=alt,
            caption=caption,
            credit=credit,
            uploaded_by=uploaded_by,
            mime_type=IMAGE_FORMATS[image.format],
            created_at=created_at or timezone.now(),
            original_url=safe_url(original_url),
            wp_id=wp_id,
        )
    saved: list[str] = []
    # A large photo's thumbnails take seconds: the worker makes them (content/tasks.py), and
    # until then pages show the original, which srcset-less markup handles.
    later = image.width * image.height > settings.BYLINE_THUMBNAILS_LATER_PIXELS
    try:
        with transaction.atomic():
            media.file.save(name + ext, ContentFile(data), save=False)
            saved.append(media.file.name)
            media.width, media.height = image.size
            media.sizes = [] if later else images.make_thumbnails(image, media.file.name, saved)
            media.save()
            if later:
                from byline.tasks import defer

                from .tasks import make_thumbnails_later

                defer(make_thumbnails_later, media.pk)
    except BaseException as exc:
        for stored in saved:
            default_storage.delete(stored)
        if isinstance(exc, OSError):
            # A read-only or full media folder: say which folder and why.
            raise ValidationError(_storage_problem(exc)) from exc
        if isinstance(exc, ValueError | MemoryError):
            raise ValidationError("Byline could not make the thumbnails of this image.") from exc
        raise
    return media


def record_remote_media(
    url: str,
    *,
    mime_type: str = "",
    width: int | None = None,
    height: int | None = None,
    wp_id: int | None = None,
    **fields,
) -> Media:
    """A photo known only by its address (an import without the uploads folder): no file is stored.

    Takes create_media's text fields; an address with an unsafe scheme is kept as none.
    """
    return Media.objects.create(
        original_url=safe_url(url),
        mime_type=mime_type[:100],
        width=width,
        height=height,
        wp_id=wp_id,
        **fields,
    )


def _storage_problem(exc: OSError) -> str:
    from django.conf import settings

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "it is full"
    elif exc.errno == errno.EFBIG:
        why = f"the system does not let Byline write a file this large there ({exc.strerror})"
    else:
        why = f"it cannot be written to ({exc.strerror})"
    return (
        f"The photo could not be stored: the media folder {settings.MEDIA_ROOT} is unusable, {why}. "
        "Nothing was saved; the site's administrator must fix the folder."
    )


# --- deleting, and editing terms and media (the REST API's writes) ------------------------------


def delete_post(post: Post, *, by=None) -> None:
    """Delete a post or page for good, with its comments and corrections (Byline has no trash)."""
    if by is not None and not capabilities.can_delete_post(by, post):
        raise PermissionDenied("Sorry, you are not allowed to delete this post.")
    pk = post.pk
    with transaction.atomic():
        post.delete()
    site_changed.send(sender=Post, reason=f"post {pk} deleted")


def check_category_parent(term, parent) -> None:
    """Refuse a parent that is the category itself or sits below it."""
    node, seen = parent, set()
    while node is not None and node.pk not in seen:
        if term.pk and node.pk == term.pk:
            raise ValidationError({"parent": "A category cannot sit below itself."})
        seen.add(node.pk)
        node = node.parent


def save_term(
    term,
    *,
    name: str | None = None,
    slug: str | None = None,
    description: str | None = None,
    parent=...,
    by=None,
) -> Category | Tag:
    """Create or change a category or tag: a name, a unique slug, a parent that is not below itself."""
    model = type(term)
    action = "change" if term.pk else "add"
    if by is not None and not capabilities.can_manage_terms(by, model._meta.model_name, action):
        raise PermissionDenied(f"Sorry, you are not allowed to {action} {model._meta.verbose_name_plural}.")
    if name is not None:
        term.name = name.strip()
    if not term.name:
        raise ValidationError({"name": "A term needs a name."})
    if description is not None:
        term.description = sanitize_post_html(description)
    if parent is not ... and model is Category:
        check_category_parent(term, parent)
        term.parent = parent
    if slug is not None or not term.slug:
        base = slugify(slug or term.name, allow_unicode=True)[:190].strip("-") or "term"
        candidate, n = base, 2
        taken = model.objects.exclude(pk=term.pk) if term.pk else model.objects.all()
        if slug and taken.filter(slug=base).exists():
            raise ValidationError({"slug": f"The slug {base!r} is already used by another term."})
        while taken.filter(slug=candidate).exists():
            candidate, n = f"{base}-{n}", n + 1
        term.slug = candidate
    with transaction.atomic():
        term.save()
    site_changed.send(sender=model, reason=f"{model.__name__.lower()} {term.pk} saved")
    return term


def delete_term(term, *, by=None) -> None:
    """Delete a category or tag; its posts stay, without it (a category's children move up)."""
    model, pk = type(term), term.pk
    if by is not None and not capabilities.can_manage_terms(by, model._meta.model_name, "delete"):
        raise PermissionDenied(f"Sorry, you are not allowed to delete {model._meta.verbose_name_plural}.")
    with transaction.atomic():
        if model is Category:
            Category.objects.filter(parent=term).update(parent=term.parent)
        term.delete()
    site_changed.send(sender=model, reason=f"{model.__name__.lower()} {pk} deleted")


def update_media(media: Media, *, by=None, data: bytes | None = None, filename: str = "", **fields) -> Media:
    """Change a photo's title, alt text, caption or credit, or replace its file (`data`).

    Posts that show it are rendered again; a replaced file's old copies leave the disk.
    """
    if by is not None and not capabilities.can_edit_media(by, media, "change"):
        raise PermissionDenied("Sorry, you are not allowed to edit this photo.")
    for name in ("title", "alt", "caption", "credit"):
        if fields.get(name) is not None:
            setattr(media, name, fields[name])
    old_files = []
    with transaction.atomic():
        if data is not None:
            old_files = _stored_files(media)
            _replace_file(media, data, filename or media.file.name)
        media.save()
        rerender_posts_showing(media)
    for name in old_files:
        default_storage.delete(name)
    site_changed.send(sender=Media, reason=f"media {media.pk} saved")
    return media


def _replace_file(media: Media, data: bytes, filename: str) -> None:
    """A new file for a photo (checked as an upload is), with new thumbnails; not saved yet."""
    image = _open_image(data)
    base, ext = os.path.splitext(os.path.basename(filename))
    ext = ext.lower() if ext.lower() in (".jpg", ".jpeg", ".png", ".gif", ".webp") else ".jpg"
    saved: list[str] = []
    try:
        media.file.save((slugify(base) or "image") + ext, ContentFile(data), save=False)
        saved.append(media.file.name)
        media.mime_type = IMAGE_FORMATS[image.format]
        media.width, media.height = image.size
        media.sizes = images.make_thumbnails(image, media.file.name, saved)
    except BaseException as exc:
        for stored in saved:  # the new files only: the photo keeps its old ones
            default_storage.delete(stored)
        if isinstance(exc, OSError | ValueError | MemoryError):
            raise ValidationError("Byline could not make the thumbnails of this image.") from exc
        raise


def _stored_files(media: Media) -> list[str]:
    names = [media.file.name] if media.file else []
    return names + [size["name"] for size in media.sizes or []]


def delete_media(media: Media, *, by=None) -> None:
    """Delete a photo, its file and thumbnails; posts that showed it are rendered without it."""
    if by is not None and not capabilities.can_edit_media(by, media, "delete"):
        raise PermissionDenied("Sorry, you are not allowed to delete this photo.")
    pk = media.pk
    shown_in = list(Post.objects.filter(figures=media))
    names = _stored_files(media)
    with transaction.atomic():
        media.delete()
        for post in shown_in:
            save_post(post, touch=False)
    for name in names:
        default_storage.delete(name)
    site_changed.send(sender=Media, reason=f"media {pk} deleted")


def update_profile(user, *, display_name: str, email: str, website: str = "", bio: str = "") -> None:
    """A writer's own details from the desk's profile page: the bio is sanitised as post HTML."""
    with transaction.atomic():
        user.email = email
        user.save(update_fields=["email"])
        profile, _ = AuthorProfile.objects.get_or_create(user=user, defaults={"display_name": display_name})
        profile.display_name, profile.website, profile.bio = display_name, website, bio
        save_profile(profile, by=user)


def save_user(user, *, by) -> None:
    """Save an account from the admin's user form: its names cleaned, as only `by` may.

    Raises PermissionDenied unless `by` may edit this person (their own account, or edit_users).
    """
    if user.pk and not capabilities.can_edit_user(by, user):
        raise PermissionDenied("You may not edit this user.")
    if not user.pk and not capabilities.can_promote_users(by):
        raise PermissionDenied("You may not add users.")
    user.first_name = clean_text(user.first_name).strip()
    user.last_name = clean_text(user.last_name).strip()
    user.save()
    site_changed.send(sender=User, reason=f"user {user.pk} saved")


def save_profile(profile: AuthorProfile, *, by) -> AuthorProfile:
    """Save an author's public face and role (the admin, the desk): cleaned, checked, the role applied.

    The bio is sanitised as post HTML and the website must be http(s), as everywhere an
    address is taken. Anyone may edit their own profile; only promote_users changes a role.
    Raises PermissionDenied or ValidationError, saving nothing.
    """
    user = profile.user
    if not capabilities.can_edit_user(by, user):
        raise PermissionDenied("You may not edit this profile.")
    stored = AuthorProfile.objects.filter(pk=profile.pk).values_list("role", flat=True).first()
    if profile.role not in Role.values:
        raise ValidationError(f"Unknown role {profile.role!r}; the roles are: {', '.join(Role.values)}.")
    if profile.role != stored and not capabilities.can_promote_users(by):
        raise PermissionDenied("You may not change anyone's role.")
    website = (profile.website or "").strip()
    if website and not safe_url(website):
        raise ValidationError("A website must be an http or https address.")
    profile.website = website
    profile.display_name = clean_text(profile.display_name).strip()[:250] or user.get_username()
    profile.bio = sanitize_post_html(clean_text(profile.bio or ""))
    with transaction.atomic():
        profile.save()
        if profile.role != stored:
            apply_role(user, profile.role)
    site_changed.send(sender=AuthorProfile, reason=f"profile of user {user.pk} saved")
    return profile


def change_post_status(post: Post, status: str, *, by) -> Post:
    """Publish a post or move it back to draft (the desk's bulk actions), as `by` may.

    The status is only asked for: save_post(by=...) decides it, as for every other save, so
    a contributor's "publish" submits the post for review and a post dated ahead is
    scheduled. Raises PermissionDenied when `by` may not edit the post at all.
    """
    if not capabilities.can_edit_post(by, post):
        raise PermissionDenied(f"You may not change “{post.title}”.")
    if post.status != status:
        post.status = status
        save_post(post, by=by)
    return post


# --- revisions and autosaves (the desk's editor) ----------------------------------------------------

REVISION_FIELDS = ("title", "subtitle", "excerpt", "body", "body_format")


def record_revision(post: Post, user) -> Revision:
    """Keep the text a save produced, with who saved it and when (WordPress's post revisions).

    The user's autosave is dropped: what it held is now saved.
    """
    with transaction.atomic():
        revision = Revision.objects.create(
            post=post,
            kind=RevisionKind.REVISION,
            author=user,
            **{f: getattr(post, f) for f in REVISION_FIELDS},
        )
        Revision.objects.filter(post=post, author=user, kind=RevisionKind.AUTOSAVE).delete()
    return revision


def autosave(post: Post, user, **fields) -> Revision:
    """Keep one user's unsaved text of a post beside it; the post itself (live or not) is untouched."""
    values = {f: str(fields.get(f) or "") for f in REVISION_FIELDS if f in fields}
    values["created_at"] = timezone.now()
    revision, _ = Revision.objects.update_or_create(
        post=post, author=user, kind=RevisionKind.AUTOSAVE, defaults=values
    )
    return revision


def discard_autosave(post: Post, user) -> None:
    """The writer chose the saved text over their autosave."""
    Revision.objects.filter(post=post, author=user, kind=RevisionKind.AUTOSAVE).delete()
