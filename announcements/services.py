"""Writing, archiving and sending announcements. Every write goes through here."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from accelerator.outbox.services import mail_send

from .message_kinds import KIND
from .models import Announcement
from .selectors import announcement_recipients

EMPTY_AUDIENCE = "audience"  # the form field an empty audience is shown next to


def _save(announcement, *, subject, body, cities, roles, session, session_filter):
    announcement.subject, announcement.body = subject, body
    announcement.roles, announcement.session = list(roles), session
    announcement.session_filter = list(session_filter) if session is not None else []
    announcement.save()
    announcement.cities.set(cities)
    return announcement


def announcement_create(*, cohort, actor, **fields):
    with transaction.atomic():
        return _save(Announcement(cohort=cohort, created_by=actor), **fields)


def announcement_update(*, announcement, actor, **fields):
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if not locked.is_draft:
            raise RuleViolation(_("This announcement was sent; it can no longer be changed."))
        return _save(locked, **fields)


def announcement_archive(*, announcement, actor, archived=True):
    """Put a draft away (or back): drafts are never deleted."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if not locked.is_draft:
            raise RuleViolation(_("Only a draft can be archived."))
        locked.archived_at = timezone.now() if archived else None
        locked.save(update_fields=["archived_at", "updated_at"])
    return locked


def announcement_send(*, announcement, actor):
    """Queue one message per recipient of the announcement's audience, as it is now, in one
    transaction with the announcement's change to sent and its audit line.

    Sending twice sends once: the row is locked and must still be a draft, and each message's
    key names the announcement and its recipient, so the outbox skips any already queued."""
    with transaction.atomic():
        locked = (Announcement.objects.select_for_update(of=("self",)).select_related("cohort", "session")
                  .get(pk=announcement.pk))
        if not locked.is_draft:
            raise RuleViolation(_("This announcement was sent already."))
        if locked.is_archived:
            raise RuleViolation(_("This draft is archived: restore it before sending."))
        recipients = announcement_recipients(locked)
        if not recipients:
            raise RuleViolation(_("Nobody is in this audience, so there is no one to send it to. "
                                  "Change the audience first."), field=EMPTY_AUDIENCE)
        # One call per city, so that each message is filed under its recipient's city (staff
        # and coaches counted under no city go together): one insert each.
        by_city = {}
        for recipient in recipients:
            by_city.setdefault(recipient.city, []).append(recipient.person)
        count = 0
        for city, people in by_city.items():
            count += mail_send(KIND, to=people, context={"announcement": locked}, key=locked.outbox_key, city=city,
                               cohort=locked.cohort, topic=f"announcements.announcement:{locked.pk}")
        locked.status, locked.sent_at, locked.sent_by = Announcement.Status.SENT, timezone.now(), actor
        locked.sent_count = count
        locked.save(update_fields=["status", "sent_at", "sent_by", "sent_count", "updated_at"])
        audit_record(cohort=locked.cohort, actor=actor, action="outbox.announcement_sent",
                     data={"subject": locked.subject, "count": count, "announcement": locked.code})
    return locked
