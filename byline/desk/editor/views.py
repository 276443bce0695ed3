"""The editor's pages and the small JSON endpoints its script talks to.

Every decision about who may do what is asked of `byline.content.capabilities`; every write goes
through `byline.content.services`. The JSON endpoints answer a signed-out browser with 401 and a
message (the script keeps the text and asks the writer to sign in again), never a login page.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from byline.content import capabilities as can
from byline.content import services
from byline.content.models import (
    Category,
    CommentStatus,
    Media,
    Post,
    PostType,
    Revision,
    RevisionKind,
    Status,
    Tag,
)
from byline.content.permalinks import local, permalink_for, site_zone
from byline.options.store import get_option

from . import bodies, corrections, locks
from .metadata import FetchRefused, clipping_fields, fetch_page

MAX_BODY_CHARS = 2_000_000  # about 300,000 words: far past any post, short of a memory problem
LIVE = services.PUBLISHING


class BadInput(Exception):
    """A request the writer can correct: answered 400 with this message, nothing changed."""


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"ok": False, "message": message}, status=status)


def writer_page(view):
    """A desk page: signed-in writers only; others go to the sign-in page and come back."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can.signed_in(request.user):
            return redirect_to_login(request.get_full_path(), "/wp-login.php", "redirect_to")
        if not can.can_write_posts(request.user):
            return render(request, "desk/editor/refused.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def writer_json(view):
    """A JSON endpoint of the editor: 401 when the session has expired, 403 for non-writers."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can.signed_in(request.user):
            return _json_error(
                "Your session has expired. Sign in again in a new tab; your text is kept here.", 401
            )
        if not can.can_write_posts(request.user):
            return _json_error("Your account cannot write posts.", 403)
        try:
            return view(request, *args, **kwargs)
        except BadInput as exc:
            return _json_error(str(exc), 400)
        except ValidationError as exc:
            return _json_error(" ".join(exc.messages), 400)
        except PermissionDenied as exc:
            return _json_error(str(exc) or "You may not do this.", 403)

    return wrapped


def _payload(request) -> dict:
    if len(request.body) > MAX_BODY_CHARS * 2:
        raise BadInput("The post is too long to save (more than two million characters).")
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadInput("The editor sent something that is not JSON.") from exc
    if not isinstance(data, dict):
        raise BadInput("The editor sent something that is not a post.")
    return data


def _post_for(request, post_id) -> Post:
    try:
        post = Post.objects.select_related("author").get(pk=int(post_id))
    except (Post.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404("No such post.") from exc
    if not can.can_edit_post(request.user, post):
        raise PermissionError
    return post


def _editable(request, post_id) -> Post:
    """The post for a JSON endpoint: `writer_json` answers 403 with this message if it is not theirs."""
    try:
        return _post_for(request, post_id)
    except PermissionError as exc:
        raise PermissionDenied("You cannot edit this post.") from exc


# --- the editor page -------------------------------------------------------------------------------


def _category_tree(selected: set[int]) -> list[dict]:
    categories = list(Category.objects.all())
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    rows: list[dict] = []

    def walk(parent_id, depth):
        for category in children.get(parent_id, []):
            rows.append(
                {"id": category.pk, "name": category.name, "depth": depth, "checked": category.pk in selected}
            )
            if depth < 10:
                walk(category.pk, depth + 1)

    walk(None, 0)
    return rows


def _state(post: Post | None, user, post_type: str, body_html: str) -> dict:
    """What the editor's script starts from."""
    if post is None:
        return {
            "id": None,
            "post_type": post_type,
            "status": Status.DRAFT,
            "title": "",
            "subtitle": "",
            "slug": "",
            "body": body_html,
            "body_format": "html",
            "excerpt": "",
            "date": "",
            "tags": [],
            "featured_image": None,
            "comments_open": get_option("default_comment_status") == "open"
            if _has_option("default_comment_status")
            else True,
            "sticky": False,
            "password": "",
            "visibility": "public",
            "author": user.pk,
            "version": "",
            "view_url": "",
        }
    return {
        "id": post.pk,
        "post_type": post.post_type,
        "status": post.status,
        "title": post.title,
        "subtitle": post.subtitle,
        "slug": post.slug,
        "body": body_html,
        "body_format": post.body_format if body_html == post.body else "html",
        "excerpt": post.excerpt,
        "date": local(post.published_at).strftime("%Y-%m-%dT%H:%M") if post.status != Status.DRAFT else "",
        "tags": [t.name for t in post.tags.all()],
        "featured_image": post.featured_image_id,
        "comments_open": post.comment_status == CommentStatus.OPEN,
        "sticky": post.sticky,
        "password": post.password,
        "visibility": _visibility_of(post),
        "author": post.author_id,
        "version": post.modified_at.isoformat(),
        "view_url": permalink_for(post) if post.is_public else "",
    }


def _visibility_of(post: Post) -> str:
    """WordPress's three visibilities: Public, Password protected, Private."""
    if post.status == Status.PRIVATE:
        return "private"
    return "password" if post.password else "public"


def _has_option(name: str) -> bool:
    try:
        get_option(name)
    except Exception:  # noqa: BLE001 - an option this version does not declare
        return False
    return True


def _editor_body(post: Post | None, text: str, body_format: str) -> str:
    """HTML bodies open in the visual editor; Markdown and imported ones stay as they are until converted."""
    return bodies.to_editor_html(text, "html") if body_format == "html" else text


@writer_page
@require_GET
def post_new(request):
    """WordPress's post-new.php: an empty editor (?post_type=page for a page); nothing is stored yet."""
    post_type = PostType.PAGE if request.GET.get("post_type") == "page" else PostType.POST
    prefill = ""
    if request.GET.get("clip_url"):  # the Press This bookmarklet
        prefill = bodies.clipping_html(
            {
                "url": request.GET.get("clip_url", "")[:2000],
                "headline": request.GET.get("clip_title", "")[:500],
                "text": request.GET.get("clip_text", "")[:20000],
            }
        )
        prefill = bodies.to_editor_html(prefill, "html")
    return _editor(request, None, post_type, prefill)


def post_edit(request):
    """WordPress's post.php: GET ?post=ID&action=edit opens the editor; POST saves (JSON)."""
    if request.method == "POST":
        return save(request)
    return _edit_page(request)


@writer_page
def _edit_page(request):
    if request.GET.get("action", "edit") != "edit":
        raise Http404("Unknown action.")
    try:
        post = _post_for(request, request.GET.get("post"))
    except PermissionError:
        return render(request, "desk/editor/refused.html", status=403)
    return _editor(request, post, post.post_type, None)


def _address_base(request, post: Post | None, post_type: str) -> str:
    """The post's address up to its slug ("https://site/2026/12/"), shown before the first save."""
    if post_type == PostType.PAGE and (post is None or post.parent_id is None):
        return request.build_absolute_uri("/")
    if post is not None and post.pk:
        path = permalink_for(post)
        slug_at = path.rstrip("/").rfind("/") + 1
        return request.build_absolute_uri(path[:slug_at])
    sample = Post(post_type=post_type, slug="\x00", published_at=timezone.now(), author=request.user)
    structure = str(get_option("permalink_structure"))
    if "%category%" in structure or "%post_id%" in structure:
        return request.build_absolute_uri("/")  # not known until the post is saved and filed
    path = permalink_for(sample, structure)
    return request.build_absolute_uri(path.split("%00")[0])


def _editor(request, post: Post | None, post_type: str, prefill: str | None) -> object:
    user = request.user
    notice = ""
    text, body_format = (post.body, post.body_format) if post else (prefill or "", "html")
    restore = request.GET.get("restore")
    if post and restore:
        revision = Revision.objects.filter(pk=restore if restore.isdigit() else 0, post=post).first()
        if revision is not None:
            text, body_format = revision.body, revision.body_format
            notice = f"Restored the text of {local(revision.created_at):%d %b %Y %H:%M}. " + (
                "Nothing public changes until you press Update."
                if post.status in LIVE
                else "Save to keep it."
            )
    body_html = _editor_body(post, text, body_format)
    state = _state(post, user, post_type, body_html)
    if post and restore and notice:
        state["body_format"] = body_format if body_format != "html" else "html"
        revision = Revision.objects.get(pk=restore)
        state.update(title=revision.title or post.title, subtitle=revision.subtitle, excerpt=revision.excerpt)
    autosave_offer = None
    holder = None
    if post:
        mine = Revision.objects.filter(post=post, author=user, kind=RevisionKind.AUTOSAVE).first()
        if mine and mine.created_at > post.modified_at and not restore:
            autosave_offer = {
                "id": mine.pk,
                "when": f"{local(mine.created_at):%d %b %Y %H:%M}",
                "title": mine.title,
                "body": _editor_body(post, mine.body, mine.body_format),
                "body_format": mine.body_format,
                "subtitle": mine.subtitle,
                "excerpt": mine.excerpt,
            }
        holder = locks.holder(post.pk, user)
        if holder is None:
            locks.take(post.pk, user)
    selected = set(post.categories.values_list("pk", flat=True)) if post else set()
    authors = []
    if can.can_edit_others(user):
        User = get_user_model()
        for person in User.objects.filter(is_staff=True).select_related("profile").order_by("username"):
            authors.append({"id": person.pk, "name": services.display_name(person)})
    revisions = list(
        Revision.objects.filter(post=post, kind=RevisionKind.REVISION).select_related(
            "author", "author__profile"
        )[:20]
        if post
        else []
    )
    context = {
        "post": post,
        "post_type": post_type,
        "state": state,
        "autosave_offer": autosave_offer,
        "notice": notice,
        "lock_holder": holder,
        "categories": _category_tree(selected),
        "can_publish": can.can_publish(user),
        "can_add_category": can.can_manage_terms(user, "category", "add"),
        "can_edit_others": can.can_edit_others(user),
        "authors": authors,
        "zone": str(site_zone().key),
        "revisions": [
            {
                "id": r.pk,
                "when": f"{local(r.created_at):%d %b %Y %H:%M}",
                "who": services.display_name(r.author) if r.author else "—",
            }
            for r in revisions
        ],
        "corrections": corrections.panel_items(post),
        "featured": post.featured_image if post else None,
        "site_name": get_option("blogname"),
        "site_url": request.build_absolute_uri("/"),
        "address_base": _address_base(request, post, post_type),
        "now_local": f"{local(timezone.now()):%Y-%m-%dT%H:%M}",
    }
    return render(request, "desk/editor/edit.html", context)


# --- saving ------------------------------------------------------------------------------------------


def _parse_local(value: str) -> datetime | None:
    if not value:
        return None
    try:
        naive = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadInput("The publish date is not a date and time (YYYY-MM-DDTHH:MM).") from exc
    if naive.tzinfo is None:
        naive = naive.replace(tzinfo=site_zone())
    return naive


def _apply_fields(post: Post, data: dict, user) -> tuple[list, list, list[bodies.PhotoFields]]:
    """Copy the editor's fields onto the post (unsaved); return categories, tags and photo fields."""
    for name, limit in (
        ("title", 500),
        ("subtitle", 500),
        ("slug", 200),
        ("excerpt", 20000),
        ("password", 255),
    ):
        if name in data:
            value = str(data.get(name) or "")
            if len(value) > limit:
                raise BadInput(
                    f"The {'dek' if name == 'subtitle' else name} is longer than {limit} characters."
                )
            setattr(post, name, value.strip() if name != "excerpt" else value)
    body = str(data.get("body") or "")
    if len(body) > MAX_BODY_CHARS:
        raise BadInput("The post is too long to save (more than two million characters).")
    photos: list[bodies.PhotoFields] = []
    body_format = data.get("body_format") or "html"
    if body_format == "html":
        post.body, photos = bodies.from_editor_html(body)
        post.body_format = "html"
    elif body_format in ("markdown", "wordpress"):
        post.body, post.body_format = body, body_format
    else:
        raise BadInput("Unknown body format.")
    post.comment_status = CommentStatus.OPEN if data.get("comments_open", True) else CommentStatus.CLOSED
    if can.can_edit_others(user):
        post.sticky = bool(data.get("sticky")) and post.post_type == PostType.POST
        if data.get("author"):
            author = get_user_model().objects.filter(pk=data["author"], is_staff=True).first()
            if author is None:
                raise BadInput("No such author.")
            post.author = author
    featured = data.get("featured_image")
    post.featured_image = Media.objects.filter(pk=featured).first() if featured else None
    ids = [int(i) for i in data.get("categories") or [] if str(i).isdigit()]
    categories = list(Category.objects.filter(pk__in=ids))
    tags = []
    for name in data.get("tags") or []:
        name = " ".join(str(name).split())[:200]
        if not name:
            continue
        existing = Tag.objects.filter(name__iexact=name).first()
        if existing is None and not can.can_manage_terms(user, "tag", "add"):
            raise BadInput(f"Your account cannot create the new tag {name!r}.")
        tags.append(existing or services.get_or_create_term(Tag, name))
    return categories, tags, photos


def _store_photo_fields(user, photos: list[bodies.PhotoFields]) -> None:
    for fields in photos:
        media = Media.objects.filter(pk=fields.media_id).first()
        if media is None or not can.can_edit_media(user, media):
            continue
        if (media.alt, media.caption, media.credit) != (fields.alt, fields.caption, fields.credit):
            services.update_media(
                media, by=user, alt=fields.alt, caption=fields.caption, credit=fields.credit
            )


def _answer(post: Post, message: str) -> JsonResponse:
    return JsonResponse(
        {
            "ok": True,
            "message": message,
            "id": post.pk,
            "status": post.status,
            "slug": post.slug,
            "version": post.modified_at.isoformat(),
            "view_url": permalink_for(post) if post.is_public else "",
            "edit_url": f"/wp-admin/post.php?{urlencode({'post': post.pk, 'action': 'edit'})}",
            "date": local(post.published_at).strftime("%Y-%m-%dT%H:%M"),
        }
    )


def _asked_status(action: str, visibility: str) -> str:
    """The status the writer's button asks for; "Update" of a draft publishes it, as WordPress's does."""
    if action in ("publish", "update"):
        return Status.PRIVATE if visibility == "private" else Status.PUBLISH
    return Status.PENDING if action == "pending" else Status.DRAFT


@writer_json
@require_POST
def save(request):
    """Save draft, Submit for review, Publish, Schedule or Update: one request, one answer."""
    data = _payload(request)
    user = request.user
    action = data.get("action")
    if action not in ("draft", "pending", "publish", "update"):
        raise BadInput("Unknown action: save a draft, submit for review, publish or update.")
    if data.get("id"):
        post = _editable(request, data["id"])
        if data.get("version") and data["version"] != post.modified_at.isoformat():
            return _json_error(
                "Someone else saved this post since you opened it. Your text is kept here: copy what you "
                "need, then reload to see their version. Nothing was overwritten.",
                409,
            )
        holder = locks.holder(post.pk, user)
        if holder:
            return _json_error(
                f"{holder} is editing this post now; take over to save. "
                "Your text is kept here; nothing was saved.",
                423,
            )
    else:
        post = Post(
            author=user, post_type=PostType.PAGE if data.get("post_type") == "page" else PostType.POST
        )
    was_live = post.pk and post.status in LIVE
    categories, tags, photos = _apply_fields(post, data, user)
    when = _parse_local(str(data.get("date") or ""))
    if action in ("publish", "update") and not can.can_publish(user):
        return _json_error("Your account cannot publish; use Submit for review.", 403)
    visibility = data.get("visibility") or _visibility_of(post)
    if visibility not in ("public", "password", "private"):
        raise BadInput("Visibility is public, password or private.")
    if visibility == "private" and not can.can_publish(user):
        return _json_error("Only someone who may publish can make a post private.", 403)
    if visibility != "password":
        post.password = ""
    # Only the status asked for and the date chosen: save_post(by=...) decides what they become
    # (scheduled, published, pending for a contributor), as for the REST API and the admin.
    post.status = _asked_status(action, visibility)
    if when is not None:
        post.published_at = when
    _store_photo_fields(user, photos)
    services.save_post(post, categories=categories, tags=tags, by=user, date_floats=when is None)
    services.record_revision(post, user)
    locks.take(post.pk, user)
    messages = {
        Status.DRAFT: "Draft saved.",
        Status.PENDING: "Submitted for review.",
        Status.PUBLISH: "Updated." if was_live else "Published.",
        Status.FUTURE: f"Scheduled for {local(post.published_at):%d %b %Y %H:%M}.",
        Status.PRIVATE: "Updated." if was_live else "Published privately.",
    }
    return _answer(post, messages[post.status])


@writer_json
@require_POST
def autosave(request):
    """Keep the writer's text: a new post becomes a draft; an existing one gets the user's autosave."""
    data = _payload(request)
    user = request.user
    if data.get("id"):
        post = _editable(request, data["id"])
        holder = locks.holder(post.pk, user)
        if holder:
            return _json_error(f"{holder} is editing this post; your text is kept here.", 423)
        body = str(data.get("body") or "")
        if len(body) > MAX_BODY_CHARS:
            raise BadInput("The post is too long to save (more than two million characters).")
        stored, _photos = (
            bodies.from_editor_html(body) if data.get("body_format", "html") == "html" else (body, [])
        )
        services.autosave(
            post,
            user,
            title=str(data.get("title") or "")[:500],
            subtitle=str(data.get("subtitle") or "")[:500],
            excerpt=str(data.get("excerpt") or ""),
            body=stored,
            body_format=data.get("body_format") or "html",
        )
        locks.take(post.pk, user)
        return JsonResponse(
            {"ok": True, "id": post.pk, "message": f"Autosaved at {local(timezone.now()):%H:%M}."}
        )
    post = Post(author=user, post_type=PostType.PAGE if data.get("post_type") == "page" else PostType.POST)
    data = {**data, "title": (str(data.get("title") or "").strip() or "(no title)")}
    categories, tags, photos = _apply_fields(post, data, user)
    post.status = Status.DRAFT
    services.save_post(post, categories=categories, tags=tags, by=user)
    locks.take(post.pk, user)
    answer = json.loads(_answer(post, f"Kept as a draft at {local(timezone.now()):%H:%M}.").content)
    return JsonResponse(answer)


@writer_json
@require_POST
def take_over(request):
    """A second editor takes the post lock; the first is told on their next save."""
    post = _editable(request, _payload(request).get("id"))
    locks.take(post.pk, request.user)
    return JsonResponse({"ok": True, "message": "You are now editing this post."})


@writer_json
@require_POST
def heartbeat(request):
    """The open editor's beat (WordPress's heartbeat): keeps the writer's post lock while the page is open.

    Answers 423 without taking the lock when someone else holds it, so a heartbeat never
    takes a post from under another writer.
    """
    post = _editable(request, _payload(request).get("id"))
    holder = locks.holder(post.pk, request.user)
    if holder:
        return _json_error(f"{holder} is editing this post; your text is kept here.", 423)
    locks.take(post.pk, request.user)
    return JsonResponse({"ok": True})


@writer_json
@require_POST
def discard_autosave(request):
    post = _editable(request, _payload(request).get("id"))
    services.discard_autosave(post, request.user)
    return JsonResponse({"ok": True})


@writer_json
@require_POST
def convert(request):
    """A Markdown or imported WordPress body as visual-editor HTML (the writer asked to convert)."""
    data = _payload(request)
    body_format = data.get("body_format")
    if body_format not in ("markdown", "wordpress", "html"):
        raise BadInput("Unknown body format.")
    body = str(data.get("body") or "")
    if len(body) > MAX_BODY_CHARS:
        raise BadInput("The post is too long to convert.")
    return JsonResponse({"ok": True, "body": bodies.to_editor_html(body, body_format)})


# --- photos, terms, clippings, corrections ------------------------------------------------------------


@writer_json
@require_GET
def tag_search(request):
    """Tag names for the autocomplete."""
    query = request.GET.get("q", "")[:200].strip()
    tags = Tag.objects.filter(name__icontains=query)[:10] if query else []
    return JsonResponse({"ok": True, "tags": [t.name for t in tags]})


@writer_json
@require_POST
def add_category(request):
    """ "Add new category" in the side panel."""
    if not can.can_manage_terms(request.user, "category", "add"):
        return _json_error("Your account cannot add categories.", 403)
    data = _payload(request)
    parent = Category.objects.filter(pk=data.get("parent") or 0).first()
    name = " ".join(str(data.get("name") or "").split())[:200]
    existing = Category.objects.filter(name__iexact=name, parent=parent).first()
    category = existing or services.save_term(Category(), name=name, parent=parent)
    return JsonResponse(
        {"ok": True, "id": category.pk, "name": category.name}, status=200 if existing else 201
    )


@writer_json
@require_GET
def clipping_lookup(request):
    """The clipping's fields from its page's OpenGraph / JSON-LD, fetched through the SSRF guard."""
    url = request.GET.get("url", "").strip()
    if not url or len(url) > 2000:
        raise BadInput("Give the clipping's address (an http or https URL).")
    try:
        final, html = fetch_page(url)
    except FetchRefused as exc:
        return _json_error(str(exc), 422)
    return JsonResponse({"ok": True, "fields": clipping_fields(final, html)})


@writer_json
@require_POST
def correction(request):
    """ "Add correction" on a published post in one step; with `correction`, edit or withdraw one."""
    data = _payload(request)
    post = _editable(request, data.get("id"))
    if not post.is_public:
        raise BadInput("Corrections are for published posts; edit a draft's text instead.")
    try:
        message, item, status = corrections.change(post, data, request.user, parse_date=_parse_local)
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    return JsonResponse(
        {
            "ok": True,
            "message": message,
            "id": item.pk,
            "date": f"{local(item.date):%d %b %Y %H:%M}",
            "text": item.text,
            "list_html": corrections.panel_html(post),
        },
        status=status,
    )


# --- preview -----------------------------------------------------------------------------------------

PREVIEW_SALT = "byline.desk.preview"
PREVIEW_MAX_AGE = 3 * 24 * 3600


@writer_page
@require_POST
def make_preview(request):
    """ "Preview": keep the editor's text as the writer's autosave and open a signed, expiring address."""
    try:
        data = json.loads(request.POST.get("state") or "{}")
    except ValueError:
        return render(
            request, "desk/editor/refused.html", {"message": "The editor sent no post."}, status=400
        )
    answer = _autosave_for_preview(request, data)
    if isinstance(answer, JsonResponse):
        return answer
    token = signing.dumps({"post": answer.pk, "user": request.user.pk}, salt=PREVIEW_SALT, compress=True)
    return HttpResponseRedirect(f"/wp-admin/preview.php?{urlencode({'token': token})}")


def _autosave_for_preview(request, data: dict):
    user = request.user
    if data.get("id"):
        try:
            post = _post_for(request, data["id"])
        except PermissionError:
            return _json_error("You cannot edit this post.", 403)
        body = str(data.get("body") or "")[:MAX_BODY_CHARS]
        stored, _ = bodies.from_editor_html(body) if data.get("body_format", "html") == "html" else (body, [])
        services.autosave(
            post,
            user,
            title=str(data.get("title") or post.title)[:500],
            subtitle=str(data.get("subtitle") or "")[:500],
            excerpt=str(data.get("excerpt") or ""),
            body=stored,
            body_format=data.get("body_format") or "html",
        )
        return post
    post = Post(author=user, post_type=PostType.PAGE if data.get("post_type") == "page" else PostType.POST)
    data = {**data, "title": (str(data.get("title") or "").strip() or "(no title)")}
    try:
        categories, tags, _photos = _apply_fields(post, data, user)
    except BadInput as exc:
        return _json_error(str(exc), 400)
    post.status = Status.DRAFT
    services.save_post(post, categories=categories, tags=tags, by=user)
    return post


@require_GET
def preview(request):
    """A draft or unsaved change as readers will see it, for anyone holding the signed address."""
    from byline.content.rendering import media_ids_in, render_body
    from byline.site import queries
    from byline.site.views import render_single

    try:
        claim = signing.loads(request.GET.get("token", ""), salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        return render(
            request, "desk/editor/refused.html", {"message": "This preview link has expired."}, status=410
        )
    except signing.BadSignature:
        raise Http404("No such preview.") from None
    post = queries.single_post_by_id(claim.get("post"), any_status=True)
    if post is None:
        raise Http404("No such preview.")
    mine = Revision.objects.filter(post=post, author_id=claim.get("user"), kind=RevisionKind.AUTOSAVE).first()
    if mine is not None:
        post.title, post.subtitle, post.excerpt = mine.title or post.title, mine.subtitle, mine.excerpt
        body = mine.body
        media = Media.objects.in_bulk(media_ids_in(body))
        post.content_html = render_body(body, mine.body_format, media).html
    response = render_single(request, post)
    # Inside the theme's <main>, so it lines up with the text; <mark> is visible with no stylesheet.
    banner = '<p class="preview-banner" role="status"><mark><strong>{}</strong></mark></p>'.format(
        "Preview \u2014 not published"
    )
    response.content = re.sub(
        rb"(<main\b[^>]*>)", lambda m: m.group(1) + banner.encode(), response.content, count=1
    )
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
