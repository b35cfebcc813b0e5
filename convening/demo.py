"""Demo: the 2024 mayors' convening as it happened, and a check-in rehearsal running today.

2024 (Wed 26 – Fri 28 June 2024, Baltimore): every mayor has a personal code; most mayors checked
in at every segment; Phoenix's mayor came late on Thursday; Mérida's mayor skipped Friday and sent
the city manager, who was refused at the desk (a surrogate attempt, on her Friday row in the
ledger), so after the enforcement Mérida is "not eligible — pending review" and her convening reads
"surrogate refused"; Quito's mayor missed Wednesday evening (flight cancelled) and staff excused it
with a written reason, so Quito's reads "excused". Each mayor's convening outcome is derived by the
services from her days, never written here. Every step goes through the services, so the audit log
tells the story; the events are dated when they happened.

Today: a practice convening for the running cohort (not required) whose first segment is open
now, so the desk can be tried by code and by name. Idempotent: keyed by cohort, kind and title;
run again later (every `make demo` does), it moves the same rehearsal back around "now"."""

import datetime
import zoneinfo

from django.db.models import F
from django.utils import timezone

from accelerator.models import AuditEvent
from agenda.models import Attendance, ConveningDay, Session, SessionInvitation
from cohorts.models import Membership, Role

from .models import CheckInCode, EligibilityReview, SurrogateAttempt
from .services.desk import convening_check_in, surrogate_record
from .services.eligibility import eligibility_decide
from .services.enforcement import convening_enforce

VENUE_ZONE = "America/New_York"
REHEARSAL_TITLE = "Check-in desk rehearsal (practice, not required)"


def _local(zone, y, m, d, hh, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=zoneinfo.ZoneInfo(zone))


def _at(moment, action):
    """Run a service as of `moment` and date its audit entries then."""
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    result = action()
    AuditEvent.objects.filter(pk__gt=last).update(created_at=moment)
    return result


def _convening_2024(cohort):
    session = _main_convening(cohort)
    if session is None:  # the program calendar's demo normally creates it
        session = Session.objects.create(
            cohort=cohort, kind=Session.Kind.CONVENING, title="Mayors' convening",
            description="Two days with peers on the mayor's role in a data-informed culture. "
                        "Mayors attend in person from Wednesday evening to Friday afternoon; no surrogates.",
            audience=Session.Audience.MAYORS, starts_at=_local(VENUE_ZONE, 2024, 6, 26, 18),
            ends_at=_local(VENUE_ZONE, 2024, 6, 28, 15), time_zone=VENUE_ZONE,
            venue="Johns Hopkins University, Baltimore", learning_goal="lead",
        )
    if not session.days.exists():
        for label, start, end in (
            ("Wednesday evening", _local(VENUE_ZONE, 2024, 6, 26, 18), _local(VENUE_ZONE, 2024, 6, 26, 21)),
            ("Thursday", _local(VENUE_ZONE, 2024, 6, 27, 9), _local(VENUE_ZONE, 2024, 6, 27, 18)),
            ("Friday", _local(VENUE_ZONE, 2024, 6, 28, 9), _local(VENUE_ZONE, 2024, 6, 28, 15)),
        ):
            ConveningDay.objects.create(session=session, label=label, starts_at=start, ends_at=end)
    return session


def _codes(session, mayors, issued_at, issued_by):
    for membership in mayors:
        if not CheckInCode.objects.filter(session=session, person=membership.user).exists():
            CheckInCode.objects.create(session=session, city=membership.city, person=membership.user,
                                       issued_at=issued_at, emailed_at=issued_at, issued_by=issued_by)


def _mayors(cohort):
    return list(Membership.objects.filter(city__cohort=cohort, role=Role.MAYOR).select_related("user", "city")
                .order_by("city__name"))


def _check_in(session, staff, membership, moment, desk, by_code=True):
    code = CheckInCode.objects.filter(session=session, person=membership.user, revoked_at__isnull=True).first()
    kwargs = {"code": code.code} if by_code and code else {"person": membership.user}
    return _at(moment, lambda: convening_check_in(session=session, actor=staff, desk=desk, now=moment,
                                                  identity_confirmed=True, **kwargs))


