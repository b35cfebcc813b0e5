"""When each segment of a convening is open at the desk, late, or closed; who is expected.

Time is always a parameter (`now`), so tests move the clock instead of waiting."""

from datetime import timedelta

from django.utils import timezone

from agenda.models import Session
from cohorts.models import City, Membership, Role

# The desk opens an hour before a segment starts (registration), and a check-in more than half an
# hour after the start is recorded as late. After the segment ends the desk is closed for it.
OPENS_BEFORE = timedelta(hours=1)
LATE_AFTER = timedelta(minutes=30)
# The second reminder goes out partway through a segment: halfway, but at most two hours in.
PARTWAY_MAX = timedelta(hours=2)
# Codes are issued and emailed this long before the convening starts.
CODES_BEFORE = timedelta(days=14)

PARTICIPATING = (City.Status.ACTIVE, City.Status.AT_RISK)


def is_convening(session):
    return session is not None and session.kind == Session.Kind.CONVENING


def opens_at(day):
    return day.starts_at - OPENS_BEFORE


def partway_at(day):
    return day.starts_at + min((day.ends_at - day.starts_at) / 2, PARTWAY_MAX)


def open_segment(days, now):
    """The segment whose desk window holds `now`, or None."""
    for day in days:
        if opens_at(day) <= now < day.ends_at:
            return day
    return None


def under_way(session, days, now):
    """Whether `now` falls within the convening's days: from the start of its first day (in the
    venue's zone: a mayor travels in that morning) until it ends."""
    if not days or session.is_cancelled:
        return False
    first = timezone.localtime(days[0].starts_at, session.zone)
    return first.replace(hour=0, minute=0, second=0, microsecond=0) <= now < max(session.ends_at, days[-1].ends_at)


def current_or_next_segment(days, now):
    """The segment to show at the desk: the open one, else the next, else the last."""
    days = list(days)
    open_day = open_segment(days, now)
    if open_day is not None:
        return open_day
    upcoming = [d for d in days if d.starts_at > now]
    if upcoming:
        return upcoming[0]
    return days[-1] if days else None


def required_days(session, days):
    return [d for d in days if d.required] if session.required else []


def mayors_of_cohort(session):
    """Current mayor memberships of every city of the session's cohort, whatever its status, with
    user and city."""
    return list(
        Membership.objects.with_scopes_disabled()  # a convening spans every city of its cohort
        .filter(city__cohort_id=session.cohort_id, role=Role.MAYOR)
        .select_related("user", "city", "city__cohort")
        .order_by("city__name")
    )


def expected_mayors(session):
    """Mayor memberships of the cities that take part in the session's cohort, with user and city."""
    return [m for m in mayors_of_cohort(session) if m.city.status in PARTICIPATING]
