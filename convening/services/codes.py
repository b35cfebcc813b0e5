"""Personal check-in codes: issued to every mayor before the convening, reissued by staff."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from accelerator.outbox.services import mail_send

from ..models import CheckInCode
from .windows import expected_mayors, is_convening


def _send_code_email(code, session):
    mail_send(
        "convening.code", to=code.person, city=code.city, key=f"convening-code:{code.pk}",
        context={"code": code, "session": session, "person": code.person,
                 "city_url": settings.SITE_URL + reverse("dashboards:city_home", kwargs={"city_slug": code.city.slug})},
    )


def _issue(*, session, membership, actor, now):
    """Issue a code unless the person has an active one. Returns the new code or None."""
    try:
        with transaction.atomic():
            code = CheckInCode.objects.create(
                session=session, city=membership.city, person=membership.user, issued_by=actor, issued_at=now,
                emailed_at=now,
            )
            # Queued inside the transaction: the code and its message stand or fall together.
            _send_code_email(code, session)
    except IntegrityError:  # an active code exists (or a concurrent run just issued one)
        return None
    return code


@scopes_disabled()  # the convening spans every city of its cohort
def checkin_codes_issue(*, session, actor=None, now=None):
    """Give every expected mayor without an active code a code, by email. Safe to run again."""
    if not is_convening(session):
        raise RuleViolation(_("Check-in codes exist only for the mayors' convening."))
    now = now or timezone.now()
    have = set(CheckInCode.objects.active().filter(session=session).values_list("person_id", flat=True))
    issued = []
    for membership in expected_mayors(session):
        if membership.user_id in have:
            continue
        code = _issue(session=session, membership=membership, actor=actor, now=now)
        if code is not None:
            issued.append(code)
    if issued:
        audit_record(
            cohort=session.cohort, actor=actor, task=None if actor else "convening.enforce",
            action="convening.codes_issued",
            data={"session": session.code, "people": [c.person.email for c in issued], "title": session.title,
                  "count": len(issued)},
        )
    return issued


def checkin_code_reissue(*, session, membership, actor, now=None):
    """Replace a person's code: the old one stops working at once; the new one is emailed."""
    if not actor.has_perm("convening.manage_codes"):
        raise RuleViolation(_("Only program staff can reissue check-in codes."))
    if not is_convening(session):
        raise RuleViolation(_("Check-in codes exist only for the mayors' convening."))
    if membership.city.cohort_id != session.cohort_id:
        raise RuleViolation(_("%(person)s is not in this convening's cohort.") % {"person": membership.user})
    now = now or timezone.now()
    with transaction.atomic():
        old = list(
            CheckInCode.objects.with_scopes_disabled().active().select_for_update()
            .filter(session=session, person=membership.user)
        )
        CheckInCode.objects.with_scopes_disabled().filter(pk__in=[c.pk for c in old]).update(revoked_at=now)
        code = CheckInCode.objects.create(
            session=session, city=membership.city, person=membership.user, issued_by=actor, issued_at=now,
            emailed_at=now,
        )
        audit_record(
            city=membership.city, actor=actor, action="convening.code_reissued",
            data={"session": session.code, "old": [c.code for c in old], "new": code.code,
                  "person": membership.user.email, "person_name": str(membership.user)},
        )
        _send_code_email(code, session)
    return code


def active_code_for(*, session, person):
    return CheckInCode.objects.with_scopes_disabled().active().filter(session=session, person=person).first()
