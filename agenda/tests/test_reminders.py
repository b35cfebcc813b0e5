import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from icalendar import Calendar

from agenda.models import ReminderLog, Response
from agenda.services.reminders import reminders_due, reminders_send
from agenda.services.session_invitations import invitation_respond
from agenda.services.sessions import session_cancel, session_update
from agenda.tasks import reminders_queue_due
from agenda.tests.factories import create_session
from cohorts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


def test_due_reminder_goes_once_in_each_persons_zone_with_the_ics(world):
    member, outsider = world.users["member"], world.users["outsider"]
    member.time_zone, outsider.time_zone = "America/Bogota", "Europe/Lisbon"
    member.save(), outsider.save()
    session = create_session(world, days_ahead=1)  # starts tomorrow at 15:00 UTC, whatever the time now
    now = session.starts_at - 20 * HOUR  # inside the 1-day window
    assert reminders_queue_due(now=now) == 2  # outside any scope: the sweep opens its own
    assert recipients() == sorted([member.email, outsider.email])
    by_person = {m.to[0]: m for m in mail.outbox}
    assert "(America/Bogota)" in by_person[member.email].body and "10:00" in by_person[member.email].body
    assert "(Europe/Lisbon)" in by_person[outsider.email].body
    _name, content, mimetype = by_person[member.email].attachments[0]
    assert mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == session.starts_at
    # A second sweep, and a duplicated send task, send nothing more.
    assert reminders_queue_due(now=now) == 0
    with scopes_disabled():  # reads both cities' invitations
        ids = list(session.invitations.values_list("pk", flat=True))
    assert reminders_send(session_id=session.pk, kind=f"before-86400-v{session.sequence}", invitation_ids=ids) == 0
    assert len(mail.outbox) == 2
    with scopes_disabled():  # reads both cities' rows
        assert ReminderLog.objects.count() == 2


def test_only_the_nearest_offset_is_sent(world):
    session = create_session(world, days_ahead=3)
    # The sweeps run outside any scope: they open their own.
    reminders_queue_due(now=session.starts_at - 30 * HOUR)  # the 7-day stage (the 1-day has not come)
    with scopes_disabled():  # reads both cities' rows
        assert set(ReminderLog.objects.values_list("kind", flat=True)) == {"before-604800-v0"}
    reminders_queue_due(now=session.starts_at - 2 * HOUR)  # the 1-day stage
    reminders_queue_due(now=session.starts_at - HOUR / 2)  # the 1-hour stage
    with scopes_disabled():  # reads both cities' rows
        assert sorted(set(ReminderLog.objects.values_list("kind", flat=True))) == [
            "before-3600-v0", "before-604800-v0", "before-86400-v0"]
    assert len(mail.outbox) == 6
    reminders_queue_due(now=session.starts_at + HOUR / 2)  # started: nothing more
    assert len(mail.outbox) == 6


def test_declined_invitees_and_cancelled_sessions_get_no_reminder(world):
    session = create_session(world, days_ahead=2)
    with scope(city=world.city):  # the member answers from the session page, scoped to their city
        invitation_respond(invitation=session.invitations.get(person=world.users["member"]),
                           actor=world.users["member"],
                           response=Response.NO)
    reminders_queue_due(now=session.starts_at - 10 * HOUR)  # outside any scope: the sweep opens its own
    assert recipients() == [world.users["outsider"].email]
    other = create_session(world, days_ahead=2, title="Cancelled one")
    session_cancel(session=other, actor=world.users["staff"])
    mail.outbox.clear()
    reminders_queue_due(now=timezone.now())  # the cancellation notice, to everyone invited
    notices = [m for m in mail.outbox if "Cancelled one" in m.subject]
    assert len(notices) == 2 and all(m.subject.startswith("[Accelerator] Cancelled") for m in notices)
    mail.outbox.clear()
    reminders_queue_due(now=other.starts_at - HOUR / 2)
    assert not [m for m in mail.outbox if "Cancelled one" in m.subject]


def test_reschedule_sends_a_notice_then_fresh_reminders(world, django_capture_on_commit_callbacks):
    session = create_session(world, days_ahead=5)
    reminders_queue_due(now=session.starts_at - 4 * 24 * HOUR)
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, actor=world.users["staff"], starts_at=session.starts_at + 24 * HOUR,
                       ends_at=session.ends_at + 24 * HOUR)
    # The notice went out at once (queued after the commit), with SEQUENCE 1 in its ICS.
    notices = mail.outbox[2:]
    assert len(notices) == 2 and all("New time" in m.subject for m in notices)
    event = Calendar.from_ical(notices[0].attachments[0][1]).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    reminders_queue_due()  # nothing twice
    assert len(mail.outbox) == 4
    reminders_queue_due(now=session.starts_at - HOUR / 2)
    assert len(mail.outbox) == 6


def test_stale_send_task_after_cancel_sends_nothing(world):
    session = create_session(world, days_ahead=1)
    due = reminders_due(now=session.starts_at - HOUR / 2)
    (session_id, kind), ids = next(iter(due.items()))
    session_cancel(session=session, actor=world.users["staff"])
    assert reminders_send(session_id=session_id, kind=kind, invitation_ids=ids) == 0


def test_failed_send_leaves_no_log_so_the_next_sweep_retries(world, monkeypatch):
    session = create_session(world, days_ahead=1)
    now = session.starts_at - HOUR / 2
    from django.core.mail.backends.locmem import EmailBackend

    def broken(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    from celery.exceptions import Retry

    with pytest.raises((ConnectionRefusedError, Retry)):  # eager tasks raise the retry they schedule
        reminders_queue_due(now=now)  # outside any scope: the sweep opens its own
    with scopes_disabled():  # reads both cities' rows
        assert ReminderLog.objects.count() == 0
    monkeypatch.undo()
    assert reminders_queue_due(now=now) == 2
    assert len(mail.outbox) == 2


def test_finding_due_reminders_takes_the_same_queries_for_more_invitees(world):
    session = create_session(world, days_ahead=1)
    now = session.starts_at - HOUR / 2

    def count():
        with CaptureQueriesContext(connection) as captured:
            due = reminders_due(now=now)
        return len(captured.captured_queries), sum(len(v) for v in due.values())

    before, invitees = count()
    for _ in range(5):
        MembershipFactory(city=world.city)
    create_session(world, days_ahead=1, title="Second")
    after, more = count()
    assert more > invitees
    assert before == after == 3
