"""The cohort's attendance ledger as CSV, streamed, through the same export rules as the cohort's
other exports (a coach's file holds only their cities; every export is audited)."""

from datetime import UTC
from itertools import chain

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q
from django.utils.translation import gettext as _

from accelerator.exports import Neutralised, neutralise
from cohorts.views.exports import CohortExportView

from ..models import Attendance, Response, Session, SessionInvitation

# Rows fetched from the database at a time.
CHUNK = 5000


class AttendanceExportView(CohortExportView):
    """The whole attendance ledger of the cohort: one row per mark (each convening segment, and the
    convening's outcome derived from them), with the invitee's answer, where the mark came from and
    who made it; then one row per invitee nobody has marked yet (invited, or answered). Streamed.

    Read as plain tuples, the invitee's answer joined in the same query; what repeats from row to
    row (cities, people, sessions and their segments, labels) is formatted and neutralised once:
    at tens of thousands of rows, per-row work costs more than the database does."""

    export_name = "attendance"

    def table(self):
        header = [_("City"), _("Person"), _("Email"), _("Session"), _("Kind"), _("Starts (UTC)"), _("Segment"),
                  _("Required"), _("Attendance"), _("Marked at (UTC)"), _("Source"), _("Operator"), _("Note"),
                  _("Answer"), _("Reason given")]
        status_label = {value: str(label) for value, label in Attendance.Status.choices}
        source_label = {value: str(label) for value, label in Attendance.Source.choices}
        answer_label = {value: str(label) for value, label in Response.choices}
        answer_label[None] = ""
        yes, no = _("yes"), _("no")
        cities = self.cities()
        kind_label = {value: str(label) for value, label in Session.Kind.choices}

        # What repeats from row to row (a city, a person, a session and its segment) is formatted
        # and neutralised the first time it is met, and looked up after that.
        city_cells, people, segments, operators = {}, {}, {}, {}

        def city(pk, name):
            text = city_cells[pk] = neutralise(name)
            return text

        def person(pk, name, email):
            cells = people[pk] = (neutralise(name), neutralise(email))
            return cells

        def segment(session_id, day_id, title, kind, starts, required, label):
            cells = segments[session_id, day_id] = (neutralise(title), kind_label.get(kind, kind), _utc(starts),
                                                    neutralise(label) if day_id else "", yes if required else no)
            return cells

        def operator(name):
            text = operators[name] = neutralise(name)
            return text

        invitation = FilteredRelation("session__invitations",
                                      condition=Q(session__invitations__person=F("person")))
        marks = (
            Attendance.objects.filter(city__in=cities, session__cohort=self.cohort)
            .annotate(invitation=invitation)
            .order_by("session__starts_at", "day__starts_at", "city__name", "person__full_name")
            .values_list("city_id", "city__name", "person_id", "person__full_name", "person__email", "session_id",
                         "session__title", "session__kind", "session__starts_at", "session__required", "day_id",
                         "day__label", "status", "marked_at", "source", "marked_by__full_name", "note",
                         "invitation__response", "invitation__reason")
        )
        unmarked = (
            SessionInvitation.objects.filter(city__in=cities, session__cohort=self.cohort)
            .exclude(session__status=Session.Status.CANCELLED)
            .filter(~Exists(Attendance.objects.filter(session=OuterRef("session"), person=OuterRef("person"))))
            .order_by("session__starts_at", "city__name", "person__full_name")
            .values_list("city_id", "city__name", "person_id", "person__full_name", "person__email", "session_id",
                         "session__title", "session__kind", "session__starts_at", "session__required", "response",
                         "reason")
        )

        # In the loops below a cell is looked up first and made only when it is missing (an empty
        # text is simply made again): these run once per row.
        def marked_rows():
            for (city_id, city_name, pk, name, email, session_id, title, kind, starts, required, day_id, label,
                 status, marked, source, by, note, answer, reason) in marks.iterator(chunk_size=CHUNK):
                yield (city_cells.get(city_id) or city(city_id, city_name),
                       *(people.get(pk) or person(pk, name, email)),
                       *(segments.get((session_id, day_id))
                         or segment(session_id, day_id, title, kind, starts, required, label)),
                       status_label.get(status, status), _utc(marked), source_label.get(source, source),
                       (operators.get(by) or operator(by)) if by else "", neutralise(note) if note else "",
                       answer_label.get(answer, answer), neutralise(reason) if reason else "")

        def unmarked_rows():
            for (city_id, city_name, pk, name, email, session_id, title, kind, starts, required, answer,
                 reason) in unmarked.iterator(chunk_size=CHUNK):
                yield (city_cells.get(city_id) or city(city_id, city_name),
                       *(people.get(pk) or person(pk, name, email)),
                       *(segments.get((session_id, None))
                         or segment(session_id, None, title, kind, starts, required, "")),
                       "", "", "", "", "", answer_label.get(answer, answer), neutralise(reason) if reason else "")

        return header, Neutralised(chain(marked_rows(), unmarked_rows()))


def _utc(moment):
    return moment.astimezone(UTC).isoformat(timespec="minutes")
