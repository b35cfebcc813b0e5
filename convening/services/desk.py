"""The check-in desk and the no-surrogate rule — the one place that decides whether a person
checked in at the convening counts for a city.

A check-in counts for a city only when the person is that city's mayor, identified in person by
program staff at the desk (by personal code or by name). Team members invited to the convening
count as themselves. Anyone else presenting for a city is refused and recorded as a surrogate
attempt, which never counts toward attendance or eligibility; the mayor's row in the ledger for
that segment then reads "surrogate refused" (who presented, when, at which desk, by whom) unless
she is there herself. Every change here re-derives the convening's outcome
(`outcome.convening_outcomes_sync`).

Input mistakes at the desk (a missing confirmation, a missing name) raise `RuleViolation` for the
form; every other outcome, refusals included, is a `DeskResult` with a message for the desk."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from agenda.models import Attendance, SessionInvitation
from cohorts.models import Membership
from cohorts.services.dashboard_rows import dashboard_rows_changed

from ..models import CheckInCode, SurrogateAttempt, normalise_code
from .outcome import convening_outcomes_sync
from .windows import LATE_AFTER, PARTICIPATING, is_convening, open_segment, opens_at


@dataclass
class DeskResult:
    CHECKED_IN = "checked_in"
    ALREADY = "already"
    SURROGATE = "surrogate"
    REFUSED = "refused"

    outcome: str
    message: str
    attendance: Attendance | None = None
    attempt: SurrogateAttempt | None = None
    person: object | None = None

    @property
    def level(self):
        return {self.CHECKED_IN: "success", self.ALREADY: "info"}.get(self.outcome, "danger")

    @property
    def ok(self):
        return self.outcome in (self.CHECKED_IN, self.ALREADY)


def _time(moment, session):
    return formats.time_format(timezone.localtime(moment, session.zone), "H:i")


def _datetime(moment, session):
    return formats.date_format(timezone.localtime(moment, session.zone), "D j M, H:i")


def _refuse(message, **kwargs):
    return DeskResult(DeskResult.REFUSED, message, **kwargs)


def _check_desk(*, session, actor):
    """Who may run the desk, and for what. Returns a refusal or None."""
    if not actor.has_perm("convening.run_desk"):
        # The desk belongs to program staff; a coach or a city's own staff cannot check anyone in.
        audit_record(
            cohort=session.cohort if session else None, actor=actor if actor.is_authenticated else None,
            action="convening.desk_refused",
            data={"person_name": str(actor), "session": session.code if session else None},
        )
        return _refuse(_("Only program staff can run the check-in desk."))
    if not is_convening(session):
        return _refuse(_("Check-in at the desk is only for the mayors' convening."))
    if session.is_cancelled:
        return _refuse(_("This convening was cancelled; there is nothing to check in to."))
    return None


def _closed_message(session, days, now):
    upcoming = [d for d in days if d.starts_at > now]
    if upcoming:
        nxt = upcoming[0]
        return _("No segment is open for check-in now. “%(day)s” opens at %(when)s (%(zone)s).") % {
            "day": nxt.label, "when": _datetime(opens_at(nxt), session), "zone": session.time_zone,
        }
    if not days:
        return _("This convening has no segments yet, so there is nothing to check in to.")
    return _("The convening is over; the desk is closed. Staff can correct attendance on a city's eligibility page.")


def _lookup_code(*, session, text, actor, desk):
    """The code's owner, or a refusal. Bad codes are audited: they may be someone trying it on."""
    normal = normalise_code(text)
    code = CheckInCode.objects.select_related("person", "city", "city__cohort", "session").filter(code=normal).first()
    if code is None:
        audit_record(
            cohort=session.cohort, actor=actor, action="convening.code_refused",
            data={"session": session.code, "code": normal, "desk": desk, "refusal": "unknown",
                  "presented": normal or text},
        )
        return None, _refuse(
            _("There is no check-in code “%(code)s”. Check the letters, or find the person by name.")
            % {"code": normal or text}
        )
    if code.session_id != session.pk:
        audit_record(
            city=code.city, actor=actor, action="convening.code_refused",
            data={"session": session.code, "code": code.code, "desk": desk, "refusal": "other_session",
                  "person_name": str(code.person), "other_title": code.session.title, "title": session.title},
        )
        return None, _refuse(
            _("This code is for “%(other)s”, not this convening. Find the person by name instead.")
            % {"other": code.session.title}, person=code.person,
        )
    if code.revoked_at is not None:
        audit_record(
            city=code.city, actor=actor, action="convening.code_refused",
            data={"session": session.code, "code": code.code, "desk": desk, "refusal": "replaced",
                  "person_name": str(code.person)},
        )
        return None, _refuse(
            _("This code was replaced on %(when)s and no longer works. Ask %(person)s for the new code, "
              "or find them by name and check their identity.")
            % {"when": _datetime(code.revoked_at, session), "person": code.person}, person=code.person,
        )
    return code.person, None


