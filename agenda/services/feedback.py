"""Feedback after each session: asked of the people who came, the day after, once.

The beat sweep (`agenda.sweep_feedback`) derives who is owed a request from the database — the
sessions that ended between one and eight days ago (not cancelled, not a coaching check-in,
whose audience is one city and its coach) and the invitees the ledger marks as having attended —
and queues one message per person and session through the outbox under the key
`feedback:<session>`, so a doubled sweep asks nobody twice. Four queries and one INSERT per
few thousand messages, however many sessions are due."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.errors import RuleViolation
from accelerator.outbox.models import OutgoingMessage
from accelerator.outbox.services import Address, outbox_queue, outgoing
from agenda.models import Attendance, Session, SessionFeedback
from agenda.services.reminders import session_values

logger = logging.getLogger(__name__)

# Asked the day after the session; a mark added later (a video-call report imported a few days
# on) still earns a request while the session is this recent.
ASK_AFTER = datetime.timedelta(days=1)
ASK_WITHIN = datetime.timedelta(days=8)
# A coaching check-in is one city and its coach: the coach hears how it went there and then.
EXCLUDED_KINDS = (Session.Kind.COACHING,)
REQUEST_KIND = "agenda.feedback_request"


def feedback_topic(session_id):
    return f"agenda.feedback:{session_id}"


def asks_feedback(session):
    return session.kind not in EXCLUDED_KINDS and not session.is_cancelled


def attendees(session_ids):
    """The attendance marks that make a person an attendee, any segment of a multi-day session."""
    return Attendance.objects.filter(session_id__in=session_ids, status__in=Attendance.ATTENDED)


def attendee_city_id(session, person):
    """The city through which `person` attended `session`, or None (within the current scope)."""
    if not asks_feedback(session):
        return None
    return attendees([session.pk]).filter(person=person).values_list("city_id", flat=True).first()


@scopes_disabled()  # the sweep serves every city at once
def feedback_requests_due(*, now=None):
    """{session: [(person_id, city_id, email, name, language, time_zone)]} still to be asked."""
    now = now or timezone.now()
    sessions = {s.pk: s for s in Session.objects.filter(
        ends_at__lte=now - ASK_AFTER, ends_at__gt=now - ASK_WITHIN,
    ).exclude(status=Session.Status.CANCELLED).exclude(kind__in=EXCLUDED_KINDS).only("pk", "cohort_id")}
    if not sessions:
        return {}
    asked = set(OutgoingMessage.objects.filter(topic__in=[feedback_topic(pk) for pk in sessions])
                .values_list("topic", "recipient_id"))
    answered = set(SessionFeedback.objects.filter(session_id__in=sessions).values_list("session_id", "person_id"))
    rows = attendees(sessions).filter(person__is_active=True).exclude(person__email="").order_by(
        "session_id", "person_id").values_list(
        "session_id", "person_id", "city_id", "person__email", "person__full_name", "person__language",
        "person__time_zone")
    due, seen = {}, set()
    for session_id, person_id, *rest in rows:
        if (session_id, person_id) in seen or (session_id, person_id) in answered:
            continue  # one request however many days of a convening the person came to
        seen.add((session_id, person_id))
        if (feedback_topic(session_id), person_id) in asked:
            continue
        due.setdefault(sessions[session_id], []).append((person_id, *rest))
    return due


def feedback_requests_queue(*, now=None):
    """Queue every feedback request owed (see `feedback_requests_due`). Returns how many."""
    now = now or timezone.now()
    rows = []
    for session, people in feedback_requests_due(now=now).items():
        for person_id, city_id, email, name, language, zone in people:
            rows.extend(outgoing(
                REQUEST_KIND, to=[Address(email=email, name=name, language=language, time_zone=zone,
                                          user_id=person_id)],
                context={"session": Session(pk=session.pk)}, key=f"feedback:{session.pk}", city_id=city_id,
                cohort_id=session.cohort_id, topic=feedback_topic(session.pk), now=now,
            ))
    with scopes_disabled():
        queued = outbox_queue(rows)
    if queued:
        logger.info("feedback requests: %s queued", queued)
    return queued


def feedback_give(*, session, actor, usefulness, will_apply, comment=""):
    """Record `actor`'s answer about `session`; a second answer replaces the first. Returns
    (feedback, created)."""
    city_id = attendee_city_id(session, actor)
    if city_id is None:
        raise RuleViolation(_("Only people who attended this session can give feedback on it."))
    for value in (usefulness, will_apply):
        if value not in range(1, 6):
            raise RuleViolation(_("Choose a score from 1 to 5."))
    with transaction.atomic():
        feedback, created = SessionFeedback.objects.select_for_update().get_or_create(
            session=session, person=actor,
            defaults={"city_id": city_id, "usefulness": usefulness, "will_apply": will_apply,
                      "comment": comment.strip()},
        )
        if not created:
            feedback.usefulness, feedback.will_apply = usefulness, will_apply
            feedback.comment, feedback.updated_at = comment.strip(), timezone.now()
            feedback.save(update_fields=["usefulness", "will_apply", "comment", "updated_at"])
    return feedback, created


# ---------------------------------------------------------------------------------------------
# What the outbox asks when it renders and sends these messages


def feedback_still_wanted(context, now):
    if context["session"].is_cancelled:
        return _("Not sent: the session was cancelled.")
    return None


def feedback_values(values, message):
    link = settings.SITE_URL + reverse("agenda:session_feedback", kwargs={"code": values["session"].code})
    return {**session_values(values, message), "link": link}
