import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from icalendar import Calendar

from accelerator.outbox.models import OutgoingMessage, message_id_for
from agenda.models import Response, SessionInvitation
from agenda.services.reminders import reminders_due, reminders_queue
from agenda.services.session_invitations import invitation_respond
from agenda.services.sessions import session_cancel, session_update
from agenda.tests.factories import create_session
from cohorts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
Status = OutgoingMessage.Status


def recipients(messages):
    return sorted(m.to[0].rpartition("<")[2].rstrip(">") for m in messages)


@scopes_disabled()
def invited_long_ago(session):
    """As if the invitees had been invited (and told) weeks ago: only reminders are owed."""
    SessionInvitation.objects.filter(session=session).update(created_at=timezone.now() - 30 * 24 * HOUR)


def test_new_session_invites_each_person_in_their_zone_with_a_calendar_file(world, outbox):
    member = world.users["member"]
    member.time_zone, member.language = "America/Bogota", "pt-br"
    member.save()
    session = create_session(world, days_ahead=20)
    assert reminders_queue() == 2  # outside any scope: the sweep opens its own
    sent = outbox.deliver()
    assert recipients(sent) == sorted([member.email, world.users["outsider"].email])
    message = next(m for m in sent if member.email in m.to[0])
    assert message.subject.startswith("[Accelerator] Convite: ")  # Brazilian Portuguese
    assert "(America/Bogota)" in message.body
    assert message.alternatives[0][1] == "text/html" and 'lang="pt-br"' in message.alternatives[0][0]
    _name, content, mimetype = message.attachments[0]
    assert mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    event = calendar.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event.decoded("dtstart") == session.starts_at
    assert calendar.walk("VTIMEZONE") and event.walk("VALARM")
    # Told once: the next sweeps owe nothing until the 7-day reminder.
    assert reminders_queue() == 0


def test_due_reminder_goes_once_with_a_message_id_from_its_key(world, outbox):
    member = world.users["member"]
    member.time_zone = "America/Bogota"
    member.save()
    session = create_session(world, days_ahead=1)  # starts tomorrow at 15:00 UTC
    invited_long_ago(session)
    now = session.starts_at - 20 * HOUR  # inside the 1-day window
    assert reminders_queue(now=now) == 2
    assert reminders_queue(now=now) == 0  # a second sweep queues nothing
    sent = outbox.deliver(now=now)
    assert recipients(sent) == sorted([member.email, world.users["outsider"].email])
    by_person = {m.to[0].rpartition("<")[2].rstrip(">"): m for m in sent}
    assert by_person[member.email].subject == "[Accelerator] Reminder: Data routines workshop"
    assert "(America/Bogota)" in by_person[member.email].body and "10:00" in by_person[member.email].body
    row = outbox.rows(recipient=member)[0]
    assert by_person[member.email].extra_headers["Message-ID"] == message_id_for(row.key) == row.message_id
    assert row.status == Status.SENT and row.sent_at is not None
    assert outbox.deliver(now=now) == []  # the sender has nothing left


def test_only_the_nearest_offset_is_sent(world, outbox):
    session = create_session(world, days_ahead=3)
    invited_long_ago(session)
    reminders_queue(now=session.starts_at - 30 * HOUR)  # the 7-day stage (the 1-day has not come)
    assert {r.context["step"] for r in outbox.rows()} == {"before-604800-v0"}
    reminders_queue(now=session.starts_at - 2 * HOUR)  # the 1-day stage
    reminders_queue(now=session.starts_at - HOUR / 2)  # the 1-hour stage
    assert sorted({r.context["step"] for r in outbox.rows()}) == ["before-3600-v0", "before-604800-v0",
                                                                   "before-86400-v0"]
    assert len(outbox.deliver(now=session.starts_at - HOUR / 2)) == 6
    reminders_queue(now=session.starts_at + HOUR / 2)  # started: nothing more
    assert len(outbox.rows()) == 6


