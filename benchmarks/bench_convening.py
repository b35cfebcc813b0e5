"""The mayors' convening at scale: 100 cities, a convening whose first segment is open now, codes
for every mayor, 70% of mayors already in, some refused stand-ins.

Reports the desk (with and without a search), the board and the cohort page as ratios to the
baseline with their query counts, one check-in, and the enforcement sweep after the convening
(rolled back so the other benchmarks see the cohort unchanged)."""

import datetime
import time

from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agenda.models import Attendance, ConveningDay, Session
from benchmarks.support import client_for, time_get
from cohorts.models import Membership, Role
from convening.models import CheckInCode, SurrogateAttempt
from convening.services.desk import convening_check_in
from convening.services.enforcement import convening_enforce


def extend(world):
    start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=30)
    session = Session.objects.create(
        cohort=world.cohort, kind=Session.Kind.CONVENING, title="Benchmark convening", audience=Session.Audience.MAYORS,
        starts_at=start, ends_at=start + datetime.timedelta(hours=45), time_zone="America/New_York", venue="Hall",
    )
    days = ConveningDay.objects.bulk_create([
        ConveningDay(session=session, label=label, starts_at=start + datetime.timedelta(hours=a),
                     ends_at=start + datetime.timedelta(hours=b))
        for label, a, b in (("Wednesday evening", 0, 3), ("Thursday", 15, 24), ("Friday", 39, 45))
    ])
    mayors = list(Membership.objects.filter(city__cohort=world.cohort, role=Role.MAYOR).select_related("user", "city"))
    CheckInCode.objects.bulk_create([CheckInCode(session=session, city=m.city, person=m.user) for m in mayors])
    Attendance.objects.bulk_create([
        Attendance(session=session, day=days[0], city=m.city, person=m.user, status="present", marked_by=world.staff)
        for m in mayors[: int(len(mayors) * 0.7)]
    ])
    SurrogateAttempt.objects.bulk_create([
        SurrogateAttempt(session=session, day=days[0], city=m.city, presented_name="Deputy", reason="deputy",
                         recorded_by=world.staff)
        for m in mayors[::10]
    ])
    world.convening, world.convening_mayors = session, mayors


def run(world, baseline):
    session, results = world.convening, []
    staff = client_for(world.staff)
    pages = [
        ("desk, 100 cities (staff)", f"/sessions/{session.code}/check-in/"),
        ("desk with a search of 20 results", f"/sessions/{session.code}/check-in/?q=City+0"),
        ("board, 100 cities × 3 segments", f"/sessions/{session.code}/board/"),
        ("codes page, 100 mayors", f"/sessions/{session.code}/codes/"),
        ("cohort page with eligibility", f"/cohorts/{world.cohort.slug}/"),
    ]
    for label, url in pages:
        seconds, queries = time_get(staff, url, repeat=5)
        results.append((f"{label}: time ÷ baseline", seconds / baseline, "×"))
        results.append((f"{label}: queries", queries, "queries"))

    late_mayor = world.convening_mayors[-1]
    with transaction.atomic():
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            convening_check_in(session=session, actor=world.staff, person=late_mayor.user, identity_confirmed=True)
        results.append(("one check-in: time ÷ baseline", (time.perf_counter() - started) / baseline, "×"))
        results.append(("one check-in: queries", len(captured.captured_queries), "queries"))
        transaction.set_rollback(True)

    with transaction.atomic():
        mail.outbox = []
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            summary = convening_enforce(now=session.ends_at + datetime.timedelta(minutes=5), session=session)
        seconds = time.perf_counter() - started
        results.append((f"enforcement after the end ({summary['absent']} absences, {summary['reviews']} reviews): "
                        f"seconds",
                        seconds, "s"))
        results.append(("enforcement: queries", len(captured.captured_queries), "queries"))
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            convening_enforce(now=session.ends_at + datetime.timedelta(minutes=8), session=session)
        results.append(("enforcement again (nothing to do): seconds", time.perf_counter() - started, "s"))
        results.append(("enforcement again: queries", len(captured.captured_queries), "queries"))
        transaction.set_rollback(True)
    return results
