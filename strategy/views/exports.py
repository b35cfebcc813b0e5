from django.utils.translation import gettext as _

from accelerator.exports import Neutralised, neutralise
from cohorts.views.exports import CohortExportView

from ..guide import COMPONENT_CHOICES, QUARTERS, quarter_label
from ..models import Action, Goal


class ActionsExportView(CohortExportView):
    """Strategy actions and their measures across the cohort: one row per measure, or one row
    for an action that has none. The actions with their measures and owners come in one query of
    four tables, the goals with their city and component in another of three, kept in a dict (one
    query joining all nine tables took longer to plan than these two take to run); rows are
    sorted here. Labels (component, quarter, status)
    are translated, and names and titles neutralised, once per export, not once per row."""

    export_name = "strategy-actions"

    def table(self):
        header = [_("City"), _("Component"), _("Goal"), _("Action"), _("Owner"), _("Start"), _("End"), _("Status"),
                  _("Resources"), _("Measure"), _("Baseline"), _("Target"), _("Unit"), _("By when")]
        components = {key: neutralise(str(label)) for key, label in COMPONENT_CHOICES}
        quarters = {n: quarter_label(n) for n in range(1, QUARTERS + 1)}
        statuses = {key: neutralise(str(label)) for key, label in Action.Status.choices}
        cities = self.cities()
        goals = {pk: (neutralise(city), kind, position, neutralise(title))
                 for pk, city, kind, position, title in Goal.objects.filter(city__in=cities).values_list(
                     "pk", "city__name", "component__kind", "position", "title")}
        # Actions without a measure come out once, with empty measure columns (a LEFT JOIN).
        rows = list(Action.objects.filter(city__in=cities).values_list(
            "city_id", "goal_id", "position", "pk", "what", "owner_member_id", "owner_member__user__full_name",
            "owner", "start_quarter", "end_quarter", "status", "resources", "measures__position", "measures__pk",
            "measures__name", "measures__baseline", "measures__target", "measures__unit", "measures__by_quarter"))

        def order(row):
            city_id, goal_id, position, pk = row[:4]
            city, kind, goal_position, _title = goals[goal_id]
            return (city, city_id, kind, goal_position, goal_id, position, pk,
                    row[12] or 0, row[13] or 0)

        rows.sort(key=order)

        def lines():
            # An action's cells are made once, then reused on each of its measures' rows.
            action_pk, cells = None, None
            for (_city_id, goal_id, _position, pk, what, member, member_name, owner, start, end, status, resources,
                 _m_position, _m_pk, measure, baseline, target, unit, by) in rows:
                if pk != action_pk:
                    city, kind, _goal_position, goal = goals[goal_id]
                    action_pk, cells = pk, [
                        city, components.get(kind) or neutralise(kind), goal, neutralise(what),
                        neutralise(owner) if member is None else neutralise(member_name),
                        quarters.get(start, ""), quarters.get(end, ""), statuses.get(status) or neutralise(status),
                        neutralise(resources)]
                yield [*cells, neutralise(measure), neutralise(baseline), neutralise(target), neutralise(unit),
                       quarters.get(by, "")]

        return header, Neutralised(lines())
