from datetime import UTC

from django.utils.translation import gettext as _

from cohorts.views.exports import CohortExportView

from ..models import ActionItem


class ActionItemsExportView(CohortExportView):
    """Coaching action items across the cohort. Only what the city itself sees: never the
    coach's private notes.

    Read as plain tuples with the status labels translated once: model instances and a label
    lookup per row cost more than the database does."""

    export_name = "action-items"

    def table(self):
        header = [_("City"), _("Action item"), _("Owner"), _("Due"), _("Status"), _("Check-in date"), _("Closed (UTC)")]
        status_labels = {value: str(label) for value, label in ActionItem.Status.choices}
        items = (
            ActionItem.objects.filter(city__in=self.cities())
            .order_by("city__name", "checkin__held_on", "pk")
            .values_list("city__name", "what", "owner__user__full_name", "due_on", "status", "checkin__held_on",
                         "closed_at")
        )
        rows = (
            [city, what, owner or "", due_on.isoformat() if due_on else "", status_labels.get(status, status),
             held_on.isoformat(), closed_at.astimezone(UTC).isoformat(timespec="minutes") if closed_at else ""]
            for city, what, owner, due_on, status, held_on, closed_at in items.iterator(chunk_size=2000)
        )
        return header, rows
