"""The outbox in one process, against a real SMTP server on loopback: keys, rendering, retries,
refusals, resend, digests, and that nothing else in the project sends mail."""

import datetime
import re
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accelerator.outbox.models import OutgoingMessage, message_id_for
from accelerator.outbox.registry import registered_messages
from accelerator.outbox.services import (
    Address,
    mail_send,
    outbox_deliver,
    outbox_digests_send,
    outbox_resend,
    retry_delay,
)
from accelerator.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = OutgoingMessage.Status
ROOT = Path(__file__).resolve().parents[2]


def queue_role_added(person, key="k1"):
    with scopes_disabled():
        return mail_send("people.role_added", to=person, key=key,
                         context={"user": person, "city": None, "kind": "coach", "actor": None})


def test_one_row_per_recipient_and_a_repeated_cause_queues_nothing(outbox):
    ana, bea = UserFactory(language="es"), UserFactory(language="pt-br")
    queue_role_added([ana, bea, ana])
    queue_role_added([ana, bea])  # the same cause again (a retried task, a double click)
    rows = outbox.rows()
    assert [r.to_email for r in rows] == [ana.email, bea.email]
    assert [r.language for r in rows] == ["es", "pt-br"] and {r.status for r in rows} == {Status.QUEUED}


def test_a_rolled_back_change_queues_nothing(outbox):
    person = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_role_added(person)
        raise RuntimeError("the change failed")
    assert outbox.rows() == []


def test_each_message_in_its_recipients_language_with_html_and_a_stable_message_id(outbox):
    ana, bea, carl = UserFactory(language="es"), UserFactory(language="pt-br"), UserFactory(language="en")
    queue_role_added([ana, bea, carl])
    sent = {m.to[0].rpartition("<")[2].rstrip(">"): m for m in outbox.deliver()}
    assert sent[ana.email].subject == "[Accelerator] Tiene un nuevo rol"
    assert sent[bea.email].subject == "[Accelerator] Você tem um novo papel"
    assert sent[carl.email].subject == "[Accelerator] You have a new role"
    html, mimetype = sent[bea.email].alternatives[0]
    assert mimetype == "text/html" and '<html lang="pt-br">' in html
    row = outbox.rows(recipient=bea)[0]
    assert sent[bea.email].extra_headers["Message-ID"] == message_id_for(row.key)
    assert row.status == Status.SENT and row.subject == sent[bea.email].subject


def test_a_refused_address_fails_that_message_only(outbox, smtp_server, settings):
    smtp_server.use_in_this_process(settings)
    good, bad = UserFactory(), UserFactory()
    smtp_server.refuse[bad.email] = (550, "5.1.1 No such mailbox")
    queue_role_added([good, bad])
    outbox_deliver()
    assert smtp_server.recipients() == [good.email]
    failed = outbox.rows(recipient=bad)[0]
    assert failed.status == Status.FAILED and "550" in failed.reason and "No such mailbox" in failed.reason
    assert outbox.rows(recipient=good)[0].status == Status.SENT


def test_a_4xx_reply_is_retried_with_backoff_until_the_cap(outbox, smtp_server, settings):
    smtp_server.use_in_this_process(settings)
    settings.OUTBOX_MAX_ATTEMPTS = 3
    person = UserFactory()
    smtp_server.refuse[person.email] = (451, "4.3.0 Try again later")
    queue_role_added(person)
    now = timezone.now()
    outbox_deliver(now=now)
    row = outbox.rows()[0]
    assert row.status == Status.QUEUED and row.attempts == 1 and row.send_after == now + retry_delay(1)
    assert "451" in row.reason
    outbox_deliver(now=now + datetime.timedelta(seconds=30))  # not yet due
    assert outbox.rows()[0].attempts == 1
    outbox_deliver(now=now + datetime.timedelta(hours=1))
    outbox_deliver(now=now + datetime.timedelta(hours=3))
    row = outbox.rows()[0]
    assert row.status == Status.FAILED and row.attempts == 3 and row.reason.startswith("Gave up after 3 attempts")
    assert smtp_server.messages == []


