"""/wp-admin/edit.php: the posts list, its filters, and bulk actions that obey roles per post."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render

from byline.content import capabilities, services
from byline.content.models import Category, Status

from .access import desk_view
from .queries import visible_posts

PER_PAGE = 20
BULK_ACTIONS = {"publish": "Publish", "draft": "Move to draft", "trash": "Delete permanently"}


def _filtered(request):
    qs = visible_posts(request.user)
    status = request.GET.get("post_status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    author = request.GET.get("author", "")
    if author.isdigit():
        qs = qs.filter(author_id=int(author))
    cat = request.GET.get("cat", "")
    if cat.isdigit():
        qs = qs.filter(categories__pk=int(cat))
    term = request.GET.get("s", "").strip()
    if term:
        qs = qs.filter(Q(title__icontains=term) | Q(body__icontains=term))
    return qs.select_related("author__profile").prefetch_related("categories").order_by("-modified_at", "-pk")


@desk_view(needs=capabilities.can_write_posts)
def posts_list(request):
    """The list, filtered by ?post_status=, ?author=, ?cat= and ?s=, twenty to a page."""
    if request.method == "POST":
        return bulk(request)
    page = Paginator(_filtered(request), PER_PAGE).get_page(request.GET.get("paged"))
    rows = [
        {"post": post, "editable": capabilities.can_edit_post(request.user, post)}
        for post in page.object_list
    ]
    authors = get_user_model().objects.filter(posts__isnull=False).distinct().select_related("profile")
    return render(
        request,
        "desk/posts.html",
        {
            "rows": rows,
            "page": page,
            "statuses": Status.choices,
            "authors": authors.order_by("username"),
            "categories": Category.objects.order_by("name"),
            "actions": _actions_for(request.user),
            "query": request.GET,
            "querystring": _without_page(request),
        },
    )


def _actions_for(user) -> dict[str, str]:
    actions = dict(BULK_ACTIONS)
    if not capabilities.can_publish(user):
        del actions["publish"]  # a contributor is never offered publishing
    return actions


# What a bulk action did to a post, by the status the services gave it.
OUTCOMES = {
    Status.PUBLISH: "published",
    Status.FUTURE: "scheduled",
    Status.PENDING: "submitted for review",
    Status.DRAFT: "moved to draft",
    Status.PRIVATE: "published privately",
}


def bulk(request):
    """Apply one action to the ticked posts, each checked against the capability module."""
    action = request.POST.get("action", "")
    ids = [int(i) for i in request.POST.getlist("post[]") if i.isdigit()]
    back = "/wp-admin/edit.php" + ("?" + request.POST["back"] if request.POST.get("back") else "")
    if action not in BULK_ACTIONS:
        return HttpResponseBadRequest("Choose a bulk action: publish, draft or trash.")
    if not ids:
        messages.error(request, "Tick at least one post first.")
        return HttpResponseRedirect(back)
    posts = list(visible_posts(request.user).filter(pk__in=ids).select_related("author"))
    if action == "trash" and request.POST.get("confirm") != "1":
        return render(
            request, "desk/posts_confirm.html", {"posts": posts, "back": request.POST.get("back", "")}
        )
    done, refused = {}, []
    for post in posts:
        try:
            if action == "trash":
                if not capabilities.can_delete_post(request.user, post):
                    raise PermissionDenied(f"You may not delete “{post.title}”.")
                services.delete_post(post)
                outcome = "deleted"
            else:
                target = Status.PUBLISH if action == "publish" else Status.DRAFT
                outcome = OUTCOMES[services.change_post_status(post, target, by=request.user).status]
            done[outcome] = done.get(outcome, 0) + 1
        except PermissionDenied as exc:
            refused.append(str(exc))
    for verb, count in done.items():
        messages.success(request, f"{count} post{'s' if count != 1 else ''} {verb}.")
    for text in refused:
        messages.error(request, text)
    if refused and not done:
        return render(request, "desk/forbidden.html", {"message": " ".join(refused)}, status=403)
    return HttpResponseRedirect(back)


def _without_page(request) -> str:
    """The list's query string without ?paged=, for the page links and the way back."""
    query = request.GET.copy()
    query.pop("paged", None)
    return query.urlencode()
