from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcceleratorConfig(AppConfig):
    name = "accelerator"
    verbose_name = _("Accelerator")

    def ready(self):
        # The audit events and messages of this app; and its tasks, because the web process
        # queues the outbox's sender by name after each commit that queues mail, and Celery
        # imports the apps' tasks only in a worker.
        from . import audit_kinds, message_kinds, tasks  # noqa: F401
