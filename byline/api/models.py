"""Application passwords (WordPress 5.6+): one per client, stored hashed, revocable."""

import uuid

from django.conf import settings
from django.db import models


class ApplicationPassword(models.Model):
    """A password that lets one client (an editor app, a script) use the REST API as a user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_passwords"
    )
    name = models.CharField("label", max_length=200, help_text="Which client uses it, e.g. “Phone app”.")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    password = models.CharField(max_length=255, editable=False)  # Django's make_password hash
    # A keyed HMAC of the clear password (see passwords.lookup_key): finds the one row to check
    # without hashing every row of the user. Empty on rows made before it existed.
    lookup = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)
    last_ip = models.GenericIPAddressField("last IP address", null=True, blank=True, editable=False)

    class Meta:
        db_table = "byline_application_password"
        ordering = ["user_id", "created", "id"]
        verbose_name = "application password"

    def __str__(self):
        return f"{self.name} ({self.user})"
