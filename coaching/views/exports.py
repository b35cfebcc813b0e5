from datetime import UTC

from django.db.models import Q
from django.utils.translation import gettext as _

from accelerator.exports import Neutralised, neutralise
from cohorts.views.exports import CohortExportView

from ..models import ActionItem

CHUNK = 5000


def in_chunks(items):
    """The rows of `items` (ordered by city name, check-in date and pk, which end each row as its
    first, sixth and last value) a chunk at a time, each a plain query that resumes after the
    last row of the one before: the export never sits in memory whole, and holds no server-side
    cursor (declaring and reading one costs more than a thousand rows do)."""
    after = Q()
    while True:
        chunk = list(items.filter(after)[:CHUNK])
        yield from chunk
        if len(chunk) < CHUNK:
            return
        name, held_on, pk = chunk[-1][0], chunk[-1][5], chunk[-1][-1]
        after = (Q(city__name__gt=name) | Q(city__name=name, checkin__held_on__gt=held_on)
                 | Q(city__name=name, checkin__held_on=held_on, pk__gt=pk))


class ActionItemsExportView(CohortExportView):
    """Coaching action items across the cohort. Only what the city itself sees: never the
    coach's private notes.

    Read as plain tuples with the status labels translated once: model instances and a label
    lookup per row cost more than the database does."""

    export_name = "action-items"

    def table(self):
        header = [_("City"), _("Action item"), _("Owner"), _("Due"), _("Status"), _("Check-in date"), _("Closed (UTC)")]
        status_labels = {value: neutralise(str(label)) for value, label in ActionItem.Status.choices}
        items = (
            ActionItem.objects.filter(city__in=self.cities())
            .order_by("city__name", "checkin__held_on", "pk")
            .values_list("city__name", "what", "owner__user__full_name", "due_on", "status", "checkin__held_on",
                         "closed_at", "pk")
        )
        # Names and days repeat from row to row: each is made a cell once (a day's ISO text is safe).
        names, days = {}, {}

        def name(text):
            cell = names[text] = neutralise(text)
            return cell

        def day(value):
            cell = days[value] = value.isoformat() if value else ""
            return cell

        def rows():
            for city, what, owner, due_on, status, held_on, closed_at, _pk in in_chunks(items):
                owner = owner or ""
                yield (names.get(city) or name(city), neutralise(what), names.get(owner) or name(owner),
                       days.get(due_on) or day(due_on), status_labels.get(status) or neutralise(status),
                       days.get(held_on) or day(held_on),
                       closed_at.astimezone(UTC).isoformat(timespec="minutes") if closed_at else "")

        return header, Neutralised(rows())
