"""The outbox at scale: 30,000 owed session messages queued by one sweep, then sent.

Goal (issue "one outbox"): the sweep claims and queues 30,000 messages with a constant number of
queries per batch and under 1 s of database time in total. Database time is the sum of the
queries' own durations as the driver saw them (loopback), not the Python around them."""

import datetime
import math

from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accelerator.outbox.models import OutgoingMessage
from accelerator.outbox.services import outbox_deliver
from agenda.models import Session
from agenda.services.reminders import reminders_queue
from agenda.services.session_invitations import invitations_sync

SESSIONS = 60
GOAL_DB_SECONDS = 1.0
INSERT_BATCH = 2000  # outbox_queue's batch


def _db_seconds(captured):
    return sum(float(q["time"]) for q in captured.captured_queries)


def run(world, baseline):
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=10)
    Session.objects.bulk_create([
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
    before = OutgoingMessage.objects.count()
    with CaptureQueriesContext(connection) as captured:
        queued = reminders_queue()
    created = OutgoingMessage.objects.count() - before
    db = _db_seconds(captured)
    writes = [q for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    batches = max(1, math.ceil(queued / INSERT_BATCH))
    results = [
        (f"sweep: messages queued (rows created {created})", queued, "messages"),
        ("sweep: queries in all", len(captured.captured_queries), "queries"),
        ("sweep: write queries per batch of 2,000", len(writes) / batches, "queries"),
        ("sweep: database seconds", db, "s"),
        (f"sweep: database time ÷ goal ({GOAL_DB_SECONDS:.0f} s)", db / GOAL_DB_SECONDS, "×"),
    ]
    with CaptureQueriesContext(connection) as again:
        reminders_queue()
    results.append(("sweep again (nothing owed): queries", len(again.captured_queries), "queries"))
    results.append(("sweep again: database seconds", _db_seconds(again), "s"))

    # The sender: 1,000 of them, to memory, in batches of 100.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), \
            CaptureQueriesContext(connection) as sending:
        mail.outbox = []
        started = timezone.now()
        outbox_deliver(batch_size=100, max_batches=10)
        seconds = (timezone.now() - started).total_seconds()
    sent = len(mail.outbox)
    results.append((f"sender: {sent} messages, queries per message", len(sending.captured_queries) / max(sent, 1),
                    "queries"))
    results.append(("sender: ms per message (render + send to memory)", 1000 * seconds / max(sent, 1), "ms"))
    mail.outbox = []
    return results
