"""Sending an announcement: one message per recipient, queued in one transaction with the
audit line; twice sends once; nobody in the audience sends nothing."""

import pytest
from django.core import mail
from django.db import transaction
from django_scopes import scope, scopes_disabled

from accelerator.errors import RuleViolation
from accelerator.models import AuditEvent
from accelerator.outbox.models import OutgoingMessage
from accelerator.outbox.services import outbox_deliver
from agenda.models import Session
from agenda.tests.factories import create_session
from announcements.message_kinds import KIND
from announcements.models import Announcement, AudienceRole, SessionFilter
from announcements.services import (
    announcement_archive,
    announcement_create,
    announcement_send,
    announcement_update,
)

from .factories import AnnouncementFactory, mark


def messages_of(announcement):
    with scopes_disabled():
        return list(OutgoingMessage.objects.filter(key__startswith=f"{announcement.outbox_key}/").order_by("to_email"))


def fields(**overrides):
    values = {"subject": "Showcase day", "body": "Bring your team.", "cities": [], "roles": [AudienceRole.MAYOR],
              "session": None, "session_filter": []}
    values.update(overrides)
    return values


def test_send_queues_one_message_per_recipient_with_the_audit_line(world):
    staff = world.users["staff"]
    announcement = announcement_create(cohort=world.cohort, actor=staff, **fields())
    sent = announcement_send(announcement=announcement, actor=staff)
    assert sent.status == Announcement.Status.SENT and sent.sent_count == 2 and sent.sent_by == staff
    rows = messages_of(announcement)
    assert {m.recipient for m in rows} == {world.users["mayor"], world.mayor_b}
    assert {m.kind for m in rows} == {KIND}
    assert {m.city for m in rows} == {world.city, world.other_city}
    assert {m.cohort for m in rows} == {world.cohort}
    with scopes_disabled():
        event = AuditEvent.objects.get(action="outbox.announcement_sent")
    assert event.cohort == world.cohort and event.actor == staff
    assert event.data["count"] == 2 and event.data["subject"] == "Showcase day"


def test_sending_twice_sends_once(world):
    staff = world.users["staff"]
    announcement = AnnouncementFactory(cohort=world.cohort)
    announcement_send(announcement=announcement, actor=staff)
    with pytest.raises(RuleViolation, match="sent already"):
        announcement_send(announcement=announcement, actor=staff)
    assert len(messages_of(announcement)) == 2
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="outbox.announcement_sent").count() == 1


def test_the_outbox_key_holds_even_if_the_status_were_lost(world):
    announcement = AnnouncementFactory(cohort=world.cohort)
    announcement_send(announcement=announcement, actor=world.users["staff"])
    Announcement.objects.filter(pk=announcement.pk).update(status=Announcement.Status.DRAFT)
    announcement_send(announcement=announcement, actor=world.users["staff"])
    assert len(messages_of(announcement)) == 2


def test_an_empty_audience_cannot_be_sent(world):
    session = create_session(world, days_ahead=-1, audience=Session.Audience.MAYORS_AND_TEAMS)
    announcement = announcement_create(cohort=world.cohort, actor=world.users["staff"],
                                       **fields(roles=[], session=session, session_filter=[SessionFilter.ABSENT]))
    with pytest.raises(RuleViolation, match="Nobody is in this audience"):
        announcement_send(announcement=announcement, actor=world.users["staff"])
    announcement.refresh_from_db()
    assert announcement.is_draft and messages_of(announcement) == []


def test_a_failed_send_leaves_nothing_queued(world, monkeypatch):
    import announcements.services as services

    announcement = AnnouncementFactory(cohort=world.cohort)

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        announcement_send(announcement=announcement, actor=world.users["staff"])
    announcement.refresh_from_db()
    assert announcement.is_draft and messages_of(announcement) == []


def test_a_sent_announcement_cannot_be_edited_or_archived(world):
    staff = world.users["staff"]
    announcement = AnnouncementFactory(cohort=world.cohort)
    announcement_send(announcement=announcement, actor=staff)
    with pytest.raises(RuleViolation):
        announcement_update(announcement=announcement, actor=staff, **fields(subject="Changed"))
    with pytest.raises(RuleViolation):
        announcement_archive(announcement=announcement, actor=staff)


def test_an_archived_draft_is_kept_and_cannot_be_sent_until_restored(world):
    staff = world.users["staff"]
    announcement = AnnouncementFactory(cohort=world.cohort)
    announcement_archive(announcement=announcement, actor=staff)
    with pytest.raises(RuleViolation, match="archived"):
        announcement_send(announcement=announcement, actor=staff)
    announcement_archive(announcement=announcement, actor=staff, archived=False)
    assert announcement_send(announcement=announcement, actor=staff).sent_count == 2


def test_each_recipient_gets_it_in_their_language_and_the_absent_only(world, settings):
    """A Portuguese-speaking mayor absent from the session gets the surrounding text in
    Portuguese; the English-speaking absent member in English; whoever came gets nothing."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    staff = world.users["staff"]
    session = create_session(world, days_ahead=-1, title="Data routines workshop",
                             audience=Session.Audience.MAYORS_AND_TEAMS)
    mayor_b = world.mayor_b
    mayor_b.language = "pt-br"
    mayor_b.save(update_fields=["language"])
    mark(session, mayor_b, world.other_city, "absent")
    mark(session, world.users["member"], world.city, "absent")
    mark(session, world.users["mayor"], world.city, "present")
    announcement = announcement_create(
        cohort=world.cohort, actor=staff,
        **fields(subject="We missed you", body="The slides are on the portal.", roles=[], session=session,
                 session_filter=[SessionFilter.ABSENT]),
    )
    announcement_send(announcement=announcement, actor=staff)
    outbox_deliver()
    by_address = {message.to[0].rsplit("<", 1)[-1].rstrip(">"): message for message in mail.outbox}
    assert set(by_address) == {mayor_b.email, world.users["member"].email}
    portuguese, english = by_address[mayor_b.email], by_address[world.users["member"].email]
    assert portuguese.subject.endswith("We missed you") and "The slides are on the portal." in portuguese.body
    assert "Uma mensagem da equipe do programa" in portuguese.body
    assert "A message from the program staff" in english.body
    with scope(city=world.other_city):
        assert OutgoingMessage.objects.get(recipient=mayor_b).status == OutgoingMessage.Status.SENT
