import datetime

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from accelerator.outbox.models import OutgoingMessage
from accelerator.outbox.services import outgoing
from accelerator.tests.factories import Factory
from agenda.models import Attendance
from announcements.message_kinds import KIND
from announcements.models import Announcement, AudienceRole
from cohorts.tests.factories import CohortFactory


class AnnouncementFactory(Factory):
    class Meta:
        model = Announcement

    cohort = factory.SubFactory(CohortFactory)
    subject = factory.Sequence(lambda n: f"Programme news {n}")
    body = "The showcase day moves to the main hall.\nBring your team."
    roles = factory.LazyFunction(lambda: [AudienceRole.MAYOR])


@scopes_disabled()
def queued_message(person, *, city=None, cohort=None, announcement=None, status=OutgoingMessage.Status.QUEUED,
                   reason="", created_at=None, key=None):
    """One outgoing announcement row to `person`, saved as the outbox would queue it."""
    if announcement is None:
        announcement = AnnouncementFactory(cohort=cohort or city.cohort)
    message = outgoing(KIND, to=person, context={"announcement": announcement},
                       key=key or announcement.outbox_key, city=city, cohort=announcement.cohort)[0]
    message.status, message.reason = status, reason
    if created_at is not None:
        message.created_at = created_at
    message.save()
    return message


@scopes_disabled()
def mark(session, person, city, status):
    """An attendance mark in the ledger, by hand."""
    return Attendance.objects.create(session=session, city=city, person=person, status=status,
                                     marked_at=timezone.now() - datetime.timedelta(minutes=5))
