from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    """The program calendar: sessions of every kind, invitations and answers, the attendance
    ledger, reminders and absence warnings."""

    name = "agenda"
    verbose_name = _("Program calendar")

    def ready(self):
        # Register this app's audit events, its messages and its part of copying a cohort.
        from . import audit_kinds, cohort_copy, message_kinds  # noqa: F401
