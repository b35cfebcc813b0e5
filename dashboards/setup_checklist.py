"""What a new cohort or city still lacks before the program can run: cities, mayors, teams,
coaches, the convening and sessions. Each step says the truth ("no mayor invited yet") and links
to the page where it is done. One query for a cohort or a city, however many cities."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accelerator.caching import kept
from agenda.models import Session
from cohorts.models import City, Membership, Role, RoleInvitation
from cohorts.models.visibility import current_coach_assignments, current_memberships


@dataclass
class Step:
    done: bool
    text: str
    link_text: str = ""
    url: str = ""
    cities: list = field(default_factory=list)  # (name, url) of the cities this step is missing for


@dataclass
class Checklist:
    steps: list

    @property
    def complete(self):
        return all(step.done for step in self.steps)

    @property
    def missing(self):
        return sum(not step.done for step in self.steps)


def _count(queryset):
    counted = queryset.filter(city=OuterRef("pk")).order_by().values("city").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _with_set_up(cities):
    """Cities with what their set-up needs: mayor (on the team or invited), senior team size with
    open invitations, and a current coach."""
    invitations = RoleInvitation.objects.with_scopes_disabled().filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
    return cities.annotate(
        has_mayor=Exists(current_memberships().filter(city=OuterRef("pk"), role=Role.MAYOR))
        | Exists(invitations.filter(city=OuterRef("pk"), role=Role.MAYOR)),
        team_size=_count(current_memberships().exclude(role=Role.MAYOR)) + _count(invitations.exclude(role=Role.MAYOR)),
        has_coach=Exists(current_coach_assignments().filter(city=OuterRef("pk"))),
    )


def _session_counts(sessions):
    convening = Q(kind=Session.Kind.CONVENING)
    return sessions.exclude(status=Session.Status.CANCELLED).aggregate(
        convening=Count("pk", filter=convening), other=Count("pk", filter=~convening))


def _session_steps(cohort, counts):
    """The convening and the other sessions, from `counts` ({"convening": n, "other": n})."""
    new_session = reverse("agenda:session_create", kwargs={"cohort_slug": cohort.slug})
    return [
        Step(done=bool(counts["convening"]),
             text=_("The mayors' convening is scheduled.") if counts["convening"]
             else _("The mayors' convening is not scheduled yet."),
             link_text=_("Schedule the convening"), url=new_session),
        Step(done=bool(counts["other"]),
             text=ngettext("%(n)s other session is scheduled.", "%(n)s other sessions are scheduled.",
                           counts["other"]) % {"n": counts["other"]} if counts["other"]
             else _("No keynote, workshop, coaching session or checkpoint is scheduled yet."),
             link_text=_("Add a session"), url=new_session),
    ]


def _team_url(city):
    return reverse("cohorts:team", kwargs={"city_slug": city.slug})


def _per_city_step(cities, missing, *, missing_text, done_text):
    """A step about every city: done when there are cities and none is missing it."""
    if cities and not missing:
        return Step(done=True, text=done_text)
    return Step(done=False, text=missing_text, cities=missing)


def _cohort_sessions(kind):
    """How many sessions of the outer city's cohort are of `kind` (or of any other kind), as a subquery."""
    sessions = Session.objects.filter(cohort=OuterRef("cohort")).exclude(status=Session.Status.CANCELLED)
    sessions = sessions.filter(kind=kind) if kind else sessions.exclude(kind=Session.Kind.CONVENING)
    counted = sessions.order_by().values("cohort").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _with_sessions(cities):
    """Cities with how many of their cohort's sessions are convenings and how many are not."""
    return cities.annotate(convenings=_cohort_sessions(Session.Kind.CONVENING), other_sessions=_cohort_sessions(None))


