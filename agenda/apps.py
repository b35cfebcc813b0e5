from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    """The program calendar: sessions of every kind, invitations and answers, the attendance
    ledger, reminders and absence warnings."""

    name = "agenda"
    verbose_name = _("Program calendar")

    def ready(self):
        from . import audit_kinds, message_kinds  # noqa: F401  (register this app's audit events and messages)
