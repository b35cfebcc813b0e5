"""The cohort's attendance ledger as CSV, streamed, through the same export rules as the cohort's
other exports (a coach's file holds only their cities; every export is audited)."""

from datetime import UTC
from itertools import chain

from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _

from cohorts.views.exports import CohortExportView

from ..models import Attendance, Response, Session, SessionInvitation


class AttendanceExportView(CohortExportView):
    """The whole attendance ledger of the cohort: one row per mark (each convening segment, and the
    convening's outcome derived from them), with the invitee's answer, where the mark came from and
    who made it; then one row per invitee nobody has marked yet (invited, or answered). Streamed.

    Read as plain tuples with the choice labels looked up once: at tens of thousands of rows,
    model instances and per-row label translation cost more than the database does."""

    export_name = "attendance"

    def table(self):
        header = [_("City"), _("Person"), _("Email"), _("Session"), _("Kind"), _("Starts (UTC)"), _("Segment"),
                  _("Required"), _("Attendance"), _("Marked at (UTC)"), _("Source"), _("Operator"), _("Note"),
                  _("Answer"), _("Reason given")]
        labels = {
            "kind": {value: str(label) for value, label in Session.Kind.choices},
            "status": {value: str(label) for value, label in Attendance.Status.choices},
            "source": {value: str(label) for value, label in Attendance.Source.choices},
            "answer": {value: str(label) for value, label in Response.choices},
        }
        yes, no = _("yes"), _("no")
        moments = {}

        def utc(moment):  # thousands of marks share a session's start: each start is formatted once
            text = moments.get(moment)
            if text is None:
                text = moments[moment] = moment.astimezone(UTC).isoformat(timespec="minutes")
            return text

        cities = self.cities()
        invitation = SessionInvitation.objects.filter(session=OuterRef("session"), person=OuterRef("person"))
        marks = (
            Attendance.objects.filter(city__in=cities, session__cohort=self.cohort)
            .annotate(answer=Subquery(invitation.values("response")[:1]),
                      reason=Subquery(invitation.values("reason")[:1]))
            .order_by("session__starts_at", "day__starts_at", "city__name", "person__full_name")
            .values_list("city__name", "person__full_name", "person__email", "session__title", "session__kind",
                         "session__starts_at", "day__label", "session__required", "status", "marked_at", "source",
                         "marked_by__full_name", "note", "answer", "reason")
        )
        unmarked = (
            SessionInvitation.objects.filter(city__in=cities, session__cohort=self.cohort)
            .exclude(session__status=Session.Status.CANCELLED)
            .filter(~Exists(Attendance.objects.filter(session=OuterRef("session"), person=OuterRef("person"))))
            .order_by("session__starts_at", "city__name", "person__full_name")
            .values_list("city__name", "person__full_name", "person__email", "session__title", "session__kind",
                         "session__starts_at", "session__required", "response", "reason")
        )
        rows = chain(
            ([city, person, email, title, labels["kind"].get(kind, kind), utc(starts), day or "",
              yes if required else no, labels["status"].get(status, status),
              marked.astimezone(UTC).isoformat(timespec="minutes"),
              labels["source"].get(source, source), operator or "", note, labels["answer"].get(answer or "", ""),
              reason or ""]
             for city, person, email, title, kind, starts, day, required, status, marked, source, operator, note,
             answer, reason in marks.iterator(chunk_size=2000)),
            ([city, person, email, title, labels["kind"].get(kind, kind), utc(starts), "", yes if required else no,
              "", "", "", "", "", labels["answer"].get(answer, answer), reason]
             for city, person, email, title, kind, starts, required, answer, reason
             in unmarked.iterator(chunk_size=2000)),
        )
        return header, rows
