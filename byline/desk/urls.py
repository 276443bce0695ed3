"""The desk's addresses, under /wp-admin/ (WordPress's), gathered from its two halves."""

from byline.desk.editor.urls import urlpatterns as editor_urls
from byline.desk.shell.urls import urlpatterns as shell_urls

app_name = "desk"
urlpatterns = shell_urls + editor_urls
