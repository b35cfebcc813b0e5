"""Reminders and change notices, derived from the database and sent exactly once.

The beat sweep asks "which invitees of which upcoming sessions are due which email and have not
had it" in three queries, and queues one send task per batch of invitees. The send task writes
the `ReminderLog` row and sends the email in one transaction: a duplicated or retried task meets
the unique key and sends nothing, a failed send leaves no row so the next sweep tries again, and a
broker that lost its queue loses nothing because the next sweep derives the same work again."""

import datetime
import logging
import zoneinfo

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.i18n import interface_language
from agenda.ics import calendar_bytes
from agenda.models import ReminderLog, Response, Session, SessionInvitation

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# Change notices are still worth sending this long after the change, if the session is ahead.
NOTICE_WINDOW = datetime.timedelta(days=3)


def reminder_offsets():
    return sorted(settings.REMINDER_OFFSETS)


def reminder_kind(session, offset):
    # The sequence is part of the key: a rescheduled session earns fresh reminders for its new time.
    return f"before-{int(offset.total_seconds())}-v{session.sequence}"


def notice_kind(session):
    prefix = "cancelled" if session.is_cancelled else "changed"
    return f"{prefix}-v{session.sequence}"


def _due_kinds(session, now, offsets):
    """The emails a session owes its invitees now, most urgent first: a change notice, then the
    reminder for the nearest offset that has passed."""
    kinds = []
    if session.changed_at and session.changed_at >= now - NOTICE_WINDOW and session.status != Session.Status.SCHEDULED:
        kinds.append(notice_kind(session))
    if session.is_cancelled:
        return kinds
    passed = [o for o in offsets if session.starts_at - o <= now < session.starts_at]
    if passed:
        offset = min(passed)
        # A change notice sent after this threshold had passed already carried the new time.
        if not (session.changed_at and session.starts_at - offset <= session.changed_at):
            kinds.append(reminder_kind(session, offset))
    return kinds


@scopes_disabled()  # the sweep serves every city at once
def reminders_due(*, now=None, session_ids=None):
    """{(session_id, kind): [invitation ids]} still owed. Three queries, however many invitees."""
    now = now or timezone.now()
    offsets = reminder_offsets()
    horizon = max(offsets) if offsets else datetime.timedelta(0)
    sessions = Session.objects.filter(ends_at__gt=now, starts_at__lte=now + horizon)
    recently_changed = Session.objects.filter(ends_at__gt=now, changed_at__gte=now - NOTICE_WINDOW)
    if session_ids is not None:
        sessions = sessions.filter(pk__in=session_ids)
        recently_changed = recently_changed.filter(pk__in=session_ids)
    candidates = (sessions | recently_changed).only("pk", "starts_at", "status", "changed_at", "sequence")
    kinds = {}
    for session in candidates:
        owed = _due_kinds(session, now, offsets)
        if owed:
            kinds[session.pk] = owed
    if not kinds:
        return {}
    invitations = SessionInvitation.objects.filter(session_id__in=kinds).values_list(
        "pk", "session_id", "person_id", "response"
    )
    sent = set(
        ReminderLog.objects.filter(
            session_id__in=kinds, kind__in={k for owed in kinds.values() for k in owed}
        ).values_list("session_id", "person_id", "kind")
    )
    due = {}
    for pk, session_id, person_id, response in invitations:
        for kind in kinds[session_id]:
            if kind.startswith("before") and response in SessionInvitation.DECLINED:
                continue
            if (session_id, person_id, kind) in sent:
                continue
            due.setdefault((session_id, kind), []).append(pk)
            break  # one email per person per sweep; the next sweep sends what follows
    return due


def send_deadline(session, kind):
    """The moment after which `kind` is no use: a reminder or nudge once the session has
    started, a change notice once it is over."""
    if kind.startswith(("before", "nudge")):
        return session.starts_at
    return session.ends_at


def record_skipped(*, session, invitations, kind):
    """Record that `kind` was not sent to these invitees because its moment had passed, so a
    redelivered task finds the row and does not try again. Returns how many were recorded."""
    rows = [
        ReminderLog(session=session, person_id=i.person_id, city_id=i.city_id, kind=kind, skipped=True)
        for i in invitations
    ]
    ReminderLog.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        logger.info("session %s: skipped %s × %s, its moment had passed", session.code, len(rows), kind)
    return len(rows)


