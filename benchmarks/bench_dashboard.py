"""The cohort dashboard and the city home on the large cohort. The other modules' extend() hooks
give every city sessions with attendance, check-ins, decisions, showcases and a plan; this one adds
maturity ratings at baseline and end and a finished mayors' convening with one city under review."""

import datetime

from django.utils import timezone

from agenda.models import Attendance, ConveningDay, Session
from benchmarks.support import Figure, Page, time_call
from cohorts.models import Membership, Role


def extend(world):
    from convening.models import EligibilityReview
    from strategy.guide import COMPONENT_KINDS
    from strategy.models import MaturityRating

    MaturityRating.objects.bulk_create([
        MaturityRating(city=city, component=kind, phase=phase, level=1 + (i + k + (phase == "end")) % 5)
        for i, city in enumerate(world.cities) for k, kind in enumerate(COMPONENT_KINDS)
        for phase in ("baseline", "end")
    ])
    start = timezone.now() - datetime.timedelta(days=30)
    convening = Session.objects.create(
        cohort=world.cohort, kind=Session.Kind.CONVENING, title="Benchmark convening", audience=Session.Audience.MAYORS,
        starts_at=start, ends_at=start + datetime.timedelta(hours=45), time_zone="America/New_York",
    )
    days = ConveningDay.objects.bulk_create([
        ConveningDay(session=convening, label=label, starts_at=start + datetime.timedelta(hours=h),
                     ends_at=start + datetime.timedelta(hours=h + 3))
        for label, h in (("Wednesday", 0), ("Thursday", 15), ("Friday", 39))
    ])
    mayors = list(Membership.objects.filter(city__in=world.cities, role=Role.MAYOR))
    Attendance.objects.bulk_create([
        Attendance(session=convening, day=day, city_id=m.city_id, person_id=m.user_id, status="present")
        for i, m in enumerate(mayors) for day in days if not (i == 0 and day.label == "Friday")
    ])
    EligibilityReview.objects.create(session=convening, city=world.cities[0], missed=["Friday"])
    world.finished_convening = convening


def pages(world):
    staff, coach, member, mayor = world.staff, world.coaches[0], world.people[1], world.people[0]
    cohort_url = f"/cohorts/{world.cohort.slug}/"
    city_url = f"/cities/{world.cities[0].slug}/"
    return [
        Page("cohort dashboard, staff (100 cities)", staff, cohort_url),
        Page("cohort dashboard, needs attention by maturity", staff, cohort_url + "?attention=yes&sort=maturity"),
        Page("cohort dashboard, filtered to one coach", staff, f"{cohort_url}?coach={world.coaches[0].email}"),
        Page("cohort dashboard, coach (10 cities)", coach, cohort_url),
        Page("city home, mayor", mayor, city_url),
        Page("city home, team member", member, city_url),
        Page("city home, staff", staff, city_url),
        Page("city home, coach", coach, city_url),
    ]


def figures(world):
    from dashboards.read_model import rows_refresh

    ids = [c.pk for c in world.cities]
    seconds, queries = time_call(lambda: rows_refresh(ids), repeat=3)
    one, one_queries = time_call(lambda: rows_refresh(ids[:1]), repeat=3)
    return [
        Figure("dashboard rows, all 100 recomputed: seconds", seconds, "s"),
        Figure("dashboard rows, all 100 recomputed: queries", queries, "queries"),
        Figure("dashboard row, one city recomputed (after a change): seconds", one, "s"),
        Figure("dashboard row, one city recomputed: queries", one_queries, "queries"),
    ]
