from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "byline.content"
    label = "content"
    verbose_name = "Content"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from . import images, models

        images.set_pillow_limit()

        request_started.connect(models.request_started, dispatch_uid="byline.content.due")
        request_finished.connect(models.request_finished, dispatch_uid="byline.content.due")
