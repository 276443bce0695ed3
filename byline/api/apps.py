from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "byline.api"
    label = "api"
    verbose_name = "WordPress REST API"

    def ready(self):
        from . import options  # noqa: F401 - declares the API's options
