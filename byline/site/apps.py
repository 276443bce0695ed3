from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "byline.site"
    label = "site"
    verbose_name = "Public site"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from byline import sitewide
        from byline.signals import site_changed

        from . import pagecache

        pagecache.connect()  # every site_changed outdates the stored pages
        # Site-wide answers (options, menu, due posts, list lengths) are remembered under the page
        # cache's generation, read once per request and again after a change (after pagecache's
        # listener).
        sitewide.use_generation(pagecache.current_generation)
        site_changed.connect(sitewide.site_changed, dispatch_uid="byline.sitewide")
        request_started.connect(sitewide.request_started, dispatch_uid="byline.sitewide")
        request_finished.connect(sitewide.request_finished, dispatch_uid="byline.sitewide")
