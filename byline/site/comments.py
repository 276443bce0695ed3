"""The comment section of a post page and the form's POST (WordPress's wp-comments-post.php)."""

from __future__ import annotations

import functools
import logging
import re
from datetime import timedelta

from django.db import DatabaseError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from byline.comments import captcha, display
from byline.comments.avatars import identicon_svg
from byline.comments.forms import CommentForm, captcha_context, captcha_required, new_captcha
from byline.comments.models import Comment
from byline.comments.sanitize import allowed_tags_line, clean_stored_comment
from byline.comments.services import (
    BUSY,
    PROTECTED,
    CommentRefused,
    Submission,
    comments_open,
    password_required,
    submit_comment,
)
from byline.content.models import Post
from byline.content.permalinks import permalink_for
from byline.options.store import get_option

from . import pagecache

logger = logging.getLogger(__name__)

COOKIE_FIELDS = {"author": "comment_author", "email": "comment_author_email", "url": "comment_author_url"}
COOKIE_MAX_AGE = 365 * 24 * 3600


class FormState:
    """What the form shows: the values typed (or remembered), errors, the sum, the reply target."""

    def __init__(self, request, post, *, form=None, message="", captcha_ctx=None):
        self.values = {"author": "", "email": "", "url": "", "comment": ""}
        self.errors: dict[str, list[str]] = {}
        self.message = message
        self.consent = False
        self.subscribe = False
        if form is not None:
            data = form.data
            self.values = {k: data.get(k, "") for k in self.values}
            self.errors = {k: list(v) for k, v in form.errors.items()}
            self.consent = bool(data.get("wp-comment-cookies-consent"))
            self.subscribe = bool(data.get("subscribe_replies"))
        elif request.COOKIES.get(COOKIE_FIELDS["author"]):
            # WordPress 4.9.6: remembered only because the commenter asked for it.
            for field, cookie in COOKIE_FIELDS.items():
                self.values[field] = request.COOKIES.get(cookie, "")[:245]
            self.consent = True
        self.parent = _reply_target(request, post, form)
        self.needs_captcha = captcha_required(request.user)
        self.captcha = (captcha_ctx or new_captcha(post.pk)) if self.needs_captcha else None
        self.user = request.user if request.user.is_authenticated else None


def _reply_target(request, post, form) -> Comment | None:
    raw = (form.data.get("comment_parent") if form is not None else request.GET.get("replytocom")) or ""
    if not re.fullmatch(r"[1-9]\d{0,17}", str(raw)) or not get_option("thread_comments"):
        return None
    return Comment.objects.filter(pk=int(raw), post=post, status="approved").first()


def comment_context(
    request, post, *, comment_page: int | None = None, state: FormState | None = None
) -> dict:
    """Everything partials/comments.html needs; one query for the comments."""
    held = display.held_ids(request.COOKIES.get(display.HELD_COOKIE))
    thread = display.thread_page(post, held, comment_page)
    permalink = permalink_for(post)
    is_open = comments_open(post)
    if is_open and get_option("close_comments_for_old_posts"):
        # The form goes when the post grows too old: a stored page must not outlive that.
        pagecache.outdated_at(
            request, post.published_at + timedelta(days=get_option("close_comments_days_old"))
        )
    return {
        "thread": thread,
        "comments_open": is_open,
        "form": state or FormState(request, post),
        "allowed_tags": allowed_tags_line(),
        "show_avatars": get_option("show_avatars"),
        # Replies allowed below this depth (0: threads are off); read once, not per comment.
        "reply_depth": get_option("thread_comments_depth") if get_option("thread_comments") else 0,
        "avatar": display.avatar_token,
        "sanitize": _sanitize,
        "require_name_email": get_option("require_name_email"),
        "comment_page_url": lambda n: f"{permalink}comment-page-{n}/#comments",
        "csrf_field_name": "csrfmiddlewaretoken",
    }


def _sanitize(html: str) -> str:
    # Defence in depth: stored comments (imported ones too) go through the allow-list again.
    # The allow-list is a pure function of the text, so each server process remembers the last
    # answers: a post with 200 comments shown again costs no sanitiser call (a tenth of its render).
    if len(html) > _REMEMBERED_COMMENT_LENGTH:
        return clean_stored_comment(html)
    return _remembered_clean(html)


_REMEMBERED_COMMENT_LENGTH = 8192  # at most 4,096 entries of this: a bounded few MB per process


@functools.lru_cache(maxsize=4096)
def _remembered_clean(html: str) -> str:
    return clean_stored_comment(html)


def _comment_post(request) -> Post | None:
    raw = request.POST.get("comment_post_ID", "")
    if not re.fullmatch(r"[1-9]\d{0,17}", raw):
        return None
    from . import queries

    return queries.single_post_by_id(int(raw))


def _client_ip(request) -> str | None:
    # Behind a reverse proxy, byline.proxy puts the reader's address here (trusted_proxies).
    return request.META.get("REMOTE_ADDR") or None


def _again(request, post, form, message: str, status: int, captcha_ctx=None, field: str = "") -> HttpResponse:
    """The post page again, the form filled as it was sent, with the reason at its top.

    ``field`` names the form field the message is about when the form's own errors do not.
    """
    from .views import render_single

    state = FormState(request, post, form=form, message=message, captcha_ctx=captcha_ctx)
    if field:
        state.errors.setdefault(field, []).append(message)
    response = render_single(request, post, comment_state=state)
    response.status_code = status
    return response


