"""Team rules: one mayor per city, one city per person, coaches and staff belong to no city."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accelerator.audit import audit_record

from cohorts.models import CoachAssignment, Membership, Role
from .errors import RuleViolation


def _check_can_join(*, city, user):
    if user.is_staff or user.is_coach:
        raise RuleViolation(_("Program staff and coaches belong to no city."), field="email")
    existing = Membership.objects.with_scopes_disabled().filter(user=user).select_related("city").first()
    if existing is not None and existing.city_id != city.pk:
        raise RuleViolation(
            _("This person already belongs to another city's team; a person can belong to one city."),
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
                membership = Membership.objects.create(city=city, user=user, role=role, title=title)
        except IntegrityError as exc:  # a concurrent request won the race for the mayor's seat
            raise RuleViolation(_("This city already has a mayor."), field="role") from exc
        audit_record(
            city=city,
            actor=actor,
            action="team.member_added",
            summary=_("%(person)s joined the team as %(role)s")
            % {"person": user, "role": membership.role_label},
            data={"user": user.email, "role": role, "title": title},
        )
    return membership


def membership_change_role(*, membership, role, title="", actor):
    _validate_title(role, title)
    if membership.role == role and membership.title == title:
        return membership
    city = membership.city
    with transaction.atomic():
        check_mayor_free(city=city, role=role, exclude=membership)
        before = membership.role_label
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
            summary=_("%(person)s: %(before)s → %(after)s")
            % {"person": membership.user, "before": before, "after": membership.role_label},
            data={"user": membership.user.email, "role": role, "title": title},
        )
    return membership


def membership_remove(*, membership, actor):
    city = membership.city
    with transaction.atomic():
        audit_record(
            city=city,
            actor=actor,
            action="team.member_removed",
            summary=_("%(person)s left the team (%(role)s)")
            % {"person": membership.user, "role": membership.role_label},
            data={"user": membership.user.email, "role": membership.role},
        )
        membership.delete()


def city_set_coaches(*, city, coaches, actor):
    """Make the city's coach assignments exactly `coaches`."""
    wanted = {coach.pk: coach for coach in coaches}
    with transaction.atomic():
        assignments = CoachAssignment.objects.with_scope(city=city).filter(city=city).select_related("coach")
        current = {a.coach_id: a for a in assignments}
        for coach_id, assignment in current.items():
            if coach_id not in wanted:
                assignment.delete()
                audit_record(
                    city=city, actor=actor, action="coach.unassigned",
                    summary=_("%(coach)s is no longer this city's coach") % {"coach": assignment.coach},
                )
        for coach_id, coach in wanted.items():
            if coach_id not in current:
                CoachAssignment.objects.create(city=city, coach=coach)
                audit_record(
                    city=city, actor=actor, action="coach.assigned",
                    summary=_("%(coach)s now coaches this city") % {"coach": coach},
                )
