from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "byline.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self):
        from . import options  # noqa: F401 - declares the discussion options