@require_POST
def post_comment(request):
    """Handle the "Leave a Reply" form; on success 303 to the comment's anchor."""
    post = _comment_post(request)
    if post is None:
        raise Http404("The post you tried to comment on does not exist.")
    form = CommentForm(request.POST, user=request.user)
    if not comments_open(post):  # WordPress's comment_on_closed comes before anything else
        form.is_valid()
        return _again(request, post, form, "Sorry, comments are closed for this item.", 403)
    unlocked = _unlocked(request, post)
    if password_required(post, request.user, unlocked=unlocked):
        # As wp-comments-post.php: before anything else, so the sum is not spent.
        form.is_valid()
        return _again(request, post, form, PROTECTED, 403, captcha_ctx=_same_challenge(request, post))
    if not form.is_valid():
        kept = _same_challenge(request, post)
        message = (
            form.non_field_errors()[0] if form.non_field_errors() else "Please correct the fields below."
        )
        return _again(request, post, form, message, 400, captcha_ctx=kept)
    data = form.cleaned_data
    parent = None
    if data.get("comment_parent"):
        parent = Comment.objects.filter(pk=data["comment_parent"]).first()
        if parent is None or parent.post_id != post.pk:
            return _again(
                request,
                post,
                form,
                "You can only reply to a comment on the same post.",
                400,
                captcha_ctx=_same_challenge(request, post),
            )
    try:
        problem = form.check_captcha(post.pk)
    except captcha.CaptchaUnavailable:
        return _busy(request, post, form, keep_sum=True)
    if problem is not None:
        kept = None if problem.needs_new_challenge else _same_challenge(request, post)
        return _again(request, post, form, problem.message, 400, captcha_ctx=kept, field="captcha")
    user = request.user if request.user.is_authenticated else None
    profile = getattr(user, "profile", None)
    sub = Submission(
        post=post,
        author_name=(profile.display_name if profile else user.get_username())
        if user
        else data["author"].strip(),
        author_email=user.email if user else data["email"].strip(),
        author_url=(profile.website if profile else "") if user else data["url"].strip(),
        content=data["comment"],
        parent=parent,
        author_ip=_client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        user=user,
        notify_replies=bool(data.get("subscribe_replies")) and bool(user.email if user else data["email"]),
        unlocked=unlocked,
    )
    try:
        comment = submit_comment(sub)
    except CommentRefused as refused:
        return _again(request, post, form, refused.message, refused.status)
    except DatabaseError:
        # The sum was claimed but the comment could not be written: give the sum back.
        solved = form.data.get("captcha_token", "")
        return _busy(request, post, form, keep_sum=bool(solved) and captcha.release(solved))
    response = HttpResponseRedirect(f"{permalink_for(post)}#comment-{comment.pk}", status=303)
    _remember_commenter(request, response, data, consent=bool(request.POST.get("wp-comment-cookies-consent")))
    if comment.status == "pending":
        response.set_cookie(
            display.HELD_COOKIE,
            display.held_cookie(request.COOKIES.get(display.HELD_COOKIE), comment.pk),
            max_age=display.HELD_MAX_AGE,
            httponly=True,
            samesite="Lax",
        )
    return response


def _busy(request, post, form, *, keep_sum: bool) -> HttpResponse:
    """503 with the form as it was sent, when the database could not take the comment.

    A locked database (a long import on SQLite) is not the reader's fault: their text stays
    in the form and, when the claim was never recorded, the sum they solved stays valid.
    """
    logger.warning("comment on post %s not saved: the database is busy", post.pk)
    kept = _same_challenge(request, post) if keep_sum else None
    response = _again(request, post, form, BUSY, 503, captcha_ctx=kept)
    response["Retry-After"] = "10"
    return response


def _unlocked(request, post) -> bool:
    """Whether this browser holds the post's password cookie (set by /postpass/ID/)."""
    from .views import password_ok

    return password_ok(request, post)


def _same_challenge(request, post) -> dict | None:
    """Keep the sum the reader already solved when the token itself is still good for this post."""
    token = request.POST.get("captcha_token", "")
    try:
        if captcha.post_of_token(token) != post.pk:
            return None
        return captcha_context(captcha.challenge_from_token(token), token)
    except captcha.CaptchaError:
        return None


def _remember_commenter(request, response, data, *, consent: bool) -> None:
    if request.user.is_authenticated:
        return
    for field, cookie in COOKIE_FIELDS.items():
        if consent:
            response.set_cookie(
                cookie, data.get(field, "") or "", max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax"
            )
        elif cookie in request.COOKIES:
            response.delete_cookie(cookie, samesite="Lax")


def csrf_failure(request, reason=""):
    """A comment form that lost its CSRF token: say so, keep what was typed, save nothing."""
    if request.path == "/wp-comments-post.php" and request.method == "POST":
        post = _comment_post(request)
        if post is not None:
            form = CommentForm(request.POST, user=None)
            form.is_valid()
            return _again(
                request,
                post,
                form,
                "Your form had expired. Nothing was saved: please send it again.",
                403,
                captcha_ctx=_same_challenge(request, post),
            )
    from django.views.csrf import csrf_failure as django_csrf_failure

    return django_csrf_failure(request, reason=reason)


@cache_control(public=True, max_age=7 * 24 * 3600)
def avatar(request, token: str):
    """An identicon for a comment's author (the token is an HMAC, not the email)."""
    return HttpResponse(identicon_svg(token), content_type="image/svg+xml")
