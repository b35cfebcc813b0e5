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
from benchmarks.support import Figure, Page
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


def pages(world):
    session, staff = world.convening, world.staff
    return [
        Page("desk, 100 cities (staff)", staff, f"/sessions/{session.code}/check-in/"),
        Page("desk with a search of 20 results", staff, f"/sessions/{session.code}/check-in/?q=City+0"),
        Page("board, 100 cities × 3 segments", staff, f"/sessions/{session.code}/board/"),
        Page("codes page, 100 mayors", staff, f"/sessions/{session.code}/codes/"),
        Page("eligibility review (staff)", staff,
             f"/sessions/{world.finished_convening.code}/cities/{world.cities[0].slug}/eligibility/"),
    ]


# The issue's goal, constant however many cities: the outbox adds the teams' read and one INSERT of
# every message to the bulk writes.
ENFORCEMENT_MAX_QUERIES = 20


def statements(captured):
    """The statements the sweep sends in production. The benchmark runs it inside a transaction
    it rolls back, which turns the sweep's own transaction into a SAVEPOINT and its RELEASE; a
    beat-run sweep starts at the top level, where Django sends neither."""
    return len([q for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))])


def figures(world):
    session, results = world.convening, []
    late_mayor = world.convening_mayors[-1]
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            convening_check_in(session=session, actor=world.staff, person=late_mayor.user, identity_confirmed=True)
        results.append(Figure("one desk check-in: queries", len(captured.captured_queries), "queries"))
        transaction.set_rollback(True)

    with transaction.atomic():
        mail.outbox = []
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            summary = convening_enforce(now=session.ends_at + datetime.timedelta(minutes=5), session=session)
        seconds = time.perf_counter() - started
        queries = statements(captured)
        results.append(Figure(f"enforcement, 100 cities ({summary['absent']} absences, {summary['reviews']} reviews)"
                              ": queries", queries, "queries", f"≤ {ENFORCEMENT_MAX_QUERIES}",
                              queries <= ENFORCEMENT_MAX_QUERIES))
        results.append(Figure("enforcement: seconds", seconds, "s"))
        with CaptureQueriesContext(connection) as captured:
            convening_enforce(now=session.ends_at + datetime.timedelta(minutes=8), session=session)
        again = statements(captured)
        results.append(Figure("enforcement again (nothing to do): queries", again, "queries",
                              f"≤ {ENFORCEMENT_MAX_QUERIES}", again <= ENFORCEMENT_MAX_QUERIES))
        transaction.set_rollback(True)
    return results
