"""Pages of the WXR app (the admin's "Import from WordPress" lives under /admin/)."""

urlpatterns = []
