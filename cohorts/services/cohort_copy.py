"""Copy a cohort: a new cohort with the source's pattern on new dates, in one transaction, audited.

Cohorts copies its cities (those staff chose to enrol again: new city rows with the same people
in new memberships and the same current coaches); the parts other apps registered
(`cohorts.copying`) copy their own rows. Nothing of the source changes: its history stays where
it was."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from agenda.services.session_invitations import invitations_sync

from ..copying import copy_parts
from ..models import City, CoachAssignment, Cohort, Membership
from ..models.visibility import current_coach_assignments, current_memberships
from .dashboard_rows import dashboard_rows_changed

SLUG_MAX = City._meta.get_field("slug").max_length


def new_city_slug(city, cohort_slug):
    return slugify(f"{city.slug}-{cohort_slug}")[:SLUG_MAX].strip("-")


def _teams_and_coaches(cities):
    """({city_id: [membership]}, {city_id: [coach]}) of the cities' current teams: two queries."""
    teams, coaches = {}, {}
    for membership in current_memberships().filter(city__in=cities).select_related("user"):
        teams.setdefault(membership.city_id, []).append(membership)
    for assignment in current_coach_assignments().filter(city__in=cities).select_related("coach"):
        coaches.setdefault(assignment.city_id, []).append(assignment.coach)
    return teams, coaches


@scopes_disabled()  # a copy spans every city of two cohorts
def cohort_copy_preview(request):
    """[(heading, [line, …]), …]: what the copy will create, part by part."""
    cities = sorted(request.cities, key=lambda c: c.name)
    teams, coaches = _teams_and_coaches(cities)
    lines = []
    for city in cities:
        people = ", ".join(f"{m.user.full_name} ({m.role_label})" for m in teams.get(city.pk, []))
        coach_names = ", ".join(c.full_name for c in coaches.get(city.pk, [])) or _("no coach")
        lines.append(_("%(city)s at /cities/%(slug)s/ with %(people)s; coached by %(coaches)s")
                     % {"city": city.name, "slug": new_city_slug(city, request.slug),
                        "people": people or _("no team yet"), "coaches": coach_names})
    summary = [
        _("%(name)s, from %(start)s to %(end)s (every date %(days)+d days)")
        % {"name": request.name, "start": request.start_date, "end": request.end_date, "days": request.shift.days},
    ]
    return [(_("The cohort"), summary), (_("Cities enrolled again, with their teams"), lines or [_("None")]),
            *((part.heading, part.describe(request)) for part in copy_parts())]


def _check(request):
    if Cohort.objects.filter(slug=request.slug).exists():
        raise RuleViolation(_("A cohort already has this short name."), field="slug")
    taken = set(City.objects.filter(slug__in=[new_city_slug(c, request.slug) for c in request.cities])
                .values_list("slug", flat=True))
    if taken:
        raise RuleViolation(_("These city addresses are already taken: %(slugs)s. Choose another short name.")
                            % {"slugs": ", ".join(sorted(taken))}, field="slug")
    if any(city.cohort_id != request.source.pk for city in request.cities):
        raise RuleViolation(_("Choose cities of the cohort being copied."), field="cities")


def _enrol_again(request, target, actor):
    """New city rows in the target with the same people and the same current coaches."""
    city_map = {}
    cities = sorted(request.cities, key=lambda c: c.name)
    teams, coaches = _teams_and_coaches(cities)
    for city in cities:
        again = City.objects.create(
            cohort=target, name=city.name, slug=new_city_slug(city, target.slug), country=city.country,
            time_zone=city.time_zone, language=city.language,
        )
        city_map[city.pk] = again
        audit_record(city=again, actor=actor, action="city.created", data={"city_name": again.name})
        for membership in teams.get(city.pk, []):
            Membership.objects.create(city=again, user=membership.user, role=membership.role, title=membership.title)
            audit_record(city=again, actor=actor, action="team.member_added",
                         data={"user": membership.user.email, "person_name": str(membership.user),
                               "role": membership.role, "title": membership.title})
        for coach in coaches.get(city.pk, []):
            CoachAssignment.objects.create(city=again, coach=coach)
            audit_record(city=again, actor=actor, action="coach.assigned",
                         data={"coach": coach.email, "coach_name": str(coach)})
    return city_map


@scopes_disabled()  # a copy spans every city of two cohorts
def cohort_copy(*, request, actor):
    """Create the new cohort from `request` (a CopyRequest). All or nothing."""
    if not actor.has_perm("cohorts.manage_cohorts"):
        raise RuleViolation(_("Only program staff copy cohorts."))
    with transaction.atomic():
        _check(request)
        target = Cohort.objects.create(name=request.name, slug=request.slug, start_date=request.start_date,
                                       end_date=request.end_date, status=Cohort.Status.PLANNED)
        city_map = _enrol_again(request, target, actor)
        counts = {part.key: part.apply(request, target, city_map, actor) for part in copy_parts()}
        # Everyone enrolled is invited to the copied sessions, those already past included (the
        # new dates may lie before today when a cohort is recorded after the fact).
        invitations_sync(cohort_id=target.pk, include_past=True)
        audit_record(cohort=target, actor=actor, action="cohort.copied",
                     data={"cohort_name": target.name, "source_name": request.source.name,
                           "days": request.shift.days, "cities": len(city_map), "sessions": counts.get("sessions", 0)})
        dashboard_rows_changed(cohort_id=target.pk)
    return target
