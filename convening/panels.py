"""The mayor's own check-in code on the convening's session page (registered with the calendar's
session panels when the app loads)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .qr import qr_svg
from .services.codes import active_code_for
from .services.windows import open_segment


def code_card(*, session, code, days=None, now=None):
    """The card with a person's code, its QR image and the segment open at the desk now, if any."""
    now = now or timezone.now()
    days = list(session.days.all()) if days is None else days
    return render_to_string("convening/includes/my_code.html", {
        "session": session, "code": code, "open_day": open_segment(days, now),
        "qr": qr_svg(code.code, label=_("QR code for check-in code %(code)s") % {"code": code.code}),
    })


def mayor_code_panel(*, session, user):
    """Her code, while the convening is ahead or under way; nothing for anyone without one."""
    if session.is_cancelled or session.has_ended:
        return ""
    code = active_code_for(session=session, person=user)
    return code_card(session=session, code=code) if code is not None else ""
