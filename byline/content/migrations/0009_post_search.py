"""Full-text search: SQLite's FTS5 table or PostgreSQL's tsvector table with a GIN index,
filled with the posts already there."""

from django.db import migrations

from byline.content import search


def create(apps, schema_editor):
    search.create_schema(schema_editor)
    Post = apps.get_model("content", "Post")
    rows = Post.objects.order_by("pk").values_list("pk", "title", "excerpt", "content_html", "password")
    search.index_rows(rows.iterator(chunk_size=2000), using=schema_editor.connection)


def drop(apps, schema_editor):
    search.drop_schema(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("content", "0008_correction_history")]

    operations = [migrations.RunPython(create, drop)]
