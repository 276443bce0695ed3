"""/wp-admin/edit.php: the posts list (?post_type=page: the pages list), its per-status counts and
filters, and bulk actions that obey roles per post."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render

from byline.content import capabilities, services
from byline.content.models import Category, PostType, Status

from .access import desk_view
from .queries import status_counts, visible_posts

PER_PAGE = 20
BULK_ACTIONS = {"publish": "Publish", "draft": "Move to draft", "trash": "Delete permanently"}


# WordPress's plural labels of the status links ("Drafts (2)"), in its order.
STATUS_LINKS = [
    (Status.PUBLISH, "Published"),
    (Status.FUTURE, "Scheduled"),
    (Status.DRAFT, "Drafts"),
    (Status.PENDING, "Pending"),
    (Status.PRIVATE, "Private"),
]


def _post_type(source) -> str:
    return PostType.PAGE if source.get("post_type") == "page" else PostType.POST


def _list_url(post_type: str, **params) -> str:
    from urllib.parse import urlencode

    query = ({"post_type": "page"} if post_type == PostType.PAGE else {}) | {
        k: v for k, v in params.items() if v
    }
    return "/wp-admin/edit.php" + ("?" + urlencode(query) if query else "")


def _status_links(request, post_type: str) -> list[dict]:
    """ "All (12) | Mine (3) | Published (9) | Drafts (2) | …": a status is listed when it has posts."""
    counts = status_counts(request.user, post_type)
    current = request.GET.get("post_status", "")
    mine = request.GET.get("author", "") == str(request.user.pk) and not current
    links = [
        {
            "label": "All",
            "count": counts["all"],
            "url": _list_url(post_type),
            "current": not current and not mine,
        }
    ]
    if counts["mine"] and counts["mine"] != counts["all"]:
        links.append(
            {
                "label": "Mine",
                "count": counts["mine"],
                "url": _list_url(post_type, author=request.user.pk),
                "current": mine,
            }
        )
    for status, label in STATUS_LINKS:
        if counts[status]:
            links.append(
                {
                    "label": label,
                    "count": counts[status],
                    "url": _list_url(post_type, post_status=status),
                    "current": current == status,
                }
            )
    return links


def _filtered(request, post_type: str):
    qs = visible_posts(request.user, post_type)
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
    qs = qs.select_related("author__profile", "parent")
    if post_type == PostType.POST:
        qs = qs.prefetch_related("categories")
    return qs.order_by("-modified_at", "-pk")


@desk_view(needs=capabilities.can_write_posts)
def posts_list(request):
    """The list, filtered by ?post_status=, ?author=, ?cat= and ?s=, twenty to a page; pages with
    ?post_type=page, as WordPress's edit.php."""
    if request.method == "POST":
        return bulk(request)
    post_type = _post_type(request.GET)
    page = Paginator(_filtered(request, post_type), PER_PAGE).get_page(request.GET.get("paged"))
    rows = [
        {"post": post, "editable": capabilities.can_edit_post(request.user, post)}
        for post in page.object_list
    ]
    authors = get_user_model().objects.filter(posts__post_type=post_type).distinct().select_related("profile")
    return render(
        request,
        "desk/posts.html",
        {
            "post_type": post_type,
            "is_pages": post_type == PostType.PAGE,
            "noun": "page" if post_type == PostType.PAGE else "post",
            "status_links": _status_links(request, post_type),
            "rows": rows,
            "page": page,
            "statuses": Status.choices,
            "authors": authors.order_by("username"),
            "categories": Category.objects.order_by("name") if post_type == PostType.POST else [],
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
    post_type = _post_type(request.POST)
    back = "/wp-admin/edit.php" + ("?" + request.POST["back"] if request.POST.get("back") else "")
    if post_type == PostType.PAGE and not request.POST.get("back"):
        back = _list_url(post_type)
    noun = "page" if post_type == PostType.PAGE else "post"
    if action not in BULK_ACTIONS:
        return HttpResponseBadRequest("Choose a bulk action: publish, draft or trash.")
    if not ids:
        messages.error(request, f"Tick at least one {noun} first.")
        return HttpResponseRedirect(back)
    posts = list(visible_posts(request.user, post_type).filter(pk__in=ids).select_related("author"))
    if action == "trash" and request.POST.get("confirm") != "1":
        return render(
            request,
            "desk/posts_confirm.html",
            {"posts": posts, "back": request.POST.get("back", ""), "post_type": post_type, "noun": noun},
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
        messages.success(request, f"{count} {noun}{'s' if count != 1 else ''} {verb}.")
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
