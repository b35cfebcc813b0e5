"""Session messages, derived from the database and queued exactly once through the outbox.

The beat sweep asks "which invitees of which upcoming sessions are owed which message and have
not had it": an invitation to a session they were just invited to, a notice that it moved or
was cancelled, or the reminder at the nearest offset that has passed. It reads that in four
queries and queues the messages with one INSERT … ON CONFLICT DO NOTHING per few thousand
(`accelerator.outbox`), so a doubled or overlapping sweep queues nothing twice and a broker
that lost its queue loses nothing: the next sweep derives the same work again. The outbox
drops a message whose moment has passed by the time it would be sent (`session_still_wanted`)."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.outbox.models import OutgoingMessage
from accelerator.outbox.services import Address, outbox_queue, outgoing
from agenda.ics import calendar_bytes
from agenda.models import Response, Session, SessionInvitation

logger = logging.getLogger(__name__)

# Change notices and invitations are still worth sending this long after the change, if the
# session is ahead.
NOTICE_WINDOW = datetime.timedelta(days=3)

KIND_FOR_STEP = {"invited": "agenda.session_invited", "before": "agenda.session_reminder",
                 "changed": "agenda.session_changed", "cancelled": "agenda.session_cancelled",
                 "nudge": "agenda.session_nudge"}


def reminder_offsets():
    return sorted(settings.REMINDER_OFFSETS)


def reminder_step(session, offset):
    # The sequence is part of the key: a rescheduled session earns fresh reminders for its new time.
    return f"before-{int(offset.total_seconds())}-v{session.sequence}"


def notice_step(session):
    prefix = "cancelled" if session.is_cancelled else "changed"
    return f"{prefix}-v{session.sequence}"


def session_topic(session_id):
    return f"agenda.session:{session_id}"


def _step_of(key):
    # "session:<id>:<step>/<recipient>"
    return key.rpartition("/")[0].split(":", 2)[2]


def _session_steps(session, now, offsets):
    """What a session owes its invitees now, most urgent first: a change notice, then the
    reminder for the nearest offset that has passed (with the moment it became due)."""
    steps = []
    if session.changed_at and session.changed_at >= now - NOTICE_WINDOW and session.status != Session.Status.SCHEDULED:
        steps.append((notice_step(session), None))
    if session.is_cancelled:
        return steps
    passed = [o for o in offsets if session.starts_at - o <= now < session.starts_at]
    if passed:
        offset = min(passed)
        # A change notice sent after this threshold had passed already carried the new time.
        if not (session.changed_at and session.starts_at - offset <= session.changed_at):
            steps.append((reminder_step(session, offset), session.starts_at - offset))
    return steps


@scopes_disabled()  # the sweep serves every city at once
def reminders_due(*, now=None, session_ids=None):
    """{(session_id, step): [(invitation values)]} still owed. Four queries, however many
    invitees; each person is owed at most one message per session per sweep (the next sweep
    sends what follows)."""
    now = now or timezone.now()
    offsets = reminder_offsets()
    horizon = max(offsets) if offsets else datetime.timedelta(0)
    sessions = Session.objects.filter(ends_at__gt=now, starts_at__lte=now + horizon)
    recent = Session.objects.filter(ends_at__gt=now, changed_at__gte=now - NOTICE_WINDOW)
    newly_invited = Session.objects.filter(
        starts_at__gt=now, invitations__created_at__gte=now - NOTICE_WINDOW).exclude(status=Session.Status.CANCELLED)
    if session_ids is not None:
        sessions, recent = sessions.filter(pk__in=session_ids), recent.filter(pk__in=session_ids)
        newly_invited = newly_invited.filter(pk__in=session_ids)
    candidates = (sessions | recent | newly_invited).distinct().only(
        "pk", "starts_at", "status", "changed_at", "sequence", "cohort_id")
    steps, cohort_of = {}, {}
    for session in candidates:
        owed = _session_steps(session, now, offsets)
        notices = [s for s in owed if not s[0].startswith("before")]
        # Most urgent first: a change notice, an invitation (which carries the time), a reminder.
        steps[session.pk] = notices + ([] if session.is_cancelled else [("invited", None)]) + owed[len(notices):]
        cohort_of[session.pk] = session.cohort_id
    if not steps:
        return {}, cohort_of
    invitations = SessionInvitation.objects.filter(session_id__in=steps, person__is_active=True).exclude(
        person__email="").values_list(
        "session_id", "person_id", "city_id", "response", "created_at",
        "person__email", "person__full_name", "person__language", "person__time_zone",
    )
    had = {}
    for recipient_id, topic, key in OutgoingMessage.objects.filter(
        topic__in=[session_topic(pk) for pk in steps]
    ).values_list("recipient_id", "topic", "key"):
        had.setdefault((int(topic.rpartition(":")[2]), recipient_id), set()).add(_step_of(key))
    due = {}
    for row in invitations:
        session_id, person_id, _city, response, created_at = row[:5]
        already = had.get((session_id, person_id), set())
        for step, due_from in steps[session_id]:
            if step == "invited":
                # Invited just now, and told nothing about this session yet.
                if already or created_at < now - NOTICE_WINDOW:
                    continue
            elif step.startswith("before") and (
                response in SessionInvitation.DECLINED or (due_from and created_at >= due_from)
            ):
                continue  # declined, or invited after this reminder's moment (the invitation said it)
            if step in already:
                continue
            due.setdefault((session_id, step), []).append(row)
            break
    return due, cohort_of


def reminders_queue(*, now=None, session_ids=None):
    """Queue every session message that is owed (see `reminders_due`). A constant number of
    queries per few thousand messages. Returns how many were queued (or met an existing key)."""
    now = now or timezone.now()
    due, cohort_of = reminders_due(now=now, session_ids=session_ids)
    rows = []
    for (session_id, step), invitees in due.items():
        session = Session(pk=session_id)
        kind = KIND_FOR_STEP[step.partition("-")[0]]
        by_city = {}
        for r in invitees:
            by_city.setdefault(r[2], []).append(
                Address(email=r[5], name=r[6], language=r[7], time_zone=r[8], user_id=r[1]))
        for city_id, people in by_city.items():
            rows.extend(outgoing(
                kind, to=people,
                context={"session": session, "step": step}, key=f"session:{session_id}:{step}",
                city_id=city_id, cohort_id=cohort_of[session_id], topic=session_topic(session_id), now=now,
            ))
    with scopes_disabled():
        queued = outbox_queue(rows)
    if queued:
        logger.info("session messages: %s queued", queued)
    return queued


@scopes_disabled()
def nudges_queue(*, session, invitation_ids, now):
    """Ask these invitees for an answer: one message per nudge round (the moment is in the key)."""
    invitees = SessionInvitation.objects.filter(
        session=session, pk__in=invitation_ids, response=Response.PENDING).select_related("person")
    step = f"nudge-{int(now.timestamp())}"
    rows = []
    for invitation in invitees:
        rows.extend(outgoing(
            "agenda.session_nudge", to=invitation.person, context={"session": session, "step": step},
            key=f"session:{session.pk}:{step}", city_id=invitation.city_id, cohort_id=session.cohort_id,
            topic=session_topic(session.pk), now=now,
        ))
    return outbox_queue(rows)


# ---------------------------------------------------------------------------------------------
# What the outbox asks when it renders and sends these messages


def load_sessions(pks):
    return Session.objects.select_related("cohort", "city").prefetch_related(
        "days").in_bulk(pks)


def session_still_wanted(context, now):
    """The reason a session message is no use any more, or None."""
    session, step = context["session"], context["step"]
    kind = step.partition("-")[0]
    if kind in ("before", "nudge", "invited"):
        if session.is_cancelled:
            return _("Not sent: the session was cancelled.")
        if now >= session.starts_at:
            return _("Not sent: the session had started.")
        if kind == "before" and not step.endswith(f"-v{session.sequence}"):
            return _("Not sent: the session moved; a reminder for its new time follows.")
        return None
    if now >= session.ends_at:
        return _("Not sent: the session was over.")
    if step != notice_step(session):
        return _("Not sent: the session changed again; the newer notice says so.")
    return None


def session_values(values, message):
    session = values["session"]
    return {"zone_name": message.time_zone or "UTC", "venue_zone": session.time_zone,
            "days": list(session.days.all()), "link": settings.SITE_URL + session.get_absolute_url()}


def session_calendar(context, cache):
    """The session's calendar file, built once per session, version and language per batch."""
    from django.utils.translation import get_language

    session = context["session"]
    key = ("ics", session.pk, session.sequence, get_language())
    if key not in cache:
        cache[key] = calendar_bytes([session], name=session.title)
    return [("session.ics", cache[key], "text/calendar; charset=utf-8; method=PUBLISH")]
