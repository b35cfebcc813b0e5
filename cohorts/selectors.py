"""Reads for pages, each with the joins it needs so a page's query count stays flat."""

import datetime

from django.db.models import (
    CharField,
    Count,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Now

from accelerator.prepared import PreparedQuery, union_part
from cohorts.models import City, Cohort, Membership, Role, RoleInvitation
from cohorts.models.teams import role_label_of
from cohorts.models.visibility import current_coach_assignments, current_memberships, relations
from cohorts.tenancy import scoped_city_ids


def _mayor_prefetch():
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(role=Role.MAYOR).select_related("user"),
        to_attr="mayor_memberships",
    )


def _coach_prefetch():
    return Prefetch(
        "coach_assignments", queryset=current_coach_assignments().select_related("coach"), to_attr="coach_list"
    )


def _current_assignments(relation):
    """`relation` (a join to coach assignments) limited to the ones not ended, as a left join."""
    return FilteredRelation(relation, condition=Q(**{f"{relation}__ended_at__isnull": True}))


def cities_with_team_summary(cities):
    """Cities annotated with `senior_team_size`, `mayor_memberships` and `coach_list`."""
    return (
        cities.select_related("cohort")
        .annotate(senior_team_size=Count("memberships", filter=~Q(memberships__role=Role.MAYOR)
                                                   & Q(memberships__ended_at__isnull=True), distinct=True))
        .prefetch_related(_mayor_prefetch(), _coach_prefetch())
        .order_by("name")
    )


def _cities_export_query(cities):
    mayor = (Membership.objects.filter(city=OuterRef("pk"), role=Role.MAYOR, ended_at__isnull=True)
             .order_by().values("user__full_name")[:1])
    senior_team = (Membership.objects.filter(city=OuterRef("pk"), ended_at__isnull=True).exclude(role=Role.MAYOR)
                   .order_by().values("city").annotate(n=Count("pk")).values("n"))
    return (cities.annotate(mayor=Subquery(mayor), senior_team_size=Subquery(senior_team))
            .alias(coaching=_current_assignments("coach_assignments"))
            .order_by("name", "pk", "coaching__pk")
            .values_list("pk", "name", "country", "time_zone", "language", "status", "mayor", "senior_team_size",
                         "coaching__coach__full_name"))


# Staff export every city of a cohort: that statement is compiled once (accelerator.prepared).
_COHORT_CITIES_EXPORT = PreparedQuery(
    lambda cohort: _cities_export_query(City.objects.filter(cohort_id=cohort)), cohort=-7_000_005)


def cities_export_rows(cohort, user):
    """The cities CSV's rows for the cities of `cohort` that `user` sees: each city with its
    participation, mayor (a city has one at most), senior team size and coaches (every current
    assignment, in the order made), as plain values: one query, a row per city and coach (no model objects,
    labels read once)."""
    statuses = {value: str(label) for value, label in City.Status.choices}
    if relations(user).sees_all:
        rows = _COHORT_CITIES_EXPORT.rows(cohort=cohort.pk)
    else:
        rows = _cities_export_query(City.objects.visible_to(user).filter(cohort=cohort))
    result = []
    last = None
    for pk, name, country, time_zone, language, status, mayor_name, senior_team_size, coach in rows:
        if pk != last:
            last = pk
            coaches = []
            result.append([name, country, time_zone, language, statuses.get(status, status), mayor_name or "",
                           senior_team_size or 0, coaches])
        if coach is not None:
            coaches.append(coach)
    for row in result:
        row[-1] = "; ".join(row[-1])
    return result


def people_export_rows(cities):
    """The people CSV's rows, streamed: each current team member of `cities` with their city, role
    (read once per role) and preferences; one query, no model objects."""
    labels = {value: str(label) for value, label in Role.choices}
    memberships = (Membership.objects.filter(city__in=cities).order_by("city__name", "role", "user__full_name")
                   .values_list("city__name", "user__full_name", "user__email", "role", "title", "user__time_zone",
                                "user__language"))
    return ([city, name, email, role_label_of(role, title, labels=labels), time_zone, language]
            for city, name, email, role, title, time_zone, language in memberships.iterator(chunk_size=2000))


