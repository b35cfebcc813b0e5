from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..qr import qr_svg
from ..services.codes import active_code_for

register = template.Library()


@register.inclusion_tag("convening/includes/city_status.html", takes_context=True)
def convening_status(context):
    """The mayor's convening status on a city's home, what it means, and the mayor's own code."""
    city, user = context.get("city"), context.get("user")
    access = context.get("city_access")
    status = selectors.city_convening_status(city) if city is not None else None
    result = {"city": city, "status": status, "user": user, "code": None, "qr": None}
    if status and access is not None and access.is_mayor and status["session"].ends_at > timezone.now():
        code = active_code_for(session=status["session"], person=user)
        if code is not None:
            result["code"] = code
            result["qr"] = qr_svg(code.code, label=_("QR code for check-in code %(code)s") % {"code": code.code})
    return result


@register.inclusion_tag("convening/includes/cohort_eligibility.html", takes_context=True)
def convening_eligibility(context, cohort, cities, session=None, reviews=None):
    """Eligibility after the cohort's convening, one line per city, in a fixed number of queries.
    A page that already read the convening and its reviews (the cohort dashboard) passes them in."""
    if reviews is None:
        session, reviews = selectors.cohort_eligibility(cohort, cities)
    now = timezone.now()
    rows = [(city, reviews.get(city.pk)) for city in cities]
    user = context.get("user")
    desks = []
    if user is not None and user.has_perm("convening.run_desk", cohort):  # every convening, practice runs included
        desks = list(
            selectors.convenings().filter(cohort_id=cohort.pk).exclude(status="cancelled").order_by("starts_at")
        )
    return {"session": session, "rows": rows, "over": session is not None and session.ends_at <= now,
            "user": user, "desks": desks}
