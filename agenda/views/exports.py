"""The cohort's attendance ledger as CSV, streamed, through the same export rules as the cohort's
other exports (a coach's file holds only their cities; every export is audited)."""

from datetime import UTC

from django.utils.translation import gettext as _

from cohorts.views.exports import CohortExportView

from ..models import Attendance, Session


class AttendanceExportView(CohortExportView):
    """The whole attendance ledger of the cohort, one row per mark, streamed.

    Read as plain tuples with the choice labels looked up once: at tens of thousands of rows,
    model instances and per-row label translation cost more than the database does."""

    export_name = "attendance"

    def table(self):
        header = [_("City"), _("Person"), _("Email"), _("Session"), _("Kind"), _("Starts (UTC)"), _("Day"),
                  _("Required"), _("Attendance"), _("Marked at (UTC)"), _("Source"), _("Marked by")]
        kinds = {value: str(label) for value, label in Session.Kind.choices}
        statuses = {value: str(label) for value, label in Attendance.Status.choices}
        sources = {value: str(label) for value, label in Attendance.Source.choices}
        yes, no = _("yes"), _("no")
        moments = {}

        def utc(moment):  # thousands of marks share a session's start: each start is formatted once
            text = moments.get(moment)
            if text is None:
                text = moments[moment] = moment.astimezone(UTC).isoformat(timespec="minutes")
            return text

        marks = (
            Attendance.objects.filter(city__in=self.cities(), session__cohort=self.cohort)
            .order_by("session__starts_at", "day__starts_at", "city__name", "person__full_name")
            .values_list("city__name", "person__full_name", "person__email", "session__title", "session__kind",
                         "session__starts_at", "day__label", "session__required", "status", "marked_at", "source",
                         "marked_by__full_name")
        )
        rows = (
            [city, person, email, title, kinds.get(kind, kind), utc(starts), day or "", yes if required else no,
             statuses.get(status, status), marked.astimezone(UTC).isoformat(timespec="minutes"),
             sources.get(source, source), marked_by or ""]
            for city, person, email, title, kind, starts, day, required, status, marked, source, marked_by
            in marks.iterator(chunk_size=2000)
        )
        return header, rows
