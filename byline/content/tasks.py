"""Content's background work: the thumbnails of a large upload."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction

from byline.signals import site_changed
from byline.tasks import background

from . import images
from .models import Media


def _describe(media_id: int) -> str:
    return f"photo {media_id}"


@background(label="Thumbnails", max_attempts=3, describe=_describe)
def make_thumbnails_later(media_id: int) -> dict:
    """Make the smaller copies of a stored photo, then render the posts that show it again."""
    from .services import rerender_posts_showing

    media = Media.objects.filter(pk=media_id).first()
    if media is None or media.sizes:
        return {"thumbnails": 0}  # deleted meanwhile, or already done
    name = media.file.name
    with default_storage.open(name, "rb") as stored:
        image = images.open_checked(stored.read())
    saved: list[str] = []
    try:
        sizes = images.make_thumbnails(image, name, saved)
        with transaction.atomic():
            # The photo's file may have been replaced meanwhile: only the same file gets these.
            if not Media.objects.filter(pk=media_id, file=name, sizes=[]).update(sizes=sizes):
                raise _Superseded
            media.sizes = sizes
            rerender_posts_showing(media)
    except _Superseded:
        for stored_name in saved:
            default_storage.delete(stored_name)
        return {"thumbnails": 0}
    except BaseException:
        for stored_name in saved:
            default_storage.delete(stored_name)
        raise
    site_changed.send(sender=Media, reason=f"media {media_id} thumbnails made")
    return {"thumbnails": len(sizes)}


class _Superseded(Exception):
    pass
