"""The desk's own pages under /wp-admin/, by WordPress's file names (old bookmarks keep working)."""

from django.urls import path

from . import comments, imports, media, posts, tasks, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("index.php", views.dashboard),
    path("edit.php", posts.posts_list, name="posts"),
    path("upload.php", media.library, name="media"),
    path("async-upload.php", media.async_upload, name="async-upload"),
    path("media-library.json", media.library_json, name="media-library"),
    path("edit-comments.php", comments.moderation, name="comments"),
    path("profile.php", views.profile, name="profile"),
    path("import.php", imports.import_page, name="import"),
    path("tasks.php", tasks.tasks_page, name="tasks"),
    path("task-status.json", tasks.task_status, name="task-status"),
]
