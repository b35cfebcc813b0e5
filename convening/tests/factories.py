"""A convening with three segments (Wednesday evening, Thursday, Friday until the afternoon),
the shape of the program's real one, placed at any moment so tests control the clock."""

import datetime
import zoneinfo

from django.utils import timezone
from django_scopes import scopes_disabled

from agenda.models import ConveningDay, Session, SessionInvitation
from cohorts.models import Membership, Role

ZONE = "America/New_York"


def wednesday_evening(days_ahead=20):
    """An aware datetime: a Wednesday at 18:00 in the venue's zone, at least `days_ahead` away."""
    local = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(ZONE)) + datetime.timedelta(days=days_ahead)
    local += datetime.timedelta(days=(2 - local.weekday()) % 7)
    return local.replace(hour=18, minute=0, second=0, microsecond=0)


@scopes_disabled()
def make_convening(cohort, *, start=None, title="Mayors' convening", invite_team=(), friday_required=True):
    """The session, its three days (in `session.test_days`), and invitations for every mayor of
    the cohort plus the given team members."""
    start = start or wednesday_evening()
    session = Session.objects.create(
        cohort=cohort, kind=Session.Kind.CONVENING, title=title, audience=Session.Audience.MAYORS,
        starts_at=start, ends_at=start + datetime.timedelta(hours=45), time_zone=ZONE, venue="Baltimore",
    )
    days = [
        ConveningDay.objects.create(session=session, label="Wednesday evening", starts_at=start,
                                    ends_at=start + datetime.timedelta(hours=3)),
        ConveningDay.objects.create(session=session, label="Thursday", starts_at=start + datetime.timedelta(hours=15),
                                    ends_at=start + datetime.timedelta(hours=24)),
        ConveningDay.objects.create(session=session, label="Friday", starts_at=start + datetime.timedelta(hours=39),
                                    ends_at=start + datetime.timedelta(hours=45), required=friday_required),
    ]
    mayors = Membership.objects.filter(city__cohort=cohort, role=Role.MAYOR)
    for membership in list(mayors) + list(invite_team):
        SessionInvitation.objects.get_or_create(session=session, person=membership.user,
                                                defaults={"city": membership.city})
    session.test_days = days
    return session


def during(day, minutes=5):
    return day.starts_at + datetime.timedelta(minutes=minutes)


def after(session, hours=1):
    return session.ends_at + datetime.timedelta(hours=hours)