def visible_cohorts(user):
    """Cohorts the viewer works in: every cohort for staff, else those holding a city they see.
    For finding one cohort by its slug; lists use `cohorts_for_user`."""
    cohorts = Cohort.objects.all()
    if not user.is_staff:
        cohorts = cohorts.filter(pk__in=City.objects.visible_to(user).values("cohort_id"))
    return cohorts


_COHORT_AT = PreparedQuery(lambda slug: Cohort.objects.filter(slug=slug)[:1], slug="\x00cohort\x00")


def visible_cohort_at(user, slug):
    """The cohort at `slug` if the viewer works in it (`visible_cohorts`), else None; for staff a
    statement compiled once."""
    if user.is_staff:
        found = _COHORT_AT(slug=slug)
        return found[0] if found else None
    return visible_cohorts(user).filter(slug=slug).first()


def viewer_city_ids(user):
    """The ids of the cities the viewer sees, for a page that is not a city's: None for staff (every
    city); else the request scope's reading of the visibility rule when it holds them (no query),
    or the rule's own answer (one query)."""
    if relations(user).sees_all:
        return None
    scoped = scoped_city_ids()
    return list(City.objects.visible_to(user).values_list("pk", flat=True)) if scoped is None else scoped


def _cities_of(cohort, user, city_ids):
    """The cohort's cities the viewer sees: those among `city_ids` when the page read them (see
    viewer_city_ids)."""
    cities = City.objects.filter(cohort=cohort)
    return cities.visible_to(user) if city_ids is None else cities.filter(pk__in=city_ids)


def _cohorts_with_city_counts(cohorts):
    return cohorts.annotate(city_count=Count("cities", distinct=True)).order_by("-start_date", "name")


# Every cohort, for staff: compiled once per process (accelerator.prepared).
_EVERY_COHORT = PreparedQuery(lambda: _cohorts_with_city_counts(Cohort.objects.all()))


def cohorts_for_user(user):
    """Cohorts the viewer works in, with how many of their visible cities each holds: a list."""
    if user.is_staff:
        return _EVERY_COHORT()
    return list(_cohorts_with_city_counts(Cohort.objects.filter(cities__in=City.objects.visible_to(user)).distinct()))


def cohort_cities(cohort, user):
    # The strategy's state, completeness and last change come along in the same query.
    return cities_with_team_summary(City.objects.visible_to(user).filter(cohort=cohort)).select_related(
        "strategy__last_changed_by"
    )


def dashboard_cities(cohort, user, city_ids=None):
    """The cohort dashboard's cities: each with its stored dashboard row and its strategy (state,
    completeness, last change) in the same one query; mayors and coaches are in the row."""
    return (
        _cities_of(cohort, user, city_ids)
        .select_related("cohort", "dashboard_row", "strategy__last_changed_by").order_by("name")
    )


def _coaches_and_staff_query():
    from django.contrib.auth import get_user_model

    return (get_user_model().objects.filter(Q(is_coach=True) | Q(is_staff=True))
            .alias(coaching=_current_assignments("coach_assignments"))
            .order_by("full_name", "email", "pk", "coaching__city__name")
            .values_list("pk", "full_name", "email", "is_coach", "is_staff",
                         "coaching__city__name", "coaching__city__slug"))


_COACHES_AND_STAFF = PreparedQuery(_coaches_and_staff_query)


def coaches_and_staff():
    """The people page's lists in one query: coaches, each with their cities' names and
    slugs, and program staff. A person who is no longer a coach keeps no city, as the
    visibility rule has it (only a coach's current assignments count)."""
    people = {}
    for pk, full_name, email, is_coach, is_staff, city_name, city_slug in _COACHES_AND_STAFF.rows():
        person = people.setdefault(pk, {"full_name": full_name, "email": email, "is_coach": is_coach,
                                        "is_staff": is_staff, "cities": []})
        if is_coach and city_slug is not None:
            person["cities"].append({"name": city_name, "slug": city_slug})
    people = people.values()
    return [p for p in people if p["is_coach"]], [p for p in people if p["is_staff"]]


def city_team(city):
    return city.memberships.select_related("user").order_by("role", "user__full_name")


def city_coaches(city):
    """The city's coaches now (by the visibility rule: only while they are coaches), as people."""
    return [a.coach for a in current_coach_assignments().filter(city=city).select_related("coach")
            .order_by("coach__full_name")]