def test_an_unreachable_server_gives_the_batch_back(outbox, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens
    queue_role_added([UserFactory(), UserFactory(), UserFactory()])
    totals = outbox_deliver()
    assert totals["retry"] == 3 and totals["sent"] == 0
    assert {r.status for r in outbox.rows()} == {Status.QUEUED}
    assert [r.attempts for r in outbox.rows()] == [1, 0, 0]  # only the one tried counts an attempt


def test_a_template_error_fails_that_message_with_its_reason(outbox, monkeypatch):
    person = UserFactory()
    queue_role_added(person)
    with scopes_disabled():
        mail_send("people.role_added", to=UserFactory(), key="other",
                  context={"user": person, "city": None, "kind": "coach", "actor": None})
        OutgoingMessage.objects.filter(recipient=person).update(kind="people.no_such_kind")
    outbox.deliver()
    broken = outbox.rows(recipient=person)[0]
    assert broken.status == Status.FAILED and "people.no_such_kind" in broken.reason
    assert len(mail.outbox) == 1  # the other message went


def test_staff_can_resend_a_failed_message_under_the_same_key(outbox, world):
    person = UserFactory()
    queue_role_added(person)
    with scopes_disabled():
        OutgoingMessage.objects.update(status=Status.FAILED, reason="550 refused", attempts=1)
    row = outbox.rows()[0]
    assert outbox_resend(message=row, actor=world.users["staff"]) is True
    assert outbox_resend(message=row, actor=world.users["staff"]) is False  # already queued again
    sent = outbox.deliver()
    assert len(sent) == 1 and sent[0].extra_headers["Message-ID"] == message_id_for(row.key)


def test_an_address_without_an_account_reads_the_language_it_was_given(outbox):
    with scopes_disabled():
        mail_send("people.role_added", to=Address(email="New.Person@Example.org", name="Nova", language="pt-br"),
                  key="addr", context={"user": None, "city": None, "kind": "coach", "actor": None})
    (message,) = outbox.deliver()
    assert message.to == ["new.person@example.org"] and "Você" in message.subject


def test_digest_holds_comments_for_one_daily_email(outbox, settings):
    settings.DIGEST_HOUR = 8
    person = UserFactory(email_digest=True, time_zone="America/Sao_Paulo", language="pt-br")
    urgent = UserFactory()
    queue_role_added([person, urgent])  # not digestible: goes at once for both
    with scopes_disabled():
        for n in range(2):  # two comments held for the digest
            row = OutgoingMessage(key=f"digestible-{n}/u{person.pk}", kind="people.role_added", recipient=person,
                                  to_email=person.email, language="pt-br", time_zone=person.time_zone,
                                  status=Status.HELD,
                                  context={"user": {"$m": "accelerator.user", "pk": person.pk}, "city": None,
                                           "kind": "coach", "actor": None})
            row.save()
    assert len(outbox.deliver()) == 2
    early = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)  # 06:00 in São Paulo
    assert outbox_digests_send(now=early) == 0
    late = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)  # 09:00 in São Paulo
    assert outbox_digests_send(now=late) == 1
    assert outbox_digests_send(now=late) == 0  # once per local day
    (digest,) = outbox.deliver(now=late)
    assert digest.subject == "[Accelerator] Seu resumo do dia: 2 mensagens"
    assert digest.body.count("Você tem um novo papel") == 2
    assert {r.status for r in outbox.rows(status__in=[Status.HELD, Status.DIGESTED])} == {Status.DIGESTED}


def test_queueing_many_recipients_is_one_insert(outbox):
    people = UserFactory.create_batch(40)
    with CaptureQueriesContext(connection) as captured:
        queue_role_added(people)
    assert len([q for q in captured.captured_queries if q["sql"].startswith("INSERT")]) == 1
    assert len(outbox.rows()) == 40


def test_every_kind_has_its_templates_and_lazy_texts():
    from django.template.loader import get_template

    kinds = registered_messages()
    assert len(kinds) >= 30
    for kind in kinds.values():
        get_template(f"{kind.template}.txt")


def test_the_readme_lists_every_message_kind():
    readme = (ROOT / "README.md").read_text()
    missing = [name for name in registered_messages() if f"`{name}`" not in readme]
    assert missing == []


SENDING = re.compile(r"\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|EmailMultiAlternatives|"
                     r"send_messages|get_connection)\b")


def test_no_code_outside_the_outbox_sends_mail():
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {".venv", "benchmarks"} or "tests" in rel.parts or "migrations" in rel.parts:
            continue
        if rel.parts[:2] == ("accelerator", "outbox"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if SENDING.search(code) and not code.lstrip().startswith("def "):
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == []


def test_a_single_use_link_is_not_kept_once_the_message_is_sent(outbox, world):
    from cohorts.models import Role
    from cohorts.services.invitations import invitation_create

    with scopes_disabled():
        invitation_create(email="new@example.org", full_name="New Person", kind="city", city=world.city,
                          role=Role.POLICY, actor=world.users["staff"])
    row = outbox.rows(kind="people.invited")[0]
    assert "/invitations/" in row.context["link"]  # kept while it may still need sending
    (message,) = outbox.deliver()
    assert "/invitations/" in message.body
    row = outbox.rows(kind="people.invited")[0]
    assert row.status == Status.SENT and "/invitations/" not in str(row.context)


def test_a_digest_entry_reads_like_the_message_it_stands_for(outbox, world, settings):
    """Entries are rendered with their kind's own values: a comment names the part it is about."""
    from strategy.services.comments import thread_start
    from strategy.tests.factories import section

    settings.DIGEST_HOUR = 0
    member = world.users["member"]
    member.email_digest = True
    member.save(update_fields=["email_digest"])
    with scope(city=world.city):
        thread_start(city=world.city, actor=world.users["coach"], strategy=section(world.city).strategy,
                     part="governance", body="Who chairs the governance group?")
    outbox.deliver()  # the mayor's copy goes at once
    now = timezone.now()
    assert outbox_digests_send(now=now) == 1
    (digest,) = [m for m in outbox.deliver(now=now) if m.to == [member.email]]
    assert "Who chairs the governance group?" in digest.body
    assert "commented on “”" not in digest.body and "commented on “Data governance" in digest.body
