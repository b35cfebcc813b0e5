"""A city with rows in every app: attendance, a check-in, decisions, showcases, a plan and maturity."""

import datetime

from django.utils import timezone
from django_scopes import scopes_disabled

from agenda.models import Attendance, SessionInvitation
from coaching.models import Showcase
from coaching.tests.factories import CheckInFactory, DecisionFactory, ShowcaseFactory
from cohorts.tests.factories import CityFactory, CoachAssignmentFactory, MayorFactory, MembershipFactory
from strategy.models import MaturityRating
from strategy.tests.factories import build_plan


@scopes_disabled()
def fill_city(city, *, coach, session=None, checkin_days_ago=3, attended=True, overdue_decision=False):
    """Give `city` a row in every app; `session` is a past cohort-wide session to mark attendance of."""
    today = timezone.localdate()
    CheckInFactory(city=city, coach=coach, held_on=today - datetime.timedelta(days=checkin_days_ago))
    DecisionFactory(city=city, raised_by=coach)
    if overdue_decision:
        DecisionFactory(city=city, raised_by=coach, due_on=today - datetime.timedelta(days=2))
    ShowcaseFactory(city=city, status=Showcase.Status.SUBMITTED,
                    submitted_at=timezone.now() - datetime.timedelta(days=10))
    ShowcaseFactory(city=city)
    build_plan(city)
    for kind, base, end in (("governance", 1, 3), ("quality", 2, 3)):
        MaturityRating.objects.create(city=city, component=kind, phase="baseline", level=base)
        MaturityRating.objects.create(city=city, component=kind, phase="end", level=end)
    if session is not None:
        for membership in city.memberships.all():
            SessionInvitation.objects.get_or_create(session=session, person=membership.user, defaults={"city": city})
            Attendance.objects.create(session=session, city=city, person=membership.user,
                                      status="present" if attended else "absent")


@scopes_disabled()
def add_city(cohort, coach, session=None, **fill):
    city = CityFactory(cohort=cohort)
    CoachAssignmentFactory(city=city, coach=coach)
    MayorFactory(city=city)
    MembershipFactory(city=city)
    fill_city(city, coach=coach, session=session, **fill)
    return city
