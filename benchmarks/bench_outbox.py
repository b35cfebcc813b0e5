"""The outbox at scale: 30,000 owed session messages queued by one sweep, then sent.

Goal (issue "one outbox"): the sweep claims and queues 30,000 messages with a constant number of
queries per batch and under 1 s of database time in total. Database time is what PostgreSQL
itself reports for the sweep's statements (planning plus execution, from EXPLAIN ANALYZE of
exactly the statements the sweep sent, replayed in place of the originals); the time the
driver saw, which adds building and sending the statements, is printed beside it."""

import datetime
import math

from celery import current_app
from django.core import mail
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accelerator.outbox.models import OutgoingMessage
from accelerator.outbox.services import outbox_deliver
from agenda.models import Session
from agenda.services.reminders import reminders_queue
from agenda.services.session_invitations import invitations_sync
from benchmarks.support import Figure

SESSIONS = 60
GOAL_DB_SECONDS = 1.0
INSERT_BATCH = 5000  # outbox_queue's batch


def _db_seconds(captured):
    return sum(float(q["time"]) for q in captured.captured_queries)


def _server_seconds(captured):
    """Replay each captured statement under EXPLAIN ANALYZE (which runs it) and add up the
    server's own planning and execution times. Without PostgreSQL, the driver's times."""
    if connection.vendor != "postgresql":
        return _db_seconds(captured)
    total = 0.0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE")):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0][0]
            total += (plan["Planning Time"] + plan["Execution Time"]) / 1000
    return total


def _owed_sessions(world):
    """60 workshops to which the whole cohort was just invited: each invitee is owed a message.
    Made when measured, not in `extend`: the calendar's own sweep would queue them first."""
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=10)
    sessions = Session.objects.bulk_create([
        Session(cohort=world.cohort, kind=Session.Kind.WORKSHOP, title=f"Outbox workshop {n}",
                audience=Session.Audience.MAYORS_AND_TEAMS, starts_at=start + datetime.timedelta(days=n % 30, hours=n),
                ends_at=start + datetime.timedelta(days=n % 30, hours=n + 2), time_zone="America/Bogota",
                created_by=world.staff)
        for n in range(SESSIONS)
    ])
    invitations_sync(cohort_id=world.cohort.pk)  # everyone just invited: each is owed an invitation
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return sessions


def figures(world):
    sessions = _owed_sessions(world)
    before = OutgoingMessage.objects.count()
    # As in production, the sweep's commit only queues the sender task (to the in-memory broker
    # here): what is measured is the sweep, not the sending.
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    try:
        with transaction.atomic():
            undo = transaction.savepoint()
            with CaptureQueriesContext(connection) as captured:
                queued = reminders_queue(session_ids=[s.pk for s in sessions])
            transaction.savepoint_rollback(undo)
            server = _server_seconds(captured)  # the same statements again, measured by the server
        with CaptureQueriesContext(connection) as again:
            reminders_queue(session_ids=[s.pk for s in sessions])  # nothing owed now: nothing queued
    finally:
        current_app.conf.task_always_eager = eager
    created = OutgoingMessage.objects.count() - before
    db = _db_seconds(captured)
    writes = [q for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    batches = max(1, math.ceil(queued / INSERT_BATCH))
    results = [
        Figure(f"sweep: messages queued (rows created {created})", queued, "messages"),
        Figure("sweep: queries in all", len(captured.captured_queries), "queries"),
        Figure("sweep: write queries per batch of 5,000", len(writes) / batches, "queries"),
        Figure("sweep: database seconds (server: planning + execution)", server, "s",
               f"≤ {GOAL_DB_SECONDS:.0f} s", server <= GOAL_DB_SECONDS),
        Figure("sweep: seconds the driver saw (statements built and sent)", db, "s"),
        Figure("sweep again (nothing owed): queries", len(again.captured_queries), "queries"),
        Figure("sweep again: database seconds", _db_seconds(again), "s"),
    ]

    # The sender: 1,000 of them, to memory, in batches of 100.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), \
            CaptureQueriesContext(connection) as sending:
        mail.outbox = []
        started = timezone.now()
        outbox_deliver(batch_size=100, max_batches=10)
        seconds = (timezone.now() - started).total_seconds()
    sent = len(mail.outbox)
    results.append(Figure(f"sender: {sent} messages, queries per message",
                          len(sending.captured_queries) / max(sent, 1), "queries"))
    results.append(Figure("sender: ms per message (render + send to memory)", 1000 * seconds / max(sent, 1), "ms"))
    mail.outbox = []
    return results
