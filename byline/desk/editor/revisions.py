"""Revisions of a post compared side by side (a word diff of the text, never of markup) and restored."""

from __future__ import annotations

import difflib
from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.html import format_html, format_html_join

from byline.content import capabilities as can
from byline.content.models import Revision, RevisionKind
from byline.content.permalinks import local
from byline.content.services import display_name

from .bodies import plain_words
from .views import writer_page


def word_diff(old: str, new: str) -> tuple[str, str]:
    """Two columns of words, removed ones in <del> on the left and added ones in <ins> on the right."""
    a, b = plain_words(old), plain_words(new)
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        old_words, new_words = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        if op == "equal":
            left.append(format_html("{}", old_words))
            right.append(format_html("{}", new_words))
            continue
        if old_words:
            left.append(format_html("<del>{}</del>", old_words))
        if new_words:
            right.append(format_html("<ins>{}</ins>", new_words))
    join = lambda parts: format_html_join(" ", "{}", ((p,) for p in parts))  # noqa: E731
    return join(left), join(right)


@writer_page
def revision(request):
    """GET: this revision beside the one before it. POST: restore it into the editor.

    Restoring changes nothing public: the text waits in the editor for Save or Update.
    """
    rev_id = request.GET.get("revision", "")
    rev = (
        Revision.objects.select_related("post", "author").filter(pk=rev_id if rev_id.isdigit() else 0).first()
    )
    if rev is None or not can.can_edit_post(request.user, rev.post):
        raise Http404("No such revision.")
    if request.method == "POST":
        query = urlencode({"post": rev.post_id, "action": "edit", "restore": rev.pk})
        return HttpResponseRedirect(f"/wp-admin/post.php?{query}")
    before = (
        Revision.objects.filter(post=rev.post, kind=RevisionKind.REVISION, created_at__lt=rev.created_at)
        .order_by("-created_at", "-id")
        .first()
    )
    left, right = word_diff(before.body if before else "", rev.body)
    return render(
        request,
        "desk/editor/revision.html",
        {
            "post": rev.post,
            "revision": rev,
            "before": before,
            "before_when": f"{local(before.created_at):%d %b %Y %H:%M}" if before else "",
            "when": f"{local(rev.created_at):%d %b %Y %H:%M}",
            "who": display_name(rev.author) if rev.author else "—",
            "left": left,
            "right": right,
            "title_changed": before is not None and before.title != rev.title,
        },
    )
