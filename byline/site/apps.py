from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "byline.site"
    label = "site"
    verbose_name = "Public site"

    def ready(self):
        from byline.signals import site_changed

        from . import counts, pagecache

        pagecache.connect()  # every site_changed outdates the stored pages
        site_changed.connect(counts.site_changed, dispatch_uid="byline.site.counts")