def cohort_checklist(cohort):
    """One query while the cohort has cities (their cohort's sessions come along), two before."""
    cities = list(_with_sessions(_with_set_up(City.objects.filter(cohort=cohort)))
                  .exclude(status=City.Status.WITHDRAWN).order_by("name"))
    if cities:
        counts = {"convening": cities[0].convenings, "other": cities[0].other_sessions}
    else:
        counts = _session_counts(Session.objects.filter(cohort=cohort))
    import_url = reverse("cohorts:roster_import", kwargs={"cohort_slug": cohort.slug})
    if cities:
        city_step = Step(done=True, text=ngettext("%(n)s city takes part.", "%(n)s cities take part.", len(cities))
                         % {"n": len(cities)})
    else:
        city_step = Step(done=False, text=_("No city in this cohort yet."),
                         link_text=_("Import cities and people from a file"), url=import_url)
    steps = [
        city_step,
        _per_city_step(cities, [(c.name, _team_url(c)) for c in cities if not c.has_mayor],
                       missing_text=_("No mayor invited yet:"),
                       done_text=_("Every city's mayor is on the team or invited.")),
        _per_city_step(cities, [(c.name, _team_url(c)) for c in cities if c.team_size < Membership.SENIOR_TEAM_MIN],
                       missing_text=_("Fewer than %(n)s senior team members on the team or invited:")
                       % {"n": Membership.SENIOR_TEAM_MIN},
                       done_text=_("Every city has its senior team on the team or invited.")),
        _per_city_step(cities, [(c.name, reverse("cohorts:city_edit", kwargs={"city_slug": c.slug}))
                                for c in cities if not c.has_coach],
                       missing_text=_("No coach assigned yet:"), done_text=_("Every city has a coach.")),
        *_session_steps(cohort, counts),
    ]
    return Checklist(steps=steps)


def invitations_state(cohort):
    """How many invitations to join the cohort's cities there are and the latest moment one was
    sent, accepted or revoked (each stamps its own): one query, for the checklist's cache key."""
    return RoleInvitation.objects.with_scopes_disabled().filter(city__cohort=cohort).aggregate(
        n=Count("pk"), latest=Max(Coalesce("revoked_at", "accepted_at", "created_at")))


def cohort_checklist_for_page(cohort, page_state):
    """The cohort's checklist for its page, kept under the page's state (its rows' versions: the
    teams, coaches and cities; its sessions; the minute, for invitations that expire) and the
    invitations' own state."""
    if not page_state.cacheable:
        return cohort_checklist(cohort)
    invitations = page_state.invitations if page_state.invitations is not None else invitations_state(cohort)
    parts = (page_state.key, sorted(invitations.items()))
    return kept("cohort_checklist", parts, lambda: cohort_checklist(cohort), seconds=page_state.seconds)


def city_checklist(city):
    """One query: the city's set-up and its cohort's sessions come together."""
    city = _with_sessions(_with_set_up(City.objects.filter(pk=city.pk))).select_related("cohort").get()
    team_url = _team_url(city)
    steps = [
        Step(done=city.has_mayor, text=_("The mayor is on the team or invited.") if city.has_mayor
             else _("No mayor invited yet."), link_text=_("Invite the mayor"), url=team_url),
        Step(done=city.team_size >= Membership.SENIOR_TEAM_MIN,
             text=ngettext(
                 "%(n)s senior team member on the team or invited (the program suggests %(min)s to %(max)s).",
                 "%(n)s senior team members on the team or invited (the program suggests %(min)s to %(max)s).",
                 city.team_size)
             % {"n": city.team_size, "min": Membership.SENIOR_TEAM_MIN, "max": Membership.SENIOR_TEAM_MAX},
             link_text=_("Invite the senior team"), url=team_url),
        Step(done=city.has_coach, text=_("A coach is assigned.") if city.has_coach else _("No coach assigned yet."),
             link_text=_("Assign a coach"), url=reverse("cohorts:city_edit", kwargs={"city_slug": city.slug})),
        *_session_steps(city.cohort, {"convening": city.convenings, "other": city.other_sessions}),
    ]
    return Checklist(steps=steps)
