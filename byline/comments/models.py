"""Comments, with WordPress's statuses and the reason for every moderation decision."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from byline.content.models import Post


class CommentStatus(models.TextChoices):
    """WordPress's comment_approved: 1, 0, spam, trash."""

    APPROVED = "approved", "Approved"
    PENDING = "pending", "Pending"
    SPAM = "spam", "Spam"
    TRASH = "trash", "Trash"


class Comment(models.Model):
    # WordPress's limits (wp_get_comment_fields_max_lengths).
    MAX_NAME, MAX_EMAIL, MAX_URL, MAX_CONTENT = 245, 100, 200, 65525
    MAX_USER_AGENT = 255

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    author_name = models.CharField("name", max_length=MAX_NAME)
    author_email = models.EmailField("email", max_length=MAX_EMAIL, blank=True)
    author_url = models.URLField("website", max_length=MAX_URL, blank=True)
    author_ip = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=MAX_USER_AGENT, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    content = models.TextField(help_text="Sanitised HTML (WordPress's comment allow-list).")
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING, db_index=True
    )
    reason = models.CharField("moderation reason", max_length=250, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    comment_type = models.CharField(max_length=20, default="comment")
    notify_replies = models.BooleanField(default=False, help_text="The commenter asked to hear of replies.")
    wp_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "byline_comment"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "status", "created_at"]),
            models.Index(fields=["author_email", "status"]),
            models.Index(fields=["author_ip", "created_at"]),
        ]
        permissions = [("moderate_comments", "Can moderate comments")]

    def __str__(self):
        return f"{self.author_name} on {self.post_id}: {self.content[:40]}"

    @property
    def is_approved(self) -> bool:
        return self.status == CommentStatus.APPROVED
