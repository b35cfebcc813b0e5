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
