from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "byline.desk"
    label = "desk"
    verbose_name = "Desk"