def _team_page_query(city):
    """The memberships in force, the coaches now (the visibility rule's own querysets) and the open
    invitations to join the team, as rows of the same eleven columns: kind (0 member, 1 coach,
    2 invitation), id, code, role, title, the person's id, name and email, and for an invitation
    its kind, when it expires and when it was made."""
    blank = Value("", output_field=CharField())
    members = union_part(current_memberships().filter(city_id=city), 0, id="pk", code="code", role="role",
                         title="title", user="user_id", name="user__full_name", email="user__email",
                         invited_as=blank, expires=datetime.datetime, made=datetime.datetime)
    coaches = union_part(current_coach_assignments().filter(city_id=city), 1, id="pk", code=blank, role=blank,
                         title=blank, user="coach_id", name="coach__full_name", email="coach__email",
                         invited_as=blank, expires=datetime.datetime, made=datetime.datetime)
    invitations = union_part(_open_invitations_query(city), 2, id="pk", code="code", role="role", title="title",
                             user=int, name="full_name", email="email", invited_as="kind", expires="expires_at",
                             made="created_at")
    # The invitations first: their columns' types (a moment) decide the union's, not a NULL's.
    return invitations.union(members, coaches, all=True).order_by("row_kind", "row_role", "row_name")


_TEAM_PAGE = PreparedQuery(_team_page_query, city=-7_000_003)


def city_team_page(city):
    """(the city's team, as `city_team`; its coaches now, as `city_coaches`; the invitations to join
    its team not yet accepted, withdrawn or expired, newest first) in one query, compiled once
    (accelerator.prepared): the memberships in force with their people, the coaches as people and
    the invitations (unsaved, with what pages show of them)."""
    from django.contrib.auth import get_user_model

    person = get_user_model()
    members, coached, invited = [], [], []
    for kind, pk, code, role, title, user_id, name, email, invited_as, expires, made in _TEAM_PAGE.rows(city=city.pk):
        if kind == 0:
            members.append(Membership(pk=pk, code=code, city=city, cohort_id=city.cohort_id, role=role, title=title,
                                      user=person(pk=user_id, full_name=name, email=email)))
        elif kind == 1:
            coached.append(person(pk=user_id, full_name=name, email=email))
        else:
            invited.append(RoleInvitation(pk=pk, code=code, city=city, role=role, title=title, full_name=name,
                                          email=email, kind=invited_as, expires_at=expires, created_at=made))
    invited.sort(key=lambda invitation: invitation.created_at, reverse=True)
    return members, coached, invited


def city_members(city):
    """The city's mayor and senior team now, as people."""
    return [m.user for m in current_memberships().filter(city=city).select_related("user")]


def _open_invitations_query(city=None):
    where = {"city_id": city} if city is not None else {"city__isnull": True}
    return (RoleInvitation.objects.with_scopes_disabled()
            .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=Now(), **where)
            .order_by("-created_at"))


# Compiled once (accelerator.prepared); a city's are read with its team (`city_team_page`).
_PROGRAM_INVITATIONS = PreparedQuery(_open_invitations_query)


def program_pending_invitations():
    """The open invitations to coach or to join the program's staff (no city), newest first."""
    return _PROGRAM_INVITATIONS()


def cohort_roster_rows(cohort):
    """The cohort as roster-file rows: each city's people and open invitations, one row each, and
    one row with the city alone for a city with nobody yet. Three queries."""
    from django.utils import timezone

    cities = list(City.objects.filter(cohort=cohort).order_by("name"))
    people = {city.pk: [] for city in cities}
    for m in current_memberships().filter(city__cohort=cohort).select_related("user").order_by("role",
                                                                                                 "user__full_name"):
        people[m.city_id].append({"role": m.role, "name": m.user.full_name, "email": m.user.email,
                                  "title": m.title})
    invitations = RoleInvitation.objects.with_scopes_disabled().filter(
        city__cohort=cohort, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("role", "full_name")
    for invitation in invitations:
        people[invitation.city_id].append({"role": invitation.role, "name": invitation.full_name,
                                           "email": invitation.email, "title": invitation.title})
    rows = []
    for city in cities:
        place = {"city": city.name, "country": city.country, "time_zone": city.time_zone, "language": city.language}
        rows.extend({**place, **person} for person in people[city.pk] or [{}])
    return rows


def cohort_import_batches(cohort):
    return cohort.import_batches.select_related("uploaded_by").order_by("-uploaded_at")[:10]
