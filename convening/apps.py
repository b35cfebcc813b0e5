from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConveningConfig(AppConfig):
    name = "convening"
    verbose_name = _("Mayors' convening")

    def ready(self):
        from . import audit_kinds, message_kinds  # noqa: F401 (register this app's audit events and messages)
