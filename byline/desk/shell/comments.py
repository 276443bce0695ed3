"""/wp-admin/edit-comments.php: the moderation queue, opening on "Pending".

One click per decision: every row carries Approve / Spam / Trash / Reply / Edit as buttons
of one POST form (so it works with no JavaScript); desk-comments.js adds the keyboard
shortcuts (a, s, t, r) and acts without reloading. Each change asks `can_moderate` for the
comment's post and writes through byline.comments.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render

from byline.comments import services
from byline.comments.models import Comment, CommentStatus
from byline.content.capabilities import can_moderate, can_write_posts

from .access import desk_view
from .queries import moderatable_comments

PER_PAGE = 20
TABS = [
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("spam", "Spam"),
    ("trash", "Trash"),
    ("all", "All"),
]
ROW_ACTIONS = {
    "approve": CommentStatus.APPROVED,
    "unapprove": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.TRASH,
}
DONE = {
    "approve": "approved",
    "unapprove": "unapproved",
    "spam": "marked as spam",
    "trash": "moved to the trash",
}


def _approved_before():
    """How many approved comments the same author (by email) had before this one."""
    earlier = (
        Comment.objects.filter(
            status=CommentStatus.APPROVED,
            author_email__iexact=OuterRef("author_email"),
            created_at__lt=OuterRef("created_at"),
        )
        .exclude(author_email="")
        .order_by()
        .values("author_email")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(earlier[:1]), 0)


@desk_view(needs=can_write_posts)
def moderation(request):
    """The queue: ?comment_status= pending (default), approved, spam, trash or all."""
    if request.method == "POST":
        return act(request)
    tab = request.GET.get("comment_status", "pending")
    if tab not in dict(TABS):
        tab = "pending"
    mine = moderatable_comments(request.user)
    counts = mine.aggregate(**{key: Count("pk", filter=Q(status=key)) for key, _ in TABS if key != "all"})
    qs = mine if tab == "all" else mine.filter(status=tab)
    qs = qs.select_related("post").annotate(approved_before=_approved_before()).order_by("-created_at")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("paged"))
    return render(
        request,
        "desk/comments.html",
        {
            "page": page,
            "tab": tab,
            "tabs": [(key, label, counts.get(key)) for key, label in TABS],
            "querystring": _without_page(request),
        },
    )


def _answer(request, ok: bool, message: str, status: int = 200, **extra):
    if "application/json" in request.headers.get("Accept", ""):
        pending = moderatable_comments(request.user).filter(status=CommentStatus.PENDING).count()
        return JsonResponse({"ok": ok, "message": message, "pending": pending, **extra}, status=status)
    if status >= 400 and status != 409:
        return render(request, "desk/forbidden.html", {"message": message}, status=status)
    (messages.success if ok else messages.error)(request, message)
    return HttpResponseRedirect(
        "/wp-admin/edit-comments.php" + ("?" + request.POST["back"] if request.POST.get("back") else "")
    )


def act(request):
    """One row's button (`row_action=approve:ID`) or the bulk action over the ticked rows."""
    row_action = request.POST.get("row_action", "")
    if row_action:
        action, _, ident = row_action.partition(":")
        ids = [int(ident)] if ident.isdigit() else []
    else:
        action = request.POST.get("action", "")
        ids = [int(i) for i in request.POST.getlist("comment[]") if i.isdigit()]
    if action not in (*ROW_ACTIONS, "reply", "edit", "delete"):
        return _answer(request, False, "Unknown action: choose approve, spam, trash, reply or edit.", 400)
    if not ids:
        return _answer(request, False, "Tick at least one comment first.", 400)
    comments = list(Comment.objects.filter(pk__in=ids).select_related("post"))
    if len(comments) != len(ids):
        return _answer(request, False, "That comment no longer exists.", 404)
    if not all(can_moderate(request.user, c.post) for c in comments):
        return _answer(request, False, "You may not moderate comments on that post.", 403)
    if action in ("reply", "edit"):
        return _write(request, action, comments[0])
    if action == "delete":
        for comment in comments:
            services.delete_comment(comment)
        return _answer(
            request, True, f"{len(comments)} comment{'s' if len(comments) != 1 else ''} deleted for good."
        )
    services.set_status(comments, ROW_ACTIONS[action], by=request.user)
    n = len(comments)
    return _answer(
        request, True, f"{n} comment{'s' if n != 1 else ''} {DONE[action]}.", status_value=ROW_ACTIONS[action]
    )


def _write(request, action: str, comment: Comment):
    text = request.POST.get(f"{action}-{comment.pk}", request.POST.get("content", ""))
    if not text.strip():
        return _answer(request, False, "Write something first: the text is empty.", 400)
    try:
        if action == "reply":
            services.reply_as_moderator(comment, user=request.user, content=text)
        else:
            services.edit_comment(comment, content=text)
    except services.CommentRefused as exc:
        return _answer(request, False, exc.message, exc.status)
    return _answer(request, True, "Reply published." if action == "reply" else "Comment saved.")


def _without_page(request) -> str:
    """The list's query string without ?paged=, for the page links and the way back."""
    query = request.GET.copy()
    query.pop("paged", None)
    return query.urlencode()
