from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "byline.api"
    label = "api"
    verbose_name = "WordPress REST API"
