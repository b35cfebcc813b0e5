"""The message of announcements (see the README's table of messages)."""

from django.utils.translation import gettext_lazy as _

from accelerator.outbox.registry import register_loader, register_message

from .models import Announcement

KIND = "announcements.message"

register_loader("announcements.announcement",
                lambda pks: Announcement.objects.select_related("cohort").in_bulk(pks))

register_message(
    KIND, template="emails/announcement", subject=_("%(subject)s"),
    audience=_("The audience program staff chose and reviewed: cities, roles, or a session's invitees "
               "by their answer or attendance"),
    why=_("Program staff of your cohort wrote to you."),
    subject_params=lambda values: {"subject": values["announcement"].subject},
)
