from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "byline.tasks"
    label = "tasks"
    verbose_name = "Background tasks"

    def ready(self):
        from django_tasks_db.compat import task_finished

        from byline.signals import site_changed

        from . import purges, retry

        task_finished.connect(retry.after_task, dispatch_uid="byline.tasks.retry")
        site_changed.connect(purges.site_changed_receiver, dispatch_uid="byline.tasks.purges")