def _already(existing, session):
    day = existing.day
    if existing.status == Attendance.Status.ABSENT:
        message = _("%(person)s was marked absent for “%(day)s” at %(time)s.")
    else:
        message = _("Already checked in for “%(day)s” at %(time)s by %(by)s — nothing more to do.")
    return DeskResult(
        DeskResult.ALREADY,
        message % {"person": existing.person, "day": day.label, "time": _time(existing.marked_at, session),
                   "by": existing.marked_by or _("the enforcement")},
        attendance=existing, person=existing.person,
    )


def _refusal_on_mayor_row(*, session, day, city, actor, desk, attempt, now):
    """The refusal goes on the mayor's row for the segment, unless she is already in: her own
    presence stands, and the attempt stays on record beside it."""
    mayor = _mayor_of(city)
    if day is None or mayor is None:
        return
    note = _("%(who)s presented for the mayor at %(desk)s and was refused") % {
        "who": attempt.presenter_label, "desk": desk or _("the desk")}
    row = _existing(session, day, mayor.user)
    if row is None:
        Attendance.objects.create(
            session=session, day=day, city=city, person=mayor.user, status=Attendance.Status.SURROGATE_REFUSED,
            source=Attendance.Source.DESK, marked_by=actor, marked_at=now, note=note[:300],
        )
    elif row.status not in Attendance.ATTENDED:
        row.status, row.source, row.marked_by, row.marked_at = (
            Attendance.Status.SURROGATE_REFUSED, Attendance.Source.DESK, actor, now)
        row.note = note[:300]
        row.save(update_fields=["status", "source", "marked_by", "marked_at", "note"])
    else:
        return
    convening_outcomes_sync(session=session, city_ids=[city.pk], now=now)
    dashboard_rows_changed(city_ids=[city.pk])


def _record_attempt(*, session, day, city, actor, desk, reason, person=None, name="", code="", now):
    attempt = SurrogateAttempt.objects.create(
        session=session, day=day, city=city, presented_person=person, presented_name=name.strip()[:200],
        code_used=code, reason=reason, desk=desk, recorded_by=actor, recorded_at=now,
    )
    _refusal_on_mayor_row(session=session, day=day, city=city, actor=actor, desk=desk, attempt=attempt, now=now)
    audit_record(
        city=city, actor=actor, action="convening.surrogate_refused",
        data={"session": session.code, "day": day.label if day else None, "person": person.email if person else None,
              "name": name, "code": code, "desk": desk, "reason": reason,
              "who": str(person) if person else attempt.presented_name, "city_name": city.name},
    )
    return attempt


def _existing(session, day, person):
    return Attendance.objects.filter(session=session, day=day, person=person).select_related(
        "marked_by", "day", "person").first()


def _mayor_of(city):
    return Membership.objects.with_scopes_disabled().filter(city=city, role="mayor").select_related("user").first()