def seed_convening(session, context, *, skips=(), late=(), surrogate=None, excuse=None):
    """Tell one past convening through the services: codes, check-ins, stand-ins, enforcement."""
    staff_a, staff_b = context["staff"][0], context["staff"][-1]
    if AuditEvent.objects.filter(action="convening.settled", data__session=session.code).exists():
        return session  # already told: the enforcement settled it
    mayors = _mayors(session.cohort)
    _codes(session, mayors, session.starts_at - datetime.timedelta(days=14), staff_a)
    days = list(session.days.order_by("starts_at"))
    for index, day in enumerate(days):
        for n, membership in enumerate(mayors):
            if (membership.city.slug, index) in skips:
                continue
            minutes = -40 + 4 * n  # arrivals spread from 40 minutes before the start
            if (membership.city.slug, index) in late:
                minutes = 52
            desk, staff = ("Desk A", staff_a) if n % 2 == 0 else ("Desk B", staff_b)
            _check_in(session, staff, membership, day.starts_at + datetime.timedelta(minutes=minutes), desk,
                      by_code=n % 3 != 0)
    stand_in = next((m for m in mayors if m.city.slug == surrogate), None)
    if stand_in is not None and days:
        manager = Membership.objects.filter(city=stand_in.city, role=Role.CITY_MANAGER).select_related("user").first()
        moment = days[-1].starts_at - datetime.timedelta(minutes=15)
        if manager and not SurrogateAttempt.objects.filter(session=session, city=stand_in.city).exists():
            _at(moment, lambda: surrogate_record(
                session=session, actor=staff_a, desk="Desk A", city=stand_in.city, presented_person=manager.user,
                reason=SurrogateAttempt.Reason.DEPUTY, now=moment,
            ))
    end = max([session.ends_at] + [d.ends_at for d in days]) + datetime.timedelta(minutes=3)
    _at(end, lambda: convening_enforce(now=end, session=session))
    review = EligibilityReview.objects.filter(session=session, city__slug=excuse).first() if excuse else None
    if review is not None and review.is_pending:
        moment = end + datetime.timedelta(days=4)
        _at(moment, lambda: eligibility_decide(
            review=review, actor=staff_a, state=EligibilityReview.State.EXCUSED, now=moment,
            reason="The airline cancelled the mayor's flight on the first day (confirmation on file); "
                   "the mayor arrived the next morning and attended every session after. Excused by the program "
                   "director.",
        ))
    return session


def _main_convening(cohort):
    return (Session.objects.filter(cohort=cohort, kind=Session.Kind.CONVENING).exclude(title=REHEARSAL_TITLE)
            .order_by("starts_at").first())


def _reanchor(session, now):
    """Move an earlier run's rehearsal, whole, so that its first day is open now again: the session,
    its days, its marks and its codes shift by the same amount, so a demo reopened days later still
    has an open desk and nothing is created twice (the check-ins already made stay the same rows)."""
    first = session.days.order_by("starts_at").first()
    if first is None or first.starts_at <= now < first.ends_at - datetime.timedelta(hours=2):
        return
    shift = (now - datetime.timedelta(hours=1)) - first.starts_at
    Session.objects.filter(pk=session.pk).update(starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift)
    session.days.update(starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift)
    Attendance.objects.filter(session=session).update(marked_at=F("marked_at") + shift)
    CheckInCode.objects.filter(session=session).update(issued_at=F("issued_at") + shift,
                                                       emailed_at=F("emailed_at") + shift)
    session.refresh_from_db()


def seed_rehearsal(context):
    """A practice convening for the running cohort whose first segment is open now."""
    cohort = context["current_cohort"]
    staff = context["staff"][0]
    now = timezone.now().replace(second=0, microsecond=0)
    session = Session.objects.filter(cohort=cohort, kind=Session.Kind.CONVENING, title=REHEARSAL_TITLE).first()
    if session is None:
        start = now - datetime.timedelta(hours=1)
        session = Session.objects.create(
            cohort=cohort, kind=Session.Kind.CONVENING, title=REHEARSAL_TITLE, required=False,
            description="A practice run of the convening desk: codes, check-in by name, refusing stand-ins.",
            audience=Session.Audience.MAYORS, starts_at=start, ends_at=start + datetime.timedelta(hours=40),
            time_zone=VENUE_ZONE, venue="Program office",
        )
        for label, offset, hours in (("Day 1", 0, 10), ("Day 2", 24, 8)):
            ConveningDay.objects.create(session=session, label=label, required=False,
                                        starts_at=start + datetime.timedelta(hours=offset),
                                        ends_at=start + datetime.timedelta(hours=offset + hours))
    else:
        _reanchor(session, now)
    mayors = _mayors(cohort)
    for membership in mayors:
        SessionInvitation.objects.get_or_create(session=session, person=membership.user,
                                                defaults={"city": membership.city})
    _codes(session, mayors, session.starts_at - datetime.timedelta(days=3), staff)
    first = session.days.order_by("starts_at").first()
    if first is not None and first.starts_at <= now < first.ends_at and mayors:
        # Two mayors are already in; the rest are left for whoever tries the desk.
        for membership in mayors[:2]:
            convening_check_in(session=session, actor=staff, desk="Desk A", person=membership.user,
                               identity_confirmed=True, now=max(first.starts_at, now - datetime.timedelta(minutes=30)))
    return session


def seed(context):
    session = _convening_2024(context["cohort_2024"])
    context["convening_2024"] = seed_convening(
        session, context, skips={("merida", 2), ("quito", 0)}, late={("phoenix", 1)}, surrogate="merida",
        excuse="quito",
    )
    # The running cohort's convening opened its season: every mayor came, one a little late.
    current = _main_convening(context["current_cohort"])
    if current is not None and current.ends_at < timezone.now():
        seed_convening(current, context, late={("santiago", 1)})
    context["convening_rehearsal"] = seed_rehearsal(context)
