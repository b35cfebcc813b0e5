from django.utils.translation import gettext as _

from cohorts.views.exports import CohortExportView

from ..guide import COMPONENT_CHOICES, QUARTERS, quarter_label
from ..models import Action


class ActionsExportView(CohortExportView):
    """Strategy actions and their measures across the cohort: one row per measure, or one row
    for an action that has none. One query, streamed as plain values: the labels (component,
    quarter, status) are translated once per export, not once per row."""

    export_name = "strategy-actions"

    def table(self):
        header = [_("City"), _("Component"), _("Goal"), _("Action"), _("Owner"), _("Start"), _("End"), _("Status"),
                  _("Resources"), _("Measure"), _("Baseline"), _("Target"), _("Unit"), _("By when")]
        components = {key: str(label) for key, label in COMPONENT_CHOICES}
        quarters = {n: quarter_label(n) for n in range(1, QUARTERS + 1)}
        statuses = {key: str(label) for key, label in Action.Status.choices}
        # Actions without a measure come out once, with empty measure columns (a LEFT JOIN).
        rows = (
            Action.objects.filter(city__in=self.cities())
            .order_by("city__name", "goal__component__kind", "goal__position", "position", "pk",
                      "measures__position", "measures__pk")
            .values_list("city__name", "goal__component__kind", "goal__title", "what", "owner_member",
                         "owner_member__user__full_name", "owner", "start_quarter", "end_quarter", "status",
                         "resources", "measures__name", "measures__baseline", "measures__target", "measures__unit",
                         "measures__by_quarter")
        )

        def text(value):
            return "" if value is None else value

        def lines():
            for (city, component, goal, what, member, member_name, owner, start, end, status, resources, measure,
                 baseline, target, unit, by) in rows.iterator(chunk_size=2000):
                yield [city, components.get(component, component), goal, what, owner if member is None else member_name,
                       quarters.get(start, ""), quarters.get(end, ""), statuses.get(status, status), resources,
                       text(measure), text(baseline), text(target), text(unit), quarters.get(by, "")]

        return header, lines()
