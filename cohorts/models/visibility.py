"""The one rule for who may see which city, and as what.

Everything that decides visibility asks `relations(user)`: `cohorts.tenancy.city_access` (the city
pages' resolver, the permission predicates, the templates), `City.objects.visible_to` (lists and
the scope of pages that are not a city's), `Session.objects.visible_to` (session pages, "my
sessions", feeds) and the invitation sync (who is invited as a coach).

- Program staff see every city.
- A coach sees the cities of their current assignments (not ended), and only while they are a
  coach: clearing `is_coach` ends every assignment's effect at once.
- A team member sees the city of each of their memberships (one per cohort they took part in).
- Nobody else sees any city.
"""

from dataclasses import dataclass

from django.db.models import Q

from .teams import CoachAssignment, Membership


class Relation:
    STAFF = "staff"
    COACH = "coach"
    MEMBER = "member"


def current_coach_assignments():
    """Assignments that make someone a city's coach now: not ended, and the person still a coach."""
    return CoachAssignment.objects.with_scopes_disabled().filter(ended_at__isnull=True, coach__is_coach=True)


def current_memberships():
    """Memberships that make someone part of a city's team now (an ended one does not)."""
    return Membership.objects.with_scopes_disabled().filter(ended_at__isnull=True)


@dataclass(frozen=True)
class Relations:
    """A person's relations to cities, as subqueries, so callers compose them without loading."""

    user: object
    sees_all: bool

    @property
    def coached_city_ids(self):
        if not (self.user.is_authenticated and self.user.is_coach):
            return CoachAssignment.objects.none().values("city_id")
        return current_coach_assignments().filter(coach=self.user).values("city_id")

    @property
    def member_city_ids(self):
        if not self.user.is_authenticated:
            return Membership.objects.none().values("city_id")
        return current_memberships().filter(user=self.user).values("city_id")

    def city_filter(self, field="pk"):
        """A Q limiting `field` (a city id) to the cities this person may see; None for all."""
        if self.sees_all:
            return None
        return Q(**{f"{field}__in": self.coached_city_ids}) | Q(**{f"{field}__in": self.member_city_ids})


def relations(user) -> Relations:
    """The one visibility rule (see the module's docstring)."""
    return Relations(user=user, sees_all=bool(user.is_authenticated and user.is_staff))
