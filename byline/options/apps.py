from django.apps import AppConfig


class OptionsConfig(AppConfig):
    name = "byline.options"
    label = "options"
    verbose_name = "Site options"

    def ready(self):
        from django.core.signals import request_started

        from . import store

        # Each request starts by forgetting what the last one read, so an option set by
        # `byline option set` or in another process is seen on the very next request.
        request_started.connect(store.forget, dispatch_uid="byline.options.forget")
