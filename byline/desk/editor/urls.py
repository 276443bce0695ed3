"""The editor's addresses under /wp-admin/: WordPress's post-new.php and post.php, and its endpoints."""

from django.urls import path

from . import revisions, views

urlpatterns = [
    path("post-new.php", views.post_new, name="post-new"),
    path("post.php", views.post_edit, name="post-edit"),
    path("preview.php", views.preview, name="preview"),
    path("revision.php", revisions.revision, name="revision"),
    path("editor/autosave", views.autosave, name="editor-autosave"),
    path("editor/discard-autosave", views.discard_autosave, name="editor-discard-autosave"),
    path("editor/heartbeat", views.heartbeat, name="editor-heartbeat"),
    path("editor/take-over", views.take_over, name="editor-take-over"),
    path("editor/convert", views.convert, name="editor-convert"),
    path("editor/tags", views.tag_search, name="editor-tags"),
    path("editor/category", views.add_category, name="editor-category"),
    path("editor/clipping", views.clipping_lookup, name="editor-clipping"),
    path("editor/correction", views.correction, name="editor-correction"),
    path("editor/preview", views.make_preview, name="editor-preview"),
]
