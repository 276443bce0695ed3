from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "byline.content"
    label = "content"
    verbose_name = "Content"

    def ready(self):
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_migrate

        from . import images, models

        images.set_pillow_limit()

        request_started.connect(models.request_started, dispatch_uid="byline.content.due")
        request_finished.connect(models.request_finished, dispatch_uid="byline.content.due")
        # Every delete of a post leaves the search index, the ones cascading from a user's too.
        post_delete.connect(_forget_deleted_post, sender=models.Post, dispatch_uid="byline.content.search")
        # A flushed database (tests) keeps no index rows of posts that are gone.
        post_migrate.connect(_forget_missing_posts, sender=self, dispatch_uid="byline.content.search")


def _forget_deleted_post(sender, instance, using, **kwargs):
    from . import search

    search.forget_post(instance.pk, using=using)


def _forget_missing_posts(sender, using, **kwargs):
    from django.db import connections

    from . import search

    search.forget_missing_posts(connections[using])
