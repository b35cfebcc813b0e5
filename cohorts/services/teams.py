"""Team rules: one mayor per city, one city per person per cohort, coaches and staff belong to no city.

Every change of who is on a team or who coaches a city re-derives the invitations to upcoming
sessions in the same transaction, by calling the calendar's sync here, explicitly."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from agenda.services.session_invitations import invitations_sync

from ..models import CoachAssignment, Membership, Role
from .dashboard_rows import dashboard_rows_changed


def _check_can_join(*, city, user):
    if user.is_staff or user.is_coach:
        raise RuleViolation(_("Program staff and coaches belong to no city."), field="email")
    # Other cohorts do not count: last year's team member may join her city again this year.
    existing = (Membership.objects.with_scopes_disabled().filter(user=user, cohort_id=city.cohort_id)
                .select_related("city").first())
    if existing is not None and existing.city_id != city.pk:
        raise RuleViolation(
            _("This person already belongs to another city's team in this cohort; a person can belong to one "
              "city per cohort."),
            field="email",
        )
    if existing is None:
        # One membership per person per cohort, ended ones included (the history names them).
        ended = (Membership.history.with_scopes_disabled().filter(user=user, cohort_id=city.cohort_id)
                 .select_related("city").first())
        if ended is not None and ended.city_id != city.pk:
            raise RuleViolation(
                _("This person left %(city)s's team in this cohort; that membership is kept as history, so they "
                  "cannot join another city's team in the same cohort.") % {"city": ended.city.name},
                field="email",
            )
    return existing


def check_mayor_free(*, city, role, exclude=None):
    if role != Role.MAYOR:
        return
    mayors = Membership.objects.with_scope(city=city).filter(city=city, role=Role.MAYOR)
    if exclude is not None:
        mayors = mayors.exclude(pk=exclude.pk)
    if mayors.exists():
        raise RuleViolation(
            _("This city already has a mayor. Change the current mayor's role first."), field="role"
        )


def _validate_title(role, title):
    if role == Role.OTHER and not title.strip():
        raise RuleViolation(_("Give the job title for “Other role”."), field="title")


def membership_add(*, city, user, role, title="", actor):
    """Add a person to a city's team (or change their role if they are already on it)."""
    _validate_title(role, title)
    with transaction.atomic():
        existing = _check_can_join(city=city, user=user)
        if existing is not None:
            return membership_change_role(membership=existing, role=role, title=title, actor=actor)
        check_mayor_free(city=city, role=role)
        try:
            with transaction.atomic():
                # Someone who left this team and comes back: their old row is taken up again.
                membership, _created = Membership.history.with_scopes_disabled().update_or_create(
                    user=user, cohort_id=city.cohort_id,
                    defaults={"city": city, "role": role, "title": title, "ended_at": None})
        except IntegrityError as exc:  # a concurrent request won the race for the mayor's seat
            raise RuleViolation(_("This city already has a mayor."), field="role") from exc
        audit_record(
            city=city,
            actor=actor,
            action="team.member_added",
            data={"user": user.email, "person_name": str(user), "role": role, "title": title},
        )
        invitations_sync(city_id=city.pk)
        dashboard_rows_changed(city_ids=[city.pk])
    return membership


def membership_change_role(*, membership, role, title="", actor):
    _validate_title(role, title)
    if membership.role == role and membership.title == title:
        return membership
    city = membership.city
    with transaction.atomic():
        check_mayor_free(city=city, role=role, exclude=membership)
        before_role, before_title = membership.role, membership.title
        membership.role, membership.title = role, title
        try:
            with transaction.atomic():
                membership.save(update_fields=["role", "title"])
        except IntegrityError as exc:
            raise RuleViolation(_("This city already has a mayor."), field="role") from exc
        audit_record(
            city=city,
            actor=actor,
            action="team.role_changed",
            data={"user": membership.user.email, "person_name": str(membership.user), "role": role, "title": title,
                  "before_role": before_role, "before_title": before_title},
        )
        invitations_sync(city_id=city.pk)
        dashboard_rows_changed(city_ids=[city.pk])
    return membership


def membership_remove(*, membership, actor, now=None):
    """The person leaves the team: the membership ends and is kept, with the check-ins they
    attended, the action items they owned and their attendance."""
    city = membership.city
    with transaction.atomic():
        audit_record(
            city=city,
            actor=actor,
            action="team.member_removed",
            data={"user": membership.user.email, "person_name": str(membership.user), "role": membership.role,
                  "title": membership.title},
        )
        membership.ended_at = now or timezone.now()
        membership.save(update_fields=["ended_at"])
        invitations_sync(city_id=city.pk)
        dashboard_rows_changed(city_ids=[city.pk])


def city_set_coaches(*, city, coaches, actor):
    """Make the city's current coach assignments exactly `coaches`: one no longer wanted is ended
    (kept, for the history), a coach assigned again has theirs opened again."""
    wanted = {coach.pk: coach for coach in coaches}
    with transaction.atomic():
        changed, now = False, timezone.now()
        every = {a.coach_id: a
                 for a in CoachAssignment.objects.with_scope(city=city).filter(city=city).select_related("coach")}
        for coach_id, assignment in every.items():
            if coach_id not in wanted and assignment.ended_at is None:
                assignment.ended_at = now
                assignment.save(update_fields=["ended_at"])
                changed = True
                audit_record(
                    city=city, actor=actor, action="coach.unassigned",
                    data={"coach": assignment.coach.email, "coach_name": str(assignment.coach)},
                )
        for coach_id, coach in wanted.items():
            assignment = every.get(coach_id)
            if assignment is not None and assignment.ended_at is None:
                continue
            if assignment is None:
                CoachAssignment.objects.create(city=city, coach=coach, assigned_at=now)
            else:
                assignment.assigned_at, assignment.ended_at = now, None
                assignment.save(update_fields=["assigned_at", "ended_at"])
            changed = True
            audit_record(city=city, actor=actor, action="coach.assigned",
                         data={"coach": coach.email, "coach_name": str(coach)})
        if changed:
            # A coach's sessions span the cohort's cities, so the whole cohort is re-derived.
            invitations_sync(cohort_id=city.cohort_id)
            dashboard_rows_changed(city_ids=[city.pk])