@scopes_disabled()  # the desk serves every city of the convening's cohort
def convening_check_in(*, session, actor, desk="", now=None, code="", person=None, identity_confirmed=False):
    """Check a person in for the open segment, identified by their personal code or by name."""
    now = now or timezone.now()
    desk = (desk or "").strip()[:60]
    refusal = _check_desk(session=session, actor=actor)
    if refusal:
        return refusal
    if not identity_confirmed:
        raise RuleViolation(
            _("Check the person's identity in person (photo ID) and tick the box before checking them in."),
            field="identity_confirmed",
        )
    if code:
        person, refusal = _lookup_code(session=session, text=code, actor=actor, desk=desk)
        if refusal:
            return refusal
    if person is None:
        raise RuleViolation(_("Enter a check-in code or choose a person."), field="code")
    days = list(session.days.all())
    day = open_segment(days, now)
    if day is None:
        return _refuse(_closed_message(session, days, now), person=person)

    # The person's membership in this convening's cohort; failing that, their latest elsewhere,
    # so the refusal can say where they belong.
    memberships = Membership.objects.select_related("city", "city__cohort").filter(user=person)
    membership = (memberships.filter(cohort_id=session.cohort_id).first()
                  or memberships.order_by("-cohort__start_date").first())
    if membership is None:
        if person.is_staff or person.is_coach:
            return _refuse(_("%(person)s is program staff or a coach; only mayors and invited team members check in.")
                           % {"person": person}, person=person)
        return _refuse(_("%(person)s is on no city's team, so there is nothing to check in.") % {"person": person},
                       person=person)
    city = membership.city
    if city.cohort_id != session.cohort_id:
        audit_record(
            city=city, actor=actor, action="convening.checkin_refused",
            data={"session": session.code, "desk": desk, "person": person.email, "person_name": str(person),
                  "city_name": city.name, "cohort_name": city.cohort.name, "title": session.title},
        )
        return _refuse(
            _("%(person)s belongs to %(city)s in %(cohort)s, not to this convening's cohort. Not checked in.")
            % {"person": person, "city": city, "cohort": city.cohort}, person=person,
        )
    if city.status not in PARTICIPATING:
        return _refuse(_("%(city)s is not taking part in the program (%(status)s); no check-in recorded.")
                       % {"city": city, "status": city.get_status_display()}, person=person)
    if not membership.is_mayor:
        invited = SessionInvitation.objects.filter(session=session, person=person).exists()
        if not invited:
            # A team member at the mayors' desk who is not invited can only be standing in.
            with transaction.atomic():
                attempt = _record_attempt(
                    session=session, day=day, city=city, actor=actor, desk=desk, now=now,
                    reason=SurrogateAttempt.Reason.TEAM_MEMBER, person=person,
                    code=normalise_code(code) if code else "",
                )
            mayor = _mayor_of(city)
            return DeskResult(
                DeskResult.SURROGATE,
                _("Refused: %(person)s is on %(city)s's team but not invited to the convening. Only the mayor%(mayor)s "
                  "counts for the city and no one may stand in. Recorded as a surrogate attempt.")
                % {"person": person, "city": city, "mayor": f" ({mayor.user})" if mayor else ""},
                attempt=attempt, person=person,
            )

    existing = _existing(session, day, person)
    if existing is not None and existing.status != Attendance.Status.SURROGATE_REFUSED:
        return _already(existing, session)
    status = Attendance.Status.LATE if now > day.starts_at + LATE_AFTER else Attendance.Status.PRESENT
    note = _("Desk %(desk)s, identity checked in person") % {"desk": desk or "—"}
    try:
        with transaction.atomic():
            if existing is not None:
                # A stand-in was refused earlier in the segment; the mayor came herself after all.
                attendance = existing
                attendance.status, attendance.source, attendance.marked_by, attendance.marked_at = (
                    status, Attendance.Source.DESK, actor, now)
                attendance.note = f"{note}; {existing.note}"[:300]
                attendance.save(update_fields=["status", "source", "marked_by", "marked_at", "note"])
            else:
                attendance = Attendance.objects.create(
                    session=session, day=day, city=city, person=person, status=status, marked_by=actor, marked_at=now,
                    source=Attendance.Source.DESK, note=note,
                )
            convening_outcomes_sync(session=session, city_ids=[city.pk], now=now)
            dashboard_rows_changed(city_ids=[city.pk])
            audit_record(
                city=city, actor=actor, action="convening.checked_in",
                data={"session": session.code, "day": day.label, "person": person.email, "status": status,
                      "desk": desk, "by_code": bool(code), "person_name": str(person),
                      "role": membership.role, "role_title": membership.title},
            )
    except IntegrityError:  # another desk checked the same person in at the same moment
        existing = Attendance.objects.select_related("marked_by", "day", "person").get(session=session, day=day,
                                                                                       person=person)
        return _already(existing, session)
    if membership.is_mayor:
        message = _("%(person)s, mayor of %(city)s, is checked in for “%(day)s” (%(status)s).")
    else:
        message = _("%(person)s (%(city)s team) is checked in for “%(day)s” as themselves (%(status)s).")
    return DeskResult(
        DeskResult.CHECKED_IN,
        message % {"person": person, "city": city, "day": day.label, "status": attendance.get_status_display().lower()},
        attendance=attendance, person=person,
    )


@scopes_disabled()
def surrogate_record(*, session, actor, city=None, reason, desk="", presented_person=None, presented_name="",
                     code="", now=None):
    """Refuse someone presenting for a city's mayor and record it. Never counts for anything."""
    now = now or timezone.now()
    desk = (desk or "").strip()[:60]
    refusal = _check_desk(session=session, actor=actor)
    if refusal:
        return refusal
    normal = normalise_code(code) if code else ""
    if normal:
        owned = CheckInCode.objects.select_related("city", "person").filter(code=normal, session=session).first()
        if owned is not None:
            city = city or owned.city
            if reason == SurrogateAttempt.Reason.OTHER:
                reason = SurrogateAttempt.Reason.OTHER_CODE
    if city is None:
        raise RuleViolation(_("Choose the city the person presented for."), field="city")
    if city.cohort_id != session.cohort_id:
        raise RuleViolation(_("%(city)s is not part of this convening.") % {"city": city}, field="city")
    if presented_person is None and not (presented_name or "").strip():
        raise RuleViolation(_("Write the name the person gave."), field="presented_name")
    mayor = _mayor_of(city)
    if presented_person is not None and mayor is not None and presented_person.pk == mayor.user_id:
        raise RuleViolation(_("%(person)s is the mayor: check them in instead.") % {"person": presented_person},
                            field="presented_name")
    day = open_segment(list(session.days.all()), now)
    with transaction.atomic():
        attempt = _record_attempt(
            session=session, day=day, city=city, actor=actor, desk=desk, reason=reason, person=presented_person,
            name=presented_name or "", code=normal, now=now,
        )
    return DeskResult(
        DeskResult.SURROGATE,
        _("Refused: only the mayor%(mayor)s can check in for %(city)s; no surrogates. Recorded as a surrogate attempt "
          "by %(who)s.") % {"mayor": f" ({mayor.user})" if mayor else "", "city": city, "who": attempt.presenter_label},
        attempt=attempt, person=presented_person,
    )
