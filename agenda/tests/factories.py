import datetime

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from accelerator.tests.factories import Factory
from agenda.models import Session
from cohorts.tests.factories import CohortFactory


def in_days(days, hour=15):
    moment = timezone.now() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class SessionFactory(Factory):
    """A bare session row; use agenda.services.sessions.session_create to get its invitations."""

    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    kind = Session.Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"Workshop {n}")
    audience = Session.Audience.SENIOR_TEAMS
    starts_at = factory.LazyFunction(lambda: in_days(10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    time_zone = "America/New_York"


@scopes_disabled()
def create_session(world, *, days_ahead=10, hours=2, **fields):
    """A session created through the service (so its audience is invited), by world's staff."""
    from agenda.services.sessions import session_create

    starts = in_days(days_ahead)
    defaults = {
        "kind": Session.Kind.WORKSHOP, "title": "Data routines workshop", "audience": Session.Audience.SENIOR_TEAMS,
        "starts_at": starts, "ends_at": starts + datetime.timedelta(hours=hours), "time_zone": "America/New_York",
    }
    defaults.update(fields)
    return session_create(cohort=world.cohort, actor=world.users["staff"], **defaults)


@scopes_disabled()
def coaching_session(world, **fields):
    return create_session(world, kind=Session.Kind.COACHING, title="Coaching check-in", city=world.city,
                          audience=Session.Audience.CITY, **fields)
