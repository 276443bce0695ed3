"""Corrections in the editor's side panel: add one in one step, edit or withdraw one — visibly.

The services keep every earlier text (`CorrectionRevision`); the panel lists them under each
correction, with who changed it and when. Every answer carries the panel's list, rendered here,
so that the script shows exactly what was stored.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from byline.content import services
from byline.content.models import Correction, Post
from byline.content.permalinks import local


def _when(moment) -> str:
    return f"{local(moment):%d %b %Y %H:%M}"


def panel_items(post: Post | None) -> list[dict]:
    """The side panel's corrections, oldest first, each with its earlier versions (four queries)."""
    if post is None or not post.pk:
        return []
    corrections = Correction.objects.filter(post=post).prefetch_related("history__author__profile")
    items = []
    for c in corrections:
        items.append(
            {
                "id": c.pk,
                "when": _when(c.date),
                "date_input": f"{local(c.date):%Y-%m-%dT%H:%M}",
                "text": c.text,
                "edited": _when(c.edited_at) if c.edited_at else "",
                "withdrawn": _when(c.withdrawn_at) if c.withdrawn_at else "",
                "history": [
                    {
                        "change": h.get_change_display(),
                        "at": _when(h.recorded_at),
                        "who": services.display_name(h.author) if h.author else "—",
                        "dated": _when(h.date),
                        "text": h.text,
                    }
                    for h in c.history.all()
                ],
            }
        )
    return items


def panel_html(post: Post) -> str:
    return render_to_string("desk/editor/corrections.html", {"corrections": panel_items(post)})


def change(post: Post, data: dict, user, *, parse_date) -> tuple[str, Correction, int]:
    """Add, edit or withdraw as the request asks; (message, correction, HTTP status). Raises
    ValueError with the writer's message for a request they can correct."""
    text = str(data.get("text") or "")
    if len(text) > 20000:
        raise ValueError("The correction is longer than 20,000 characters.")
    when = parse_date(str(data.get("date") or ""))
    if when and when > timezone.now():
        raise ValueError("A correction cannot be dated in the future.")
    if not data.get("correction"):
        return "Correction added.", services.add_correction(post, text, date=when, by=user), 201
    correction = Correction.objects.filter(post=post, pk=_int(data.get("correction"))).first()
    if correction is None:
        raise ValueError("This post has no such correction.")
    if data.get("withdraw"):
        return (
            "Correction withdrawn; it stays on the post, struck through.",
            services.withdraw_correction(correction, by=user),
            200,
        )
    before = (correction.text, correction.date)
    services.update_correction(correction, text=text, date=when, by=user)
    if (correction.text, correction.date) == before:
        return "Nothing changed in the correction.", correction, 200
    return "Correction updated; the earlier text is kept in its history.", correction, 200


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
