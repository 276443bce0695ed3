"""/wp-json/: the WordPress REST API (filled in by byline.api)."""

urlpatterns = []
