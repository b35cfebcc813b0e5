from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcceleratorConfig(AppConfig):
    name = "accelerator"
    verbose_name = _("Accelerator")

    def ready(self):
        # The audit events and messages this app registers, and the outbox's sender task (queued
        # by name from every process that queues mail).
        from . import audit_kinds, message_kinds, tasks  # noqa: F401