def test_declined_invitees_and_cancelled_sessions_get_no_reminder(world, outbox):
    session = create_session(world, days_ahead=2)
    invited_long_ago(session)
    with scope(city=world.city):  # the member answers from the session page, scoped to their city
        invitation_respond(invitation=session.invitations.get(person=world.users["member"]),
                           actor=world.users["member"], response=Response.NO)
    reminders_queue(now=session.starts_at - 10 * HOUR)
    assert recipients(outbox.deliver(now=session.starts_at - 10 * HOUR)) == [world.users["outsider"].email]
    other = create_session(world, days_ahead=2, title="Cancelled one")
    invited_long_ago(other)
    session_cancel(session=other, actor=world.users["staff"])
    # The notice is queued in the cancellation's own transaction, to everyone invited.
    notices = [m for m in outbox.deliver() if "Cancelled one" in m.subject]
    assert len(notices) == 2 and all(m.subject.startswith("[Accelerator] Cancelled: ") for m in notices)
    reminders_queue(now=other.starts_at - HOUR / 2)
    assert not [m for m in outbox.deliver(now=other.starts_at - HOUR / 2) if "Cancelled one" in m.subject]


def test_reschedule_queues_the_notice_with_the_change_then_fresh_reminders(world, outbox):
    session = create_session(world, days_ahead=5)
    invited_long_ago(session)
    reminders_queue(now=session.starts_at - 4 * 24 * HOUR)
    assert len(outbox.deliver(now=session.starts_at - 4 * 24 * HOUR)) == 2
    session_update(session=session, actor=world.users["staff"], starts_at=session.starts_at + 24 * HOUR,
                   ends_at=session.ends_at + 24 * HOUR)
    # Written with the change (no commit has happened in this test), sent by the next run.
    assert len(outbox.rows(status=Status.QUEUED)) == 2
    notices = outbox.deliver()
    assert len(notices) == 2 and all("New time" in m.subject for m in notices)
    event = Calendar.from_ical(notices[0].attachments[0][1]).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    assert reminders_queue() == 0  # nothing twice
    session.refresh_from_db()
    reminders_queue(now=session.starts_at - HOUR / 2)
    assert len(outbox.deliver(now=session.starts_at - HOUR / 2)) == 2


def test_a_reminder_queued_before_a_cancel_is_not_sent_and_says_why(world, outbox):
    session = create_session(world, days_ahead=1)
    invited_long_ago(session)
    reminders_queue(now=session.starts_at - HOUR / 2)
    with scopes_disabled():
        session.refresh_from_db()
    session_cancel(session=session, actor=world.users["staff"])
    sent = outbox.deliver(now=session.starts_at - HOUR / 2)
    assert all("Cancelled" in m.subject for m in sent) and len(sent) == 2
    skipped = outbox.rows(kind="agenda.session_reminder")
    assert {r.status for r in skipped} == {Status.CANCELLED}
    assert all(r.reason == "Not sent: the session was cancelled." for r in skipped)


def test_a_refused_connection_keeps_the_messages_for_a_later_attempt(world, outbox, monkeypatch):
    session = create_session(world, days_ahead=1)
    invited_long_ago(session)
    now = session.starts_at - HOUR / 2
    from django.core.mail.backends.locmem import EmailBackend

    def broken(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    reminders_queue(now=now)
    assert outbox.deliver(now=now) == []
    rows = outbox.rows()
    assert {r.status for r in rows} == {Status.QUEUED} and all(r.send_after > now for r in rows)
    assert max(r.attempts for r in rows) == 1
    monkeypatch.undo()
    assert outbox.deliver(now=now) == []  # not before its backoff
    assert len(outbox.deliver(now=now + 10 * datetime.timedelta(minutes=1))) == 2
    assert reminders_queue(now=now) == 0


def test_finding_due_reminders_takes_the_same_queries_for_more_invitees(world):
    session = create_session(world, days_ahead=1)
    invited_long_ago(session)
    now = session.starts_at - HOUR / 2

    def count():
        with CaptureQueriesContext(connection) as captured:
            due, _cohorts = reminders_due(now=now)
        return len(captured.captured_queries), sum(len(v) for v in due.values())

    before, invitees = count()
    for _ in range(5):
        MembershipFactory(city=world.city)
    create_session(world, days_ahead=1, title="Second")
    after, more = count()
    assert more > invitees
    assert before == after == 3


def test_queueing_takes_one_insert_however_many_people(world, outbox):
    session = create_session(world, days_ahead=1)
    for _ in range(30):
        MembershipFactory(city=world.city)
    create_session(world, days_ahead=1, title="Second")
    invited_long_ago(session)
    now = session.starts_at - HOUR / 2
    with CaptureQueriesContext(connection) as captured:
        queued = reminders_queue(now=now)
    inserts = [q for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert queued > 30 and len(inserts) == 1
    assert mail.outbox == []  # nothing is sent by the sweep itself
