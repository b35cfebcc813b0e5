from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..panels import code_card
from ..qr import qr_svg
from ..services.codes import active_code_for
from ..services.windows import under_way

register = template.Library()


def _home(context):
    """The convening's status for the city home and the viewing mayor's code, read once per page
    (both tags below use it)."""
    cached = context.get("_convening_home")
    if cached is not None:
        return cached
    city, user = context.get("city"), context.get("user")
    access = context.get("city_access")
    now = timezone.now()
    status = selectors.city_convening_status(city, team=context.get("team"), now=now) if city is not None else None
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
