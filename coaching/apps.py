from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Coaching")

    def ready(self):
        # Register this app's audit events, its messages and its part of copying a cohort.
        from . import audit_kinds, cohort_copy, message_kinds  # noqa: F401
