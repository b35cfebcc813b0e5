from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcceleratorConfig(AppConfig):
    name = "accelerator"
    verbose_name = _("Accelerator")

    def ready(self):
        from . import audit_kinds, message_kinds  # noqa: F401 (register this app's audit events and messages)
        # The web process queues the sender by name after each commit that queues mail; Celery
        # imports the apps' tasks only in a worker, so register the outbox's here.
        from . import tasks  # noqa: F401
