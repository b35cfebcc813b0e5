import os

from celery import Celery, Task

from . import logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings")


class RequestIdTask(Task):
    """Queues each task with the current request id in its headers. A real broker gets it from
    the before_task_publish handler as well; this covers tasks run inline (eager), which are
    never published."""

    def apply_async(self, args=None, kwargs=None, task_id=None, producer=None, link=None, link_error=None,
                    shadow=None, **options):
        request_id = logs.request_id_var.get()
        if request_id:
            options["headers"] = {logs.HEADER: request_id, **(options.get("headers") or {})}
        return super().apply_async(args, kwargs, task_id, producer, link, link_error, shadow, **options)


app = Celery("accelerator", task_cls=RequestIdTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
