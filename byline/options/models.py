from django.db import models


class Option(models.Model):
    """One site option's value, stored as text and typed by its declaration (registry.py)."""

    name = models.CharField(max_length=191, primary_key=True)
    value = models.TextField()

    class Meta:
        db_table = "byline_option"
        verbose_name = "site option"

    def __str__(self):
        return f"{self.name} = {self.value}"
