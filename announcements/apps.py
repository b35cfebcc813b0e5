from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    """Staff messages to an audience of a cohort, reviewed before they go, and the staff's view
    of everything the outbox sent."""

    name = "announcements"
    verbose_name = _("Announcements")

    def ready(self):
        from . import message_kinds  # noqa: F401  (register this app's messages)
