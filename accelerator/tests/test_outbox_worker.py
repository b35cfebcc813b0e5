"""What the outbox guarantees, against a real Celery worker, Redis, PostgreSQL and an SMTP server
on loopback (skipped without REDIS_URL and a database another process can open):

- a sender task delivered twice sends each message once;
- two sweeps and two senders at once queue and send each message once;
- Redis flushed mid-run loses nothing: the next beat tick finds the rows;
- a worker killed mid-batch loses nothing and resends at most what was in flight, with the same
  Message-ID."""

import datetime
import os
import signal
import threading
import time
from collections import Counter

import pytest
from django.db import connections
from django.utils import timezone
from django_scopes import scopes_disabled

from accelerator.outbox.models import OutgoingMessage
from accelerator.outbox.services import mail_send, outbox_deliver
from accelerator.tasks import deliver_outbox
from accelerator.tests.factories import UserFactory
from agenda.services.reminders import reminders_queue
from agenda.tasks import sweep_reminders
from agenda.tests.factories import create_session

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

Status = OutgoingMessage.Status


def soon_session(world):
    start = (timezone.now() + datetime.timedelta(minutes=30)).replace(microsecond=0)
    session = create_session(world, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    return session


def queue(people, key="announce"):
    with scopes_disabled():
        mail_send("people.role_added", to=people, key=key,
                  context={"user": None, "city": None, "kind": "coach", "actor": None})


def statuses():
    with scopes_disabled():
        return Counter(OutgoingMessage.objects.values_list("status", flat=True))


def test_a_sender_task_delivered_twice_sends_each_message_once(world, celery_worker, smtp_server):
    people = UserFactory.create_batch(6)
    queue(people)  # committed at once (transactional test): the kick went to Redis, no worker yet
    celery_worker.start(EMAIL_URL=smtp_server.url)
    deliver_outbox.delay()
    deliver_outbox.delay()  # a duplicate delivery of the same task
    celery_worker.wait_for(lambda: len(smtp_server.messages) >= 6, message="the messages")
    celery_worker.wait_idle()
    assert smtp_server.recipients() == sorted(p.email for p in people)
    assert len({m["message_id"] for m in smtp_server.messages}) == 6
    assert statuses() == {Status.SENT: 6}
    assert "outbox.deliver" in celery_worker.log()


def test_two_sweeps_and_two_senders_at_once_send_once(world, smtp_server, settings):
    smtp_server.use_in_this_process(settings)
    session = soon_session(world)
    with scopes_disabled():
        session.invitations.update(created_at=timezone.now() - datetime.timedelta(days=30))
    barrier = threading.Barrier(2)

    def run(work):
        try:
            barrier.wait()
            work()
        finally:
            connections.close_all()

    for work in (reminders_queue, outbox_deliver):
        threads = [threading.Thread(target=run, args=(work,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert smtp_server.recipients() == sorted([world.users["member"].email, world.users["outsider"].email])
    assert statuses() == {Status.SENT: 2}


def test_redis_flushed_before_the_sender_ran_loses_nothing(world, celery_worker, smtp_server):
    soon_session(world)  # invitations to a session ahead: owed at once
    assert reminders_queue() == 2  # rows committed; the sender's kick waits in Redis
    assert celery_worker.in_flight() >= 1
    celery_worker.flush_broker()  # Redis restarts empty: the kick is gone
    celery_worker.start(EMAIL_URL=smtp_server.url)
    celery_worker.wait_idle()
    assert smtp_server.messages == [] and statuses() == {Status.QUEUED: 2}
    deliver_outbox.delay()  # the next beat tick
    celery_worker.wait_for(lambda: len(smtp_server.messages) >= 2, message="the invitations")
    celery_worker.wait_idle()
    sweep_reminders.delay()  # and a later sweep queues nothing twice
    celery_worker.wait_idle()
    assert smtp_server.recipients() == sorted([world.users["member"].email, world.users["outsider"].email])
    assert statuses() == {Status.SENT: 2}


def test_a_worker_killed_mid_batch_loses_nothing_and_resends_only_what_was_in_flight(
    world, celery_worker, smtp_server
):
    people = UserFactory.create_batch(12)
    queue(people)
    smtp_server.delay = 0.3  # a slow server, so the kill lands in the middle of the batch
    celery_worker.start(EMAIL_URL=smtp_server.url, OUTBOX_CLAIM_SECONDS="2")
    deliver_outbox.delay()
    celery_worker.wait_for(lambda: len(smtp_server.messages) >= 4, message="the first messages")
    os.killpg(celery_worker.process.pid, signal.SIGKILL)  # no cleanup, no acknowledgement
    celery_worker.process.wait(10)
    celery_worker.stop()
    before = len(smtp_server.messages)
    assert before < 12 and statuses()[Status.SENDING] >= 1  # the rest of the batch is still claimed
    smtp_server.delay = 0
    celery_worker.start(EMAIL_URL=smtp_server.url, OUTBOX_CLAIM_SECONDS="2")
    # The next beat ticks take the claim over once it has expired. (The killed task itself stays
    # unacknowledged in Redis until the visibility timeout; it finds nothing left when it returns.)
    deadline = time.monotonic() + 90
    while statuses().get(Status.SENT, 0) < 12 and time.monotonic() < deadline:
        deliver_outbox.delay()
        time.sleep(1)
    assert statuses() == {Status.SENT: 12}
    received = Counter(m["message_id"] for m in smtp_server.messages)
    assert len(received) == 12  # every message arrived
    repeats = {mid: n for mid, n in received.items() if n > 1}
    assert sum(n - 1 for n in repeats.values()) <= 1  # at most the one in flight, with its own Message-ID
    assert sorted({r for m in smtp_server.messages for r in m["to"]}) == sorted(p.email for p in people)
