from datetime import UTC

from django.utils.translation import gettext as _

from cohorts.views.exports import CohortExportView

from ..models import ActionItem


class ActionItemsExportView(CohortExportView):
    """Coaching action items across the cohort. Only what the city itself sees: never the
    coach's private notes."""

    export_name = "action-items"

    def table(self):
        header = [_("City"), _("Action item"), _("Owner"), _("Due"), _("Status"), _("Check-in date"), _("Closed (UTC)")]
        items = (
            ActionItem.objects.filter(city__in=self.cities())
            .select_related("city", "owner__user", "checkin")
            .order_by("city__name", "checkin__held_on", "pk")
        )
        rows = (
            [i.city.name, i.what, i.owner.user.full_name if i.owner else "", i.due_on.isoformat() if i.due_on else "",
             i.get_status_display(), i.checkin.held_on.isoformat(),
             i.closed_at.astimezone(UTC).isoformat(timespec="minutes") if i.closed_at else ""]
            for i in items.iterator(chunk_size=2000)
        )
        return header, rows
