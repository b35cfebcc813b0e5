from django.db.models import Prefetch
from django.utils.translation import gettext as _

from cohorts.views.exports import CohortExportView

from ..models import Action, Measure


class ActionsExportView(CohortExportView):
    """Strategy actions and their measures across the cohort: one row per measure, or one row
    for an action that has none."""

    export_name = "strategy-actions"

    def table(self):
        header = [_("City"), _("Component"), _("Goal"), _("Action"), _("Owner"), _("Start"), _("End"), _("Status"),
                  _("Resources"), _("Measure"), _("Baseline"), _("Target"), _("Unit"), _("By when")]
        actions = (
            Action.objects.filter(city__in=self.cities())
            .select_related("city", "goal__component", "owner_member__user")
            .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("position", "pk")))
            .order_by("city__name", "goal__component__kind", "goal__position", "position", "pk")
        )

        def rows():
            for a in actions.iterator(chunk_size=500):
                owner = a.owner_member.user.full_name if a.owner_member else a.owner
                base = [a.city.name, a.goal.component.get_kind_display(), a.goal.title, a.what, owner,
                        a.get_start_quarter_display() if a.start_quarter else "",
                        a.get_end_quarter_display() if a.end_quarter else "", a.get_status_display(), a.resources]
                measures = list(a.measures.all())
                if not measures:
                    yield base + [""] * 5
                for m in measures:
                    yield [*base, m.name, m.baseline if m.baseline is not None else "",
                           m.target if m.target is not None else "", m.unit,
                           m.get_by_quarter_display() if m.by_quarter else ""]

        return header, rows()
