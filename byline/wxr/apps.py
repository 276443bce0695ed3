from django.apps import AppConfig


class WxrConfig(AppConfig):
    name = "byline.wxr"
    label = "wxr"
    verbose_name = "WordPress import and export"
