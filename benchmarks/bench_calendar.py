"""Program calendar at scale: 60 cohort-wide sessions for 100 cities × 5 people (30,000 invitations).

Reports the reminder sweep's time and queries (finding what is due must not grow with the number of
invitees), one full sweep that sends, and the calendar pages and feed as ratios to the baseline."""

import datetime
import time

from celery import current_app
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agenda.models import Attendance, Session, SessionInvitation
from agenda.services.calendar_feed import calendar_token_renew
from agenda.services.reminders import reminders_due, reminders_queue
from agenda.services.session_invitations import invitations_sync
from benchmarks.support import Figure, Page, time_call

SESSIONS = 60


def extend(world):
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    rows = []
    for n in range(SESSIONS):
        # 40 behind us, 20 ahead; three of the upcoming ones sit inside the 1-hour, 1-day and 7-day windows.
        if n < 40:
            start = now - datetime.timedelta(days=3 * (40 - n))
        else:
            start = now + [datetime.timedelta(minutes=40), datetime.timedelta(hours=20),
                           datetime.timedelta(days=5)][n - 40] \
                if n < 43 else now + datetime.timedelta(days=3 * (n - 40))
        kind = [Session.Kind.KEYNOTE, Session.Kind.WORKSHOP][n % 2]
        rows.append(Session(
            cohort=world.cohort, kind=kind, title=f"{kind.label} {n}", audience=Session.Audience.MAYORS_AND_TEAMS,
            starts_at=start, ends_at=start + datetime.timedelta(hours=2), time_zone="America/New_York",
            video_url="https://meet.example.org/bench", materials="https://example.org/slides", created_by=world.staff,
        ))
    sessions = Session.objects.bulk_create(rows)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        created, _ = invitations_sync(cohort_id=world.cohort.pk, include_past=True)
    world.calendar_sync = (time.perf_counter() - started, len(captured.captured_queries), created)
    past = [s for s in sessions if s.ends_at <= now]
    statuses = ["present", "present", "present", "late", "excused", "absent"]
    marks = [
        Attendance(session_id=session_id, city_id=city_id, person_id=person_id,
                   status=statuses[(person_id + session_id) % 6])
        for session_id, city_id, person_id in SessionInvitation.objects.filter(session__in=past)
        .values_list("session_id", "city_id", "person_id")
    ]
    Attendance.objects.bulk_create(marks, batch_size=2000)
    world.calendar_sessions = sessions
    world.calendar_past = past[-1]
    world.calendar_next = sessions[40]


def figures(world):
    seconds, queries, _created = world.calendar_sync
    results = [Figure("invitation sync (30k invitations): seconds", seconds, "s"),
               Figure("invitation sync: queries", queries, "queries")]
    _due_seconds, due_queries = time_call(lambda: reminders_due())
    owed = sum(len(ids) for ids in reminders_due()[0].values())
    results.append(Figure(f"reminder sweep, find due ({owed} owed): queries", due_queries, "queries"))
    # As in production, the sweep's commit only queues the sender task (to the in-memory broker
    # here); with eager tasks the sender would run inside the measurement.
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    try:
        started = time.perf_counter()
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            queued = reminders_queue()
        sweep_seconds = time.perf_counter() - started
    finally:
        current_app.conf.task_always_eager = eager
    results.append(Figure(f"full sweep queueing {queued} messages: seconds", sweep_seconds, "s"))
    results.append(Figure("full sweep: queries per message queued", len(captured.captured_queries)
                          / max(queued, 1), "queries"))
    _again_seconds, again_queries = time_call(lambda: reminders_queue())
    results.append(Figure("sweep again (nothing owed): queries", again_queries, "queries"))
    return results


def pages(world):
    staff, person, coach = world.staff, world.people[1], world.coaches[0]
    token = calendar_token_renew(user=person)
    month = timezone.now().strftime("%Y-%m")
    cohort = world.cohort.slug
    # The file's rows: every mark, then every invitee to a session that was not cancelled and
    # nobody has marked yet.
    marked = Attendance.objects.filter(session=OuterRef("session"), person=OuterRef("person"))
    rows = (Attendance.objects.filter(session__cohort=world.cohort).count()
            + SessionInvitation.objects.filter(session__cohort=world.cohort).exclude(
                session__status=Session.Status.CANCELLED).filter(~Exists(marked)).count())
    attendance = f"/sessions/{world.calendar_past.code}/attendance/"
    return [
        Page("cohort calendar, month (staff)", staff, f"/cohorts/{cohort}/sessions/?month={month}"),
        Page("cohort calendar, list of 60 (staff)", staff, f"/cohorts/{cohort}/sessions/?view=list"),
        Page("cohort calendar, list (coach)", coach, f"/cohorts/{cohort}/sessions/?view=list"),
        Page("session page, 500 invitees (staff)", staff, world.calendar_next.get_absolute_url()),
        Page("session page, 500 invitees (member)", person, world.calendar_next.get_absolute_url()),
        Page("attendance page, 500 invitees (staff)", staff, attendance),
        Page("attendance page, 500 invitees, page 5 (staff)", staff, f"{attendance}?page=5"),
        Page("attendance page, 500 invitees, one city (staff)", staff, f"{attendance}?city={world.cities[1].slug}"),
        Page("session page, 500 invitees, page 3 (staff)", staff, f"{world.calendar_next.get_absolute_url()}?page=3"),
        Page("my sessions (team member)", person, "/sessions/"),
        Page("personal feed, 60 sessions (.ics)", person, f"/calendar/{token}.ics"),
        Page("city sessions page (staff)", staff, f"/cities/{world.cities[0].slug}/sessions/"),
        Page(f"attendance CSV ({rows:,} rows)", staff, f"/cohorts/{cohort}/export/attendance.csv", rows=rows),
    ]
