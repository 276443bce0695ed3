from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "byline.site"
    label = "site"
    verbose_name = "Public site"

    def ready(self):
        from . import pagecache

        pagecache.connect()  # every site_changed outdates the stored pages
