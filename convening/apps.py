from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConveningConfig(AppConfig):
    name = "convening"
    verbose_name = _("Mayors' convening")

    def ready(self):
        from agenda.models import Session
        from agenda.panels import register_session_panel

        from . import audit_kinds, message_kinds  # noqa: F401 (register this app's audit events and messages)
        from .panels import mayor_code_panel

        register_session_panel(Session.Kind.CONVENING, mayor_code_panel)
