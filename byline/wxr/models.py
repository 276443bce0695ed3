"""No tables: the admin's "Import from WordPress" page hangs on a model without one, because
Django's admin index lists models, not pages (see admin.py)."""

from django.db import models


class WordPressImport(models.Model):
    class Meta:
        managed = False  # nothing is stored; imports write through the content services
        default_permissions = ()  # superusers only, as WordPress's importer needs `import`
        verbose_name = verbose_name_plural = "Import from WordPress"

    def __str__(self):
        return "Import from WordPress"
