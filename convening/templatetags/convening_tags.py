from django import template
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import Attendance, Session
from cohorts.models import Membership, Role

from .. import selectors
from ..models import EligibilityReview
from ..panels import code_card
from ..qr import qr_svg
from ..services.codes import active_code_for
from ..services.windows import under_way

register = template.Library()


def _city_status(city, team, now):
    """What selectors.city_convening_status gives, for the city home, in three or four queries:
    the convening under way or next (else the latest required one) with its days, and the
    mayor's marks and the city's review on it. The mayor comes from `team`, the memberships the
    page read already (None: read here); refused stand-ins are not shown on the home, so not read."""
    candidates = list(
        selectors.convenings().filter(cohort_id=city.cohort_id).exclude(status=Session.Status.CANCELLED)
        .filter(Q(ends_at__gt=now) | Q(required=True)).prefetch_related("days")
    )
    ahead = sorted((s for s in candidates if s.ends_at > now), key=lambda s: s.starts_at)
    required = sorted((s for s in candidates if s.required), key=lambda s: s.starts_at)
    session = ahead[0] if ahead else (required[-1] if required else None)
    if session is None:
        return None
    days = sorted(session.days.all(), key=lambda d: d.starts_at)
    if team is None:
        team = Membership.objects.filter(city=city, role=Role.MAYOR).select_related("user")
    mayor = next((m for m in team if m.role == Role.MAYOR), None)
    marks = {} if mayor is None else {
        mark.day_id: mark for mark in Attendance.objects.filter(session=session, day__isnull=False,
                                                                person_id=mayor.user_id).select_related("marked_by")
    }
    review = EligibilityReview.objects.filter(session=session, city=city).first()
    row = selectors.BoardRow(city, mayor, [selectors._cell(day, marks.get(day.pk), now) for day in days],
                             review=review)
    return {"session": session, "days": days, "row": row, "review": review, "now": now}


def _home(context):
    """The convening's status for the city home and the viewing mayor's code, read once per page
    (both tags below use it)."""
    cached = context.get("_convening_home")
    if cached is not None:
        return cached
    city, user = context.get("city"), context.get("user")
    access = context.get("city_access")
    now = timezone.now()
    status = _city_status(city, context.get("team"), now) if city is not None else None
    result = {"city": city, "status": status, "user": user, "code": None, "qr": None, "first": ""}
    if status and access is not None and access.is_mayor and status["session"].ends_at > now:
        code = active_code_for(session=status["session"], person=user)
        if code is not None and under_way(status["session"], status["days"], now):
            # During the convening her code comes first on the page, not in the card further down.
            result["first"] = code_card(session=status["session"], code=code, days=status["days"], now=now)
        elif code is not None:
            result["code"] = code
            result["qr"] = qr_svg(code.code, label=_("QR code for check-in code %(code)s") % {"code": code.code})
    context["_convening_home"] = result
    return result


@register.simple_tag(takes_context=True)
def convening_code_first(context):
    """The mayor's check-in code at the top of her city home while the convening is under way."""
    return _home(context)["first"]


@register.inclusion_tag("convening/includes/city_status.html", takes_context=True)
def convening_status(context):
    """The mayor's convening status on a city's home, what it means, and the mayor's own code."""
    return _home(context)


@register.inclusion_tag("convening/includes/cohort_desks.html", takes_context=True)
def convening_desks(context, cohort):
    """The way to each convening's desk, board and codes from the cohort page, for those who run
    or watch the desk (practice runs included). Eligibility itself is a column of the cities table."""
    user = context.get("user")
    desks = []
    if user is not None and user.has_perm("convening.run_desk", cohort):
        desks = list(
            selectors.convenings().filter(cohort_id=cohort.pk).exclude(status="cancelled").order_by("starts_at")
        )
    return {"desks": desks, "user": user}
