"""Index pages show an automatic excerpt and a photo: store them, and fill them for existing posts."""

import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from byline.content.excerpts import automatic_excerpt, first_photo


def fill(apps, schema_editor):
    """What save_post now stores, computed once for the posts already there (imports included)."""
    Post = apps.get_model("content", "Post")
    Media = apps.get_model("content", "Media")
    for post in Post.objects.only("pk", "content_html", "password", "featured_image_id").iterator():
        lead = post.featured_image_id
        if lead is None and not post.password:
            media_id, file_name = first_photo(post.content_html, settings.MEDIA_URL)
            if media_id is not None and Media.objects.filter(pk=media_id).exists():
                lead = media_id
            elif file_name:
                original = re.sub(r"-(?:\d+x\d+|\d+w)(\.\w+)$", r"\1", file_name)
                found = dict(Media.objects.filter(file__in={file_name, original}).values_list("file", "pk"))
                lead = found.get(file_name) or found.get(original)
        Post.objects.filter(pk=post.pk).update(
            auto_excerpt=automatic_excerpt(post.content_html), lead_image_id=lead
        )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0006_revisions"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="auto_excerpt",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="post",
            name="lead_image",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="content.media",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
