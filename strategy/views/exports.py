from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.exports import Lines, csv_cells, neutralise
from accelerator.prepared import PreparedQuery
from cohorts.models import City
from cohorts.tenancy import relations
from cohorts.views.exports import CohortExportView

from ..guide import COMPONENT_CHOICES, QUARTERS, quarter_label
from ..models import Action, Goal

# Stand-ins for the cohort and the viewer in the prepared queries below (no cohort or person has them).
_COHORT = -7_302_001
_PERSON = -7_302_002


def _cities(cohort, person=None, coach=False):
    """The cohort's cities a viewer sees, by the visibility rule; `person` None for program staff
    (every city). A stand-in person's id is put in when the query is compiled, the real one when run."""
    cities = City.objects.filter(cohort_id=cohort)
    if person is None:
        return cities
    return cities.filter(pk__in=City.objects.visible_to(get_user_model()(pk=person, is_coach=coach)).values("pk"))


def _goals(**viewer):
    with scopes_disabled():  # the visible cities are the query's own filter
        return Goal.objects.filter(city__in=_cities(**viewer)).order_by().values_list(
            "pk", "city_id", "city__name", "component__kind", "position", "title")


def _actions(**viewer):
    # Actions without a measure come out once, with empty measure columns (a LEFT JOIN).
    with scopes_disabled():
        return Action.objects.filter(city__in=_cities(**viewer)).order_by().values_list(
            "goal_id", "position", "pk", "what", "owner_member_id", "owner_member__user__full_name", "owner",
            "start_quarter", "end_quarter", "status", "resources", "measures__position", "measures__pk",
            "measures__name", "measures__baseline", "measures__target", "measures__unit", "measures__by_quarter")


def _prepared(build):
    """`build`'s query for each kind of viewer, compiled once per process (accelerator.prepared):
    building and compiling these joins cost more than reading them."""
    return {
        "staff": PreparedQuery(build, cohort=_COHORT),
        "coach": PreparedQuery(lambda cohort, person: build(cohort=cohort, person=person, coach=True),
                               cohort=_COHORT, person=_PERSON),
        "member": PreparedQuery(lambda cohort, person: build(cohort=cohort, person=person),
                                cohort=_COHORT, person=_PERSON),
    }


_GOALS, _ACTIONS = _prepared(_goals), _prepared(_actions)


class ActionsExportView(CohortExportView):
    """Strategy actions and their measures across the cohort: one row per measure, or one row
    for an action that has none. The actions with their measures and owners come in one query of
    four tables, the goals with their city and component in another of three, kept in a dict (one
    query joining all nine tables took longer to plan than these two take to run); both are
    compiled once per process, and rows are sorted here. Labels (component, quarter, status)
    are translated, and names and titles neutralised, once per export, not once per row."""

    export_name = "strategy-actions"

    def read(self, prepared):
        user = self.request.user
        if relations(user).sees_all:
            return prepared["staff"].rows(cohort=self.cohort.pk)
        return prepared["coach" if user.is_coach else "member"].rows(cohort=self.cohort.pk, person=user.pk)

    def table(self):
        header = [_("City"), _("Component"), _("Goal"), _("Action"), _("Owner"), _("Start"), _("End"), _("Status"),
                  _("Resources"), _("Measure"), _("Baseline"), _("Target"), _("Unit"), _("By when")]
        components = {key: neutralise(str(label)) for key, label in COMPONENT_CHOICES}
        quarters = {n: quarter_label(n) for n in range(1, QUARTERS + 1)}
        statuses = {key: neutralise(str(label)) for key, label in Action.Status.choices}
        # {goal: (its place in the file: city, component, goal; its cells: city, component, goal)}
        goals = {}
        for pk, city_id, city, kind, position, title in self.read(_GOALS):
            city = neutralise(city)
            goals[pk] = ((city, city_id, kind, position, pk),
                         csv_cells([city, components.get(kind) or neutralise(kind), neutralise(title)]))
        rows = self.read(_ACTIONS)
        rows.sort(key=lambda row: (goals[row[0]][0], row[1], row[2], row[11] or 0, row[12] or 0))

        def lines():
            # An action's cells are written once, then begin each of its measures' lines.
            action_pk, cells = None, None
            for (goal_id, _position, pk, what, member, member_name, owner, start, end, status, resources,
                 _m_position, _m_pk, measure, baseline, target, unit, by) in rows:
                if pk != action_pk:
                    action_pk, cells = pk, goals[goal_id][1] + csv_cells([
                        neutralise(what), neutralise(owner) if member is None else neutralise(member_name),
                        quarters.get(start, ""), quarters.get(end, ""), statuses.get(status) or neutralise(status),
                        neutralise(resources)])
                last = csv_cells([neutralise(measure), neutralise(baseline), neutralise(target), neutralise(unit),
                                  quarters.get(by, "")])
                yield f"{cells}{last[:-1]}\r\n"

        return header, Lines(lines())