def _person_zone(person):
    try:
        return zoneinfo.ZoneInfo(person.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def build_session_email(*, session, person, kind):
    """The email about `session` for `person`, in their language and time zone, with the ICS."""
    zone = _person_zone(person)
    if kind.startswith("cancelled"):
        template, subject = "emails/session_cancelled.txt", _("Cancelled: %(title)s")
    elif kind.startswith("changed"):
        template, subject = "emails/session_changed.txt", _("New time: %(title)s")
    elif kind == "nudge":
        template, subject = "emails/session_nudge.txt", _("Please answer: %(title)s")
    else:
        template, subject = "emails/session_reminder.txt", _("Reminder: %(title)s")
    with translation.override(interface_language(person.language)), timezone.override(zone):
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject % {"title": session.title}
        body = render_to_string(template, {
            "session": session, "person": person, "zone_name": person.time_zone or "UTC",
            "venue_zone": session.time_zone, "days": list(session.days.all()),
            "link": settings.SITE_URL + session.get_absolute_url(), "site_url": settings.SITE_URL,
        })
    message = EmailMessage(subject, body, None, [person.email])
    message.attach("session.ics", calendar_bytes([session], name=session.title), "text/calendar; charset=utf-8")
    return message


@scopes_disabled()  # a task serves several cities; rows are reloaded by id
def reminders_send(*, session_id, kind, invitation_ids):
    """Send `kind` to the given invitees who have not had it. Returns how many were sent."""
    session = Session.objects.select_related("cohort").prefetch_related("days").filter(pk=session_id).first()
    if session is None:
        return 0
    if kind.startswith("before") and (session.is_cancelled or not kind.endswith(f"-v{session.sequence}")):
        return 0  # stale: the session moved or was cancelled since the sweep
    if not kind.startswith("before") and kind != notice_kind(session):
        return 0
    invitations = SessionInvitation.objects.filter(pk__in=invitation_ids, session=session).select_related("person")
    if kind.startswith("before"):
        invitations = invitations.exclude(response__in=SessionInvitation.DECLINED)
    invitations = list(invitations)
    already = set(
        ReminderLog.objects.filter(session=session, kind=kind, person_id__in=[i.person_id for i in invitations])
        .values_list("person_id", flat=True)
    )
    to_send = [i for i in invitations if i.person_id not in already and i.person.email]
    if not to_send:
        return 0
    sent = 0
    deadline = send_deadline(session, kind)
    with get_connection() as connection:
        for index, invitation in enumerate(to_send):
            # Checked before each message, not once per batch: a batch claimed before the start
            # may reach its last recipients after it (a slow mail server, a redelivery).
            if timezone.now() >= deadline:
                record_skipped(session=session, invitations=to_send[index:], kind=kind)
                break
            message = build_session_email(session=session, person=invitation.person, kind=kind)
            try:
                with transaction.atomic():
                    # The row and the send stand or fall together: if sending raises, the row is
                    # rolled back and the next sweep tries again; if another worker holds the
                    # row, this insert waits for it and then fails, so nothing goes out twice.
                    ReminderLog.objects.create(
                        session=session, person_id=invitation.person_id, city_id=invitation.city_id, kind=kind
                    )
                    connection.send_messages([message])
            except IntegrityError:
                continue
            sent += 1
    logger.info("session %s: sent %s × %s", session.code, sent, kind)
    return sent


@scopes_disabled()  # a task; rows are reloaded by id
def nudges_send(*, session_id, invitation_ids):
    """Email the invitees among `invitation_ids` who still have not answered."""
    session = Session.objects.prefetch_related("days").filter(pk=session_id).first()
    if session is None or session.is_cancelled:
        return 0
    invitations = list(
        SessionInvitation.objects.filter(
            session=session, pk__in=invitation_ids, response=Response.PENDING, nudged_at__isnull=False
        ).select_related("person")
    )
    sent = 0
    with get_connection() as connection:
        for invitation in invitations:
            # One log row per nudge round, written with the send: a redelivered task sends nothing.
            kind = f"nudge-{int(invitation.nudged_at.timestamp())}"
            if timezone.now() >= send_deadline(session, kind):
                record_skipped(session=session, invitations=[invitation], kind=kind)
                continue
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(
                        session=session, person_id=invitation.person_id, city_id=invitation.city_id, kind=kind
                    )
                    connection.send_messages([build_session_email(session=session, person=invitation.person,
                                                                  kind="nudge")])
            except IntegrityError:
                continue
            sent += 1
    return sent
