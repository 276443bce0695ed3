"""The media library: /wp-admin/upload.php (grid, upload, edit, delete), async-upload.php, media-library.json.

The upload endpoint and the JSON list are shared with the editor's "pick from library"
dialog; both speak the same photo shape (`photo_json`).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render

from byline.content import capabilities, services
from byline.content.models import Media
from byline.content.rendering import media_display_url
from byline.desk.editor.metadata import photo_metadata

from .access import desk_view, forbidden

GRID_SIZE = 60


def thumbnail_url(media: Media) -> str:
    """The smallest stored copy (320 px wide when the original is larger)."""
    sizes = sorted(media.sizes or [], key=lambda s: s.get("width", 0))
    if sizes:
        return default_storage.url(sizes[0]["name"])
    return media.file.url if media.file else media.original_url


def photo_json(media: Media) -> dict:
    """One photo as the grid, the upload endpoint and the editor's picker see it (`url`: up to 1024 px)."""
    return {
        "id": media.pk,
        "title": media.title,
        "url": media_display_url(media),
        "thumbnail": thumbnail_url(media),
        "width": media.width,
        "height": media.height,
        "alt": media.alt,
        "caption": media.caption,
        "credit": media.credit,
    }


def _search(request):
    qs = Media.objects.order_by("-created_at", "-pk")
    term = request.GET.get("s", "").strip()
    if term:
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(alt__icontains=term)
            | Q(caption__icontains=term)
            | Q(credit__icontains=term)
        )
    return qs


@desk_view(needs=capabilities.can_upload)
def library(request):
    """The thumbnail grid with search and a drop zone; ?item=ID edits one photo, ?delete=ID deletes."""
    if "item" in request.GET:
        return edit_photo(request, request.GET["item"])
    if "delete" in request.GET:
        return delete_photo(request, request.GET["delete"])
    photos = list(_search(request)[:GRID_SIZE])
    return render(
        request,
        "desk/media.html",
        {
            "photos": [photo_json(m) for m in photos],
            "query": request.GET.get("s", ""),
            "can_upload": capabilities.can_upload(request.user),
            "updated": request.GET.get("updated"),
        },
    )


@desk_view(needs=capabilities.can_upload)
def library_json(request):
    """?s= searches title, alt, caption and credit; the newest sixty photos first."""
    return JsonResponse({"photos": [photo_json(m) for m in _search(request)[:GRID_SIZE]]})


MAX_UPLOAD_BYTES = 25 * 1024 * 1024


@desk_view
def async_upload(request):
    """POST one or more files (field `async-upload`) → JSON of the stored photos, or a 4xx with why.

    The one upload endpoint: the media page's drop zone and the editor's photos (dropped,
    pasted or chosen) both send here. Caption and credit are read from the photo's own
    IPTC/XMP/EXIF fields. Answers JSON when asked by fetch (Accept: application/json); a
    plain form post (no JavaScript) goes back to the grid.
    """
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method != "POST":
        return JsonResponse({"error": "Send the photos with POST."}, status=405)
    if not capabilities.can_upload(request.user):
        return JsonResponse({"error": "You may not upload photos."}, status=403)
    files = request.FILES.getlist("async-upload")
    if not files:
        return JsonResponse({"error": "No file was sent (field “async-upload”)."}, status=400)
    stored, errors = [], []
    for upload in files:
        try:
            stored.append(photo_json(_store(upload, request.user)))
        except ValidationError as exc:
            errors.append(f"{upload.name}: {' '.join(exc.messages)}")
    if not wants_json:
        if errors:
            return render(request, "desk/media_errors.html", {"errors": errors}, status=400)
        return HttpResponseRedirect("/wp-admin/upload.php?updated=uploaded")
    if errors and not stored:
        return JsonResponse({"error": " ".join(errors)}, status=400)
    return JsonResponse({"photos": stored, "errors": errors}, status=201)


def _store(upload, user) -> Media:
    """One uploaded file as a photo, with the caption and credit it carries; ValidationError if refused."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError("The file is larger than 25 MB.")
    data = upload.read()
    meta = photo_metadata(data)
    return services.create_media(
        data, upload.name, caption=meta["caption"], credit=meta["credit"], uploaded_by=user
    )


class PhotoForm(forms.Form):
    alt = forms.CharField(label="Alt text", required=False, max_length=1000)
    caption = forms.CharField(label="Caption", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    credit = forms.CharField(label="Credit", required=False, max_length=250)


def _photo(item: str) -> Media:
    return get_object_or_404(Media, pk=int(item) if item.isdigit() else 0)


def edit_photo(request, item: str):
    """Alt text, caption and credit of one photo; posts that show it are rendered again."""
    media = _photo(item)
    if not capabilities.can_edit_media(request.user, media):
        return forbidden(request, "You may not edit this photo.")
    form = PhotoForm(
        request.POST or None,
        label_suffix="",
        initial={"alt": media.alt, "caption": media.caption, "credit": media.credit},
    )
    if request.method == "POST" and form.is_valid():
        services.update_media(media, **form.cleaned_data)
        return HttpResponseRedirect("/wp-admin/upload.php?updated=saved")
    status = 400 if request.method == "POST" else 200
    shown_in = media.shown_in.only("pk", "title")
    return render(
        request,
        "desk/media_edit.html",
        {"photo": photo_json(media), "form": form, "shown_in": shown_in},
        status=status,
    )


def delete_photo(request, item: str):
    """Ask first, naming the posts that show the photo; the POST deletes through the services."""
    media = _photo(item)
    if not capabilities.can_edit_media(request.user, media, "delete"):
        return forbidden(request, "You may not delete this photo.")
    if request.method == "POST":
        services.delete_media(media)
        return HttpResponseRedirect("/wp-admin/upload.php?updated=deleted")
    shown_in = media.shown_in.only("pk", "title")
    return render(request, "desk/media_delete.html", {"photo": photo_json(media), "shown_in": shown_in})
